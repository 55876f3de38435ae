// A Lambda Kafka event source mapping's reader of one partition (docs/reference.md §6.6). It fetches the
// partition through its leader broker as a consumer does (the broker's network out and request
// handler serve the fetch, then a round trip), within the mapping's event pollers' throughput, and
// keeps what it read in a buffer. Lambda keeps a partition's records in order, so a partition has one
// batch in flight at a time (one lane); the batch needs one of the concurrent invocations the mapping's
// pollers run. A batch leaves when it is full (batchSize, or 6 MB of payload), when the batching window
// has passed since gathering began, or at once without a window.
//
// Positions: [dispatchSeq, fetchedSeq) is read and not yet in a batch; the lane holds the batch in
// flight; fetchedSeq..committedSeq is unread. The mapping commits (the consumer group's offset) up to the
// oldest record it has not resolved.

import { roundHalfUp, type Simulation } from "../engine/index.ts";
import { BatchLane, invocationPayloadBytesMax, PoisonMarks, type LambdaFunction, type LaneSource, type MappingSettings } from "../lambda/index.ts";
import { GaugeSeries, type SeriesOptions } from "../metrics/index.ts";
import type { LatencySampler, ReadMeasure } from "../workload/index.ts";
import type { Broker } from "./broker.ts";
import type { Partition, Truncation } from "./partition.ts";

/** Records read ahead per partition: two batches, at least 1,000 (an estimate, docs/reference.md §6.6). */
const readAheadMin = 1000;

export interface LambdaKafkaSettings extends MappingSettings {
  /** The fetch round trip. */
  roundTrip: LatencySampler;
  warmupUs: number;
  endUs: number;
}

/** What a partition reader asks of its mapping. */
export interface LambdaPartitionOwner {
  readonly settings: LambdaKafkaSettings;
  readonly fn: LambdaFunction;
  readonly brokers: Broker[];
  /** When the mapping's pollers have taken in a fetch of `bytes` asked at nowUs (their throughput is shared). */
  pollerReadUs(nowUs: number, bytes: number): number;
  /** One of the concurrent invocations the pollers run, for this reader's next batch; false: the reader waits its turn. */
  tryAcquireSlot(reader: LambdaPartitionReader): boolean;
  releaseSlot(): void;
  onProcessed(nowUs: number, firstTime: number, repeated: number): void;
  onLatency(latencyUs: number, count: number): void;
  onRead(nowUs: number, bytes: number): void;
  onGivenUp(records: number): void;
}

export class LambdaPartitionReader implements LaneSource {
  fetchedSeq = 0;
  dispatchSeq = 0;
  /** Waits in the mapping's queue for an invocation slot. */
  waitingSlot = false;
  readonly lane: BatchLane;
  readonly settings: LambdaKafkaSettings;
  readonly fn: LambdaFunction;
  /** OffsetLag as CloudWatch reports it for a mapping: the high watermark less the committed offset, per second. */
  readonly offsetLag: GaugeSeries;
  private readonly readAhead: number;
  private fetching = false;
  private fetchEndSeq = 0;
  private windowStartUs = -1;
  private windowToken = 0;
  private dispatching = false;
  /** Records retention took before this reader reached them, counted where found. */
  private expiredCount = 0;
  /** Accepted records an unclean leader election took before this reader resolved them. */
  uncleanLost = 0;
  private readonly measure: ReadMeasure = { count: 0, bytes: 0, lastArrivalUs: -1 };
  private readonly payload: ReadMeasure = { count: 0, bytes: 0, lastArrivalUs: -1 };
  private readonly fetched = (): void => this.onFetched();
  private readonly windowEnds = (token: number): void => {
    if (token === this.windowToken) this.dispatch();
  };

  constructor(
    private readonly sim: Simulation,
    readonly partition: Partition,
    private readonly owner: LambdaPartitionOwner,
    private readonly poison: PoisonMarks,
    seriesOptions: SeriesOptions,
  ) {
    this.settings = owner.settings;
    this.fn = owner.fn;
    this.readAhead = Math.max(readAheadMin, 2 * this.settings.batchSize);
    this.lane = new BatchLane(sim, this);
    this.offsetLag = new GaugeSeries(seriesOptions);
    this.offsetLag.set(sim.nowUs, 0);
  }

