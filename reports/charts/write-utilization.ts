// Shard / partition x time heatmap of write load per column. Kinesis: what producers asked of the shard
// (first attempts) over its 1 MiB/s and 1,000 records/s, on the shared utilization scale
// (utilization-scale.ts), so colours mean the same in every report. Kafka: each partition's share of its
// topic's writes over the fair share (1x = even), on a scale of its own: a partition has no write limit
// of its own (its leader broker does, shown in the broker figures), and on the utilization scale every
// partition of a lightly loaded cluster was the same dark blue, hiding a partition at 2.4x its fair share.

import * as aq from "arquero";
import { fairDemandWithin, type SystemResult } from "../../sim/metrics/index.ts";
import { chartWidth, systemRows, intervalsPerColumn, timeX, type Chart } from "./common.ts";
import { axisText, chartText } from "./messages.ts";
import { fairShareColor, utilizationColor } from "./utilization-scale.ts";
import { utilizationText } from "../numbers.ts";
import { mostOpenIfResharded, resultSpans } from "../shard-count-words.ts";

/** Panels show at most this many partitions per system (the hottest), so a big stream stays legible. */
export const heatmapPartitionsMax = 40;

/** Narrowest column (pixels) that holds a value label such as "353%". */
const labelWidthMin = 26;

interface HeatmapCell {
  system: string;
  partition: string;
  order: number;
  column: number;
  minute: number;
  minuteEnd: number;
  /** Kinesis: write utilization (1 = the limit); Kafka: share of the topic's writes over the fair share (1 = even). */
  value: number;
  /** The value label drawn on the cell, "" for none. */
  label?: string;
}

type Labelling = "none" | "cells" | "row-peaks";

/**
 * How each group of systems is drawn: its colour scale, and which cells carry their value. Utilization:
 * from 100%, where a shard throttles: a 155% cell and a 120% one are shades of one red apart, and above
 * the clamp the colour says only "200% or more". Fair share: from 1.5x, so the hot partition reads as
 * "2.4×" and not as a shade of brown.
 */
export const heatmapLabelFrom = { utilization: 1, fairShare: 1.5 } as const;

const groups = {
  utilization: { color: () => utilizationColor("value", axisText.writeUtilization), labelFrom: heatmapLabelFrom.utilization, label: utilizationText },
  fairShare: { color: () => fairShareColor("value", [...axisText.fairShareRatio]), labelFrom: heatmapLabelFrom.fairShare, label: (value: number) => `${value.toFixed(1)}×` },
} as const;

export function writeUtilizationChart(systems: SystemResult[]): Chart | null {
  const shown = systems.filter((system) => system.partitions.length > 0);
  const kafka = shown.filter((system) => system.kind === "kafka");
  const others = shown.filter((system) => system.kind !== "kafka");
  const panels = [
    { systems: others, group: groups.utilization, rows: others.flatMap(utilizationRows) },
    { systems: kafka, group: groups.fairShare, rows: kafka.flatMap(fairShareRows) },
  ].filter((panel) => panel.rows.length > 0);
  if (panels.length === 0) return null;
  // The time axis runs to the end of the run: a panel whose shown shards all closed early still ends there.
  const endMinutes = Math.max(...shown.map(runEndMinutes));
  const built = panels.map((panel) => heatmapPanel(panel.systems, panel.rows, panel.group, endMinutes));
  const labelling = (systemsOf: SystemResult[]) => built[panels.findIndex((panel) => panel.systems === systemsOf)]?.labelling ?? "none";
  const specs = built.map((panel) => panel.spec);
  const title = others.length === 0 ? chartText.writeUtilization.kafkaTitle : chartText.writeUtilization.title;
  return {
    name: "write-utilization",
    caption: chartText.writeUtilization.caption(subsets(shown), { kinesis: others.length > 0 ? labelling(others) : null, kafka: kafka.length > 0 ? labelling(kafka) : null }),
    spec:
      specs.length === 1
        ? { title, ...specs[0] }
        : { title, vconcat: specs, resolve: { scale: { color: "independent" }, legend: { color: "independent" } } },
    marks: { markClass: "mark-rect", count: built.reduce((sum, panel) => sum + panel.cells, 0) },
  };
}

