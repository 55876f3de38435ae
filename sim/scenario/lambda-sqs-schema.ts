// The SQS event source mapping's block: a Lambda function consuming an SQS queue (docs/reference.md §6.5).
// The function's settings are the ones every mapping kind shares (lambda-schema.ts); limits that depend
// on the queue (FIFO batch size, batching window, visibility timeout) are checked in checks.ts.

import { z } from "zod";
import { durationBetween, intBetween, latency, name } from "./fields.ts";
import { lambdaFunction } from "./lambda-schema.ts";

const minuteUs = 60_000_000;

// BatchSize default 10, up to 10,000 on standard queues (10 on FIFO); batching window 0-300 s;
// MaximumConcurrency 2-1,000, default none (docs/reference.md §6.5).
export const lambdaSqsConsumer = z.strictObject({
  name: name(),
  type: z.literal("lambda"),
  batchSize: intBetween(1, 10_000).prefault(10).describe("messages per invocation at most (standard queues up to 10,000, above 10 with a batching window of 1s or more; FIFO up to 10)"),
  maximumBatchingWindow: durationBetween(0, 5 * minuteUs, "0s", "300s").prefault("0s").describe("how long the mapping gathers messages before it invokes with less than a full batch (standard queues only)"),
  maximumConcurrency: intBetween(2, 1000).optional().describe("the most invocations the mapping runs at once (2 to 1,000); default: none, the mapping scales to 1,250 concurrent invocations"),
  reportBatchItemFailures: z.boolean().prefault(false).describe("the function reports which messages failed: only those return to the queue, the rest are deleted"),
  // No published ReceiveMessage latency: the same tens of milliseconds as an SQS consumer fleet's (docs/reference.md §4).
  receiveLatency: latency("10ms", "40ms"),
  function: lambdaFunction,
});

export type LambdaSqsConsumerSpec = z.output<typeof lambdaSqsConsumer>;
