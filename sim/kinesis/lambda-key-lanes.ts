// Per-key order with parallelizationFactor > 1 (docs/reference.md §6.2): Lambda processes up to N
// batches of a shard at once and keeps each partition key's records in order, so all records of a key
// go to one of the shard's N lanes. The lane of a key is a hash of the key modulo N: AWS does not
// publish its hash, so this one is ours (FNV-1a over the key's UTF-16 code units); only "same key,
// same lane" matters, and it is stable across runs and systems.
//
// No record is an object. A shard's lane numbers wait in a typed-array ring indexed by sequence number
// from the moment a record is written (the keys are known then, not when records are read back as
// runs) until the reader fetches it (a byte per unread record); each lane then keeps the sequence numbers of its records, from
// the oldest it has not resolved to the newest read, in a ring of its own (bounded by the read-ahead
// buffer and a batch in flight). A lane's BatchLane works on lane-local positions, so retries,
// bisection and reported failures stay per lane; the shard's checkpoint follows the oldest record not
// resolved in any lane.

import { invariant, type Simulation } from "../engine/index.ts";
import { BatchLane, type LambdaFunction, type LaneSource, type MappingSettings } from "../lambda/index.ts";
import type { ReadMeasure, RunLog } from "../workload/index.ts";

/** The lane (0 .. lanes - 1) of a partition key: FNV-1a (32 bits) of its UTF-16 code units, modulo lanes. */
export function laneOfKey(key: string, lanes: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % lanes;
}

const ringInitial = 1024;

/** The lanes of a shard's written records not yet read by one mapping, by sequence number: [headSeq, tailSeq). */
export class WrittenLanes {
  private lanes = new Uint8Array(ringInitial);
  private mask = ringInitial - 1;
  private headSeq = 0;
  private tailSeq = 0;

  /** The record at `seq` (the shard's newest) went to `lane`. */
  written(seq: number, lane: number): void {
    if (seq !== this.tailSeq) {
      invariant(this.headSeq === this.tailSeq && seq > this.tailSeq, "lanes are written in sequence order");
      this.headSeq = seq;
      this.tailSeq = seq;
    }
    if (this.tailSeq - this.headSeq === this.mask + 1) this.grow();
    this.lanes[this.tailSeq++ & this.mask] = lane;
  }

  laneAt(seq: number): number {
    invariant(seq >= this.headSeq && seq < this.tailSeq, "a record's lane is known from its write until it is read");
    return this.lanes[seq & this.mask];
  }

  /** Hands the records [fromSeq, endSeq) to the lanes of their keys, in order, and forgets them. */
  distribute(fromSeq: number, endSeq: number, to: KeyLane[]): void {
    invariant(fromSeq >= this.headSeq && endSeq <= this.tailSeq, "records are read after their lanes are written");
    const lanes = this.lanes;
    const mask = this.mask;
    for (let seq = fromSeq; seq < endSeq; seq++) to[lanes[seq & mask]].push(seq);
    this.dropBefore(endSeq);
  }

  /** The reader has taken (or retention took) the records before `seq`. */
  dropBefore(seq: number): void {
    this.headSeq = Math.min(this.tailSeq, Math.max(this.headSeq, seq));
  }

  private grow(): void {
    const capacity = (this.mask + 1) * 2;
    const lanes = new Uint8Array(capacity);
    for (let seq = this.headSeq; seq < this.tailSeq; seq++) lanes[seq & (capacity - 1)] = this.lanes[seq & this.mask];
    this.lanes = lanes;
    this.mask = capacity - 1;
  }
}

/** What a key lane needs from its shard's reader: the shard-level LaneSource, in shard sequence numbers. */
export interface KeyLaneHost {
  readonly settings: MappingSettings;
  readonly fn: LambdaFunction;
  readonly log: RunLog;
  readonly warmupUs: number;
  retainedFromSeq(): number;
  poisonIn(startSeq: number, endSeq: number): number;
  /** A batch whose newest record is at `lastSeq` is sent now. */
  invoked(lastSeq: number): void;
  succeeded(records: number): void;
  latency(latencyUs: number, count: number): void;
  onGivenUp(records: number): void;
  onExpired(records: number): void;
  onRerun(records: number): void;
  onLaneIdle(): void;
}

