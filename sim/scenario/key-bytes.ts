// The longest partition key (in UTF-8 bytes) a producer's key distribution can produce. Kinesis counts
// the key inside its record size limit (docs/reference.md §1.2), so a record's data may use the limit less this.

import { Buffer } from "node:buffer";
import { parseTemplate } from "../workload/keys/index.ts";
import type { KeysSpec } from "./types.ts";

const utf8 = (text: string): number => Buffer.byteLength(text, "utf8");

export function maxKeyBytes(keys: KeysSpec): number {
  switch (keys.distribution) {
    case "uniform":
    case "zipf":
    case "hotspot":
      // Indexes only grow longer: the last index gives the longest key.
      return utf8(keys.template.replaceAll("{i}", String(keys.cardinality - 1)));
    case "fixed":
      return utf8(keys.key);
    case "weighted":
      return Math.max(...keys.keys.map((entry) => utf8(entry.key)));
    case "file":
      return keys.keys.reduce((max, key) => Math.max(max, utf8(key)), 0);
    case "trace":
      // Twin keys (scale above 1) end with "#<copy>".
      return keys.keys.reduce((max, key) => Math.max(max, utf8(key)), 0) + (keys.copies > 1 ? 1 + String(keys.copies - 1).length : 0);
    case "daily":
      return "YYYY-MM-DD".length;
    case "uuid":
      return 36;
    case "none":
      return 0;
    case "composite": {
      const template = parseTemplate(keys.template);
      let bytes = template.literals.reduce((sum, literal) => sum + utf8(literal), 0);
      for (const name of template.names) {
        const field = keys.fields[name];
        if (field === undefined) continue;
        bytes += "values" in field ? Math.max(...field.values.map(utf8)) : Math.max(utf8(String(field.range[0])), utf8(String(field.range[1])));
      }
      return bytes;
    }
  }
}
