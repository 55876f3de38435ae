// The application's numbers at the end of a run, for ConsumerResult.flink: per subtask its load and
// busiest keys, backpressure, and billed KPU-hours.

import type { FlinkConsumerStats, FlinkSubtaskStats, FlinkWindowStats } from "../metrics/index.ts";
import { busiestIndexes, type KeySpace } from "../workload/index.ts";
import type { FlinkApplication } from "./application.ts";
import { keyGroupRange } from "./key-groups.ts";

/** A producer's keys and how many records it offered of each (for the subtasks' busiest keys). */
export interface KeyCounts {
  readonly keys: KeySpace;
  readonly counts: Float64Array | null;
  /** Records the producer offered so far (all keys). */
  readonly offered: number;
}

/** Keys examined per producer: the busiest ones carry the load. */
const candidateKeysMax = 1000;
const topKeysPerSubtask = 5;
const hourUs = 3_600_000_000;

export function flinkStats(app: FlinkApplication, source: string, keyCounts: readonly KeyCounts[], times: { warmupUs: number; endUs: number }): FlinkConsumerStats {
  const { settings } = app;
  const { intervalUs } = settings.seriesOptions;
  const topKeys = busiestKeysBySubtask(app, keyCounts);
  const afterWarmupUs = Math.max(0, times.endUs - times.warmupUs);
  app.billedKpus.finish(times.endUs);
  app.parallelismSeries.finish(times.endUs);
  app.settleFairRecords();
  const fairRecordsTotal = app.allSubtasks.reduce((total, subtask) => total + subtask.fairRecordsAfterWarmup, 0);
  const subtasks: FlinkSubtaskStats[] = app.allSubtasks.map((subtask) => {
    const busy = new Float64Array(subtask.busyUs.length);
    let busyAfterWarmupUs = 0;
    let peakBusy = 0;
    for (let i = 0; i < busy.length; i++) {
      const startUs = i * intervalUs;
      const lengthUs = Math.min(intervalUs, times.endUs - startUs);
      busy[i] = lengthUs > 0 ? Math.min(1, subtask.busyUs[i]! / lengthUs) : 0;
      peakBusy = Math.max(peakBusy, busy[i]!);
      // Intervals wholly after warm-up count in the mean; one straddling it counts its part after it.
      const after = Math.max(0, Math.min(lengthUs, startUs + lengthUs - times.warmupUs));
      busyAfterWarmupUs += lengthUs > 0 ? (subtask.busyUs[i]! * after) / lengthUs : 0;
    }
    // A subtask a scale-down left idle shows the key groups it held at the largest parallelism.
    const range = keyGroupRange(subtask.index, subtask.index < app.parallelism ? app.parallelism : app.allSubtasks.length, app.router.maxParallelism);
    return {
      index: subtask.index,
      kpu: subtask.kpu,
      keyGroupFirst: range.first,
      keyGroupLast: range.last,
      records: Math.round(subtask.processed),
      recordsAfterWarmup: Math.round(subtask.processedAfterWarmup),
      // Nothing processed after warm-up: an even split among the subtasks running at the end.
      fairShare: fairRecordsTotal > 0 ? subtask.fairRecordsAfterWarmup / fairRecordsTotal : subtask.index < app.parallelism ? 1 / app.parallelism : 0,
      busy,
      meanBusyAfterWarmup: afterWarmupUs > 0 ? Math.min(1, busyAfterWarmupUs / afterWarmupUs) : 0,
      peakBusy,
      capacityRecordsPerSecond: subtask.usPerRecord > 0 ? 1e6 / subtask.usPerRecord : Infinity,
      topKeys: topKeys[subtask.index] ?? [],
    };
  });
  return {
    source,
    parallelism: app.parallelism,
    initialParallelism: settings.parallelism,
    parallelismPerKpu: settings.parallelismPerKpu,
    maxParallelism: app.router.maxParallelism,
    kpus: app.kpus,
    billedKpus: app.kpus + 1,
    peakKpus: app.peakKpus,
    billedKpuSeries: app.billedKpus,
    parallelismSeries: app.parallelismSeries,
    perRecordUs: settings.perRecordUs,
    inputBufferBytes: settings.inputBufferBytes,
    subtasks,
    keyRecordsTotal: keyCounts.reduce((total, { counts, offered }) => total + (counts === null ? 0 : offered), 0),
    backpressuredShare: afterWarmupUs > 0 ? app.backpressuredUsAfterWarmup(times.endUs) / afterWarmupUs : 0,
    kpuHoursAfterWarmup: app.billedKpuUsAfterWarmupUntil(times.endUs) / hourUs,
    ...windowStats(app),
    checkpoints: checkpointStats(app),
  };
}

function busiestKeysBySubtask(app: FlinkApplication, keyCounts: readonly KeyCounts[]): Array<FlinkSubtaskStats["topKeys"]> {
  const bySubtask: Array<FlinkSubtaskStats["topKeys"]> = app.allSubtasks.map(() => []);
  for (const { keys, counts } of keyCounts) {
    if (counts === null) continue;
    for (const keyIndex of busiestIndexes(counts, candidateKeysMax)) {
      const key = keys.keyAt(keyIndex);
      const { keyGroup, subtask } = app.keyGroupOf(key);
      bySubtask[subtask]!.push({ key, keyGroup, records: counts[keyIndex]! });
    }
  }
  return bySubtask.map((list) => list.sort((a, b) => b.records - a.records).slice(0, topKeysPerSubtask));
}

function checkpointStats(app: FlinkApplication): FlinkConsumerStats["checkpoints"] {
  const settings = app.settings.checkpoints;
  const meter = app.checkpointMeter;
  return {
    intervalUs: settings?.intervalUs ?? 0,
    minPauseUs: settings?.minPauseUs ?? 0,
    stateBytes: settings?.stateBytes ?? 0,
    restartDowntimeUs: settings?.restartDowntimeUs ?? 0,
    sink: settings?.exactlyOnce ? "exactly-once" : "at-least-once",
    completed: meter.completed,
    aborted: meter.aborted,
    durationUs: meter.durationUs,
    restarts: meter.restarts.map((restart) => ({ ...restart })),
    downtimeUs: meter.downtimeUs,
    reprocessedRecords: meter.reprocessedRecords,
  };
}

function windowStats(app: FlinkApplication): { windows?: FlinkWindowStats } {
  const windows = app.settings.windows;
  const meter = app.windowMeter;
  if (!windows || meter === null) return {};
  const recordsInOpenWindows = app.allSubtasks.reduce((total, subtask) => total + subtask.windows.openRecords, 0) + (app.sessions?.openRecords ?? 0);
  const sessions = app.sessions;
  if (sessions !== null) sessions.meter.activeSessions.finish(app.settings.seriesOptions.endUs);
  return {
    windows: {
      ...windows,
      windowsFired: meter.windowsFired,
      lateRecords: meter.lateRecords,
      outputLatency: meter.outputLatency,
      recordsInFiredWindows: meter.recordsInWindows,
      recordsInOpenWindows,
      ...(sessions === null
        ? {}
        : {
            sessions: {
              lengthUs: sessions.meter.lengthUs,
              recordsPerSession: sessions.meter.recordsPerSession,
              activeSessions: sessions.meter.activeSessions,
              activeSessionsPeak: sessions.meter.activeSessionsPeak,
              activeSessionsAtEnd: sessions.activeSessions,
            },
          }),
    },
  };
}
