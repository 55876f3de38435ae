// Recorded metric series read from files: the JSON the AWS CLI prints for `aws cloudwatch
// get-metric-data` (MetricDataResults[] of Id, Label, Timestamps, Values, StatusCode; newest first
// unless the call passed --scan-by TimestampAscending) and `aws cloudwatch get-metric-statistics`
// (Label and Datapoints[] of Timestamp, Sum/Average/Maximum/Minimum/SampleCount, Unit), or a
// two-column CSV (time,value). docs/reference.md §10 cites both shapes. Rate histories (workload)
// and calibration (reports) read them through this one parser.
//
// Every series comes out in ascending time order with its period inferred from the smallest step
// between points (CloudWatch leaves out periods without data, so steps may be multiples of it).
// Problems are collected with 1-based line and column, never thrown.

/** Points one file may hold in all (a week of one-second points is 604,800). */
export const RECORDED_POINTS_MAX = 1_000_000;
/** Statistics CloudWatch returns per period, in get-metric-statistics' field names. */
export const cloudWatchStatistics = ["Sum", "Average", "Maximum", "Minimum", "SampleCount"] as const;
export type CloudWatchStatistic = (typeof cloudWatchStatistics)[number];

export interface RecordedSeries {
  /** The Label (get-metric-data, get-metric-statistics) or the CSV's value column header. */
  label: string;
  /** get-metric-data's Id; null elsewhere. */
  id: string | null;
  /** The statistic the values are: get-metric-statistics names it; get-metric-data only when the label ends in one. */
  statistic: CloudWatchStatistic | null;
  /** Times in ms: since the Unix epoch ("epoch"), or since the start of the run (a CSV of numbers, "run"). */
  timeBase: "epoch" | "run";
  timesMs: number[];
  values: number[];
  /** The smallest step between two points (ms); null for a single point. */
  periodMs: number | null;
  /** 1-based line where the series is written, for messages that point at it. */
  line: number;
}

export interface RecordedIssue {
  line: number;
  column: number;
  message: string;
}

export type RecordedFormat = "get-metric-data" | "get-metric-statistics" | "csv";

export interface RecordedFile {
  format: RecordedFormat;
  series: RecordedSeries[];
  issues: RecordedIssue[];
}

export const recordedMessages = {
  jsonSyntax: (detail: string) => `not valid JSON (${detail})`,
  unknownShape: "expected the JSON of `aws cloudwatch get-metric-data` (MetricDataResults) or `get-metric-statistics` (Datapoints), found neither",
  notAList: (field: string) => `expected ${field} to be a list`,
  lengthsDiffer: (label: string, times: number, values: number) => `series "${label}": ${times} Timestamps but ${values} Values`,
  badTimestamp: (found: string) => `expected an ISO 8601 timestamp such as 2026-11-24T09:00:00Z, found ${JSON.stringify(found)}`,
  badValue: (found: string) => `expected a number, found ${JSON.stringify(found)}`,
  duplicateTime: (label: string, time: string) => `series "${label}" has two points at ${time}`,
  status: (label: string, status: string) =>
    `series "${label}" has StatusCode ${status}: the export is incomplete (call get-metric-data again with the NextToken it printed, or with a shorter time range)`,
  noStatistic: "each datapoint needs one of Sum, Average, Maximum, Minimum or SampleCount",
  csvHeader: "expected a header row of two columns: time,value",
  csvColumns: (found: number) => `expected 2 columns (time,value), found ${found}`,
  csvMixedTimes: "times must be all ISO 8601 timestamps or all numbers (seconds from the start of the run), not both",
  tooManyPoints: (max: number) => `more than ${max} points; export a coarser period or a shorter range`,
  empty: "holds no data points",
};

/** Parses a metrics file; `name` decides CSV (ends in .csv) or JSON. */
export function parseRecordedMetrics(text: string, name: string): RecordedFile {
  const file = name.toLowerCase().endsWith(".csv") ? parseCsv(text) : parseJson(text);
  if (file.issues.length === 0 && file.series.every((series) => series.values.length === 0)) file.issues.push({ line: 1, column: 1, message: recordedMessages.empty });
  return file;
}

function parseJson(text: string): RecordedFile {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    const { line, column } = jsonErrorPosition(text, (error as Error).message);
    return { format: "get-metric-data", series: [], issues: [{ line, column, message: recordedMessages.jsonSyntax(firstLine((error as Error).message)) }] };
  }
  const locate = (needle: RegExp, nth = 0) => positionOf(text, needle, nth);
  if (isObject(document) && "MetricDataResults" in document) return metricData(document.MetricDataResults, locate);
  if (isObject(document) && "Datapoints" in document) return metricStatistics(document, locate);
  return { format: "get-metric-data", series: [], issues: [{ line: 1, column: 1, message: recordedMessages.unknownShape }] };
}

