// The Lambda consumer blocks: a function behind an event source mapping (docs/reference.md §6). The
// function's settings are shared by every mapping kind; the Kinesis mapping adds its own. Defaults are
// the Lambda service's own, cited by section; a figure AWS does not publish is marked as an estimate.

import { z } from "zod";
import { duration, durationBetween, fraction, intBetween, latency, name, positiveInt } from "./fields.ts";

const minuteUs = 60_000_000;

// Duration of one invocation: perBatch + perRecord x records, fixed or exponential with that mean.
const functionDuration = z
  .strictObject({
    perBatch: duration().prefault("0s"),
    perRecord: duration().prefault("0s"),
    distribution: z.enum(["fixed", "exponential"]).prefault("fixed").describe("fixed: exactly perBatch + perRecord x records; exponential: that mean, memoryless"),
  })
  .prefault({});

// Errors the function returns: transient ones (a chance per record, drawn afresh on every attempt) and
// poison records that fail every time they are sent.
const functionErrors = z
  .strictObject({
    probability: fraction().prefault(0).describe("chance that a record makes an invocation fail, drawn afresh on each attempt (transient errors)"),
    poisonRecords: fraction().prefault(0).describe("share of records that always fail (malformed records): an invocation holding one fails every time"),
    poisonKeys: fraction().prefault(0).describe("share of partition keys whose records always fail (a tenant or device the function cannot handle)"),
  })
  .prefault({});

// Memory 128 MB default, 128-10,240 MB; timeout 3 s default, at most 15 minutes (docs/reference.md §6.1).
// Cold starts: AWS publishes no init duration or idle lifetime; both are estimates (docs/reference.md §6.1).
export const lambdaFunction = z
  .strictObject({
    duration: functionDuration,
    memory: intBetween(128, 10_240).prefault(128).describe("MB of memory (128 to 10,240): GB-seconds bill memory x duration"),
    architecture: z.enum(["x86_64", "arm64"]).prefault("x86_64").describe("x86_64 or arm64 (Graviton): arm64 GB-seconds cost 20% less"),
    timeout: durationBetween(1_000_000, 15 * minuteUs, "1s", "15m").prefault("3s").describe("an invocation running longer fails with a timeout (all its records fail)"),
    coldStart: z
      .strictObject({
        initDuration: duration().prefault("250ms").describe("time a new execution environment spends in its init phase before the handler runs (an estimate; billed)"),
        keepWarm: duration().prefault("10m").describe("how long an idle execution environment is kept for reuse (an estimate: AWS publishes none)"),
      })
      .prefault({}),
    reservedConcurrency: intBetween(0, 100_000).optional().describe("the function's reserved concurrency: its own share of the account's limit, and its ceiling; default: none (it draws on the unreserved pool)"),
    errors: functionErrors,
  })
  .prefault({});

// The account's Lambda concurrency shared by every Lambda consumer of the system (each system of a
// scenario replays the workload in its own account): 1,000 by default (docs/reference.md §6.1).
export const lambdaAccount = z
  .strictObject({
    concurrencyLimit: positiveInt(1_000_000).prefault(1000).describe("concurrent executions of the account's functions together (default 1,000)"),
  })
  .prefault({});

// MaximumRecordAgeInSeconds: -1 (infinite) or 60 s to 7 days (docs/reference.md §6.2).
const recordAgeMaxUs = 7 * 24 * 60 * minuteUs;
const maximumRecordAge = z
  .union([z.literal(-1), duration()], { error: "-1 (no limit) or a duration from 60s to 7d" })
  .refine((valueUs) => valueUs === -1 || (valueUs >= 60_000_000 && valueUs <= recordAgeMaxUs), { error: "-1 (no limit) or a duration from 60s to 7d" })
  .prefault(-1)
  .describe("records older than this are not sent to the function: they go to the on-failure destination (or are discarded); -1: no limit");

