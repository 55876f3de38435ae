// A Lambda event source mapping's reader of one shard (docs/reference.md §6.2): it polls the shard once a
// second through the shard's shared GetRecords limits (or, with efo, takes records pushed over its own
// 2 MiB/s pipe), keeps what it read in a buffer, and hands batches to parallelizationFactor lanes, each
// one invocation at a time. A batch is sent when it is full (batchSize, or 6 MB of payload), when the
// batching window has passed since gathering began, or at once without a window. While a backlog
// remains it reads again as lanes free up, within the shard's 5 calls per second.
//
// Positions: fetchedSeq..tailSeq is unread. With parallelizationFactor 1, [dispatchSeq, fetchedSeq) is
// read and not yet in a batch and the one lane holds the batch in flight. With a factor above 1 each
// record read goes to the lane of its partition key (lambda-key-lanes.ts), so a key's records stay in
// order and a hot key gets one lane whatever the factor; each lane waits for and sends its own batches.

import type { Simulation } from "../engine/index.ts";
import { BatchLane, invocationPayloadBytesMax, PoisonMarks, type LambdaFunction, type LaneSource, type MappingSettings } from "../lambda/index.ts";
import { GaugeSeries, type SeriesOptions } from "../metrics/index.ts";
import type { LatencySampler, ReadMeasure, RunLog } from "../workload/index.ts";
import { efoBytesPerSecond, getRecordsBytesMax, getRecordsRecordsMax } from "./limits.ts";
import { KeyLane, type KeyLaneHost, type WrittenLanes } from "./lambda-key-lanes.ts";
import type { Shard } from "./shard.ts";

/** After a throttled GetRecords, the next try comes when the shard's rolling second may allow it. */
const readRetryUs = 200_000;
/** Records read ahead per shard: two rounds of batches for every lane, at least 1,000 (an estimate, docs/reference.md §6.2). */
const readAheadMin = 1000;

export interface LambdaReaderSettings extends MappingSettings {
  efo: boolean;
  parallelizationFactor: number;
  /** GetRecords round trip (polling) or propagation delay (efo). */
  delay: LatencySampler;
  warmupUs: number;
}

/** What a shard reader reports to its mapping. */
export interface LambdaWorkerOwner {
  readonly settings: LambdaReaderSettings;
  readonly fn: LambdaFunction;
  onProcessed(nowUs: number, firstTime: number, repeated: number): void;
  onLatency(latencyUs: number, count: number): void;
  /** A GetRecords call is made (throttled or not). */
  onReadCall(): void;
  onReadThrottle(): void;
  onRead(nowUs: number, bytes: number): void;
  onExpired(records: number): void;
  onGivenUp(records: number): void;
  onShardFinished(worker: LambdaShardWorker): void;
}

export type LambdaWorkerState = "blocked" | "running" | "finished";

export class LambdaShardWorker implements LaneSource, KeyLaneHost {
  state: LambdaWorkerState = "blocked";
  fetchedSeq: number;
  dispatchSeq: number;
  iteratorAgeUs = 0;
  readonly iteratorAge: GaugeSeries;
  readonly lanes: BatchLane[];
  /** The lanes by partition key (parallelizationFactor > 1); null with one lane, which takes the shard in order. */
  readonly keyLanes: KeyLane[] | null;
  readonly settings: LambdaReaderSettings;
  readonly fn: LambdaFunction;
  private readonly readAhead: number;
  private fetching = false;
  private fetchEndSeq = 0;
  private fetchWasFull = false;
  private retryScheduled = false;
  private windowStartUs = -1;
  private windowToken = 0;
  private pipeReadyUs = 0;
  private dispatching = false;
  private readonly measure: ReadMeasure = { count: 0, bytes: 0, lastArrivalUs: -1 };
  private readonly payload: ReadMeasure = { count: 0, bytes: 0, lastArrivalUs: -1 };
  private readonly fetched = (): void => this.onFetched();
  private readonly retry = (): void => {
    this.retryScheduled = false;
    this.poll();
  };
  private readonly windowEnds = (token: number): void => {
    if (token === this.windowToken) this.dispatch();
  };
  /** A key lane's batching window ends: dispatch looks at every lane again (a late wake-up finds nothing new to send). */
  private readonly laneWindowEnds = (): void => this.dispatch();

