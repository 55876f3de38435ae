// Per-setting statistics across replications, and the metrics the summary and charts show.

import * as aq from "arquero";
import type { ParameterValue } from "../../sim/scenario/index.ts";
import type { RunRow, SweepPlan } from "../../sim/sweep/index.ts";
import { metricColumns } from "./csv.ts";
import { grouped } from "../numbers.ts";
import { meanCi, type MeanCi } from "./stats.ts";
import { parameterWords } from "./metric-words.ts";

export interface SettingStats {
  combination: number;
  values: ParameterValue[];
  finishedRuns: number;
  failedRuns: number;
  metrics: Record<string, MeanCi>;
}

/**
 * The metrics a reader compares first: the goal's, then throttling, latency, utilisation (Kafka: the
 * busiest partition's share of the writes over its fair share), lag and monthly cost of each system.
 */
const keyMetricPattern =
  /\.(records\.throttledAttempts|producerLatencyMs\.p99|partitions\.peakWriteUtilization\.max|partitions\.fairShareRatio\.max|consumers\.[^.]+\.lagMs\.p99|consumers\.[^.]+\.endToEndLatencyMs\.p99|cost\.monthlyUsd)$/;

export function keyMetrics(plan: SweepPlan, rows: RunRow[]): string[] {
  const columns = metricColumns(rows);
  // A system with a fair-share ratio is a Kafka one: its peakWriteUtilization.max is a part of a broker's load, not the partition's.
  const kafka = new Set(columns.filter((name) => name.endsWith(".partitions.fairShareRatio.max")).map((name) => name.split(".")[0]));
  const names = columns.filter((name) => keyMetricPattern.test(name) && !(name.endsWith(".partitions.peakWriteUtilization.max") && kafka.has(name.split(".")[0])));
  const goal = plan.goal?.metric;
  return goal === undefined ? names : [goal, ...names.filter((name) => name !== goal)];
}

/**
 * Groups the runs by setting (arquero) and gives each metric's mean and 95% interval over the finished
 * runs. Metric columns are named m0, m1, ... in the table (summary paths hold dots).
 */
export function aggregate(plan: SweepPlan, rows: RunRow[], metrics: string[]): SettingStats[] {
  const columns = metrics.map((_, index) => `m${index}`);
  const runs = aq.from(
    rows.map((row) => {
      const finished = row.status === "ok";
      const entry: Record<string, number | null> = { combination: row.combination, finished: finished ? 1 : 0 };
      metrics.forEach((name, index) => (entry[columns[index]] = finished ? (row.metrics[name] ?? null) : null));
      return entry;
    }),
  );
  const rollup: Record<string, unknown> = { runs: aq.op.count(), finished: aq.op.sum("finished") };
  for (const column of columns) rollup[column] = aq.op.array_agg(column);
  const bySetting = new Map<number, Record<string, unknown>>();
  if (rows.length > 0) {
    for (const setting of runs.groupby("combination").rollup(rollup as Parameters<typeof runs.rollup>[0]).objects() as Array<Record<string, unknown>>) {
      bySetting.set(setting.combination as number, setting);
    }
  }
  return plan.combinations.map((values, combination) => {
    const setting = bySetting.get(combination);
    const stats: Record<string, MeanCi> = {};
    metrics.forEach((name, index) => {
      const collected = ((setting?.[columns[index]] ?? []) as Array<number | null>).filter((value): value is number => value !== null);
      stats[name] = clippedAtZero(meanCi(collected), collected);
    });
    const finishedRuns = Number(setting?.finished ?? 0);
    return { combination, values, finishedRuns, failedRuns: Number(setting?.runs ?? 0) - finishedRuns, metrics: stats };
  });
}

/**
 * No metric of summary.json is negative (counts, latencies, utilization, cost): an interval reaching
 * below zero is cut at zero, so a reader never sees a negative throttle count. Metrics with a negative
 * value keep their interval as computed.
 */
function clippedAtZero(ci: MeanCi, values: number[]): MeanCi {
  if (ci.low === null || ci.low >= 0 || values.some((value) => value < 0)) return ci;
  return { ...ci, low: 0 };
}

/** Whether a metric is a quantile read from a log-bucket histogram (lag and latency p50/p99...): its values are bucket values. */
export function isHistogramQuantile(metric: string): boolean {
  return /(LatencyMs|lagMs)\.p\d+$/.test(metric);
}

/** "kds shard count = 12, sensors key zipf exponent = 1.1": the parameters in words (metric-words.ts). */
export function settingLabel(plan: SweepPlan, values: ParameterValue[]): string {
  if (plan.parameters.length === 0) return "the scenario as written";
  return plan.parameters.map((name, index) => `${parameterWords(name)} = ${values[index]}`).join(", ");
}

/**
 * A number for tables and sentences: from 1,000 up a whole number with its thousands grouped
 * (179,761), below it 4 significant digits (286.3, 4.07, 0.1523); never an exponent; an empty
 * statistic as a dash.
 */
export function shown(value: number | null): string {
  if (value === null) return "–";
  if (Math.abs(value) >= 1000) return grouped(value);
  if (value === 0) return "0";
  const rounded = Number(value.toPrecision(4));
  // toPrecision keeps 4 digits even below 1e-6, where String() would write an exponent.
  return Math.abs(rounded) >= 1e-6 ? String(rounded) : rounded.toFixed(10).replace(/0+$/, "");
}
