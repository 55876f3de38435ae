// Flink applications: a subtask x time heatmap of each keyed subtask's busy time (Flink's
// busyTimeMsPerSecond / 1000), on the shared utilization scale the shard heatmap uses, so a hot
// subtask reads like a hot shard: at 100% it cannot take more, and backpressure stops the source.

import * as aq from "arquero";
import type { SystemResult } from "../../sim/metrics/index.ts";
import { chartWidth, intervalsPerColumn, timeX, type Chart } from "./common.ts";
import { utilizationColor } from "./utilization-scale.ts";
import { parallelismSteps } from "../flink-parallelism.ts";

/** Rows shown per application: its busiest subtasks. */
export const flinkSubtasksShownMax = 40;

const text = {
  title: "Flink applications: busy time per keyed subtask",
  caption: (shown: number) =>
    `Each row is a keyed subtask ("system · application #subtask (kg key groups)"): its busy time per step (Flink's busyTimeMsPerSecond), busiest subtasks first (at most ${shown} per application), on the same colour scale as the shard heatmap. ` +
    "A subtask the parallelism left out (before a scale-up, after a scale-down) draws nothing, leaving the grey ground, while it did not run; key groups are those a subtask held last. " +
    "A subtask at 100% cannot process more: its input fills and backpressure stops the source, so every shard's lag grows. One row far hotter than the rest is a hot key group; more parallelism spreads key groups, not a single key.",
  busy: "busy time",
};

interface Cell {
  application: string;
  subtask: string;
  order: number;
  column: number;
  minute: number;
  minuteEnd: number;
  busy: number;
}

export function flinkChart(systems: SystemResult[], warmupUs = 0): Chart | null {
  const rows = systems.flatMap((system, systemIndex) => flinkRows(system, warmupUs, systemIndex));
  if (rows.length === 0) return null;
  const values = aq
    .from(rows)
    .groupby("application", "subtask", "order", "column")
    .rollup({ minute: aq.op.min("minute"), minuteEnd: aq.op.max("minuteEnd"), busy: aq.op.mean("busy") })
    .orderby("application", "order", "column")
    .objects();
  const subtaskRows = new Set(rows.map((row) => `${row.application}\u0000${row.subtask}`)).size;
  return {
    name: "flink-subtasks",
    caption: text.caption(flinkSubtasksShownMax),
    spec: {
      title: text.title,
      data: { values },
      width: chartWidth,
      // At least as tall as the colour legend and the axis title, which otherwise leave an empty band above the rows.
      height: Math.max(utilizationColor("busy", text.busy).legend.gradientLength, 14 * subtaskRows),
      // A grey ground: a subtask that did not run draws no cell, which must not read as the scale's
      // near-white 80%.
      view: { fill: notRunningGrey },
      mark: { type: "rect" },
      encoding: {
        x: timeX(values as Array<{ minute: number; minuteEnd: number }>),
        x2: { field: "minuteEnd" },
        // No axis title: vega sized the long rotated title as if upright and left an empty band above the
        // rows; the caption says what a row name holds.
        y: { field: "subtask", type: "nominal", title: null, sort: { field: "order", op: "min" }, axis: { labelLimit: 320 } },
        color: utilizationColor("busy", text.busy),
      },
    },
    marks: { markClass: "mark-rect", count: values.length },
  };
}

/** The ground of the Flink heatmap, where a subtask did not run (no cell). */
const notRunningGrey = "#d9d9d9";

function flinkRows(system: SystemResult, warmupUs: number, systemIndex: number): Cell[] {
  return system.consumers.flatMap((consumer, consumerIndex) => {
    const stats = consumer.flink;
    if (stats === undefined) return [];
    const application = `${system.name} · ${consumer.name}`;
    const shown = [...stats.subtasks].sort((a, b) => b.recordsAfterWarmup - a.recordsAfterWarmup || a.index - b.index).slice(0, flinkSubtasksShownMax);
    const intervals = shown[0]?.busy.length ?? 0;
    const intervalUs = intervals > 0 ? consumer.lagSeries.intervalUs : 0;
    const perColumn = intervalsPerColumn(intervals);
    const steps = parallelismSteps(stats.initialParallelism, stats.checkpoints.restarts.map((restart) => ({ atUs: restart.atUs, parallelism: restart.parallelism })));
    const cells: Cell[] = [];
    shown.forEach((subtask, rank) => {
      for (let i = 0; i < intervals; i++) {
        const startUs = i * intervalUs;
        if (startUs + intervalUs <= warmupUs) continue;
        // A subtask beyond the parallelism of the whole interval did not run: no cell, as for a closed shard.
        if (!steps.some((step, s) => step.parallelism > subtask.index && step.fromUs < startUs + intervalUs && (steps[s + 1]?.fromUs ?? Infinity) > startUs)) continue;
        cells.push({
          application,
          subtask: `${system.name} · ${consumer.name} #${subtask.index} (kg ${subtask.keyGroupFirst}-${subtask.keyGroupLast})`,
          order: (systemIndex * 1000 + consumerIndex) * 100_000 + rank,
          column: Math.floor(i / perColumn),
          minute: startUs / 60e6,
          minuteEnd: Math.min(startUs + intervalUs, consumer.lagSeries.endUs) / 60e6,
          busy: subtask.busy[i]!,
        });
      }
    });
    return cells;
  });
}