type Locate = (needle: RegExp, nth?: number) => { line: number; column: number };

function metricData(results: unknown, locate: Locate): RecordedFile {
  const out: RecordedFile = { format: "get-metric-data", series: [], issues: [] };
  if (!Array.isArray(results)) return { ...out, issues: [{ ...locate(/"MetricDataResults"/), message: recordedMessages.notAList("MetricDataResults") }] };
  let points = 0;
  results.forEach((result: Record<string, unknown>, index) => {
    const at = locate(/"Timestamps"/, index);
    const label = typeof result?.Label === "string" ? result.Label : typeof result?.Id === "string" ? result.Id : `MetricDataResults[${index}]`;
    const times = Array.isArray(result?.Timestamps) ? result.Timestamps : null;
    const values = Array.isArray(result?.Values) ? result.Values : null;
    if (times === null || values === null) return out.issues.push({ ...at, message: recordedMessages.notAList(`MetricDataResults[${index}].Timestamps and .Values`) });
    if (times.length !== values.length) return out.issues.push({ ...at, message: recordedMessages.lengthsDiffer(label, times.length, values.length) });
    const status = result.StatusCode;
    if (status !== undefined && status !== "Complete") {
      const statusAt = locate(new RegExp(`"StatusCode"\\s*:\\s*${JSON.stringify(String(status)).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`));
      return out.issues.push({ ...statusAt, message: recordedMessages.status(label, String(status)) });
    }
    points += times.length;
    if (points > RECORDED_POINTS_MAX) return out.issues.push({ ...at, message: recordedMessages.tooManyPoints(RECORDED_POINTS_MAX) });
    const pairs: Array<[number, number]> = [];
    for (let i = 0; i < times.length; i++) {
      const timeMs = parseTimestamp(times[i]);
      if (timeMs === null) return out.issues.push({ ...at, message: recordedMessages.badTimestamp(String(times[i])) });
      if (typeof values[i] !== "number" || !Number.isFinite(values[i])) return out.issues.push({ ...at, message: recordedMessages.badValue(String(values[i])) });
      pairs.push([timeMs, values[i]]);
    }
    const series = seriesFrom(label, typeof result.Id === "string" ? result.Id : null, statisticInLabel(label), "epoch", pairs, at.line);
    if (typeof series === "string") return out.issues.push({ ...at, message: series });
    out.series.push(series);
  });
  return out;
}

function metricStatistics(document: Record<string, unknown>, locate: Locate): RecordedFile {
  const out: RecordedFile = { format: "get-metric-statistics", series: [], issues: [] };
  const datapoints = document.Datapoints;
  if (!Array.isArray(datapoints)) return { ...out, issues: [{ ...locate(/"Datapoints"/), message: recordedMessages.notAList("Datapoints") }] };
  if (datapoints.length > RECORDED_POINTS_MAX) return { ...out, issues: [{ ...locate(/"Datapoints"/), message: recordedMessages.tooManyPoints(RECORDED_POINTS_MAX) }] };
  const label = typeof document.Label === "string" ? document.Label : "Datapoints";
  // The statistics every datapoint carries: one series each (a call may ask for several).
  const statistics = cloudWatchStatistics.filter((statistic) => datapoints.length > 0 && datapoints.every((point) => typeof point?.[statistic] === "number"));
  if (datapoints.length > 0 && statistics.length === 0) return { ...out, issues: [{ ...locate(/"Timestamp"/), message: recordedMessages.noStatistic }] };
  const times: number[] = [];
  for (let i = 0; i < datapoints.length; i++) {
    const timeMs = parseTimestamp(datapoints[i]?.Timestamp);
    if (timeMs === null) return { ...out, issues: [{ ...locate(/"Timestamp"/, i), message: recordedMessages.badTimestamp(String(datapoints[i]?.Timestamp)) }] };
    times.push(timeMs);
  }
  const line = locate(/"Datapoints"/).line;
  for (const statistic of statistics) {
    const series = seriesFrom(label, null, statistic, "epoch", times.map((timeMs, i) => [timeMs, datapoints[i][statistic] as number]), line);
    if (typeof series === "string") out.issues.push({ line, column: 1, message: series });
    else out.series.push(series);
  }
  if (statistics.length === 0) out.series.push({ label, id: null, statistic: null, timeBase: "epoch", timesMs: [], values: [], periodMs: null, line });
  return out;
}

