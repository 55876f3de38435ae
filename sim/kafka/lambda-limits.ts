// Lambda's Kafka event source mapping figures the model uses (docs/reference.md §6.6).

/** An event poller takes in up to 5 MB/s (taken as 5 x 10^6 bytes per second) and runs up to 5 invocations at once. */
export const pollerBytesPerSecond = 5_000_000;
export const pollerInvocationsMax = 5;

/** Lambda evaluates the offset lag every minute; on demand, pollers are added or removed within three minutes of it. */
export const pollerScaleIntervalUs = 60_000_000;
/** The model's delay from an evaluation to the change: AWS gives "within three minutes", the model takes the bound (an estimate). */
export const pollerScaleDelayUs = 180_000_000;

/** With maximumRetryAttempts -1 and an on-failure destination, Lambda retries a batch at most 10 times. */
export const retriesWithDestination = 10;
