// The KPL's buffer between its batches and PutRecords (policy ttl, docs/reference.md §1.2): a rate limit per
// shard (token buckets for Kinesis records and bytes at RateLimit, 150% of the shard's limits), a queue per
// shard of what the limit holds back, drained in order when the KPL polls (every 25 ms), and failed records
// coming back after half the linger (RecordMaxBufferedTime / 2). A record older than its TTL is dropped, not
// sent. Work is per record sent or held, never per record per poll: a poll looks at the head of each
// shard's queue and releases only what the buckets allow.

import { putRecordsRecordsMax } from "./limits.ts";
import type { KeyRoutes } from "./stream.ts";

/** The KPL's default RateLimit, percent of a shard's limits (docs/reference.md §1.2). */
export const kplRateLimitPercent = 150;
/** How often the KPL drains its limiter's queues (`kDrainDelayMillis`, docs/reference.md §1.2). */
export const kplDrainIntervalUs = 25_000;
// The limiter's buckets hold 1,000 records and 10 MiB and refill at RateLimit percent of 1,000 records/s
// and 1 MiB/s (`ShardLimiter`, docs/reference.md §1.2).
const bucketRecordsMax = 1000;
const bucketBytesMax = 10 * 1024 * 1024;
const shardRecordsPerSecond = 1000;
const shardBytesPerSecond = 1024 * 1024;
// KPL aggregation framing, as the stream counts it (docs/reference.md §1.7).
const aggregationFramingBytes = 20;
const aggregationRecordOverheadBytes = 6;

/**
 * A FIFO of records in typed arrays: creation time, key, size, a tag (in a shard's queue 1 for a record
 * sent before; among waiting retries its shard) and, for waiting retries, when it is due.
 */
class RecordQueue {
  timeUs = new Float64Array(64);
  keyIndex = new Float64Array(64);
  sizeBytes = new Float64Array(64);
  tag = new Float64Array(64);
  dueUs = new Float64Array(64);
  head = 0;
  count = 0;

  push(timeUs: number, keyIndex: number, sizeBytes: number, tag: number, dueUs: number): void {
    if (this.count === this.timeUs.length) this.grow();
    const slot = (this.head + this.count) & (this.timeUs.length - 1);
    this.timeUs[slot] = timeUs;
    this.keyIndex[slot] = keyIndex;
    this.sizeBytes[slot] = sizeBytes;
    this.tag[slot] = tag;
    this.dueUs[slot] = dueUs;
    this.count++;
  }

  pop(): void {
    this.head = (this.head + 1) & (this.timeUs.length - 1);
    this.count--;
  }

  /** Keeps only the records `keep` accepts, in order; returns how many it removed. */
  filter(keep: (timeUs: number) => boolean): number {
    const mask = this.timeUs.length - 1;
    let kept = 0;
    for (let i = 0; i < this.count; i++) {
      const from = (this.head + i) & mask;
      if (!keep(this.timeUs[from])) continue;
      const to = (this.head + kept) & mask;
      this.timeUs[to] = this.timeUs[from];
      this.keyIndex[to] = this.keyIndex[from];
      this.sizeBytes[to] = this.sizeBytes[from];
      this.tag[to] = this.tag[from];
      this.dueUs[to] = this.dueUs[from];
      kept++;
    }
    const removed = this.count - kept;
    this.count = kept;
    return removed;
  }

  /** Doubles the capacity (a power of two), unrolling the ring to start at 0. */
  private grow(): void {
    const capacity = this.timeUs.length * 2;
    const unroll = (from: Float64Array<ArrayBuffer>): Float64Array<ArrayBuffer> => {
      const to = new Float64Array(capacity);
      const tail = from.subarray(this.head);
      to.set(tail);
      to.set(from.subarray(0, this.head), tail.length);
      return to;
    };
    this.timeUs = unroll(this.timeUs);
    this.keyIndex = unroll(this.keyIndex);
    this.sizeBytes = unroll(this.sizeBytes);
    this.tag = unroll(this.tag);
    this.dueUs = unroll(this.dueUs);
    this.head = 0;
  }
}

