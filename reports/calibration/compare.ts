// Calibration: a real stream's recorded CloudWatch series set beside the simulated ones, period by
// period on the calendar (the scenario's start is simulated time 0), with the error of each metric
// (MAPE, largest error, bias) and a finding where the two disagree beyond the band.
// Periods that begin before the end of warm-up, or run past the end of the run, are not compared:
// the model starts empty, the real system does not.

import { cloudWatchStatistics, type CloudWatchStatistic, type Finding, type RecordedSeries, type SystemResult } from "../../sim/metrics/index.ts";
import type { ScenarioResult } from "../../sim/run/index.ts";
import { calibrationText } from "./messages.ts";
import { calibratedMetricNames, metricTable, type Dimension, type MetricMapping, type SimulatedSeries } from "./metric-table.ts";

/** The band when none is given: a metric agrees when its MAPE and its bias are both within 10%. */
export const defaultBandFraction = 0.1;

export interface CalibrationPoint {
  /** Start of the period, seconds from the scenario's start. */
  timeSeconds: number;
  recorded: number;
  simulated: number;
}

export interface MetricCalibration {
  file: string;
  label: string;
  metric: string;
  system: string;
  dimension: Dimension;
  statistic: CloudWatchStatistic;
  unit: string;
  periodSeconds: number;
  points: CalibrationPoint[];
  /** Mean absolute percentage error (a fraction), each period's error over max(|recorded|, the metric's floor); null when every such scale is zero. */
  mapeFraction: number | null;
  /** The largest |simulated - recorded| of a period, in the metric's unit. */
  maxError: number;
  /** (sum simulated - sum recorded) / max(sum |recorded|, floor x periods): positive when the model runs high; null when that is zero. */
  biasFraction: number | null;
  agrees: boolean;
}

export interface CalibrationResult {
  bandFraction: number;
  metrics: MetricCalibration[];
  /** Series that could not be compared, and why. */
  skipped: Array<{ file: string; label: string; reason: string }>;
  findings: Finding[];
}

export interface RecordedInput {
  file: string;
  series: RecordedSeries;
}

export function calibrate(result: ScenarioResult, recorded: RecordedInput[], bandFraction = defaultBandFraction): CalibrationResult {
  const out: CalibrationResult = { bandFraction, metrics: [], skipped: [], findings: [] };
  for (const { file, series } of recorded) {
    const compared = compareSeries(result, series, bandFraction);
    if (typeof compared === "string") out.skipped.push({ file, label: series.label, reason: compared });
    else out.metrics.push({ file, ...compared });
  }
  out.findings = calibrationFindings(out.metrics, bandFraction);
  return out;
}

interface ParsedLabel {
  metric: string;
  statistic: CloudWatchStatistic | null;
  words: string[];
}

function parseLabel(series: Pick<RecordedSeries, "label" | "statistic">): ParsedLabel {
  const words = series.label.trim().split(/\s+/);
  const last = words[words.length - 1];
  const named = words.length > 1 && (cloudWatchStatistics as readonly string[]).includes(last) ? (last as CloudWatchStatistic) : null;
  return { metric: words[0], statistic: series.statistic ?? named, words: words.slice(1, named === null ? undefined : -1) };
}

/** What a label names in the run: the mapping, the system, the dimension, the simulated series and the statistic; or why not. */
export function resolveLabel(result: ScenarioResult, series: Pick<RecordedSeries, "label" | "statistic">) {
  const label = parseLabel(series);
  const mapping = metricTable[label.metric];
  if (mapping === undefined) return calibrationText.unknownMetric(label.metric, calibratedMetricNames);
  const statistic = label.statistic ?? mapping.statistics[0];
  if (!mapping.statistics.includes(statistic)) return calibrationText.wrongStatistic(statistic, mapping.statistics);
  const system = pickSystem(result.systems, mapping, label.words);
  if (typeof system === "string") return system;
  const dimension = dimensionOf(label.words.filter((word) => word !== system.name));
  const simulated = mapping.simulated(system, dimension);
  if (simulated === null) return calibrationText.noSuchDimension(system.name, dimension.value ?? label.metric);
  return { metric: label.metric, mapping, system, dimension, simulated, statistic };
}

/** The simulated value of the period [fromUs, fromUs + periodUs) of the run; both multiples of the report interval. */
export function simulatedPeriodValue(result: ScenarioResult, simulated: SimulatedSeries, statistic: CloudWatchStatistic, fromUs: number, periodUs: number): number {
  const intervalUs = result.scenario.reportIntervalUs;
  return simulatedValue(simulated, statistic, fromUs / intervalUs, (fromUs + periodUs) / intervalUs, periodUs);
}

function compareSeries(result: ScenarioResult, series: RecordedSeries, bandFraction: number): Omit<MetricCalibration, "file"> | string {
  const resolved = resolveLabel(result, series);
  if (typeof resolved === "string") return resolved;
  const { metric, mapping, system, dimension, simulated, statistic } = resolved;
  if (series.timeBase !== "epoch") return calibrationText.needsCalendar;
  const periodMs = series.periodMs ?? null;
  if (periodMs === null) return calibrationText.singlePoint;
  const points = alignedPoints(result, series, periodMs * 1000, simulated, statistic);
  if (typeof points === "string") return points;
  if (points.length === 0) return calibrationText.noOverlap;
  return { label: series.label, metric, system: system.name, dimension, statistic, unit: mapping.unit, periodSeconds: periodMs / 1000, points, ...errors(points, bandFraction, mapping.floor) };
}

