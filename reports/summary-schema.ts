// The schema of summary.json, defined once: tests validate every example's output against it, and
// `streamsim schema --summary` exports it as JSON Schema (docs/summary.schema.json) for users who
// read summary.json from other tools. Field meanings: docs/results.md.

import { z } from "zod";
import { firehoseConsumerSchema } from "./firehose-consumer-summary.ts";
import { flinkConsumerSchema } from "./flink-summary.ts";
import { lambdaConsumerSchema } from "./lambda-summary.ts";
import { autoscalingConsumerSchema } from "./consumer-autoscaling-summary.ts";
import { jsonSchemaText, type JsonSchemaDraft } from "../sim/scenario/index.ts";

/** A p50 / p99 / max triple; null when the histogram behind it is empty. */
const quantiles = z.object({ p50: z.number().nullable(), p99: z.number().nullable(), max: z.number().nullable() }).strict();
const count = z.number().int().nonnegative();

export const costSchema = z
  .object({
    monthlyUsd: z.number().nonnegative(),
    lineItems: z.array(
      z
        .object({ item: z.string(), quantity: z.number(), unit: z.string(), unitPriceUsd: z.number(), monthlyUsd: z.number(), price: z.string() })
        .strict(),
    ),
    assumptions: z.array(z.string()),
  })
  .strict();

export type CostSummary = z.infer<typeof costSchema>;

const partition = z
  .object({
    id: z.string(),
    acceptedRecords: count,
    acceptedBytes: count,
    throttledAttempts: count,
    peakWriteUtilization: z.number().nonnegative().nullable(),
    peakAttemptUtilization: z.number().nonnegative().nullable(),
    retriedAttempts: count,
    // The partition's part of the records its system's producers sent (first attempts), and that over its fair share (reports/partition-shares.ts).
    shareOfWrites: z.number().nonnegative(),
    fairShareRatio: z.number().nonnegative(),
    secondsOverWriteLimit: z.number().nonnegative().nullable(),
    openedSeconds: z.number().nullable(),
    closedSeconds: z.number().nullable(),
    topKeys: z.array(z.object({ key: z.string(), records: count }).strict()),
  })
  .strict();

const consumer = z
  .object({
    name: z.string(),
    type: z.string(),
    records: z
      .object({ consumed: count, unread: count, inFlight: count, expired: count, deadLettered: count, lost: count, duplicates: count })
      .strict(),
    lagMs: quantiles,
    endToEndLatencyMs: quantiles,
    readThrottles: count,
    // The published metric the native quantiles below are of (docs/results.md "metrics.csv").
    nativeMetric: z.string(),
    // Each system's own lag metric beside lagMs (docs/design.md "Results"): one of these three.
    iteratorAgeMs: quantiles.optional(),
    recordsLag: quantiles.optional(),
    ageOfOldestMessageMs: quantiles.optional(),
    // Firehose's S3 delivery: DeliveryToS3.DataFreshness.
    dataFreshnessMs: quantiles.optional(),
    // SQS fleets: time from send to first receive.
    queueWaitMs: quantiles.optional(),
    // Lambda consumers: the function behind the event source mapping.
    lambda: lambdaConsumerSchema.optional(),
    // Autoscaled SQS fleets and Kafka groups: the consumer count over time and the recovery after bursts.
    autoscaling: autoscalingConsumerSchema.optional(),
    // Firehose consumers of a Kinesis stream: what they read, and their S3 delivery.
    firehose: firehoseConsumerSchema.optional(),
    // Flink consumers: the application's subtasks, KPUs and backpressure.
    flink: flinkConsumerSchema.optional(),
  })
  .strict();

const finding = z
  .object({
    severity: z.enum(["info", "warning", "critical"]),
    code: z.string(),
    subject: z.string(),
    message: z.string(),
    evidence: z.record(z.string(), z.union([z.number(), z.string()])),
  })
  .strict();

// What the system was configured to be as it ran, defaults included (sim/metrics/configuration.ts).
const configurationSchema = z
  .object({
    capacity: z.string(),
    partitions: count.nullable(),
    instanceType: z.string().nullable(),
    replicationCopies: count.nullable(),
    replication: z.string(),
    acknowledgement: z.enum(["replicated", "leader", "none"]),
    acks: z.string(),
    retentionSeconds: z.number().nonnegative(),
    retention: z.string(),
    consumers: z.array(
      z
        .object({
          name: z.string(),
          type: z.string(),
          instances: count,
          instancesOf: z.string(),
          processingPerRecordMs: z.number().nonnegative(),
          processingPerBatchMs: z.number().nonnegative(),
          reading: z.string(),
        })
        .strict(),
    ),
    producer: z.object({ lingerMs: z.number().nonnegative(), batching: z.string(), retry: z.string() }).strict(),
  })
  .strict();