export interface KplBufferSettings {
  recordTtlUs: number;
  /** Failed records come back after this (half of RecordMaxBufferedTime, the linger) or at their TTL if sooner. */
  retryDelayUs: number;
  ratePercent: number;
  /** AggregationMaxSize when the producer aggregates, else null: the limit then counts aggregates. */
  aggregationMaxBytes: number | null;
  /** PutRecords calls the buffer releases carry at most these (user records, and their data bytes). */
  callMaxRecords: number;
  callMaxBytes: number;
}

/** Records released by one poll for one PutRecords call, in typed arrays the caller keeps. */
export interface ReleasedCall {
  count: number;
  timeUs: Float64Array;
  keyIndex: Float64Array;
  sizeBytes: Float64Array;
  shardIndex: Int32Array;
  /** Records of the call that were sent before (retries). */
  retried: number;
}

export class KplBuffer {
  /** Records dropped for their TTL since the caller last took the count. */
  dropped = 0;
  private readonly queues: RecordQueue[] = [];
  /** Shards whose queue holds records, in the order they started to (polls serve them in it). */
  private active: number[] = [];
  private readonly waiting = new RecordQueue();
  private recordTokens = new Float64Array(0);
  private byteTokens = new Float64Array(0);
  private refilledUs = new Float64Array(0);
  // The aggregate being packed per shard in the current call (KplBuffer.take).
  private aggregateCall = new Float64Array(0);
  private aggregateBytes = new Float64Array(0);
  /** Numbers the calls, so aggregates are packed per call. */
  private call = 0;
  private readonly builder: CallBuilder;
  private queued = 0;
  private readonly recordsPerSecond: number;
  private readonly bytesPerSecond: number;

  constructor(
    private readonly settings: KplBufferSettings,
    private readonly routes: KeyRoutes,
  ) {
    this.recordsPerSecond = (shardRecordsPerSecond * settings.ratePercent) / 100;
    this.bytesPerSecond = (shardBytesPerSecond * settings.ratePercent) / 100;
    this.builder = new CallBuilder(Math.min(settings.callMaxRecords, putRecordsRecordsMax));
  }

  /** An answered call's arrays, for the next calls a poll fills. */
  recycle(call: ReleasedCall): void {
    this.builder.recycle(call);
  }

  /** Records held: queued behind the rate limit or waiting to be retried. */
  get heldCount(): number {
    return this.queued + this.waiting.count;
  }

  /** When the next poll should run: now + 25 ms while a queue holds records, else when the first retry is due; null when nothing is held. */
  nextPollUs(nowUs: number): number | null {
    if (this.queued > 0) return nowUs + kplDrainIntervalUs;
    if (this.waiting.count === 0) return null;
    return Math.max(nowUs, this.waiting.dueUs[this.waiting.head]);
  }

  /**
   * A new batch meets the rate limit at nowUs: records whose shard has no queue and whose tokens the buckets
   * hold stay in the call (moved to its front, in order); the others join their shard's queue. Returns
   * how many stay.
   */
  admit(call: ReleasedCall, nowUs: number): number {
    this.call++;
    const ttlUs = this.settings.recordTtlUs;
    let kept = 0;
    for (let i = 0; i < call.count; i++) {
      const timeUs = call.timeUs[i];
      const shard = call.shardIndex[i];
      if (nowUs - timeUs >= ttlUs) {
        this.dropped++;
        continue;
      }
      const queue = this.queueOf(shard);
      if (queue.count === 0 && this.take(shard, call.keyIndex[i], call.sizeBytes[i], nowUs)) {
        call.timeUs[kept] = timeUs;
        call.keyIndex[kept] = call.keyIndex[i];
        call.sizeBytes[kept] = call.sizeBytes[i];
        call.shardIndex[kept] = shard;
        kept++;
      } else {
        this.enqueue(queue, shard, timeUs, call.keyIndex[i], call.sizeBytes[i], 0);
      }
    }
    call.count = kept;
    return kept;
  }

  /** A failed record of an answered call: dropped at its TTL, else back in the buffer after the retry delay. */
  retry(timeUs: number, keyIndex: number, sizeBytes: number, shardIndex: number, nowUs: number): void {
    const leftUs = timeUs + this.settings.recordTtlUs - nowUs;
    if (leftUs <= 0) {
      this.dropped++;
      return;
    }
    this.waiting.push(timeUs, keyIndex, sizeBytes, shardIndex, nowUs + Math.ceil(Math.min(this.settings.retryDelayUs, leftUs)));
  }

