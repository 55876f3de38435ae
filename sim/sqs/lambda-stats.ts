// The `lambda` block of an SQS Lambda consumer's result: the shared Lambda consumer terms (what the
// function ran, its concurrency, what it bills), filled from the SQS mapping. The dead-letter queue is
// the mapping's failure destination; messages are never discarded.

import { lambdaConsumerStats } from "../lambda/index.ts";
import type { LambdaConsumerStats } from "../metrics/index.ts";
import type { LambdaSqsConsumer } from "./lambda-consumer.ts";

export function lambdaSqsStats(consumer: LambdaSqsConsumer): LambdaConsumerStats {
  const spec = consumer.settings.spec;
  return lambdaConsumerStats(consumer.fn, consumer.pool, consumer.settings.endUs, {
    batchSize: spec.batchSize,
    parallelizationFactor: 1,
    partitions: 0,
    // A failed batch is retried by SQS: its messages reappear after the visibility timeout.
    retries: consumer.failedBatches + consumer.throttledBatchesReturned,
    bisections: 0,
    recordsSentToDestination: consumer.counts.deadLettered,
    recordsDiscarded: 0,
    longestBlockedUs: 0,
    longestBlockedShard: "",
    maximumRetryAttempts: -1,
    bisect: false,
    maximumRecordAgeUs: Infinity,
    onFailureDestination: true,
  });
}
