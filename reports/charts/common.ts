// What every chart shares: one colour per system (the same in every chart of a report, so a reader
// follows a system from chart to chart), time in seconds from the start, and the bound on how many
// time columns a chart draws.

import * as aq from "arquero";
import { axisText } from "./messages.ts";
import type { ChartSpec } from "./render.ts";

/** Vega's "tableau10" colours, in order of the systems in the scenario file. */
const systemPalette = ["#4c78a8", "#f58518", "#54a24b", "#e45756", "#72b7b2", "#eeca3b", "#b279a2", "#ff9da6", "#9d755d", "#bab0ac"];

/** Charts draw at most this many time columns; longer series are merged into wider columns. */
export const timeColumnsMax = 200;

/** The colour of one system: its place among the scenario's systems picks it from the palette. */
export function systemColorAt(index: number): string {
  return systemPalette[index % systemPalette.length];
}

/**
 * n shades of a system's colour, from darker to lighter, for the parts of that system's total (cost
 * line items), so a part still reads as its system's while the parts stay apart from each other.
 */
export function systemShades(color: string, count: number): string[] {
  const rgb = [1, 3, 5].map((offset) => Number.parseInt(color.slice(offset, offset + 2), 16));
  const mix = (t: number) => rgb.map((channel) => Math.round(t < 0 ? channel * (1 + t) : channel + (255 - channel) * t));
  const hex = (channels: number[]) => `#${channels.map((channel) => channel.toString(16).padStart(2, "0")).join("")}`;
  if (count <= 1) return [color];
  // From 40% darker to 65% lighter: the ends stay visible against white and apart from each other.
  return Array.from({ length: count }, (_, index) => hex(mix(-0.4 + (1.05 * index) / (count - 1))));
}

/** The colour scale of the systems: a fixed domain (scenario order) so colours agree across charts. */
export function systemColor(systemNames: string[]) {
  return {
    field: "system",
    type: "nominal",
    title: axisText.system,
    scale: { domain: systemNames, range: systemNames.map((_, index) => systemColorAt(index)) },
  } as const;
}

/** How many report intervals go into one chart column so that there are at most timeColumnsMax. */
export function intervalsPerColumn(intervalCount: number): number {
  return Math.max(1, Math.ceil(intervalCount / timeColumnsMax));
}

/** A chart ready to render: its spec, and how many marks of which kind the data behind it must draw. */
export interface Chart {
  /** File name without extension, e.g. "throughput". */
  name: string;
  /** One sentence under the chart in report.html saying how to read it. */
  caption: string;
  spec: ChartSpec;
  /** The vega mark class whose items are counted (e.g. "mark-line"), and how many items the data makes. */
  marks: { markClass: string; count: number };
}

/** Distinct values of the given columns, counted with arquero (the number of lines a line chart draws). */
export function distinctCount(rows: object[], columns: string[]): number {
  if (rows.length === 0) return 0;
  return aq.from(rows).groupby(columns).count().numRows();
}

export const chartWidth = 640;

/**
 * One panel per system, named above the panel in bold: vega-lite's default puts the name sideways in
 * small type at the left, where a reader misses which panel is which system.
 */
export function systemRows(systemNames: string[]) {
  return {
    row: {
      field: "system",
      type: "nominal",
      title: null,
      sort: systemNames,
      header: { labelOrient: "top", labelAngle: 0, labelAnchor: "start", labelFontSize: 13, labelFontWeight: "bold", labelPadding: 4 },
    },
  } as const;
}

/** Runs longer than this many minutes read their time axis in hours; runs up to secondsAxisToMinutes, in seconds. */
export const hoursAxisFromMinutes = 180;
export const secondsAxisToMinutes = 3;

/** Tick steps, in each unit, from which the time axis takes the smallest that keeps it to timeStepsMax steps. */
const timeSteps = {
  seconds: [5, 10, 15, 20, 30, 60],
  minutes: [0.5, 1, 2, 5, 10, 15, 20, 30, 60],
  hours: [1, 2, 3, 4, 6, 12, 24, 48],
} as const;
const timeStepsMax = 12;

/**
 * The time axis every time chart shares, over data in minutes since the start: in seconds for a run of up
 * to 3 minutes, in minutes up to 3 hours, in hours above (a day's run once read "0 ... 1600" past its
 * 1,440-minute end), with ticks on round values of the unit (every 30 s or minute, not "0.4, 0.8 ... min")
 * and no more than 12 steps. The data stays in minutes; the labels are in the unit. Where the rows give
 * their end (minuteEnd: a heatmap's cells), the axis ends at the run's end, else at the next tick.
 */