  /**
   * The KPL's poll at nowUs: due retries join their shard's queue; each queue drops its expired head and
   * releases, in order, what its buckets allow. Calls `send` once per PutRecords call's worth.
   */
  poll(nowUs: number, send: (call: ReleasedCall) => void): void {
    const ttlUs = this.settings.recordTtlUs;
    const waiting = this.waiting;
    while (waiting.count > 0 && waiting.dueUs[waiting.head] <= nowUs) {
      const h = waiting.head;
      if (nowUs - waiting.timeUs[h] >= ttlUs) this.dropped++;
      else {
        const shard = waiting.tag[h];
        this.enqueue(this.queueOf(shard), shard, waiting.timeUs[h], waiting.keyIndex[h], waiting.sizeBytes[h], 1);
      }
      waiting.pop();
    }
    const call = this.builder;
    this.call++;
    const stillActive: number[] = [];
    for (const shard of this.active) {
      const queue = this.queues[shard];
      while (queue.count > 0) {
        const h = queue.head;
        const timeUs = queue.timeUs[h];
        if (nowUs - timeUs >= ttlUs) {
          this.dropped++;
        } else {
          const sizeBytes = queue.sizeBytes[h];
          if (call.count === this.settings.callMaxRecords || (call.count > 0 && call.bytes + sizeBytes > this.settings.callMaxBytes)) {
            send(call.take());
            this.call++;
          }
          if (!this.take(shard, queue.keyIndex[h], sizeBytes, nowUs)) break;
          call.add(timeUs, queue.keyIndex[h], sizeBytes, shard, queue.tag[h]);
        }
        queue.pop();
        this.queued--;
      }
      if (queue.count > 0) stillActive.push(shard);
    }
    this.active = stillActive;
    if (call.count > 0) send(call.take());
  }

  /** At the end of the run: drops every held record older than its TTL (polls drop them only from a queue's head). */
  settle(nowUs: number): void {
    const ttlUs = this.settings.recordTtlUs;
    const alive = (timeUs: number): boolean => nowUs - timeUs < ttlUs;
    this.dropped += this.waiting.filter(alive);
    for (const shard of this.active) {
      const removed = this.queues[shard].filter(alive);
      this.dropped += removed;
      this.queued -= removed;
    }
  }

  private enqueue(queue: RecordQueue, shard: number, timeUs: number, keyIndex: number, sizeBytes: number, sentBefore: number): void {
    if (queue.count === 0) this.active.push(shard);
    queue.push(timeUs, keyIndex, sizeBytes, sentBefore, 0);
    this.queued++;
  }

  private queueOf(shard: number): RecordQueue {
    let queue = this.queues[shard];
    if (queue === undefined) {
      for (let s = this.queues.length; s <= shard; s++) this.queues.push(new RecordQueue());
      queue = this.queues[shard];
      this.ensureBuckets(shard);
    }
    return queue;
  }

  /**
   * Takes the tokens one user record needs from its shard's buckets at nowUs, if they hold them: a Kinesis
   * record of its data and key, or with aggregation its share of the aggregate it joins in this call (a new
   * aggregate takes one record token and the framing).
   */
  private take(shard: number, keyIndex: number, sizeBytes: number, nowUs: number): boolean {
    this.refill(shard, nowUs);
    const bytes = sizeBytes + this.routes.keyBytes(keyIndex);
    const maxBytes = this.settings.aggregationMaxBytes;
    if (maxBytes === null) {
      if (this.recordTokens[shard] < 1 || this.byteTokens[shard] < bytes) return false;
      this.recordTokens[shard] -= 1;
      this.byteTokens[shard] -= bytes;
      return true;
    }
    const recordBytes = bytes + aggregationRecordOverheadBytes;
    if (this.aggregateCall[shard] === this.call && this.aggregateBytes[shard] + recordBytes <= maxBytes) {
      if (this.byteTokens[shard] < recordBytes) return false;
      this.byteTokens[shard] -= recordBytes;
      this.aggregateBytes[shard] += recordBytes;
      return true;
    }
    if (this.recordTokens[shard] < 1 || this.byteTokens[shard] < recordBytes + aggregationFramingBytes) return false;
    this.recordTokens[shard] -= 1;
    this.byteTokens[shard] -= recordBytes + aggregationFramingBytes;
    this.aggregateCall[shard] = this.call;
    this.aggregateBytes[shard] = recordBytes + aggregationFramingBytes;
    return true;
  }

