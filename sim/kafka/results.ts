// Per-partition results. A partition has no write limit of its own: its write utilization is its part
// of its leader broker's utilization (its busiest resource's work over time per report interval), the
// broker's utilization split over the partitions it leads by the bytes each took in, so a partition's
// row shows its own load and the rows of one broker add up to that broker's utilization.

import type { PartitionResult } from "../metrics/index.ts";
import type { Broker } from "./broker.ts";
import type { Partition } from "./partition.ts";
import type { KafkaProducerClient } from "./producer.ts";
import { busiestIndexes } from "../workload/index.ts";

const candidateKeysMax = 1000;
const topKeysPerPartition = 5;

/** Busy fraction of each of a broker's resources per report interval, by brokerResources index. */
export function resourceUtilization(broker: Broker): Float64Array[] {
  return broker.busyUs.map((busy) => {
    const utilization = new Float64Array(busy.intervalCount);
    for (let i = 0; i < utilization.length; i++) utilization[i] = busy.sumAt(i) / busy.durationUsAt(i);
    return utilization;
  });
}

/** Busy fraction of a broker's busiest resource per report interval (the resource that binds). */
export function brokerUtilization(broker: Broker): Float64Array {
  const [first, ...rest] = resourceUtilization(broker);
  const utilization = Float64Array.from(first);
  for (const series of rest) for (let i = 0; i < utilization.length; i++) utilization[i] = Math.max(utilization[i], series[i]);
  return utilization;
}

export function kafkaPartitionResults(partitions: Partition[], brokers: Broker[], producers: KafkaProducerClient[]): PartitionResult[] {
  const utilizationOf = brokers.map(brokerUtilization);
  const keys = busiestKeysByPartition(partitions.length, producers);
  // An offline partition (no leader at the end) is shown with its preferred leader's broker.
  const leaderOf = partitions.map((partition) => (partition.leader >= 0 ? partition.leader : partition.replicas[0]));
  const utilizations = partitionUtilizations(partitions, leaderOf, utilizationOf);
  return partitions.map((partition, index) => {
    const utilization = utilizations[index];
    const peak = utilization.reduce((max, value) => Math.max(max, value), 0);
    return {
      id: partition.id,
      acceptedRecords: partition.acceptedRecords,
      acceptedBytes: partition.acceptedBytes,
      throttledAttempts: partition.failedAttempts,
      // A broker's measured work includes every attempt it served: demand and attempts are one figure.
      peakWriteUtilization: peak,
      peakAttemptUtilization: peak,
      openedUs: 0,
      closedUs: null,
      series: partition.series,
      writeUtilization: utilization,
      attemptUtilization: utilization,
      topKeys: keys.get(partition.index) ?? [],
    };
  });
}

/**
 * Each partition's part of its leader broker's utilization per report interval: the broker's share
 * times the partition's part of the bytes written to the partitions that broker leads (an interval in
 * which they took nothing splits evenly). Leadership is taken as at the end of the run.
 */
function partitionUtilizations(partitions: Partition[], leaderOf: number[], utilizationOf: Float64Array[]): Float64Array[] {
  const intervalCount = utilizationOf[0]?.length ?? 0;
  const ledBytes = utilizationOf.map(() => new Float64Array(intervalCount));
  const ledCount = utilizationOf.map(() => 0);
  partitions.forEach((partition, index) => {
    ledCount[leaderOf[index]]++;
    for (let i = 0; i < intervalCount; i++) ledBytes[leaderOf[index]][i] += partition.series.demandBytes.sumAt(i);
  });
  return partitions.map((partition, index) => {
    const broker = leaderOf[index];
    const utilization = new Float64Array(intervalCount);
    for (let i = 0; i < intervalCount; i++) {
      const part = ledBytes[broker][i] > 0 ? partition.series.demandBytes.sumAt(i) / ledBytes[broker][i] : 1 / ledCount[broker];
      utilization[i] = utilizationOf[broker][i] * part;
    }
    return utilization;
  });
}

function busiestKeysByPartition(partitionCount: number, producers: KafkaProducerClient[]): Map<number, Array<{ key: string; records: number }>> {
  const byPartition = new Map<number, Array<{ key: string; records: number }>>();
  for (const producer of producers) {
    const counts = producer.offeredPerKey;
    if (counts === null) continue;
    for (const keyIndex of busiestIndexes(counts, candidateKeysMax)) {
      const key = producer.workload.keys.keyAt(keyIndex);
      const partition = producer.partitionForKey(key, partitionCount);
      const list = byPartition.get(partition) ?? [];
      list.push({ key, records: counts[keyIndex] });
      byPartition.set(partition, list);
    }
  }
  for (const [index, list] of byPartition) byPartition.set(index, list.sort((a, b) => b.records - a.records).slice(0, topKeysPerPartition));
  return byPartition;
}
