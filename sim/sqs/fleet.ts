// A consumer fleet: N consumers each running the receive loop: ReceiveMessage (up to maxMessages,
// long-polling up to waitTime), process the batch, DeleteMessageBatch what succeeded, receive again.
// A receive call is one small object (it holds at most 10 messages as a few pieces), never one per
// message. Long-polling consumers of an empty queue are parked with the queue and woken one at a time
// when messages arrive, so an idle fleet costs one event per consumer per waitTime.

import { roundHalfUp, type Simulation, type TokenBucket, type Uniform } from "../engine/index.ts";
import { ConsumerMeter, LogHistogram, type CounterSeries, type SeriesOptions, type SqsUsage, type UsageCounter } from "../metrics/index.ts";
import { RetryPolicy, type LatencySampler } from "../workload/index.ts";
import { activeReceive, ExpiryQueue } from "./expiry.ts";
import { WaitLine } from "./wait-line.ts";
import { billingChunkBytes, emptyReceiveMinUs, sdkAttemptsMax, sdkMaxBackoffUs, sdkThrottlingBaseDelayUs } from "./limits.ts";
import { copyPiece, countBits, lowBits, splitByMask, type Piece } from "./pieces.ts";
import type { SqsQueue, TakeResult } from "./queue.ts";

export interface FleetSettings {
  name: string;
  count: number;
  maxMessages: number;
  waitTimeUs: number;
  visibilityTimeoutUs: number;
  perRecordUs: number;
  perBatchUs: number;
  exponential: boolean;
  failureProbability: number;
  /** Standard queues: chance that a deleted message is delivered once more. */
  duplicateProbability: number;
  receiveLatency: LatencySampler;
  deleteLatency: LatencySampler;
  /** Named random streams: processing times, failures, extra copies. */
  processingU: Uniform;
  failureU: Uniform;
  duplicateU: Uniform;
  /** The SDK's jitter on retries of throttled receives. */
  retryU: Uniform;
  warmupUs: number;
  endUs: number;
  /** Autoscaled fleets: the bounds of their consumer count (its type says so). */
  scaling?: { min: number; max: number };
}

/** The queue's per-action call limits (FIFO; high-throughput also per partition) and the system's shared counters. */
export interface FleetShared {
  receiveBucket: TokenBucket | null;
  deleteBucket: TokenBucket | null;
  receivePartitions: TokenBucket[] | null;
  deletePartitions: TokenBucket[] | null;
  usage: UsageCounter<keyof SqsUsage>;
  received: CounterSeries;
  deleted: CounterSeries;
  emptyReceives: CounterSeries;
}

interface Consumer {
  index: number;
  /** Scaled in: it finishes the batch in hand and makes no further call. */
  retired: boolean;
  token: number;
  waiting: boolean;
  failUntilUs: number;
  /** Throttled attempts of the current receive call (the SDK retries it, up to its attempts). */
  throttles: number;
  /** The token of the long poll it is parked in, or of its pending retry (a wake for an older one is ignored). */
  parkToken: number;
  /** When its long poll's wait or its retry delay ends: an event for an earlier one is stale. */
  resumeAtUs: number;
  /** In the queue's line of parked receives; wake is called when messages may be there. */
  queued: boolean;
  wake: () => void;
}

/** The SDK's standard retry mode for throttling errors (docs/reference.md §4). */
const sdkRetry = new RetryPolicy({ maxAttempts: sdkAttemptsMax, baseDelayUs: sdkThrottlingBaseDelayUs, maxDelayUs: sdkMaxBackoffUs, jitter: "full" });

/** No pieces (never added to: lists are replaced, not grown). */
const noPieces: Piece[] = [];

const active = activeReceive;
const expired = 1;
const done = 2;

/** One ReceiveMessage call's messages, from the receive to their delete or the end of their visibility. */
interface Receive {
  consumer: Consumer;
  token: number;
  /** Messages still in flight under this receipt (after a delete: the failed ones). */
  pieces: Piece[];
  /** Messages processed successfully, while their delete is on its way. */
  deleting: Piece[];
  count: number;
  processingStartUs: number;
  /** When its visibility timeout passes. */
  expireUs: number;
  state: number;
  /**
   * Bit i set: the i-th message processed successfully. Positions are the batch's order, or, once the
   * receive expired after processing, the order of `copies` (the deleted ones first).
   */
  okMask: number;
  /** Standard queues, after the visibility timeout: the copies made visible again, and their counts then. */
  copies: Piece[] | null;
  copyCounts: number[] | null;
  /** Counts the uses of this object: a receive deleted in full is reused for a later one (sim/sqs/expiry.ts). */
  generation: number;
}

