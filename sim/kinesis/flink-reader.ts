// The Flink Kinesis source's reader of one shard (docs/reference.md §8.3): a GetRecords call every
// pollInterval under the shard's shared read limits (or enhanced fan-out's own 2 MiB/s), each batch
// handed to the keyed subtasks by its records' keys. It reads only while the application is not
// backpressured: a full subtask stops the source, and the shard's backlog and iterator age grow.
//
// Positions are shard sequence numbers: fetchedSeq (next record to take), processedSeq (every record
// before it processed by its subtask). Batches complete in any order (their subtasks differ); the
// processed position moves over the completed prefix.

import { Deque, invariant, type Simulation } from "../engine/index.ts";
import { assignWindows, isLate, ReplayMarks, SourceBatch, type EventTimeDelays, type FlinkApplication, type SubtaskStore, type WindowCounts, type WindowSettings } from "../flink/index.ts";
import { GaugeSeries } from "../metrics/index.ts";
import type { LatencySampler, ReadMeasure } from "../workload/index.ts";
import { efoBytesPerSecond, efoEventBytesMax, getRecordsBytesMax } from "./limits.ts";
import type { Shard } from "./shard.ts";

/** The connector's GetRecords retry backoff base after a throttled call (docs/reference.md §8.3). */
const throttledRetryUs = 300_000;

export interface FlinkReaderSettings {
  efo: boolean;
  pollIntervalUs: number;
  maxRecords: number;
  delay: LatencySampler;
  warmupUs: number;
}

/** What a reader reports to its consumer. */
export interface FlinkReaderOwner {
  readonly settings: FlinkReaderSettings;
  readonly app: FlinkApplication;
  storeOf(shard: Shard): SubtaskStore;
  /** The reader needs no record of the shard before seq again (the stores may forget them). */
  dropBefore(shard: Shard, seq: number): void;
  /** Session windows: each record's key slot (null without session windows). */
  keySlotsOf(shard: Shard): SubtaskStore | null;
  /** A batch is processed: `fresh` records for the first time, `repeated` again after a restart. */
  onBatchDone(nowUs: number, fresh: number, repeated: number): void;
  /** A GetRecords call is made (throttled or not). */
  onReadCall(): void;
  onReadThrottle(): void;
  onRead(nowUs: number, bytes: number): void;
  onExpired(records: number): void;
  onLate(records: number): void;
  onShardFinished(reader: FlinkShardReader): void;
  /** Event-time windows: their settings and the event-time delay, or null. */
  readonly windowing: { settings: WindowSettings; delays: EventTimeDelays } | null;
  /** The source's watermark now: the smallest over the shards being read. */
  watermarkUs(): number;
}

type ReaderState = "blocked" | "idle" | "fetching" | "backpressured" | "finished" | "stopped";

interface Pending {
  startSeq: number;
  endSeq: number;
  done: boolean;
  /** Records of the batch never processed before (all of them but during a replay). */
  fresh: number;
}

export class FlinkShardReader {
  state: ReaderState = "blocked";
  /** The largest event time this reader has handed on (event-time windows). */
  maxEventUs = -Infinity;
  fetchedSeq: number;
  processedSeq: number;
  /** Position after the last batch handed on to the subtasks (what a checkpoint barrier follows). */
  handedOnSeq: number;
  /** Where the reader started: a restart without a completed checkpoint reads from here again. */
  readonly initialSeq: number;
  /** Position of the last completed checkpoint: records from here on may be read again. */
  checkpointSeq: number;
  /** Records seen processed, while re-reading after a restart; null otherwise. */
  private replay: ReplayMarks | null = null;
  iteratorAgeUs = 0;
  readonly iteratorAge: GaugeSeries;
  private readonly pending = new Deque<Pending>();
  private inFlightRecords = 0;
  private batchStartSeq = 0;
  private batchEndSeq = 0;
  private answeredUs = 0;
  private readyAtUs = 0;
  private scheduled = false;
  private readonly measure: ReadMeasure = { count: 0, bytes: 0, lastArrivalUs: -1 };
  /** The run that held the oldest unprocessed record when last asked (a hint, checked before use). */
  private oldestRun = -1;
  private counts: Float64Array;
  private createSums: Float64Array;
  private readonly stepHandler = (): void => {
    this.scheduled = false;
    this.step();
  };
  private readonly resume = (): void => {
    if (this.state === "backpressured") {
      this.state = "idle";
      this.step();
    }
  };

