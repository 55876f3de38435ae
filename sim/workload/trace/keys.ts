// The key space of a trace: its distinct keys in first-appearance order (index i), and with scale
// above 1 their twins: index c * n + i is twin c of key i (twinKey), so copies never share a key.

import assert from "node:assert/strict";
import type { KeySpace } from "../keys/index.ts";
import { twinKey } from "./replay.ts";

export interface TraceKeysOptions {
  path: string;
  keys: readonly string[];
  counts: Float64Array;
  copies: number;
  /** Explicit hash key of each entry ("" none); copies route by their twin key instead. */
  hashKeys?: readonly string[] | null;
  /** Message group of each entry; copy j's group is the twin GROUP#j. */
  groups?: readonly string[] | null;
}

export function traceKeys(opts: TraceKeysOptions): KeySpace {
  const { path, keys, counts, copies } = opts;
  const hashKeys = opts.hashKeys ?? null;
  const groups = opts.groups ?? null;
  const n = keys.length;
  assert(n >= 1 && counts.length === n && Number.isInteger(copies) && copies >= 1, "trace keys need keys, their counts and copies >= 1");
  let total = 0;
  for (let i = 0; i < n; i++) total += counts[i];
  const cardinality = n * copies;
  const check = (index: number) => assert(Number.isInteger(index) && index >= 0 && index < cardinality, `key index ${index} outside [0, ${cardinality})`);
  const parsed = hashKeys === null ? null : new Array<bigint | null | undefined>(n);
  const space: KeySpace = {
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
  if (hashKeys !== null && parsed !== null) {
    space.hashKeyAt = (index) => {
      check(index);
      if (index >= n) return null;
      let hash = parsed[index];
      if (hash === undefined) {
        hash = hashKeys[index] === "" ? null : BigInt(hashKeys[index]);
        parsed[index] = hash;
      }
      return hash;
    };
  }
  if (groups !== null) {
    space.groupAt = (index) => {
      check(index);
      return twinKey(groups[index % n], Math.floor(index / n));
    };
  }
  return space;
}
