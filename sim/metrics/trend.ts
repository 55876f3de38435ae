// Whether a lag gauge keeps growing: the change of its last value per second from the first interval
// starting at or after `fromUs` to the last interval. Models use it to say a consumer falls behind.

import type { GaugeSeries } from "./series.ts";

export function lagTrend(series: GaugeSeries, fromUs: number): { finalLagMs: number; growthMsPerSecond: number } | null {
  let first = -1;
  for (let i = 0; i < series.intervalCount && first < 0; i++) if (series.startUsAt(i) >= fromUs) first = i;
  const last = series.intervalCount - 1;
  if (first < 0 || first >= last) return null;
  const finalLagMs = series.lastAt(last);
  const growthMsPerSecond = (finalLagMs - series.lastAt(first)) / ((series.startUsAt(last) - series.startUsAt(first)) / 1e6);
  return { finalLagMs, growthMsPerSecond };
}
