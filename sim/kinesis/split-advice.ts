// Where to split a hot shard: the NewStartingHashKey that best balances its busy keys (SplitShard,
// docs/reference.md §1.4). SplitShard gives the lower child [start, K-1] and the upper child [K, end],
// with start + 1 < K < end. The keys on the shard, sorted by their 128-bit MD5 hash key, are cut
// between two adjacent ones; each gap is tried at both ends (just above the lower key, and at the
// upper key), and the cut whose busier half has the lower write utilization wins (ties: the lower
// key). Load that no key explains (keys not counted, random explicit hash keys) is spread evenly
// over the hash range, as MD5 spreads keys. Shared by the run's hot-shard finding and the key lab.

import type { HashRange } from "./hash.ts";
import { shardWriteBytesPerSecond, shardWriteRecordsPerSecond } from "./limits.ts";

/** One key on the shard and its load, in records and bytes per second at the load being judged. */
export interface KeyOnRange {
  readonly key: string;
  readonly hash: bigint;
  readonly recordsPerSecond: number;
  readonly bytesPerSecond: number;
}

export interface HalfLoad {
  readonly recordsPerSecond: number;
  readonly bytesPerSecond: number;
  /** The larger of bytes / 1 MiB/s and records / 1,000 per s (docs/reference.md §1.1). */
  readonly utilization: number;
  /** Its busiest key, or null when no counted key falls in it. */
  readonly busiestKey: string | null;
}

export interface SplitPoint {
  readonly newStartingHashKey: bigint;
  readonly lower: HalfLoad;
  readonly upper: HalfLoad;
}

/** Utilization of a shard's write limit: the larger of the bytes and records ratios. */
export function writeUtilizationOf(recordsPerSecond: number, bytesPerSecond: number): number {
  return Math.max(bytesPerSecond / shardWriteBytesPerSecond, recordsPerSecond / shardWriteRecordsPerSecond);
}

/**
 * The best single split of `range`, or null when fewer than two keys sit on it (no boundary between
 * busy keys exists) or no cut between them satisfies SplitShard's rule. `keys` must lie in the range;
 * `spread` is load not tied to a key, spread evenly over the range.
 */
export function bestSplit(range: HashRange, keys: readonly KeyOnRange[], spread: { recordsPerSecond: number; bytesPerSecond: number }): SplitPoint | null {
  const sorted = [...keys].sort((a, b) => (a.hash < b.hash ? -1 : a.hash > b.hash ? 1 : a.key < b.key ? -1 : 1));
  for (const key of sorted) if (key.hash < range.start || key.hash > range.end) throw new RangeError(`bestSplit: key ${key.key} is outside the range`);
  const width = Number(range.end - range.start + 1n);
  let keysRecords = 0;
  let keysBytes = 0;
  for (const key of sorted) {
    keysRecords += key.recordsPerSecond;
    keysBytes += key.bytesPerSecond;
  }
  let best: { cut: bigint; at: number; peak: number } | null = null;
  let belowRecords = 0;
  let belowBytes = 0;
  for (let j = 1; j < sorted.length; j++) {
    belowRecords += sorted[j - 1].recordsPerSecond;
    belowBytes += sorted[j - 1].bytesPerSecond;
    if (sorted[j].hash === sorted[j - 1].hash) continue;
    for (const cut of [sorted[j - 1].hash + 1n, sorted[j].hash]) {
      if (!(cut > range.start + 1n && cut < range.end)) continue;
      const lowerShare = Number(cut - range.start) / width;
      const lowerRecords = belowRecords + spread.recordsPerSecond * lowerShare;
      const lowerBytes = belowBytes + spread.bytesPerSecond * lowerShare;
      const peak = Math.max(
        writeUtilizationOf(lowerRecords, lowerBytes),
        writeUtilizationOf(keysRecords + spread.recordsPerSecond - lowerRecords, keysBytes + spread.bytesPerSecond - lowerBytes),
      );
      if (best === null || peak < best.peak) best = { cut, at: j, peak };
    }
  }
  if (best === null) return null;
  const lowerShare = Number(best.cut - range.start) / width;
  return {
    newStartingHashKey: best.cut,
    lower: halfLoad(sorted.slice(0, best.at), { recordsPerSecond: spread.recordsPerSecond * lowerShare, bytesPerSecond: spread.bytesPerSecond * lowerShare }),
    upper: halfLoad(sorted.slice(best.at), { recordsPerSecond: spread.recordsPerSecond * (1 - lowerShare), bytesPerSecond: spread.bytesPerSecond * (1 - lowerShare) }),
  };
}

function halfLoad(keys: readonly KeyOnRange[], spread: { recordsPerSecond: number; bytesPerSecond: number }): HalfLoad {
  let recordsPerSecond = spread.recordsPerSecond;
  let bytesPerSecond = spread.bytesPerSecond;
  let busiest: KeyOnRange | null = null;
  for (const key of keys) {
    recordsPerSecond += key.recordsPerSecond;
    bytesPerSecond += key.bytesPerSecond;
    if (busiest === null || key.recordsPerSecond > busiest.recordsPerSecond) busiest = key;
  }
  return { recordsPerSecond, bytesPerSecond, utilization: writeUtilizationOf(recordsPerSecond, bytesPerSecond), busiestKey: busiest?.key ?? null };
}

/** A timeline entry that applies the split, ready to paste under a scenario's `timeline:`. */
export function splitTimelineEntry(system: string, shardIndex: number, atSeconds: number, newStartingHashKey: bigint): string {
  return `- { at: ${atSeconds}s, system: ${system}, action: split-shard, shard: ${shardIndex}, newStartingHashKey: "${newStartingHashKey}" }`;
}
