// A Lambda function behind an SQS event source mapping (docs/reference.md §6.5). Pollers long-poll the
// queue, gather a batch (up to batchSize messages, the batching window, or about 6 MB) and invoke the
// function with it; each poller holds one batch at a time, so the pollers are the mapping's concurrent
// batches. They start at 5 and grow by 5 a second (300 a minute) while messages stay visible, up to
// 1,250 or maximumConcurrency; a poller whose long poll comes back empty stops (down to 5); a throttled
// or failed invocation takes one away (Lambda's backoff). A batch that succeeds is deleted; one that
// fails stays in flight and reappears when the visibility timeout passes (its receive count already
// grown: the queue's redrive policy moves it to the dead-letter queue); a throttled invocation is
// retried until its messages' visibility timeout passes, then dropped, which also counts as a receive.

import type { Simulation, Uniform } from "../engine/index.ts";
import { invocationPayloadBytesMax, LambdaFunction, type AccountPool, type Invocation } from "../lambda/index.ts";
import { ConsumerMeter, LogHistogram, type ConsumerResult, type SeriesOptions } from "../metrics/index.ts";
import type { LambdaSqsConsumerSpec } from "../scenario/lambda-sqs-schema.ts";
import type { LatencySampler } from "../workload/index.ts";
import type { FleetShared } from "./fleet.ts";
import { billingChunkBytes, messagesPerCallMax } from "./limits.ts";
import { countBits, lowBits, type Piece } from "./pieces.ts";
import { MappingReceipts, type MappingReceive } from "./lambda-receipts.ts";
import type { SqsQueue, TakeResult } from "./queue.ts";
import { lambdaSqsStats } from "./lambda-stats.ts";
import { mappingPollersMax, mappingPollersMin, mappingPollersPerSecond, mappingWaitTimeUs, throttleRetryUs, throttledReceiveRetryUs } from "./lambda-limits.ts";

export interface LambdaSqsSettings {
  spec: LambdaSqsConsumerSpec;
  visibilityTimeoutUs: number;
  receiveLatency: LatencySampler;
  /** Draws for the failures a partial batch response reports after the first one. */
  moreFailuresU: Uniform;
  warmupUs: number;
  endUs: number;
}

interface Poller {
  token: number;
  /** Stopped by scaling down (started again when the mapping scales up). */
  retired: boolean;
  /** Throttled while the mapping runs more pollers than its target: it stops once its batch is settled. */
  leaving: boolean;
  waiting: boolean;
  queued: boolean;
  resumeAtUs: number;
  batch: MappingReceive[];
  batchCount: number;
  batchBytes: number;
  /** When the batching window closes (the first message of the batch received plus the window). */
  windowEndUs: number;
  invoking: boolean;
  /** What its invocation in progress will do. */
  invocation: Invocation;
  wake: () => void;
}

export class LambdaSqsConsumer {
  readonly counts = { deadLettered: 0 };
  readonly meter: ConsumerMeter;
  readonly fn: LambdaFunction;
  readonly queueWait = new LogHistogram();
  receiveCalls = 0;
  emptyReceiveCalls = 0;
  deleteCalls = 0;
  /** Batches whose messages went back to the queue: the function failed, or stayed throttled until their visibility passed. */
  failedBatches = 0;
  throttledBatchesReturned = 0;
  /** Messages received by a batch whose invocation stayed throttled until the visibility timeout passed. */
  messagesReturnedByThrottling = 0;
  failedMessages = 0;
  /** Pollers the mapping runs now and may run (grows while messages wait). */
  target: number;
  peakPollers = 0;
  private failUntilUs = -1;
  private readonly pollers: Poller[] = [];
  private running = 0;
  /** Pollers marked to stop after their batch (counted in running until then). */
  private leaving = 0;
  private readonly receipts: MappingReceipts;
  private readonly take: TakeResult = { count: 0, overLimit: false, deadLettered: 0, throttled: false };
  private readonly scratch: Piece[] = [];
  private readonly cap: number;
  private readonly minimum: number;
  private readonly pollHandler = (poller: Poller): void => this.poll(poller);
  private readonly receivedHandler = (poller: Poller): void => this.received(poller);
  private readonly waitEndHandler = (poller: Poller): void => this.waitEnded(poller);
  private readonly invokeHandler = (poller: Poller): void => this.invoke(poller);
  private readonly completeHandler = (poller: Poller): void => this.complete(poller);

