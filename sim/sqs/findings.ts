// What the SQS model flags, from its queue and fleets. Wording lives in messages.ts.

import { droppedSeverity, fallingBehind, maxLagMs, type Finding, type SystemResult } from "../metrics/index.ts";
import type { SqsModel } from "./model.ts";
import { fifoPartitionCallsPerSecond, fifoScanMessages, messagesPerCallMax } from "./limits.ts";
import { sqsMessages as say, type BacklogCause } from "./messages.ts";
import { lambdaBound, lambdaSqsFindings } from "./lambda-findings.ts";
import { mappingWaitTimeUs } from "./lambda-limits.ts";

export interface HotGroupSample {
  key: string;
  backlog: number;
  visible: number;
  atUs: number;
  oldestVisibleAgeUs: number;
}

/** A group holding at least this many waiting messages and half the backlog limits the queue's throughput. */
const hotGroupBacklogMin = 100;
const hotGroupShareMin = 0.5;
/** FIFO receive or delete calls throttled from this share of the receive calls on. */
const throttledShareMin = 0.01;
/** Empty receives are worth a word from this share of the calls and this many calls. */
const emptyShareMin = 0.5;
const emptyCallsMin = 1000;

export function sqsFindings(result: SystemResult, model: SqsModel, window: { warmupUs: number; durationUs: number }): Finding[] {
  const hot = hotGroup(model);
  const fleets = [...fleetFindings(model), ...lambdaSqsFindings(model.lambdas, model.system.queue.visibilityTimeout, model.system.queue.maxReceiveCount)];
  const has = (code: string): boolean => fleets.some((finding) => finding.code === code);
  const bound = lambdaBound(model.lambdas, window.durationUs, model.queue.settings.fifo, model.hotGroup);
  const cause: BacklogCause =
    hot.length > 0
      ? { kind: "hot-group", key: String(hot[0].evidence.group) }
      : has("calls-throttled")
        ? { kind: "throttled", highThroughput: model.system.queue.highThroughput }
        : has("visibility-timeout-too-short")
          ? { kind: "visibility" }
          : bound !== null && model.fleets.length === 0
            ? { kind: "lambda", bound }
            : { kind: "consumers" };
  return [...backlog(result, model, cause, window), ...producerFindings(result, model.system.queue.highThroughput), ...expiry(model), ...fleets, ...hot];
}

/** The queue's lag (the same for every fleet) falls behind by the rule every system uses (metrics/trend.ts). */
function backlog(result: SystemResult, model: SqsModel, cause: BacklogCause, window: { warmupUs: number; durationUs: number }): Finding[] {
  const consumer = result.consumers[0];
  const windowSeconds = (window.durationUs - window.warmupUs) / 1e6;
  // The fleets' cycle: the longest a long poll waits when the queue looks empty.
  const cycleUs = Math.max(0, ...model.fleets.map((fleet) => fleet.settings.waitTimeUs), ...model.lambdas.map(() => mappingWaitTimeUs));
  const consumed = result.consumers.reduce((sum, c) => sum + c.records.consumed, 0);
  const trend = consumer === undefined ? null : fallingBehind(consumer.lagSamples, window, { cycleUs, unread: consumer.records.unread, consumedPerSecond: consumed / windowSeconds });
  if (consumer === undefined || trend === null) return [];
  return [
    {
      severity: "critical",
      code: "queue-falling-behind",
      subject: "queue",
      message: say.fallingBehind(trend.finalLagMs, maxLagMs(consumer), trend.growthMsPerSecond, trend.basis, cause, model.fleets.some((fleet) => fleet.settings.maxMessages < 10)),
      evidence: { finalLagMs: round(trend.finalLagMs), maxLagMs: round(maxLagMs(consumer)), lagGrowthMsPerSecond: round(trend.growthMsPerSecond), basis: trend.basis, unread: consumer.records.unread },
    },
  ];
}

function producerFindings(result: SystemResult, highThroughput: boolean): Finding[] {
  const r = result.records;
  const findings: Finding[] = [];
  if (r.dropped > 0) findings.push({ severity: droppedSeverity(r.dropped, r.produced), code: "records-dropped", subject: "producer", message: say.dropped(r.dropped, r.produced), evidence: { dropped: r.dropped, produced: r.produced } });
  if (r.throttledAttempts > 0) findings.push({ severity: "warning", code: "send-throttled", subject: "producer", message: say.sendThrottled(r.throttledAttempts, highThroughput), evidence: { throttledAttempts: r.throttledAttempts } });
  return findings;
}

/** The queue's count, not the fleets': a queue with no consumers loses messages to retention too. */
function expiry(model: SqsModel): Finding[] {
  const expired = model.queue.expired;
  if (expired === 0) return [];
  const retentionSeconds = model.system.queue.retention / 1e6;
  return [{ severity: "critical", code: "records-expired", subject: "queue", message: say.expired(expired, retentionSeconds), evidence: { expired, retentionSeconds } }];
}

