// The `flink` block of a Flink consumer in summary.json (docs/results.md "Flink consumers"): the
// application's KPUs, its busiest subtask with its key and key group, backpressure, and each subtask's load.

import { z } from "zod";
import type { ConsumerResult } from "../sim/metrics/index.ts";
import { round } from "./numbers.ts";

const count = z.number().int().nonnegative();
const share = z.number().nonnegative().nullable();

const subtaskSchema = z
  .object({
    index: count,
    kpu: count,
    keyGroups: z.tuple([count, count]),
    records: count,
    recordsShare: share,
    fairShare: share,
    busyMean: share,
    busyPeak: share,
    capacityRecordsPerSecond: z.number().nonnegative().nullable(),
    topKeys: z.array(z.object({ key: z.string(), keyGroup: count, records: count }).strict()),
  })
  .strict();

export const flinkConsumerSchema = z
  .object({
    source: z.string(),
    parallelism: count,
    parallelismPerKpu: count,
    maxParallelism: count,
    kpus: count,
    billedKpus: count,
    peakKpus: count,
    perRecordUs: z.number().nonnegative(),
    backpressuredShare: share,
    busiestSubtask: count,
    subtasks: z.array(subtaskSchema),
    billed: z.object({ kpuHours: z.number().nonnegative().nullable() }).strict(),
    windows: z
      .object({
        sizeSeconds: z.number().nonnegative(),
        slideSeconds: z.number().nonnegative(),
        outOfOrdernessSeconds: z.number().nonnegative(),
        allowedLatenessSeconds: z.number().nonnegative(),
        windowsFired: count,
        lateRecords: count,
        outputLatencyMs: z.object({ p50: z.number().nullable(), p99: z.number().nullable(), max: z.number().nullable() }).strict(),
        sessions: z
          .object({
            gapSeconds: z.number().nonnegative(),
            lengthSeconds: z.object({ mean: z.number().nullable(), p50: z.number().nullable(), p99: z.number().nullable() }).strict(),
            recordsPerSession: z.object({ mean: z.number().nullable(), p50: z.number().nullable(), p99: z.number().nullable() }).strict(),
            activeSessionsPeak: count,
            activeSessionsAtEnd: count,
          })
          .strict()
          .optional()
          .describe("session windows: sessions fired are windowsFired; their length (first event to last event + gap), records, and the live sessions (keyed state)"),
      })
      .strict()
      .optional(),
    checkpoints: z
      .object({
        intervalSeconds: z.number().nonnegative(),
        minPauseSeconds: z.number().nonnegative(),
        stateBytes: count,
        sink: z.enum(["at-least-once", "exactly-once"]),
        completed: count,
        aborted: count,
        durationMs: z.object({ p50: z.number().nullable(), max: z.number().nullable() }).strict(),
        restarts: z.array(z.object({ atSeconds: z.number().nonnegative(), cause: z.enum(["timeline", "scale-up", "scale-down"]), parallelism: count }).strict()),
        downtimeSeconds: z.number().nonnegative(),
        reprocessedRecords: count,
      })
      .strict(),
  })
  .strict();

function checkpointSummary(checkpoints: NonNullable<ConsumerResult["flink"]>["checkpoints"]): FlinkConsumerSummary["checkpoints"] {
  const completed = checkpoints.completed > 0;
  return {
    intervalSeconds: checkpoints.intervalUs / 1e6,
    minPauseSeconds: checkpoints.minPauseUs / 1e6,
    stateBytes: checkpoints.stateBytes,
    sink: checkpoints.sink,
    completed: checkpoints.completed,
    aborted: checkpoints.aborted,
    durationMs: { p50: completed ? round(checkpoints.durationUs.quantile(0.5) / 1000) : null, max: completed ? round(checkpoints.durationUs.max / 1000) : null },
    restarts: checkpoints.restarts.map((restart) => ({ atSeconds: restart.atUs / 1e6, cause: restart.cause, parallelism: restart.parallelism })),
    downtimeSeconds: checkpoints.downtimeUs / 1e6,
    reprocessedRecords: Math.round(checkpoints.reprocessedRecords),
  };
}

export type FlinkConsumerSummary = z.infer<typeof flinkConsumerSchema>;