function pickSystem(systems: SystemResult[], mapping: MetricMapping, words: string[]): SystemResult | string {
  const ofKind = systems.filter((system) => system.kind === mapping.systemKind);
  const named = ofKind.find((system) => words.includes(system.name));
  if (named !== undefined) return named;
  if (ofKind.length === 1) return ofKind[0];
  return ofKind.length === 0 ? calibrationText.noSystemOfKind(mapping.systemKind) : calibrationText.severalSystems(ofKind.map((system) => system.name));
}

function dimensionOf(words: string[]): Dimension {
  for (const word of words) {
    if (/^shardId-\d+$/.test(word)) return { kind: "shard", value: word };
    const broker = /^broker-(\d+)$/i.exec(word);
    if (broker !== null) return { kind: "broker", value: broker[1] };
  }
  return words.length > 0 ? { kind: "consumer", value: words.join(" ") } : { kind: null, value: null };
}

/** Each recorded period that lies wholly in [warm-up end, run end), with the simulated value of the same period. */
function alignedPoints(result: ScenarioResult, series: RecordedSeries, periodUs: number, simulated: SimulatedSeries, statistic: CloudWatchStatistic): CalibrationPoint[] | string {
  const { startEpochMs, warmupUs, durationUs, reportIntervalUs } = result.scenario;
  const points: CalibrationPoint[] = [];
  for (let i = 0; i < series.timesMs.length; i++) {
    const fromUs = (series.timesMs[i] - startEpochMs) * 1000;
    if (fromUs < warmupUs || fromUs + periodUs > durationUs) continue;
    if (fromUs % reportIntervalUs !== 0 || periodUs % reportIntervalUs !== 0) return calibrationText.intervalMisfit(periodUs / 1e6, reportIntervalUs / 1e6);
    const first = fromUs / reportIntervalUs;
    const value = simulatedValue(simulated, statistic, first, first + periodUs / reportIntervalUs, periodUs);
    points.push({ timeSeconds: fromUs / 1e6, recorded: series.values[i], simulated: value });
  }
  return points;
}

/** The simulated value of report intervals [first, end): a total, a per-second rate, or a gauge's largest or mean value. */
function simulatedValue(simulated: SimulatedSeries, statistic: CloudWatchStatistic, first: number, end: number, periodUs: number): number {
  if (simulated.shape !== "gauge") {
    let total = 0;
    for (const one of simulated.series) for (let i = first; i < end; i++) total += one.sumAt(i);
    return simulated.shape === "rate" ? total / (periodUs / 1e6) : total;
  }
  // Across several consumers a stream-level gauge is the largest (CloudWatch aggregates every GetRecords caller).
  let best = 0;
  for (const one of simulated.series) {
    let max = 0;
    let weighted = 0;
    let covered = 0;
    for (let i = first; i < end; i++) {
      const value = one.maxAt(i);
      if (Number.isNaN(value)) continue;
      max = Math.max(max, value);
      weighted += one.meanAt(i) * one.durationUsAt(i);
      covered += one.durationUsAt(i);
    }
    const value = statistic === "Maximum" ? max : covered > 0 ? weighted / covered : 0;
    best = Math.max(best, value);
  }
  return best;
}

function errors(points: CalibrationPoint[], bandFraction: number, floor: number) {
  let absoluteShare = 0;
  let counted = 0;
  let maxError = 0;
  let recordedSum = 0;
  let simulatedSum = 0;
  let recordedAbs = 0;
  for (const point of points) {
    const error = point.simulated - point.recorded;
    maxError = Math.max(maxError, Math.abs(error));
    recordedSum += point.recorded;
    simulatedSum += point.simulated;
    recordedAbs += Math.abs(point.recorded);
    const scale = Math.max(Math.abs(point.recorded), floor);
    if (scale !== 0) {
      absoluteShare += Math.abs(error) / scale;
      counted++;
    }
  }
  const mapeFraction = counted === 0 ? null : absoluteShare / counted;
  const biasScale = Math.max(recordedAbs, floor * points.length);
  const biasFraction = biasScale === 0 ? null : (simulatedSum - recordedSum) / biasScale;
  // Nothing recorded (no throttling, say): the model agrees only if it shows nothing either.
  const agrees = mapeFraction === null ? simulatedSum === 0 : mapeFraction <= bandFraction && Math.abs(biasFraction ?? 0) <= bandFraction;
  return { mapeFraction, maxError, biasFraction, agrees };
}

/** One warning per metric outside the band, naming the metric and the usual cause. */
function calibrationFindings(metrics: MetricCalibration[], bandFraction: number): Finding[] {
  const trafficAgrees = (system: string) =>
    metrics.some((one) => one.system === system && one.dimension.kind === null && metricTable[one.metric].cause === "traffic" && one.agrees);
  return metrics
    .filter((metric) => !metric.agrees)
    .map((metric) => {
      const mapping = metricTable[metric.metric];
      const cause = mapping.cause === "traffic" && metric.dimension.kind === "shard" && trafficAgrees(metric.system) ? "skew" : mapping.cause;
      return {
        severity: "warning" as const,
        code: "calibration-disagrees",
        subject: metric.label,
        message: calibrationText.finding(metric, cause, bandFraction),
        evidence: {
          mapePercent: metric.mapeFraction === null ? -1 : Math.round(metric.mapeFraction * 1000) / 10,
          biasPercent: metric.biasFraction === null ? 0 : Math.round(metric.biasFraction * 1000) / 10,
          maxError: metric.maxError,
          bandPercent: bandFraction * 100,
          periods: metric.points.length,
        },
      };
    });
}