export class ConsumerFleet {
  /** Messages the queue moved to the dead-letter queue at this fleet's receives. */
  readonly counts = { deadLettered: 0 };
  readonly meter: ConsumerMeter;
  /** Deletes that came after the visibility timeout: the receipt handle was stale and nothing was deleted. */
  staleDeletes = 0;
  /** Standard queues: deletes after the visibility timeout that still deleted (nobody received the message since). */
  lateDeletes = 0;
  failedMessages = 0;
  receiveCalls = 0;
  emptyReceiveCalls = 0;
  /** DeleteMessageBatch calls that waited for the FIFO per-action limit. */
  deleteThrottles = 0;
  /** High-throughput FIFO: receives throttled, and deletes that waited, for a partition's limit (counted in the totals too). */
  partitionReceiveThrottles = 0;
  partitionDeleteThrottles = 0;
  overLimitReceives = 0;
  batchProcessingMaxUs = 0;
  /** Send to first receive, per message, after warm-up. */
  readonly queueWait = new LogHistogram();
  readonly consumers: Consumer[];
  private readonly receives = new Set<Receive>();
  private readonly take: TakeResult = { count: 0, overLimit: false, deadLettered: 0, throttled: false };
  private readonly processedHandler = (receive: Receive): void => this.processed(receive);
  private readonly deleteHandler = (receive: Receive): void => this.deleteArrived(receive);
  /** Receives in the order their visibility timeouts pass (sim/sqs/expiry.ts). */
  private readonly expiring: ExpiryQueue<Receive>;
  /** Long polls in the order their wait times end (sim/sqs/wait-line.ts). */
  private readonly waitEnds: WaitLine<Consumer>;
  private readonly retryHandler = (consumer: Consumer): void => this.retry(consumer);
  /** What a receive takes into; a receive that gets messages keeps it, and the next one gets a new array. */
  private scratch: Piece[] = [];
  /**
   * Receives deleted in full, to be reused: a receive lives until its visibility timeout in the expiry
   * queue, long enough for the collector to move it to the old generation, so a new object per receive
   * cost the run more in garbage collection than anything else in this file.
   */
  private readonly freeReceives: Receive[] = [];
  /** The partitions a delete touches (at most 10), reused. */
  private readonly touched: number[] = [];

  constructor(
    readonly settings: FleetSettings,
    private readonly sim: Simulation,
    private readonly queue: SqsQueue,
    private readonly shared: FleetShared,
    seriesOptions: SeriesOptions,
  ) {
    const type = settings.scaling === undefined ? `sqs-fleet (${settings.count} consumer${settings.count === 1 ? "" : "s"})` : `sqs-fleet (${settings.scaling.min} to ${settings.scaling.max} consumers, target tracking)`;
    this.meter = new ConsumerMeter({ name: settings.name, type, seriesOptions, warmupUs: settings.warmupUs, native: { name: "ageOfOldestMessageMs", unit: "ms" } });
    this.expiring = new ExpiryQueue(sim, (receive) => this.expire(receive));
    this.waitEnds = new WaitLine(sim, (consumer) => this.waitEnded(consumer));
    this.consumers = Array.from({ length: settings.count }, (_, index) => this.newConsumer(index));
  }

  private newConsumer(index: number): Consumer {
    const consumer: Consumer = { index, retired: false, token: 0, waiting: false, failUntilUs: -1, throttles: 0, parkToken: -1, resumeAtUs: -1, queued: false, wake: () => this.woken(consumer) };
    return consumer;
  }

  /** Consumers working (not scaled in). */
  get workingCount(): number {
    let count = 0;
    for (const consumer of this.consumers) if (!consumer.retired) count++;
    return count;
  }

  /** Autoscaling: a new consumer starts its receive loop now (docs/reference.md §11.1). */
  addConsumer(): void {
    const consumer = this.newConsumer(this.consumers.length);
    this.consumers.push(consumer);
    this.receive(consumer);
  }

