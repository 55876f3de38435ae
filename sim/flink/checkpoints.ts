// Checkpoints and restarts of a Flink application (docs/reference.md §8.6). Every interval (from one
// trigger to the next, and at least minPause after the last completed one) the source notes where it
// is (the positions after every record it handed on) and sends a barrier behind those records to
// every keyed subtask; a subtask snapshots its window state as it reaches the barrier (aligned
// checkpoints: it has then processed everything before it). When every subtask has, the state is
// uploaded (stateBytes over the KPUs' upload rate) and the checkpoint completes. A restart drops what
// the application holds, waits the downtime, restores the last completed checkpoint and the source
// reads again from its positions: what was processed after them is processed again.

import { LogHistogram } from "../metrics/index.ts";
import type { SessionSnapshot } from "./sessions.ts";
import type { SubtaskWindows } from "./windows.ts";

export interface CheckpointSettings {
  intervalUs: number;
  minPauseUs: number;
  /** Application state written by each checkpoint. */
  stateBytes: number;
  /** What one KPU uploads to the checkpoint store per second (our estimate, docs/reference.md §8.6). */
  uploadBytesPerSecondPerKpu: number;
  /** From a restart's start until the job runs again. */
  restartDowntimeUs: number;
  /** Exactly-once sink: output after the last checkpoint is never committed, so replays duplicate nothing. */
  exactlyOnce: boolean;
}

/** Where the source is: per shard or partition (by index) the next position to read and its largest event time so far. */
export interface SourcePositions {
  readonly seqs: readonly number[];
  readonly maxEventUs: readonly number[];
}

export interface Checkpoint {
  readonly id: number;
  readonly triggeredUs: number;
  readonly positions: SourcePositions;
  /** The parallelism the snapshot was taken at (its windows are per subtask of it). */
  readonly parallelism: number;
  /** Each subtask's windows as it reached the barrier (null until it did). */
  readonly windows: Array<SubtaskWindows | null>;
  /** Session windows: each subtask's live sessions as it reached the barrier (null without sessions). */
  readonly sessions: Array<SessionSnapshot | null> | null;
  /** Exactly-once sink: ends of the window results each subtask emitted before the barrier, visible when the checkpoint completes. */
  readonly outputs: number[][];
  awaiting: number;
}

export type RestartCause = "timeline" | "scale-up" | "scale-down";

export interface RestartRecord {
  atUs: number;
  cause: RestartCause;
  /** Parallelism after the restart. */
  parallelism: number;
}

/** What the checkpoints and restarts measure. */
export class CheckpointMeter {
  completed = 0;
  /** Checkpoints a restart cut short. */
  aborted = 0;
  /** Trigger to completion, per completed checkpoint. */
  readonly durationUs = new LogHistogram();
  readonly restarts: RestartRecord[] = [];
  downtimeUs = 0;
  /** Records processed again after restarts (each duplicate output at an at-least-once sink). */
  reprocessedRecords = 0;
}

/** What one KPU uploads to the checkpoint store per second: our estimate (docs/reference.md §8.6). */
export const checkpointUploadBytesPerSecondPerKpu = 100 * 1024 * 1024;

/** The checkpoint settings of a Flink consumer's resolved spec. */
export function checkpointSettings(spec: { checkpoints: { interval: number; minPause: number; stateSize: number }; restartDowntime: number; sink: "at-least-once" | "exactly-once" }): CheckpointSettings {
  return {
    intervalUs: spec.checkpoints.interval,
    minPauseUs: spec.checkpoints.minPause,
    stateBytes: spec.checkpoints.stateSize,
    uploadBytesPerSecondPerKpu: checkpointUploadBytesPerSecondPerKpu,
    restartDowntimeUs: spec.restartDowntime,
    exactlyOnce: spec.sink === "exactly-once",
  };
}
