// SQS limits the model enforces (docs/reference.md §4).

/** ReceiveMessage returns 1-10 messages; SendMessageBatch and DeleteMessageBatch take up to 10 entries (docs/reference.md §4). */
export const messagesPerCallMax = 10;
/** A SendMessageBatch's messages total at most 1 MiB (docs/reference.md §4). */
export const sendBatchBytesMax = 1_048_576;
/** Every 64 KB chunk of a call's payload is billed as one request (docs/reference.md §4 pricing). */
export const billingChunkBytes = 65_536;
/** In-flight messages (received, not deleted, visibility not expired): ~120,000 standard, 120,000 FIFO (docs/reference.md §4). */
export const inFlightMaxStandard = 120_000;
export const inFlightMaxFifo = 120_000;
/** FIFO: SQS scans the first 120,000 messages for available groups; a group's backlog past it blocks later ones (docs/reference.md §4). */
export const fifoScanMessages = 120_000;
/** FIFO: 300 transactions per second per API action; high-throughput mode up to 70,000 (docs/reference.md §4). */
export const fifoCallsPerSecond = 300;
export const fifoHighThroughputCallsPerSecond = 70_000;
/**
 * High-throughput FIFO: each partition takes 300 transactions per second per action, and all the
 * messages of a group live on the partition its MessageGroupId hashes to (docs/reference.md §4). The
 * model spreads the queue's quota over as many partitions as it takes at that rate.
 */
export const fifoPartitionCallsPerSecond = 300;
export const fifoHighThroughputPartitions = Math.ceil(fifoHighThroughputCallsPerSecond / fifoPartitionCallsPerSecond);
/** FIFO deduplication window: 5 minutes (docs/reference.md §4). */
export const deduplicationWindowUs = 300_000_000;
/**
 * An empty answer to a receive with no wait (or a throttled or over-limit one) takes at least a
 * millisecond, so that a consumer with zero latencies does not spin in place at one instant.
 */
export const emptyReceiveMinUs = 1000;
/** Messages accepted within this span of a run's first one join it (runs keep memory bounded by the backlog). */
export const runSpanUs = 1000;
/**
 * A throttled ReceiveMessage is retried by the AWS SDK's standard retry mode: 3 attempts in all, the
 * retry after the i-th failed one waiting a uniform random part of min(20 s, 2^(i-1) x 500 ms), the
 * base the SDK takes for throttling errors; after the last attempt the error reaches the application,
 * whose receive loop calls again (docs/reference.md §4).
 */
export const sdkAttemptsMax = 3;
export const sdkThrottlingBaseDelayUs = 500_000;
export const sdkMaxBackoffUs = 20_000_000;
