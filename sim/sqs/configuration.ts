// An SQS queue's configuration as it ran (defaults included), in the shape every kind shares, for the
// report's configuration table and its like-for-like check.

import { backoffRetryText, retentionText, type ConsumerConfiguration, type SystemConfiguration } from "../metrics/configuration.ts";
import type { SqsSystem } from "../scenario/types.ts";
import { formatDurationUs } from "../units/index.ts";
import { lambdaSqsConfiguration } from "./lambda-configuration.ts";

export function sqsConfiguration(system: SqsSystem): SystemConfiguration {
  const { queue, producer } = system;
  const batch = producer.batch;
  return {
    capacity: `${queue.type} queue${queue.type === "fifo" && queue.highThroughput ? " (high throughput)" : ""}`,
    partitions: null,
    instanceType: null,
    // SQS stores a message in more than one AZ before it acknowledges the send; it does not say how many copies (docs/reference.md §4).
    replicationCopies: null,
    replication: "several AZs, synchronous (by the service)",
    acknowledgement: "replicated",
    acks: "after the service stores the message in several AZs",
    retentionUs: queue.retention,
    retention: retentionText(queue.retention),
    consumers: system.consumers.map((consumer) => (consumer.type === "lambda" ? lambdaSqsConfiguration(consumer, system.queue.type === "fifo") : fleetConfiguration(consumer))),
    producer: {
      lingerUs: batch.linger,
      batching: batch.maxMessages === 1 ? "one message per SendMessage" : `SendMessageBatch of up to ${batch.maxMessages} messages, linger ${formatDurationUs(batch.linger)}`,
      retry: backoffRetryText(producer.retry),
    },
  };
}

function fleetConfiguration(fleet: Exclude<SqsSystem["consumers"][number], { type: "lambda" }>): ConsumerConfiguration {
  const polling = fleet.waitTime > 0 ? `long polls (${formatDurationUs(fleet.waitTime)})` : "short polls";
  return {
    name: fleet.name,
    type: "consumer fleet (ReceiveMessage)" + (fleet.autoscaling === undefined ? "" : targetTrackingText(fleet.autoscaling)),
    instances: fleet.count,
    instancesOf: "consumers",
    processingPerRecordUs: fleet.processing.perRecord,
    processingPerBatchUs: fleet.processing.perBatch,
    reading: `${polling} for up to ${fleet.maxMessages} message${fleet.maxMessages === 1 ? "" : "s"}` + (fleet.maxMessages > 1 ? wholeBatchCaveat(fleet.maxMessages) : ""),
  };
}


/**
 * The model's receive, as a caveat beside the setting: it hands out every visible message up to
 * maxMessages (real SQS may return fewer: a short poll samples a subset of its servers,
 * docs/reference.md §4), and deletes a batch only once all of it is processed, so the first message of a
 * full batch waits for the rest (docs/models.md, SQS "Receiving").
 */
function wholeBatchCaveat(maxMessages: number): string {
  return ` (modelled as whole batches: a receive takes every visible message up to ${maxMessages}, where SQS may return fewer, and one DeleteMessageBatch follows the whole batch's processing)`;
}

/** An autoscaled fleet's scaling, in words (docs/reference.md §11.1). */
function targetTrackingText(scaling: NonNullable<Exclude<SqsSystem["consumers"][number], { type: "lambda" }>["autoscaling"]>): string {
  return `, target tracking from ${scaling.minConsumers} to ${scaling.maxConsumers} on ${scaling.targetBacklogPerConsumer} visible messages per consumer, ${formatDurationUs(scaling.metricPeriod)} datapoints`;
}