  constructor(
    private readonly sim: Simulation,
    readonly shard: Shard,
    private readonly owner: LambdaWorkerOwner,
    private readonly poison: PoisonMarks,
    seriesOptions: SeriesOptions,
    /** The lanes of the shard's records as written (parallelizationFactor > 1), else null. */
    private readonly writtenLanes: WrittenLanes | null = null,
  ) {
    this.settings = owner.settings;
    this.fn = owner.fn;
    this.fetchedSeq = shard.log.headSeq;
    this.dispatchSeq = this.fetchedSeq;
    this.readAhead = Math.min(getRecordsRecordsMax, Math.max(readAheadMin, 2 * this.settings.parallelizationFactor * this.settings.batchSize));
    if (writtenLanes === null) {
      this.keyLanes = null;
      this.lanes = Array.from({ length: this.settings.parallelizationFactor }, () => new BatchLane(sim, this));
    } else {
      this.keyLanes = Array.from({ length: this.settings.parallelizationFactor }, () => new KeyLane(sim, this));
      this.lanes = this.keyLanes.map((lane) => lane.batches);
    }
    this.iteratorAge = new GaugeSeries(seriesOptions);
    this.iteratorAge.set(sim.nowUs, 0);
    if (this.settings.efo) shard.appendListeners.push(() => this.poll());
  }

  start(): void {
    this.state = "running";
    this.poll();
  }

  /** A read between the once-a-second polls: only while the last read found a backlog (or records are pushed). */
  private catchUp(): void {
    if (this.fetchWasFull || this.settings.efo) this.poll();
  }

  /** Reads more when the buffer runs low and the shard has records: a GetRecords call, or the next push. */
  poll(): void {
    if (this.state !== "running" || this.fetching) return;
    this.expireBuffer();
    const log = this.shard.log;
    const buffered = this.buffered();
    if (buffered * 2 >= this.readAhead) return;
    if (this.fetchedSeq >= log.tailSeq) {
      this.finishIfDone();
      return;
    }
    const now = this.sim.nowUs;
    if (this.settings.efo) {
      if (now < this.pipeReadyUs) return this.retryAt(this.pipeReadyUs - now);
    } else {
      this.owner.onReadCall();
      if (!this.shard.tryReadCall(now)) {
        this.owner.onReadThrottle();
        // Behind, try again within the second; caught up, the next poll will do.
        if (this.fetchWasFull) this.retryAt(readRetryUs);
        return;
      }
    }
    const asked = Math.min(getRecordsRecordsMax, this.readAhead - buffered);
    const read = log.measure(this.fetchedSeq, asked, getRecordsBytesMax, this.measure);
    let delayUs = this.settings.delay.sampleUs();
    if (this.settings.efo) {
      const pipeUs = Math.round((read.bytes * 1e6) / efoBytesPerSecond);
      this.pipeReadyUs = now + pipeUs;
      delayUs += pipeUs;
    } else {
      this.shard.chargeRead(now, read.bytes);
    }
    this.shard.countOutgoing(now, read.count, read.bytes);
    this.owner.onRead(now, read.bytes);
    this.fetching = true;
    this.fetchEndSeq = this.fetchedSeq + read.count;
    this.fetchWasFull = read.count === asked;
    this.sim.after(delayUs, this.fetched);
  }

  private retryAt(delayUs: number): void {
    if (this.retryScheduled) return;
    this.retryScheduled = true;
    this.sim.after(delayUs, this.retry);
  }

  private onFetched(): void {
    this.fetching = false;
    if (this.keyLanes !== null) this.writtenLanes!.distribute(this.fetchedSeq, this.fetchEndSeq, this.keyLanes);
    this.fetchedSeq = this.fetchEndSeq;
    this.dispatch();
    // A full read means a backlog: read on at once rather than at the next second.
    this.catchUp();
  }

  /** Records read and not yet in a batch. */
  private buffered(): number {
    if (this.keyLanes === null) return this.fetchedSeq - this.dispatchSeq;
    let records = 0;
    for (const lane of this.keyLanes) records += lane.buffered;
    return records;
  }

