// Every user-facing sentence of calibration, kept apart from detection.

import type { MetricCalibration } from "./compare.ts";
import type { MismatchCause } from "./metric-table.ts";
import { grouped } from "../numbers.ts";

const pct = (fraction: number) => `${(fraction * 100).toFixed(1)}%`;

const causes: Record<MismatchCause, (higherInReality: boolean) => string> = {
  traffic: () => "the workload differs from the real one: check the rate (the history's metric and scale) and the record sizes (IncomingBytes over IncomingRecords is the real mean size)",
  skew: () =>
    "the stream's total agrees but this shard's share does not: shard-level skew that is not in the key sample; sample the real partition keys into a key file (keys: { distribution: file })",
  throttling: () =>
    "throttling differs: shard-level skew not in the key sample (a hot key fills one shard), or the producers' retry settings (every throttled retry counts again)",
  consumers: (higherInReality) =>
    higherInReality
      ? "the real consumers fall further behind than the model's: check the consumer settings (fewer consumers or KCL workers, slower processing per record, a longer poll interval, smaller batches) and retries of failed batches"
      : "the model's consumers fall further behind than the real ones: check the consumer settings (more consumers or workers in reality, faster processing, larger batches)",
};

export const calibrationText = {
  /** "982,987 bytes", "43,387 ms": the largest error, grouped as every count in the reports. */
  maxError: (metric: Pick<MetricCalibration, "maxError" | "unit">) => `${grouped(metric.maxError)} ${metric.unit}`,
  unknownMetric: (metric: string, known: string[]) => `metric "${metric}" is not one calibration compares; expected a label starting with one of: ${known.join(", ")}`,
  wrongStatistic: (found: string, supported: string[]) => `the ${found} statistic is not comparable for this metric; export ${supported.join(" or ")} (end the label with the statistic's name)`,
  noSystemOfKind: (kind: string) => `the scenario has no ${kind} system to compare with`,
  severalSystems: (names: string[]) => `the scenario has several systems this metric could be (${names.join(", ")}); put the system's name in the label`,
  noSuchDimension: (system: string, what: string) => `system "${system}" has nothing named ${what} to compare with`,
  needsCalendar: "times are seconds from the start, not calendar times; calibration aligns CloudWatch timestamps with the scenario's start",
  singlePoint: "a single point has no period to compare",
  noOverlap: "no recorded period lies within the run after warm-up (check the scenario's start: and duration:)",
  intervalMisfit: (periodSeconds: number, intervalSeconds: number) =>
    `the report interval (${intervalSeconds}s) must divide the recorded period (${periodSeconds}s) and its start; set report: { interval: } to a divisor such as 60s`,
  finding: (metric: MetricCalibration, cause: MismatchCause, bandFraction: number) => {
    const error = metric.mapeFraction === null ? "nothing was recorded but the model shows some" : `MAPE ${pct(metric.mapeFraction)}, bias ${pct(metric.biasFraction ?? 0)}`;
    const higherInReality = (metric.biasFraction ?? 0) < 0;
    return `${metric.label} (${metric.system}): model and reality disagree beyond the ${pct(bandFraction)} band (${error}, largest error ${calibrationText.maxError(metric)}); ${causes[cause](higherInReality)}`;
  },
  chartTitle: (label: string) => `${label}: recorded and simulated`,
  chartCaption: (metric: MetricCalibration) =>
    `${metric.statistic} per ${metric.periodSeconds} s period, the recorded series (CloudWatch export ${metric.file}) over the simulated one; ` +
    (metric.mapeFraction === null ? "nothing was recorded." : `MAPE ${pct(metric.mapeFraction)}, bias ${pct(metric.biasFraction ?? 0)}.`),
  tableHeading: "Calibration",
  skippedHeading: "Not compared",
  verdict: (agreeing: number, total: number, bandFraction: number) =>
    total === 0 ? "No recorded series could be compared." : `${agreeing} of ${total} recorded series agree with the model within the ${pct(bandFraction)} band.`,
};
