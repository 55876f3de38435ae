// Amazon Managed Service for Apache Flink: the parts a Flink application is built from (key routing,
// subtasks on KPUs), free of any source system; sim/kinesis and sim/kafka attach it as a consumer.

export { FlinkApplication, type ApplicationOwner, type FlinkApplicationSettings } from "./application.ts";
export { SourceBatch, Subtask } from "./subtask.ts";
export {
  defaultMaxParallelism,
  flinkMurmurHash,
  javaStringHashCode,
  keyGroupOfHash,
  keyGroupRange,
  KeyGroupRouter,
  maxParallelismDefaultMin,
  maxParallelismMax,
  subtaskOfKeyGroup,
} from "./key-groups.ts";
export { SubtaskStore, subtaskStoreRecordsMax } from "./subtask-store.ts";
export { flinkStats, type KeyCounts } from "./stats.ts";
export { flinkConsumerConfiguration } from "./configuration.ts";
export { flinkConsumerFindings } from "./findings.ts";
export { assignWindows, isLate, SubtaskWindows, WindowMeter, windowBoundaryAtOrBefore, windowEndUs, windowSettingsOf, type WindowCounts, type WindowSettings } from "./windows.ts";
export { SessionMeter, SessionWindows, type SessionSnapshot } from "./sessions.ts";
export { KeySlotStore } from "./subtask-store.ts";
export { checkpointSettings, checkpointUploadBytesPerSecondPerKpu, CheckpointMeter, type Checkpoint, type CheckpointSettings, type RestartCause, type RestartRecord, type SourcePositions } from "./checkpoints.ts";
export { ReplayMarks } from "./replay-marks.ts";
export { EventTimeDelays } from "./event-time.ts";
