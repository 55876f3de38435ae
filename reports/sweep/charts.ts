// Sweep charts (vega-lite, rendered by reports/charts/render.ts): a metric against the swept
// parameter, one point per setting and series with its 95% confidence interval as a bar, and nothing
// drawn between settings (a sweep measures the settings it ran, so a line would invent values between
// them: a goal rule would seem to be crossed at 20.5 shards); and a heatmap of the goal's (or first
// key) metric for a two-parameter grid. Axes are titled in words with units (metric-words.ts), numbers
// have no exponent, intervals stop at zero (no metric of summary.json is negative), and a numeric
// parameter whose values span two decades or more gets a log axis.

import type { ChartSpec } from "../charts/render.ts";
import type { SweepPlan } from "../../sim/sweep/index.ts";
import type { SweepDocument } from "./document.ts";
import { metricPhrase, metricValue, metricWords, numberFormat, parameterWords } from "./metric-words.ts";

export interface SweepChart {
  file: string;
  title: string;
  spec: ChartSpec;
}

/** Metric families drawn against the parameter: one series per metric of the family. */
const families: Array<{ file: string; title: string; pattern: RegExp }> = [
  { file: "lag-p99", title: "Consumer lag p99", pattern: /\.consumers\.[^.]+\.lagMs\.p99$/ },
  { file: "throttled", title: "Throttled write attempts", pattern: /\.records\.throttledAttempts$/ },
  { file: "peak-write-utilization", title: "Peak write utilization of the busiest shard or partition", pattern: /\.partitions\.peakWriteUtilization\.max$/ },
  { file: "producer-latency-p99", title: "Producer latency p99", pattern: /\.producerLatencyMs\.p99$/ },
  { file: "cost", title: "Monthly cost", pattern: /\.cost\.monthlyUsd$/ },
];

/** A numeric parameter whose largest value is at least this many times its smallest gets a log axis (two decades). */
export const logAxisRatioMin = 100;

export function sweepCharts(plan: SweepPlan, document: SweepDocument): SweepChart[] {
  if (plan.combinations.length < 2) return [];
  const charts: SweepChart[] = [];
  const goal = plan.goal;
  if (goal !== null) {
    const limit = metricValue(goal.metric, goal.limit);
    const title = `Goal: ${metricPhrase(goal.metric)} ${goal.bound} ${limit}`;
    charts.push(pointChart(plan, document, "goal", title, [goal.metric], { value: goal.limit, label: `goal: ${goal.bound} ${limit}` }));
  }
  for (const family of families) {
    const metrics = document.metrics.filter((name) => family.pattern.test(name) && name !== goal?.metric);
    if (metrics.length > 0) charts.push(pointChart(plan, document, family.file, family.title, metrics, null));
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

/** The x encoding: the swept values only as ticks; a log scale when positive numbers span two decades. */
function xEncoding(plan: SweepPlan, x: number) {
  const numeric = plan.parameters.length > 0 && plan.combinations.every((values) => typeof values[x] === "number");
  const title = plan.parameters.length === 0 ? "combination" : parameterWords(plan.parameters[x]);
  if (!numeric) return { field: "x", type: "ordinal", title, axis: { labelAngle: 0 } };
  const values = [...new Set(plan.combinations.map((combination) => combination[x] as number))].sort((a, b) => a - b);
  const log = values[0] > 0 && values[values.length - 1] / values[0] >= logAxisRatioMin;
  return {
    field: "x",
    type: "quantitative",
    title: log ? `${title} (log scale)` : title,
    scale: log ? { type: "log", nice: false, padding: 12 } : { zero: false, nice: false, padding: 12 },
    axis: { values, format: numberFormat, grid: false },
  };
}

function pointChart(plan: SweepPlan, document: SweepDocument, file: string, title: string, metrics: string[], goal: { value: number; label: string } | null): SweepChart {
  const x = xParameter(plan);
  const others = plan.parameters.map((_, index) => index).filter((index) => index !== x);
  const words = metricWords(metrics[0]);
  const values = document.stats.flatMap((setting) =>
    metrics.flatMap((metric) => {
      const ci = setting.metrics[metric];
      if (ci.mean === null) return [];
      const rest = others.map((index) => `${parameterWords(plan.parameters[index])} ${setting.values[index]}`).join(", ");
      const series = metricWords(metric).series;
      return [{ x: plan.parameters.length === 0 ? setting.combination : setting.values[x], series: rest === "" ? series : `${series} (${rest})`, mean: ci.mean, low: ci.low ?? ci.mean, high: ci.high ?? ci.mean }];
    }),
  );
  const xAxis = xEncoding(plan, x);
  const y = { type: "quantitative", title: words.axis, axis: { format: words.format } };
  const color = { field: "series", type: "nominal", title: null, legend: { orient: "bottom", direction: "vertical", labelLimit: 600 } };
  const layers: unknown[] = [
    { mark: { type: "rule", strokeWidth: 1.5 }, encoding: { x: xAxis, y: { ...y, field: "low" }, y2: { field: "high" }, color } },
    { mark: { type: "point", filled: true, size: 70, opacity: 0.9 }, encoding: { x: xAxis, y: { ...y, field: "mean" }, color } },
  ];
  if (goal !== null) {
    layers.push({ data: { values: [goal] }, mark: { type: "rule", strokeDash: [6, 4], color: "#b00" }, encoding: { y: { field: "value", type: "quantitative" } } });
    layers.push({
      data: { values: [goal] },
      mark: { type: "text", align: "right", baseline: "bottom", dy: -2, color: "#b00", fontSize: 11 },
      encoding: { y: { field: "value", type: "quantitative" }, x: { value: chartWidth - 2 }, text: { field: "label" } },
    });
  }
  const spec = { title: `${title}: mean and 95% confidence interval across seeds`, width: chartWidth, height: 280, data: { values }, layer: layers } as unknown as ChartSpec;
  return { file: `${file}.svg`, title, spec };
}

const chartWidth = 560;

function heatmap(plan: SweepPlan, document: SweepDocument, metric: string): SweepChart {
  const words = metricWords(metric);
  const values = document.stats.map((setting) => ({ a: String(setting.values[0]), b: String(setting.values[1]), mean: setting.metrics[metric].mean }));
  const order = (index: number) => [...new Set(plan.combinations.map((values) => String(values[index])))];
  const [first, second] = plan.parameters.map(parameterWords);
  const spec = {
    title: `${words.axis} of ${words.series}: mean across seeds`,
    data: { values },
    width: 360,
    height: 240,
    encoding: {
      x: { field: "a", type: "ordinal", title: first, sort: order(0), axis: { labelAngle: 0 } },
      y: { field: "b", type: "ordinal", title: second, sort: order(1) },
    },
    layer: [
      { mark: "rect", encoding: { color: { field: "mean", type: "quantitative", title: words.axis, legend: { format: words.format } } } },
      { mark: { type: "text", fontSize: 11 }, encoding: { text: { field: "mean", type: "quantitative", format: words.format } } },
    ],
  } as unknown as ChartSpec;
  return { file: "heatmap.svg", title: `${words.axis} of ${words.series} by ${first} and ${second}`, spec };
}