  private refill(shard: number, nowUs: number): void {
    const elapsedUs = nowUs - this.refilledUs[shard];
    if (elapsedUs <= 0) return;
    this.recordTokens[shard] = Math.min(bucketRecordsMax, this.recordTokens[shard] + (elapsedUs * this.recordsPerSecond) / 1e6);
    this.byteTokens[shard] = Math.min(bucketBytesMax, this.byteTokens[shard] + (elapsedUs * this.bytesPerSecond) / 1e6);
    this.refilledUs[shard] = nowUs;
  }

  /** Per-shard bucket state for shards up to `shard`; a shard's buckets start full (the KPL's fill from its clock's epoch). */
  private ensureBuckets(shard: number): void {
    if (shard < this.recordTokens.length) return;
    const length = Math.max(shard + 1, this.recordTokens.length * 2);
    const grow = (from: Float64Array<ArrayBuffer>, fill: number): Float64Array<ArrayBuffer> => {
      const to = new Float64Array(length).fill(fill);
      to.set(from);
      return to;
    };
    this.recordTokens = grow(this.recordTokens, bucketRecordsMax);
    this.byteTokens = grow(this.byteTokens, bucketBytesMax);
    this.refilledUs = grow(this.refilledUs, 0);
    this.aggregateCall = grow(this.aggregateCall, -1);
    this.aggregateBytes = grow(this.aggregateBytes, 0);
  }
}

/**
 * The records of the PutRecords call a poll is filling. Its arrays come from a pool the answered calls
 * return to (KplBuffer.recycle), so a producer of one-record calls allocates nothing per call.
 */
class CallBuilder {
  count = 0;
  bytes = 0;
  retried = 0;
  private arrays: CallArrays | null = null;
  private readonly pool: CallArrays[] = [];

  constructor(private readonly capacity: number) {}

  add(timeUs: number, keyIndex: number, sizeBytes: number, shard: number, sentBefore: number): void {
    let arrays = this.arrays;
    if (arrays === null) arrays = this.arrays = this.pool.pop() ?? newCallArrays(this.capacity);
    else if (this.count === arrays.timeUs.length) arrays = this.arrays = grownCallArrays(arrays, this.count * 2);
    const i = this.count++;
    arrays.timeUs[i] = timeUs;
    arrays.keyIndex[i] = keyIndex;
    arrays.sizeBytes[i] = sizeBytes;
    arrays.shardIndex[i] = shard;
    this.bytes += sizeBytes;
    this.retried += sentBefore;
  }

  /** Hands the call's records over (arrays and all) and starts an empty call. */
  take(): ReleasedCall {
    const arrays = this.arrays as CallArrays;
    const call = { count: this.count, timeUs: arrays.timeUs, keyIndex: arrays.keyIndex, sizeBytes: arrays.sizeBytes, shardIndex: arrays.shardIndex, retried: this.retried };
    this.arrays = null;
    this.count = 0;
    this.bytes = 0;
    this.retried = 0;
    return call;
  }

  recycle(call: ReleasedCall): void {
    if (call.timeUs.length === this.capacity) this.pool.push({ timeUs: call.timeUs, keyIndex: call.keyIndex, sizeBytes: call.sizeBytes, shardIndex: call.shardIndex });
  }
}

interface CallArrays {
  timeUs: Float64Array;
  keyIndex: Float64Array;
  sizeBytes: Float64Array;
  shardIndex: Int32Array;
}

function newCallArrays(capacity: number): CallArrays {
  return { timeUs: new Float64Array(capacity), keyIndex: new Float64Array(capacity), sizeBytes: new Float64Array(capacity), shardIndex: new Int32Array(capacity) };
}

/** A call past its usual capacity (aggregated calls carry more than 500 user records): not pooled. */
function grownCallArrays(from: CallArrays, capacity: number): CallArrays {
  const to = newCallArrays(capacity);
  to.timeUs.set(from.timeUs);
  to.keyIndex.set(from.keyIndex);
  to.sizeBytes.set(from.sizeBytes);
  to.shardIndex.set(from.shardIndex);
  return to;
}
