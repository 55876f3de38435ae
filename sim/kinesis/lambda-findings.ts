// What a Lambda consumer of a Kinesis stream flags: falling behind (with the cause the model can name
// from its capacity P x full batch / its duration), a hot key holding one of its shard's lanes, a shard blocked by a failing batch, throttling by concurrency,
// records given up, timeouts. Wording lives in lambda-messages.ts.

import { fullBatch, lambdaFunctionFindings } from "../lambda/index.ts";
import { fallingBehind, type ConsumerResult, type Finding, type LambdaConsumerStats, type PartitionResult } from "../metrics/index.ts";
import type { LambdaKinesisConsumerSpec } from "../scenario/lambda-schema.ts";
import { laneOfKey } from "./lambda-key-lanes.ts";
import { readThrottledShare, readThrottledShareWarning } from "./read-throttling.ts";
import { lambdaMessages as say, type HotKeyLane, type LambdaBehindCause, type LambdaCapacity } from "./lambda-messages.ts";

/** A lane retrying one batch this long holds its shard back enough to report (a minute of records). */
const blockedUsMin = 60_000_000;
const parallelizationFactorMax = 10;
const batchSizeMax = 10_000;

export function lambdaConsumerFindings(
  consumer: ConsumerResult,
  spec: LambdaKinesisConsumerSpec,
  context: { warmupUs: number; durationUs: number; retentionUs: number },
  arrivalsPerShardPerSecond: number,
  partitions: PartitionResult[] = [],
): Finding[] {
  const stats = consumer.lambda;
  if (stats === undefined) return [];
  const findings: Finding[] = [];
  const windowSeconds = (context.durationUs - context.warmupUs) / 1e6;
  const cycleUs = Math.max(1_000_000, spec.maximumBatchingWindow);
  const behind = fallingBehind(consumer.lagSamples, context, { cycleUs, unread: consumer.records.unread, consumedPerSecond: consumer.records.consumed / windowSeconds });
  const capacity = capacityOf(stats, spec, arrivalsPerShardPerSecond, partitions);
  const hotKey = behind === null ? null : hotKeyLane(stats, partitions, context.durationUs, capacity.largestBatchRecordsPerSecond);
  if (behind !== null) {
    const cause = behindCause(consumer, stats, capacity, hotKey);
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
        fullBatchRecords: capacity.batch.records,
        fullBatchDurationMs: round(capacity.batch.durationMs),
        parallelizationFactor: stats.parallelizationFactor,
        // The factor that would keep up, where more lanes are the cure the message names.
        ...(cause === "parallelization" ? { parallelizationFactorNeeded: capacity.factorNeeded } : {}),
      },
    });
  }
  if (hotKey !== null) {
    findings.push({
      severity: "critical",
      code: "lambda-hot-key-lane",
      subject: consumer.name,
      message: say.hotKeyLane(consumer.name, hotKey),
      evidence: {
        shard: hotKey.shard,
        key: hotKey.key,
        lane: hotKey.lane,
        keyRecordsPerSecond: round(hotKey.keyRecordsPerSecond),
        laneRecordsPerSecond: round(hotKey.laneRecordsPerSecond),
        otherLanesRecordsPerSecond: round(hotKey.otherLanesRecordsPerSecond),
        parallelizationFactor: hotKey.factor,
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
  findings.push(...lambdaFunctionFindings(consumer, stats, spec.function, say));
  return findings;
}

/**
 * Lambda keeps each partition key's records in order (docs/reference.md §6.2): all of a key's records go
 * to one of its shard's lanes, one batch at a time, so a key that alone sends more than its lane
 * processed kept that lane busy, filled the reader's read-ahead with its records and held the whole
 * shard back, whatever the parallelization factor. Looked for once the consumer falls behind: the
 * hottest such key, with what its lane and the others processed over the run.
 */
function hotKeyLane(stats: LambdaConsumerStats, partitions: PartitionResult[], durationUs: number, largestBatchRecordsPerSecond: number): HotKeyLane | null {
  if (stats.keyLanes === undefined) return null;
  const seconds = durationUs / 1e6;
  let hottest: HotKeyLane | null = null;
  for (const lanes of stats.keyLanes) {
    const top = partitions.find((partition) => partition.id === lanes.shard)?.topKeys[0];
    if (top === undefined) continue;
    const keyRecordsPerSecond = top.records / seconds;
    const lane = laneOfKey(top.key, lanes.records.length);
    const laneRecordsPerSecond = lanes.records[lane] / seconds;
    if (keyRecordsPerSecond <= laneRecordsPerSecond || (hottest !== null && keyRecordsPerSecond <= hottest.keyRecordsPerSecond)) continue;
    const others = lanes.records.reduce((sum, records) => sum + records, 0) - lanes.records[lane];
    hottest = {
      shard: lanes.shard,
      key: top.key,
      lane,
      factor: lanes.records.length,
      keyRecordsPerSecond,
      laneRecordsPerSecond,
      otherLanesRecordsPerSecond: others / (lanes.records.length - 1) / seconds,
      batchSize: stats.batchSize,
      largestBatchRecordsPerSecond,
    };
  }
  return hottest;
}

/**
 * A shard's processing capacity with a backlog: P lanes, each running one full batch at a time, back to
 * back (docs/models.md, Lambda). A full batch's duration comes from the function's configured cost, not
 * the measured mean, which partial batches and cold starts pull away from it.
 */
function capacityOf(stats: LambdaConsumerStats, spec: LambdaKinesisConsumerSpec, arrivalsPerShardPerSecond: number, partitions: PartitionResult[]): LambdaCapacity {
  const acceptedRecords = partitions.reduce((sum, partition) => sum + partition.acceptedRecords, 0);
  const acceptedBytes = partitions.reduce((sum, partition) => sum + partition.acceptedBytes, 0);
  const meanRecordBytes = acceptedRecords > 0 ? acceptedBytes / acceptedRecords : 0;
  const batch = fullBatch(spec.function, stats.batchSize, meanRecordBytes);
  const needed = Math.ceil(arrivalsPerShardPerSecond / batch.recordsPerSecond);
  return {
    perShardRecordsPerSecond: batch.recordsPerSecond * stats.parallelizationFactor,
    arrivalsPerShardPerSecond,
    parallelizationFactor: stats.parallelizationFactor,
    batchSize: stats.batchSize,
    batch,
    function: spec.function,
    factorNeeded: needed <= parallelizationFactorMax ? Math.max(needed, stats.parallelizationFactor + 1) : Infinity,
    largestBatchRecordsPerSecond: fullBatch(spec.function, batchSizeMax, meanRecordBytes).recordsPerSecond,
  };
}

export function behindCause(consumer: Pick<ConsumerResult, "readThrottles" | "readCalls">, stats: LambdaConsumerStats, capacity: LambdaCapacity, hotKey: HotKeyLane | null): LambdaBehindCause {
  if (stats.throttles > 0) return "concurrency-limit";
  if (readThrottledShare(consumer) >= readThrottledShareWarning && capacity.perShardRecordsPerSecond > capacity.arrivalsPerShardPerSecond) return "read-throttling";
  if (stats.longestBlockedUs >= blockedUsMin) return "errors";
  if (hotKey !== null) return "hot-key";
  if (Number.isFinite(capacity.factorNeeded)) return "parallelization";
  // Larger batches help only if they share a fixed cost enough: 10 lanes of the largest batches must keep up.
  return capacity.largestBatchRecordsPerSecond * parallelizationFactorMax >= capacity.arrivalsPerShardPerSecond ? "batch-size" : "function-duration";
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