  constructor(
    private readonly sim: Simulation,
    readonly shard: Shard,
    private readonly owner: FlinkReaderOwner,
    seriesOptions: { intervalUs: number; endUs: number },
  ) {
    this.fetchedSeq = shard.log.headSeq;
    this.processedSeq = this.fetchedSeq;
    this.handedOnSeq = this.fetchedSeq;
    this.initialSeq = this.fetchedSeq;
    this.checkpointSeq = this.fetchedSeq;
    this.iteratorAge = new GaugeSeries(seriesOptions);
    this.iteratorAge.set(sim.nowUs, 0);
    this.counts = new Float64Array(owner.app.parallelism);
    this.createSums = new Float64Array(owner.app.parallelism);
    if (owner.settings.efo) shard.appendListeners.push(() => this.wake());
  }

  start(): void {
    this.state = "idle";
    this.schedule(0);
  }

  /** EFO: new records on the shard (or the shard closed) wake an idle reader. */
  private wake(): void {
    if (this.state === "idle" && !this.scheduled) this.schedule(Math.max(0, this.readyAtUs - this.sim.nowUs));
  }

  private schedule(delayUs: number): void {
    this.scheduled = true;
    this.sim.after(delayUs, this.stepHandler);
  }

  private step(): void {
    if (this.state === "idle") this.fetch();
    else if (this.state === "fetching") this.receive();
  }

  private fetch(): void {
    this.skipExpired();
    if (this.finishIfDone()) return;
    const app = this.owner.app;
    if (app.isDown) {
      this.state = "stopped"; // a restart under way: its resume reads again
      return;
    }
    if (app.backpressured) {
      this.state = "backpressured";
      return app.whenReady(this.resume);
    }
    const now = this.sim.nowUs;
    const settings = this.owner.settings;
    if (settings.efo && this.fetchedSeq >= this.shard.log.tailSeq) return; // woken by the next append
    if (!settings.efo) {
      this.owner.onReadCall();
      if (!this.shard.tryReadCall(now)) {
        this.owner.onReadThrottle();
        return this.schedule(throttledRetryUs);
      }
    }
    const read = this.shard.log.measure(this.fetchedSeq, settings.maxRecords, settings.efo ? efoEventBytesMax : getRecordsBytesMax, this.measure);
    if (!settings.efo) this.shard.chargeRead(now, read.bytes);
    else this.readyAtUs = now + Math.round((read.bytes * 1e6) / efoBytesPerSecond);
    this.iteratorAgeUs = read.count > 0 ? Math.max(0, now - read.lastArrivalUs) : 0;
    this.iteratorAge.set(now, this.iteratorAgeUs / 1000);
    this.shard.countOutgoing(now, read.count, read.bytes);
    if (read.bytes > 0) this.owner.onRead(now, read.bytes);
    this.batchStartSeq = this.fetchedSeq;
    this.batchEndSeq = this.fetchedSeq + read.count;
    this.fetchedSeq = this.batchEndSeq;
    this.state = "fetching";
    this.schedule(settings.delay.sampleUs());
  }

  /** The call answered: its records go to their subtasks; the next call follows the poll interval. */
  private receive(): void {
    this.answeredUs = this.sim.nowUs;
    const count = this.batchEndSeq - this.batchStartSeq;
    this.state = "idle";
    if (count > 0) this.handOn(this.batchStartSeq, this.batchEndSeq);
    const settings = this.owner.settings;
    if (settings.efo) return this.schedule(Math.max(0, this.readyAtUs - this.sim.nowUs));
    this.schedule(Math.max(0, this.answeredUs + settings.pollIntervalUs - this.sim.nowUs));
  }

  /** Routes [startSeq, endSeq) by each record's subtask (from the store), then hands the batch on. */
  private handOn(startSeq: number, endSeq: number): void {
    const store = this.owner.storeOf(this.shard);
    if (this.counts.length !== this.owner.app.parallelism) {
      this.counts = new Float64Array(this.owner.app.parallelism);
      this.createSums = new Float64Array(this.owner.app.parallelism);
    }
    const groupToSubtask = this.owner.app.groupToSubtask;
    const counts = this.counts.fill(0);
    const createSums = this.createSums.fill(0);
    const log = this.shard.log;
    const windowing = this.owner.windowing;
    const windows = windowing === null ? null : this.windowed(store, startSeq, endSeq, windowing);
    if (windows === null) {
      const { values: groups, index } = store.span(startSeq, endSeq);
      log.pieces(startSeq, endSeq, (count, offset, createMeanUs) => {
        for (let k = index + offset; k < index + offset + count; k++) {
          const subtask = groupToSubtask[groups[k]!]!;
          counts[subtask]!++;
          createSums[subtask]! += createMeanUs;
        }
      });
    }
    const bytes = this.measure.bytes;
    // A restart re-reads from the last checkpoint: the store keeps the subtasks of records after it.
    this.owner.dropBefore(this.shard, Math.min(endSeq, this.checkpointSeq));
    const fresh = endSeq - startSeq - this.seen(startSeq, endSeq);
    const entry: Pending = { startSeq, endSeq, done: false, fresh };
    this.pending.push(entry);
    this.handedOnSeq = endSeq;
    this.inFlightRecords += fresh;
    const batch = new SourceBatch(endSeq - startSeq, (_, nowUs) => this.completed(entry, nowUs));
    this.owner.app.deliver(batch, counts, createSums, bytes / Math.max(1, endSeq - startSeq), windows);
  }

