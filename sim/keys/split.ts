// Split advice in the key lab: for each Kinesis shard over its write limit at the given load, the
// NewStartingHashKey between two adjacent keys (in MD5 hash order) that best balances it
// (sim/kinesis/split-advice.ts, the same rule as the run's hot-shard finding), or, when its busiest
// key alone is over the limit, that no split helps. The lab knows every key's rate, so nothing is
// spread evenly here.

import { evenHashRanges } from "../kinesis/hash.ts";
import { bestSplit, type SplitPoint } from "../kinesis/split-advice.ts";
import type { KeyHashes } from "./hashing.ts";
import type { KeySet } from "./input.ts";
import { shardUtilization } from "./spread.ts";

export type ShardSplit =
  | { readonly kind: "split"; readonly shardIndex: number; readonly utilization: number; readonly point: SplitPoint; readonly fits: boolean }
  | { readonly kind: "single-key"; readonly shardIndex: number; readonly utilization: number; readonly key: string; readonly keyUtilization: number }
  | { readonly kind: "no-cut"; readonly shardIndex: number; readonly utilization: number };

type Rates = { records: Float64Array; bytes: Float64Array };

/** Shards over 100% of their write limit, hottest first (ties: lower index), each with its split or why none helps. */
export function shardSplits(keySet: KeySet, hashes: KeyHashes, shardOfKey: Int32Array, shardCount: number, rates: Rates): ShardSplit[] {
  const records = new Float64Array(shardCount);
  const bytes = new Float64Array(shardCount);
  for (let i = 0; i < shardOfKey.length; i++) {
    records[shardOfKey[i]] += rates.records[i];
    bytes[shardOfKey[i]] += rates.bytes[i];
  }
  const over: number[] = [];
  for (let s = 0; s < shardCount; s++) if (shardUtilization(records[s], bytes[s]) > 1) over.push(s);
  over.sort((a, b) => shardUtilization(records[b], bytes[b]) - shardUtilization(records[a], bytes[a]) || a - b);
  if (over.length === 0) return [];
  const ranges = evenHashRanges(shardCount);
  return over.map((shardIndex) => splitOf(shardIndex, ranges[shardIndex], shardUtilization(records[shardIndex], bytes[shardIndex]), keySet, hashes, shardOfKey, rates));
}

function splitOf(shardIndex: number, range: { start: bigint; end: bigint }, utilization: number, keySet: KeySet, hashes: KeyHashes, shardOfKey: Int32Array, rates: Rates): ShardSplit {
  const keys: Array<{ key: string; hash: bigint; recordsPerSecond: number; bytesPerSecond: number }> = [];
  let busiest = -1;
  for (let i = 0; i < shardOfKey.length; i++) {
    if (shardOfKey[i] !== shardIndex || rates.records[i] === 0) continue;
    keys.push({ key: keySet.keys[i], hash: hashes.kinesisHashes[i], recordsPerSecond: rates.records[i], bytesPerSecond: rates.bytes[i] });
    if (busiest < 0 || shardUtilization(rates.records[i], rates.bytes[i]) > shardUtilization(rates.records[busiest], rates.bytes[busiest])) busiest = i;
  }
  const keyUtilization = busiest < 0 ? 0 : shardUtilization(rates.records[busiest], rates.bytes[busiest]);
  if (keyUtilization > 1) return { kind: "single-key", shardIndex, utilization, key: keySet.keys[busiest], keyUtilization };
  const point = bestSplit(range, keys, { recordsPerSecond: 0, bytesPerSecond: 0 });
  if (point === null) return { kind: "no-cut", shardIndex, utilization };
  return { kind: "split", shardIndex, utilization, point, fits: Math.max(point.lower.utilization, point.upper.utilization) <= 1 };
}
