// What a Lambda consumer of a Kinesis stream flags: falling behind (with the cause the model can name
// from its capacity P x batch / duration), a shard blocked by a failing batch, throttling by concurrency,
// records given up, timeouts. Wording lives in lambda-messages.ts.

import { fallingBehind, type ConsumerResult, type Finding, type LambdaConsumerStats, type PartitionResult } from "../metrics/index.ts";
import type { LambdaKinesisConsumerSpec } from "../scenario/lambda-schema.ts";
import { lambdaMessages as say, type LambdaBehindCause, type LambdaCapacity } from "./lambda-messages.ts";

/** A lane retrying one batch this long holds its shard back enough to report (a minute of records). */
const blockedUsMin = 60_000_000;
const parallelizationFactorMax = 10;

export function lambdaConsumerFindings(
  consumer: ConsumerResult,
  spec: LambdaKinesisConsumerSpec,
  context: { warmupUs: number; durationUs: number; retentionUs: number },
  arrivalsPerShardPerSecond: number,
  partitions: PartitionResult[] = [],
): Finding[] {
  const stats = consumer.lambda;
  if (stats === undefined) return [];
  const findings: Finding[] = [...hotKeyLanes(consumer.name, stats, partitions, context.durationUs)];
  const windowSeconds = (context.durationUs - context.warmupUs) / 1e6;
  const cycleUs = Math.max(1_000_000, spec.maximumBatchingWindow);
  const behind = fallingBehind(consumer.lagSamples, context, { cycleUs, unread: consumer.records.unread, consumedPerSecond: consumer.records.consumed / windowSeconds });
  const capacity = capacityOf(stats, arrivalsPerShardPerSecond);
  if (behind !== null) {
    const cause = behindCause(consumer, stats, capacity);
    findings.push({
      severity: "critical",
      code: "lambda-falling-behind",
      subject: consumer.name,
      message: say.fallingBehind(consumer.name, behind.finalLagMs, behind.growthMsPerSecond, cause, capacity),
      evidence: {
        finalLagMs: round(behind.finalLagMs),
        lagGrowthMsPerSecond: round(behind.growthMsPerSecond),
        cause,
        perShardCapacityRecordsPerSecond: round(capacity.perShardRecordsPerSecond),
        arrivalsPerShardPerSecond: round(capacity.arrivalsPerShardPerSecond),
        meanDurationMs: round(capacity.meanDurationMs),
        parallelizationFactor: stats.parallelizationFactor,
        parallelizationFactorNeeded: Number.isFinite(capacity.factorNeeded) ? capacity.factorNeeded : "more than 10",
      },
    });
  }
  if (stats.longestBlockedUs >= blockedUsMin) {
    const unbounded = stats.maximumRetryAttempts === -1 && !stats.bisect && stats.maximumRecordAgeUs === Infinity;
    findings.push({
      severity: "critical",
      code: "lambda-shard-blocked",
      subject: consumer.name,
      message: say.shardBlocked(consumer.name, stats.longestBlockedShard, stats.longestBlockedUs / 1000, stats.retries, unbounded, context.retentionUs / 1000),
      evidence: { shard: stats.longestBlockedShard, blockedSeconds: round(stats.longestBlockedUs / 1e6), retries: stats.retries, failedInvocations: stats.failedInvocations, retriesUntilExpiry: unbounded ? 1 : 0 },
    });
  }
  if (stats.throttles > 0) {
    findings.push({
      severity: "warning",
      code: "lambda-throttled",
      subject: consumer.name,
      message: say.throttled(consumer.name, stats.throttles, stats.accountPeakConcurrency, stats.accountConcurrencyLimit, spec.function.reservedConcurrency),
      evidence: { throttles: stats.throttles, accountPeakConcurrency: stats.accountPeakConcurrency, accountConcurrencyLimit: stats.accountConcurrencyLimit, peakConcurrency: stats.peakConcurrency },
    });
  }
  if (stats.recordsDiscarded > 0) {
    findings.push({ severity: "critical", code: "lambda-records-discarded", subject: consumer.name, message: say.discarded(consumer.name, stats.recordsDiscarded), evidence: { recordsDiscarded: stats.recordsDiscarded } });
  }
  if (stats.recordsSentToDestination > 0) {
    findings.push({
      severity: "warning",
      code: "lambda-records-to-destination",
      subject: consumer.name,
      message: say.sentToDestination(consumer.name, stats.recordsSentToDestination),
      evidence: { recordsSentToDestination: stats.recordsSentToDestination },
    });
  }
  if (stats.timeouts > 0) {
    findings.push({ severity: "warning", code: "lambda-timeouts", subject: consumer.name, message: say.timeouts(consumer.name, stats.timeouts, spec.function.timeout / 1000), evidence: { timeouts: stats.timeouts, invocations: stats.invocations } });
  }
  return findings;
}

