// A Flink application's keyed stage (docs/reference.md §8.1, §8.3): `parallelism` subtasks on
// ceil(parallelism / parallelismPerKpu) KPUs, each subtask a FIFO of the pieces of source batches routed
// to it by keyBy, processed at its share of its KPU's vCPU. When any subtask holds more than its input
// buffer, the application is backpressured and its source stops reading until that subtask drains
// below it (credit-based flow control: the slowest channel blocks the sender).

import { Deque, invariant, type Simulation } from "../engine/index.ts";
import { CounterSeries, type SeriesOptions } from "../metrics/index.ts";
import type { KeySpace } from "../workload/index.ts";
import { javaStringHashCode, KeyGroupRouter, keyGroupOfHash, subtaskOfKeyGroup } from "./key-groups.ts";
import { CheckpointMeter, type Checkpoint, type CheckpointSettings, type RestartCause, type SourcePositions } from "./checkpoints.ts";
import { SubtaskWindows, WindowMeter, type WindowCounts, type WindowSettings } from "./windows.ts";

export interface FlinkApplicationSettings {
  parallelism: number;
  parallelismPerKpu: number;
  /** Null: Flink's default for the parallelism. */
  maxParallelism: number | null;
  /** CPU time one record takes on a whole vCPU. */
  perRecordUs: number;
  /** Bytes one subtask's input may hold before the source is backpressured. */
  inputBufferBytes: number;
  warmupUs: number;
  seriesOptions: SeriesOptions;
  /** Tumbling event-time windows behind keyBy, or null (a plain keyed stage). */
  windows?: WindowSettings | null;
  /** Checkpoints and restarts (docs/reference.md §8.6), or null: none (a restart then resumes where the source stood). */
  checkpoints?: CheckpointSettings | null;
}

/** A source batch handed to the subtasks: done when each subtask has processed its part. */
export class SourceBatch {
  remaining = 0;
  constructor(
    readonly records: number,
    readonly onDone: (batch: SourceBatch, nowUs: number) => void,
  ) {}
}

interface Piece {
  subtask: Subtask;
  /** The subtask's generation when the piece was queued: a restart makes older pieces void. */
  generation: number;
  /** A checkpoint barrier (count 0, batch null), or null. */
  barrier: Checkpoint | null;
  count: number;
  bytes: number;
  createMeanUs: number;
  /** Null for a watermark marker (count 0). */
  batch: SourceBatch | null;
  windowCounts: WindowCounts | null;
  /** The watermark that follows the batch (markers), or -Infinity. */
  watermarkUs: number;
}

export class Subtask {
  readonly queue = new Deque<Piece>();
  queuedRecords = 0;
  queuedBytes = 0;
  busy = false;
  processed = 0;
  /** Records processed and not yet counted whole in the latency histogram (fractions of a Kafka split). */
  latencyCarry = 0;
  windows = new SubtaskWindows();
  /** Bumped by every restart: a piece of an older generation finishing is ignored. */
  generation = 0;
  /** When the piece being processed ends (busy time a restart takes back). */
  busyUntilUs = 0;
  processedAfterWarmup = 0;
  /** Busy microseconds per report interval (Flink's busyTimeMsPerSecond, summed over the interval). */
  readonly busyUs: Float64Array;
  readonly records: CounterSeries;
  constructor(
    readonly index: number,
    readonly kpu: number,
    /** Microseconds one record takes at this subtask's share of its KPU's vCPU. */
    readonly usPerRecord: number,
    seriesOptions: SeriesOptions,
  ) {
    this.busyUs = new Float64Array(Math.ceil(seriesOptions.endUs / seriesOptions.intervalUs));
    this.records = new CounterSeries(seriesOptions);
  }
}

/** What the application tells its owner (the consumer that reads the source). */
export interface ApplicationOwner {
  onLatency(latencyUs: number, count: number): void;
  /** Where the source stands: the positions after every record it handed on. */
  positions(): SourcePositions;
  /** A checkpoint completed: the source will never be asked to read before these positions again. */
  checkpointed(positions: SourcePositions): void;
  /** A restart: the source stops and forgets what it handed on. */
  stop(): void;
  /** The job runs again: the source reads from these positions (null: from where it stopped). */
  resume(positions: SourcePositions | null): void;
}