  /**
   * Event times of [startSeq, endSeq): each record's creation less a drawn delay (EventTimeDelays). A
   * record whose window the watermark in effect has closed is late (dropped by the window, still
   * processed); the others are counted per subtask and window. The watermark after the batch follows it.
   */
  private windowed(store: SubtaskStore, startSeq: number, endSeq: number, windowing: { settings: WindowSettings; delays: EventTimeDelays }): { counts: WindowCounts[]; watermarkUs: number } {
    const { settings, delays } = windowing;
    const counts = this.counts;
    const createSums = this.createSums;
    const groupToSubtask = this.owner.app.groupToSubtask;
    const before = this.owner.watermarkUs();
    const perSubtask: WindowCounts[] = Array.from({ length: counts.length }, () => []);
    if (settings.sessionGapUs) return this.sessionRecords(store, startSeq, endSeq, delays, perSubtask);
    let late = 0;
    let maxEventUs = this.maxEventUs;
    const { values: groups, index } = store.span(startSeq, endSeq);
    const u = delays.u;
    // Tumbling windows: records of a batch mostly share a window, so its lateness is judged once per
    // change of window, and a subtask's newest entry is tried before assignWindows' search (the same counts).
    const tumbling = settings.slideUs === settings.sizeUs;
    let window = NaN;
    let windowLate = false;
    this.shard.log.pieces(startSeq, endSeq, (count, offset, createMeanUs) => {
      // Uniforms at or below it keep the records in their creation time's windows.
      const short = delays.shortIn(createMeanUs, settings);
      let smallest = 1;
      for (let k = index + offset; k < index + offset + count; k++) {
        const subtask = groupToSubtask[groups[k]!]!;
        counts[subtask]!++;
        createSums[subtask]! += createMeanUs;
        const v = u();
        if (v < smallest) smallest = v;
        const eventUs = v <= short ? createMeanUs : createMeanUs - delays.delayUs(v);
        const list = perSubtask[subtask]!;
        if (!tumbling) {
          if (!assignWindows(eventUs, before, settings, list)) late++;
          continue;
        }
        const recordWindow = Math.floor(eventUs / settings.slideUs);
        if (recordWindow !== window) {
          window = recordWindow;
          windowLate = isLate(window, before, settings);
        }
        if (windowLate) late++;
        else if (list.length > 0 && list[list.length - 2] === window) list[list.length - 1]!++;
        else assignWindows(eventUs, before, settings, list);
      }
      if (count > 0) maxEventUs = Math.max(maxEventUs, createMeanUs - delays.delayUs(smallest));
    });
    this.maxEventUs = maxEventUs;
    this.owner.onLate(late);
    return { counts: perSubtask, watermarkUs: this.owner.watermarkUs() };
  }

  /**
   * Session windows: each record of [startSeq, endSeq) goes to its subtask as [key slot, event time]; the
   * subtask merges it into its key's session (and judges lateness) as it processes it.
   */
  private sessionRecords(store: SubtaskStore, startSeq: number, endSeq: number, delays: EventTimeDelays, perSubtask: WindowCounts[]): { counts: WindowCounts[]; watermarkUs: number } {
    const counts = this.counts;
    const createSums = this.createSums;
    const groupToSubtask = this.owner.app.groupToSubtask;
    const slots = this.owner.keySlotsOf(this.shard)!;
    const u = delays.u;
    let maxEventUs = this.maxEventUs;
    this.shard.log.pieces(startSeq, endSeq, (count, offset, createMeanUs) => {
      const first = startSeq + offset;
      for (let seq = first; seq < first + count; seq++) {
        const subtask = groupToSubtask[store.at(seq)]!;
        counts[subtask]!++;
        createSums[subtask]! += createMeanUs;
        const eventUs = createMeanUs - delays.delayUs(u());
        if (eventUs > maxEventUs) maxEventUs = eventUs;
        perSubtask[subtask]!.push(slots.at(seq), eventUs);
      }
    });
    this.maxEventUs = maxEventUs;
    return { counts: perSubtask, watermarkUs: this.owner.watermarkUs() };
  }

  private completed(entry: Pending, nowUs: number): void {
    entry.done = true;
    this.inFlightRecords -= entry.fresh;
    this.owner.onBatchDone(nowUs, entry.fresh, entry.endSeq - entry.startSeq - entry.fresh);
    this.replay?.mark(entry.startSeq, entry.endSeq);
    while (this.pending.peek()?.done) this.processedSeq = this.pending.shift()!.endSeq;
    if (this.replay !== null && this.processedSeq >= this.replay.endSeq) this.replay = null;
    if (this.state === "idle" && !this.scheduled) this.schedule(0);
  }

