// A Flink application's keyed stage (docs/reference.md §8.1, §8.3): `parallelism` subtasks on
// ceil(parallelism / parallelismPerKpu) KPUs, each subtask a FIFO of the pieces of source batches routed
// to it by keyBy, processed at its share of its KPU's vCPU. When any subtask holds more than its input
// buffer, the application is backpressured and its source stops reading until that subtask drains
// below it (credit-based flow control: the slowest channel blocks the sender).

import { invariant, roundHalfUp, type Simulation } from "../engine/index.ts";
import { GaugeSeries, type SeriesOptions } from "../metrics/index.ts";
import { Autoscaler, type AutoscalingSettings } from "./autoscaler.ts";
import type { KeySpace } from "../workload/index.ts";
import { javaStringHashCode, keyGroupRange, KeyGroupRouter, keyGroupOfHash, subtaskOfKeyGroup } from "./key-groups.ts";
import { CheckpointMeter, type Checkpoint, type CheckpointSettings, type RestartCause, type SourcePositions } from "./checkpoints.ts";
import { marker, SourceBatch, Subtask, type Piece } from "./subtask.ts";
import { SessionWindows } from "./sessions.ts";
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
  /** The managed service's automatic scaling (docs/reference.md §8.6), or null: fixed parallelism. */
  autoscaling?: AutoscalingSettings | null;
  /** Most subtasks the model allows (scale-ups stop there too). */
  parallelismMax?: number;
}

/** What the application tells its owner (the consumer that reads the source). */
export interface ApplicationOwner {
  onLatency(latencyUs: number, count: number): void;
  /** Where the source stands: the positions after every record it handed on (processed: after every record processed). */
  positions(processed?: boolean): SourcePositions;
  /** A checkpoint completed: the source will never be asked to read before these positions again. */
  checkpointed(positions: SourcePositions): void;
  /** A restart: the source stops and forgets what it handed on. */
  stop(): void;
  /**
   * A restart dropped batches some subtasks had processed part of: the source reads them again from its
   * position, so those records are processed again (duplicates at an at-least-once sink).
   */
  onPartlyProcessed(nowUs: number, records: number): void;
  /** The job runs again: the source reads from these positions (null: from where it stopped). */
  resume(positions: SourcePositions | null): void;
}

