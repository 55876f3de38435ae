// Per-setting statistics across replications, and the metrics the summary and charts show.

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

export function aggregate(plan: SweepPlan, rows: RunRow[], metrics: string[]): SettingStats[] {
  return plan.combinations.map((values, combination) => {
    const runs = rows.filter((row) => row.combination === combination);
    const finished = runs.filter((row) => row.status === "ok");
    const stats: Record<string, MeanCi> = {};
    for (const name of metrics) {
      stats[name] = meanCi(finished.map((row) => row.metrics[name] ?? null).filter((value): value is number => value !== null));
    }
    return { combination, values, finishedRuns: finished.length, failedRuns: runs.length - finished.length, metrics: stats };
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
