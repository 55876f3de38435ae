// Report intervals merged into chart columns (at most timeColumnsMax per chart), so chart data stays
// small however long the run: counters are summed, and their rate is taken over the column's length.

import type { CounterSeries } from "../../sim/metrics/index.ts";
import { intervalsPerColumn } from "./common.ts";

export interface Columns {
  /** Report intervals per column. */
  perColumn: number;
  /** Start of each column in minutes from the start of the run. */
  startMinutes: number[];
  /** Length of each column in seconds (the last may be shorter). */
  durationSeconds: number[];
}

export function columnsOf(series: CounterSeries): Columns {
  const perColumn = intervalsPerColumn(series.intervalCount);
  const startMinutes: number[] = [];
  const durationSeconds: number[] = [];
  for (let i = 0; i < series.intervalCount; i++) {
    const column = Math.floor(i / perColumn);
    if (column === startMinutes.length) {
      startMinutes.push(series.startUsAt(i) / 60e6);
      durationSeconds.push(0);
    }
    durationSeconds[column] += series.durationUsAt(i) / 1e6;
  }
  return { perColumn, startMinutes, durationSeconds };
}

/** Per-column sums of a counter series. */
export function columnSums(series: CounterSeries, columns: Columns): number[] {
  const sums = new Array<number>(columns.startMinutes.length).fill(0);
  for (let i = 0; i < series.intervalCount; i++) sums[Math.floor(i / columns.perColumn)] += series.sumAt(i);
  return sums;
}