  /**
   * Autoscaling: the newest working consumer is scaled in. It finishes and deletes the batch in hand and
   * makes no further receive; a long poll it is parked in ends without an answer it would act on.
   */
  removeConsumer(): void {
    for (let i = this.consumers.length - 1; i >= 0; i--) {
      const consumer = this.consumers[i];
      if (consumer.retired) continue;
      consumer.retired = true;
      if (consumer.waiting) {
        consumer.waiting = false;
        consumer.token++;
      }
      return;
    }
  }

  get name(): string {
    return this.settings.name;
  }

  /** Messages processed again (redeliveries after a stale delete, extra copies of standard queues). */
  get duplicates(): number {
    return this.meter.duplicates;
  }

  /** ReceiveMessage calls refused by the FIFO per-action limit. */
  get receiveThrottles(): number {
    return this.meter.readThrottles;
  }

  start(): void {
    for (const consumer of this.consumers) this.sim.at(0, () => this.receive(consumer));
  }

  /** consumer-fail: every consumer of the fleet fails what it processes for `forUs`. */
  failFor(forUs: number): void {
    for (const consumer of this.consumers) consumer.failUntilUs = this.sim.nowUs + forUs;
  }

  /**
   * consumer-crash: every consumer stops at once and starts again (a process restarted): what it was
   * processing is never deleted and reappears when its visibility timeout passes.
   */
  crash(): void {
    for (const consumer of this.consumers) {
      consumer.token++;
      consumer.waiting = false;
      this.sim.after(0, () => this.receive(consumer));
    }
  }

  private bill(name: keyof SqsUsage, amount: number): void {
    this.shared.usage.add(this.sim.nowUs, name, amount);
  }

  /** ReceiveMessage: takes what is visible; with nothing, long-polls (parks) or answers empty. */
  private receive(consumer: Consumer): void {
    if (consumer.retired) return;
    const now = this.sim.nowUs;
    const bucket = this.shared.receiveBucket;
    if (bucket !== null && !bucket.tryTake(now, 1)) return this.throttled(consumer);
    this.receiveCall(consumer, now);
  }

  /**
   * Over a FIFO per-action limit (the queue's, or in high-throughput mode a partition's): ThrottlingException.
   * The SDK retries after a random part of an exponential backoff, so a throttled fleet spreads its
   * retries instead of all calling again at the instant a call is allowed; after its last attempt the
   * application's loop calls again.
   */
  private throttled(consumer: Consumer): void {
    this.meter.readThrottled();
    consumer.throttles++;
    if (!sdkRetry.canRetry(consumer.throttles)) {
      consumer.throttles = 0;
      return this.later(consumer, emptyReceiveMinUs);
    }
    this.later(consumer, Math.max(emptyReceiveMinUs, sdkRetry.delayUs(consumer.throttles, this.settings.retryU)));
  }

  /** The receive as SQS handles it (a parked long poll comes back here when woken). */
  private receiveCall(consumer: Consumer, now: number): void {
    const scratch = this.scratch;
    const take = this.queue.take(this.settings.maxMessages, now, scratch, this.take, this.shared.receivePartitions);
    this.counts.deadLettered += take.deadLettered;
    if (take.throttled) {
      // Messages are there, but only on partitions out of receive transactions (high-throughput FIFO).
      this.partitionReceiveThrottles++;
      return this.throttled(consumer);
    }
    consumer.throttles = 0;
    if (take.count > 0) {
      // Only a receive that takes messages fills the array (messages moved to the DLQ do not go into it).
      this.scratch = [];
      return this.deliver(consumer, scratch, take.count, now);
    }
    if (take.overLimit) {
      // Over the in-flight limit a short poll gets OverLimit at once; a long poll gets no error and
      // nothing (docs/reference.md §4): it is taken to wait out its wait time, without joining the line of waiters.
      this.overLimitReceives++;
      return this.answerEmpty(consumer, Math.max(this.settings.waitTimeUs, this.settings.receiveLatency.sampleUs()));
    }
    if (this.settings.waitTimeUs > 0) return this.park(consumer);
    this.answerEmpty(consumer, this.settings.receiveLatency.sampleUs());
  }

