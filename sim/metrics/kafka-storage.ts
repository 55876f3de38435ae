// The bytes a Kafka cluster keeps on each broker, from its partitions' storage over the run: what the
// cost model bills and the storage findings compare with a broker's disk.

import type { KafkaPartitionStorage } from "./system-kinds.ts";

/**
 * The bytes each broker keeps for a month, from what the partitions kept over the run (docs/reference.md
 * §3.3, §5): a partition keeps the time-average of what its log stored after warm-up, or, when that is
 * less (a run shorter than its retention, still filling), its steady state: its ingest rate x retention,
 * capped by retention.bytes. Each broker holding a replica keeps that. `filling` tells whether any
 * partition was projected.
 */
export function keptBytesByBroker(
  storage: readonly KafkaPartitionStorage[],
  brokerCount: number,
  topic: { retentionUs: number; retentionBytes: number | undefined },
  windowSeconds: number,
): { bytes: number[]; filling: boolean; capped: boolean } {
  const bytes = new Array<number>(brokerCount).fill(0);
  let filling = false;
  let capped = false;
  for (const partition of storage) {
    const retained = (partition.appendedBytes / windowSeconds) * (topic.retentionUs / 1e6);
    const steady = Math.min(retained, topic.retentionBytes ?? Infinity);
    capped ||= retained > steady || (topic.retentionBytes !== undefined && partition.storedBytesMean >= topic.retentionBytes);
    filling ||= steady > partition.storedBytesMean;
    const kept = Math.max(partition.storedBytesMean, steady);
    for (const broker of partition.brokers) bytes[broker] += kept;
  }
  return { bytes, filling, capped };
}
