// How the SQS event source mapping scales and retries (docs/reference.md §6.5).

/** Lambda starts with five concurrent batches (docs/reference.md §6.5). */
export const mappingPollersMin = 5;
/** While messages are available it adds up to 300 a minute, taken as 5 a second (docs/reference.md §6.5). */
export const mappingPollersPerSecond = 5;
/**
 * At most 1,250 concurrent invokes per mapping of a standard queue: the current developer guide (the
 * version that describes provisioned mode); older copies of the page said 1,000 (docs/reference.md §6.5).
 * maximumConcurrency, when set, is 2 to 1,000.
 */
export const mappingPollersMax = 1250;
/** Lambda long-polls the queue; it publishes no wait time: the longest, 20 s, is assumed (docs/reference.md §6.5). */
export const mappingWaitTimeUs = 20_000_000;
/** A throttled invocation is tried again after a second (AWS publishes no figure: an estimate, as for Kinesis, docs/reference.md §6.2). */
export const throttleRetryUs = 1_000_000;
/** A receive throttled by the FIFO call limit is tried again after the SDK's throttling base delay (docs/reference.md §4). */
export const throttledReceiveRetryUs = 500_000;
