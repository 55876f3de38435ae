// A Flink application's keyed stage (docs/reference.md §8.1, §8.3): `parallelism` subtasks on
// ceil(parallelism / parallelismPerKpu) KPUs, each subtask a FIFO of the pieces of source batches routed
// to it by keyBy, processed at its share of its KPU's vCPU. When any subtask holds more than its input
// buffer, the application is backpressured and its source stops reading until that subtask drains
// below it (credit-based flow control: the slowest channel blocks the sender).

import { Deque, invariant, type Simulation } from "../engine/index.ts";
import { CounterSeries, type SeriesOptions } from "../metrics/index.ts";
import type { KeySpace } from "../workload/index.ts";
import { javaStringHashCode, KeyGroupRouter, keyGroupOfHash, subtaskOfKeyGroup } from "./key-groups.ts";
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
  readonly windows = new SubtaskWindows();
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
  private readonly finishHandler = (subtask: Subtask): void => this.finish(subtask);

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
        subtask.queue.push({ count, bytes, createMeanUs: createSumUs[t]! / count, batch, windowCounts: windows?.counts[t] ?? null, watermarkUs: -Infinity });
        this.grow(subtask, count, bytes);
      }
      // The watermark after the batch follows its records to every subtask (in-band).
      if (windows !== null) subtask.queue.push({ count: 0, bytes: 0, createMeanUs: 0, batch: null, windowCounts: null, watermarkUs: windows.watermarkUs });
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
      this.advanceWatermark(subtask, piece.watermarkUs);
      piece = subtask.queue.peek();
    }
    if (piece === undefined) {
      subtask.busy = false;
      return;
    }
    subtask.busy = true;
    const serviceUs = Math.round(piece.count * subtask.usPerRecord);
    this.countBusy(subtask, this.sim.nowUs, this.sim.nowUs + serviceUs);
    this.sim.after(serviceUs, this.finishHandler, subtask);
  }

  private finish(subtask: Subtask): void {
    const piece = subtask.queue.shift();
    invariant(piece !== undefined && piece.batch !== null && subtask.busy, "a subtask finishes only the piece it started");
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

  /** Busy time [fromUs, toUs) spread over the report intervals it spans. */
  private countBusy(subtask: Subtask, fromUs: number, toUs: number): void {
    const { intervalUs } = this.settings.seriesOptions;
    const busy = subtask.busyUs;
    let at = fromUs;
    while (at < toUs) {
      const interval = Math.floor(at / intervalUs);
      if (interval >= busy.length) break;
      const stop = Math.min(toUs, (interval + 1) * intervalUs);
      busy[interval]! += stop - at;
      at = stop;
    }
  }
}
