// What a Lambda consumer of a Kafka topic flags: falling behind (with the cause the model can name: one
// batch per partition at a time caps the concurrency at the partition count; the event pollers; the
// account's concurrency; failing batches), a partition blocked by a failing batch, throttling, records
// given up, timeouts. Wording lives in lambda-messages.ts.

import { fullBatch, lambdaFunctionFindings } from "../lambda/index.ts";
import { fallingBehind, type ConsumerResult, type Finding, type LambdaConsumerStats } from "../metrics/index.ts";
import type { LambdaKafkaConsumerSpec } from "../scenario/lambda-schema.ts";
import { pollerInvocationsMax } from "./lambda-limits.ts";
import { lambdaKafkaMessages as say, type LambdaKafkaBehindCause, type LambdaKafkaCapacity } from "./lambda-messages.ts";

/** What the topic's partitions took over the run, and the mean size of a record (a full batch's payload). */
export interface LambdaArrivals {
  perPartitionPerSecond: number;
  busiestId: string;
  busiestPerSecond: number;
  meanRecordBytes: number;
}

/** A batch retried this long holds its partition back enough to report (a minute of records). */
const blockedUsMin = 60_000_000;
const batchSizeMax = 10_000;
/** A lag this large while on-demand pollers were still being added is worth a warning (a minute of records). */
const rampLagMsMin = 60_000;

export function lambdaKafkaFindings(
  consumer: ConsumerResult,
  spec: LambdaKafkaConsumerSpec,
  context: { warmupUs: number; durationUs: number; retentionUs: number },
  arrivals: LambdaArrivals,
): Finding[] {
  const stats = consumer.lambda;
  if (stats === undefined) return [];
  const findings: Finding[] = [];
  const windowSeconds = (context.durationUs - context.warmupUs) / 1e6;
  const cycleUs = Math.max(1_000_000, spec.maximumBatchingWindow);
  const behind = fallingBehind(consumer.lagSamples, context, { cycleUs, unread: consumer.records.unread, consumedPerSecond: consumer.records.consumed / windowSeconds });
  const capacity = capacityOf(stats, spec, arrivals);
  if (behind !== null) {
    const cause = behindCause(stats, capacity);
    findings.push({
      severity: "critical",
      code: "lambda-falling-behind",
      subject: consumer.name,
      message: say.fallingBehind(consumer.name, behind.finalLagMs, behind.growthMsPerSecond, cause, capacity),
      evidence: {
        finalLagMs: round(behind.finalLagMs),
        lagGrowthMsPerSecond: round(behind.growthMsPerSecond),
        cause,
        perPartitionCapacityRecordsPerSecond: round(capacity.perPartitionRecordsPerSecond),
        arrivalsPerPartitionPerSecond: round(capacity.arrivalsPerPartitionPerSecond),
        busiestPartition: capacity.busiestPartition,
        busiestPartitionRecordsPerSecond: round(capacity.busiestPartitionPerSecond),
        fullBatchRecords: capacity.batch.records,
        fullBatchDurationMs: round(capacity.batch.durationMs),
        finalPollers: capacity.finalPollers,
        pollersForAllPartitions: capacity.pollersForAllPartitions,
      },
    });
  }
  const controls = errorControlsOnDemand(consumer.name, spec);
  if (controls !== null) findings.push(controls);
  const ramp = pollersRamp(consumer, stats);
  if (ramp !== null) findings.push(ramp);
  if (stats.longestBlockedUs >= blockedUsMin) {
    const unbounded = stats.maximumRetryAttempts === -1 && !stats.bisect && stats.maximumRecordAgeUs === Infinity;
    findings.push({
      severity: "critical",
      code: "lambda-partition-blocked",
      subject: consumer.name,
      message: say.partitionBlocked(consumer.name, stats.longestBlockedShard, stats.longestBlockedUs / 1000, stats.retries, unbounded, context.retentionUs / 1000, stats.bisect),
      evidence: { partition: stats.longestBlockedShard, blockedSeconds: round(stats.longestBlockedUs / 1e6), retries: stats.retries, failedInvocations: stats.failedInvocations, retriesUntilExpiry: unbounded ? 1 : 0 },
    });
  }
  findings.push(...lambdaFunctionFindings(consumer, stats, spec.function, say));
  return findings;
}

