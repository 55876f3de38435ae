// Kinesis Data Streams limits the model enforces (docs/reference.md §1).

export const MiB = 1024 * 1024;

/** Per-shard write: 1 MiB/s and 1,000 records/s, partition-key bytes included (docs/reference.md §1.1). */
export const shardWriteBytesPerSecond = MiB;
export const shardWriteRecordsPerSecond = 1000;

/**
 * One PutRecords call: at most 500 Kinesis records (with KPL aggregation, 500 aggregates) and the
 * request byte limit, partition keys included (docs/reference.md §1.2, §1.7).
 */
export const putRecordsRecordsMax = 500;

/** Per-shard shared read: 2 MiB/s and 5 GetRecords calls per second (docs/reference.md §1.1). */
export const shardReadBytesPerSecond = 2 * MiB;
export const shardReadCallsPerSecond = 5;

/**
 * A throttled GetRecords (ProvisionedThroughputExceededException) is retried inside the AWS SDK for
 * Java 2.x the KCL calls through, in its default (legacy) retry mode: 4 attempts in all, the retry
 * after the i-th failed one waiting half of min(20 s, 2^(i-1) x 500 ms) plus a uniform random part of
 * the other half (equal jitter, the throttling backoff); after the last attempt the KCL sleeps its
 * whole idle time before calling again (docs/reference.md §1.8).
 */
export const getRecordsSdkAttemptsMax = 4;
export const sdkThrottledBaseDelayUs = 500_000;
export const sdkMaxBackoffUs = 20_000_000;

/** One GetRecords call: at most 10,000 records and 10 MiB (docs/reference.md §1.1). */
export const getRecordsRecordsMax = 10_000;
export const getRecordsBytesMax = 10 * MiB;

/** Enhanced fan-out: 2 MiB/s per shard per consumer (docs/reference.md §1.3). */
export const efoBytesPerSecond = 2 * MiB;
/**
 * A SubscribeToShard event carries at most what the pipe sends in this time (model granularity, not
 * a service figure: AWS documents no event size). A catching-up reader then receives a steady
 * 2 MiB/s in events 200 ms apart instead of one 10 MiB burst every 5 s (docs/reference.md §1.3).
 */
export const efoEventSliceUs = 200_000;
export const efoEventBytesMax = (efoBytesPerSecond * efoEventSliceUs) / 1_000_000;

/**
 * Billing units (docs/reference.md §2): provisioned streams bill each record in PUT payload units of 25 KB, rounded
 * up (5 KB -> 1, 45 KB -> 2); the KB base is not pinned down, taken as 1,024 B (25,600 B a unit), over
 * data and partition key. On-demand bills data written rounding each record up to 1 KB (1,024 B).
 */
export const putPayloadUnitBytes = 25 * 1024;
export const onDemandBillingIncrementBytes = 1024;

/** PUT payload units of one Kinesis record of `bytes` (data + partition key). */
export function putPayloadUnits(bytes: number): number {
  return Math.max(1, Math.ceil(bytes / putPayloadUnitBytes));
}

/** Bytes on-demand bills for one Kinesis record of `bytes`: rounded up to whole KB. */
export function onDemandBilledBytes(bytes: number): number {
  return Math.max(1, Math.ceil(bytes / onDemandBillingIncrementBytes)) * onDemandBillingIncrementBytes;
}

/** UpdateShardCount: at most 10 scalings per rolling 24 h, target within [1/2, 2] x current, <= 10,000 shards (docs/reference.md §1.4). */
export const scalingsPer24hMax = 10;
export const shardsPerStreamMax = 10_000;

/**
 * On-demand: new streams take 4 MB/s and 4,000 records/s of writes (4 shards); capacity follows 2x the
 * previous peak in bytes or records, whichever needs more shards, up to 10 GB/s of writes by default in
 * us-east-1, us-west-2 and eu-west-1, the regions the prices are for (200 MB/s elsewhere); shards above 500 KB/s split (docs/reference.md §1.5). Splitting above 500 records/s is
 * our assumption by analogy (half a shard's record limit, as 500 KB/s is about half its byte limit).
 */
export const onDemandInitialShards = 4;
export const onDemandPeakMultiple = 2;
export const onDemandHotShardBytesPerSecond = 500 * 1024;
export const onDemandHotShardRecordsPerSecond = 500;
/**
 * The default on-demand maximum in us-east-1, 10 GB/s of writes [K-QUOTA], taken as 10,000 shards of 1 MB/s
 * (and so 10,000,000 records/s: AWS states no records figure for it; our assumption). The Kinesis FAQ's
 * older 200 MB/s and 200,000 records/s is the quota in other regions (docs/reference.md §1.5).
 */
export const onDemandMaxShards = 10_000;
