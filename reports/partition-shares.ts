// A partition's load as a share of its system's writes (the records producers sent it, first attempts:
// what the keys ask of it, before throttling cuts a hot shard's accepted share), for every kind of partition but meant for
// Kafka's: a Kafka partition has no write limit of its own (its leader broker has), so its load is its
// share of the records written against the fair share 1/n. "events-6 took 19.9% of the records, 2.4x
// its fair share" says what the heatmap's darkest Kafka row says; a part of the leader broker's
// utilization (peakWriteUtilization) stays low on a lightly loaded cluster whatever the skew.
//
// The fair share is what the partition would have taken had each report interval's records been
// spread evenly over the partitions open at each instant of it: 1/n for a fixed set, and, where shards
// opened or closed during the run, each one's own (a shard open half the run has half the fair share of
// one open all along; a parent closed 2 s into an interval shares those 2 s with its fellow parents
// only). Used by summary.json (and so the hottest table of summary.md and report.html), the sweep's
// headline metrics and the traffic-share chart.

import { fairDemandWithin, type CounterSeries, type PartitionResult } from "../sim/metrics/index.ts";

export interface PartitionShare {
  /** The partition's part of the records its system's producers sent (first attempts), 0..1. */
  shareOfWrites: number;
  /** shareOfWrites over the fair share: 1 = an even split, 2.4 = 2.4 times its part. */
  fairShareRatio: number;
}

/** Each partition's share of the records sent (first attempts) and that share over its fair share, by partition id. */
export function partitionShares(partitions: readonly PartitionResult[]): Map<string, PartitionShare> {
  const sent = (partition: PartitionResult) => partition.series.demandRecords;
  const total = partitions.reduce((sum, partition) => sum + sent(partition).total, 0);
  const fair = fairShares(partitions, sent);
  return new Map(
    partitions.map((partition) => {
      const share = total > 0 ? sent(partition).total / total : 0;
      const fairShare = fair.get(partition.id) ?? 0;
      return [partition.id, { shareOfWrites: share, fairShareRatio: fairShare > 0 ? share / fairShare : 0 }];
    }),
  );
}

/**
 * Each partition's fair share of the records `series` counts: every interval's records spread evenly
 * over the partitions open at each instant, each counted for the part of the interval it was open
 * (fairDemandWithin), summed over the run, over all the records. 1/n when the same n partitions were
 * open throughout.
 */
export function fairShares(partitions: readonly PartitionResult[], series: (partition: PartitionResult) => CounterSeries): Map<string, number> {
  const fair = new Map(partitions.map((partition) => [partition.id, 0]));
  const intervals = partitions[0] === undefined ? undefined : series(partitions[0]);
  if (intervals === undefined) return fair;
  let total = 0;
  for (let i = 0; i < intervals.intervalCount; i++) {
    const startUs = intervals.startUsAt(i);
    const sent = partitions.reduce((sum, partition) => sum + series(partition).sumAt(i), 0);
    total += sent;
    const parts = fairDemandWithin(partitions, startUs, startUs + intervals.durationUsAt(i), sent);
    partitions.forEach((partition, index) => fair.set(partition.id, fair.get(partition.id)! + parts[index]));
  }
  for (const [id, records] of fair) fair.set(id, total > 0 ? records / total : 1 / partitions.length);
  return fair;
}