/** Error handling controls are configured in provisioned mode (docs/reference.md §6.6): say so when an on-demand mapping sets them. */
function errorControlsOnDemand(consumer: string, spec: LambdaKafkaConsumerSpec): Finding | null {
  if (spec.pollers.mode !== "on-demand") return null;
  const set = [
    spec.maximumRetryAttempts !== -1 ? "maximumRetryAttempts" : "",
    spec.maximumRecordAge !== -1 ? "maximumRecordAge" : "",
    spec.bisectBatchOnFunctionError ? "bisectBatchOnFunctionError" : "",
    spec.reportBatchItemFailures ? "reportBatchItemFailures" : "",
  ].filter((name) => name !== "");
  if (set.length === 0) return null;
  return { severity: "info", code: "lambda-error-controls-on-demand", subject: consumer, message: say.errorControlsOnDemand(consumer, set.join(", ")), evidence: { settings: set.join(", ") } };
}

/**
 * An on-demand mapping whose pollers were added while a backlog built: its lag passed a minute while it
 * had fewer pollers than it ended up needing (the ramp, not the function, held it back).
 */
function pollersRamp(consumer: ConsumerResult, stats: LambdaConsumerStats): Finding | null {
  const pollers = stats.pollers;
  const lagMaxMs = Number.isNaN(consumer.lag.max) ? 0 : consumer.lag.max / 1000;
  if (pollers === undefined || pollers.mode !== "on-demand" || pollers.peak <= 1 || lagMaxMs < rampLagMsMin) return null;
  return {
    severity: "warning",
    code: "lambda-pollers-ramp",
    subject: consumer.name,
    message: say.pollersRamp(consumer.name, pollers.peak, pollers.peakAtUs / 1000, lagMaxMs),
    evidence: { peakPollers: pollers.peak, peakReachedSeconds: round(pollers.peakAtUs / 1e6), lagMaxMs: round(lagMaxMs) },
  };
}

/**
 * A partition's processing capacity with a backlog: one full batch at a time, back to back (docs/models.md,
 * Lambda). A full batch's duration comes from the function's configured cost, not the measured mean,
 * which partial batches (the 500 ms batching window) and cold starts pull away from it.
 */
function capacityOf(stats: LambdaConsumerStats, spec: LambdaKafkaConsumerSpec, arrivals: LambdaArrivals): LambdaKafkaCapacity {
  const batch = fullBatch(spec.function, stats.batchSize, arrivals.meanRecordBytes);
  return {
    partitions: stats.partitions,
    perPartitionRecordsPerSecond: batch.recordsPerSecond,
    arrivalsPerPartitionPerSecond: arrivals.perPartitionPerSecond,
    busiestPartition: arrivals.busiestId,
    busiestPartitionPerSecond: arrivals.busiestPerSecond,
    batchSize: stats.batchSize,
    batch,
    largestBatchRecordsPerSecond: fullBatch(spec.function, batchSizeMax, arrivals.meanRecordBytes).recordsPerSecond,
    function: spec.function,
    pollersMode: stats.pollers?.mode ?? "on-demand",
    finalPollers: stats.pollers?.final ?? 1,
    pollersForAllPartitions: Math.ceil(stats.partitions / pollerInvocationsMax),
  };
}

function behindCause(stats: LambdaConsumerStats, capacity: LambdaKafkaCapacity): LambdaKafkaBehindCause {
  if (stats.throttles > 0) return "concurrency-limit";
  if (stats.longestBlockedUs >= blockedUsMin) return "errors";
  // A larger batchSize shares each invocation's fixed cost over more records, up to the largest batches' pace.
  if (capacity.perPartitionRecordsPerSecond < capacity.arrivalsPerPartitionPerSecond) return capacity.largestBatchRecordsPerSecond >= capacity.arrivalsPerPartitionPerSecond ? "partitions" : "function-duration";
  if (capacity.perPartitionRecordsPerSecond < capacity.busiestPartitionPerSecond) return "hot-partition";
  return "pollers";
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
