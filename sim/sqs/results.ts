// What the SQS model hands to reports/: per-fleet consumer results and the queue's CloudWatch series.
//
// SystemResult.usage (priced by the cost model), counted where the calls happen, only for calls made
// at or after the end of warm-up. Each request count is API calls times the 64 KB chunks of that
// call's payload, at least one per call (docs/reference.md §4: a SendMessageBatch of ten 20 KB messages, 200 KB,
// is 4 billed requests):
//   sendRequests                SendMessage(Batch) calls accepted by SQS, by payload chunks
//   receiveRequests             ReceiveMessage calls that returned messages, by returned payload chunks
//   emptyReceiveRequests        ReceiveMessage calls that returned nothing (after their wait), 1 each
//   deleteRequests              DeleteMessageBatch calls (receipt handles only: 1 each)
//   changeVisibilityRequests    ChangeMessageVisibility calls: the modelled consumers make none (0)
//   messagesSent, bytesSent     messages and message-body bytes accepted by SQS (a retried call's once)
// Throttled calls (FIFO per-action limits) are refused before any work and are not counted.

import { ProducerMeter, type ConsumerResult, type SqsSeries } from "../metrics/index.ts";
import type { ConsumerFleet } from "./fleet.ts";
import type { SqsModel } from "./model.ts";

/** A fleet's result; reads only. Unread and expired are the queue's, given to one fleet by the model. */
export function consumerResult(fleet: ConsumerFleet, queueTerms: { unread: number; expired: number }): ConsumerResult {
  const terms = { unread: queueTerms.unread, inFlight: fleet.inFlightCount(), expired: queueTerms.expired, deadLettered: fleet.counts.deadLettered, lost: 0 };
  return fleet.meter.result(terms, { nativePerPartition: [], queueWait: fleet.queueWait });
}

/** The queue's series under their CloudWatch names (AWS/SQS namespace). */
export function sqsSeries(model: SqsModel): SqsSeries {
  return {
    ApproximateNumberOfMessagesVisible: model.queue.visibleGauge,
    ApproximateNumberOfMessagesNotVisible: model.queue.notVisibleGauge,
    ApproximateNumberOfMessagesDelayed: model.queue.delayedGauge,
    ApproximateAgeOfOldestMessage: model.ageOfOldestSeconds,
    NumberOfMessagesSent: model.counters.sent,
    NumberOfMessagesReceived: model.counters.received,
    NumberOfMessagesDeleted: model.counters.deleted,
    NumberOfEmptyReceives: model.counters.emptyReceives,
    ...ProducerMeter.series(
      model.producers.map((producer) => producer.meter),
      model.seriesOptions,
    ),
  };
}
