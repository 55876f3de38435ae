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
    .objects() as Array<{ utilization: number }>;
  const systemNames = systems.filter((system) => system.partitions.length > 0).map((system) => system.name);
  const columns = Math.max(...values.map((row) => (row as unknown as { column: number }).column)) + 1;
  // Cells above the clamp carry their value, when columns are wide enough to hold it.
  const labelled = chartWidth / columns >= labelWidthMin;
  const over = values.filter((row) => row.utilization > utilizationClampMax).length;
  const rect = {
    mark: { type: "rect" },
    encoding: {
      x: { field: "minute", type: "quantitative", title: axisText.time, scale: { nice: false }, axis: { format: ".1~f" } },
      x2: { field: "minuteEnd" },
      y: { field: "partition", type: "nominal", title: axisText.partition, sort: { field: "order", op: "min" } },
      color: utilizationColor("utilization", axisText.writeUtilization),
    },
  } as const;
  const label = {
    transform: [{ filter: `datum.utilization > ${utilizationClampMax}` }, { calculate: "(datum.minute + datum.minuteEnd) / 2", as: "middle" }] as Array<{ filter: string } | { calculate: string; as: string }>,
    mark: { type: "text", fontSize: 9, color: "white", baseline: "middle" },
    encoding: {
      x: { field: "middle", type: "quantitative" },
      y: { field: "partition", type: "nominal", sort: { field: "order", op: "min" } },
      text: { field: "utilization", type: "quantitative", format: ".0%" },
    },
  } as const;
  return {
    name: "write-utilization",
    caption: chartText.writeUtilization.caption(heatmapPartitionsMax, over > 0 && labelled),
    spec: {
      title: chartText.writeUtilization.title,
      data: { values },
      facet: systemRows(systemNames),
      resolve: { scale: { y: "independent" } },
      spec: {
        width: chartWidth,
        // A fixed panel height: vega-lite's per-step height fails inside a facet with independent y scales.
        height: Math.max(60, 12 * Math.max(...systems.map((system) => Math.min(system.partitions.length, heatmapPartitionsMax)))),
        layer: over > 0 && labelled ? [rect, label] : [rect],
      },
    },
    marks: { markClass: "mark-rect", count: values.length },
  };
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