export class FlinkApplication {
  readonly router: KeyGroupRouter;
  readonly subtasks: Subtask[];
  readonly kpus: number;
  /** What the windows measure (null without windows). */
  readonly windowMeter: WindowMeter | null;
  /** Subtasks over their input buffer: the source reads only while this is 0. */
  private overBuffer = 0;
  private readonly waiters: Array<() => void> = [];
  private backpressuredSinceUs = -1;
  private backpressuredUsAfterWarmupTotal = 0;
  private readonly subtaskCache = new Map<KeySpace, Int32Array>();
  private readonly finishHandler = (piece: Piece): void => this.finish(piece);
  readonly checkpointMeter = new CheckpointMeter();
  private pendingCheckpoint: Checkpoint | null = null;
  private lastCheckpoint: Checkpoint | null = null;
  private checkpointIds = 0;
  /** Bumped by every restart: checkpoint events of an older epoch are ignored. */
  private epoch = 0;
  private down = false;

  constructor(
    readonly settings: FlinkApplicationSettings,
    private readonly sim: Simulation,
    private readonly owner: ApplicationOwner,
  ) {
    const { parallelism, parallelismPerKpu } = settings;
    this.router = new KeyGroupRouter(parallelism, settings.maxParallelism);
    this.kpus = Math.ceil(parallelism / parallelismPerKpu);
    this.windowMeter = settings.windows ? new WindowMeter(settings.warmupUs) : null;
    this.subtasks = [];
    for (let i = 0; i < parallelism; i++) {
      const kpu = Math.floor(i / parallelismPerKpu);
      const onKpu = Math.min(parallelismPerKpu, parallelism - kpu * parallelismPerKpu);
      this.subtasks.push(new Subtask(i, kpu, settings.perRecordUs * onKpu, settings.seriesOptions));
    }
  }

  /** The subtask of a key (by index into its key space), computed once per distinct key. */
  subtaskOfKey(keys: KeySpace, keyIndex: number): number {
    if (!Number.isFinite(keys.cardinality)) return this.router.subtaskOf(keys.keyAt(keyIndex));
    let cache = this.subtaskCache.get(keys);
    if (cache === undefined) {
      cache = new Int32Array(keys.cardinality).fill(-1);
      this.subtaskCache.set(keys, cache);
    }
    let subtask = cache[keyIndex]!;
    if (subtask < 0) {
      subtask = this.router.subtaskOf(keys.keyAt(keyIndex));
      cache[keyIndex] = subtask;
    }
    return subtask;
  }

  /** The key group and subtask of a key string (for reports). */
  keyGroupOf(key: string): { keyGroup: number; subtask: number } {
    const keyGroup = keyGroupOfHash(javaStringHashCode(key), this.router.maxParallelism);
    return { keyGroup, subtask: subtaskOfKeyGroup(keyGroup, this.router.parallelism, this.router.maxParallelism) };
  }

  get backpressured(): boolean {
    return this.overBuffer > 0;
  }

  /** Calls `wake` once the application is no longer backpressured (at once if it is not). */
  whenReady(wake: () => void): void {
    if (this.overBuffer === 0) wake();
    else this.waiters.push(wake);
  }

  /**
   * Hands a source batch to the subtasks: counts[t] records for subtask t, created on average at
   * createSumUs[t] / counts[t], each bytesPerRecord long. A batch without records is done at once.
   */
  deliver(batch: SourceBatch, counts: Float64Array, createSumUs: Float64Array, bytesPerRecord: number, windows: { counts: WindowCounts[]; watermarkUs: number } | null = null): void {
    for (let t = 0; t < counts.length; t++) if (counts[t]! > 0) batch.remaining++;
    if (batch.remaining === 0) batch.onDone(batch, this.sim.nowUs);
    for (let t = 0; t < counts.length; t++) {
      const count = counts[t]!;
      const subtask = this.subtasks[t]!;
      if (count > 0) {
        const bytes = count * bytesPerRecord;
        subtask.queue.push({ subtask, generation: subtask.generation, barrier: null, count, bytes, createMeanUs: createSumUs[t]! / count, batch, windowCounts: windows?.counts[t] ?? null, watermarkUs: -Infinity });
        this.grow(subtask, count, bytes);
      }
      // The watermark after the batch follows its records to every subtask (in-band).
      if (windows !== null) subtask.queue.push(marker(subtask, null, windows.watermarkUs));
      if (!subtask.busy) this.startNext(subtask);
    }
  }

  /** Time the source spent backpressured after warm-up, up to nowUs. */
  backpressuredUsAfterWarmup(nowUs: number): number {
    const open = this.backpressuredSinceUs < 0 ? 0 : Math.max(0, nowUs - Math.max(this.backpressuredSinceUs, this.settings.warmupUs));
    return this.backpressuredUsAfterWarmupTotal + open;
  }

  /** Records routed to the subtasks and not yet processed. */
  get queuedRecords(): number {
    let total = 0;
    for (const subtask of this.subtasks) total += subtask.queuedRecords;
    return total;
  }

