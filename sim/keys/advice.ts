// Shard-count advice: the smallest N whose CreateStream ranges keep every shard at or below 80% of
// its write limit (docs/reference.md §1.1) for this key distribution and rate.
//
// Method: keys sorted by hash once, with prefix sums of records/s and bytes/s; a shard's load for
// any N is then a difference of prefix sums between two binary searches (exact BigInt bounds
// i·floor(2^128/N), as evenHashRanges). Counts are checked one by one upward from the lower bound
// max(total records / 800, total bytes / (0.8 MiB)): no smaller N can fit the total, but above it
// feasibility is not monotonic in N (a split can move two hot keys onto one shard), so the first
// count that fits is the answer and bisection would be wrong.

import { shardsPerStreamMax, shardWriteBytesPerSecond, shardWriteRecordsPerSecond } from "../kinesis/limits.ts";
import type { KeyHashes } from "./hashing.ts";
import { shardUtilization } from "./spread.ts";

export const ADVICE_UTILIZATION_MAX = 0.8;
/** Shard checks (one binary search each) the scan may spend before it gives up. */
export const ADVICE_SHARD_CHECKS_MAX = 4_000_000;
/** Counts above the advice checked for non-monotonicity. */
const ABOVE_CHECKED = 20;
// Prefix sums carry rounding of ~1e-16 relative; a shard exactly at 80% must not flip on it.
const TOLERANCE = 1e-9;

export type Advice =
  | { kind: "found"; fromShardCount: number; shardCount: number; peakUtilization: number; worseAbove: number[] }
  | { kind: "hot-key"; fromShardCount: number; keyIndex: number; utilization: number }
  | { kind: "search-limit"; fromShardCount: number; searchedUpTo: number };

export function adviseShardCount(hashes: KeyHashes, rates: { records: Float64Array; bytes: Float64Array }): Advice {
  const { byHash } = hashes;
  const prefixRecords = new Float64Array(byHash.length + 1);
  const prefixBytes = new Float64Array(byHash.length + 1);
  let hotKey = -1;
  let hotUtilization = 0;
  for (let j = 0; j < byHash.length; j++) {
    const key = byHash[j];
    prefixRecords[j + 1] = prefixRecords[j] + rates.records[key];
    prefixBytes[j + 1] = prefixBytes[j] + rates.bytes[key];
    const utilization = shardUtilization(rates.records[key], rates.bytes[key]);
    if (utilization > hotUtilization || (utilization === hotUtilization && key < hotKey)) {
      hotKey = key;
      hotUtilization = utilization;
    }
  }
  const totalRecords = prefixRecords[byHash.length];
  const totalBytes = prefixBytes[byHash.length];
  const fromShardCount = Math.max(
    1,
    Math.ceil(totalRecords / (ADVICE_UTILIZATION_MAX * shardWriteRecordsPerSecond) - TOLERANCE),
    Math.ceil(totalBytes / (ADVICE_UTILIZATION_MAX * shardWriteBytesPerSecond) - TOLERANCE),
  );
  if (hotUtilization > ADVICE_UTILIZATION_MAX + TOLERANCE) return { kind: "hot-key", fromShardCount, keyIndex: hotKey, utilization: hotUtilization };
  const check = (shardCount: number): number | null => peakIfFits(hashes, prefixRecords, prefixBytes, shardCount);
  let checks = 0;
  for (let n = fromShardCount; n <= shardsPerStreamMax; n++) {
    if (checks + n > ADVICE_SHARD_CHECKS_MAX) return { kind: "search-limit", fromShardCount, searchedUpTo: n - 1 };
    checks += n;
    const peak = check(n);
    if (peak === null) continue;
    const worseAbove: number[] = [];
    for (let m = n + 1; m <= Math.min(n + ABOVE_CHECKED, shardsPerStreamMax); m++) if (check(m) === null) worseAbove.push(m);
    return { kind: "found", fromShardCount, shardCount: n, peakUtilization: peak, worseAbove };
  }
  return { kind: "search-limit", fromShardCount, searchedUpTo: shardsPerStreamMax };
}

/** The peak shard utilization with N even shards if every shard is at or below 80%, else null (stops at the first shard over). */
function peakIfFits(hashes: KeyHashes, prefixRecords: Float64Array, prefixBytes: Float64Array, shardCount: number): number | null {
  const step = (1n << 128n) / BigInt(shardCount);
  let start = 0;
  let peak = 0;
  for (let i = 1; i <= shardCount; i++) {
    const end = i === shardCount ? hashes.byHash.length : firstAtOrAbove(hashes, BigInt(i) * step, start);
    const utilization = shardUtilization(prefixRecords[end] - prefixRecords[start], prefixBytes[end] - prefixBytes[start]);
    if (utilization > ADVICE_UTILIZATION_MAX + TOLERANCE) return null;
    peak = Math.max(peak, utilization);
    start = end;
  }
  return peak;
}

/** First position (from `from`) in hash order whose hash is >= bound. */
function firstAtOrAbove(hashes: KeyHashes, bound: bigint, from: number): number {
  const { byHash, kinesisHashes } = hashes;
  let low = from;
  let high = byHash.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (kinesisHashes[byHash[middle]] < bound) low = middle + 1;
    else high = middle;
  }
  return low;
}
