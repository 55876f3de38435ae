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

/** The colour scale of the systems: a fixed domain (scenario order) so colours agree across charts. */
export function systemColor(systemNames: string[]) {
  return {
    field: "system",
    type: "nominal",
    title: axisText.system,
    scale: { domain: systemNames, range: systemNames.map((_, index) => systemPalette[index % systemPalette.length]) },
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