  private park(consumer: Consumer): void {
    consumer.parkToken = ++consumer.token;
    consumer.waiting = true;
    consumer.resumeAtUs = this.sim.nowUs + this.settings.waitTimeUs;
    this.queue.park(consumer);
    this.waitEnds.add(consumer, consumer.resumeAtUs);
  }

  private woken(consumer: Consumer): void {
    if (consumer.token !== consumer.parkToken || !consumer.waiting) return;
    consumer.waiting = false;
    this.receiveCall(consumer, this.sim.nowUs);
  }

  /** The long poll's wait is over with nothing found (unless it was woken, or the consumer restarted, meanwhile). */
  private waitEnded(consumer: Consumer): void {
    if (consumer.token !== consumer.parkToken || !consumer.waiting || this.sim.nowUs !== consumer.resumeAtUs) return;
    consumer.waiting = false;
    this.answerEmpty(consumer, this.settings.receiveLatency.sampleUs());
  }

  /** An empty answer: billed, counted (NumberOfEmptyReceives), and the consumer asks again. */
  private answerEmpty(consumer: Consumer, latencyUs: number): void {
    this.receiveCalls++;
    this.emptyReceiveCalls++;
    this.shared.emptyReceives.add(this.sim.nowUs, 1);
    this.bill("emptyReceiveRequests", 1);
    this.later(consumer, Math.max(emptyReceiveMinUs, latencyUs));
  }

  private later(consumer: Consumer, delayUs: number): void {
    consumer.parkToken = ++consumer.token;
    consumer.resumeAtUs = this.sim.nowUs + delayUs;
    this.sim.at(consumer.resumeAtUs, this.retryHandler, consumer);
  }

  private retry(consumer: Consumer): void {
    if (consumer.token === consumer.parkToken && this.sim.nowUs === consumer.resumeAtUs) this.receive(consumer);
  }

  /** Messages received: visibility starts now; the answer travels back and the batch is processed. */
  private deliver(consumer: Consumer, pieces: Piece[], count: number, now: number): void {
    const settings = this.settings;
    let bytes = 0;
    for (const piece of pieces) {
      bytes += piece.bytes;
      if (piece.receiveCount === 1 && !piece.ghost && now >= settings.warmupUs) this.queueWait.add(Math.max(0, (now * piece.count - piece.sentSumUs) / piece.count), piece.count);
    }
    this.receiveCalls++;
    this.shared.received.add(now, count);
    this.bill("receiveRequests", Math.max(1, Math.ceil(bytes / billingChunkBytes)));
    // A visibility timeout of 0 still lets a delete made at the same instant count: it ends a microsecond later.
    const receive = this.newReceive(consumer, pieces, count, now + Math.max(1, settings.visibilityTimeoutUs));
    this.receives.add(receive);
    this.expiring.add(receive);
    let processingUs = settings.perBatchUs;
    if (settings.exponential) for (let i = 0; i < count; i++) processingUs += roundHalfUp(-Math.log(1 - settings.processingU()) * settings.perRecordUs);
    else processingUs += count * settings.perRecordUs;
    this.batchProcessingMaxUs = Math.max(this.batchProcessingMaxUs, processingUs);
    receive.processingStartUs = now + settings.receiveLatency.sampleUs();
    this.sim.at(receive.processingStartUs + processingUs, this.processedHandler, receive);
  }

  private newReceive(consumer: Consumer, pieces: Piece[], count: number, expireUs: number): Receive {
    const receive = this.freeReceives.pop();
    if (receive === undefined) return { consumer, token: ++consumer.token, pieces, deleting: noPieces, count, processingStartUs: 0, expireUs, state: active, okMask: 0, copies: null, copyCounts: null, generation: 0 };
    receive.consumer = consumer;
    receive.token = ++consumer.token;
    receive.pieces = pieces;
    receive.deleting = noPieces;
    receive.count = count;
    receive.processingStartUs = 0;
    receive.expireUs = expireUs;
    receive.state = active;
    receive.okMask = 0;
    receive.copies = null;
    receive.copyCounts = null;
    receive.generation++;
    return receive;
  }

