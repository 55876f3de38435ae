// Rate histories (docs/scenarios.md "Rate histories"): a producer's rate taken from a recorded series,
// each value the total of its period (CloudWatch Sum). Loaded with the scenario, placed on the run's
// clock by the scenario's start, and turned into rate phases: one constant phase per period (step),
// or linear phases between period midpoints (linear). Missing periods count zero (CloudWatch leaves
// out periods without data).

import { readFileSync, statSync } from "node:fs";
import { parseRecordedMetrics, type RecordedSeries } from "../metrics/cloudwatch.ts";
import type { RatePhase } from "./types.ts";
import type { HistoryInput } from "./workload-schema.ts";

/** Largest history file read: a week of one-second points in JSON is about 40 MB. */
export const HISTORY_FILE_BYTES_MAX = 64 * 1024 * 1024;

/** One producer's history as loaded: the chosen series, what its values count, and the settings. */
export interface LoadedHistory {
  path: string;
  series: RecordedSeries;
  values: "records" | "bytes";
  interpolation: "step" | "linear";
  periodMs: number;
  scale: number;
}

export const historyMessages = {
  tooBig: (bytes: number) => `${bytes} bytes; a history file may have at most ${HISTORY_FILE_BYTES_MAX} bytes`,
  issue: (file: string, line: number, column: number, message: string) => `${file}:${line}:${column}: ${message}`,
  noSuchSeries: (file: string, metric: string, known: string[]) => `${file} holds no series labelled or identified "${metric}"; expected one of: ${known.join(", ")}`,
  severalSeries: (file: string, known: string[]) => `${file} holds ${known.length} series; expected metric: naming one of: ${known.join(", ")}`,
  notSum: (file: string, statistic: string) => `${file}: expected the Sum of each period (a rate history counts what each period held), found only ${statistic}`,
  noPeriod: (file: string) => `${file} holds a single point; expected period: saying how long it lasts`,
  offGrid: (file: string, periodText: string) => `${file}: points are not a whole number of periods (${periodText}) apart; expected period: to divide every step between points`,
  startOutside: (file: string, start: string, from: string, to: string) =>
    `start ${start} is outside the history in ${file} (${from} to ${to}); expected start: within it`,
  runPastEnd: (file: string, coveredText: string, durationText: string) =>
    `the history in ${file} covers ${coveredText} from the scenario's start; the run lasts ${durationText} (shorten duration:, or export a longer range)`,
};

/** Reads and parses a history file; a message instead when the file is refused or cannot be used. */
export function readHistory(absolutePath: string, input: HistoryInput): LoadedHistory | string[] {
  const stats = statSync(absolutePath);
  if (stats.isFile() && stats.size > HISTORY_FILE_BYTES_MAX) return [historyMessages.tooBig(stats.size)];
  const parsed = parseRecordedMetrics(readFileSync(absolutePath, "utf8"), absolutePath);
  if (parsed.issues.length > 0) return parsed.issues.map((issue) => historyMessages.issue(input.path, issue.line, issue.column, issue.message));
  const candidates = parsed.series.filter((series) => series.statistic === null || series.statistic === "Sum");
  const names = parsed.series.map((series) => series.id ?? series.label);
  let series: RecordedSeries | undefined;
  if (input.metric !== undefined) {
    series = parsed.series.find((one) => one.label === input.metric || one.id === input.metric || firstWord(one.label) === input.metric);
    if (series === undefined) return [historyMessages.noSuchSeries(input.path, input.metric, names)];
  } else if (candidates.length === 1 || (parsed.series.length === 1 && candidates.length === 0)) series = candidates[0] ?? parsed.series[0];
  else return [historyMessages.severalSeries(input.path, names)];
  if (series.statistic !== null && series.statistic !== "Sum") {
    const sum = parsed.series.find((one) => one.label === series!.label && one.statistic === "Sum");
    if (sum === undefined) return [historyMessages.notSum(input.path, series.statistic)];
    series = sum;
  }
  const periodMs = input.period !== undefined ? input.period / 1000 : series.periodMs;
  if (periodMs === null) return [historyMessages.noPeriod(input.path)];
  if (series.timesMs.some((timeMs) => (timeMs - series!.timesMs[0]) % periodMs !== 0)) return [historyMessages.offGrid(input.path, `${periodMs / 1000}s`)];
  const values = input.values ?? (/bytes/i.test(firstWord(series.label)) ? "bytes" : "records");
  return { path: input.path, series, values, interpolation: input.interpolation, periodMs, scale: input.scale };
}

/** The first word of a label: the metric name in "IncomingBytes shardId-000000000001". */
export function firstWord(label: string): string {
  return label.trim().split(/\s+/)[0] ?? "";
}

/** Where the history lies on the run's clock: its first period's start and its end, in µs from the run's start. */
export function historySpanUs(history: LoadedHistory, startEpochMs: number): { fromUs: number; toUs: number } {
  const offsetMs = history.series.timeBase === "epoch" ? startEpochMs : 0;
  const times = history.series.timesMs;
  return { fromUs: (times[0] - offsetMs) * 1000, toUs: (times[times.length - 1] + history.periodMs - offsetMs) * 1000 };
}

/**
 * The rate phases covering [0, durationUs) (records per second): every period's total over its
 * length, divided by `recordBytes` when the values count bytes, times the history's scale.
 */
export function historyPhases(history: LoadedHistory, durationUs: number, startEpochMs: number, recordBytes: number): RatePhase[] {
  const { fromUs } = historySpanUs(history, startEpochMs);
  const periodUs = history.periodMs * 1000;
  const divisor = history.values === "bytes" ? recordBytes : 1;
  // The periods on a dense grid (missing periods are zero), as records per second.
  const firstMs = history.series.timesMs[0];
  const count = (history.series.timesMs[history.series.timesMs.length - 1] - firstMs) / history.periodMs + 1;
  const rates = new Float64Array(count);
  history.series.timesMs.forEach((timeMs, i) => {
    rates[(timeMs - firstMs) / history.periodMs] = (history.series.values[i] * history.scale) / divisor / (periodUs / 1e6);
  });
  const phases: RatePhase[] = [];
  const push = (startUs: number, endUs: number, from: number, to: number) => {
    const cutStartUs = Math.max(0, startUs);
    const cutEndUs = Math.min(durationUs, endUs);
    if (cutEndUs <= cutStartUs) return;
    const slope = (to - from) / (endUs - startUs);
    phases.push({ startUs: cutStartUs, endUs: cutEndUs, fromPerSecond: from + slope * (cutStartUs - startUs), toPerSecond: from + slope * (cutEndUs - startUs) });
  };
  if (history.interpolation === "step") {
    for (let k = 0; k < count; k++) push(fromUs + k * periodUs, fromUs + (k + 1) * periodUs, rates[k], rates[k]);
  } else {
    const half = periodUs / 2;
    push(fromUs, fromUs + half, rates[0], rates[0]);
    for (let k = 0; k + 1 < count; k++) push(fromUs + k * periodUs + half, fromUs + (k + 1) * periodUs + half, rates[k], rates[k + 1]);
    push(fromUs + (count - 1) * periodUs + half, fromUs + count * periodUs, rates[count - 1], rates[count - 1]);
  }
  return phases;
}