  /** Records retention took before they were sent: those in the buffer, then those not yet read. */
  private expireBuffer(): void {
    const frontier = this.shard.expiredSeq;
    if (this.keyLanes !== null) {
      for (const lane of this.keyLanes) lane.expireWaiting(frontier);
    } else if (this.dispatchSeq < frontier) {
      const upto = Math.min(frontier, this.fetchedSeq);
      if (upto > this.dispatchSeq) {
        this.owner.onExpired(upto - this.dispatchSeq);
        this.dispatchSeq = upto;
      }
    }
    if (!this.fetching && this.fetchedSeq < frontier) {
      this.owner.onExpired(frontier - this.fetchedSeq);
      this.fetchedSeq = frontier;
      this.dispatchSeq = frontier;
      this.writtenLanes?.dropBefore(frontier);
    }
  }

  /** Hands batches to idle lanes: full ones at once, a partial one when the batching window has passed. */
  private dispatch(): void {
    if (this.dispatching || this.state !== "running") return;
    this.dispatching = true;
    const settings = this.settings;
    const now = this.sim.nowUs;
    this.expireBuffer();
    if (this.keyLanes !== null) this.dispatchByKey(this.keyLanes, now);
    for (let lane = this.keyLanes === null ? this.idleLane() : undefined; lane !== undefined; lane = this.idleLane()) {
      const buffered = this.fetchedSeq - this.dispatchSeq;
      if (buffered === 0) {
        if (this.windowStartUs >= 0 && now >= this.windowStartUs + settings.batchingWindowUs) this.windowStartUs = -1;
        break;
      }
      if (buffered < settings.batchSize && settings.batchingWindowUs > 0) {
        if (this.windowStartUs < 0) this.openWindow(now);
        if (now < this.windowStartUs + settings.batchingWindowUs) break;
      }
      // The payload limit: a batch holds at most 6 MB of records (at least one).
      const batch = this.shard.log.measure(this.dispatchSeq, Math.min(settings.batchSize, buffered), invocationPayloadBytesMax, this.payload);
      const start = this.dispatchSeq;
      this.dispatchSeq += batch.count;
      // Gathering for the next batch starts as this one leaves.
      if (settings.batchingWindowUs > 0) this.openWindow(now);
      lane.take(start, start + batch.count);
    }
    this.dispatching = false;
    this.finishIfDone();
  }

  /** Each idle key lane sends a batch when it has a full one, or a partial one once its batching window has passed. */
  private dispatchByKey(lanes: KeyLane[], nowUs: number): void {
    const settings = this.settings;
    const windowUs = settings.batchingWindowUs;
    for (const lane of lanes) {
      while (lane.batches.idle) {
        const buffered = lane.buffered;
        if (buffered === 0) {
          if (lane.windowStartUs >= 0 && nowUs >= lane.windowStartUs + windowUs) lane.windowStartUs = -1;
          break;
        }
        if (buffered < settings.batchSize && windowUs > 0) {
          if (lane.windowStartUs < 0) this.openLaneWindow(lane, nowUs);
          if (nowUs < lane.windowStartUs + windowUs) break;
        }
        const batch = lane.measureBatch(Math.min(settings.batchSize, buffered), invocationPayloadBytesMax, this.payload);
        if (windowUs > 0) this.openLaneWindow(lane, nowUs);
        lane.send(batch.count);
      }
    }
  }

  private openLaneWindow(lane: KeyLane, nowUs: number): void {
    lane.windowStartUs = nowUs;
    this.sim.after(this.settings.batchingWindowUs, this.laneWindowEnds);
  }

  private openWindow(nowUs: number): void {
    this.windowStartUs = nowUs;
    this.sim.after(this.settings.batchingWindowUs, this.windowEnds, ++this.windowToken);
  }

  private idleLane(): BatchLane | undefined {
    for (const lane of this.lanes) if (lane.idle) return lane;
    return undefined;
  }

  // ---- LaneSource ----

  retainedFromSeq(): number {
    return this.shard.expiredSeq;
  }

  arrivedFromSeq(fromSeq: number, endSeq: number, horizonUs: number): number {
    const log = this.shard.log;
    const run = log.firstRunArrivedFrom(log.runOf(fromSeq), horizonUs);
    return Math.min(endSeq, Math.max(fromSeq, log.seqAtRun(run)));
  }

