// The `lambda` block of a Lambda consumer's result (docs/reference.md §6): what the function ran, its
// concurrency and what it bills, measured by the function and the account pool, beside the terms only
// the event source mapping knows (its batches, retries, destination). One builder for the Kinesis,
// SQS and Kafka mappings, so the three blocks always carry the same fields in the same order.

import type { LambdaConsumerStats } from "../metrics/index.ts";
import type { AccountPool } from "./account-pool.ts";
import type { LambdaFunction } from "./function.ts";

/** What the mapping reports of itself: the fields of the block the function cannot know. */
export type MappingTerms = Pick<
  LambdaConsumerStats,
  | "batchSize"
  | "parallelizationFactor"
  | "partitions"
  | "retries"
  | "bisections"
  | "recordsSentToDestination"
  | "recordsDiscarded"
  | "longestBlockedUs"
  | "longestBlockedShard"
  | "maximumRetryAttempts"
  | "bisect"
  | "maximumRecordAgeUs"
  | "onFailureDestination"
  | "pollers"
  | "keyLanes"
>;

export function lambdaConsumerStats(fn: LambdaFunction, pool: AccountPool, endUs: number, mapping: MappingTerms): LambdaConsumerStats {
  const stats: LambdaConsumerStats = {
    functionName: fn.name,
    memoryMb: fn.spec.memory,
    architecture: fn.spec.architecture,
    batchSize: mapping.batchSize,
    parallelizationFactor: mapping.parallelizationFactor,
    partitions: mapping.partitions,
    invocations: fn.invocations,
    failedInvocations: fn.failedInvocations,
    timeouts: fn.timeouts,
    throttles: fn.throttles,
    retries: mapping.retries,
    bisections: mapping.bisections,
    coldStarts: fn.coldStarts,
    recordsSentToDestination: mapping.recordsSentToDestination,
    recordsDiscarded: mapping.recordsDiscarded,
    requestsAfterWarmup: fn.requestsAfterWarmup,
    gbSecondsAfterWarmup: fn.gbSecondsAfterWarmup,
    concurrency: fn.concurrency,
    peakConcurrency: fn.peakConcurrency,
    meanConcurrency: fn.meanConcurrency(endUs),
    accountConcurrencyLimit: pool.limit,
    accountPeakConcurrency: pool.peakInUse,
    duration: fn.duration,
    longestBlockedUs: mapping.longestBlockedUs,
    longestBlockedShard: mapping.longestBlockedShard,
    maximumRetryAttempts: mapping.maximumRetryAttempts,
    bisect: mapping.bisect,
    maximumRecordAgeUs: mapping.maximumRecordAgeUs,
    onFailureDestination: mapping.onFailureDestination,
  };
  if (mapping.keyLanes !== undefined) stats.keyLanes = mapping.keyLanes;
  if (mapping.pollers !== undefined) stats.pollers = mapping.pollers;
  return stats;
}