// A provisioned Kinesis stream's alarm-driven scaling (docs/reference.md §1.10): its UpdateShardCount calls.
const autoscalingSchema = z
  .object({
    metric: z.enum(["incoming", "incoming-bytes", "incoming-records", "iterator-age"]),
    periodSeconds: z.number().positive(),
    publicationDelaySeconds: z.number().nonnegative(),
    // datapointsToAlarm x period + publication delay: the soonest a step in demand fires the scale-out alarm.
    scaleOutReactionSeconds: z.number().nonnegative(),
    minShards: count,
    maxShards: count,
    scaleOuts: count,
    scaleIns: count,
    refusedCalls: count,
    refusedForBudget: count,
    throttledSeconds: count,
    throttledSecondsBeforeAlarm: count,
    throttledSecondsWhileUpdating: count,
    actions: z.array(
      z
        .object({
          atSeconds: z.number().nonnegative(),
          direction: z.enum(["out", "in"]),
          fromShards: count,
          toShards: count,
          outcome: z.enum(["done", "refused"]),
          reason: z.string(),
          calls: count,
          // null when refused, or still UPDATING at the end of the run.
          landedSeconds: z.number().nonnegative().nullable(),
          // The newest datapoint the alarm saw: a share of capacity, or an iterator age in ms.
          datapoint: z.number(),
        })
        .strict(),
    ),
    // Open shards over time: the count at the start and after each change landed.
    shardCount: z.array(z.object({ atSeconds: z.number().nonnegative(), openShards: count }).strict()),
  })
  .strict();

export type AutoscalingSummary = z.infer<typeof autoscalingSchema>;

const system = z
  .object({
    name: z.string(),
    kind: z.enum(["kinesis", "kafka", "sqs", "firehose"]),
    configuration: configurationSchema,
    records: z.object({ produced: count, accepted: count, throttledAttempts: count, dropped: count, pending: count }).strict(),
    bytes: z.object({ produced: count, accepted: count }).strict(),
    producerLatencyMs: quantiles,
    partitions: z.array(partition),
    consumers: z.array(consumer),
    // null when the system is not priced.
    cost: costSchema.nullable(),
    findings: z.array(finding),
    facts: z.record(z.string(), z.union([z.number(), z.string()])),
    // Firehose only: the S3 objects written (delivered, and sent to the backup or error prefix) and their sizes in bytes.
    objects: z.object({ delivered: count, backedUp: count, sizeBytes: quantiles, meanBytes: z.number().nullable() }).strict().optional(),
    // Kinesis provisioned streams with an autoscaling block only.
    autoscaling: autoscalingSchema.optional(),
  })
  .strict();

const producer = z
  .object({
    producer: z.string(),
    records: z.object({ produced: count }).strict(),
    bytes: z.object({ produced: count }).strict(),
    recordsPerSecond: z.object({ mean: z.number().nullable(), peak: z.number() }).strict(),
    recordSizeBytes: z
      .object({
        mean: z.number().nullable(),
        p50: z.number().nullable(),
        p99: z.number().nullable(),
        max: z.number().nullable(),
        cap: count,
        capSource: z.string(),
        clipped: count,
      })
      .strict(),
    keys: z
      .object({
        distribution: z.string(),
        cardinality: count.nullable(),
        distinctSeen: count,
        topShare: z.number().nullable(),
        top: z.array(z.object({ key: z.string(), records: count, share: z.number().nullable() }).strict()),
      })
      .strict(),
  })
  .strict();

// With two systems or more: how they compare, and where they are not configured alike.
const comparison = z
  .object({
    sentence: z.string(),
    notLikeForLike: z.array(
      z
        .object({
          setting: z.string(),
          values: z.array(z.object({ system: z.string(), value: z.string() }).strict()),
          why: z.string(),
        })
        .strict(),
    ),
    costAtRetention: z.array(
      z
        .object({
          // null (and retention ""): no system of the run keeps a log (Firehose streams alone), each priced as configured.
          retentionSeconds: z.number().nonnegative().nullable(),
          retention: z.string(),
          // null: the system keeps no log (a Firehose stream), priced as configured in every row.
          systems: z.array(z.object({ system: z.string(), monthlyUsd: z.number(), pricedRetentionSeconds: z.number().nonnegative().nullable() }).strict()),
        })
        .strict(),
    ),
  })
  .strict();

export type ComparisonSummary = z.infer<typeof comparison>;
export type ConfigurationSummary = z.infer<typeof configurationSchema>;

export const summarySchema = z
  .object({
    scenario: z.string(),
    seed: z.number().int(),
    simulatedSeconds: z.number().positive(),
    warmupSeconds: z.number().nonnegative(),
    tool: z.object({ version: z.string() }).strict(),
    scenarioSha256: z.string().regex(/^[0-9a-f]{64}$/),
    workload: z.array(producer),
    systems: z.array(system),
    // null with fewer than two systems.
    comparison: comparison.nullable(),
    notes: z.array(z.object({ severity: z.enum(["info", "warning"]), code: z.string(), message: z.string() }).strict()),
  })
  .strict();

/** The JSON Schema text of summary.json (docs/summary.schema.json). */
export function summaryJsonSchema(draft: JsonSchemaDraft = "2020-12"): string {
  const schema = z.toJSONSchema(summarySchema, { target: draft === "07" ? "draft-07" : "draft-2020-12" });
  return jsonSchemaText(schema, summarySchemaId, "streamsim summary.json");
}

/** The $id of summary.json's schema: a name, not a URL. */
export const summarySchemaId = "urn:streamsim:schema:summary";