  constructor(
    readonly settings: LambdaSqsSettings,
    private readonly sim: Simulation,
    private readonly queue: SqsQueue,
    private readonly shared: FleetShared,
    readonly pool: AccountPool,
    draws: { duration: Uniform; errors: Uniform },
    seriesOptions: SeriesOptions,
  ) {
    const spec = settings.spec;
    this.meter = new ConsumerMeter({ name: spec.name, type: "lambda", seriesOptions, warmupUs: settings.warmupUs, native: { name: "ageOfOldestMessageMs", unit: "ms" } });
    this.fn = new LambdaFunction(spec.name, spec.function, pool, draws, seriesOptions, settings.warmupUs);
    this.cap = Math.min(spec.maximumConcurrency ?? mappingPollersMax, mappingPollersMax);
    this.minimum = Math.min(mappingPollersMin, this.cap);
    this.target = this.minimum;
    this.receipts = new MappingReceipts(sim, queue, shared.deleted, this.meter, settings.visibilityTimeoutUs);
  }

  /** Stale completions: the visibility timeout passed while the function still ran. */
  get staleBatches(): number {
    return this.receipts.staleBatches;
  }

  inFlightCount(): number {
    return this.receipts.inFlightCount();
  }

  oldestInFlight(out: { createMinUs: number; sentUs: number }): void {
    this.receipts.oldestInFlight(out);
  }

  get name(): string {
    return this.settings.spec.name;
  }

  start(): void {
    this.sim.at(0, () => this.staff());
    this.sim.every(1_000_000, this.settings.endUs, () => this.scale());
  }

  /** A mapping has no process to crash: the timeline's consumer-crash does nothing to it. */
  crash(): void {}

  /** consumer-fail: every invocation fails for `forUs` (a bad deploy, a dependency down). */
  failFor(forUs: number): void {
    this.failUntilUs = this.sim.nowUs + forUs;
  }

  /** Every second: more pollers while messages wait (300 a minute), up to the cap (docs/reference.md §6.5). */
  private scale(): void {
    if (this.queue.hasVisible() && this.target < this.cap) this.target = Math.min(this.cap, this.target + mappingPollersPerSecond);
    this.staff();
  }

  /** Starts pollers up to the target, reusing retired ones first. */
  private staff(): void {
    for (const poller of this.pollers) {
      if (this.running >= this.target) break;
      if (!poller.retired) continue;
      poller.retired = false;
      this.running++;
      this.sim.after(0, this.pollHandler, poller);
    }
    while (this.running < this.target) {
      const poller: Poller = { token: 0, retired: false, leaving: false, waiting: false, queued: false, resumeAtUs: -1, batch: [], batchCount: 0, batchBytes: 0, windowEndUs: -1, invoking: false, invocation: { durationUs: 0, failedAt: -1, timedOut: false, cold: false }, wake: () => this.woken(poller) };
      this.pollers.push(poller);
      this.running++;
      this.sim.after(0, this.pollHandler, poller);
    }
    this.peakPollers = Math.max(this.peakPollers, this.running);
  }

  /** Lambda's backoff after a throttled or failed invocation: one concurrent batch fewer (docs/reference.md §6.5). */
  private backOff(): void {
    this.target = Math.max(this.minimum, this.target - 1);
  }

  /**
   * A poller with no batch stops when it was marked to leave, or when the mapping runs more than its
   * target beyond the pollers already leaving (a throttled poller leaves before one that just invoked).
   */
  private retireIfOver(poller: Poller): boolean {
    if (poller.leaving) {
      poller.leaving = false;
      this.leaving--;
    } else if (this.running - this.leaving <= this.target) return false;
    poller.retired = true;
    poller.token++;
    this.running--;
    return true;
  }

