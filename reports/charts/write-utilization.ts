// Shard / partition x time heatmap of write utilization per column. Kinesis: what producers asked of
// the shard (first attempts) over its 1 MiB/s and 1,000 records/s; Kafka: the partition's part of its
// leader broker's utilization. One panel per system on the shared utilization scale
// (utilization-scale.ts), so hot shards stand out at a glance and colours mean the same in every report.

import * as aq from "arquero";
import type { SystemResult } from "../../sim/metrics/index.ts";
import { chartWidth, systemRows, intervalsPerColumn, type Chart } from "./common.ts";
import { axisText, chartText } from "./messages.ts";
import { utilizationClampMax, utilizationColor } from "./utilization-scale.ts";

/** Panels show at most this many partitions per system (the hottest), so a big stream stays legible. */
export const heatmapPartitionsMax = 40;

/** Narrowest column (pixels) that holds a value label such as "353%". */
const labelWidthMin = 26;

export function writeUtilizationChart(systems: SystemResult[]): Chart | null {
  const rows = systems.flatMap(utilizationRows);
  if (rows.length === 0) return null;
  const values = aq
    .from(rows)
    .groupby("system", "partition", "order", "column")
    .rollup({ minute: aq.op.min("minute"), minuteEnd: aq.op.max("minuteEnd"), utilization: aq.op.max("utilization") })
    .orderby("system", "order", "column")
    .select("system", "partition", "order", "minute", "minuteEnd", "utilization")
    .objects() as HeatmapCell[];
  const systemNames = systems.filter((system) => system.partitions.length > 0).map((system) => system.name);
  const columns = Math.max(...rows.map((row) => row.column)) + 1;
  // Cells above the clamp carry their value; where columns are too narrow for it, each row's peak does.
  const perCell = chartWidth / columns >= labelWidthMin;
  const labels = clampedLabels(values, perCell);
  for (const cell of values) cell.label = labels.get(cell) ?? "";
  const rect = {
    mark: { type: "rect" },
    encoding: {
      x: { field: "minute", type: "quantitative", title: axisText.time, scale: { nice: false }, axis: { format: ".1~f" } },
      x2: { field: "minuteEnd" },
      y: { field: "partition", type: "nominal", title: axisText.partition, sort: { field: "order", op: "min" } },
      color: utilizationColor("utilization", axisText.writeUtilization),
    },
  } as const;
  // Dark text on a white halo: legible on the dark red of a clamped cell and on the blue of its neighbours.
  const text = (mark: { color: string; stroke?: string; strokeWidth?: number; strokeJoin?: "round" }) => ({
    transform: [{ filter: "datum.label !== ''" }, { calculate: "(datum.minute + datum.minuteEnd) / 2", as: "middle" }] as Array<{ filter: string } | { calculate: string; as: string }>,
    mark: { type: "text" as const, fontSize: 10, fontWeight: "bold" as const, baseline: "middle" as const, ...mark },
    encoding: {
      x: { field: "middle", type: "quantitative" },
      y: { field: "partition", type: "nominal", sort: { field: "order", op: "min" } },
      text: { field: "label", type: "nominal" },
    },
  }) as const;
  const layers = labels.size === 0 ? [rect] : [rect, text({ color: "white", stroke: "white", strokeWidth: 3, strokeJoin: "round" }), text({ color: "#1a1a1a" })];
  return {
    name: "write-utilization",
    caption: chartText.writeUtilization.caption(heatmapPartitionsMax, labels.size === 0 ? "none" : perCell ? "cells" : "row-peaks"),
    spec: {
      title: chartText.writeUtilization.title,
      data: { values },
      facet: systemRows(systemNames),
      resolve: { scale: { y: "independent" } },
      spec: {
        width: chartWidth,
        // A fixed panel height: vega-lite's per-step height fails inside a facet with independent y scales.
        height: Math.max(60, 12 * Math.max(...systems.map((system) => Math.min(system.partitions.length, heatmapPartitionsMax)))),
        layer: layers,
      },
    },
    marks: { markClass: "mark-rect", count: values.length },
  };
}

interface HeatmapCell {
  system: string;
  partition: string;
  order: number;
  minute: number;
  minuteEnd: number;
  utilization: number;
  /** The value label drawn on the cell, "" for none. */
  label?: string;
}

/**
 * The value labels of cells above the clamp ("383%"), whose colour alone says only "200% or more": every
 * such cell when columns hold a label, otherwise each row's peak (its first hottest cell), so two hot
 * shards at 383% and 214% still read apart.
 */
export function clampedLabels(cells: HeatmapCell[], perCell: boolean): Map<HeatmapCell, string> {
  const over = cells.filter((cell) => cell.utilization > utilizationClampMax);
  const chosen = perCell ? over : [...rowPeaks(over).values()];
  return new Map(chosen.map((cell) => [cell, `${Math.round(cell.utilization * 100)}%`]));
}

function rowPeaks(cells: HeatmapCell[]): Map<string, HeatmapCell> {
  const peaks = new Map<string, HeatmapCell>();
  for (const cell of cells) {
    const key = `${cell.system}\u0000${cell.partition}`;
    const peak = peaks.get(key);
    if (peak === undefined || cell.utilization > peak.utilization) peaks.set(key, cell);
  }
  return peaks;
}

function utilizationRows(system: SystemResult) {
  // Kafka partitions of one broker share its busy share: the busiest by records come first among equals.
  const hottest = [...system.partitions]
    .sort((a, b) => b.peakWriteUtilization - a.peakWriteUtilization || b.acceptedRecords - a.acceptedRecords || a.id.localeCompare(b.id))
    .slice(0, heatmapPartitionsMax);
  const order = new Map(system.partitions.map((partition, index) => [partition.id, index]));
  return hottest.flatMap((partition) => {
    const series = partition.series.offeredRecords;
    const perColumn = intervalsPerColumn(series.intervalCount);
    const rows = [];
    for (let i = 0; i < partition.writeUtilization.length; i++) {
      // Only the intervals the partition was open: a shard made by a split starts later.
      const endUs = series.startUsAt(i) + series.durationUsAt(i);
      if (endUs <= partition.openedUs || (partition.closedUs !== null && series.startUsAt(i) >= partition.closedUs)) continue;
      rows.push({ system: system.name, partition: partition.id, order: order.get(partition.id)!, column: Math.floor(i / perColumn), minute: series.startUsAt(i) / 60e6, minuteEnd: endUs / 60e6, utilization: partition.writeUtilization[i] });
    }
    return rows;
  });
}
