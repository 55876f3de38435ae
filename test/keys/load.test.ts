// The lab's load on a trace: each key's records and its own bytes, from the trace (sim/keys/load.ts).

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { keyRates, keySetFromTrace, labLoad, type KeySet } from "../../sim/keys/index.ts";

const directory = mkdtempSync(join(tmpdir(), "streamsim-keys-load-"));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

function traceKeySet(content: string, countBy: "records" | "bytes"): KeySet {
  const path = join(directory, `t-${countBy}.csv`);
  writeFileSync(path, content);
  const read = keySetFromTrace(path, { format: "csv", keyColumn: "key", countBy, sizeColumn: null, valueColumn: null, kinesisKeyLimit: true });
  if (!read.ok) throw new Error(read.errors.join("; "));
  return read.keySet;
}

// "big" sends 1 record of 9,000 B, "small" 3 of 1,000 B: 4 records over 3 s, a mean of 3,000 B.
const trace = "timestamp,key,size\n2026-12-06T10:00:00Z,big,9000\n2026-12-06T10:00:01Z,small,1000\n2026-12-06T10:00:02Z,small,1000\n2026-12-06T10:00:03Z,small,1000\n";

describe("labLoad on a trace", () => {
  it("gives each key its own records and bytes, whether traffic is weighted by records or bytes", () => {
    for (const countBy of ["records", "bytes"] as const) {
      const keySet = traceKeySet(trace, countBy);
      const load = labLoad(keySet, { rate: { kind: "records", recordsPerSecond: 400 } })!;
      expect(load).toMatchObject({ recordsPerSecond: 400, recordSizeBytes: 3000, sizeFrom: "trace", rateFrom: "flag" });
      const rates = keyRates(keySet, Int32Array.from([3, 5]), load)!;
      // big: 1/4 of 400 records/s at 9,000 B + its 3-byte key; small: 3/4 at 1,000 B + 5.
      expect([...rates.records]).toEqual([100, 300]);
      expect([...rates.bytes]).toEqual([100 * 9003, 300 * 1005]);
    }
  });

  it("without a rate, takes the trace's own: (records - 1) over its span, as a looped replay", () => {
    const load = labLoad(traceKeySet(trace, "records"), {})!;
    expect(load).toMatchObject({ recordsPerSecond: 1, rateFrom: "trace" });
  });

  it("lets --record-size replace the trace's sizes, and leaves a key file's load as it was", () => {
    const keySet = traceKeySet(trace, "records");
    const load = labLoad(keySet, { recordsPerSecond: 8, recordSizeBytes: 100 })!;
    expect(load).toMatchObject({ recordsPerSecond: 8, recordSizeBytes: 100, sizeFrom: "flag" });
    expect([...keyRates(keySet, Int32Array.from([0, 0]), load)!.bytes]).toEqual([200, 600]);
    const file: KeySet = { keys: ["x"], weights: Float64Array.from([1]), source: "f", skipped: [] };
    expect(labLoad(file, { rate: { kind: "bytes", bytesPerSecond: 2048 } })).toEqual({ recordsPerSecond: 2, recordSizeBytes: 1024 });
    expect(labLoad(file, {})).toBeNull();
  });
});