  /** The batch is processed: failures stay in flight; the rest is deleted with one DeleteMessageBatch. */
  private processed(receive: Receive): void {
    const consumer = receive.consumer;
    if (consumer.token !== receive.token) return;
    const now = this.sim.nowUs;
    const settings = this.settings;
    // Each message fails on its own draw, wherever it sits in the batch: which messages fail does not
    // depend on the batch size, so neither does how many reach the dead-letter queue (p^maxReceiveCount).
    let failed = 0;
    let okMask = 0;
    if (now < consumer.failUntilUs) failed = receive.count;
    else if (settings.failureProbability > 0) {
      for (let i = 0; i < receive.count; i++) {
        if (settings.failureU() < settings.failureProbability) failed++;
        else okMask |= 1 << i;
      }
    } else okMask = lowBits(receive.count);
    receive.okMask = okMask;
    this.failedMessages += failed;
    const succeeded = receive.count - failed;
    if (succeeded === 0) return this.receive(consumer);
    if (succeeded === receive.count) {
      receive.deleting = receive.pieces;
      receive.pieces = noPieces;
    } else {
      receive.deleting = [];
      receive.pieces = splitByMask(receive.pieces, okMask, receive.deleting);
    }
    this.processedOk(receive, now);
    const waitUs = this.deleteWaitUs(receive.deleting, now);
    this.bill("deleteRequests", 1);
    receive.consumer.token++;
    this.sim.after(waitUs + settings.deleteLatency.sampleUs(), this.deleteHandler, receive);
  }

  /**
   * How long a DeleteMessageBatch waits for the FIFO per-action limits: the queue's, and in
   * high-throughput mode those of the partitions its messages' groups live on (one transaction on
   * each). Over a limit the client waits for its turn (SDK retries), the messages still in flight.
   */
  private deleteWaitUs(deleting: Piece[], now: number): number {
    const bucket = this.shared.deleteBucket;
    if (bucket === null) return 0;
    const queueWaitUs = reserve(bucket, now);
    let partitionWaitUs = 0;
    const partitions = this.shared.deletePartitions;
    if (partitions !== null) {
      const touched = this.touched;
      touched.length = 0;
      for (const piece of deleting) {
        const partition = piece.group!.partition;
        if (touched.includes(partition)) continue;
        touched.push(partition);
        partitionWaitUs = Math.max(partitionWaitUs, reserve(partitions[partition], now));
      }
    }
    if (queueWaitUs > 0 || partitionWaitUs > 0) this.deleteThrottles++;
    if (partitionWaitUs > queueWaitUs) this.partitionDeleteThrottles++;
    return Math.max(queueWaitUs, partitionWaitUs);
  }

  /** End-to-end latency of the processed messages (first time or again), and ghost copies' duplicates. */
  private processedOk(receive: Receive, now: number): void {
    const settings = this.settings;
    let offset = 0;
    for (const piece of receive.deleting) {
      if (piece.ghost) this.meter.processed(now, 0, piece.count);
      if (this.meter.afterWarmup(now)) {
        // Fixed processing: messages finish one after another; exponential: at the batch's end.
        const meanDoneUs = settings.exponential ? now : receive.processingStartUs + settings.perBatchUs + (offset + (piece.count + 1) / 2) * settings.perRecordUs;
        this.meter.endToEnd(Math.max(0, meanDoneUs - piece.createSumUs / piece.count), piece.count);
      }
      offset += piece.count;
    }
  }

  /**
   * The delete reaches SQS. With a current receipt the messages are deleted. After the visibility
   * timeout the receipt is stale: the call succeeds but deletes nothing (the API reference: without
   * the most recently received receipt handle "the request will still succeed, but the message might
   * not be deleted"), so the message is processed again: a duplicate.
   */
  private deleteArrived(receive: Receive): void {
    const now = this.sim.nowUs;
    const deleting = receive.deleting;
    receive.deleting = noPieces;
    let real = 0;
    for (const piece of deleting) if (!piece.ghost) real += piece.count;
    const consumer = receive.consumer;
    const receiveAgain = consumer.token === receive.token + 1;
    if (receive.state === active) {
      this.queue.deleted(deleting, now);
      this.meter.processed(now, real, 0);
      this.shared.deleted.add(now, real);
      this.extraCopies(deleting);
      if (receive.pieces.length === 0) {
        // Deleted in full: no event and no list but the expiry queue's refers to it, and that one knows its generation.
        receive.state = done;
        this.receives.delete(receive);
        this.freeReceives.push(receive);
      }
    } else {
      // After the visibility timeout: a FIFO queue rejects the old receipt handle; a standard queue
      // still deletes the messages nobody received since (docs/reference.md §4).
      const late = receive.copies === null ? 0 : this.deleteLate(receive, now);
      if (late > 0) {
        this.meter.processed(now, late, 0);
        this.shared.deleted.add(now, late);
        this.lateDeletes += late;
      }
      this.meter.processed(now, 0, real - late);
      this.staleDeletes += real - late;
    }
    if (receiveAgain) this.receive(consumer);
  }

