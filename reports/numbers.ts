// One rounding rule for every number written to summary.json, summary.md and report.html (its tables
// and its charts' labels), so outputs compare byte for byte and one figure reads the same everywhere.

import { percent } from "../sim/units/index.ts";

// Shares are formatted in sim/units (findings use them too).
export { droppedShareDigits, percent, shareText } from "../sim/units/index.ts";

/** Rounds to `digits` decimals; NaN (an empty statistic) becomes null. */
export function round(value: number, digits = 3): number | null {
  if (Number.isNaN(value)) return null;
  const factor = 10 ** digits;
  const rounded = Math.round(value * factor) / factor;
  return Object.is(rounded, -0) ? 0 : rounded;
}

/**
 * A utilization in whole percent ("155%"), as every table, sentence and chart label writes it: rounded
 * first to summary.json's 3 decimals, then to the percent, so a chart drawn from the raw value and a
 * table read from summary.json never differ by one (154% beside 155%).
 */
export function utilizationText(fraction: number): string {
  return percent(round(fraction) ?? 0, 0);
}

/** 1234567 -> "1,234,567" (fixed locale, so output does not depend on the machine). */
export function grouped(value: number): string {
  return Math.round(value).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** "0.85", "5.9", "73", "1,204": three significant digits or whole milliseconds, as a reader compares them. */
export function millisecondsText(ms: number | null): string {
  if (ms === null) return "-";
  return ms < 10 ? ms.toFixed(2) : ms < 100 ? ms.toFixed(1) : grouped(ms);
}

/** "0.12 s", "14.3 s", "2.5 min": a lag or latency in seconds, minutes from two minutes up. */
export function secondsText(ms: number | null): string {
  if (ms === null) return "-";
  return ms >= 120_000 ? `${(ms / 60_000).toFixed(1)} min` : `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

/** Consumer-hours as the tables and the comparison print them: "1.08", "2.62", "12". */
export function consumerHoursText(hours: number): string {
  return hours.toLocaleString("en-US", { maximumFractionDigits: 2 });
}

/** Bytes in the decimal unit that keeps the figure short, to 3 significant digits: "1.31 TB", "3.6 GB", "250 MB". */
export function bytesText(bytes: number): string {
  const units: Array<[number, string]> = [[1e12, "TB"], [1e9, "GB"], [1e6, "MB"], [1e3, "KB"]];
  for (const [size, unit] of units) {
    // 999,950 B reads "1 MB", not "1,000 KB": the unit is chosen after rounding.
    if (Number((bytes / size).toPrecision(3)) >= 1) return `${Number((bytes / size).toPrecision(3)).toLocaleString("en-US")} ${unit}`;
  }
  return `${grouped(bytes)} B`;
}