/**
 * One lane of a shard: the sequence numbers of its records from the oldest not resolved to the newest
 * read, and the BatchLane that sends them. Positions handed to the BatchLane are lane-local (the
 * lane's k-th record); the lane translates them into shard sequence numbers.
 */
export class KeyLane implements LaneSource {
  readonly batches: BatchLane;
  /** Records the lane has read and not yet put in a batch start here (a lane-local position). */
  dispatched = 0;
  /** When gathering for the lane's next batch began (-1: not gathering). */
  windowStartUs = -1;
  /** Records the lane's batches processed (first time). */
  processedRecords = 0;
  /** The shard sequence numbers of the lane's records at lane-local positions [head, tail). */
  private seqs = new Float64Array(ringInitial);
  private mask = ringInitial - 1;
  private head = 0;
  private tail = 0;

  constructor(
    private readonly sim: Simulation,
    private readonly host: KeyLaneHost,
  ) {
    this.batches = new BatchLane(sim, this);
  }

  get settings(): MappingSettings {
    return this.host.settings;
  }

  get fn(): LambdaFunction {
    return this.host.fn;
  }

  /** Read and waiting for a batch. */
  get buffered(): number {
    return this.tail - this.dispatched;
  }

  /** A record read from the shard joins the lane. */
  push(seq: number): void {
    if (this.tail - this.head === this.mask + 1) this.grow();
    this.seqs[this.tail++ & this.mask] = seq;
  }

  /** The shard sequence number of the lane's record at a lane-local position. */
  seqAt(position: number): number {
    return this.seqs[position & this.mask];
  }

  /** The oldest record of the lane not resolved (in a batch or waiting), as a shard sequence number; Infinity when none. */
  oldestSeq(): number {
    const position = Math.min(this.batches.oldestSeq, this.dispatched);
    return position < this.tail ? this.seqAt(position) : Infinity;
  }

  /** Forgets the resolved records. */
  trim(): void {
    this.head = Math.max(this.head, Math.min(this.batches.oldestSeq, this.dispatched, this.tail));
  }

  /** Records waiting for a batch that retention took: counted expired and skipped. */
  expireWaiting(frontierSeq: number): void {
    const upto = this.firstAtOrAfter(this.dispatched, this.tail, frontierSeq);
    if (upto === this.dispatched) return;
    this.host.onExpired(upto - this.dispatched);
    this.dispatched = upto;
  }

  /**
   * A batch from the waiting records: up to `maxRecords`, and at most `maxBytes` of payload (at least one
   * record), each record's bytes its run's mean. The records taken go into `out.count`; `out.bytes` is
   * their bytes, or a bound on them when the whole runs they lie in fit.
   */
  measureBatch(maxRecords: number, maxBytes: number, out: ReadMeasure): ReadMeasure {
    const log = this.host.log;
    const end = Math.min(this.tail, this.dispatched + maxRecords);
    out.count = 0;
    out.bytes = 0;
    out.lastArrivalUs = -1;
    if (end === this.dispatched) return out;
    let run = log.runOf(this.seqAt(this.dispatched));
    // Most batches are far below the limit: the whole runs the batch spans bound its bytes.
    const lastRun = log.runOf(this.seqAt(end - 1));
    const spanBytes = log.bytesBeforeAt(lastRun) + log.bytesAt(lastRun) - log.bytesBeforeAt(run);
    if (spanBytes <= maxBytes) {
      out.count = end - this.dispatched;
      out.bytes = spanBytes;
      out.lastArrivalUs = log.arrivalAt(lastRun);
      return out;
    }
    let runEnd = log.firstSeqAt(run) + log.countAt(run);
    for (let position = this.dispatched; position < end; position++) {
      const seq = this.seqAt(position);
      while (seq >= runEnd) {
        run++;
        runEnd = log.firstSeqAt(run) + log.countAt(run);
      }
      const bytes = log.bytesAt(run) / log.countAt(run);
      if (out.count > 0 && out.bytes + bytes > maxBytes) break;
      out.count++;
      out.bytes += bytes;
      out.lastArrivalUs = log.arrivalAt(run);
    }
    return out;
  }

