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
import { sweepReportMessages as say } from "./messages.ts";
import { metricNumber, metricPhrase, metricValue, metricWords, numberFormat, parameterWords, ratioFormat, shareFormat } from "./metric-words.ts";

export interface SweepChart {
  file: string;
  title: string;
  /** What the chart shows and how to read it, under it in report.html and summary.md. */
  caption: string;
  spec: ChartSpec;
}

/** Metric families drawn against the parameter: one series per metric of the family. */
const families: Array<{ file: string; title: string; pattern: RegExp }> = [
  { file: "lag-p99", title: "Consumer lag p99", pattern: /\.consumers\.[^.]+\.lagMs\.p99$/ },
  { file: "throttled", title: "Throttled write attempts", pattern: /\.records\.throttledAttempts$/ },
  { file: "peak-write-utilization", title: "Peak write utilization of the busiest shard or partition", pattern: /\.partitions\.peakWriteUtilization\.max$/ },
  { file: "fair-share-ratio", title: "Busiest Kafka partition's writes over its fair share", pattern: /\.partitions\.fairShareRatio\.max$/ },
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
    charts.push(pointChart(plan, document, "goal", title, [goal.metric], { value: goal.limit, label: `goal: ${goal.bound} ${limit}`, color: "#b00" }));
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

/** A horizontal rule across a chart: the goal's bound, or 100% of a limit. */
interface ReferenceRule {
  value: number;
  label: string;
  color: string;
}

/** Points of different series at one setting are drawn this many pixels apart, so none hides another. */
const seriesSpacingPx = 8;

/** A utilization chart gets its 100%-of-limit rule once some interval reaches this fraction of the limit. */
const limitRuleFrom = 0.8;

interface PointRow {
  x: number | string;
  series: string;
  mean: number;
  low: number;
  high: number;
}

function pointChart(plan: SweepPlan, document: SweepDocument, file: string, title: string, metrics: string[], goal: ReferenceRule | null): SweepChart {
  const x = xParameter(plan);
  const others = plan.parameters.map((_, index) => index).filter((index) => index !== x);
  const words = metricWords(metrics[0]);
  const values: PointRow[] = document.stats.flatMap((setting) =>
    metrics.flatMap((metric) => {
      const ci = setting.metrics[metric];
      if (ci.mean === null) return [];
      const rest = others.map((index) => `${parameterWords(plan.parameters[index])} ${setting.values[index]}`).join(", ");
      const series = metricWords(metric).series;
      return [{ x: plan.parameters.length === 0 ? setting.combination : (setting.values[x] as number | string), series: rest === "" ? series : `${series} (${rest})`, mean: ci.mean, low: ci.low ?? ci.mean, high: ci.high ?? ci.mean }];
    }),
  );
  const series = [...new Set(values.map((row) => row.series))];
  const allZero = values.length > 0 && values.every((row) => row.high === 0);
  const rules = [goal, limitRule(words.format, values)].filter((rule): rule is ReferenceRule => rule !== null);
  const xAxis = xEncoding(plan, x);
  const yScale = yScaleOf(values, rules);
  // A count that is zero everywhere gets an axis from 0 to 1, not a lone 0 in the middle of the chart.
  const y = {
    type: "quantitative",
    title: yScale === null ? words.axis : scaleTitle(words.axis, yScale.type),
    axis: { format: words.format, ...(allZero ? { values: [0, 1] } : yScale === null ? {} : { values: yScale.ticks }) },
    ...(allZero ? { scale: { domain: [0, 1] } } : yScale === null ? {} : { scale: { type: yScale.type, domain: yScale.domain, clamp: true } }),
  };
  const color = { field: "series", type: "nominal", title: null, scale: { domain: series }, legend: { orient: "bottom", direction: "vertical", labelLimit: 600 } };
  // One layer pair per series, each shifted sideways by its own few pixels: two series with the same
  // value at a setting show as two points side by side, not one hiding the other.
  const layers: unknown[] = series.flatMap((name, index) => {
    const xOffset = series.length === 1 ? 0 : (index - (series.length - 1) / 2) * seriesSpacingPx;
    const data = { transform: [{ filter: { field: "series", equal: name } }] };
    return [
      { ...data, mark: { type: "rule", strokeWidth: 1.5, xOffset }, encoding: { x: xAxis, y: { ...y, field: "low" }, y2: { field: "high" }, color } },
      { ...data, mark: { type: "point", filled: true, size: 70, opacity: 0.9, xOffset }, encoding: { x: xAxis, y: { ...y, field: "mean" }, color } },
    ];
  });
  for (const rule of rules) {
    // The goal's label at the right, the limit's at the left: where the points of a falling metric are not.
    const right = rule === goal;
    layers.push({ data: { values: [rule] }, mark: { type: "rule", strokeDash: [6, 4], color: rule.color }, encoding: { y: { field: "value", type: "quantitative" } } });
    layers.push({
      data: { values: [rule] },
      mark: { type: "text", align: right ? "right" : "left", baseline: "bottom", dy: -2, color: rule.color, fontSize: 11 },
      encoding: { y: { field: "value", type: "quantitative" }, x: { value: right ? chartWidth - 2 : 20 }, text: { field: "label" } },
    });
  }
  const spec = { title: `${title}: mean and 95% confidence interval across seeds`, width: chartWidth, height: 280, data: { values }, layer: layers } as unknown as ChartSpec;
  const caption = say.chartCaption({
    replications: plan.replications,
    parameter: xAxis.title,
    goal: goal?.label ?? null,
    limitRule: rules.find((rule) => rule !== goal)?.label ?? null,
    allZero,
    logScale: yScale?.type ?? null,
    coinciding: coincidingSeries(values, series),
    series: series.length,
  });
  return { file: `${file}.svg`, title, caption, spec };
}

/**
 * A log y scale when the means span two decades or more (on a linear one every point but the largest
 * lies on the axis): "log" when every mean is above zero, its domain from the smallest positive value
 * drawn and clamped, so an interval reaching zero runs to the bottom of the axis; "symlog" (linear near
 * zero, logarithmic above 1) when some means are zero. Null for a linear scale.
 */
function yScaleOf(values: PointRow[], rules: ReferenceRule[]): { type: "log" | "symlog"; domain: number[]; ticks: number[] } | null {
  const means = values.map((row) => row.mean);
  const positive = means.filter((mean) => mean > 0);
  if (positive.length === 0 || Math.max(...positive) / Math.min(...positive) < logAxisRatioMin) return null;
  const drawn = [...values.flatMap((row) => [row.low, row.mean, row.high]), ...rules.map((rule) => rule.value)].filter((value) => value > 0);
  // Whole decades, each one tick: a reader reads 10, 100, 1,000 on a log axis, not 2,000 and 20,000.
  const top = Math.ceil(Math.log10(Math.max(...drawn)));
  if (positive.length < means.length) return { type: "symlog", domain: [0, 10 ** Math.max(0, top)], ticks: [0, ...decades(0, Math.max(0, top))] };
  const bottom = Math.floor(Math.log10(Math.min(...drawn)));
  return { type: "log", domain: [10 ** bottom, 10 ** top], ticks: decades(bottom, top) };
}

/** 10^from, ..., 10^to. */
function decades(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, index) => 10 ** (from + index));
}