// The Kinesis event source mapping's parameters and defaults (docs/reference.md §6.2).
export const lambdaKinesisConsumer = z.strictObject({
  name: name(),
  type: z.literal("lambda"),
  efo: z.boolean().prefault(false).describe("read through an enhanced fan-out consumer (dedicated 2 MiB/s per shard) instead of the shared GetRecords limits"),
  startingPosition: z.enum(["latest", "trim-horizon"]).prefault("trim-horizon").describe("where the mapping starts reading: the stream's oldest record or its tip (a run starts with an empty stream, so both begin at its first record)"),
  batchSize: intBetween(1, 10_000).prefault(100),
  maximumBatchingWindow: durationBetween(0, 5 * minuteUs, "0s", "300s").prefault("0s").describe("how long the mapping gathers records before it invokes with less than a full batch"),
  parallelizationFactor: intBetween(1, 10).prefault(1).describe("batches of one shard processed at once"),
  maximumRetryAttempts: intBetween(-1, 10_000).prefault(-1).describe("retries of a failed batch; -1: until its records expire"),
  maximumRecordAge,
  bisectBatchOnFunctionError: z.boolean().prefault(false).describe("split a failed batch in two and retry each half (does not use up retries)"),
  reportBatchItemFailures: z.boolean().prefault(false).describe("the function reports its first failed record: the mapping checkpoints before it and retries from there"),
  onFailureDestination: z.boolean().prefault(false).describe("records the mapping gives up on are sent to an on-failure destination (SQS, SNS, S3) instead of being discarded"),
  // GetRecords round trip, as the KCL polling consumer's (docs/reference.md §1.5).
  latency: latency("20ms", "80ms"),
  function: lambdaFunction,
});

// The Kafka (Amazon MSK and self-managed) event source mapping's parameters and defaults (docs/reference.md
// §6.6): batch size 100 (up to 10,000), batching window 500 ms, event pollers on demand (Lambda scales
// them on offset lag) or provisioned (1-200 minimum, 1-2,000 maximum, default 1 and 200).
const kafkaPollers = z
  .strictObject({
    mode: z.enum(["on-demand", "provisioned"]).prefault("on-demand").describe("on-demand: Lambda starts with one event poller and adds pollers on offset lag; provisioned: between minimumPollers and maximumPollers, billed per poller"),
    minimumPollers: intBetween(1, 200).prefault(1).describe("provisioned mode: event pollers always running (1 to 200)"),
    maximumPollers: intBetween(1, 2000).prefault(200).describe("provisioned mode: the most event pollers (1 to 2,000; Lambda uses at most one per partition)"),
  })
  .refine((pollers) => pollers.maximumPollers >= pollers.minimumPollers, { error: "a maximumPollers not below minimumPollers", path: ["maximumPollers"] })
  .prefault({});

export const lambdaKafkaConsumer = z.strictObject({
  name: name(),
  type: z.literal("lambda"),
  batchSize: intBetween(1, 10_000).prefault(100),
  maximumBatchingWindow: durationBetween(0, 5 * minuteUs, "0s", "300s").prefault("500ms").describe("how long the mapping gathers records before it invokes with less than a full batch (Kafka default 500 ms)"),
  pollers: kafkaPollers,
  maximumRetryAttempts: intBetween(-1, 10_000).prefault(-1).describe("retries of a failed batch; -1: until its records expire (10 when an on-failure destination is set)"),
  maximumRecordAge,
  bisectBatchOnFunctionError: z.boolean().prefault(false).describe("split a failed batch in two and retry each half (does not use up retries)"),
  reportBatchItemFailures: z.boolean().prefault(false).describe("the function reports its first failed record: the mapping commits before it and retries from there"),
  onFailureDestination: z.boolean().prefault(false).describe("records the mapping gives up on are sent to an on-failure destination (SQS, SNS, S3 or a Kafka topic) instead of being discarded"),
  // The mapping's fetch round trip to the brokers, as a consumer group's (docs/reference.md §3.4).
  latency: latency("2ms", "10ms"),
  function: lambdaFunction,
});

export type LambdaFunctionSpec = z.output<typeof lambdaFunction>;
export type LambdaAccountSpec = z.output<typeof lambdaAccount>;
export type LambdaKinesisConsumerSpec = z.output<typeof lambdaKinesisConsumer>;
export type LambdaKafkaConsumerSpec = z.output<typeof lambdaKafkaConsumer>;