  /** Sends the next `count` waiting records as a batch. */
  send(count: number): void {
    const start = this.dispatched;
    this.dispatched += count;
    this.batches.take(start, start + count);
  }

  // ---- LaneSource, in lane-local positions ----

  retainedFromSeq(): number {
    return this.firstAtOrAfter(this.head, this.tail, this.host.retainedFromSeq());
  }

  arrivedFromSeq(fromPosition: number, endPosition: number, horizonUs: number): number {
    const log = this.host.log;
    let low = fromPosition;
    let high = endPosition;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (log.arrivalAt(log.runOf(this.seqAt(mid))) < horizonUs) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  /** The lane's first poison record in [start, end): the shard's poison marks, skipping other lanes' records. */
  poisonIn(startPosition: number, endPosition: number): number {
    if (endPosition <= startPosition) return Infinity;
    const endSeq = this.seqAt(endPosition - 1) + 1;
    let from = startPosition;
    for (let seq = this.host.poisonIn(this.seqAt(startPosition), endSeq); seq !== Infinity; seq = this.host.poisonIn(seq + 1, endSeq)) {
      const position = this.firstAtOrAfter(from, endPosition, seq);
      if (position < endPosition && this.seqAt(position) === seq) return position;
      from = position;
    }
    return Infinity;
  }

  onInvoke(_startPosition: number, endPosition: number): void {
    this.host.invoked(this.seqAt(endPosition - 1));
  }

  /** Counts the records and their end-to-end latency, one sample per run of the shard's log they came from. */
  onSucceeded(startPosition: number, endPosition: number): void {
    if (endPosition <= startPosition) return;
    const host = this.host;
    this.processedRecords += endPosition - startPosition;
    host.succeeded(endPosition - startPosition);
    const now = this.sim.nowUs;
    if (now < host.warmupUs) return;
    const log = host.log;
    const seqs = this.seqs;
    const mask = this.mask;
    let run = log.runOf(seqs[startPosition & mask]);
    let runEnd = log.firstSeqAt(run) + log.countAt(run);
    let inRun = 0;
    for (let position = startPosition; position < endPosition; position++) {
      const seq = seqs[position & mask];
      if (seq >= runEnd) {
        host.latency(Math.max(0, now - log.createMeanAt(run)), inRun);
        inRun = 0;
        while (seq >= runEnd) {
          run++;
          runEnd = log.firstSeqAt(run) + log.countAt(run);
        }
      }
      inRun++;
    }
    host.latency(Math.max(0, now - log.createMeanAt(run)), inRun);
  }

  onGivenUp(records: number): void {
    this.host.onGivenUp(records);
  }

  onExpired(records: number): void {
    this.host.onExpired(records);
  }

  onRerun(records: number): void {
    this.host.onRerun(records);
  }

  onLaneIdle(): void {
    this.host.onLaneIdle();
  }

  private grow(): void {
    const capacity = (this.mask + 1) * 2;
    const seqs = new Float64Array(capacity);
    for (let p = this.head; p < this.tail; p++) seqs[p & (capacity - 1)] = this.seqs[p & this.mask];
    this.seqs = seqs;
    this.mask = capacity - 1;
  }

  /** The first position in [from, end) whose sequence number is at least `seq` (end when none). */
  private firstAtOrAfter(from: number, end: number, seq: number): number {
    let low = from;
    let high = end;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (this.seqAt(mid) < seq) low = mid + 1;
      else high = mid;
    }
    return low;
  }
}
