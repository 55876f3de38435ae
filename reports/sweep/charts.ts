// Sweep charts (vega-lite, rendered by reports/charts/render.ts): a metric against the swept
// parameter with its 95% confidence band, one line per system (and consumer); a heatmap of the
// goal's (or first key) metric for a two-parameter grid.

import type { ChartSpec } from "../charts/render.ts";
import type { SweepPlan } from "../../sim/sweep/index.ts";
import type { SweepDocument } from "./document.ts";

export interface SweepChart {
  file: string;
  title: string;
  spec: ChartSpec;
}

/** Metric families drawn against the parameter: one line per metric of the family. */
const families: Array<{ file: string; title: string; pattern: RegExp }> = [
  { file: "lag-p99", title: "Consumer lag p99 (ms)", pattern: /\.consumers\.[^.]+\.lagMs\.p99$/ },
  { file: "throttled", title: "Throttled write attempts", pattern: /\.records\.throttledAttempts$/ },
  { file: "peak-write-utilization", title: "Peak write utilisation of the busiest shard or partition", pattern: /\.partitions\.peakWriteUtilization\.max$/ },
  { file: "producer-latency-p99", title: "Producer latency p99 (ms)", pattern: /\.producerLatencyMs\.p99$/ },
  { file: "cost", title: "Monthly cost (USD)", pattern: /\.cost\.monthlyUsd$/ },
];

export function sweepCharts(plan: SweepPlan, document: SweepDocument): SweepChart[] {
  if (plan.combinations.length < 2) return [];
  const charts: SweepChart[] = [];
  const goal = plan.goal;
  if (goal !== null) charts.push(lineChart(plan, document, "goal", `${goal.metric} (goal: ${goal.bound} ${goal.limit})`, [goal.metric], goal.limit));
  for (const family of families) {
    const metrics = document.metrics.filter((name) => family.pattern.test(name) && name !== goal?.metric);
    if (metrics.length > 0) charts.push(lineChart(plan, document, family.file, family.title, metrics, null));
  }
  if (plan.grid && plan.parameters.length === 2 && document.metrics.length > 0) charts.push(heatmap(plan, document, document.metrics[0]));
  return charts;
}

/** The parameter on the x axis: the goal's, else the first whose values are all numbers, else the first. */
function xParameter(plan: SweepPlan): number {
  if (plan.goal !== null) return plan.parameters.indexOf(plan.goal.parameter);
  const numeric = plan.parameters.findIndex((_, index) => plan.combinations.every((values) => typeof values[index] === "number"));
  return Math.max(0, numeric);
}

function lineChart(plan: SweepPlan, document: SweepDocument, file: string, title: string, metrics: string[], bound: number | null): SweepChart {
  const x = xParameter(plan);
  const numericX = plan.parameters.length > 0 && plan.combinations.every((values) => typeof values[x] === "number");
  const others = plan.parameters.map((_, index) => index).filter((index) => index !== x);
  const values = document.stats.flatMap((setting) =>
    metrics.map((metric) => {
      const ci = setting.metrics[metric];
      const rest = others.map((index) => `${plan.parameters[index].split(".").pop()}=${setting.values[index]}`).join(", ");
      return {
        x: plan.parameters.length === 0 ? setting.combination : setting.values[x],
        series: rest === "" ? metric : `${metric} (${rest})`,
        mean: ci.mean,
        low: ci.low ?? ci.mean,
        high: ci.high ?? ci.mean,
      };
    }),
  );
  const xEncoding = { field: "x", type: numericX ? "quantitative" : "ordinal", title: plan.parameters[x] ?? "combination", scale: numericX ? { zero: false } : undefined };
  const color = { field: "series", type: "nominal", title: null, legend: { orient: "bottom", direction: "vertical", labelLimit: 600 } };
  const layers: unknown[] = [
    { mark: { type: "area", opacity: 0.2 }, encoding: { x: xEncoding, y: { field: "low", type: "quantitative", title }, y2: { field: "high" }, color } },
    { mark: { type: "line", point: true }, encoding: { x: xEncoding, y: { field: "mean", type: "quantitative", title }, color } },
  ];
  if (bound !== null) layers.push({ mark: { type: "rule", strokeDash: [6, 4], color: "#b00" }, encoding: { y: { datum: bound } } });
  const spec = { title: `${title}: mean and 95% CI across seeds`, width: 560, height: 280, data: { values }, layer: layers } as unknown as ChartSpec;
  return { file: `${file}.svg`, title, spec };
}

function heatmap(plan: SweepPlan, document: SweepDocument, metric: string): SweepChart {
  const values = document.stats.map((setting) => ({ a: String(setting.values[0]), b: String(setting.values[1]), mean: setting.metrics[metric].mean }));
  const order = (index: number) => [...new Set(plan.combinations.map((values) => String(values[index])))];
  const spec = {
    title: `${metric}: mean across seeds`,
    data: { values },
    width: 360,
    height: 240,
    encoding: {
      x: { field: "a", type: "ordinal", title: plan.parameters[0], sort: order(0) },
      y: { field: "b", type: "ordinal", title: plan.parameters[1], sort: order(1) },
    },
    layer: [
      { mark: "rect", encoding: { color: { field: "mean", type: "quantitative", title: null } } },
      { mark: { type: "text", fontSize: 11 }, encoding: { text: { field: "mean", type: "quantitative", format: ".3~g" } } },
    ],
  } as unknown as ChartSpec;
  return { file: "heatmap.svg", title: `${metric} by ${plan.parameters[0]} and ${plan.parameters[1]}`, spec };
}
