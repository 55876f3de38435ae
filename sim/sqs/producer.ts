// A producer application's SQS client: batches the workload's messages into SendMessageBatch calls
// (up to maxMessages and 1 MiB, docs/reference.md §4), sends them, and retries a throttled call (FIFO per-action
// limit) with its backoff policy until it is accepted or out of attempts. Messages it still holds at
// the end are pending. The FIFO message group is the record's partition key.
//
// A call's answer can be lost after SQS stored its messages (lostResponseProbability): the client
// retries the same call. A standard queue stores the messages again, so they are delivered twice; a
// FIFO queue accepts the retry but drops its messages as duplicates within the 5-minute deduplication
// window (the SDK resends the same MessageDeduplicationId, docs/reference.md §4).

import type { Simulation, TokenBucket, Uniform } from "../engine/index.ts";
import { newProducerCounts, type CounterSeries, type LogHistogram, type ProducerCounts, type ProducerMeter, type SqsUsage, type UsageCounter } from "../metrics/index.ts";
import { Batcher, feedAhead, RecordBlock, type Batch, type LatencySampler, type ProducerStream, type RetryPolicy } from "../workload/index.ts";
import { billingChunkBytes, deduplicationWindowUs, sendBatchBytesMax } from "./limits.ts";
import type { FifoGroup, Piece } from "./pieces.ts";
import type { SqsQueue } from "./queue.ts";

const blockCapacity = 4096;

export interface SqsProducerSettings {
  maxMessages: number;
  lingerUs: number;
  retry: RetryPolicy;
  /** The same attempts from the SDK's throttling base (500 ms), for a ThrottlingException (docs/reference.md §4). */
  throttledRetry: RetryPolicy;
  retryJitter: Uniform;
  latency: LatencySampler;
  /** FIFO SendMessage(Batch) calls per second; null for standard queues. */
  sendBucket: TokenBucket | null;
  /** High-throughput FIFO: each partition's send limit (null otherwise). */
  partitionBuckets: TokenBucket[] | null;
  fifo: boolean;
  /** Share of calls whose answer is lost after SQS stored the messages; the draws that decide it. */
  lostResponseProbability: number;
  lostResponseU: Uniform;
}

/**
 * A send call, from its batch's close to its answer. Calls are reused once answered (a call lives past
 * a few garbage collections, and a new object per call made the collector work for every one).
 */
interface SendCall {
  batch: Batch;
  attempts: number;
  /** When SQS stored the call's messages although the client did not hear so (-1 until then). */
  storedUs: number;
  /** The order calls were made in. */
  seq: number;
}

export class SqsProducerClient {
  readonly counts: ProducerCounts = newProducerCounts();
  /** Messages offered per key index (FIFO: per message group), for naming a hot group; null for unbounded keys. */
  readonly offeredPerKey: Float64Array | null;
  private readonly batcher: Batcher;
  private readonly block = new RecordBlock(blockCapacity);
  /** Messages in calls not yet answered whose messages SQS has not stored. */
  private unstoredMessages = 0;
  /** Calls SQS stored whose answer was lost, waiting for a retry's answer. */
  private readonly stored = new Set<SendCall>();
  private readonly freeCalls: SendCall[] = [];
  private callSeq = 0;
  /** FIFO groups by key index (bounded key spaces); a swept one is looked up again. */
  private readonly groupCache: (FifoGroup | undefined)[] | null;
  /** FIFO: retried messages SQS dropped as duplicates (deduplication window). */
  deduplicated = 0;
  /** Messages a retry stored a second time (standard queues; FIFO after the window). */
  storedTwice = 0;
  /** Messages of calls whose answer was lost after SQS stored them (retried or not). */
  lostResponses = 0;
  private readonly sendHandler = (call: SendCall): void => this.send(call);
  private readonly completeHandler = (call: SendCall): void => this.complete(call);
  private readonly groupOfHandler = (keyIndex: number): FifoGroup => this.groupOf(keyIndex);
  /** The partitions a send call touches (at most 10), reused. */
  private readonly touched: number[] = [];

