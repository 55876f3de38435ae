// Per-setting statistics across replications, and the metrics the summary and charts show.

import * as aq from "arquero";
import type { ParameterValue } from "../../sim/scenario/index.ts";
import type { RunRow, SweepPlan } from "../../sim/sweep/index.ts";
import { metricColumns } from "./csv.ts";
import { meanCi, type MeanCi } from "./stats.ts";

export interface SettingStats {
  combination: number;
  values: ParameterValue[];
  finishedRuns: number;
  failedRuns: number;
  metrics: Record<string, MeanCi>;
}

/** The metrics a reader compares first: the goal's, then throttling, latency, utilisation, lag and monthly cost of each system. */
const keyMetricPattern =
  /\.(records\.throttledAttempts|producerLatencyMs\.p99|partitions\.peakWriteUtilization\.max|consumers\.[^.]+\.lagMs\.p99|consumers\.[^.]+\.endToEndLatencyMs\.p99|cost\.monthlyUsd)$/;

export function keyMetrics(plan: SweepPlan, rows: RunRow[]): string[] {
  const names = metricColumns(rows).filter((name) => keyMetricPattern.test(name));
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
      const collected = (setting?.[columns[index]] ?? []) as Array<number | null>;
      stats[name] = meanCi(collected.filter((value): value is number => value !== null));
    });
    const finishedRuns = Number(setting?.finished ?? 0);
    return { combination, values, finishedRuns, failedRuns: Number(setting?.runs ?? 0) - finishedRuns, metrics: stats };
  });
}

/** "systems.kds.capacity.shards = 12, workload.sensors.keys.exponent = 1.1" */
export function settingLabel(plan: SweepPlan, values: ParameterValue[]): string {
  if (plan.parameters.length === 0) return "the scenario as written";
  return plan.parameters.map((name, index) => `${name} = ${values[index]}`).join(", ");
}

/** A number for tables: up to 3 decimals, no trailing zeros; an empty statistic as a dash. */
export function shown(value: number | null): string {
  if (value === null) return "–";
  return Number.isInteger(value) ? String(value) : String(Math.round(value * 1000) / 1000);
}