/** One faceted heatmap (a panel per system) of systems that share a colour scale. */
function heatmapPanel(systems: SystemResult[], rows: HeatmapCell[], group: (typeof groups)[keyof typeof groups], endMinutes: number) {
  const values = aq
    .from(rows)
    .groupby("system", "partition", "order", "column")
    .rollup({ minute: aq.op.min("minute"), minuteEnd: aq.op.max("minuteEnd"), value: aq.op.max("value") })
    .orderby("system", "order", "column")
    .objects() as HeatmapCell[];
  const columns = Math.max(...rows.map((row) => row.column)) + 1;
  // Cells above the clamp carry their value; where columns are too narrow for it, each row's peak does.
  const perCell = chartWidth / columns >= labelWidthMin;
  const labels = valueLabels(values, perCell, group.labelFrom, group.label);
  for (const cell of values) cell.label = labels.get(cell) ?? "";
  const rect = {
    mark: { type: "rect" },
    encoding: {
      x: timeX([{ minute: 0, minuteEnd: endMinutes }]),
      x2: { field: "minuteEnd" },
      y: { field: "partition", type: "nominal", title: axisText.partition, sort: { field: "order", op: "min" } },
      color: group.color(),
    },
  } as const;
  // Dark text on a white halo: legible on the darkest cell and on the pale ones beside it.
  const text = (mark: { color: string; stroke?: string; strokeWidth?: number; strokeJoin?: "round" }) =>
    ({
      transform: [{ filter: "datum.label !== ''" }, { calculate: "(datum.minute + datum.minuteEnd) / 2", as: "middle" }] as Array<{ filter: string } | { calculate: string; as: string }>,
      mark: { type: "text" as const, fontSize: 10, fontWeight: "bold" as const, baseline: "middle" as const, ...mark },
      encoding: {
        x: { field: "middle", type: "quantitative" },
        y: { field: "partition", type: "nominal", sort: { field: "order", op: "min" } },
        text: { field: "label", type: "nominal" },
      },
    }) as const;
  const layers = labels.size === 0 ? [rect] : [rect, text({ color: "white", stroke: "white", strokeWidth: 3, strokeJoin: "round" }), text({ color: "#1a1a1a" })];
  const labelling: Labelling = labels.size === 0 ? "none" : perCell ? "cells" : "row-peaks";
  const spec = {
    data: { values },
    facet: systemRows(systems.map((system) => system.name)),
    // Every panel draws its own time axis: a reviewer reading the top panel of a tall chart alone once had no time labels to read.
    resolve: { scale: { y: "independent" as const }, axis: { x: "independent" as const } },
    spec: {
      width: chartWidth,
      // A fixed panel height: vega-lite's per-step height fails inside a facet with independent y scales.
      // The panels together are at least as tall as their legend, which otherwise leaves a gap above the rows.
      height: Math.max(60, legendLengthPx(group) / systems.length, 12 * Math.max(...systems.map((system) => Math.min(system.partitions.length, heatmapPartitionsMax)))),
      layer: layers,
    },
  };
  return { spec, labelling, cells: values.length };
}

/** The length of a panel group's colour legend, in pixels. */
function legendLengthPx(group: (typeof groups)[keyof typeof groups]): number {
  return group.color().legend.gradientLength;
}

/**
 * The value labels ("383%", "2.4×") of cells at or above `from`: every such cell when columns hold a
 * label, otherwise each row's peak (its first hottest cell), so two hot shards at 383% and 214% still read apart.
 */
function valueLabels(cells: HeatmapCell[], perCell: boolean, from: number, text: (value: number) => string): Map<HeatmapCell, string> {
  const over = cells.filter((cell) => cell.value >= from);
  const chosen = perCell ? over : [...rowPeaks(over).values()];
  return new Map(chosen.map((cell) => [cell, text(cell.value)]));
}

function rowPeaks(cells: HeatmapCell[]): Map<string, HeatmapCell> {
  const peaks = new Map<string, HeatmapCell>();
  for (const cell of cells) {
    const key = `${cell.system}\u0000${cell.partition}`;
    const peak = peaks.get(key);
    if (peak === undefined || cell.value > peak.value) peaks.set(key, cell);
  }
  return peaks;
}

/** Whether the partition took writes during interval i (a shard made by a split starts later). */
function openDuring(partition: SystemResult["partitions"][number], i: number): boolean {
  const series = partition.series.offeredRecords;
  const endUs = series.startUsAt(i) + series.durationUsAt(i);
  return endUs > partition.openedUs && (partition.closedUs === null || series.startUsAt(i) < partition.closedUs);
}

function cellRows(system: SystemResult, hottest: SystemResult["partitions"], valueAt: (partition: SystemResult["partitions"][number], i: number) => number): HeatmapCell[] {
  const order = new Map(system.partitions.map((partition, index) => [partition.id, index]));
  return hottest.flatMap((partition) => {
    const series = partition.series.offeredRecords;
    const perColumn = intervalsPerColumn(series.intervalCount);
    const rows: HeatmapCell[] = [];
    for (let i = 0; i < series.intervalCount; i++) {
      if (!openDuring(partition, i)) continue;
      const endUs = series.startUsAt(i) + series.durationUsAt(i);
      rows.push({ system: system.name, partition: partition.id, order: order.get(partition.id)!, column: Math.floor(i / perColumn), minute: series.startUsAt(i) / 60e6, minuteEnd: endUs / 60e6, value: valueAt(partition, i) });
    }
    return rows;
  });
}