  /** The oldest record not resolved (the mapping's committed offset): a batch in the lane or the buffer's start. */
  get resolvedSeq(): number {
    return Math.min(this.dispatchSeq, this.lane.oldestSeq);
  }

  /** Fetches more when the buffer runs low and the partition has readable records; one fetch at a time. */
  poll(): void {
    if (this.fetching) return;
    this.expireBuffer();
    const partition = this.partition;
    const buffered = this.fetchedSeq - this.dispatchSeq;
    if (buffered * 2 >= this.readAhead) return;
    if (partition.leader < 0 || !this.owner.brokers[partition.leader].up) return;
    const now = this.sim.nowUs;
    const readableSeq = Math.min(partition.committedSeq, partition.highWatermark(now));
    if (readableSeq <= this.fetchedSeq) return;
    const read = partition.log.measure(this.fetchedSeq, Math.min(this.readAhead - buffered, readableSeq - this.fetchedSeq), invocationPayloadBytesMax, this.measure);
    if (read.count === 0) return;
    const sentUs = this.owner.brokers[partition.leader].send(now, read.bytes, this.settings.endUs) + this.settings.roundTrip.sampleUs();
    const answeredUs = Math.max(sentUs, this.owner.pollerReadUs(now, read.bytes));
    this.owner.onRead(now, read.bytes);
    this.fetching = true;
    this.fetchEndSeq = this.fetchedSeq + read.count;
    this.sim.after(Math.max(0, roundHalfUp(answeredUs) - now), this.fetched);
  }

  private onFetched(): void {
    this.fetching = false;
    this.fetchedSeq = Math.max(this.fetchedSeq, this.fetchEndSeq);
    this.dispatch();
    this.poll();
  }

  /** Records retention took before they were sent: those in the buffer, then those not yet read. */
  private expireBuffer(): void {
    const frontier = this.partition.expiredSeq;
    if (this.dispatchSeq < frontier) {
      const upto = Math.min(frontier, this.fetchedSeq);
      if (upto > this.dispatchSeq) {
        this.expiredCount += upto - this.dispatchSeq;
        this.dispatchSeq = upto;
      }
    }
    if (!this.fetching && this.fetchedSeq < frontier) {
      this.expiredCount += frontier - this.fetchedSeq;
      this.fetchedSeq = frontier;
      this.dispatchSeq = frontier;
    }
  }

  /** Hands the lane its next batch, when it is idle, a batch is ready and an invocation slot is free. */
  dispatch(): void {
    if (this.dispatching || !this.lane.idle) return;
    this.dispatching = true;
    this.expireBuffer();
    const settings = this.settings;
    const now = this.sim.nowUs;
    const buffered = this.fetchedSeq - this.dispatchSeq;
    if (buffered === 0) {
      if (this.windowStartUs >= 0 && now >= this.windowStartUs + settings.batchingWindowUs) this.windowStartUs = -1;
    } else if (this.windowReady(buffered, now) && this.owner.tryAcquireSlot(this)) {
      // The payload limit: a batch holds at most 6 MB of records (at least one).
      const batch = this.partition.log.measure(this.dispatchSeq, Math.min(settings.batchSize, buffered), invocationPayloadBytesMax, this.payload);
      const start = this.dispatchSeq;
      this.dispatchSeq += batch.count;
      // Gathering for the next batch starts as this one leaves.
      if (settings.batchingWindowUs > 0) this.openWindow(now);
      this.lane.take(start, start + batch.count);
    }
    this.dispatching = false;
  }

  /** A full batch is ready, or the batching window that began with the first record gathered has passed. */
  private windowReady(buffered: number, nowUs: number): boolean {
    const windowUs = this.settings.batchingWindowUs;
    if (buffered >= this.settings.batchSize || windowUs === 0) return true;
    if (this.windowStartUs < 0) this.openWindow(nowUs);
    return nowUs >= this.windowStartUs + windowUs;
  }

  private openWindow(nowUs: number): void {
    this.windowStartUs = nowUs;
    this.sim.after(this.settings.batchingWindowUs, this.windowEnds, ++this.windowToken);
  }

