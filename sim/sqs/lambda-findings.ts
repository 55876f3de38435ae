// What the SQS model flags about its Lambda consumers (docs/reference.md §6.5): a visibility timeout
// shorter than AWS advises, throttled invocations (and the messages they send to the dead-letter queue),
// and what bounds the mapping when the queue falls behind. Wording lives in lambda-messages.ts.

import type { Finding } from "../metrics/index.ts";
import type { LambdaSqsConsumer } from "./lambda-consumer.ts";
import { mappingPollersMax } from "./lambda-limits.ts";
import { lambdaSqsMessages as say, type LambdaBound } from "./lambda-messages.ts";
import { sqsMessages } from "./messages.ts";

/** AWS advises a visibility timeout of at least six times the function's timeout (docs/reference.md §6.5). */
export const visibilityPerTimeoutMin = 6;

export function lambdaSqsFindings(consumers: readonly LambdaSqsConsumer[], visibilityTimeoutUs: number, maxReceiveCount: number | undefined): Finding[] {
  return consumers.flatMap((consumer) => {
    const throttling = throttled(consumer, maxReceiveCount);
    const dlqByThrottling = throttling.some((finding) => finding.code === "lambda-throttled-to-dlq");
    return [...visibility(consumer, visibilityTimeoutUs), ...throttling, ...(dlqByThrottling ? [] : deadLettered(consumer, maxReceiveCount))];
  });
}

/** Messages the queue's redrive moved to the DLQ at this consumer's receives, after failed invocations. */
function deadLettered(consumer: LambdaSqsConsumer, maxReceiveCount: number | undefined): Finding[] {
  const messages = consumer.counts.deadLettered;
  if (messages === 0) return [];
  return [
    {
      severity: "warning",
      code: "dead-lettered",
      subject: consumer.name,
      message: sqsMessages.deadLettered(consumer.name, messages, maxReceiveCount ?? "none"),
      evidence: { deadLettered: messages, maxReceiveCount: maxReceiveCount ?? 0, failedMessages: consumer.failedMessages },
    },
  ];
}

function visibility(consumer: LambdaSqsConsumer, visibilityTimeoutUs: number): Finding[] {
  const spec = consumer.settings.spec;
  const timeoutSeconds = spec.function.timeout / 1e6;
  const windowSeconds = spec.maximumBatchingWindow / 1e6;
  const advisedSeconds = visibilityPerTimeoutMin * timeoutSeconds + windowSeconds;
  const visibilitySeconds = visibilityTimeoutUs / 1e6;
  if (visibilitySeconds >= advisedSeconds && consumer.staleBatches === 0) return [];
  return [
    {
      severity: "warning",
      code: "lambda-visibility-timeout",
      subject: consumer.name,
      message: say.visibility(consumer.name, visibilitySeconds, timeoutSeconds, windowSeconds, advisedSeconds, consumer.staleBatches, consumer.messagesReturnedByThrottling),
      evidence: { visibilityTimeoutSeconds: visibilitySeconds, functionTimeoutSeconds: timeoutSeconds, batchingWindowSeconds: windowSeconds, advisedSeconds, staleBatches: consumer.staleBatches, messagesReturnedByThrottling: consumer.messagesReturnedByThrottling },
    },
  ];
}

/** Throttled invocations: by the function's reserved concurrency or the account's limit; DLQ when their messages reach it. */
function throttled(consumer: LambdaSqsConsumer, maxReceiveCount: number | undefined): Finding[] {
  const fn = consumer.fn;
  if (fn.throttles === 0) return [];
  const reserved = fn.spec.reservedConcurrency;
  const limit = reserved ?? consumer.pool.unreservedLimit;
  const returned = consumer.messagesReturnedByThrottling;
  const toDlq = returned > 0 && consumer.counts.deadLettered > 0;
  return [
    {
      severity: toDlq ? "critical" : "warning",
      code: toDlq ? "lambda-throttled-to-dlq" : "lambda-throttled",
      subject: consumer.name,
      message: say.throttled(consumer.name, fn.throttles, reserved !== undefined, limit, consumer.peakPollers, returned, toDlq ? consumer.counts.deadLettered : 0, maxReceiveCount),
      evidence: { throttles: fn.throttles, concurrencyLimit: limit, limitBy: reserved !== undefined ? "reservedConcurrency" : "account", peakBatches: consumer.peakPollers, messagesReturnedByThrottling: returned, deadLettered: consumer.counts.deadLettered },
    },
  ];
}

/**
 * What held the Lambda consumers back when the queue fell behind (null: nothing of theirs). On a FIFO
 * queue, one batch per message group is in flight at a time: the groups with messages bound the
 * mapping before any of its own limits, and `hot` is the group that held the most.
 */
export function lambdaBound(consumers: readonly LambdaSqsConsumer[], endUs: number, fifo: boolean, hot: { key: string; backlog: number } | null): LambdaBound | null {
  const consumer = consumers[0];
  if (consumer === undefined) return null;
  const fn = consumer.fn;
  const spec = consumer.settings.spec;
  const meanDurationMs = fn.duration.count === 0 ? 0 : fn.duration.sum / fn.duration.count / 1000;
  const base = { consumer: consumer.name, batchSize: spec.batchSize, meanDurationMs, meanConcurrency: fn.meanConcurrency(endUs) };
  if (fifo && fn.throttles === 0 && hot !== null) return { ...base, kind: "fifo-groups", limit: consumer.peakPollers, reserved: false, group: hot.key, groupBacklog: hot.backlog };
  if (fn.throttles > 0) return { ...base, kind: "throttled", limit: fn.spec.reservedConcurrency ?? consumer.pool.unreservedLimit, reserved: fn.spec.reservedConcurrency !== undefined };
  const cap = Math.min(spec.maximumConcurrency ?? mappingPollersMax, mappingPollersMax);
  if (consumer.peakPollers >= cap) return { ...base, kind: spec.maximumConcurrency === undefined ? "ceiling" : "maximum-concurrency", limit: cap, reserved: false };
  return { ...base, kind: "ramp", limit: consumer.peakPollers, reserved: false };
}
