// The key space of a trace: its distinct keys in first-appearance order (index i), and with scale
// above 1 their twins: index c * n + i is twin c of key i (twinKey), so copies never share a key.

import assert from "node:assert/strict";
import type { KeySpace } from "../keys/index.ts";
import { twinKey } from "./replay.ts";

export function traceKeys(opts: { path: string; keys: readonly string[]; counts: Float64Array; copies: number }): KeySpace {
  const { path, keys, counts, copies } = opts;
  const n = keys.length;
  assert(n >= 1 && counts.length === n && Number.isInteger(copies) && copies >= 1, "trace keys need keys, their counts and copies >= 1");
  let total = 0;
  for (let i = 0; i < n; i++) total += counts[i];
  const cardinality = n * copies;
  const check = (index: number) => assert(Number.isInteger(index) && index >= 0 && index < cardinality, `key index ${index} outside [0, ${cardinality})`);
  return {
    cardinality,
    description: `trace(${JSON.stringify(path)}, keys=${n}${copies > 1 ? `, copies=${copies}` : ""})`,
    sample: () => {
      throw new Error("trace keys are read from the trace, not drawn");
    },
    keyAt(index) {
      check(index);
      return twinKey(keys[index % n], Math.floor(index / n));
    },
    probability(index) {
      check(index);
      return counts[index % n] / total / copies;
    },
  };
}
