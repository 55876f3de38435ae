// A Firehose stream's configuration as it ran (defaults included), in the shape every kind shares.

import { backoffRetryText, retentionText, type SystemConfiguration } from "../metrics/configuration.ts";
import type { FirehoseSystem } from "../scenario/types.ts";
import { formatBytes, formatDurationUs } from "../units/index.ts";

export function firehoseConfiguration(system: FirehoseSystem): SystemConfiguration {
  const { buffering, dynamicPartitioning, producer } = system;
  const partitioning = dynamicPartitioning.enabled ? `, dynamic partitioning (up to ${dynamicPartitioning.activePartitionsMax} active partitions)` : "";
  return {
    capacity: `Direct PUT to S3, buffer ${formatBytes(buffering.size)} / ${formatDurationUs(buffering.interval)}${partitioning}`,
    partitions: null,
    instanceType: null,
    // Firehose replicates records across three facilities in the Region before it acknowledges them (docs/reference.md §7.1).
    replicationCopies: null,
    replication: "three facilities in the Region (by the service)",
    acknowledgement: "replicated",
    acks: "after the service stores the record",
    retentionUs: system.s3.retention,
    // A delivery stream keeps no log of its own; what it lands stays in S3 as long as configured.
    retention: `none of its own (S3 objects kept ${retentionText(system.s3.retention)})`,
    consumers: [
      {
        name: "s3",
        type: "S3 delivery",
        instances: 1,
        instancesOf: "destination",
        processingPerRecordUs: 0,
        processingPerBatchUs: 0,
        reading: `an object per flush (${formatBytes(buffering.size)} or ${formatDurationUs(buffering.interval)}, whichever first)`,
      },
    ],
    producer: {
      lingerUs: producer.batch.linger,
      batching: `PutRecordBatch of up to ${producer.batch.maxRecords} records, linger ${formatDurationUs(producer.batch.linger)}`,
      retry: backoffRetryText(producer.retry),
    },
  };
}