  poisonIn(startSeq: number, endSeq: number): number {
    return this.poison.firstIn(startSeq, endSeq);
  }

  onInvoke(_startSeq: number, endSeq: number): void {
    this.invoked(endSeq - 1);
  }

  // ---- KeyLaneHost (the lanes by key report in shard sequence numbers) ----

  get log(): RunLog {
    return this.shard.log;
  }

  get warmupUs(): number {
    return this.settings.warmupUs;
  }

  /** IteratorAge as CloudWatch reports it for a mapping: the age of the batch's last record when it is sent. */
  invoked(lastSeq: number): void {
    const log = this.shard.log;
    const now = this.sim.nowUs;
    this.iteratorAgeUs = Math.max(0, now - log.arrivalAt(log.runOf(lastSeq)));
    this.iteratorAge.set(now, this.iteratorAgeUs / 1000);
  }

  succeeded(records: number): void {
    this.owner.onProcessed(this.sim.nowUs, records, 0);
  }

  latency(latencyUs: number, count: number): void {
    this.owner.onLatency(latencyUs, count);
  }

  onSucceeded(startSeq: number, endSeq: number): void {
    if (endSeq <= startSeq) return;
    const now = this.sim.nowUs;
    this.owner.onProcessed(now, endSeq - startSeq, 0);
    if (now < this.settings.warmupUs) return;
    this.shard.log.pieces(startSeq, endSeq, (count, _offset, createMeanUs) => this.owner.onLatency(Math.max(0, now - createMeanUs), count));
  }

  onGivenUp(records: number): void {
    this.owner.onGivenUp(records);
  }

  onExpired(records: number): void {
    this.owner.onExpired(records);
  }

  onRerun(records: number): void {
    this.owner.onProcessed(this.sim.nowUs, 0, records);
  }

  onLaneIdle(): void {
    this.dispatch();
    this.catchUp();
  }

  // ---- state for the consumer and the run's end ----

  /** The shard is closed and everything in it resolved: its children may start. */
  private finishIfDone(): void {
    if (this.state !== "running" || this.shard.isOpen || this.fetching) return;
    if (this.fetchedSeq < this.shard.log.tailSeq || this.buffered() > 0 || this.lanes.some((lane) => !lane.idle)) return;
    this.state = "finished";
    this.iteratorAgeUs = 0;
    this.iteratorAge.set(this.sim.nowUs, 0);
    this.owner.onShardFinished(this);
  }

  /** The oldest position still needed: the buffer's start or a batch in a lane. */
  neededFrom(): number {
    if (this.keyLanes !== null) {
      let seq = this.fetchedSeq;
      for (const lane of this.keyLanes) seq = Math.min(seq, lane.oldestSeq());
      return seq;
    }
    let seq = this.dispatchSeq;
    for (const lane of this.lanes) seq = Math.min(seq, lane.oldestSeq);
    return seq;
  }

  /** Forgets poison marks no batch can hold again, and the lanes' resolved records. */
  trim(): void {
    this.poison.dropBefore(this.neededFrom());
    if (this.keyLanes !== null) for (const lane of this.keyLanes) lane.trim();
  }

  oldestUnprocessedCreateUs(): number {
    const log = this.shard.log;
    const seq = Math.max(this.neededFrom(), log.headSeq);
    if (seq >= log.tailSeq || this.state === "finished") return Infinity;
    return log.createMinAt(log.runOf(seq));
  }

  /** Read and not yet resolved: in the buffer or in a lane. */
  inFlight(): number {
    let records = this.buffered();
    for (const lane of this.lanes) records += lane.holding;
    return records;
  }

  unread(): number {
    return Math.max(0, this.shard.log.tailSeq - Math.max(this.fetchedSeq, this.shard.expiredSeq));
  }

  expiredUncounted(): number {
    return Math.max(0, this.shard.expiredSeq - this.fetchedSeq);
  }

  /** The longest any lane of the shard kept retrying one batch, counting one still stuck at nowUs. */
  longestStuckUs(nowUs: number): number {
    let longest = 0;
    for (const lane of this.lanes) longest = Math.max(longest, lane.longestStuckUs, lane.stuckUs(nowUs));
    return longest;
  }
}
