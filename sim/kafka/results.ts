// Per-partition results. A partition has no write limit of its own: its write utilization is its
// leader broker's (work over time per report interval), so a hot partition shows where its broker runs hot.

import type { PartitionResult } from "../metrics/index.ts";
import type { Broker } from "./broker.ts";
import type { Partition } from "./partition.ts";
import { partitionForKey } from "./partitioner.ts";
import type { KafkaProducerClient } from "./producer.ts";
import { busiestIndexes } from "../workload/index.ts";

const candidateKeysMax = 1000;
const topKeysPerPartition = 5;

/** Busy fraction of a broker per report interval. */
export function brokerUtilization(broker: Broker): Float64Array {
  const busy = broker.busyUs;
  const utilization = new Float64Array(busy.intervalCount);
  for (let i = 0; i < utilization.length; i++) utilization[i] = busy.sumAt(i) / busy.durationUsAt(i);
  return utilization;
}

export function kafkaPartitionResults(partitions: Partition[], brokers: Broker[], producers: KafkaProducerClient[]): PartitionResult[] {
  const utilizationOf = brokers.map(brokerUtilization);
  const keys = busiestKeysByPartition(partitions.length, producers);
  return partitions.map((partition) => {
    // An offline partition (no leader at the end) is shown with its preferred leader's broker.
    const utilization = utilizationOf[partition.leader >= 0 ? partition.leader : partition.replicas[0]];
    return {
      id: partition.id,
      acceptedRecords: partition.acceptedRecords,
      acceptedBytes: partition.acceptedBytes,
      throttledAttempts: partition.failedAttempts,
      peakWriteUtilization: utilization.reduce((max, value) => Math.max(max, value), 0),
      openedUs: 0,
      closedUs: null,
      series: partition.series,
      writeUtilization: utilization,
      topKeys: keys.get(partition.index) ?? [],
    };
  });
}

function busiestKeysByPartition(partitionCount: number, producers: KafkaProducerClient[]): Map<number, Array<{ key: string; records: number }>> {
  const byPartition = new Map<number, Array<{ key: string; records: number }>>();
  for (const producer of producers) {
    const counts = producer.offeredPerKey;
    if (counts === null) continue;
    for (const keyIndex of busiestIndexes(counts, candidateKeysMax)) {
      const key = producer.workload.keys.keyAt(keyIndex);
      const partition = partitionForKey(key, partitionCount);
      const list = byPartition.get(partition) ?? [];
      list.push({ key, records: counts[keyIndex] });
      byPartition.set(partition, list);
    }
  }
  for (const [index, list] of byPartition) byPartition.set(index, list.sort((a, b) => b.records - a.records).slice(0, topKeysPerPartition));
  return byPartition;
}
