// The `lambda` block of a Lambda consumer in summary.json (docs/results.md "Lambda consumers"): what the
// function did, what the mapping gave up, its concurrency, and the billed usage after warm-up.

import { z } from "zod";
import type { ConsumerResult } from "../sim/metrics/index.ts";
import { round } from "./numbers.ts";

const count = z.number().int().nonnegative();
const quantiles = z.object({ p50: z.number().nullable(), p99: z.number().nullable(), max: z.number().nullable() }).strict();

export const lambdaConsumerSchema = z
  .object({
    functionName: z.string(),
    memoryMb: count,
    architecture: z.enum(["x86_64", "arm64"]),
    batchSize: count,
    parallelizationFactor: count,
    invocations: count,
    failedInvocations: count,
    timeouts: count,
    throttles: count,
    retries: count,
    bisections: count,
    coldStarts: count,
    recordsSentToDestination: count,
    recordsDiscarded: count,
    durationMs: quantiles,
    recordsPerInvocation: z.number().nonnegative().nullable(),
    concurrency: z.object({ peak: count, mean: z.number().nonnegative().nullable(), accountPeak: count, accountLimit: count }).strict(),
    longestBlockedSeconds: z.number().nonnegative().nullable(),
    billed: z.object({ requests: count, gbSeconds: z.number().nonnegative().nullable() }).strict(),
    // Kafka mappings: their event pollers (on demand or provisioned) and the poller-hours after warm-up.
    pollers: z.object({ mode: z.enum(["on-demand", "provisioned"]), final: count, peak: count, pollerHours: z.number().nonnegative().nullable() }).strict().optional(),
  })
  .strict();

export type LambdaConsumerSummary = z.infer<typeof lambdaConsumerSchema>;

/** The consumer's lambda block, or nothing for other consumers (the field is left out). */
export function lambdaSummary(consumer: ConsumerResult): { lambda?: LambdaConsumerSummary } {
  const stats = consumer.lambda;
  if (stats === undefined) return {};
  const duration = stats.duration;
  const resolved = consumer.records.consumed + consumer.records.duplicates;
  return {
    lambda: {
      functionName: stats.functionName,
      memoryMb: stats.memoryMb,
      architecture: stats.architecture,
      batchSize: stats.batchSize,
      parallelizationFactor: stats.parallelizationFactor,
      invocations: stats.invocations,
      failedInvocations: stats.failedInvocations,
      timeouts: stats.timeouts,
      throttles: stats.throttles,
      retries: stats.retries,
      bisections: stats.bisections,
      coldStarts: stats.coldStarts,
      recordsSentToDestination: stats.recordsSentToDestination,
      recordsDiscarded: stats.recordsDiscarded,
      durationMs: { p50: round(duration.quantile(0.5) / 1000), p99: round(duration.quantile(0.99) / 1000), max: round(duration.max / 1000) },
      recordsPerInvocation: stats.invocations - stats.failedInvocations > 0 ? round(consumer.records.consumed / (stats.invocations - stats.failedInvocations), 1) : resolved === 0 ? 0 : null,
      concurrency: { peak: stats.peakConcurrency, mean: round(stats.meanConcurrency), accountPeak: stats.accountPeakConcurrency, accountLimit: stats.accountConcurrencyLimit },
      longestBlockedSeconds: round(stats.longestBlockedUs / 1e6),
      billed: { requests: stats.requestsAfterWarmup, gbSeconds: round(stats.gbSecondsAfterWarmup) },
      ...(stats.pollers === undefined
        ? {}
        : { pollers: { mode: stats.pollers.mode, final: stats.pollers.final, peak: stats.pollers.peak, pollerHours: round(stats.pollers.pollerSecondsAfterWarmup / 3600) } }),
    },
  };
}
