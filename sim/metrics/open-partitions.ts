// Partitions that open or close inside a report interval (a reshard's parents and children) count for
// the part of it they were open, and share its writes with the partitions open beside them then, not
// with every partition open in any part of it. Kafka partitions are open throughout: 1/n.

import type { PartitionResult } from "./system-result.ts";

type OpenSpan = Pick<PartitionResult, "openedUs" | "closedUs">;

/** Microseconds of [startUs, stopUs) the partition was open (took writes). */
export function openUsWithin(partition: OpenSpan, startUs: number, stopUs: number): number {
  const fromUs = Math.max(startUs, partition.openedUs);
  const toUs = Math.min(stopUs, partition.closedUs ?? stopUs);
  return Math.max(0, toUs - fromUs);
}

/**
 * Each partition's fair part of `total` records (or bytes) written in [startUs, stopUs): the writes
 * taken as steady over the interval's open time and, at every instant, split evenly among the
 * partitions open then. Parents that closed 2 s into an interval fairly took 2 s of the writes over
 * their own count; the children the other 58 s over theirs. The parts add up to `total` when any
 * partition was open. With no open or close inside the interval each open one's part is total / n.
 */
export function fairDemandWithin(partitions: readonly OpenSpan[], startUs: number, stopUs: number, total: number): Float64Array {
  const fair = new Float64Array(partitions.length);
  const cuts = [startUs, stopUs];
  for (const partition of partitions) {
    if (partition.openedUs > startUs && partition.openedUs < stopUs) cuts.push(partition.openedUs);
    if (partition.closedUs !== null && partition.closedUs > startUs && partition.closedUs < stopUs) cuts.push(partition.closedUs);
  }
  const bounds = [...new Set(cuts)].sort((a, b) => a - b);
  const open = (partition: OpenSpan, fromUs: number, toUs: number) => partition.openedUs <= fromUs && (partition.closedUs === null || partition.closedUs >= toUs);
  let coveredUs = 0;
  const counts: number[] = [];
  for (let s = 0; s + 1 < bounds.length; s++) {
    let count = 0;
    for (const partition of partitions) if (open(partition, bounds[s], bounds[s + 1])) count++;
    counts.push(count);
    if (count > 0) coveredUs += bounds[s + 1] - bounds[s];
  }
  if (coveredUs === 0) return fair;
  for (let s = 0; s + 1 < bounds.length; s++) {
    if (counts[s] === 0) continue;
    // (total x the segment's part of the open time) / the partitions open in it: total / n for a steady interval.
    const segmentFair = (total * ((bounds[s + 1] - bounds[s]) / coveredUs)) / counts[s];
    partitions.forEach((partition, index) => {
      if (open(partition, bounds[s], bounds[s + 1])) fair[index] += segmentFair;
    });
  }
  return fair;
}
