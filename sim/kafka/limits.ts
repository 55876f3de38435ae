// Kafka defaults and behaviour the model follows (docs/reference.md §3).

/** broker.session.timeout.ms: a silent broker is fenced after 9 s; its partitions then elect new leaders from the ISR (docs/reference.md §3.3). */
export const brokerSessionTimeoutUs = 9_000_000;
/** session.timeout.ms: a silent consumer leaves its group after 45 s (docs/reference.md §3.4). */
export const consumerSessionTimeoutUs = 45_000_000;
/** heartbeat.interval.ms: a member hears that its group rebalances at its next heartbeat, every 3 s (docs/reference.md §3.4). */
export const consumerHeartbeatIntervalUs = 3_000_000;
/** Record batch overhead on the wire and on disk: a 61-byte batch header plus ~8 bytes per record (Kafka's v2 format). */
export const batchHeaderBytes = 61;
export const recordOverheadBytes = 8;
/** log.retention.check.interval.ms 300,000: the broker deletes old segments every 5 minutes, the first check 30 s after start (docs/reference.md §3.3). */
export const retentionCheckIntervalUs = 300_000_000;
export const retentionCheckFirstUs = 30_000_000;
/** replica.fetch.wait.max.ms: a follower's fetch waits at most 500 ms at its leader for data (docs/reference.md §3.3). */
export const replicaFetchWaitMaxUs = 500_000;
/** replica.fetch.max.bytes: 1 MiB per partition per follower fetch (docs/reference.md §3.3). */
export const replicaFetchBytesMax = 1_048_576;
/** replica.fetch.response.max.bytes: 10 MiB per follower fetch (docs/reference.md §3.3). */
export const replicaFetchResponseBytesMax = 10_485_760;
