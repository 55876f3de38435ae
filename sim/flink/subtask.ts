// One keyed subtask of a Flink application: its input (pieces of source batches, watermarks and
// checkpoint barriers, in order), its window state, and what it measured (docs/reference.md §8.3).

import { Deque } from "../engine/index.ts";
import { CounterSeries, type SeriesOptions } from "../metrics/index.ts";
import type { Checkpoint } from "./checkpoints.ts";
import { SubtaskWindows, type WindowCounts } from "./windows.ts";

/** What a source batch hands on to the subtasks: done when each subtask has processed its part. */
export class SourceBatch {
  remaining = 0;
  /** Records of it the subtasks have processed so far (a restart before the last part is done drops the rest). */
  processed = 0;
  constructor(
    readonly records: number,
    readonly onDone: (batch: SourceBatch, nowUs: number) => void,
  ) {}
}

export interface Piece {
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
  /** The watermark that follows the piece's records (or the marker), or -Infinity. */
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
  /** Exactly-once sink: ends of the windows emitted since the last barrier (their transaction is open). */
  uncommittedWindowEndsUs: number[] = [];
  /** Bumped by every restart: a piece of an older generation finishing is ignored. */
  generation = 0;
  /** When the piece being processed ends (busy time a restart takes back). */
  busyUntilUs = 0;
  processedAfterWarmup = 0;
  /** Its fair part of the records processed after warm-up: each one split evenly among the subtasks running when it was processed. */
  fairRecordsAfterWarmup = 0;
  /** Busy microseconds counted so far, the piece under way whole (the autoscaler's CPU reads it). */
  busyTotalUs = 0;
  /** Busy microseconds per report interval (Flink's busyTimeMsPerSecond, summed over the interval). */
  readonly busyUs: Float64Array;
  readonly records: CounterSeries;
  constructor(
    readonly index: number,
    /** The KPU it runs on (a rescale moves it). */
    public kpu: number,
    /** Microseconds one record takes at this subtask's share of its KPU's vCPU (a rescale changes the share). */
    public usPerRecord: number,
    seriesOptions: SeriesOptions,
  ) {
    this.busyUs = new Float64Array(Math.ceil(seriesOptions.endUs / seriesOptions.intervalUs));
    this.records = new CounterSeries(seriesOptions);
  }
}

/** A watermark or checkpoint barrier in a subtask's input: no records, no processing time. */
export function marker(subtask: Subtask, barrier: Checkpoint | null, watermarkUs: number): Piece {
  return { subtask, generation: subtask.generation, barrier, count: 0, bytes: 0, createMeanUs: 0, batch: null, windowCounts: null, watermarkUs };
}