export class FlinkApplication {
  router: KeyGroupRouter;
  /** The running subtasks (the first `parallelism` of allSubtasks). */
  subtasks: Subtask[];
  /** Every subtask the application has had (a scale-down leaves the last ones idle). */
  readonly allSubtasks: Subtask[] = [];
  kpus: number;
  /** Key group -> subtask at the current parallelism. */
  groupToSubtask: Int32Array;
  /** KPUs billed over time (the orchestration KPU included). */
  readonly billedKpus: GaugeSeries;
  /** Subtasks running over time: the configured parallelism, then each scaling restart's from when the job resumes. */
  readonly parallelismSeries: GaugeSeries;
  peakKpus: number;
  private billedKpuUsAfterWarmup = 0;
  private billedSinceUs = 0;
  private kpusBilled: number;
  private readonly autoscaler: Autoscaler | null;
  /** The parallelism a scaling restart resumes with (null: unchanged). */
  private pendingParallelism: number | null = null;
  /** What the windows measure (null without windows). */
  readonly windowMeter: WindowMeter | null;
  /** Session windows' per-key state (null without them). */
  readonly sessions: SessionWindows | null;
  /** Session windows: the first key slot of each key space, and each slot's key group. */
  private readonly slotOffsets = new Map<KeySpace, number>();
  private slotCount = 0;
  private slotGroups = new Int32Array(0);
  /** Records processed after warm-up at the current parallelism, not yet shared out as fair records. */
  private recordsAtParallelism = 0;
  /** Subtasks over their input buffer: the source reads only while this is 0. */
  private overBuffer = 0;
  private readonly waiters: Array<() => void> = [];
  private backpressuredSinceUs = -1;
  private backpressuredUsAfterWarmupTotal = 0;
  private readonly keyGroupCache = new Map<KeySpace, Int32Array>();
  private lastKeys: KeySpace | null = null;
  private lastKeyGroups: Int32Array | null = null;
  /** Per subtask: what a window it fires is handed to (made once). */
  private readonly firedBySubtask: Array<(windowEndUs: number, nowUs: number, records: number) => void> = [];
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
    const gapUs = settings.windows?.sessionGapUs ?? 0;
    this.sessions = gapUs > 0 ? new SessionWindows(gapUs, settings.windows!.allowedLatenessUs, parallelism, settings.seriesOptions) : null;
    this.subtasks = [];
    this.groupToSubtask = new Int32Array(0);
    this.setParallelism(parallelism);
    this.billedKpus = new GaugeSeries(settings.seriesOptions);
    this.billedKpus.set(0, this.kpus + 1);
    this.parallelismSeries = new GaugeSeries(settings.seriesOptions);
    this.parallelismSeries.set(0, parallelism);
    this.peakKpus = this.kpus;
    this.kpusBilled = this.kpus;
    const autoscaling = settings.autoscaling;
    const ceiling = Math.min(parallelismPerKpu * (autoscaling?.maxKpus ?? 0), this.router.maxParallelism, settings.parallelismMax ?? Infinity);
    this.autoscaler = autoscaling?.enabled ? new Autoscaler(parallelism, Math.max(parallelism, ceiling)) : null;
  }

  get parallelism(): number {
    return this.subtasks.length;
  }

  /** Runs `parallelism` subtasks: key groups are assigned anew, subtasks share KPUs anew. */
  private setParallelism(parallelism: number): void {
    const { parallelismPerKpu, perRecordUs, seriesOptions } = this.settings;
    this.settleFairRecords();
    this.router = new KeyGroupRouter(parallelism, this.router?.maxParallelism ?? this.settings.maxParallelism);
    this.kpus = Math.ceil(parallelism / parallelismPerKpu);
    for (let i = 0; i < parallelism; i++) {
      const kpu = Math.floor(i / parallelismPerKpu);
      const onKpu = Math.min(parallelismPerKpu, parallelism - kpu * parallelismPerKpu);
      const subtask = (this.allSubtasks[i] ??= new Subtask(i, kpu, perRecordUs * onKpu, seriesOptions));
      subtask.kpu = kpu;
      subtask.usPerRecord = perRecordUs * onKpu;
    }
    this.subtasks = this.allSubtasks.slice(0, parallelism);
    const groups = this.router.maxParallelism;
    this.groupToSubtask = new Int32Array(groups);
    for (let group = 0; group < groups; group++) this.groupToSubtask[group] = subtaskOfKeyGroup(group, parallelism, groups);
  }

  /**
   * Shares the records processed after warm-up at the current parallelism evenly among the subtasks
   * running: each subtask's fair records, what it would have processed had every record gone evenly to
   * the subtasks running when it was processed (docs/reference.md §8.3).
   */
  settleFairRecords(): void {
    const running = this.subtasks.length;
    if (this.recordsAtParallelism === 0 || running === 0) return;
    for (const subtask of this.subtasks) subtask.fairRecordsAfterWarmup += this.recordsAtParallelism / running;
    this.recordsAtParallelism = 0;
  }

  /** The key group of a key (by index into its key space), computed once per distinct key. */
  keyGroupOfKey(keys: KeySpace, keyIndex: number): number {
    // Called for every record written: the last key space's table is kept at hand (no Map lookup).
    const cache = keys === this.lastKeys ? this.lastKeyGroups : this.keyGroupsOf(keys);
    if (cache === null) return this.router.keyGroupOf(keys.keyAt(keyIndex));
    let group = cache[keyIndex]!;
    if (group < 0) {
      group = this.router.keyGroupOf(keys.keyAt(keyIndex));
      cache[keyIndex] = group;
    }
    return group;
  }

  /** The key groups of a key space's keys, filled in as they are met (null: keys without a fixed cardinality). */
  private keyGroupsOf(keys: KeySpace): Int32Array | null {
    let cache: Int32Array | null = null;
    if (Number.isFinite(keys.cardinality)) {
      cache = this.keyGroupCache.get(keys) ?? null;
      if (cache === null) {
        cache = new Int32Array(keys.cardinality).fill(-1);
        this.keyGroupCache.set(keys, cache);
      }
    }
    this.lastKeys = keys;
    this.lastKeyGroups = cache;
    return cache;
  }

  /** Session windows: a key's slot in the per-key state (key spaces of a fixed cardinality only). */
  sessionSlotOf(keys: KeySpace, keyIndex: number): number {
    let offset = this.slotOffsets.get(keys);
    if (offset === undefined) {
      if (!Number.isFinite(keys.cardinality)) throw new Error("session windows keep state per key: they need keys of a fixed cardinality (keys.cardinality)");
      offset = this.slotCount;
      this.slotOffsets.set(keys, offset);
      this.slotCount += keys.cardinality;
      this.sessions!.ensureSlots(this.slotCount);
      const groups = new Int32Array(Math.max(this.slotCount, this.slotGroups.length)).fill(-1);
      groups.set(this.slotGroups);
      this.slotGroups = groups;
    }
    const slot = offset + keyIndex;
    if (this.slotGroups[slot]! < 0) this.slotGroups[slot] = this.keyGroupOfKey(keys, keyIndex);
    return slot;
  }

  /** The subtask of a key (by index into its key space) at the current parallelism. */
  subtaskOfKey(keys: KeySpace, keyIndex: number): number {
    return this.groupToSubtask[this.keyGroupOfKey(keys, keyIndex)]!;
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
      // The watermark after the batch follows its records to every subtask (in-band): it rides on the
      // subtask's piece of the batch (taking effect as the piece is done), or alone as a marker.
      const watermarkUs = windows === null ? -Infinity : windows.watermarkUs;
      if (count > 0) {
        const bytes = count * bytesPerRecord;
        subtask.queue.push({ subtask, generation: subtask.generation, barrier: null, count, bytes, createMeanUs: createSumUs[t]! / count, batch, windowCounts: windows?.counts[t] ?? null, watermarkUs });
        this.grow(subtask, count, bytes);
      } else if (windows !== null) subtask.queue.push(marker(subtask, null, watermarkUs));
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
    const serviceUs = roundHalfUp(piece.count * subtask.usPerRecord);
    this.countBusy(subtask, this.sim.nowUs, this.sim.nowUs + serviceUs);
    subtask.busyUntilUs = this.sim.nowUs + serviceUs;
    subtask.busyTotalUs += serviceUs;
    this.sim.after(serviceUs, this.finishHandler, piece);
  }

  private finish(started: Piece): void {
    const subtask = started.subtask;
    if (started.generation !== subtask.generation) return; // a restart voided it
    const piece = subtask.queue.shift();
    invariant(piece === started && piece.batch !== null && subtask.busy, "a subtask finishes only the piece it started");
    if (piece.windowCounts !== null) this.addToWindows(subtask, piece.windowCounts);
    const nowUs = this.sim.nowUs;
    const serviceUs = roundHalfUp(piece.count * subtask.usPerRecord);
    subtask.records.add(nowUs, piece.count);
    subtask.processed += piece.count;
    if (nowUs >= this.settings.warmupUs) {
      subtask.processedAfterWarmup += piece.count;
      this.recordsAtParallelism += piece.count;
      // Record j of the piece ends at start + (j + 1) x usPerRecord: on average (count + 1) / 2 of them.
      const meanDoneUs = nowUs - serviceUs + ((piece.count + 1) / 2) * subtask.usPerRecord;
      // A source that splits batches by key shares (Kafka) hands on fractions of records: whole ones are counted as they add up.
      subtask.latencyCarry += piece.count;
      const whole = Math.floor(subtask.latencyCarry + 1e-9);
      subtask.latencyCarry -= whole;
      if (whole > 0) this.owner.onLatency(Math.max(0, meanDoneUs - piece.createMeanUs), whole);
    }
    this.shrink(subtask, piece.count, piece.bytes);
    piece.batch.processed += piece.count;
    if (--piece.batch.remaining === 0) piece.batch.onDone(piece.batch, nowUs);
    if (piece.watermarkUs !== -Infinity) this.advanceWatermark(subtask, piece.watermarkUs);
    this.startNext(subtask);
  }

  private addToWindows(subtask: Subtask, counts: WindowCounts): void {
    if (this.sessions === null) return subtask.windows.add(counts);
    this.windowMeter!.lateRecords += this.sessions.addAll(subtask.index, counts, subtask.windows.watermarkUs);
    this.sessions.noteActive(this.sim.nowUs);
  }

  private advanceWatermark(subtask: Subtask, watermarkUs: number): void {
    const meter = this.windowMeter;
    const windows = this.settings.windows;
    if (meter === null || !windows) return;
    if (watermarkUs <= subtask.windows.watermarkUs) return;
    const fired = (this.firedBySubtask[subtask.index] ??= (windowEndUs: number, nowUs: number, records: number): void => this.fired(subtask, windowEndUs, nowUs, records));
    subtask.windows.advance(watermarkUs, this.sim.nowUs, windows, fired);
    this.sessions?.advance(subtask.index, watermarkUs, this.sim.nowUs, fired);
  }

  /**
   * A window result is emitted: visible at once at an at-least-once sink; at an exactly-once
   * (transactional) sink only when the checkpoint whose barrier follows it completes (docs/reference.md §8.6).
   */
  private fired(subtask: Subtask, windowEndUs: number, nowUs: number, records: number): void {
    const exactlyOnce = this.settings.checkpoints?.exactlyOnce === true;
    this.windowMeter!.fired(windowEndUs, nowUs, records, !exactlyOnce);
    if (exactlyOnce) subtask.uncommittedWindowEndsUs.push(windowEndUs);
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
    if (this.autoscaler !== null) this.startAutoscaling();
  }

  /** One CPU data point a minute: the busiest KPU's share of busy time (its subtasks' mean busy share). */
  private startAutoscaling(): void {
    const minuteUs = 60_000_000;
    let lastBusyUs = new Float64Array(0);
    this.sim.every(minuteUs, this.settings.seriesOptions.endUs, () => {
      const nowUs = this.sim.nowUs;
      const busyUs = new Float64Array(this.allSubtasks.length);
      for (const subtask of this.allSubtasks) busyUs[subtask.index] = subtask.busyTotalUs - (subtask.busy ? Math.max(0, subtask.busyUntilUs - nowUs) : 0);
      const previous = lastBusyUs;
      lastBusyUs = busyUs;
      if (nowUs === 0 || this.down) return this.autoscaler!.reset();
      const perKpu = new Float64Array(this.kpus);
      for (const subtask of this.subtasks) perKpu[subtask.kpu]! += (busyUs[subtask.index]! - (previous[subtask.index] ?? 0)) / minuteUs;
      let cpu = 0;
      for (let kpu = 0; kpu < this.kpus; kpu++) cpu = Math.max(cpu, perKpu[kpu]! / Math.min(this.settings.parallelismPerKpu, this.parallelism - kpu * this.settings.parallelismPerKpu));
      const target = this.autoscaler!.observe(Math.min(1, cpu), this.parallelism);
      if (target !== null) this.restart(target > this.parallelism ? "scale-up" : "scale-down", target);
    });
  }

  get isDown(): boolean {
    return this.down;
  }

  /**
   * Restarts the job now: the source stops, the subtasks drop what they hold, a checkpoint under way is
   * abandoned; after the downtime the state of the last completed checkpoint is restored and the source
   * reads again from its positions. A restart while down is folded into the one under way.
   */
  restart(cause: RestartCause, parallelism: number | null = null): void {
    if (this.down) return;
    const nowUs = this.sim.nowUs;
    const downtimeUs = this.settings.checkpoints?.restartDowntimeUs ?? 0;
    if (parallelism !== null && this.settings.autoscaling?.snapshots) this.takeSnapshot();
    this.down = true;
    this.epoch++;
    this.pendingParallelism = parallelism;
    if (parallelism !== null) this.billKpus(nowUs, Math.ceil(parallelism / this.settings.parallelismPerKpu));
    this.checkpointMeter.restarts.push({ atUs: nowUs, cause, parallelism: parallelism ?? this.parallelism });
    this.checkpointMeter.downtimeUs += downtimeUs;
    if (this.pendingCheckpoint !== null) this.checkpointMeter.aborted++;
    this.pendingCheckpoint = null;
    const partly = this.partlyProcessed();
    if (partly > 0) {
      this.reprocessed(partly);
      this.owner.onPartlyProcessed(nowUs, partly);
    }
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

  /** Records the subtasks processed of batches still unfinished (each batch once: its other parts wait in queues). */
  private partlyProcessed(): number {
    const seen = new Set<SourceBatch>();
    let records = 0;
    for (const subtask of this.subtasks) {
      subtask.queue.forEach((piece) => {
        if (piece.batch === null || piece.batch.processed === 0 || seen.has(piece.batch)) return;
        seen.add(piece.batch);
        records += piece.batch.processed;
      });
    }
    return records;
  }

  /** Records processed again after a restart (the source counts them as it sees them). */
  reprocessed(records: number): void {
    this.checkpointMeter.reprocessedRecords += records;
  }

  /** A snapshot as the job stops for scaling (SnapshotsEnabled): the positions processed so far and the windows as they are. */
  private takeSnapshot(): void {
    const positions = this.owner.positions(true);
    const windows = this.subtasks.map((subtask) => (this.settings.windows ? subtask.windows.clone() : null));
    const sessions = this.sessions;
    // Stopping with a snapshot commits the sink's open transactions with it.
    for (const subtask of this.subtasks) {
      for (const windowEndUs of subtask.uncommittedWindowEndsUs) this.windowMeter!.visible(windowEndUs, this.sim.nowUs);
      subtask.uncommittedWindowEndsUs = [];
    }
    this.lastCheckpoint = { id: ++this.checkpointIds, triggeredUs: this.sim.nowUs, positions, parallelism: this.parallelism, windows, sessions: sessions === null ? null : this.subtasks.map((subtask) => sessions.snapshot(subtask.index)), outputs: [], awaiting: 0 };
    this.owner.checkpointed(positions);
  }

  /** KPUs billed from nowUs on (the orchestration KPU added). */
  private billKpus(nowUs: number, kpus: number): void {
    const fromUs = Math.max(this.billedSinceUs, this.settings.warmupUs);
    this.billedKpuUsAfterWarmup += (this.kpusBilled + 1) * Math.max(0, nowUs - fromUs);
    this.billedSinceUs = nowUs;
    this.billedKpus.set(nowUs, kpus + 1);
    this.peakKpus = Math.max(this.peakKpus, kpus);
    this.kpusBilled = kpus;
  }

  /** Billed KPU-microseconds after warm-up up to nowUs. */
  billedKpuUsAfterWarmupUntil(nowUs: number): number {
    return this.billedKpuUsAfterWarmup + (this.kpusBilled + 1) * Math.max(0, nowUs - Math.max(this.billedSinceUs, this.settings.warmupUs));
  }

  private resume(): void {
    this.down = false;
    const last = this.lastCheckpoint;
    if (this.pendingParallelism !== null) {
      this.setParallelism(this.pendingParallelism);
      this.parallelismSeries.set(this.sim.nowUs, this.pendingParallelism);
    }
    this.pendingParallelism = null;
    this.restoreWindows(last);
    const settings = this.settings.checkpoints;
    if (settings) this.scheduleCheckpoint(settings.intervalUs);
    this.owner.resume(last?.positions ?? null);
  }

  /** Each subtask's windows from the snapshot; after a rescale, a subtask takes those of every old subtask whose key groups it now holds. */
  private restoreWindows(last: Checkpoint | null): void {
    const groups = this.router.maxParallelism;
    if (this.sessions !== null) this.sessions.restore(last?.sessions ?? [], this.parallelism, (slot) => this.groupToSubtask[this.slotGroups[slot]!]!, this.sim.nowUs);
    for (const subtask of this.subtasks) {
      if (last === null || !this.settings.windows) {
        subtask.windows = new SubtaskWindows();
        continue;
      }
      if (last.parallelism === this.parallelism) {
        subtask.windows = last.windows[subtask.index]?.clone() ?? new SubtaskWindows();
        continue;
      }
      const mine = keyGroupRange(subtask.index, this.parallelism, groups);
      const windows = new SubtaskWindows();
      for (let old = 0; old < last.parallelism; old++) {
        const theirs = keyGroupRange(old, last.parallelism, groups);
        const snapshot = last.windows[old];
        if (snapshot && theirs.first <= mine.last && mine.first <= theirs.last) windows.merge(snapshot);
      }
      subtask.windows = windows;
    }
  }

  private clearSubtask(subtask: Subtask, nowUs: number): void {
    if (subtask.busy && subtask.busyUntilUs > nowUs) {
      this.countBusy(subtask, nowUs, subtask.busyUntilUs, -1);
      subtask.busyTotalUs -= subtask.busyUntilUs - nowUs;
    }
    subtask.generation++;
    subtask.busy = false;
    // Output not yet in a pre-committed transaction is aborted with the job.
    subtask.uncommittedWindowEndsUs = [];
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
    const checkpoint: Checkpoint = { id: ++this.checkpointIds, triggeredUs: this.sim.nowUs, positions: this.owner.positions(), parallelism: this.parallelism, windows: this.subtasks.map(() => null), sessions: this.sessions === null ? null : this.subtasks.map(() => null), outputs: [], awaiting: this.subtasks.length };
    this.pendingCheckpoint = checkpoint;
    for (const subtask of this.subtasks) {
      subtask.queue.push(marker(subtask, checkpoint, -Infinity));
      if (!subtask.busy) this.startNext(subtask);
    }
  }

  private barrierReached(subtask: Subtask, checkpoint: Checkpoint): void {
    if (checkpoint !== this.pendingCheckpoint) return;
    checkpoint.windows[subtask.index] = this.settings.windows ? subtask.windows.clone() : null;
    if (checkpoint.sessions !== null) checkpoint.sessions[subtask.index] = this.sessions!.snapshot(subtask.index);
    // Window results emitted before the barrier belong to this checkpoint's transaction (pre-committed).
    if (subtask.uncommittedWindowEndsUs.length > 0) {
      checkpoint.outputs.push(subtask.uncommittedWindowEndsUs);
      subtask.uncommittedWindowEndsUs = [];
    }
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
    // The transactions the checkpoint pre-committed are committed: their window results become visible.
    for (const windowEndsUs of checkpoint.outputs) for (const windowEndUs of windowEndsUs) this.windowMeter!.visible(windowEndUs, nowUs);
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
