// Metric paths and parameter paths in words, with units, for chart axes and legends: a reviewer reads
// "producer p99 latency (ms)" on the axis and "kds" in the legend, not "kds.producerLatencyMs.p99".
// Paths of summary.json (docs/results.md) that this does not know keep their path after the system.

import { shown } from "./aggregate.ts";

export interface MetricWords {
  /** The axis title, with its unit. */
  axis: string;
  /** The legend entry: the system, and the consumer or partition when the metric is one's. */
  series: string;
  /** A d3 format for the metric's numbers on an axis or in a cell. */
  format: string;
}

/** Numbers in words: thousands grouped, at most 4 significant digits, no exponent (15,700; 286.3; 0.152). */
export const numberFormat = ",.4~r";
export const shareFormat = ".0%";
/** A ratio to a fair share: "2.4×". */
export const ratioFormat = ".2~r";

const quantileNames: Record<string, string> = { p50: "median", p90: "p90", p95: "p95", p99: "p99", p999: "p99.9", max: "maximum" };

const rules: Array<{ pattern: RegExp; words: (match: RegExpExecArray, system: string) => Omit<MetricWords, "format"> & { format?: string } }> = [
  { pattern: /^producerLatencyMs\.(\w+)$/, words: (m, system) => ({ axis: `producer ${quantile(m[1])} latency (ms)`, series: system }) },
  { pattern: /^consumers\.([^.]+)\.lagMs\.(\w+)$/, words: (m, system) => ({ axis: `consumer ${quantile(m[2])} lag (ms)`, series: `${system} · ${m[1]}` }) },
  { pattern: /^consumers\.([^.]+)\.endToEndLatencyMs\.(\w+)$/, words: (m, system) => ({ axis: `end-to-end ${quantile(m[2])} latency (ms)`, series: `${system} · ${m[1]}` }) },
  { pattern: /^consumers\.([^.]+)\.records\.(\w+)$/, words: (m, system) => ({ axis: `records ${m[2]} by the consumer (count)`, series: `${system} · ${m[1]}` }) },
  { pattern: /^records\.throttledAttempts$/, words: (_, system) => ({ axis: "throttled write attempts (count)", series: system }) },
  { pattern: /^records\.(\w+)$/, words: (m, system) => ({ axis: `records ${m[1]} (count)`, series: system }) },
  { pattern: /^partitions\.peakWriteUtilization\.max$/, words: (_, system) => ({ axis: "peak write utilization (% of limit)", series: system, format: shareFormat }) },
  { pattern: /^partitions\.([^.]+)\.peakWriteUtilization$/, words: (m, system) => ({ axis: "peak write utilization (% of limit)", series: `${system} · ${m[1]}`, format: shareFormat }) },
  { pattern: /^partitions\.shareOfWrites\.max$/, words: (_, system) => ({ axis: "busiest partition's share of the writes (%)", series: system, format: shareFormat }) },
  { pattern: /^partitions\.([^.]+)\.shareOfWrites$/, words: (m, system) => ({ axis: "share of the writes (%)", series: `${system} · ${m[1]}`, format: shareFormat }) },
  { pattern: /^partitions\.fairShareRatio\.max$/, words: (_, system) => ({ axis: "busiest partition's writes over its fair share (×)", series: system, format: ratioFormat }) },
  { pattern: /^partitions\.([^.]+)\.fairShareRatio$/, words: (m, system) => ({ axis: "writes over the fair share (×)", series: `${system} · ${m[1]}`, format: ratioFormat }) },
  { pattern: /^cost\.monthlyUsd$/, words: (_, system) => ({ axis: "monthly cost (USD)", series: system, format: "$,.0f" }) },
  { pattern: /^findings\.critical$/, words: (_, system) => ({ axis: "critical findings (count)", series: system }) },
];

export function metricWords(path: string): MetricWords {
  const [system, ...rest] = path.split(".");
  const tail = rest.join(".");
  for (const rule of rules) {
    const match = rule.pattern.exec(tail);
    if (match !== null) {
      const words = rule.words(match, system);
      return { format: numberFormat, ...words };
    }
  }
  return { axis: tail, series: system, format: numberFormat };
}

/**
 * The metric as a table's column heading, in words with its unit: "kds: producer p99 latency (ms)",
 * "kds · analytics: consumer p99 lag (ms)"; a path this does not know stays as written.
 */
