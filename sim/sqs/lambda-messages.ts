// Every sentence the SQS model says about its Lambda consumers: the cause, and what to do about it.

const count = (value: number): string => Math.round(value).toLocaleString("en-US");
const seconds = (value: number): string => `${value.toLocaleString("en-US", { maximumFractionDigits: 1 })} s`;

/** What bounded a Lambda consumer of a queue that fell behind. */
export interface LambdaBound {
  kind: "throttled" | "maximum-concurrency" | "ceiling" | "ramp" | "fifo-groups";
  consumer: string;
  limit: number;
  reserved: boolean;
  batchSize: number;
  meanDurationMs: number;
  meanConcurrency: number;
  /** FIFO: the group that held the most waiting messages, and how many. */
  group?: string;
  groupBacklog?: number;
}

export const lambdaSqsMessages = {
  visibility: (name: string, visibilitySeconds: number, timeoutSeconds: number, windowSeconds: number, advisedSeconds: number, stale: number, returnedByThrottling: number) =>
    (visibilitySeconds < advisedSeconds
      ? `${name}: the queue's visibility timeout (${seconds(visibilitySeconds)}) is below what AWS advises for a Lambda consumer, six times the function's timeout (${seconds(timeoutSeconds)})${windowSeconds > 0 ? ` plus the batching window (${seconds(windowSeconds)})` : ""}, ${seconds(advisedSeconds)}: a throttled batch has little time to be retried before its messages reappear with their receive count grown.`
      : `${name}: batches retried after throttles started late in their visibility timeout (${seconds(visibilitySeconds)}) and ran past it.`) +
    (stale > 0 ? ` ${count(stale)} batches outlived it while the function ran: their deletes were stale and their messages will be processed again.` : "") +
    (returnedByThrottling > 0 ? ` ${count(returnedByThrottling)} messages went back to the queue after staying throttled for the whole timeout.` : "") +
    (visibilitySeconds < advisedSeconds ? ` Raise the visibility timeout to at least ${seconds(advisedSeconds)}.` : " Avoid the throttles (maximumConcurrency within the function's concurrency), or raise the visibility timeout further."),
  throttled: (name: string, throttles: number, reserved: boolean, limit: number, peakBatches: number, returned: number, deadLettered: number, maxReceiveCount: number | undefined) =>
    `${name}: ${count(throttles)} invocations were throttled: the mapping ran up to ${count(peakBatches)} batches at once, but the function can run only ${count(limit)} (${reserved ? "its reserved concurrency" : "the account's unreserved concurrency"}); the mapping does not know that limit and takes messages it cannot send.` +
    (returned > 0 ? ` ${count(returned)} messages stayed throttled until their visibility timeout passed and went back to the queue, their receive count grown although the function never failed` : "") +
    (deadLettered > 0 ? `; ${count(deadLettered)} messages reached the dead-letter queue after ${maxReceiveCount ?? "maxReceiveCount"} receives (the DLQ-through-throttling trap).` : returned > 0 ? "." : "") +
    ` Set the mapping's maximumConcurrency to at most ${count(Math.max(2, limit))}${reserved ? " (its reserved concurrency)" : ""} so that it stops receiving what it cannot invoke${deadLettered > 0 ? "; a higher maxReceiveCount gives throttled messages more chances meanwhile" : ""}.`,
  fallingBehind: (bound: LambdaBound) => {
    const perBatch = bound.meanDurationMs > 0 ? ` (batches of up to ${count(bound.batchSize)} taking ${bound.meanDurationMs.toFixed(0)} ms on average, ${bound.meanConcurrency.toFixed(1)} at once)` : "";
    switch (bound.kind) {
      case "throttled":
        return `Lambda consumer ${bound.consumer} is held to ${count(bound.limit)} concurrent invocations by ${bound.reserved ? "its reserved concurrency" : "the account's concurrency limit"}${perBatch}, and its throttled invocations hold batches it could have run (see the throttling finding): raise that limit, speed up the function, or send larger batches.`;
      case "maximum-concurrency":
        return `Lambda consumer ${bound.consumer} ran at its maximumConcurrency of ${count(bound.limit)}${perBatch}: raise maximumConcurrency (up to 1,000, within the function's concurrency), send larger batches, or speed up the function.`;
      case "ceiling":
        return `Lambda consumer ${bound.consumer} reached the mapping's ceiling of ${count(bound.limit)} concurrent invocations${perBatch}: send larger batches (up to 10,000 with a batching window), speed up the function, or split the traffic over more queues.`;
      case "fifo-groups":
        return `Lambda consumer ${bound.consumer} runs one batch per message group at a time (a FIFO queue), so the groups with messages bound it, not the mapping (${bound.meanConcurrency.toFixed(1)} invocations at once on average${perBatch ? `, batches taking ${bound.meanDurationMs.toFixed(0)} ms` : ""}): group "${bound.group}" alone held ${count(bound.groupBacklog ?? 0)} waiting messages, served at most ${count(bound.batchSize)} per invocation. Use a finer MessageGroupId where strict order is needed only within it, or a faster function.`;
      case "ramp":
        return `Lambda consumer ${bound.consumer} was still scaling up (the mapping adds up to 300 concurrent invocations a minute while messages wait; it reached ${count(bound.limit)})${perBatch}: a burst this large outruns the ramp; larger batches or a faster function drain it sooner.`;
    }
  },
} as const;