  constructor(
    private readonly sim: Simulation,
    private readonly queue: SqsQueue,
    readonly workload: ProducerStream,
    private readonly settings: SqsProducerSettings,
    private readonly producerLatency: LogHistogram,
    private readonly shared: { usage: UsageCounter<keyof SqsUsage>; sent: CounterSeries; onAccepted: (call: { count: number }) => void },
    /** The messages it took from the workload and the messages it sent again. */
    readonly meter: ProducerMeter,
  ) {
    const cardinality = workload.keys.cardinality;
    this.offeredPerKey = Number.isFinite(cardinality) ? new Float64Array(cardinality) : null;
    this.groupCache = queue.settings.fifo && Number.isFinite(cardinality) ? new Array<FifoGroup | undefined>(cardinality) : null;
    this.batcher = new Batcher({ maxRecords: settings.maxMessages, maxBytes: sendBatchBytesMax, lingerUs: settings.lingerUs }, (batch) => this.onBatch(batch));
  }

  start(): void {
    feedAhead(this.sim, this.workload, {
      take: (untilUs) => this.feed(untilUs),
      flushUntil: (untilUs) => this.batcher.flushUntil(untilUs),
      finish: (untilUs) => this.batcher.flushAt(untilUs),
    });
  }

  /** Messages held by the client: in the open batch, in calls in flight or waiting to be retried. */
  pendingRecords(): number {
    return this.batcher.openCount + this.unstoredMessages;
  }

  /** At the end of the run: stored calls still waiting for a retry's answer count like calls given up. */
  settleStored(): void {
    for (const call of [...this.stored].sort((a, b) => a.seq - b.seq)) this.givenUp(call);
  }

  private feed(untilUs: number): void {
    const { block, batcher, counts, offeredPerKey } = this;
    while (this.workload.fill(untilUs, block) > 0) {
      for (let i = 0; i < block.count; i++) {
        batcher.add(block.timeUs[i], block.keyIndex[i], block.sizeBytes[i]);
        counts.producedBytes += block.sizeBytes[i];
        if (offeredPerKey !== null) offeredPerKey[block.keyIndex[i]]++;
      }
      counts.produced += block.count;
      this.meter.took(block.timeUs, block.count);
    }
  }

  private onBatch(batch: Batch): void {
    let call = this.freeCalls.pop();
    if (call === undefined) call = { batch, attempts: 0, storedUs: -1, seq: 0 };
    else {
      call.batch = batch;
      call.attempts = 0;
      call.storedUs = -1;
    }
    call.seq = this.callSeq++;
    this.unstoredMessages += batch.count;
    this.sim.at(batch.closeUs, this.sendHandler, call);
  }

  private send(call: SendCall): void {
    call.attempts++;
    // Every attempt reaches SQS, which throttles or stores it: one after the first is a retry.
    if (call.attempts > 1) this.meter.retry(this.sim.nowUs, call.batch.count);
    if (!this.admitted(call.batch)) {
      // ThrottlingException: the whole call is refused; the client backs off and tries again.
      this.counts.throttledAttempts += call.batch.count;
      if (!this.settings.retry.canRetry(call.attempts)) return call.storedUs >= 0 ? this.givenUp(call) : this.drop(call);
      this.sim.after(this.settings.throttledRetry.delayUs(call.attempts, this.settings.retryJitter), this.sendHandler, call);
      return;
    }
    this.sim.after(this.settings.latency.sampleUs(), this.completeHandler, call);
  }

  /**
   * Whether the call is within the FIFO limits: the queue's, and in high-throughput mode each
   * partition's that its messages' groups live on (one transaction on each); it takes their tokens.
   */
  private admitted(batch: Batch): boolean {
    const now = this.sim.nowUs;
    const bucket = this.settings.sendBucket;
    const partitions = this.settings.partitionBuckets;
    if (bucket === null) return true;
    if (partitions === null) return bucket.tryTake(now, 1);
    const touched = this.touched;
    touched.length = 0;
    for (let i = 0; i < batch.count; i++) {
      const partition = this.groupOf(batch.keyIndex[i]).partition;
      if (!touched.includes(partition)) touched.push(partition);
    }
    if (bucket.tokensAt(now) < 1) return false;
    for (const partition of touched) if (partitions[partition].tokensAt(now) < 1) return false;
    bucket.take(1);
    for (const partition of touched) partitions[partition].take(1);
    return true;
  }

  private drop(call: SendCall): void {
    this.counts.dropped += call.batch.count;
    this.finish(call);
  }