/** When the run's report intervals end, in minutes. */
function runEndMinutes(system: SystemResult): number {
  const series = system.partitions[0].series.offeredRecords;
  const last = series.intervalCount - 1;
  return (series.startUsAt(last) + series.durationUsAt(last)) / 60e6;
}

/** The systems whose panel shows only some of their shards or partitions, for the caption. */
function subsets(systems: SystemResult[]) {
  return systems
    .filter((system) => system.partitions.length > heatmapPartitionsMax)
    .map((system) => ({ system: system.name, kafka: system.kind === "kafka", shown: heatmapPartitionsMax, total: system.partitions.length, mostOpen: mostOpenIfResharded(resultSpans(system.partitions)) }));
}

/**
 * The shards a Kinesis panel shows: the hottest of every part of the run. One at a time, the time
 * column that the shards chosen so far cover least (of those with a shard left to choose; the hotter
 * column first on a tie) gives its hottest shard not yet chosen. A stream that autoscales through
 * generations of shards so shows each generation's hottest, where the highest peaks alone (the first
 * generation's, throttling before the first scale-up) once filled the panel and cut the time axis off
 * hours before the run ended.
 */
export function hottestOverRun(system: SystemResult): SystemResult["partitions"] {
  const partitions = system.partitions;
  if (partitions.length <= heatmapPartitionsMax) return partitions;
  const series = partitions[0].series.offeredRecords;
  const perColumn = intervalsPerColumn(series.intervalCount);
  const columns = Math.ceil(series.intervalCount / perColumn);
  // Each shard's hottest interval in each column, NaN where it was not open.
  const values = partitions.map((partition) => {
    const byColumn = new Float64Array(columns).fill(Number.NaN);
    for (let i = 0; i < series.intervalCount; i++) {
      if (!openDuring(partition, i)) continue;
      const column = Math.floor(i / perColumn);
      const value = partition.writeUtilization[i];
      if (Number.isNaN(byColumn[column]) || value > byColumn[column]) byColumn[column] = value;
    }
    return byColumn;
  });
  const covered = new Int32Array(columns);
  const chosen = new Set<number>();
  while (chosen.size < heatmapPartitionsMax) {
    let best: { column: number; partition: number } | null = null;
    for (let column = 0; column < columns; column++) {
      let hottest = -1;
      for (let index = 0; index < partitions.length; index++) {
        if (chosen.has(index) || Number.isNaN(values[index][column])) continue;
        if (hottest < 0 || values[index][column] > values[hottest][column]) hottest = index;
      }
      if (hottest < 0) continue;
      if (best === null || covered[column] < covered[best.column] || (covered[column] === covered[best.column] && values[hottest][column] > values[best.partition][best.column])) best = { column, partition: hottest };
    }
    if (best === null) break;
    chosen.add(best.partition);
    for (let column = 0; column < columns; column++) if (!Number.isNaN(values[best.partition][column])) covered[column] += 1;
  }
  return partitions.filter((_, index) => chosen.has(index));
}

function utilizationRows(system: SystemResult): HeatmapCell[] {
  return cellRows(system, hottestOverRun(system), (partition, i) => partition.writeUtilization[i]);
}

/**
 * Each partition's share of the topic's bytes asked for (first attempts, what the keys send it) in each
 * interval, over its fair share: 1 is an even split, 2.4 a partition taking 2.4 times its part. The fair
 * share is 1/n of the n partitions open throughout (Kafka's), and counts one opened or closed inside the
 * interval for its part of it, beside the partitions open then, as the hot-shard finding does
 * (fairDemandWithin). An interval with no writes at all is 0.
 */
function fairShareRows(system: SystemResult): HeatmapCell[] {
  const partitions = system.partitions;
  const series = partitions[0].series.demandBytes;
  const fair = Array.from({ length: series.intervalCount }, (_, i) => {
    const total = partitions.reduce((sum, partition) => sum + partition.series.demandBytes.sumAt(i), 0);
    return fairDemandWithin(partitions, series.startUsAt(i), series.startUsAt(i) + series.durationUsAt(i), total);
  });
  const order = new Map(partitions.map((partition, index) => [partition, index]));
  const hottest = [...partitions].sort((a, b) => b.series.demandBytes.total - a.series.demandBytes.total || b.acceptedRecords - a.acceptedRecords || a.id.localeCompare(b.id)).slice(0, heatmapPartitionsMax);
  return cellRows(system, hottest, (partition, i) => {
    const part = fair[i][order.get(partition)!];
    return part > 0 ? partition.series.demandBytes.sumAt(i) / part : 0;
  });
}
