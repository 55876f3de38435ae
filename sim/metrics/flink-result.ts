// What a Flink consumer (a Managed Service for Apache Flink application, docs/reference.md §8) reports
// beside the shared consumer terms: its subtasks' load and keys, backpressure, and the KPUs it bills.

import type { LogHistogram } from "./histogram.ts";
import type { GaugeSeries } from "./series.ts";

/** Session windows (docs/reference.md §8.5): what the per-key sessions measured. */
export interface FlinkSessionStats {
  /** Last event time + gap - first event time, per session fired (microseconds). */
  lengthUs: LogHistogram;
  recordsPerSession: LogHistogram;
  /** Live sessions (the keyed state) over time, their peak, and those still live at the end. */
  activeSessions: GaugeSeries;
  activeSessionsPeak: number;
  activeSessionsAtEnd: number;
}

/** Tumbling, sliding or session event-time windows (docs/reference.md §8.5). */
export interface FlinkWindowStats {
  /** Session windows: the gap (size and slide are then 0). */
  sessionGapUs?: number;
  sessions?: FlinkSessionStats;
  sizeUs: number;
  /** Equal to the size for tumbling windows. */
  slideUs: number;
  /** Records summed over the windows fired, and over those still open at the end (a record counts once in each of its windows). */
  recordsInFiredWindows: number;
  recordsInOpenWindows: number;
  outOfOrdernessUs: number;
  allowedLatenessUs: number;
  /** Window results emitted (one per subtask and window with records in it). */
  windowsFired: number;
  /** Records whose window had closed when they arrived: dropped by the window (still processed). */
  lateRecords: number;
  /** Emission time less the window's end, per window result, for windows ending after warm-up (microseconds). */
  outputLatency: LogHistogram;
}

/** Checkpoints and restarts (docs/reference.md §8.6). */
export interface FlinkCheckpointStats {
  intervalUs: number;
  minPauseUs: number;
  stateBytes: number;
  restartDowntimeUs: number;
  sink: "at-least-once" | "exactly-once";
  completed: number;
  /** Checkpoints a restart cut short. */
  aborted: number;
  /** Trigger to completion, per completed checkpoint (microseconds). */
  durationUs: LogHistogram;
  restarts: Array<{ atUs: number; cause: "timeline" | "scale-up" | "scale-down"; parallelism: number }>;
  downtimeUs: number;
  /** Records processed again after restarts (duplicates at an at-least-once sink). */
  reprocessedRecords: number;
}

export interface FlinkSubtaskStats {
  index: number;
  /** The KPU it runs on (0-based), which it shares with parallelismPerKpu - 1 others. */
  kpu: number;
  keyGroupFirst: number;
  keyGroupLast: number;
  /** Records it processed (whole run), and after warm-up. */
  records: number;
  recordsAfterWarmup: number;
  /**
   * Its fair share of the records processed after warm-up: the share it would have taken had each record
   * been split evenly among the subtasks running when it was processed (1/p at a fixed parallelism p;
   * after autoscaling, the sum over the parallelisms p it ran at of the records processed at p over p,
   * over all records). recordsAfterWarmup over the total, over this, is 1 for an even split.
   */
  fairShare: number;
  /** Its busy share per report interval (Flink's busyTimeMsPerSecond / 1000, 0 to 1). */
  busy: Float64Array;
  meanBusyAfterWarmup: number;
  peakBusy: number;
  /** Records per second it can process: its share of its KPU's vCPU over the per-record CPU time. */
  capacityRecordsPerSecond: number;
  /** Its busiest keys (among the producers' busiest), with their key groups. */
  topKeys: Array<{ key: string; keyGroup: number; records: number }>;
}

export interface FlinkConsumerStats {
  source: string;
  /** The parallelism at the end of the run (autoscaling's restarts change it). */
  parallelism: number;
  /** The parallelism the application started with. */
  initialParallelism: number;
  parallelismPerKpu: number;
  maxParallelism: number;
  /** KPUs the subtasks run on: ceil(parallelism / parallelismPerKpu). */
  kpus: number;
  /** KPUs billed: kpus + 1 for the application's orchestration. */
  billedKpus: number;
  /** The most KPUs the application ran on (autoscaling). */
  peakKpus: number;
  /** KPUs billed over time, the orchestration KPU included. */
  billedKpuSeries: GaugeSeries;
  /** Subtasks running over time (autoscaling changes it when the job resumes after a scaling restart). */
  parallelismSeries: GaugeSeries;
  perRecordUs: number;
  inputBufferBytes: number;
  subtasks: FlinkSubtaskStats[];
  /** Records the producers offered over the run, of keys whose counts are known (topKeys' denominator). */
  keyRecordsTotal: number;
  /** Share of the time after warm-up the source was stopped by backpressure. */
  backpressuredShare: number;
  /** Billed KPU-hours after warm-up (orchestration KPU included). */
  kpuHoursAfterWarmup: number;
  /** Event-time windows, when the application has them. */
  windows?: FlinkWindowStats;
  checkpoints: FlinkCheckpointStats;
}
