// Autoscaled consumers over time: the consumer count (working, solid; asked for, dashed) above the
// consumer's lag, coloured by system, so a reader sees whether the count followed the backlog, how
// late it came (start-up delay between dashed and solid), and whether it oscillated. A Kafka group's
// members beyond its partitions are drawn too (dotted): they add to the count, not to the draining.

import * as aq from "arquero";
import type { SystemResult } from "../../sim/metrics/index.ts";
import { chartWidth, distinctCount, intervalsPerColumn, systemColor, timeX, type Chart } from "./common.ts";

const text = {
  title: "Autoscaled consumers: consumer count and lag",
  caption:
    "Upper panel: each autoscaled consumer's count over time: consumers working (solid, mean over each step), consumers asked for by the policy (dashed: the gap is the start-up delay), and for Kafka groups the members idle beyond the partition count (dotted). Lower panel: the consumer's lag (age of the oldest record not processed), largest per step. A count rising only after the lag has climbed means scaling came late; a count stepping up and down within minutes, oscillation; idle members, replicas past the partition count that lower no lag.",
  count: "consumers",
  lag: "lag (s)",
  consumer: "system · consumer",
  measure: "count",
};

const measures = { running: "working", desired: "asked for", idle: "idle beyond partitions" } as const;

interface CountRow {
  system: string;
  consumer: string;
  series: string;
  measure: string;
  column: number;
  minute: number;
  value: number;
}

export function consumerAutoscalingChart(systems: SystemResult[], warmupUs = 0): Chart | null {
  const counts = systems.flatMap((system) => countRows(system, warmupUs));
  if (counts.length === 0) return null;
  const lags = systems.flatMap((system) => lagRows(system, warmupUs));
  const countValues = aq.from(counts).groupby("system", "consumer", "series", "measure", "column").rollup({ minute: aq.op.min("minute"), value: aq.op.mean("value") }).orderby("system", "consumer", "measure", "column").objects();
  const lagValues = lags.length === 0 ? [] : aq.from(lags).groupby("system", "consumer", "series", "measure", "column").rollup({ minute: aq.op.min("minute"), value: aq.op.max("value") }).orderby("system", "consumer", "column").objects();
  const color = systemColor(systems.map((system) => system.name));
  // Only the measures drawn are in the legend (an SQS fleet has no idle members to show).
  const dashes: Array<[string, number[]]> = [[measures.running, [1, 0]], [measures.desired, [6, 3]], [measures.idle, [1, 3]]];
  const drawn = dashes.filter(([measure]) => counts.some((row) => row.measure === measure));
  const panel = (values: object[], title: string, dashed: boolean) => ({
    width: chartWidth,
    height: 160,
    data: { values },
    mark: { type: "line" as const, interpolate: "step-after" as const, point: false },
    encoding: {
      x: timeX([...countValues, ...lagValues] as Array<{ minute: number }>),
      y: { field: "value", type: "quantitative" as const, title },
      color,
      ...(dashed
        ? { strokeDash: { field: "measure", type: "nominal" as const, title: text.measure, scale: { domain: drawn.map((entry) => entry[0]), range: drawn.map((entry) => entry[1]) } } }
        : {}),
      detail: [{ field: "system" }, { field: "consumer" }, { field: "measure" }],
    },
  });
  return {
    name: "consumer-autoscaling",
    caption: text.caption,
    spec: { title: text.title, vconcat: [panel(countValues, text.count, true), panel(lagValues, text.lag, false)] },
    marks: { markClass: "mark-line", count: distinctCount(countValues, ["system", "consumer", "measure"]) + distinctCount(lagValues, ["system", "consumer"]) },
  };
}

function countRows(system: SystemResult, warmupUs: number): CountRow[] {
  return system.consumers.flatMap((consumer) => {
    const stats = consumer.autoscaling;
    if (stats === undefined) return [];
    const series = `${system.name} · ${consumer.name}`;
    const gauges = [
      [measures.running, stats.running],
      [measures.desired, stats.desired],
      ...(stats.idle === undefined || stats.peakIdle === 0 ? [] : [[measures.idle, stats.idle] as const]),
    ] as const;
    return gauges.flatMap(([measure, gauge]) => {
      const arrays = gauge.toArrays();
      const perColumn = intervalsPerColumn(arrays.mean.length);
      const rows: CountRow[] = [];
      for (let i = 0; i < arrays.mean.length; i++) {
        if (arrays.startUs[i] + arrays.durationUs[i] <= warmupUs) continue;
        const value = measure === measures.running ? arrays.mean[i] : arrays.last[i];
        rows.push({ system: system.name, consumer: consumer.name, series, measure, column: Math.floor(i / perColumn), minute: arrays.startUs[i] / 60e6, value: Number.isNaN(value) ? 0 : value });
      }
      const lastRow = rows[rows.length - 1];
      if (lastRow !== undefined) rows.push({ ...lastRow, column: lastRow.column + 1, minute: gauge.endUs / 60e6 });
      return rows;
    });
  });
}

function lagRows(system: SystemResult, warmupUs: number): CountRow[] {
  return system.consumers.flatMap((consumer) => {
    if (consumer.autoscaling === undefined) return [];
    const arrays = consumer.lagSeries.toArrays();
    const perColumn = intervalsPerColumn(arrays.max.length);
    const rows: CountRow[] = [];
    for (let i = 0; i < arrays.max.length; i++) {
      if (arrays.startUs[i] + arrays.durationUs[i] <= warmupUs) continue;
      const lagMs = arrays.max[i];
      rows.push({ system: system.name, consumer: consumer.name, series: `${system.name} · ${consumer.name}`, measure: "lag", column: Math.floor(i / perColumn), minute: arrays.startUs[i] / 60e6, value: Number.isNaN(lagMs) ? 0 : lagMs / 1000 });
    }
    return rows;
  });
}