export function timeX(rows: ReadonlyArray<{ minute: number; minuteEnd?: number }>) {
  const endMinutes = rows.reduce((end, row) => Math.max(end, row.minuteEnd ?? row.minute), 0);
  const exactEnd = rows.some((row) => row.minuteEnd !== undefined);
  const unit = endMinutes <= secondsAxisToMinutes ? { steps: timeSteps.seconds, minutes: 1 / 60, title: axisText.timeSeconds } : endMinutes <= hoursAxisFromMinutes ? { steps: timeSteps.minutes, minutes: 1, title: axisText.time } : { steps: timeSteps.hours, minutes: 60, title: axisText.timeHours };
  const span = endMinutes / unit.minutes;
  const step = unit.steps.find((candidate) => span / candidate <= timeStepsMax) ?? Math.ceil(span / timeStepsMax);
  const last = exactEnd ? Math.floor(span / step + 1e-9) : Math.max(1, Math.ceil(span / step - 1e-9));
  const values = Array.from({ length: last + 1 }, (_, index) => Number(((index * step * unit.minutes)).toPrecision(12)));
  const domainEnd = exactEnd ? endMinutes : values.at(-1)!;
  return {
    field: "minute",
    type: "quantitative",
    title: unit.title,
    scale: { domain: [0, domainEnd] as number[], nice: false },
    axis: { values, labelExpr: `format(datum.value * ${1 / unit.minutes}, '~g')` },
  } as const;
}

/** A unit a duration axis can read in, and its length in milliseconds. */
export interface DurationUnit {
  name: "ms" | "s" | "min" | "h";
  ms: number;
}

const durationUnits: DurationUnit[] = [
  { name: "ms", ms: 1 },
  { name: "s", ms: 1000 },
  { name: "min", ms: 60_000 },
  { name: "h", ms: 3_600_000 },
];

/** Up to what longest duration each unit reads an axis: milliseconds below 2 s, seconds to 5 min, minutes to 3 h. */
const durationUnitUpToMs = { ms: 2000, s: 300_000, min: hoursAxisFromMinutes * 60_000 } as const;

/** A tick label needs no more than this many decimals; an axis whose low end would is read in the next smaller unit. */
const durationDecimalsMax = 2;

/**
 * The unit a duration axis from `lowMs` to `highMs` reads in: chosen from the longest (ms below 2 s,
 * seconds up to 5 minutes, minutes up to 3 hours, hours above), then one unit smaller while the shortest
 * would need more than two decimals (a CDF from 10 ms to 7 min reads 0.01 ... 500 s, not 0.0002 ... 10 min).
 * End-to-end latency once read "1,000,000" ms.
 */
export function durationUnit(lowMs: number, highMs: number): DurationUnit {
  let index = highMs < durationUnitUpToMs.ms ? 0 : highMs < durationUnitUpToMs.s ? 1 : highMs < durationUnitUpToMs.min ? 2 : 3;
  while (index > 0 && lowMs / durationUnits[index].ms < 10 ** -durationDecimalsMax) index -= 1;
  return durationUnits[index];
}

/**
 * Ticks of a log axis from `low` to `high` on round values: 1, 2 and 5 times each power of ten (or 1
 * and 3, or powers of ten alone, whichever first keeps to 10 ticks), and the domain from the tick at or
 * below `low` to the one at or above `high`, so the axis starts and ends on a labelled value.
 */
export function logTicks(low: number, high: number): { values: number[]; domain: [number, number] } {
  const fromPower = Math.floor(Math.log10(low));
  const toPower = Math.ceil(Math.log10(high));
  const candidates = (mantissas: number[]) => {
    const all: number[] = [];
    for (let power = fromPower; power <= toPower; power++) for (const mantissa of mantissas) all.push(Number((mantissa * 10 ** power).toPrecision(12)));
    const first = all.filter((value) => value <= low * (1 + 1e-9)).length - 1;
    const last = all.findIndex((value) => value >= high * (1 - 1e-9));
    return all.slice(Math.max(0, first), last < 0 ? all.length : last + 1);
  };
  const values = [[1, 2, 5], [1, 3], [1]].map(candidates).find((ticks) => ticks.length <= 10) ?? candidates([1]);
  return { values, domain: [values[0], values.at(-1)!] };
}