  /** Records of [startSeq, endSeq) processed before a restart (0 outside a replay). */
  private seen(startSeq: number, endSeq: number): number {
    return this.replay === null ? 0 : this.replay.overlap(startSeq, endSeq);
  }

  /** A checkpoint completed at this position (the reader's, or its start when it held none). */
  checkpointed(seq: number): void {
    this.checkpointSeq = Math.max(this.checkpointSeq, seq);
  }

  /**
   * The job restarts: what was handed on is dropped (batches processed whole are remembered, so a
   * re-read counts them again as reprocessed). A finished or blocked reader stays as it is.
   */
  stop(): void {
    if (this.state === "finished" || this.state === "blocked") return;
    // During a replay the marks already cover everything below processedSeq.
    this.replay ??= new ReplayMarks(this.processedSeq);
    this.pending.forEach((entry) => {
      if (entry.done) this.replay!.mark(entry.startSeq, entry.endSeq);
    });
    while (this.pending.shift() !== undefined);
    this.inFlightRecords = 0;
    this.state = "stopped";
  }

  /** The job runs again: the reader reads from seq (the checkpoint's position, or where it started) with the event times it had there. */
  restartFrom(seq: number | undefined, maxEventUs: number | undefined): void {
    if (this.state !== "stopped") return;
    const from = Math.max(seq ?? this.initialSeq, this.shard.log.headSeq);
    this.fetchedSeq = from;
    this.processedSeq = from;
    this.handedOnSeq = from;
    this.maxEventUs = maxEventUs ?? -Infinity;
    this.state = "idle";
    if (!this.scheduled) this.schedule(0);
  }

  /** Records retention took before this reader reached them: skipped and counted expired (only with nothing pending). */
  private skipExpired(): void {
    const frontier = this.shard.expiredSeq;
    if (frontier <= this.fetchedSeq || this.pending.length > 0) return;
    this.owner.onExpired(frontier - this.fetchedSeq - this.seen(this.fetchedSeq, frontier));
    this.owner.dropBefore(this.shard, frontier);
    this.fetchedSeq = frontier;
    this.processedSeq = frontier;
  }

  /** Records expired before this reader reached them, not counted yet (at the end of a run). */
  expiredUncounted(): number {
    return Math.max(0, this.shard.expiredSeq - this.fetchedSeq - this.seen(this.fetchedSeq, this.shard.expiredSeq));
  }

  /** The shard is closed, read to its end and every batch processed: its children may start. */
  private finishIfDone(): boolean {
    if (this.shard.isOpen || this.fetchedSeq < this.shard.log.tailSeq || this.pending.length > 0) return false;
    invariant(this.inFlightRecords === 0, "a finished reader holds no records");
    this.state = "finished";
    this.iteratorAge.set(this.sim.nowUs, 0);
    this.owner.onShardFinished(this);
    return true;
  }

  /** Oldest position this reader may still need. */
  neededFrom(): number {
    return Math.min(this.processedSeq, this.checkpointSeq);
  }

  /** Records taken from the shard whose subtasks have not all processed them. */
  inFlight(): number {
    return this.inFlightRecords + (this.state === "fetching" ? this.batchEndSeq - this.batchStartSeq - this.seen(this.batchStartSeq, this.batchEndSeq) : 0);
  }

  unread(): number {
    // Stopped by a restart (a run may end in its downtime), the batches it had handed on are dropped:
    // what was not processed is to be read again.
    const fromSeq = Math.max(this.state === "stopped" ? this.processedSeq : this.fetchedSeq, this.shard.expiredSeq);
    return Math.max(0, this.shard.log.tailSeq - fromSeq - this.seen(fromSeq, this.shard.log.tailSeq));
  }

  /** Creation time of the oldest record not processed: of the oldest pending batch, else the first unread record. */
  oldestUnprocessedCreateUs(): number {
    const log = this.shard.log;
    const first = this.pending.peek();
    const seq = first !== undefined ? first.startSeq : this.fetchedSeq;
    if (seq >= log.tailSeq || seq < log.headSeq) return Infinity;
    // Sampled every second while the position often stands still: the run found last time is checked first
    // (a search of a long backlog touches a cache line per probe).
    const run = this.oldestRun;
    if (!(run >= log.headRun && run < log.tailRun && log.firstSeqAt(run) <= seq && seq < log.firstSeqAt(run) + log.countAt(run))) this.oldestRun = log.runOf(seq);
    return log.createMinAt(this.oldestRun);
  }
}
