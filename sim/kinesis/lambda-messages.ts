// Every sentence the Lambda consumer findings say: the cause, and what to do about it.

import { fullBatchText, type FullBatch } from "../lambda/index.ts";
import type { LambdaFunctionSpec } from "../scenario/lambda-schema.ts";

const count = (value: number): string => Math.round(value).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
const records = (value: number): string => `${count(value)} record${Math.round(value) === 1 ? "" : "s"}`;
const duration = (ms: number): string =>
  ms >= 7_200_000 ? `${(ms / 3_600_000).toFixed(1)} h` : ms >= 120_000 ? `${(ms / 60_000).toFixed(1)} min` : ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${ms.toFixed(0)} ms`;

/** Why a Lambda consumer falls behind, as the finding names it. */
export type LambdaBehindCause = "parallelization" | "batch-size" | "function-duration" | "concurrency-limit" | "read-throttling" | "errors" | "hot-key";

/** A key that alone sends a shard more than one lane processes, and what the shard's lanes did. */
export interface HotKeyLane {
  shard: string;
  key: string;
  /** The key's lane (0 .. factor - 1) and the shard's lanes. */
  lane: number;
  factor: number;
  keyRecordsPerSecond: number;
  /** What the key's lane and, on average, each other lane of the shard processed over the run. */
  laneRecordsPerSecond: number;
  otherLanesRecordsPerSecond: number;
  batchSize: number;
  /** What one lane processes with the largest batches (batchSize 10,000): larger batches help the key only below it. */
  largestBatchRecordsPerSecond: number;
}

export interface LambdaCapacity {
  /** Records per second one shard's lanes process with a backlog: P x full batch / its duration. */
  perShardRecordsPerSecond: number;
  arrivalsPerShardPerSecond: number;
  parallelizationFactor: number;
  batchSize: number;
  /** A full batch and its duration, from the function's configured cost. */
  batch: FullBatch;
  function: LambdaFunctionSpec;
  /** The parallelization factor that would keep up (Infinity beyond 10). */
  factorNeeded: number;
  /** What one lane processes with the largest batches (batchSize 10,000 or the payload limit). */
  largestBatchRecordsPerSecond: number;
}

export const lambdaMessages = {
  fallingBehind: (consumer: string, finalLagMs: number, growthMsPerSecond: number, cause: LambdaBehindCause, capacity: LambdaCapacity) =>
    `${consumer} falls behind: its IteratorAge was ${duration(finalLagMs)} at the end and grew by ${growthMsPerSecond.toFixed(0)} ms per second. ` +
    `The shards take ${count(capacity.arrivalsPerShardPerSecond)} records/s each on average; ${fullBatchText(capacity.batch, capacity.function, capacity.batchSize)}, ` +
    `so with ${capacity.parallelizationFactor} at a time a shard's batches process at most ${count(capacity.perShardRecordsPerSecond)} records/s. ` +
    {
      parallelization: `Raise parallelizationFactor to ${capacity.factorNeeded} (concurrent batches per shard, up to 10) or add shards.`,
      "batch-size": "Even 10 concurrent batches per shard are not enough at this batch size: raise batchSize so each invocation's fixed cost is shared by more records, or add shards.",
      "function-duration": "Batches cannot grow or run more in parallel enough to keep up: make the function faster (more memory also means more CPU) or add shards.",
      "concurrency-limit": "Invocations are throttled for want of concurrency (see lambda-throttled): raise the account's limit or the function's reserved concurrency.",
      "read-throttling": "Its GetRecords calls are throttled by the shard's shared read limits (see read-throttled): use enhanced fan-out (efo: true) or fewer polling consumers.",
      errors: "Failed batches are retried and hold their shards back (see lambda-shard-blocked).",
      "hot-key": "One key's records all go to one of its shard's concurrent batches and hold the shard back (see lambda-hot-key-lane): more parallelizationFactor does not help that key.",
    }[cause],
  shardBlocked: (consumer: string, shard: string, blockedMs: number, retries: number, unbounded: boolean, retentionMs: number) =>
    `${consumer} kept retrying one failing batch on ${shard} for ${duration(blockedMs)} (${count(retries)} retries over all shards) while the records behind it waited. ` +
    (unbounded
      ? `With maximumRetryAttempts -1, no bisectBatchOnFunctionError and no maximumRecordAge, a poison record stops its shard until it expires from the stream, up to ${duration(retentionMs)} (the retention) after it arrived. `
      : "") +
    "Turn on bisectBatchOnFunctionError (or reportBatchItemFailures) to isolate the bad record, bound the retries with maximumRetryAttempts or maximumRecordAge, and set an on-failure destination to keep what is given up.",
  throttled: (consumer: string, throttles: number, peak: number, limit: number, reserved: number | undefined) =>
    `${count(throttles)} invocations of ${consumer} were throttled: ` +
    (reserved === undefined
      ? `the account's functions ran ${count(peak)} executions at once against its concurrency limit of ${count(limit)}. Raise the account limit (a quota increase), give the function reserved concurrency, or lower parallelizationFactor on mappings that can wait.`
      : `the function's reserved concurrency is ${count(reserved)}. Raise it (it is also the function's ceiling) or lower parallelizationFactor.`) +
    " A throttled batch is retried until its records expire or pass maximumRecordAge.",
  discarded: (consumer: string, given: number) =>
    `${consumer} gave up on ${records(given)} (retries or maximumRecordAge exhausted) with no on-failure destination: ${given === 1 ? "it was" : "they were"} skipped and ${given === 1 ? "is" : "are"} gone. Set an on-failure destination (SQS, SNS or S3) to keep what is given up.`,
  sentToDestination: (consumer: string, given: number) =>
    `${consumer} gave up on ${records(given)} and sent ${given === 1 ? "it" : "them"} to its on-failure destination: something must replay or inspect ${given === 1 ? "it" : "them"}.`,
  hotKeyLane: (consumer: string, hot: HotKeyLane) =>
    `Key "${hot.key}" alone sends ${count(hot.keyRecordsPerSecond)} records/s to ${hot.shard}, more than the one of ${consumer}'s ${hot.factor} concurrent batches there that may take it processed ` +
    `(${count(hot.laneRecordsPerSecond)} records/s, in batches of up to ${records(hot.batchSize)}, one at a time). ` +
    `Lambda keeps a key's records in order, so all of them go to that lane, while the other ${hot.factor - 1} lanes averaged ${count(hot.otherLanesRecordsPerSecond)} records/s; ` +
    "the shard fell behind because of it (the reader's read-ahead fills with the key's records). " +
    "More parallelizationFactor does not help this key: spread it over several keys (a suffix such as key#0..key#3 where order across them does not matter), or " +
    (hot.largestBatchRecordsPerSecond >= hot.keyRecordsPerSecond
      ? "make each batch faster or larger."
      : `make the function faster (even batches of 10,000 take at most ${count(hot.largestBatchRecordsPerSecond)} records/s through one lane, so larger batches are not enough).`),
  timeouts: (consumer: string, timeouts: number, timeoutMs: number) =>
    `${count(timeouts)} invocations of ${consumer} ran past the function's timeout (${duration(timeoutMs)}) and failed whole: raise the timeout (up to 15 min) or lower batchSize.`,
} as const;