  /** ReceiveMessage for what the batch still has room for (at most 10 a call). */
  private poll(poller: Poller): void {
    if (poller.retired) return;
    const now = this.sim.nowUs;
    const bucket = this.shared.receiveBucket;
    if (bucket !== null && !bucket.tryTake(now, 1)) return this.receiveThrottled(poller);
    const room = Math.min(messagesPerCallMax, this.settings.spec.batchSize - poller.batchCount);
    const scratch = this.scratch;
    scratch.length = 0;
    const take = this.queue.take(room, now, scratch, this.take, this.shared.receivePartitions);
    this.counts.deadLettered += take.deadLettered;
    if (take.throttled) return this.receiveThrottled(poller);
    if (take.count > 0) return this.deliver(poller, scratch.slice(), take.count, now);
    if (poller.batchCount > 0) {
      // Gathering: wait for more messages until the window closes, then invoke with what there is.
      if (now >= poller.windowEndUs) return this.invoke(poller);
      return this.park(poller, poller.windowEndUs);
    }
    this.park(poller, now + mappingWaitTimeUs);
  }

  private receiveThrottled(poller: Poller): void {
    this.meter.readThrottled();
    poller.resumeAtUs = this.sim.nowUs + throttledReceiveRetryUs;
    this.sim.at(poller.resumeAtUs, this.pollHandler, poller);
  }

  private park(poller: Poller, untilUs: number): void {
    poller.token++;
    poller.waiting = true;
    poller.resumeAtUs = untilUs;
    this.queue.park(poller);
    this.sim.at(untilUs, this.waitEndHandler, poller);
  }

  private woken(poller: Poller): void {
    if (!poller.waiting || poller.retired) return;
    poller.waiting = false;
    poller.token++;
    this.poll(poller);
  }

  /** The long poll's wait (or the batching window) is over with nothing more received. */
  private waitEnded(poller: Poller): void {
    if (!poller.waiting || poller.retired || this.sim.nowUs !== poller.resumeAtUs) return;
    poller.waiting = false;
    if (poller.batchCount > 0) return this.invoke(poller);
    this.receiveCalls++;
    this.emptyReceiveCalls++;
    this.shared.emptyReceives.add(this.sim.nowUs, 1);
    this.shared.usage.add(this.sim.nowUs, "emptyReceiveRequests", 1);
    // Nothing waits: the mapping scales back toward its minimum (docs/reference.md §6.5).
    if (this.running > this.minimum) this.target = Math.max(this.minimum, Math.min(this.target, this.running - 1));
    if (this.retireIfOver(poller)) return;
    this.poll(poller);
  }

  /** Messages received: their visibility starts now; the answer reaches the poller after the call's latency. */
  private deliver(poller: Poller, pieces: Piece[], count: number, now: number): void {
    let bytes = 0;
    for (const piece of pieces) {
      bytes += piece.bytes;
      if (piece.receiveCount === 1 && !piece.ghost && now >= this.settings.warmupUs) this.queueWait.add(Math.max(0, (now * piece.count - piece.sentSumUs) / piece.count), piece.count);
    }
    this.receiveCalls++;
    this.shared.received.add(now, count);
    this.shared.usage.add(now, "receiveRequests", Math.max(1, Math.ceil(bytes / billingChunkBytes)));
    const receive = this.receipts.received(pieces, count, now);
    if (poller.batchCount === 0) poller.windowEndUs = now + this.settings.spec.maximumBatchingWindow;
    poller.batch.push(receive);
    poller.batchCount += count;
    poller.batchBytes += bytes;
    poller.token++;
    this.sim.after(this.settings.receiveLatency.sampleUs(), this.receivedHandler, poller);
  }

  /** The answer is in: invoke when the batch is full, the window closed or the payload nearly 6 MB; else receive more. */
  private received(poller: Poller): void {
    if (poller.retired) return;
    const spec = this.settings.spec;
    const meanBytes = poller.batchBytes / poller.batchCount;
    const full = poller.batchCount >= spec.batchSize || poller.batchBytes + messagesPerCallMax * meanBytes > invocationPayloadBytesMax;
    if (full || this.sim.nowUs >= poller.windowEndUs) return this.invoke(poller);
    this.poll(poller);
  }