  /**
   * A standard queue's late delete: of each copy made visible again, the messages still waiting (its
   * front may have been received by another consumer meanwhile) that this receive processed are deleted.
   */
  private deleteLate(receive: Receive, now: number): number {
    const copies = receive.copies!;
    const counts = receive.copyCounts!;
    let deleted = 0;
    let offset = 0;
    for (let j = 0; j < copies.length; j++) {
      const copy = copies[j];
      const waiting = copy.inHeap === true ? copy.count : 0;
      const ok = countBits(receive.okMask, offset + counts[j] - waiting, offset + counts[j]);
      if (ok > 0) deleted += this.queue.deleteReturned(copy, ok, now);
      offset += counts[j];
    }
    receive.copies = null;
    receive.copyCounts = null;
    return deleted;
  }

  /** Standard queues: a deleted message may be delivered once more (at-least-once delivery). */
  private extraCopies(deleted: Piece[]): void {
    const probability = this.settings.duplicateProbability;
    if (probability === 0) return;
    for (const piece of deleted) {
      if (piece.ghost) continue;
      let copies = 0;
      for (let i = 0; i < piece.count; i++) if (this.settings.duplicateU() < probability) copies++;
      if (copies === 0) continue;
      const share = copies / piece.count;
      const ghost = copyPiece(piece);
      ghost.count = copies;
      ghost.bytes = piece.bytes * share;
      ghost.createSumUs = piece.createSumUs * share;
      ghost.sentSumUs = piece.sentSumUs * share;
      ghost.receiveCount = 1;
      ghost.ghost = true;
      this.queue.addGhost(ghost);
    }
  }

  /** The visibility timeout passed: what is still in flight under this receipt becomes visible again. */
  private expire(receive: Receive): void {
    receive.state = expired;
    this.receives.delete(receive);
    // Copies go back (the receive keeps its own pieces for the processing that may still be under way).
    const back = receive.deleting.concat(receive.pieces).map(copyPiece);
    if (this.queue.settings.fifo) {
      // Failures lie anywhere in a batch: a group's messages return to its front in send order.
      back.sort((a, b) => a.sentUs - b.sentUs);
    } else {
      receive.copies = back;
      receive.copyCounts = back.map((piece) => piece.count);
      // Processed already: the copies hold the messages being deleted first, then the failed ones.
      if (receive.deleting.length > 0) receive.okMask = lowBits(back.reduce((sum, piece, j) => (j < receive.deleting.length ? sum + piece.count : sum), 0));
    }
    this.queue.returnPieces(back, this.sim.nowUs);
  }

  /** Messages in flight at this fleet now, from the receives that hold them. */
  inFlightCount(): number {
    let count = 0;
    for (const receive of this.receives) {
      for (const piece of receive.pieces) if (!piece.ghost) count += piece.count;
      for (const piece of receive.deleting) if (!piece.ghost) count += piece.count;
    }
    return count;
  }

  /** Oldest creation and send time among messages in flight at this fleet. */
  oldestInFlight(out: { createMinUs: number; sentUs: number }): void {
    for (const receive of this.receives) {
      for (const list of [receive.pieces, receive.deleting]) {
        for (const piece of list) {
          if (piece.ghost) continue;
          if (piece.createMinUs < out.createMinUs) out.createMinUs = piece.createMinUs;
          if (piece.sentUs < out.sentUs) out.sentUs = piece.sentUs;
        }
      }
    }
  }
}

/** Takes one transaction from a limit, in advance if need be; returns how long the call waits for it. */
function reserve(bucket: TokenBucket, nowUs: number): number {
  const tokens = bucket.tokensAt(nowUs);
  bucket.take(1);
  return tokens >= 1 ? 0 : Math.ceil(((1 - tokens) * 1e6) / bucket.ratePerSecond);
}
