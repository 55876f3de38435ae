// Firehose limits and billing units the model enforces (docs/reference.md §7).

/** Direct PUT ingestion bills each record rounded up to a multiple of 5 KB (5,120 B) (docs/reference.md §7.3). */
export const ingestBillingUnitBytes = 5 * 1024;

/** The bytes ingestion bills for one record of `sizeBytes`: 1 KB bills 5 KB, 5 KB bills 5 KB, 12 KB bills 15 KB. */
export function billedIngestBytes(sizeBytes: number): number {
  return Math.max(1, Math.ceil(sizeBytes / ingestBillingUnitBytes)) * ingestBillingUnitBytes;
}

/** Records accepted within this span of a buffer run's first one join it (memory grows with buffered seconds, not records). */
export const runSpanUs = 1_000_000;

/** The partition key of the buffer that collects records past the active-partition limit (the error output prefix). */
export const errorPartition = -1;

export const MiB = 1024 * 1024;

/**
 * With a Kinesis data stream as its source, Firehose calls GetRecords once per second for each shard, and
 * every call counts against the shard's read limits shared with the stream's other readers
 * (docs/reference.md §7.5).
 */
export const kinesisSourcePollIntervalUs = 1_000_000;
