// Calibration's part of the output: calibration.json (the figures), calibration.md (what a reviewer
// reads) and the section report.html shows first, with an overlay chart per compared metric.

import * as aq from "arquero";
import { renderCharts } from "../charts/index.ts";
import { escapeHtml, figure, inline, listSection, tableHtml } from "../html.ts";
import type { CalibrationResult, MetricCalibration } from "./compare.ts";
import { calibrationCharts } from "./charts.ts";
import { calibrationText } from "./messages.ts";

const percentOrDash = (fraction: number | null) => (fraction === null ? "–" : `${(fraction * 100).toFixed(1)}%`);

/** The JSON of calibration.json: every compared metric with its points and errors, what was skipped, the findings. */
export function calibrationJson(result: CalibrationResult): string {
  const round = (value: number) => Math.round(value * 1e6) / 1e6;
  const metrics = result.metrics.map((metric) => ({
    ...metric,
    mapeFraction: metric.mapeFraction === null ? null : round(metric.mapeFraction),
    biasFraction: metric.biasFraction === null ? null : round(metric.biasFraction),
    maxError: round(metric.maxError),
    points: metric.points.map((point) => ({ timeSeconds: point.timeSeconds, recorded: point.recorded, simulated: round(point.simulated) })),
  }));
  return `${JSON.stringify({ bandFraction: result.bandFraction, metrics, skipped: result.skipped, findings: result.findings }, null, 2)}\n`;
}

function metricsTable(metrics: MetricCalibration[]) {
  return aq.from(
    metrics.map((metric) => ({
      metric: metric.label,
      system: metric.system,
      statistic: `${metric.statistic} per ${metric.periodSeconds} s`,
      periods: metric.points.length,
      MAPE: percentOrDash(metric.mapeFraction),
      "max error": calibrationText.maxError(metric),
      bias: percentOrDash(metric.biasFraction),
      verdict: metric.agrees ? "agrees" : "disagrees",
    })),
  );
}

export function calibrationMarkdown(result: CalibrationResult, scenario: string): string {
  const agreeing = result.metrics.filter((metric) => metric.agrees).length;
  const lines = [`# ${scenario}: calibration`, "", calibrationText.verdict(agreeing, result.metrics.length, result.bandFraction), ""];
  for (const finding of result.findings) lines.push(`- **${finding.severity}**: ${finding.message}`);
  if (result.findings.length > 0) lines.push("");
  if (result.metrics.length > 0) lines.push(`## ${calibrationText.tableHeading}`, "", (metricsTable(result.metrics).toMarkdown() as string).trimEnd(), "");
  if (result.skipped.length > 0) {
    lines.push(`## ${calibrationText.skippedHeading}`, "");
    for (const skipped of result.skipped) lines.push(`- ${skipped.file}: \`${skipped.label}\`: ${skipped.reason}`);
    lines.push("");
  }
  return lines.join("\n");
}

/** Writes calibration.json, calibration.md and charts/calibration-*.svg; returns the section for report.html. */
export async function writeCalibration(result: CalibrationResult, scenario: string, write: (name: string, content: string) => void): Promise<string> {
  write("calibration.json", calibrationJson(result));
  write("calibration.md", calibrationMarkdown(result, scenario));
  const charts = await renderCharts(calibrationCharts(result.metrics));
  for (const { chart, svg } of charts) write(`charts/${chart.name}.svg`, svg);
  const agreeing = result.metrics.filter((metric) => metric.agrees).length;
  const parts = [
    `<section class="calibration"><h2>${calibrationText.tableHeading}</h2>`,
    `<p>${escapeHtml(calibrationText.verdict(agreeing, result.metrics.length, result.bandFraction))}</p>`,
    listSection("Calibration findings", result.findings.map((finding) => `**${finding.severity}**: ${finding.message}`), "findings"),
    result.metrics.length === 0 ? "" : tableHtml(metricsTable(result.metrics)),
    result.skipped.length === 0 ? "" : `<h3>${calibrationText.skippedHeading}</h3>\n<ul>${result.skipped.map((one) => `<li>${inline(`${one.file}: \`${one.label}\`: ${one.reason}`)}</li>`).join("")}</ul>`,
    ...charts.map(figure),
    "</section>",
  ];
  return parts.filter((part) => part !== "").join("\n");
}
