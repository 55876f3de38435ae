export { ProducerStream, RecordBlock } from "./producer.ts";
export { Batcher, type Batch, type BatchPolicy } from "./batching.ts";
export { RetryPolicy, type RetrySettings } from "./retry.ts";
export { ArrivalClock, RateCursor, expectedArrivals, rateAt } from "./rate.ts";
export { sizeSampler, normalQuantile99, type SizeSampler } from "./sizes.ts";
export * from "./keys/index.ts";