/** "producer p99 latency (ms, log scale)", "throttled write attempts (count, symlog scale)". */
function scaleTitle(axis: string, type: "log" | "symlog"): string {
  return axis.endsWith(")") ? `${axis.slice(0, -1)}, ${type} scale)` : `${axis} (${type} scale)`;
}

/**
 * The 100%-of-limit rule of a utilization chart, when some setting reaches 80% of the limit (below, it
 * would only squash the points); the fair share (1×) of a fair-share chart.
 */
function limitRule(format: string, values: PointRow[]): ReferenceRule | null {
  if (format === ratioFormat) return { value: 1, label: "the fair share (1×), an even split", color: "#555" };
  if (format !== shareFormat || !values.some((row) => row.high >= limitRuleFrom)) return null;
  return { value: 1, label: "100% of the write limit", color: "#555" };
}

/** Pairs of series whose means lie within 1% of the chart's range of each other at every setting both have. */
function coincidingSeries(values: PointRow[], series: string[]): Array<[string, string]> {
  const highs = values.map((row) => row.high);
  const tolerance = 0.01 * (Math.max(0, ...highs) - Math.min(0, ...values.map((row) => row.low)));
  const at = (name: string) => new Map(values.filter((row) => row.series === name).map((row) => [String(row.x), row.mean]));
  const pairs: Array<[string, string]> = [];
  for (let a = 0; a < series.length; a++) {
    for (let b = a + 1; b < series.length; b++) {
      const [first, second] = [at(series[a]), at(series[b])];
      const shared = [...first.keys()].filter((key) => second.has(key));
      if (shared.length > 0 && shared.every((key) => Math.abs(first.get(key)! - second.get(key)!) <= tolerance)) pairs.push([series[a], series[b]]);
    }
  }
  return pairs;
}

const chartWidth = 560;

function heatmap(plan: SweepPlan, document: SweepDocument, metric: string): SweepChart {
  const words = metricWords(metric);
  // Each cell's text is the table's (metricNumber), not a d3 format of its own: one figure, one rounding.
  const values = document.stats.map((setting) => ({ a: String(setting.values[0]), b: String(setting.values[1]), mean: setting.metrics[metric].mean, label: metricNumber(metric, setting.metrics[metric].mean) }));
  const order = (index: number) => [...new Set(plan.combinations.map((values) => String(values[index])))];
  const [first, second] = plan.parameters.map(parameterWords);
  const means = values.map((row) => row.mean).filter((mean): mean is number => mean !== null);
  const [low, high] = [Math.min(...means), Math.max(...means)];
  // Means spread over two decades or more get a log colour scale: on a linear one every cell but the largest is the same pale colour.
  const log = means.length > 0 && low > 0 && high / low >= logAxisRatioMin;
  // Text in white on the darker cells, black on the paler ones.
  const dark = log ? low * (high / low) ** 0.6 : low + 0.6 * (high - low);
  const title = `${words.axis} of ${words.series}: mean across seeds`;
  const spec = {
    title: title.charAt(0).toUpperCase() + title.slice(1),
    data: { values },
    width: 360,
    height: 240,
    encoding: {
      x: { field: "a", type: "ordinal", title: first, sort: order(0), axis: { labelAngle: 0 } },
      y: { field: "b", type: "ordinal", title: second, sort: order(1) },
    },
    layer: [
      { mark: "rect", encoding: { color: { field: "mean", type: "quantitative", title: words.axis, scale: log ? { type: "log" } : {}, legend: { format: words.format, titleLimit: 400 } } } },
      {
        mark: { type: "text", fontSize: 11 },
        encoding: { text: { field: "label", type: "nominal" }, color: { condition: { test: `datum.mean > ${dark}`, value: "white" }, value: "black" } },
      },
    ],
  } as unknown as ChartSpec;
  return { file: "heatmap.svg", title: `${words.axis} of ${words.series} by ${first} and ${second}`, caption: say.heatmapCaption(words.axis, plan.replications, log), spec };
}