  /** Invokes the function with the batch; throttled, tries again until the batch's visibility timeout passes. */
  private invoke(poller: Poller): void {
    const now = this.sim.nowUs;
    const out = poller.invocation;
    if (!this.fn.tryStart(now, poller.batchCount, Infinity, this.settings.spec.reportBatchItemFailures, out)) {
      this.backOff();
      if (!poller.leaving && this.running - this.leaving > this.target) {
        poller.leaving = true;
        this.leaving++;
      }
      if (now + throttleRetryUs < this.batchExpireUs(poller)) {
        this.sim.after(throttleRetryUs, this.invokeHandler, poller);
        return;
      }
      // Throttled until the visibility timeout: the messages reappear with their receive count grown.
      this.throttledBatchesReturned++;
      this.messagesReturnedByThrottling += poller.batchCount;
      return this.nextBatch(poller);
    }
    poller.invoking = true;
    this.sim.after(out.durationUs, this.completeHandler, poller);
  }

  private batchExpireUs(poller: Poller): number {
    let earliest = Infinity;
    for (const receive of poller.batch) if (this.receipts.current(receive) && receive.expireUs < earliest) earliest = receive.expireUs;
    return earliest;
  }

  /** The invocation ended: delete what succeeded; what failed stays in flight until its visibility timeout passes. */
  private complete(poller: Poller): void {
    const now = this.sim.nowUs;
    poller.invoking = false;
    this.fn.finish(now);
    const failed = this.failedOffsets(poller.invocation, poller.batchCount, now);
    let offset = 0;
    let deleting = 0;
    let next = 0;
    for (const receive of poller.batch) {
      const count = receive.count;
      let okMask = lowBits(count);
      // The failed offsets are in order: each receive clears the bits of its own.
      for (; next < failed.length && failed[next] < offset + count; next++) okMask &= ~(1 << (failed[next] - offset));
      this.receipts.settle(receive, okMask, now);
      deleting += countBits(okMask, 0, count);
      offset += count;
    }
    if (deleting > 0) {
      // DeleteMessageBatch takes up to 10 receipt handles a call (a stale handle's call is billed too).
      const calls = Math.ceil(deleting / messagesPerCallMax);
      this.deleteCalls += calls;
      this.shared.usage.add(now, "deleteRequests", calls);
    }
    if (failed.length > 0) {
      this.failedBatches++;
      this.failedMessages += failed.length;
      this.backOff();
    }
    this.nextBatch(poller);
  }

  /**
   * Offsets of the batch's failed messages: none on success; all of them when the invocation failed
   * outright (an error it does not report, a timeout); with a partial batch response, the first failure
   * and each later message on its own draw.
   */
  private failedOffsets(out: Invocation, count: number, now: number): number[] {
    const all = (): number[] => Array.from({ length: count }, (_, i) => i);
    if (now - out.durationUs < this.failUntilUs) return all();
    if (out.failedAt < 0) return [];
    if (out.timedOut || !this.settings.spec.reportBatchItemFailures) return all();
    const failed = [out.failedAt];
    const p = this.settings.spec.function.errors.probability;
    if (p >= 1) return all().slice(out.failedAt);
    if (p <= 0) return failed;
    for (let at = out.failedAt; ; ) {
      at += 1 + Math.floor(Math.log(1 - this.settings.moreFailuresU()) / Math.log(1 - p));
      if (at >= count) return failed;
      failed.push(at);
    }
  }

  /** The poller lets go of its batch and, unless the mapping scaled down, receives again. */
  private nextBatch(poller: Poller): void {
    poller.batch = [];
    poller.batchCount = 0;
    poller.batchBytes = 0;
    poller.token++;
    if (this.retireIfOver(poller)) return;
    this.poll(poller);
  }

  /** The consumer's result; reads only. Unread and expired are the queue's, given to one consumer by the model. */
  result(queueTerms: { unread: number; expired: number }): ConsumerResult {
    const terms = { unread: queueTerms.unread, inFlight: this.inFlightCount(), expired: queueTerms.expired, deadLettered: this.counts.deadLettered, lost: 0 };
    this.fn.concurrency.finish(this.settings.endUs);
    return this.meter.result(terms, { nativePerPartition: [], queueWait: this.queueWait, lambda: lambdaSqsStats(this) });
  }
}
