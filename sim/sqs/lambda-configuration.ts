// An SQS Lambda consumer's configuration as it ran, for the report's configuration table.

import type { ConsumerConfiguration } from "../metrics/configuration.ts";
import type { LambdaSqsConsumerSpec } from "../scenario/lambda-sqs-schema.ts";
import { lambdaConcurrencyBound } from "../lambda/index.ts";
import { formatDurationUs } from "../units/index.ts";
import { mappingPollersMax } from "./lambda-limits.ts";

export function lambdaSqsConfiguration(consumer: LambdaSqsConsumerSpec, fifo: boolean): ConsumerConfiguration {
  const fn = consumer.function;
  const window = consumer.maximumBatchingWindow > 0 ? `, window ${formatDurationUs(consumer.maximumBatchingWindow)}` : "";
  const cap = consumer.maximumConcurrency ?? mappingPollersMax;
  const start = Math.min(5, cap);
  return {
    name: consumer.name,
    type: `Lambda (SQS event source mapping, ${fn.memory} MB ${fn.architecture})`,
    ...lambdaConcurrencyBound(cap, consumer.maximumConcurrency === undefined ? "concurrent batches at most (the mapping's ceiling)" : "concurrent batches at most (maximumConcurrency)", fn.reservedConcurrency),
    processingPerRecordUs: fn.duration.perRecord,
    processingPerBatchUs: fn.duration.perBatch,
    reading: `batches of up to ${consumer.batchSize.toLocaleString("en-US")} messages${window}, from ${start} concurrent batches growing by 300 a minute while messages wait (at most ${cap.toLocaleString("en-US")})${fifo ? ", one batch per message group at a time" : ""}; on error: ${consumer.reportBatchItemFailures ? "failed messages" : "the whole batch"} back after the visibility timeout`,
  };
}
