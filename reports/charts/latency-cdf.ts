// End-to-end latency CDF per system and consumer, from the consumers' latency histograms (creation
// to end of processing, after warm-up), as a fraction of the records produced: dropped records never
// arrive, so such a system's curve tops out at its delivered share. Log-scaled latency, so milliseconds and
// minutes share a chart.

import * as aq from "arquero";
import type { LogHistogram, SystemResult } from "../../sim/metrics/index.ts";
import { chartWidth, distinctCount, durationUnit, logTicks, systemColor, type Chart } from "./common.ts";
import { axisText, chartText } from "./messages.ts";

/** Most points drawn per line: the histogram's buckets are thinned to about this many. */
export const cdfPointsMax = 300;

export function latencyCdfChart(systems: SystemResult[]): Chart | null {
  const rows = systems.flatMap((system) =>
    system.consumers.flatMap((consumer) =>
      cdfRows(consumer.endToEndLatency, deliveredShare(system)).map((row) => ({ system: system.name, consumer: consumer.name, ...row })),
    ),
  );
  if (rows.length === 0) return null;
  // The axis reads in a unit fitted to the latencies' range (milliseconds up to "1,000,000" read badly), on round ticks.
  const lowMs = Math.min(...rows.map((row) => row.latencyMs));
  const highMs = Math.max(...rows.map((row) => row.latencyMs));
  const unit = durationUnit(lowMs, highMs);
  const ticks = logTicks(lowMs / unit.ms, highMs / unit.ms);
  const values = rows.map(({ latencyMs, ...row }) => ({ ...row, latency: Number((latencyMs / unit.ms).toPrecision(12)) }));
  return {
    name: "latency-cdf",
    caption: chartText.latencyCdf.caption,
    spec: {
      title: chartText.latencyCdf.title,
      width: chartWidth,
      height: 240,
      data: { values },
      mark: { type: "line", interpolate: "step-after" },
      encoding: {
        x: { field: "latency", type: "quantitative", title: axisText.latency(unit.name), scale: { type: "log", domain: ticks.domain, nice: false }, axis: { values: ticks.values, format: ",~g" } },
        y: { field: "fraction", type: "quantitative", title: axisText.fractionOfRecords, axis: { format: ".0%" }, scale: { domain: [0, 1] } },
        color: systemColor(systems.map((system) => system.name)),
        strokeDash: { field: "consumer", type: "nominal", title: axisText.consumer },
        detail: [{ field: "system" }, { field: "consumer" }],
      },
    },
    marks: { markClass: "mark-line", count: distinctCount(rows, ["system", "consumer"]) },
  };
}

/**
 * The share of the system's produced records that were not dropped: the CDF's top. A record the producer
 * gave up on never arrives, so it is counted in the whole the curve is a fraction of, never below any latency.
 */
export function deliveredShare(system: SystemResult): number {
  const { produced, dropped } = system.records;
  return produced > 0 ? Math.max(0, 1 - dropped / produced) : 1;
}

/**
 * Cumulative fraction at each bucket's upper edge, thinned to about cdfPointsMax points (the last kept),
 * of the records produced: `top` is the share not dropped, so a system that dropped records tops out below 1.
 */
export function cdfRows(histogram: LogHistogram, top = 1): Array<{ latencyMs: number; fraction: number }> {
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
    .map((row) => ({ latencyMs: row.latencyMs, fraction: (row.below / total) * top }));
}