function parseCsv(text: string): RecordedFile {
  const out: RecordedFile = { format: "csv", series: [], issues: [] };
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  const header = lines[0]?.split(",") ?? [];
  if (header.length !== 2) return { ...out, issues: [{ line: 1, column: 1, message: recordedMessages.csvHeader }] };
  const label = header[1].trim() === "" ? "value" : header[1].trim();
  const pairs: Array<[number, number]> = [];
  let timeBase: "epoch" | "run" | null = null;
  for (let i = 1; i < lines.length; i++) {
    if (lines[i].trim() === "") continue;
    if (pairs.length >= RECORDED_POINTS_MAX) return { ...out, issues: [{ line: i + 1, column: 1, message: recordedMessages.tooManyPoints(RECORDED_POINTS_MAX) }] };
    const fields = lines[i].split(",");
    if (fields.length !== 2) {
      out.issues.push({ line: i + 1, column: 1, message: recordedMessages.csvColumns(fields.length) });
      continue;
    }
    const [timeText, valueText] = fields.map((field) => field.trim());
    const numeric = /^-?\d+(\.\d+)?$/.test(timeText);
    const base = numeric ? "run" : "epoch";
    if (timeBase !== null && base !== timeBase) {
      out.issues.push({ line: i + 1, column: 1, message: recordedMessages.csvMixedTimes });
      continue;
    }
    timeBase = base;
    const timeMs = numeric ? Math.round(Number(timeText) * 1000) : parseTimestamp(timeText);
    if (timeMs === null || timeMs < 0) out.issues.push({ line: i + 1, column: 1, message: recordedMessages.badTimestamp(timeText) });
    else if (!/^\s*-?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$/.test(valueText)) out.issues.push({ line: i + 1, column: fields[0].length + 2, message: recordedMessages.badValue(valueText) });
    else pairs.push([timeMs, Number(valueText)]);
  }
  if (out.issues.length > 0) return out;
  const series = seriesFrom(label, null, null, timeBase ?? "run", pairs, 1);
  if (typeof series === "string") return { ...out, issues: [{ line: 1, column: 1, message: series }] };
  out.series.push(series);
  return out;
}

/** Sorts the points by time (get-metric-data prints the newest first by default); a message for two points at one time. */
function seriesFrom(label: string, id: string | null, statistic: CloudWatchStatistic | null, timeBase: "epoch" | "run", pairs: Array<[number, number]>, line: number): RecordedSeries | string {
  pairs.sort((a, b) => a[0] - b[0]);
  let periodMs: number | null = null;
  for (let i = 1; i < pairs.length; i++) {
    const stepMs = pairs[i][0] - pairs[i - 1][0];
    if (stepMs === 0) return recordedMessages.duplicateTime(label, timeBase === "epoch" ? new Date(pairs[i][0]).toISOString() : `${pairs[i][0] / 1000}s`);
    if (periodMs === null || stepMs < periodMs) periodMs = stepMs;
  }
  return { label, id, statistic, timeBase, timesMs: pairs.map((pair) => pair[0]), values: pairs.map((pair) => pair[1]), periodMs, line };
}

/** A statistic named as the label's last word ("IncomingBytes Sum"), else null. */
function statisticInLabel(label: string): CloudWatchStatistic | null {
  const last = label.trim().split(/\s+/).pop() ?? "";
  return (cloudWatchStatistics as readonly string[]).includes(last) ? (last as CloudWatchStatistic) : null;
}

/** An ISO 8601 timestamp with a zone (the CLI prints "2026-11-24T09:00:00+00:00" or "...Z") in ms, else null. */
function parseTimestamp(value: unknown): number | null {
  if (typeof value !== "string" || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(value)) return null;
  const timeMs = Date.parse(value);
  return Number.isNaN(timeMs) ? null : timeMs;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Line and column (1-based) of the nth match of `needle` in text; line 1, column 1 when there is none. */
function positionOf(text: string, needle: RegExp, nth: number): { line: number; column: number } {
  const global = new RegExp(needle.source, "g");
  let match: RegExpExecArray | null = null;
  for (let i = 0; i <= nth; i++) {
    match = global.exec(text);
    if (match === null) return { line: 1, column: 1 };
  }
  return lineColumn(text, match!.index);
}

function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split("\n").length;
  return { line, column: offset - before.lastIndexOf("\n") };
}

/** Where JSON.parse stopped: V8 says "(line L column C)" or "at position N". */
function jsonErrorPosition(text: string, message: string): { line: number; column: number } {
  const lineColumnMatch = /line (\d+) column (\d+)/.exec(message);
  if (lineColumnMatch !== null) return { line: Number(lineColumnMatch[1]), column: Number(lineColumnMatch[2]) };
  const position = /position (\d+)/.exec(message);
  return position === null ? { line: 1, column: 1 } : lineColumn(text, Number(position[1]));
}

function firstLine(text: string): string {
  return text.split("\n")[0];
}
