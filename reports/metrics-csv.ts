// metrics.csv: every series of a run in long format (time, system, component, metric, value), one
// row per report interval, for users who plot in their own tools. RFC 4180: CRLF line ends, fields
// quoted when they hold a comma, a quote or a line break, quotes doubled.

import type { CounterSeries, GaugeSeries, SystemResult } from "../sim/metrics/index.ts";
import type { ScenarioResult } from "../sim/run/index.ts";

export const metricsCsvHeader = ["time", "system", "component", "metric", "value"] as const;

type Row = [timeSeconds: number, system: string, component: string, metric: string, value: number];

export function metricsCsv(result: ScenarioResult): string {
  return [...metricsCsvChunks(result)].join("");
}

/**
 * The file in pieces, one series at a time, so a long run with short report intervals is written
 * without holding the whole text (it can reach millions of rows) in memory at once.
 */
export function* metricsCsvChunks(result: ScenarioResult): Generator<string> {
  yield `${metricsCsvHeader.join(",")}\r\n`;
  for (const system of result.systems) {
    for (const rows of systemRows(system)) yield rows.map((row) => `${row.map(csvField).join(",")}\r\n`).join("");
  }
}

/** A CSV field per RFC 4180; numbers in shortest round-trip form, an undefined gauge value as an empty field. */
export function csvField(value: string | number): string {
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

function* systemRows(system: SystemResult): Generator<Row[]> {
  // System-level series by their native names; "broker-1/BytesInPerSec" is component broker-1.
  for (const [name, series] of Object.entries(system.series)) {
    const slash = name.indexOf("/");
    const [component, metric] = slash < 0 ? [system.name, name] : [name.slice(0, slash), name.slice(slash + 1)];
    yield seriesRows(system.name, component, metric, series);
  }
  for (const partition of system.partitions) {
    for (const [metric, series] of Object.entries(partition.series)) yield seriesRows(system.name, partition.id, metric, series);
    const first = partition.series.offeredRecords;
    yield Array.from(partition.writeUtilization, (value, i): Row => [first.startUsAt(i) / 1e6, system.name, partition.id, "writeUtilization", value]);
  }
  for (const consumer of system.consumers) {
    yield seriesRows(system.name, consumer.name, "lagMs", consumer.lagSeries);
    yield seriesRows(system.name, consumer.name, consumer.native.name, consumer.native.series);
    for (const { id, series } of consumer.nativePerPartition) yield seriesRows(system.name, `${consumer.name}/${id}`, consumer.native.name, series);
  }
}

/** Counters give their sum per interval; gauges their largest value in the interval (the one alarms watch). */
function seriesRows(system: string, component: string, metric: string, series: CounterSeries | GaugeSeries): Row[] {
  const rows: Row[] = [];
  const counter = "sumAt" in series;
  for (let i = 0; i < series.intervalCount; i++) {
    const value = counter ? series.sumAt(i) : series.maxAt(i);
    rows.push([series.startUsAt(i) / 1e6, system, component, counter ? metric : `${metric}.max`, value]);
  }
  return rows;
}
