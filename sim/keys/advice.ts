// Shard-count advice: the smallest N whose CreateStream ranges keep every shard at or below 80% of
// its write limit (docs/reference.md §1.1) for this key distribution and rate.
//
// Method: keys sorted by hash once, with prefix sums of records/s and bytes/s; a shard's load for
// any N is then a difference of prefix sums between two binary searches (exact BigInt bounds
// i·floor(2^128/N), as evenHashRanges). Counts are checked one by one upward from the lower bound
// max(total records / 800, total bytes / (0.8 MiB)): no smaller N can fit the total, but above it
// feasibility is not monotonic in N (a split can move two hot keys onto one shard), so the first
// count that fits is the answer and bisection would be wrong.
//
// When a key alone needs more than 80% of a shard no N fits, so the advice falls back: the same scan
// for every other key (the hot keys' traffic left out), and for each hot key what would bring it under
// 80%: a random suffix with k buckets (k = its utilization over 80%, rounded up: each bucket then
// carries 1/k of it) or, when its records/s and not its bytes are over, KPL aggregation, which packs
// its records into up to 51,200-byte aggregates and so leaves its bytes as the only limit
// (docs/reference.md §1.7; the few framing bytes per record it adds are left out).

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

/** A key that alone needs more than 80% of a shard, and what would bring it under. */
export interface HotKey {
  keyIndex: number;
  /** Its share of one shard's write limit: the larger of its records and bytes ratios. */
  utilization: number;
  recordsUtilization: number;
  bytesUtilization: number;
  /** Random-suffix buckets that bring each part to at most 80%. */
  suffixBuckets: number;
  /** Whether KPL aggregation alone brings it under 80%: its records are over, its bytes are not. */
  aggregationFits: boolean;
}

export type CountAdvice =
  | { kind: "found"; fromShardCount: number; shardCount: number; peakUtilization: number; worseAbove: number[] }
  | { kind: "search-limit"; fromShardCount: number; searchedUpTo: number };

export type Advice =
  | CountAdvice
  | {
      kind: "hot-key";
      fromShardCount: number;
      /** The hottest key and its utilization (the first of hotKeys). */
      keyIndex: number;
      utilization: number;
      /** Every key over 80% of a shard, hottest first. */
      hotKeys: HotKey[];
      /** The advice for every other key; null when the hot keys carry all the traffic. */
      others: CountAdvice | null;
    };

type Rates = { records: Float64Array; bytes: Float64Array };

export function adviseShardCount(hashes: KeyHashes, rates: Rates): Advice {
  const hotKeys = hotKeysOf(rates);
  if (hotKeys.length === 0) return scanCounts(hashes, rates);
  const others: Rates = { records: rates.records.slice(), bytes: rates.bytes.slice() };
  for (const hot of hotKeys) {
    others.records[hot.keyIndex] = 0;
    others.bytes[hot.keyIndex] = 0;
  }
  const everyOtherIdle = others.records.every((value) => value === 0);
  const { fromShardCount } = prefixSums(hashes, rates);
  return { kind: "hot-key", fromShardCount, keyIndex: hotKeys[0].keyIndex, utilization: hotKeys[0].utilization, hotKeys, others: everyOtherIdle ? null : scanCounts(hashes, others) };
}

/** Keys whose own load exceeds 80% of a shard, hottest first (ties by key index). */
function hotKeysOf(rates: Rates): HotKey[] {
  const hot: HotKey[] = [];
  for (let key = 0; key < rates.records.length; key++) {
    const utilization = shardUtilization(rates.records[key], rates.bytes[key]);
    if (utilization <= ADVICE_UTILIZATION_MAX + TOLERANCE) continue;
    const recordsUtilization = rates.records[key] / shardWriteRecordsPerSecond;
    const bytesUtilization = rates.bytes[key] / shardWriteBytesPerSecond;
    const suffixBuckets = Math.ceil(utilization / ADVICE_UTILIZATION_MAX - TOLERANCE);
    hot.push({ keyIndex: key, utilization, recordsUtilization, bytesUtilization, suffixBuckets, aggregationFits: bytesUtilization <= ADVICE_UTILIZATION_MAX + TOLERANCE });
  }
  return hot.sort((a, b) => b.utilization - a.utilization || a.keyIndex - b.keyIndex);
}

function prefixSums(hashes: KeyHashes, rates: Rates) {
  const { byHash } = hashes;
  const prefixRecords = new Float64Array(byHash.length + 1);
  const prefixBytes = new Float64Array(byHash.length + 1);
  for (let j = 0; j < byHash.length; j++) {
    const key = byHash[j];
    prefixRecords[j + 1] = prefixRecords[j] + rates.records[key];
    prefixBytes[j + 1] = prefixBytes[j] + rates.bytes[key];
  }
  const fromShardCount = Math.max(
    1,
    Math.ceil(prefixRecords[byHash.length] / (ADVICE_UTILIZATION_MAX * shardWriteRecordsPerSecond) - TOLERANCE),
    Math.ceil(prefixBytes[byHash.length] / (ADVICE_UTILIZATION_MAX * shardWriteBytesPerSecond) - TOLERANCE),
  );
  return { prefixRecords, prefixBytes, fromShardCount };
}

/** The upward scan of shard counts, for a load in which no key alone is over 80%. */
function scanCounts(hashes: KeyHashes, rates: Rates): CountAdvice {
  const { prefixRecords, prefixBytes, fromShardCount } = prefixSums(hashes, rates);
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
