// What the SQS model hands to reports/: per-fleet consumer results and the queue's CloudWatch series.
//
// SystemResult.usage (priced by the cost model), counted where the calls happen, only for calls made
// at or after the end of warm-up. Each request count is API calls times the 64 KB chunks of that
// call's payload, at least one per call (docs/reference.md §4: a SendMessageBatch of ten 20 KB messages, 200 KB,
// is 4 billed requests):
//   requests.send               SendMessage(Batch) calls accepted by SQS, by payload chunks
//   requests.receive            ReceiveMessage calls that returned messages, by returned payload chunks
//   requests.receiveEmpty       ReceiveMessage calls that returned nothing (after their wait), 1 each
//   requests.delete             DeleteMessageBatch calls (receipt handles only: 1 each)
//   requests.changeVisibility   ChangeMessageVisibility calls: the modelled consumers make none (0)
//   messages.sent, bytes.sent   messages and message-body bytes accepted by SQS (a retried call's once)
// Throttled calls (FIFO per-action limits) are refused before any work and are not counted.

import type { ConsumerResult, SystemResult } from "../metrics/index.ts";
import type { ConsumerFleet } from "./fleet.ts";
import type { SqsModel } from "./model.ts";

export function consumerResult(fleet: ConsumerFleet, queueTerms: { unread: number; expired: number }, endUs: number): ConsumerResult {
  fleet.lagSeries.finish(endUs);
  fleet.ageOfOldestSeries.finish(endUs);
  return {
    name: fleet.settings.name,
    type: `sqs-fleet (${fleet.settings.count} consumer${fleet.settings.count === 1 ? "" : "s"})`,
    records: {
      consumed: fleet.consumed,
      unread: queueTerms.unread,
      inFlight: fleet.inFlightCount(),
      expired: queueTerms.expired,
      deadLettered: fleet.counts.deadLettered,
      lost: 0,
      duplicates: fleet.duplicates,
    },
    lag: fleet.lag,
    lagSeries: fleet.lagSeries,
    endToEndLatency: fleet.endToEnd,
    readThrottles: fleet.receiveThrottles,
    native: { name: "ageOfOldestMessageMs", unit: "ms", histogram: fleet.ageOfOldest, series: fleet.ageOfOldestSeries },
    nativePerPartition: [],
    queueWait: fleet.queueWait,
  };
}

/** The queue's series under their CloudWatch names (AWS/SQS namespace). */
export function sqsSeries(model: SqsModel): SystemResult["series"] {
  return {
    ApproximateNumberOfMessagesVisible: model.queue.visibleGauge,
    ApproximateNumberOfMessagesNotVisible: model.queue.notVisibleGauge,
    ApproximateAgeOfOldestMessage: model.ageOfOldestSeconds,
    NumberOfMessagesSent: model.counters.sent,
    NumberOfMessagesReceived: model.counters.received,
    NumberOfMessagesDeleted: model.counters.deleted,
    NumberOfEmptyReceives: model.counters.emptyReceives,
  };
}
