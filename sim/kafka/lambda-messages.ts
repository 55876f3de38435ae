// Every sentence the Kafka Lambda consumer findings say: the cause, and what to do about it.

import { fullBatchText, type FullBatch } from "../lambda/index.ts";
import type { LambdaFunctionSpec } from "../scenario/lambda-schema.ts";

const count = (value: number): string => Math.round(value).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
const records = (value: number): string => `${count(value)} record${Math.round(value) === 1 ? "" : "s"}`;
const duration = (ms: number): string =>
  ms >= 7_200_000 ? `${(ms / 3_600_000).toFixed(1)} h` : ms >= 120_000 ? `${(ms / 60_000).toFixed(1)} min` : ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${ms.toFixed(0)} ms`;

/** Why a Kafka Lambda consumer falls behind, as the finding names it. */
export type LambdaKafkaBehindCause = "partitions" | "hot-partition" | "function-duration" | "pollers" | "concurrency-limit" | "errors";

export interface LambdaKafkaCapacity {
  partitions: number;
  /** Records per second one partition's batches process with a backlog: full batch / its duration (one batch at a time). */
  perPartitionRecordsPerSecond: number;
  arrivalsPerPartitionPerSecond: number;
  busiestPartition: string;
  busiestPartitionPerSecond: number;
  batchSize: number;
  /** A full batch and its duration, from the function's configured cost. */
  batch: FullBatch;
  /** What a partition processes with the largest batches (batchSize 10,000): a larger batchSize helps only below it. */
  largestBatchRecordsPerSecond: number;
  function: LambdaFunctionSpec;
  pollersMode: "on-demand" | "provisioned";
  finalPollers: number;
  /** Pollers that run an invocation for every partition (5 invocations each). */
  pollersForAllPartitions: number;
}

export const lambdaKafkaMessages = {
  fallingBehind: (consumer: string, finalLagMs: number, growthMsPerSecond: number, cause: LambdaKafkaBehindCause, c: LambdaKafkaCapacity) =>
    `${consumer} falls behind: the oldest record it had not processed was ${duration(finalLagMs)} old at the end and the lag grew by ${growthMsPerSecond.toFixed(0)} ms per second. ` +
    `Each partition takes ${count(c.arrivalsPerPartitionPerSecond)} records/s; Lambda runs one batch per partition at a time (to keep its order), and ${fullBatchText(c.batch, c.function, c.batchSize)}, so a partition processes at most ${count(c.perPartitionRecordsPerSecond)} records/s. ` +
    {
      partitions:
        "The partitions cap the concurrency: raise batchSize (up to 10,000) so each invocation's fixed cost is shared by more records, add partitions (more batches at once), or make the function faster.",
      "hot-partition":
        `The partitions take records unevenly: the busiest, ${c.busiestPartition}, takes ${count(c.busiestPartitionPerSecond)} records/s, more than its one batch at a time processes, which more pollers cannot change. ` +
        (c.largestBatchRecordsPerSecond >= c.busiestPartitionPerSecond
          ? "Raise batchSize, make the function faster, or spread its keys over more partitions (see the hot-partition finding)."
          : `No batch size is enough: even batches of 10,000 process at most ${count(c.largestBatchRecordsPerSecond)} records/s there. Make the function faster, or spread its keys over more partitions (see the hot-partition finding; a key that alone sends more than that needs splitting, e.g. a suffix, as no partition count divides one key).`),
      "function-duration": "Even batches of 10,000 records are not enough: make the function faster (more memory also means more CPU) or add partitions.",
      pollers:
        c.pollersMode === "on-demand"
          ? `The event pollers bound the concurrency: ${count(c.finalPollers)} ran at the end, ${count(c.pollersForAllPartitions)} would run a batch on every partition. On demand, Lambda adds pollers after a minute's evaluation and up to three minutes more; for load that cannot wait, use provisioned mode with minimumPollers ${count(c.pollersForAllPartitions)}.`
          : `The event pollers bound the concurrency: ${count(c.finalPollers)} ran at the end, ${count(c.pollersForAllPartitions)} would run a batch on every partition. Raise minimumPollers (or maximumPollers).`,
      "concurrency-limit": "Invocations are throttled for want of concurrency (see lambda-throttled): raise the account's limit or the function's reserved concurrency.",
      errors: "Failed batches are retried and hold their partitions back (see lambda-partition-blocked).",
    }[cause],
  errorControlsOnDemand: (consumer: string, settings: string) =>
    `${consumer} sets ${settings} in on-demand mode: Lambda offers a Kafka mapping's error handling controls with provisioned pollers, so on AWS this mapping needs pollers.mode provisioned (billed per poller-hour). The run applied the settings as given.`,
  pollersRamp: (consumer: string, peak: number, peakAtMs: number, lagMaxMs: number) =>
    `${consumer} started with one event poller (5 concurrent invocations) and reached ${count(peak)} pollers only ${duration(peakAtMs)} into the run: on demand, Lambda adds pollers after each minute's look at the offset lag and up to three minutes more. Meanwhile its lag reached ${duration(lagMaxMs)}. ` +
    `If load arrives faster than that ramp, use provisioned mode with minimumPollers ${count(peak)} (billed per poller-hour) so the pollers are there from the start.`,
  partitionBlocked: (consumer: string, partition: string, blockedMs: number, retries: number, unbounded: boolean, retentionMs: number, bisect: boolean) =>
    `${consumer} kept retrying one failing batch on ${partition} for ${duration(blockedMs)} (${count(retries)} retries over all partitions) while the records behind it waited: Lambda keeps a partition's order, so nothing behind the batch is processed. ` +
    (unbounded ? `With maximumRetryAttempts -1, no bisectBatchOnFunctionError and no maximumRecordAge, a poison record stops its partition until retention deletes it, up to ${duration(retentionMs)} (the topic's retention) after it arrived. ` : "") +
    (bisect
      ? "Bisection isolates the bad record, but nothing gives it up: bound the retries with maximumRetryAttempts or maximumRecordAge, and set an on-failure destination to keep what is given up (error handling controls need provisioned mode)."
      : "Turn on bisectBatchOnFunctionError (or reportBatchItemFailures) to isolate the bad record, bound the retries with maximumRetryAttempts or maximumRecordAge, and set an on-failure destination to keep what is given up (error handling controls need provisioned mode)."),
  throttled: (consumer: string, throttles: number, peak: number, limit: number, reserved: number | undefined) =>
    `${count(throttles)} invocations of ${consumer} were throttled: ` +
    (reserved === undefined
      ? `the account's functions ran ${count(peak)} executions at once against its concurrency limit of ${count(limit)}. Raise the account limit (a quota increase) or give the function reserved concurrency.`
      : `the function's reserved concurrency is ${count(reserved)}. Raise it (it is also the function's ceiling).`) +
    " On demand, Lambda also removes event pollers when the function is throttled, which slows the mapping further.",
  discarded: (consumer: string, given: number) =>
    `${consumer} gave up on ${records(given)} (retries or maximumRecordAge exhausted) with no on-failure destination: ${given === 1 ? "it was" : "they were"} skipped and ${given === 1 ? "is" : "are"} gone. Set an on-failure destination (SQS, SNS, S3 or a Kafka topic) to keep what is given up.`,
  sentToDestination: (consumer: string, given: number) =>
    `${consumer} gave up on ${records(given)} and sent ${given === 1 ? "it" : "them"} to its on-failure destination: something must replay or inspect ${given === 1 ? "it" : "them"}.`,
  timeouts: (consumer: string, timeouts: number, timeoutMs: number) =>
    `${count(timeouts)} invocations of ${consumer} ran past the function's timeout (${duration(timeoutMs)}) and failed whole: raise the timeout (up to 15 min) or lower batchSize.`,
} as const;