  /** The call reached SQS: its messages are stored, and the client hears so unless the answer is lost. */
  private complete(call: SendCall): void {
    const now = this.sim.nowUs;
    const { batch } = call;
    this.bill(batch, now, call.storedUs < 0);
    if (call.storedUs >= 0) return this.completeRetry(call, now);
    this.queue.acceptBatch(now, batch, this.groupOfHandler);
    this.counts.accepted += batch.count;
    this.counts.acceptedBytes += batch.bytes;
    this.shared.sent.add(now, batch.count);
    this.shared.onAccepted(batch);
    const { lostResponseProbability, retry } = this.settings;
    if (lostResponseProbability > 0 && this.settings.lostResponseU() < lostResponseProbability) {
      // The answer is lost: the messages are stored, the client does not know and sends the call again.
      call.storedUs = now;
      this.unstoredMessages -= batch.count;
      this.stored.add(call);
      this.lostResponses += batch.count;
      if (retry.canRetry(call.attempts)) return this.sim.after(retry.delayUs(call.attempts, this.settings.retryJitter), this.sendHandler, call);
      return this.givenUp(call);
    }
    this.acknowledged(call, now);
  }

  /** A retry of a call SQS had stored: FIFO drops it within the deduplication window; otherwise the messages are stored again. */
  private completeRetry(call: SendCall, now: number): void {
    const { batch } = call;
    if (this.settings.fifo && now - call.storedUs <= deduplicationWindowUs) this.deduplicated += batch.count;
    else {
      this.storedTwice += batch.count;
      // A second copy of each message: delivered like any message, counted as a duplicate when processed.
      if (!this.settings.fifo) this.queue.addGhost(copyOf(batch, now));
    }
    this.acknowledged(call, now);
  }

  /**
   * The client gave up on a call SQS had stored (its answer lost, its retries out of attempts): the
   * messages are accepted, not dropped; their latency runs to the answer SQS sent when it stored them.
   */
  private givenUp(call: SendCall): void {
    this.acknowledged(call, call.storedUs);
  }

  private acknowledged(call: SendCall, now: number): void {
    const { batch } = call;
    this.producerLatency.addElapsed(now, batch.timeUs, batch.count);
    this.finish(call);
  }

  private finish(call: SendCall): void {
    if (call.storedUs < 0) this.unstoredMessages -= call.batch.count;
    else this.stored.delete(call);
    this.batcher.recycle(call.batch);
    this.freeCalls.push(call);
  }

  /** Every call that reaches SQS is billed, per 64 KB of payload (docs/reference.md §4); messages count once, when first stored. */
  private bill(batch: Batch, now: number, first: boolean): void {
    const usage = this.shared.usage;
    usage.add(now, "sendRequests", Math.max(1, Math.ceil(batch.bytes / billingChunkBytes)));
    if (!first) return;
    usage.add(now, "messagesSent", batch.count);
    usage.add(now, "bytesSent", batch.bytes);
  }

  /**
   * FIFO: the message group of a key: the MessageGroupId is the key itself, so producers sending the
   * same key share its group. Bounded key spaces keep the groups by key index (no string per message).
   */
  /** The MessageGroupId of a key index: the trace's group column when it has one, else the key. */
  private groupIdOf(keyIndex: number): string {
    const keys = this.workload.keys;
    return keys.groupAt?.(keyIndex) ?? keys.keyAt(keyIndex);
  }

  private groupOf(keyIndex: number): FifoGroup {
    const cache = this.groupCache;
    if (cache === null) return this.queue.group(this.groupIdOf(keyIndex));
    let group = cache[keyIndex];
    if (group === undefined || group.swept) {
      group = this.queue.group(this.groupIdOf(keyIndex));
      cache[keyIndex] = group;
    }
    return group;
  }
}

/** The batch's messages as one piece of extra copies (standard queues: not counted as messages sent). */
function copyOf(batch: Batch, nowUs: number): Piece {
  let createSumUs = 0;
  let createMinUs = Infinity;
  for (let i = 0; i < batch.count; i++) {
    createSumUs += batch.timeUs[i];
    createMinUs = Math.min(createMinUs, batch.timeUs[i]);
  }
  return { count: batch.count, bytes: batch.bytes, createMinUs, createSumUs, sentUs: nowUs, sentSumUs: nowUs * batch.count, receiveCount: 0, ghost: true, group: null, inHeap: false };
}