/**
 * Lambda keeps each partition key's records in order, one batch at a time (docs/reference.md §6.2), so
 * one key can use only one of a shard's lanes; the model spreads every key over the lanes. A key that
 * alone sends more than one lane processes (batchSize / mean duration) would hold its lane behind in
 * reality whatever the parallelization factor: say so, since the run cannot show it.
 */
function hotKeyLanes(consumer: string, stats: LambdaConsumerStats, partitions: PartitionResult[], durationUs: number): Finding[] {
  if (stats.parallelizationFactor === 1 || stats.duration.count === 0) return [];
  const laneRecordsPerSecond = (stats.batchSize * 1e6) / stats.duration.mean;
  let hottest: { shard: string; key: string; recordsPerSecond: number } | null = null;
  for (const partition of partitions) {
    const top = partition.topKeys[0];
    if (top === undefined) continue;
    const recordsPerSecond = top.records / (durationUs / 1e6);
    if (recordsPerSecond > laneRecordsPerSecond && (hottest === null || recordsPerSecond > hottest.recordsPerSecond)) hottest = { shard: partition.id, key: top.key, recordsPerSecond };
  }
  if (hottest === null) return [];
  return [
    {
      severity: "warning",
      code: "lambda-hot-key-lane",
      subject: consumer,
      message: say.hotKeyLane(consumer, hottest.key, hottest.shard, hottest.recordsPerSecond, laneRecordsPerSecond, stats.parallelizationFactor),
      evidence: { shard: hottest.shard, key: hottest.key, keyRecordsPerSecond: round(hottest.recordsPerSecond), laneRecordsPerSecond: round(laneRecordsPerSecond), parallelizationFactor: stats.parallelizationFactor },
    },
  ];
}

/** A shard's processing capacity with a backlog: P batches at a time of B records each, one per mean duration. */
function capacityOf(stats: LambdaConsumerStats, arrivalsPerShardPerSecond: number): LambdaCapacity {
  const meanDurationMs = stats.duration.count > 0 ? stats.duration.mean / 1000 : 0;
  const perLane = meanDurationMs > 0 ? (stats.batchSize * 1000) / meanDurationMs : Infinity;
  const needed = Math.ceil(arrivalsPerShardPerSecond / perLane);
  return {
    perShardRecordsPerSecond: perLane * stats.parallelizationFactor,
    arrivalsPerShardPerSecond,
    parallelizationFactor: stats.parallelizationFactor,
    batchSize: stats.batchSize,
    meanDurationMs,
    factorNeeded: needed <= parallelizationFactorMax ? Math.max(needed, stats.parallelizationFactor + 1) : Infinity,
  };
}

function behindCause(consumer: ConsumerResult, stats: LambdaConsumerStats, capacity: LambdaCapacity): LambdaBehindCause {
  if (stats.throttles > 0) return "concurrency-limit";
  if (consumer.readThrottles > 0 && capacity.perShardRecordsPerSecond > capacity.arrivalsPerShardPerSecond) return "read-throttling";
  if (stats.longestBlockedUs >= blockedUsMin) return "errors";
  if (Number.isFinite(capacity.factorNeeded)) return "parallelization";
  return stats.batchSize < 10_000 ? "batch-size" : "function-duration";
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
