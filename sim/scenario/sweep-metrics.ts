// The numbers a sweep goal's metric may name: a path into one system's entry of summary.json (its
// shape is reports/summary-schema.ts; a test keeps this tree in step with it), plus the sweep's own
// headline aggregates (partitions.peakWriteUtilization.max, Kafka's partitions.fairShareRatio.max and
// partitions.shareOfWrites.max, findings.critical). Checked when the
// scenario loads, so a misspelt metric is an error at its line and column, not a sweep whose every
// run reports nothing.

import { closest } from "./didyoumean.ts";
import { messages } from "./messages.ts";

/** A number (null), a block of named fields, or a list whose entries are named by the next segment. */
export type MetricNode = null | { readonly [field: string]: MetricNode } | { readonly entry: MetricNode; readonly entryNoun: string };

const quantiles = { p50: null, p99: null, max: null } as const;

const partition: MetricNode = {
  acceptedRecords: null,
  acceptedBytes: null,
  throttledAttempts: null,
  peakWriteUtilization: null,
  peakAttemptUtilization: null,
  retriedAttempts: null,
  shareOfWrites: null,
  fairShareRatio: null,
  secondsOverWriteLimit: null,
  openedSeconds: null,
  closedSeconds: null,
};

/**
 * Fields of a partition whose largest value over the partitions is a sweep headline metric
 * (`partitions.<field>.max`): every kind's peak utilization, and Kafka's share of the writes (a Kafka
 * partition has no write limit, so its load is its share; reports/sweep/headline.ts).
 */
function partitionAggregates(kind: string): string[] {
  return kind === "kafka" ? ["peakWriteUtilization", "shareOfWrites", "fairShareRatio"] : ["peakWriteUtilization"];
}

/** Each system kind's own lag metric beside lagMs (docs/design.md "Results"). */
const nativeLag: Record<string, Record<string, MetricNode>> = {
  kinesis: { iteratorAgeMs: quantiles },
  kafka: { recordsLag: quantiles },
  sqs: { ageOfOldestMessageMs: quantiles, queueWaitMs: quantiles },
  firehose: { dataFreshnessMs: quantiles },
};

/** Blocks of summary.json only some kinds have (Firehose's S3 objects). */
const ownBlocks: Record<string, Record<string, MetricNode>> = {
  firehose: { objects: { delivered: null, backedUp: null, sizeBytes: quantiles, meanBytes: null } },
  // A provisioned stream's alarm-driven scaling (reports/autoscaling-summary.ts); absent without an autoscaling block.
  kinesis: {
    autoscaling: {
      periodSeconds: null,
      publicationDelaySeconds: null,
      scaleOutReactionSeconds: null,
      minShards: null,
      maxShards: null,
      scaleOuts: null,
      scaleIns: null,
      refusedCalls: null,
      refusedForBudget: null,
      throttledSeconds: null,
      throttledSecondsBeforeAlarm: null,
      throttledSecondsWhileUpdating: null,
    },
  },
};

/** A Lambda consumer's numbers (its `lambda` block, reports/lambda-summary.ts). */
const lambdaConsumer: MetricNode = {
  memoryMb: null,
  batchSize: null,
  parallelizationFactor: null,
  invocations: null,
  failedInvocations: null,
  timeouts: null,
  throttles: null,
  retries: null,
  bisections: null,
  coldStarts: null,
  recordsSentToDestination: null,
  recordsDiscarded: null,
  durationMs: quantiles,
  recordsPerInvocation: null,
  concurrency: { peak: null, mean: null, accountPeak: null, accountLimit: null },
  longestBlockedSeconds: null,
  billed: { requests: null, gbSeconds: null },
};

/** A Kinesis stream's Firehose consumer's numbers (its `firehose` block, reports/firehose-consumer-summary.ts). */
const firehoseConsumer: MetricNode = {
  records: { read: null, delivered: null, buffered: null, inDelivery: null, backedUp: null },
  objects: { delivered: null, backedUp: null, sizeBytes: quantiles, meanBytes: null },
  dataFreshnessPeakSeconds: null,
  sourceRecordBackup: { recordsRead: null, recordsWritten: null, objects: null, s3PutRequests: null },
  billed: { recordsIngested: null, bytesIngested: null, billedIngestBytes: null, s3PutRequests: null, s3BytesWritten: null },
};

/** A Kafka Lambda consumer's numbers: the Lambda block and its event pollers. */
const kafkaLambdaConsumer: MetricNode = { ...lambdaConsumer, pollers: { final: null, peak: null, pollerHours: null } };

