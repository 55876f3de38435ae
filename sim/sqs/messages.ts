// Every sentence the SQS model says in its findings: the cause, and what to do about it.

import { fifoPartitionCallsPerSecond } from "./limits.ts";
import { lambdaSqsMessages, type LambdaBound } from "./lambda-messages.ts";

const pct = (fraction: number): string => `${(fraction * 100).toFixed(fraction >= 10 ? 0 : 1)}%`;
const count = (value: number): string => Math.round(value).toLocaleString("en-US");
const duration = (ms: number): string =>
  ms >= 7_200_000 ? `${(ms / 3_600_000).toFixed(1)} h` : ms >= 120_000 ? `${(ms / 60_000).toFixed(1)} min` : `${(ms / 1000).toFixed(1)} s`;

/** What the falling-behind finding names as the cause, when another finding explains it. */
export type BacklogCause = { kind: "hot-group"; key: string } | { kind: "throttled"; highThroughput: boolean } | { kind: "visibility" } | { kind: "lambda"; bound: LambdaBound } | { kind: "consumers" };

export const sqsMessages = {
  fallingBehind: (lagMs: number, maxLagMs: number, growthMsPerSecond: number, basis: "peaks" | "troughs", cause: BacklogCause, batchesBelow10: boolean) =>
    `The queue's backlog keeps growing: its oldest message was ${duration(lagMs)} old at the end${maxLagMs > lagMs ? ` (${duration(maxLagMs)} at most)` : ""} and ${basis === "peaks" ? "the age grew by" : "its lowest age, right after the reads, grew by"} ${growthMsPerSecond.toFixed(0)} ms per second ${basis === "peaks" ? "over the run after warm-up" : "from one cycle to the next"}. ` +
    (cause.kind === "hot-group"
      ? `Most of the backlog is message group "${cause.key}", served one batch at a time (see hot-fifo-group): more consumers will not help; a finer MessageGroupId or faster processing will.`
      : cause.kind === "throttled"
        ? `The consumers' receive calls are throttled by the FIFO queue's call limit (see calls-throttled): more consumers will not help; fewer, fuller calls or ${cause.highThroughput ? "more MessageGroupIds (spread over more partitions)" : "high-throughput mode"} will.`
        : cause.kind === "visibility"
          ? "Messages become visible again while still being processed and are processed again (see visibility-timeout-too-short): raise the visibility timeout first, as more consumers would repeat the same work."
          : cause.kind === "lambda"
            ? lambdaSqsMessages.fallingBehind(cause.bound)
            : `The consumers process less than is sent: add consumers, ${batchesBelow10 ? "receive up to 10 messages per call, " : ""}or speed up processing.`),
  visibilityTooShort: (fleet: string, visibilitySeconds: number, processingSeconds: number, counts: { stale: number; late: number; duplicates: number }) =>
    `${fleet}: the visibility timeout (${visibilitySeconds} s) is shorter than the time a received batch takes to be processed and deleted (up to ${processingSeconds.toFixed(1)} s of processing, plus the calls): messages become visible again while still being processed. ` +
    (counts.stale === 0 && counts.duplicates === 0
      ? `Here nobody received them in between, so ${count(counts.late)} late deletes still succeeded and nothing was processed twice; with more consumers or a busier queue another consumer would receive them and process them again, and a FIFO queue rejects an expired receipt handle. `
      : `${count(counts.duplicates)} were processed again, and ${count(counts.stale)} late deletes carried a stale receipt handle that deleted nothing${counts.late > 0 ? ` (${count(counts.late)} late deletes still succeeded, nobody having received them in between)` : ""}. `) +
    "Raise the visibility timeout above the processing time, or extend it with ChangeMessageVisibility while working.",
  deadLettered: (fleet: string, messages: number, maxReceiveCount: number | string) =>
    `${fleet}: ${count(messages)} messages were moved to the dead-letter queue after ${maxReceiveCount} receives without a delete. Inspect them there and redrive once the cause (failing processing, or a visibility timeout too short) is fixed.`,
  hotGroup: (key: string, backlog: number, share: number, boundPerSecond: number, scanLimit: number) =>
    `Message group "${key}" held ${count(backlog)} waiting messages (${pct(share)} of the visible backlog): a FIFO group yields one batch at a time, so it is served at most ~${boundPerSecond.toFixed(0)} messages/s whatever the number of consumers.` +
    (backlog >= scanLimit
      ? ` Beyond ${count(scanLimit)} waiting messages SQS looks no further for groups to serve, so a real queue would also hold back the messages of other groups sent later (not modelled: they still flow in this run).`
      : "") +
    ` Use a finer MessageGroupId (e.g. per entity rather than per device type) if strict order is needed only within it.`,
  inFlightLimit: (fleet: string, refused: number, limit: number, fifo: boolean) =>
    `${fleet}: ${count(refused)} receives returned nothing because ${count(limit)} messages were already in flight (the queue's in-flight limit; ${fifo ? "a FIFO queue returns no error, only nothing" : "short polls get OverLimit"}). Delete messages sooner, lower the visibility timeout, or split the traffic over queues.`,
  callsThrottled: (fleet: string, receives: number, receiveShare: number, deletes: number, callsPerSecond: number, maxMessages: number, highThroughput: boolean, byPartition: boolean) =>
    `${fleet}: ${count(receives)} receive calls (${pct(receiveShare)})${deletes > 0 ? ` and ${count(deletes)} delete calls` : ""} were throttled by ` +
    (byPartition
      ? `a partition's limit of ${count(fifoPartitionCallsPerSecond)} calls per second per action: in high-throughput mode a message group lives on one partition, so its messages are received at most ~${count(fifoPartitionCallsPerSecond * maxMessages)}/s whatever the queue's quota. ` +
        (maxMessages < 10 ? "Receive up to 10 messages per call, or spread" : "Spread") +
        " the traffic over more MessageGroupIds."
      : `the FIFO queue's limit of ${count(callsPerSecond)} calls per second per action, shared by every consumer and counting empty receives: the fleet receives at most ~${count(callsPerSecond * maxMessages)} messages/s. ` +
        (maxMessages < 10 ? "Receive up to 10 messages per call, use" : "Use") +
        ` long polling (waitTime up to 20 s) so that idle consumers call less${highThroughput ? "" : ", or turn on high-throughput mode"}.`),
  emptyReceives: (fleet: string, empty: number, share: number, waitSeconds: number) =>
    `${fleet}: ${count(empty)} receives (${pct(share)}) returned nothing, and every one is billed as a request.` +
    (waitSeconds === 0
      ? " Use long polling (waitTime up to 20 s): a receive then waits for messages instead of returning at once."
      : waitSeconds < 20
        ? " Fewer consumers, or a longer wait (waitTime up to 20 s), would make fewer empty calls."
        : " The wait is already the longest (20 s), so each idle consumer still makes 3 empty calls a minute: fewer consumers would make fewer."),
  dropped: (dropped: number, produced: number) =>
    `${count(dropped)} messages (${pct(dropped / produced)} of those produced) were dropped after their send was throttled on every attempt (the FIFO per-action limit). Batch up to 10 messages per call, turn on high-throughput mode, or raise the retry attempts.`,
  sendThrottled: (attempts: number, highThroughput: boolean) =>
    highThroughput
      ? `${count(attempts)} message send attempts were throttled by a partition's limit of 300 calls/s per action: in high-throughput mode a message group lives on one partition. Batch up to 10 messages of the same group per SendMessageBatch, or spread the traffic over more MessageGroupIds.`
      : `${count(attempts)} message send attempts were throttled by the FIFO queue's per-action call limit (300 calls/s without high-throughput mode). Batch up to 10 messages per SendMessageBatch, or turn on high-throughput mode.`,
  expired: (messages: number, retentionSeconds: number) =>
    `${count(messages)} messages were deleted by SQS after the retention period (${duration(retentionSeconds * 1000)}) without being processed: add consumers or raise retention (up to 14 days).`,
} as const;
