export { ProducerStream, RecordBlock } from "./producer.ts";
export { Batcher, type Batch, type BatchPolicy } from "./batching.ts";
export { RetryPolicy, type RetrySettings } from "./retry.ts";
export { ArrivalClock, RateCursor, expectedArrivals, rateAt } from "./rate.ts";
export { sizeSampler, type SizeSampler } from "./sizes.ts";
export { normalQuantile99, StandardNormal } from "./normal.ts";
export * from "./keys/index.ts";
export { LatencySampler, type LatencySpec } from "./latency.ts";
export { RunLog, type ReadMeasure } from "./run-log.ts";
