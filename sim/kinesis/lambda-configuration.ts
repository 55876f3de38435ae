// A Lambda consumer's configuration as it ran, for the report's configuration table.

import type { ConsumerConfiguration } from "../metrics/configuration.ts";
import type { LambdaKinesisConsumerSpec } from "../scenario/lambda-schema.ts";
import { lambdaConcurrencyBound } from "../lambda/index.ts";
import { formatDurationUs } from "../units/index.ts";

export function lambdaConsumerConfiguration(consumer: LambdaKinesisConsumerSpec, shards: number): ConsumerConfiguration {
  const fn = consumer.function;
  const window = consumer.maximumBatchingWindow > 0 ? `, window ${formatDurationUs(consumer.maximumBatchingWindow)}` : "";
  const retries = consumer.maximumRetryAttempts === -1 ? "retries until records expire" : `${consumer.maximumRetryAttempts} retries`;
  const age = consumer.maximumRecordAge === -1 ? "" : `maximum record age ${formatDurationUs(consumer.maximumRecordAge)}`;
  const onError = [retries, age, consumer.bisectBatchOnFunctionError ? "bisect" : "", consumer.reportBatchItemFailures ? "partial batch response" : "", consumer.onFailureDestination ? "on-failure destination" : ""]
    .filter((part) => part !== "")
    .join(", ");
  return {
    name: consumer.name,
    type: `Lambda (${consumer.efo ? "enhanced fan-out" : "event source mapping, GetRecords"}, ${fn.memory} MB ${fn.architecture})`,
    ...lambdaConcurrencyBound(shards * consumer.parallelizationFactor, "concurrent batches (shards x parallelization factor)", fn.reservedConcurrency),
    processingPerRecordUs: fn.duration.perRecord,
    processingPerBatchUs: fn.duration.perBatch,
    reading: `batches of up to ${consumer.batchSize} records${window}, ${consumer.parallelizationFactor} per shard at once; on error: ${onError}`,
  };
}