  private grow(subtask: Subtask, count: number, bytes: number): void {
    const wasOver = subtask.queuedBytes > this.settings.inputBufferBytes;
    subtask.queuedRecords += count;
    subtask.queuedBytes += bytes;
    if (!wasOver && subtask.queuedBytes > this.settings.inputBufferBytes) {
      if (this.overBuffer === 0) this.backpressuredSinceUs = this.sim.nowUs;
      this.overBuffer++;
    }
  }

  private startNext(subtask: Subtask): void {
    let piece = subtask.queue.peek();
    // Watermark markers take no time: windows they pass fire as the subtask reaches them.
    while (piece !== undefined && piece.batch === null) {
      subtask.queue.shift();
      if (piece.barrier !== null) this.barrierReached(subtask, piece.barrier);
      else this.advanceWatermark(subtask, piece.watermarkUs);
      piece = subtask.queue.peek();
    }
    if (piece === undefined) {
      subtask.busy = false;
      return;
    }
    subtask.busy = true;
    const serviceUs = Math.round(piece.count * subtask.usPerRecord);
    this.countBusy(subtask, this.sim.nowUs, this.sim.nowUs + serviceUs);
    subtask.busyUntilUs = this.sim.nowUs + serviceUs;
    this.sim.after(serviceUs, this.finishHandler, piece);
  }

  private finish(started: Piece): void {
    const subtask = started.subtask;
    if (started.generation !== subtask.generation) return; // a restart voided it
    const piece = subtask.queue.shift();
    invariant(piece === started && piece.batch !== null && subtask.busy, "a subtask finishes only the piece it started");
    if (piece.windowCounts !== null) subtask.windows.add(piece.windowCounts);
    const nowUs = this.sim.nowUs;
    const serviceUs = Math.round(piece.count * subtask.usPerRecord);
    subtask.records.add(nowUs, piece.count);
    subtask.processed += piece.count;
    if (nowUs >= this.settings.warmupUs) {
      subtask.processedAfterWarmup += piece.count;
      // Record j of the piece ends at start + (j + 1) x usPerRecord: on average (count + 1) / 2 of them.
      const meanDoneUs = nowUs - serviceUs + ((piece.count + 1) / 2) * subtask.usPerRecord;
      // A source that splits batches by key shares (Kafka) hands on fractions of records: whole ones are counted as they add up.
      subtask.latencyCarry += piece.count;
      const whole = Math.floor(subtask.latencyCarry + 1e-9);
      subtask.latencyCarry -= whole;
      if (whole > 0) this.owner.onLatency(Math.max(0, meanDoneUs - piece.createMeanUs), whole);
    }
    this.shrink(subtask, piece.count, piece.bytes);
    if (--piece.batch.remaining === 0) piece.batch.onDone(piece.batch, nowUs);
    this.startNext(subtask);
  }

  private advanceWatermark(subtask: Subtask, watermarkUs: number): void {
    const meter = this.windowMeter;
    const windows = this.settings.windows;
    if (meter === null || !windows) return;
    subtask.windows.advance(watermarkUs, this.sim.nowUs, windows, (windowEndUs, nowUs) => meter.fired(windowEndUs, nowUs));
  }

  private shrink(subtask: Subtask, count: number, bytes: number): void {
    const wasOver = subtask.queuedBytes > this.settings.inputBufferBytes;
    subtask.queuedRecords -= count;
    subtask.queuedBytes -= bytes;
    if (subtask.queuedRecords === 0) subtask.queuedBytes = 0;
    if (!wasOver || subtask.queuedBytes > this.settings.inputBufferBytes) return;
    this.overBuffer--;
    if (this.overBuffer > 0) return;
    const nowUs = this.sim.nowUs;
    this.backpressuredUsAfterWarmupTotal += Math.max(0, nowUs - Math.max(this.backpressuredSinceUs, this.settings.warmupUs));
    this.backpressuredSinceUs = -1;
    const waiting = this.waiters.splice(0);
    for (const wake of waiting) wake();
  }

  /** Starts checkpointing (when the owner's source starts reading). */
  start(): void {
    const settings = this.settings.checkpoints;
    if (settings) this.scheduleCheckpoint(settings.intervalUs);
  }

  get isDown(): boolean {
    return this.down;
  }