/** The consumer's flink block, or nothing for other consumers (the field is left out). */
export function flinkSummary(consumer: ConsumerResult): { flink?: FlinkConsumerSummary } {
  const stats = consumer.flink;
  if (stats === undefined) return {};
  const processed = stats.subtasks.reduce((total, subtask) => total + subtask.recordsAfterWarmup, 0);
  let busiest = 0;
  for (const subtask of stats.subtasks) if (subtask.recordsAfterWarmup > stats.subtasks[busiest]!.recordsAfterWarmup) busiest = subtask.index;
  return {
    flink: {
      source: stats.source,
      parallelism: stats.parallelism,
      parallelismPerKpu: stats.parallelismPerKpu,
      maxParallelism: stats.maxParallelism,
      kpus: stats.kpus,
      billedKpus: stats.billedKpus,
      peakKpus: stats.peakKpus,
      perRecordUs: stats.perRecordUs,
      backpressuredShare: round(stats.backpressuredShare, 4),
      busiestSubtask: busiest,
      subtasks: stats.subtasks.map((subtask) => ({
        index: subtask.index,
        kpu: subtask.kpu,
        keyGroups: [subtask.keyGroupFirst, subtask.keyGroupLast] as [number, number],
        records: subtask.records,
        recordsShare: processed > 0 ? round(subtask.recordsAfterWarmup / processed, 4) : null,
        fairShare: processed > 0 ? round(subtask.fairShare, 4) : null,
        busyMean: round(subtask.meanBusyAfterWarmup, 4),
        busyPeak: round(subtask.peakBusy, 4),
        capacityRecordsPerSecond: Number.isFinite(subtask.capacityRecordsPerSecond) ? round(subtask.capacityRecordsPerSecond, 1) : null,
        topKeys: subtask.topKeys.map((top) => ({ key: top.key, keyGroup: top.keyGroup, records: top.records })),
      })),
      billed: { kpuHours: round(stats.kpuHoursAfterWarmup, 4) },
      checkpoints: checkpointSummary(stats.checkpoints),
      ...(stats.windows === undefined
        ? {}
        : {
            windows: {
              sizeSeconds: stats.windows.sizeUs / 1e6,
              slideSeconds: stats.windows.slideUs / 1e6,
              outOfOrdernessSeconds: stats.windows.outOfOrdernessUs / 1e6,
              allowedLatenessSeconds: stats.windows.allowedLatenessUs / 1e6,
              windowsFired: stats.windows.windowsFired,
              lateRecords: stats.windows.lateRecords,
              outputLatencyMs: {
                p50: round(stats.windows.outputLatency.quantile(0.5) / 1000),
                p99: round(stats.windows.outputLatency.quantile(0.99) / 1000),
                max: round(stats.windows.outputLatency.max / 1000),
              },
              ...sessionSummary(stats.windows),
            },
          }),
    },
  };
}

function sessionSummary(windows: NonNullable<NonNullable<ConsumerResult["flink"]>["windows"]>): { sessions?: NonNullable<NonNullable<FlinkConsumerSummary["windows"]>["sessions"]> } {
  const sessions = windows.sessions;
  if (sessions === undefined) return {};
  const empty = sessions.lengthUs.count === 0;
  // A quantile is its histogram bucket's middle (within 1%); a session holds whole records, so its
  // quantiles are given as whole numbers (the mean stays a fraction).
  const quantiles = (histogram: typeof sessions.lengthUs, scale: number, digits: number): { mean: number | null; p50: number | null; p99: number | null } => ({
    mean: empty ? null : round(histogram.mean / scale, 3),
    p50: empty ? null : round(histogram.quantile(0.5) / scale, digits),
    p99: empty ? null : round(histogram.quantile(0.99) / scale, digits),
  });
  return {
    sessions: {
      gapSeconds: (windows.sessionGapUs ?? 0) / 1e6,
      lengthSeconds: quantiles(sessions.lengthUs, 1e6, 3),
      recordsPerSession: quantiles(sessions.recordsPerSession, 1, 0),
      activeSessionsPeak: sessions.activeSessionsPeak,
      activeSessionsAtEnd: sessions.activeSessionsAtEnd,
    },
  };
}
