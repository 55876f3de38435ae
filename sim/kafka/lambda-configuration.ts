// A Lambda Kafka consumer's configuration as it ran, for the report's configuration table.

import type { ConsumerConfiguration } from "../metrics/configuration.ts";
import type { LambdaKafkaConsumerSpec } from "../scenario/lambda-schema.ts";
import { lambdaConcurrencyBound } from "../lambda/index.ts";
import { formatDurationUs } from "../units/index.ts";

export function lambdaConsumerConfiguration(consumer: LambdaKafkaConsumerSpec, partitions: number): ConsumerConfiguration {
  const fn = consumer.function;
  const window = consumer.maximumBatchingWindow > 0 ? `, window ${formatDurationUs(consumer.maximumBatchingWindow)}` : "";
  const pollers = consumer.pollers.mode === "provisioned" ? `${consumer.pollers.minimumPollers}-${consumer.pollers.maximumPollers} provisioned pollers` : "pollers on demand";
  const retries = consumer.maximumRetryAttempts === -1 ? (consumer.onFailureDestination ? "10 retries" : "retries until records expire") : `${consumer.maximumRetryAttempts} retries`;
  const onError = [retries, consumer.bisectBatchOnFunctionError ? "bisect" : "", consumer.reportBatchItemFailures ? "partial batch response" : "", consumer.onFailureDestination ? "on-failure destination" : ""]
    .filter((part) => part !== "")
    .join(", ");
  return {
    name: consumer.name,
    type: `Lambda (Kafka event source mapping, ${fn.memory} MB ${fn.architecture})`,
    ...lambdaConcurrencyBound(partitions, "concurrent batches at most (one per partition)", fn.reservedConcurrency),
    processingPerRecordUs: fn.duration.perRecord,
    processingPerBatchUs: fn.duration.perBatch,
    reading: `batches of up to ${consumer.batchSize} records${window}, one per partition at once, ${pollers}; on error: ${onError}`,
  };
}