  /**
   * Restarts the job now: the source stops, the subtasks drop what they hold, a checkpoint under way is
   * abandoned; after the downtime the state of the last completed checkpoint is restored and the source
   * reads again from its positions. A restart while down is folded into the one under way.
   */
  restart(cause: RestartCause): void {
    if (this.down) return;
    const nowUs = this.sim.nowUs;
    const downtimeUs = this.settings.checkpoints?.restartDowntimeUs ?? 0;
    this.down = true;
    this.epoch++;
    this.checkpointMeter.restarts.push({ atUs: nowUs, cause, parallelism: this.settings.parallelism });
    this.checkpointMeter.downtimeUs += downtimeUs;
    if (this.pendingCheckpoint !== null) this.checkpointMeter.aborted++;
    this.pendingCheckpoint = null;
    this.owner.stop();
    for (const subtask of this.subtasks) this.clearSubtask(subtask, nowUs);
    if (this.overBuffer > 0) this.backpressuredUsAfterWarmupTotal += Math.max(0, nowUs - Math.max(this.backpressuredSinceUs, this.settings.warmupUs));
    this.overBuffer = 0;
    this.backpressuredSinceUs = -1;
    this.waiters.length = 0;
    const epoch = this.epoch;
    this.sim.after(downtimeUs, () => {
      if (epoch === this.epoch) this.resume();
    });
  }

  /** Records processed again after a restart (the source counts them as it sees them). */
  reprocessed(records: number): void {
    this.checkpointMeter.reprocessedRecords += records;
  }

  private resume(): void {
    this.down = false;
    const last = this.lastCheckpoint;
    for (const subtask of this.subtasks) subtask.windows = last?.windows[subtask.index]?.clone() ?? new SubtaskWindows();
    const settings = this.settings.checkpoints;
    if (settings) this.scheduleCheckpoint(settings.intervalUs);
    this.owner.resume(last?.positions ?? null);
  }

  private clearSubtask(subtask: Subtask, nowUs: number): void {
    if (subtask.busy && subtask.busyUntilUs > nowUs) this.countBusy(subtask, nowUs, subtask.busyUntilUs, -1);
    subtask.generation++;
    subtask.busy = false;
    while (subtask.queue.shift() !== undefined);
    subtask.queuedRecords = 0;
    subtask.queuedBytes = 0;
  }

  private scheduleCheckpoint(delayUs: number): void {
    const epoch = this.epoch;
    this.sim.after(delayUs, () => {
      if (epoch === this.epoch) this.triggerCheckpoint();
    });
  }

  /** The barrier goes to every subtask behind the records handed on so far. */
  private triggerCheckpoint(): void {
    const checkpoint: Checkpoint = { id: ++this.checkpointIds, triggeredUs: this.sim.nowUs, positions: this.owner.positions(), windows: this.subtasks.map(() => null), awaiting: this.subtasks.length };
    this.pendingCheckpoint = checkpoint;
    for (const subtask of this.subtasks) {
      subtask.queue.push(marker(subtask, checkpoint, -Infinity));
      if (!subtask.busy) this.startNext(subtask);
    }
  }

  private barrierReached(subtask: Subtask, checkpoint: Checkpoint): void {
    if (checkpoint !== this.pendingCheckpoint) return;
    checkpoint.windows[subtask.index] = this.settings.windows ? subtask.windows.clone() : null;
    if (--checkpoint.awaiting > 0) return;
    const settings = this.settings.checkpoints!;
    const uploadUs = Math.round((settings.stateBytes / (settings.uploadBytesPerSecondPerKpu * this.kpus)) * 1e6);
    const epoch = this.epoch;
    this.sim.after(uploadUs, () => {
      if (epoch === this.epoch && checkpoint === this.pendingCheckpoint) this.completeCheckpoint(checkpoint);
    });
  }

  private completeCheckpoint(checkpoint: Checkpoint): void {
    const settings = this.settings.checkpoints!;
    const nowUs = this.sim.nowUs;
    this.pendingCheckpoint = null;
    this.lastCheckpoint = checkpoint;
    this.checkpointMeter.completed++;
    this.checkpointMeter.durationUs.add(nowUs - checkpoint.triggeredUs, 1);
    this.owner.checkpointed(checkpoint.positions);
    this.scheduleCheckpoint(Math.max(checkpoint.triggeredUs + settings.intervalUs, nowUs + settings.minPauseUs) - nowUs);
  }

  /** Busy time [fromUs, toUs) spread over the report intervals it spans (sign -1 takes it back). */
  private countBusy(subtask: Subtask, fromUs: number, toUs: number, sign = 1): void {
    const { intervalUs } = this.settings.seriesOptions;
    const busy = subtask.busyUs;
    let at = fromUs;
    while (at < toUs) {
      const interval = Math.floor(at / intervalUs);
      if (interval >= busy.length) break;
      const stop = Math.min(toUs, (interval + 1) * intervalUs);
      busy[interval]! += sign * (stop - at);
      at = stop;
    }
  }
}

/** A watermark or checkpoint barrier in a subtask's input: no records, no processing time. */
function marker(subtask: Subtask, barrier: Checkpoint | null, watermarkUs: number): Piece {
  return { subtask, generation: subtask.generation, barrier, count: 0, bytes: 0, createMeanUs: 0, batch: null, windowCounts: null, watermarkUs };
}
