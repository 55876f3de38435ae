// Consumer lag over time: the largest age of the oldest unprocessed record in each chart column, per
// consumer, coloured by system so the systems compare on one set of axes. Like the lag quantiles of
// summary.json, it starts at the end of warm-up: the models sample the gauge from the start, but a
// report interval that lies wholly in warm-up is left out, so the chart's peak is the table's max.

import * as aq from "arquero";
import type { SystemResult } from "../../sim/metrics/index.ts";
import { chartWidth, distinctCount, durationUnit, intervalsPerColumn, systemColor, timeX, type Chart } from "./common.ts";
import { axisText, chartText } from "./messages.ts";

export function lagChart(systems: SystemResult[], warmupUs = 0): Chart | null {
  const rows = systems.flatMap((system) => lagRows(system, warmupUs));
  if (rows.length === 0) return null;
  const values = aq
    .from(rows)
    .groupby("system", "consumer", "column")
    .rollup({ minute: aq.op.min("minute"), lagSeconds: aq.op.max("lagSeconds") })
    .orderby("system", "consumer", "column")
    .select("system", "consumer", "minute", "lagSeconds")
    .objects()
    .map((row) => {
      const typed = row as { system: string; consumer: string; minute: number; lagSeconds: number };
      return { ...typed, series: `${typed.system} · ${typed.consumer}` };
    });
  const coinciding = coincidingSeries(values);
  // Seconds up to 5 minutes, then minutes and hours (a lag of hours once read "lag (s)" up to 10,000);
  // never milliseconds, so the axis reads in the summary table's seconds for a lag under a second.
  const highMs = Math.max(2000, ...values.map((row) => row.lagSeconds * 1000));
  const unit = durationUnit(highMs, highMs);
  return {
    name: "lag",
    caption: coinciding.length === 0 ? chartText.lag.caption : `${chartText.lag.caption} ${chartText.lag.coincide(coinciding)}`,
    spec: {
      title: chartText.lag.title,
      width: chartWidth,
      height: 240,
      data: { values },
      // The data keep lagSeconds; the axis reads it in its unit.
      ...(unit.name === "s" ? {} : { transform: [{ calculate: `datum.lagSeconds * ${1000 / unit.ms}`, as: "lag" }] }),
      mark: { type: "line", interpolate: "step-after", point: false },
      encoding: {
        x: timeX(values),
        y: unit.name === "s" ? { field: "lagSeconds", type: "quantitative", title: axisText.lagSeconds } : { field: "lag", type: "quantitative", title: axisText.lag(unit.name) },
        color: systemColor(systems.map((system) => system.name)),
        // One dash per system and consumer, so two series that coincide still both show (solid under dashed).
        strokeDash: { field: "series", type: "nominal", title: axisText.consumer },
        detail: [{ field: "system" }, { field: "consumer" }],
      },
    },
    marks: { markClass: "mark-line", count: distinctCount(values, ["system", "consumer"]) },
  };
}

/** Pairs of series ("system · consumer") whose values agree within 1% of the chart's largest value at every column: one line hides the other. */
export function coincidingSeries(values: Array<{ system: string; consumer: string; lagSeconds: number }>): Array<[string, string]> {
  const bySeries = new Map<string, number[]>();
  for (const row of values) {
    const key = `${row.system} · ${row.consumer}`;
    bySeries.set(key, [...(bySeries.get(key) ?? []), row.lagSeconds]);
  }
  const names = [...bySeries.keys()];
  const tolerance = 0.01 * Math.max(0, ...values.map((row) => row.lagSeconds));
  const pairs: Array<[string, string]> = [];
  for (let i = 0; i < names.length; i++) {
    for (let j = i + 1; j < names.length; j++) {
      const a = bySeries.get(names[i])!;
      const b = bySeries.get(names[j])!;
      if (a.length === b.length && a.every((value, k) => Math.abs(value - b[k]) <= tolerance)) pairs.push([names[i], names[j]]);
    }
  }
  return pairs;
}

function lagRows(system: SystemResult, warmupUs: number) {
  return system.consumers.flatMap((consumer) => {
    const series = consumer.lagSeries.toArrays();
    const perColumn = intervalsPerColumn(series.max.length);
    const rows = [];
    for (let i = 0; i < series.max.length; i++) {
      // An interval the gauge never covered has no lag to draw; one wholly in warm-up is not measured.
      const endUs = consumer.lagSeries.startUsAt(i) + consumer.lagSeries.durationUsAt(i);
      if (Number.isNaN(series.max[i]) || endUs <= warmupUs) continue;
      rows.push({ system: system.name, consumer: consumer.name, column: Math.floor(i / perColumn), minute: series.startUs[i] / 60e6, lagSeconds: series.max[i] / 1000 });
    }
    // The last value again at the end of the run, so the step line reaches it.
    const last = rows[rows.length - 1];
    if (last !== undefined) rows.push({ ...last, column: last.column + 1, minute: consumer.lagSeries.endUs / 60e6 });
    return rows;
  });
}
