// Autoscaled Kinesis streams over time: the open shard count (a step line) against the shards the
// workload's demand needs at 100% of the write limit, with a dot at each UpdateShardCount call the
// alarms made (docs/reference.md §1.10). Scaling too late shows as the demand line above the shards.

import type { CounterSeries, KinesisResult, SystemResult } from "../../sim/metrics/index.ts";
import { openShardSteps } from "../autoscaling-summary.ts";
import { columnSums, columnsOf } from "./columns.ts";
import { chartWidth, systemColor, timeX, type Chart } from "./common.ts";
import { chartText } from "./messages.ts";

const text = chartText.autoscaling;

interface LineRow {
  system: string;
  measure: string;
  minute: number;
  shards: number;
}

interface CallRow {
  system: string;
  minute: number;
  shards: number;
  outcome: string;
}

export function autoscalingChart(systems: SystemResult[]): Chart | null {
  const scaled = systems.filter((system): system is KinesisResult => system.kind === "kinesis" && system.autoscaling !== undefined);
  if (scaled.length === 0) return null;
  const color = systemColor(systems.map((system) => system.name));
  const panels = scaled.map((system) => panel(system, color));
  return {
    name: "autoscaling",
    caption: text.caption,
    spec: { title: text.title, vconcat: panels },
    marks: { markClass: "mark-line", count: 2 * scaled.length },
  };
}

function panel(system: KinesisResult, color: ReturnType<typeof systemColor>) {
  const lines = [...openShardRows(system), ...neededRows(system)];
  const calls: CallRow[] = (system.autoscaling?.actions ?? []).map((action) => ({
    system: system.name,
    minute: action.atUs / 60e6,
    shards: action.toShards,
    outcome: action.outcome === "done" ? "done" : "refused",
  }));
  const x = timeX(lines);
  const y = { field: "shards", type: "quantitative" as const, title: text.shards };
  return {
    title: { text: system.name, anchor: "start" as const, fontSize: 13 },
    width: chartWidth,
    height: 180,
    layer: [
      {
        data: { values: lines },
        mark: { type: "line" as const, interpolate: "step-after" as const },
        encoding: { x, y, color, strokeDash: { field: "measure", type: "nominal" as const, title: text.measure, sort: [text.open, text.needed] }, detail: [{ field: "measure" }] },
      },
      {
        data: { values: calls },
        mark: { type: "point" as const, size: 40, filled: true },
        encoding: { x, y, color, opacity: { condition: { test: "datum.outcome === 'refused'", value: 0.35 }, value: 1 }, tooltip: [{ field: "outcome", title: text.call }] },
      },
    ],
  };
}

/** The open shard count as steps, carried to the end of the run. */
function openShardRows(system: KinesisResult): LineRow[] {
  const steps = openShardSteps(system.partitions);
  const series = system.series.DemandRecords as CounterSeries;
  const endMinute = (series.startUsAt(series.intervalCount - 1) + series.durationUsAt(series.intervalCount - 1)) / 60e6;
  const rows = steps.map((step) => ({ system: system.name, measure: text.open, minute: step.atSeconds / 60, shards: step.openShards }));
  rows.push({ ...rows[rows.length - 1], minute: endMinute });
  return rows;
}

/** Per chart column: demand (first attempts) over one shard's limit, in bytes or records, whichever needs more. */
function neededRows(system: KinesisResult): LineRow[] {
  const records = system.series.DemandRecords as CounterSeries;
  const bytes = system.series.DemandBytes as CounterSeries;
  const columns = columnsOf(records);
  const recordSums = columnSums(records, columns);
  const byteSums = columnSums(bytes, columns);
  const limits = system.autoscaling!;
  const rows = columns.startMinutes.map((minute, i) => {
    const seconds = columns.durationSeconds[i];
    const shards = Math.max(byteSums[i] / (limits.shardWriteBytesPerSecond * seconds), recordSums[i] / (limits.shardWriteRecordsPerSecond * seconds));
    return { system: system.name, measure: text.needed, minute, shards: Math.round(shards * 100) / 100 };
  });
  const last = rows[rows.length - 1];
  if (last !== undefined) rows.push({ ...last, minute: last.minute + columns.durationSeconds[columns.durationSeconds.length - 1] / 60 });
  return rows;
}
