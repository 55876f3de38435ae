// The split advice of a hot-shard finding: the shard's keys (with their counts over the run) set at
// the shard's peak demand, then the best NewStartingHashKey (split-advice.ts). A key's share of the
// shard's records is taken as its share of the shard's bytes too (records of one shard's keys are
// taken as alike in size), so each half's peak utilization is its share times the shard's peak
// bytes or records rate, whichever ratio is larger: the same ratio the finding reports for the shard.

import type { CounterSeries, PartitionResult } from "../metrics/index.ts";
import type { HashRange } from "./hash.ts";
import { bestSplit, splitTimelineEntry, type SplitPoint } from "./split-advice.ts";
import type { RangeKeyCounter } from "./split-keys.ts";

export interface SplitContext {
  readonly systemName: string;
  readonly keyCounts: RangeKeyCounter;
  /** The shard's index and hash range, by shard id. */
  readonly shardOf: (id: string) => { index: number; range: HashRange } | undefined;
}

export interface HotShardSplit {
  readonly point: SplitPoint;
  /** Both halves at or below 100% of the write limit at the shard's peak demand. */
  readonly fits: boolean;
  readonly timelineEntry: string;
}

/** Null for a shard closed before the end (nothing left to split) or with fewer than two keys on it. */
export function hotShardSplit(partition: PartitionResult, context: SplitContext): HotShardSplit | null {
  const shard = context.shardOf(partition.id);
  if (shard === undefined || partition.closedUs !== null) return null;
  const counts = context.keyCounts(shard.range);
  let totalRecords = counts.spreadRecords;
  for (const entry of counts.keys) totalRecords += entry.records;
  if (totalRecords === 0) return null;
  const recordsPeak = peakRate(partition.series.demandRecords, partition);
  const bytesPeak = peakRate(partition.series.demandBytes, partition);
  const keys = counts.keys.map((entry) => ({
    key: entry.key,
    hash: entry.hash,
    recordsPerSecond: (entry.records / totalRecords) * recordsPeak,
    bytesPerSecond: (entry.records / totalRecords) * bytesPeak,
  }));
  const spreadShare = counts.spreadRecords / totalRecords;
  const point = bestSplit(shard.range, keys, { recordsPerSecond: spreadShare * recordsPeak, bytesPerSecond: spreadShare * bytesPeak });
  if (point === null) return null;
  // A shard created during the run can be split from the second after it opened (its stream UPDATING until then).
  const atSeconds = partition.openedUs === 0 ? 0 : Math.ceil(partition.openedUs / 1e6) + 1;
  return {
    point,
    fits: Math.max(point.lower.utilization, point.upper.utilization) <= 1,
    timelineEntry: splitTimelineEntry(context.systemName, shard.index, atSeconds, point.newStartingHashKey),
  };
}

/** The largest per-second rate over report intervals, over the part of each the shard was open. */
function peakRate(series: CounterSeries, partition: PartitionResult): number {
  let peak = 0;
  for (let i = 0; i < series.intervalCount; i++) {
    const startUs = Math.max(series.startUsAt(i), partition.openedUs);
    const stopUs = Math.min(series.startUsAt(i) + series.durationUsAt(i), partition.closedUs ?? series.startUsAt(i) + series.durationUsAt(i));
    if (stopUs <= startUs) continue;
    peak = Math.max(peak, series.sumAt(i) / ((stopUs - startUs) / 1e6));
  }
  return peak;
}