function fleetFindings(model: SqsModel): Finding[] {
  const queue = model.system.queue;
  return model.fleets.flatMap((fleet) => {
    const name = fleet.settings.name;
    const findings: Finding[] = [];
    const visibilityUs = fleet.settings.visibilityTimeoutUs;
    if (fleet.staleDeletes > 0 || fleet.batchProcessingMaxUs >= visibilityUs) {
      findings.push({
        severity: "warning",
        code: "visibility-timeout-too-short",
        subject: name,
        message: say.visibilityTooShort(name, visibilityUs / 1e6, fleet.batchProcessingMaxUs / 1e6, { stale: fleet.staleDeletes, late: fleet.lateDeletes, duplicates: fleet.duplicates }),
        evidence: { visibilityTimeoutSeconds: visibilityUs / 1e6, batchProcessingMaxSeconds: round(fleet.batchProcessingMaxUs / 1e6), staleDeletes: fleet.staleDeletes, lateDeletes: fleet.lateDeletes, duplicates: fleet.duplicates },
      });
    }
    if (fleet.counts.deadLettered > 0) {
      findings.push({
        severity: "warning",
        code: "dead-lettered",
        subject: name,
        message: say.deadLettered(name, fleet.counts.deadLettered, queue.maxReceiveCount ?? "none"),
        evidence: { deadLettered: fleet.counts.deadLettered, maxReceiveCount: queue.maxReceiveCount ?? 0, failedMessages: fleet.failedMessages },
      });
    }
    if (fleet.overLimitReceives > 0) {
      const limit = model.queue.settings.inFlightMax;
      findings.push({ severity: "warning", code: "in-flight-limit", subject: name, message: say.inFlightLimit(name, fleet.overLimitReceives, limit, model.queue.settings.fifo), evidence: { refusedReceives: fleet.overLimitReceives, inFlightMax: limit } });
    }
    const calls = fleet.receiveCalls + fleet.receiveThrottles;
    const throttledShare = calls === 0 ? 0 : fleet.receiveThrottles / calls;
    if (throttledShare >= throttledShareMin || (fleet.deleteThrottles > 0 && fleet.deleteThrottles >= throttledShareMin * fleet.receiveCalls)) {
      const callsPerSecond = model.receiveCallsPerSecond;
      const byPartition = 2 * (fleet.partitionReceiveThrottles + fleet.partitionDeleteThrottles) >= fleet.receiveThrottles + fleet.deleteThrottles;
      findings.push({
        severity: "warning",
        code: "calls-throttled",
        subject: name,
        message: say.callsThrottled(name, fleet.receiveThrottles, throttledShare, fleet.deleteThrottles, callsPerSecond, fleet.settings.maxMessages, queue.highThroughput, byPartition),
        evidence: { receiveThrottles: fleet.receiveThrottles, receiveCalls: fleet.receiveCalls, deleteThrottles: fleet.deleteThrottles, callsPerSecond, partitionThrottles: fleet.partitionReceiveThrottles + fleet.partitionDeleteThrottles },
      });
    }
    const share = fleet.receiveCalls === 0 ? 0 : fleet.emptyReceiveCalls / fleet.receiveCalls;
    if (share >= emptyShareMin && fleet.emptyReceiveCalls >= emptyCallsMin) {
      findings.push({
        severity: "info",
        code: "empty-receives",
        subject: name,
        message: say.emptyReceives(name, fleet.emptyReceiveCalls, share, fleet.settings.waitTimeUs / 1e6),
        evidence: { emptyReceives: fleet.emptyReceiveCalls, receives: fleet.receiveCalls, share: round(share) },
      });
    }
    return findings;
  });
}

/**
 * A FIFO group that holds most of the backlog: one batch of it is in flight at a time, so it is served
 * at most maxMessages per (receive latency + the batch's processing + delete latency), and at most
 * 300 receives a second (docs/reference.md §4).
 */
function hotGroup(model: SqsModel): Finding[] {
  const sample = model.hotGroup;
  const cycle = groupCycle(model);
  if (sample === null || cycle === null || sample.backlog < hotGroupBacklogMin || sample.backlog < hotGroupShareMin * sample.visible) return [];
  const { cycleUs, batch } = cycle;
  // Nor more receives a second than the FIFO limit (the queue's, or in high-throughput mode its partition's: 300 either way).
  const boundPerSecond = Math.min(cycleUs === 0 ? Infinity : (batch * 1e6) / cycleUs, fifoPartitionCallsPerSecond * batch);
  return [
    {
      severity: "warning",
      code: "hot-fifo-group",
      subject: sample.key,
      message: say.hotGroup(sample.key, sample.backlog, sample.backlog / Math.max(1, sample.visible), boundPerSecond, fifoScanMessages),
      evidence: { group: sample.key, backlog: sample.backlog, visible: sample.visible, atSeconds: sample.atUs / 1e6, boundMessagesPerSecond: round(boundPerSecond) },
    },
  ];
}

/**
 * How long one batch of a group takes from receive to delete, and its size: the first fleet's cycle, or
 * a Lambda consumer's (receive, then the function's mean duration for a full batch; the delete follows
 * the invocation at once).
 */
function groupCycle(model: SqsModel): { cycleUs: number; batch: number } | null {
  const fleet = model.fleets[0];
  if (fleet !== undefined) {
    const s = fleet.settings;
    return { cycleUs: s.receiveLatency.meanUs + s.perBatchUs + s.maxMessages * s.perRecordUs + s.deleteLatency.meanUs, batch: s.maxMessages };
  }
  const lambda = model.lambdas[0];
  if (lambda === undefined) return null;
  const spec = lambda.settings.spec;
  const batch = Math.min(spec.batchSize, messagesPerCallMax);
  return { cycleUs: lambda.settings.receiveLatency.meanUs + spec.function.duration.perBatch + batch * spec.function.duration.perRecord, batch };
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
