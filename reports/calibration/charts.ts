// Overlay charts of calibration: per compared metric, the recorded series and the simulated one on
// the same axes, period by period.

import type { Chart } from "../charts/common.ts";
import { chartWidth } from "../charts/common.ts";
import type { MetricCalibration } from "./compare.ts";
import { calibrationText } from "./messages.ts";

/** At most this many overlay charts (the ones that disagree first): a report stays readable. */
export const calibrationChartsMax = 24;

export function calibrationCharts(metrics: MetricCalibration[]): Chart[] {
  const ordered = [...metrics.filter((metric) => !metric.agrees), ...metrics.filter((metric) => metric.agrees)].slice(0, calibrationChartsMax);
  return ordered.map((metric, index) => overlayChart(metric, index));
}

function overlayChart(metric: MetricCalibration, index: number): Chart {
  // The last period again at its end, so the step line spans it.
  const last = metric.points[metric.points.length - 1];
  const points = last === undefined ? [] : [...metric.points, { ...last, timeSeconds: last.timeSeconds + metric.periodSeconds }];
  const values = points.flatMap((point) => [
    { minute: point.timeSeconds / 60, value: point.recorded, source: "recorded (CloudWatch)" },
    { minute: point.timeSeconds / 60, value: point.simulated, source: "simulated" },
  ]);
  return {
    name: `calibration-${index}`,
    caption: calibrationText.chartCaption(metric),
    spec: {
      title: calibrationText.chartTitle(metric.label),
      width: chartWidth,
      height: 200,
      data: { values },
      mark: { type: "line", interpolate: "step-after", point: true },
      encoding: {
        x: { field: "minute", type: "quantitative", title: "minutes from the scenario's start", axis: { format: ".0f" } },
        y: { field: "value", type: "quantitative", title: `${metric.statistic} (${metric.unit})` },
        color: { field: "source", type: "nominal", title: "series", scale: { domain: ["recorded (CloudWatch)", "simulated"], range: ["#222222", "#d97706"] } },
        strokeDash: { field: "source", type: "nominal", title: "series", scale: { domain: ["recorded (CloudWatch)", "simulated"], range: [[1, 0], [5, 3]] } },
      },
    },
    marks: { markClass: "mark-line", count: 2 },
  };
}