  /** A leader change cut the log back (docs/reference.md §3.3): see GroupLog.truncated, whose rules this follows. */
  truncated(truncation: Truncation): void {
    const { endSeq } = truncation;
    if (truncation.unclean) {
      this.uncleanLost += Math.max(0, truncation.committedBeforeSeq - Math.max(endSeq, this.resolvedSeq)) + truncation.cutAhead;
      this.lane.cutTo(endSeq);
      this.fetchEndSeq = Math.min(this.fetchEndSeq, endSeq);
      this.dispatchSeq = Math.min(this.dispatchSeq, endSeq);
      this.fetchedSeq = Math.min(this.fetchedSeq, endSeq);
      return;
    }
    // A clean leader has every record below the high watermark: only a position retention moved on can be past its end.
    if (this.fetchedSeq <= endSeq) return;
    this.expiredCount -= this.fetchedSeq - endSeq;
    this.fetchedSeq = endSeq;
    this.dispatchSeq = Math.min(this.dispatchSeq, endSeq);
    this.fetchEndSeq = Math.min(this.fetchEndSeq, endSeq);
  }

  // ---- LaneSource ----

  retainedFromSeq(): number {
    return this.partition.expiredSeq;
  }

  arrivedFromSeq(fromSeq: number, endSeq: number, horizonUs: number): number {
    const log = this.partition.log;
    const run = log.firstRunArrivedFrom(log.runOf(fromSeq), horizonUs);
    return Math.min(endSeq, Math.max(fromSeq, log.seqAtRun(run)));
  }

  poisonIn(startSeq: number, endSeq: number): number {
    return this.poison.firstIn(startSeq, endSeq);
  }

  onInvoke(): void {}

  onSucceeded(startSeq: number, endSeq: number): void {
    if (endSeq <= startSeq) return;
    const now = this.sim.nowUs;
    this.owner.onProcessed(now, endSeq - startSeq, 0);
    if (now < this.settings.warmupUs) return;
    this.partition.log.pieces(startSeq, endSeq, (count, _offset, createMeanUs) => this.owner.onLatency(Math.max(0, now - createMeanUs), count));
  }

  onGivenUp(records: number): void {
    this.owner.onGivenUp(records);
  }

  onExpired(records: number): void {
    this.expiredCount += records;
  }

  onRerun(records: number): void {
    this.owner.onProcessed(this.sim.nowUs, 0, records);
  }

  onLaneIdle(): void {
    this.owner.releaseSlot();
    this.dispatch();
    this.poll();
  }

  // ---- state for the mapping and the run's end ----

  /** The oldest position still needed: the buffer's start or the batch in the lane. */
  neededFrom(): number {
    return this.resolvedSeq;
  }

  /** Forgets poison marks no batch can hold again. */
  trim(): void {
    this.poison.dropBefore(this.neededFrom());
  }

  /** Creation time of the oldest accepted record not resolved, Infinity when none. */
  oldestUnresolvedCreateUs(): number {
    const partition = this.partition;
    const log = partition.log;
    const from = Math.max(this.resolvedSeq, log.headSeq, partition.expiredSeq);
    return from < partition.committedSeq ? log.createMinAt(log.runOf(from)) : Infinity;
  }

  /** OffsetLag: records the partition holds past the mapping's committed offset. */
  sampleOffsetLag(nowUs: number): number {
    const lag = Math.max(0, this.partition.highWatermark(nowUs) - Math.max(this.resolvedSeq, this.partition.expiredSeq));
    this.offsetLag.set(nowUs, lag);
    return lag;
  }

  /** Read and not yet resolved: in the buffer or in the lane. */
  inFlight(): number {
    return this.fetchedSeq - this.dispatchSeq + this.lane.holding;
  }

  unread(): number {
    const partition = this.partition;
    return Math.max(0, partition.committedSeq - Math.max(this.fetchedSeq, partition.expiredSeq)) + partition.committedAheadRecords;
  }

  /** Records retention took before this reader resolved them: those it met, and those it has not reached yet (not stored). */
  expired(): number {
    return this.expiredCount + Math.max(0, this.partition.expiredSeq - this.fetchedSeq);
  }
}
