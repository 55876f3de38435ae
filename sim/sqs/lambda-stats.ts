// The `lambda` block of an SQS Lambda consumer's result: the shared Lambda consumer terms (what the
// function ran, its concurrency, what it bills), filled from the SQS mapping. The dead-letter queue is
// the mapping's failure destination; messages are never discarded.

import type { LambdaConsumerStats } from "../metrics/index.ts";
import type { LambdaSqsConsumer } from "./lambda-consumer.ts";

export function lambdaSqsStats(consumer: LambdaSqsConsumer): LambdaConsumerStats {
  const fn = consumer.fn;
  const spec = consumer.settings.spec;
  return {
    functionName: fn.name,
    memoryMb: fn.spec.memory,
    architecture: fn.spec.architecture,
    batchSize: spec.batchSize,
    parallelizationFactor: 1,
    partitions: 0,
    invocations: fn.invocations,
    failedInvocations: fn.failedInvocations,
    timeouts: fn.timeouts,
    throttles: fn.throttles,
    // A failed batch is retried by SQS: its messages reappear after the visibility timeout.
    retries: consumer.failedBatches + consumer.throttledBatchesReturned,
    bisections: 0,
    coldStarts: fn.coldStarts,
    recordsSentToDestination: consumer.counts.deadLettered,
    recordsDiscarded: 0,
    requestsAfterWarmup: fn.requestsAfterWarmup,
    gbSecondsAfterWarmup: fn.gbSecondsAfterWarmup,
    concurrency: fn.concurrency,
    peakConcurrency: fn.peakConcurrency,
    meanConcurrency: fn.meanConcurrency(consumer.settings.endUs),
    accountConcurrencyLimit: consumer.pool.limit,
    accountPeakConcurrency: consumer.pool.peakInUse,
    duration: fn.duration,
    longestBlockedUs: 0,
    longestBlockedShard: "",
    maximumRetryAttempts: -1,
    bisect: false,
    maximumRecordAgeUs: Infinity,
    onFailureDestination: true,
  };
}
