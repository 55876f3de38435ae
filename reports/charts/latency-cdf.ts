// End-to-end latency CDF per system and consumer, from the consumers' latency histograms (creation
// to end of processing, after warm-up). Log-scaled latency, so milliseconds and minutes share a chart.

import * as aq from "arquero";
import type { LogHistogram, SystemResult } from "../../sim/metrics/index.ts";
import { chartWidth, distinctCount, systemColor, type Chart } from "./common.ts";
import { axisText, chartText } from "./messages.ts";

/** Most points drawn per line: the histogram's buckets are thinned to about this many. */
export const cdfPointsMax = 300;

export function latencyCdfChart(systems: SystemResult[]): Chart | null {
  const rows = systems.flatMap((system) =>
    system.consumers.flatMap((consumer) => cdfRows(consumer.endToEndLatency).map((row) => ({ system: system.name, consumer: consumer.name, ...row }))),
  );
  if (rows.length === 0) return null;
  return {
    name: "latency-cdf",
    caption: chartText.latencyCdf.caption,
    spec: {
      title: chartText.latencyCdf.title,
      width: chartWidth,
      height: 240,
      data: { values: rows },
      mark: { type: "line", interpolate: "step-after" },
      encoding: {
        x: { field: "latencyMs", type: "quantitative", title: axisText.latencyMs, scale: { type: "log" } },
        y: { field: "fraction", type: "quantitative", title: axisText.fractionOfRecords, axis: { format: ".0%" }, scale: { domain: [0, 1] } },
        color: systemColor(systems.map((system) => system.name)),
        strokeDash: { field: "consumer", type: "nominal", title: axisText.consumer },
        detail: [{ field: "system" }, { field: "consumer" }],
      },
    },
    marks: { markClass: "mark-line", count: distinctCount(rows, ["system", "consumer"]) },
  };
}

/** Cumulative fraction at each bucket's upper edge, thinned to about cdfPointsMax points (the last kept). */
export function cdfRows(histogram: LogHistogram): Array<{ latencyMs: number; fraction: number }> {
  const buckets = histogram.toBuckets().filter((bucket) => bucket.upperUs > 0);
  if (buckets.length === 0) return [];
  const cumulative = aq
    .from(buckets.map((bucket, index) => ({ index, latencyMs: bucket.upperUs / 1000, count: bucket.count })))
    .orderby("index")
    .derive({ below: aq.rolling((d: { count: number }) => aq.op.sum(d.count)) })
    .objects() as Array<{ latencyMs: number; below: number }>;
  const total = histogram.count;
  const step = Math.ceil(cumulative.length / cdfPointsMax);
  return cumulative
    .filter((_, index) => index % step === 0 || index === cumulative.length - 1)
    .map((row) => ({ latencyMs: row.latencyMs, fraction: row.below / total }));
}