export function metricHeading(path: string): string {
  const words = metricWords(path);
  if (words.axis === path.split(".").slice(1).join(".")) return path;
  return `${words.series}: ${words.axis}`;
}

/** The metric in a sentence: "producer p99 latency of kds"; a path this does not know stays as written. */
export function metricPhrase(path: string): string {
  const words = metricWords(path);
  if (words.axis === path.split(".").slice(1).join(".")) return path;
  return `${words.axis.replace(/ \([^)]*\)$/, "")} of ${words.series}`;
}

/**
 * One of the metric's values with its unit, for sentences and tables: "200 ms", "$1,234", a
 * utilization (a fraction in summary.json) in percent with one decimal ("172.9%"); counts and paths
 * this does not know as plain numbers.
 */
export function metricValue(path: string, value: number | null): string {
  if (value === null) return shown(value);
  const unit = /\((ms)\)$/.exec(metricWords(path).axis);
  return unit === null ? metricNumber(path, value) : `${metricNumber(path, value)} ${unit[1]}`;
}

/**
 * One of the metric's values as tables and chart labels write it, without a trailing unit: "14,347",
 * "172.9%", "$1,234", "2.386×". The one rounding path of a sweep's numbers, so a heatmap cell and the
 * table row of the same setting read alike (not 14,350 beside 14,347).
 */
export function metricNumber(path: string, value: number | null): string {
  if (value === null) return shown(value);
  const words = metricWords(path);
  if (words.format === shareFormat) return `${(value * 100).toFixed(1)}%`;
  if (words.format === ratioFormat) return `${shown(value)}×`;
  if (words.format.startsWith("$")) return `$${shown(value)}`;
  return shown(value);
}

/**
 * "$277.934 ± $0.057", "1.0960× ± 0.0043×", "14,000 ± 12,000": a mean and its 95% half-width, the
 * half-width rounded to 2 significant figures and the mean to the same decimal place, so the table claims
 * no more precision than the seeds give.
 */
export function metricMeanPlusMinus(path: string, mean: number, halfWidth: number): string {
  const words = metricWords(path);
  const scale = words.format === shareFormat ? 100 : 1;
  const half = Math.abs(halfWidth) * scale;
  if (!(half > 0) || !Number.isFinite(half)) return `${metricValue(path, mean)} ± ${metricValue(path, halfWidth)}`;
  const place = Math.floor(Math.log10(half)) - 1;
  const decimals = Math.max(0, -place);
  const step = 10 ** place;
  const number = (value: number) =>
    (Math.round(value / step) * step).toLocaleString("en-US", { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
  const unit = /\((ms)\)$/.exec(words.axis);
  const text = (value: number) => {
    const digits = number(value * scale);
    if (words.format === shareFormat) return `${digits}%`;
    if (words.format === ratioFormat) return `${digits}×`;
    if (words.format.startsWith("$")) return `$${digits}`;
    return unit === null ? digits : `${digits} ${unit[1]}`;
  };
  return `${text(mean)} ± ${text(Math.abs(halfWidth))}`;
}

function quantile(name: string): string {
  return quantileNames[name] ?? name;
}

const parameterRules: Array<{ pattern: RegExp; words: (match: RegExpExecArray) => string }> = [
  { pattern: /^systems\.([^.]+)\.capacity\.shards$/, words: (m) => `${m[1]} shard count` },
  { pattern: /^systems\.([^.]+)\.topic\.partitions$/, words: (m) => `${m[1]} partition count` },
  { pattern: /^systems\.([^.]+)\.topic\.replicationFactor$/, words: (m) => `${m[1]} replication factor` },
  { pattern: /^systems\.([^.]+)\.brokers\.count$/, words: (m) => `${m[1]} broker count` },
  { pattern: /^workload\.([^.]+)\.rate\.recordsPerSecond$/, words: (m) => `${m[1]} records per second` },
  { pattern: /^workload\.([^.]+)\.keys\.exponent$/, words: (m) => `${m[1]} key zipf exponent` },
  { pattern: /^workload\.([^.]+)\.keys\.cardinality$/, words: (m) => `${m[1]} distinct keys` },
];

/** A swept parameter in words ("kds shard count"); unknown paths stay as written. */
export function parameterWords(path: string): string {
  for (const rule of parameterRules) {
    const match = rule.pattern.exec(path);
    if (match !== null) return rule.words(match);
  }
  return path;
}