/** A Flink consumer's numbers (its `flink` block, reports/flink-summary.ts); its subtasks have no name or id to address. */
const flinkConsumer: MetricNode = {
  parallelism: null,
  parallelismPerKpu: null,
  maxParallelism: null,
  kpus: null,
  billedKpus: null,
  peakKpus: null,
  perRecordUs: null,
  backpressuredShare: null,
  busiestSubtask: null,
  billed: { kpuHours: null },
  windows: { sizeSeconds: null, slideSeconds: null, outOfOrdernessSeconds: null, allowedLatenessSeconds: null, windowsFired: null,
    lateRecords: null,
    outputLatencyMs: quantiles,
    sessions: { gapSeconds: null, lengthSeconds: { mean: null, p50: null, p99: null }, recordsPerSession: { mean: null, p50: null, p99: null }, activeSessionsPeak: null, activeSessionsAtEnd: null },
  },
  // Restarts are a list without names (like the subtasks): addressed through their count-like totals only.
  checkpoints: { intervalSeconds: null, minPauseSeconds: null, stateBytes: null, completed: null, aborted: null, durationMs: { p50: null, max: null }, downtimeSeconds: null, reprocessedRecords: null },
};

/** An autoscaled consumer's numbers (its `autoscaling` block, reports/consumer-autoscaling-summary.ts). */
const autoscaledConsumer = {
  target: null,
  min: null,
  max: null,
  initial: null,
  final: null,
  peak: null,
  scaleOuts: null,
  scaleIns: null,
  oscillations: null,
  cappedAtMax: null,
  startupDelaySeconds: null,
  consumerHours: null,
  recovery: { lagThresholdSeconds: null, longestSeconds: null },
} as const;
const kafkaAutoscaledConsumer: MetricNode = { ...autoscaledConsumer, partitions: null, peakIdle: null, idleConsumerHours: null, rebalances: null };

/** Consumer blocks only some kinds have: Kinesis consumers may be Lambda functions, Firehose streams or Flink applications; SQS consumers Lambda functions; Kafka's Lambda functions or Flink applications. */
const kindConsumerBlocks: Record<string, Record<string, MetricNode>> = {
  kinesis: { lambda: lambdaConsumer, firehose: firehoseConsumer, flink: flinkConsumer },
  sqs: { lambda: lambdaConsumer, autoscaling: autoscaledConsumer },
  kafka: { lambda: kafkaLambdaConsumer, flink: flinkConsumer, autoscaling: kafkaAutoscaledConsumer },
};

/** The metric tree of one system of the given kind (unknown kinds get every native lag metric and every kind's own blocks). */
export function systemMetricTree(kind: string): Record<string, MetricNode> {
  const lag = nativeLag[kind] ?? Object.assign({}, ...Object.values(nativeLag));
  const own = nativeLag[kind] === undefined ? Object.assign({}, ...Object.values(ownBlocks)) : (ownBlocks[kind] ?? {});
  const blocks = kind in nativeLag ? (kindConsumerBlocks[kind] ?? {}) : Object.assign({}, ...Object.values(kindConsumerBlocks));
  const consumer = {
    records: { consumed: null, unread: null, inFlight: null, expired: null, deadLettered: null, lost: null, duplicates: null },
    lagMs: quantiles,
    endToEndLatencyMs: quantiles,
    readThrottles: null,
    ...lag,
    ...blocks,
  };
  return {
    records: { produced: null, accepted: null, throttledAttempts: null, dropped: null, pending: null },
    bytes: { produced: null, accepted: null },
    producerLatencyMs: quantiles,
    partitions: { entry: partition, entryNoun: "<partition id>.<field> (e.g. shardId-000000000003.peakWriteUtilization), or peakWriteUtilization.max (Kafka also shareOfWrites.max, fairShareRatio.max)" },
    consumers: { entry: consumer, entryNoun: "<consumer name>.<field> (e.g. <consumer name>.lagMs.p99)" },
    cost: { monthlyUsd: null },
    findings: { critical: null },
    facts: { entry: null, entryNoun: "<fact name>" },
    ...own,
  };
}

/**
 * Why the segments after the system name lead to no number of that system's summary, or undefined
 * when they do. Consumer names are checked by the caller (they come from the scenario); partition ids
 * depend on the run, so any id is accepted.
 */
export function metricPathProblem(systemName: string, kind: string, segments: readonly string[]): string | undefined {
  let node: MetricNode = systemMetricTree(kind);
  const at = [systemName];
  for (let depth = 0; depth < segments.length; depth++) {
    const segment = segments[depth];
    if (node === null) return messages.goalMetricTooLong(at.join("."), segment);
    if (isList(node)) {
      // partitions.peakWriteUtilization.max (and Kafka's shareOfWrites.max, fairShareRatio.max): the busiest partition's, sweep headline metrics.
      if (at.length === 2 && at[1] === "partitions" && partitionAggregates(kind).includes(segment)) node = { max: null };
      else node = node.entry;
      at.push(segment);
      continue;
    }
    const fields: string[] = Object.keys(node);
    if (!fields.includes(segment)) return messages.goalMetricUnknown(at.join("."), segment, fields, closest(segment, fields));
    node = (node as Record<string, MetricNode>)[segment];
    at.push(segment);
  }
  if (node === null) return undefined;
  if (isList(node)) return messages.goalMetricNeedsEntry(at.join("."), node.entryNoun);
  return messages.goalMetricNotNumber(at.join("."), Object.keys(node));
}

function isList(node: Exclude<MetricNode, null>): node is { readonly entry: MetricNode; readonly entryNoun: string } {
  return typeof (node as { entryNoun?: unknown }).entryNoun === "string";
}
