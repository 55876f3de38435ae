// The Firehose charts of report.html: DeliveryToS3.DataFreshness over time (the largest value in each
// column, per stream) and the size distribution of the S3 objects each stream wrote, Direct PUT streams and
// Kinesis streams' Firehose consumers alike. A scenario without a Firehose delivery gets neither. Wording is kept here, apart from the shared chart messages.

import * as aq from "arquero";
import type { GaugeSeries, LogHistogram, SystemResult } from "../sim/metrics/index.ts";
import { chartWidth, distinctCount, intervalsPerColumn, systemColor, systemColorAt, timeX, type Chart } from "./charts/common.ts";

const MiB = 1024 * 1024;

export const firehoseChartText = {
  freshness: {
    title: "Data freshness over time (DeliveryToS3.DataFreshness)",
    caption:
      "Seconds. The age of the oldest record each Firehose stream took in and has not yet written to S3, the largest value in each column: the peak age between flushes (a buffer flushes at its size or interval hint, whichever comes first, and the age drops once the object is written), so a 60 s interval draws a flat line near 60 s.",
    y: "data freshness (s)",
  },
  objectSizes: {
    title: "S3 objects written, by size",
    caption:
      "Objects per size class (each class twice the one before), per Firehose stream, backups included, on a symlog count axis: each flush is one object, so a short interval, a small size hint or many dynamic partitions make many small ones.",
    x: "object size",
    y: "objects (symlog)",
  },
} as const;

/** A Firehose delivery to chart: a Direct PUT stream (named as its system) or a Kinesis stream's Firehose consumer ("system/consumer"). */
interface Delivery {
  name: string;
  /** Its system's place in the scenario: the delivery is drawn in that system's colour. */
  systemIndex: number;
  freshness: GaugeSeries;
  objectSizeBytes: LogHistogram;
}

function firehoseStreams(systems: SystemResult[]): Delivery[] {
  return systems.flatMap((system, systemIndex): Delivery[] => {
    if (system.kind === "firehose") return [{ name: system.name, systemIndex, freshness: system.series["DeliveryToS3.DataFreshness"], objectSizeBytes: system.objectSizeBytes }];
    return system.consumers.flatMap((consumer) =>
      consumer.firehose === undefined ? [] : [{ name: `${system.name}/${consumer.name}`, systemIndex, freshness: consumer.firehose.series["DeliveryToS3.DataFreshness"], objectSizeBytes: consumer.firehose.objectSizeBytes }],
    );
  });
}

/** The deliveries' colour scale: each in its system's colour, as in every other chart. */
function deliveryColor(deliveries: Delivery[]) {
  const scale = systemColor(deliveries.map((delivery) => delivery.name));
  return { ...scale, scale: { domain: scale.scale.domain, range: deliveries.map((delivery) => systemColorAt(delivery.systemIndex)) } };
}

export function freshnessChart(systems: SystemResult[], warmupUs = 0): Chart | null {
  const streams = firehoseStreams(systems);
  const rows = streams.flatMap((system) => freshnessRows(system, warmupUs));
  if (rows.length === 0) return null;
  const values = aq
    .from(rows)
    .groupby("system", "column")
    .rollup({ minute: aq.op.min("minute"), freshnessSeconds: aq.op.max("freshnessSeconds") })
    .orderby("system", "column")
    .select("system", "minute", "freshnessSeconds")
    .objects();
  const text = firehoseChartText.freshness;
  return {
    name: "firehose-freshness",
    caption: text.caption,
    spec: {
      title: text.title,
      width: chartWidth,
      height: 220,
      data: { values },
      mark: { type: "line", interpolate: "step-after", point: false },
      encoding: {
        x: timeX(values as Array<{ minute: number }>),
        y: { field: "freshnessSeconds", type: "quantitative", title: text.y },
        color: deliveryColor(streams),
      },
    },
    marks: { markClass: "mark-line", count: distinctCount(values, ["system"]) },
  };
}

function freshnessRows(system: Delivery, warmupUs: number) {
  const gauge = system.freshness;
  const series = gauge.toArrays();
  const perColumn = intervalsPerColumn(series.max.length);
  const rows: Array<{ system: string; column: number; minute: number; freshnessSeconds: number }> = [];
  for (let i = 0; i < series.max.length; i++) {
    if (Number.isNaN(series.max[i]) || gauge.startUsAt(i) + gauge.durationUsAt(i) <= warmupUs) continue;
    rows.push({ system: system.name, column: Math.floor(i / perColumn), minute: series.startUs[i] / 60e6, freshnessSeconds: series.max[i] });
  }
  return rows;
}

/** Power-of-two size classes: "< 256 KiB", "256-512 KiB", ..., "64-128 MiB", ">= 128 MiB". */
const sizeClassesMiB = [0.25, 0.5, 1, 2, 4, 8, 16, 32, 64, 128];

function sizeClass(bytes: number): { order: number; label: string } {
  const mib = bytes / MiB;
  const upper = sizeClassesMiB.findIndex((bound) => mib < bound);
  if (upper === 0) return { order: 0, label: "< 256 KiB" };
  if (upper === -1) return { order: sizeClassesMiB.length, label: ">= 128 MiB" };
  const from = sizeClassesMiB[upper - 1];
  const to = sizeClassesMiB[upper];
  const text = (value: number): string => (value < 1 ? `${value * 1024}` : `${value}`);
  return { order: upper, label: from < 1 && to <= 1 ? `${text(from)}-${text(to)} KiB` : `${text(from)}${from < 1 ? " KiB" : ""}-${text(to)} MiB` };
}

export function objectSizeChart(systems: SystemResult[]): Chart | null {
  const streams = firehoseStreams(systems);
  const rows = streams.flatMap((system) =>
    system.objectSizeBytes.toBuckets().map((bucket) => {
      // A bucket's values lie within ~1% of its upper bound: it falls in the class of its middle.
      const size = sizeClass((bucket.lowerUs + bucket.upperUs) / 2);
      return { system: system.name, order: size.order, sizeClass: size.label, objects: bucket.count };
    }),
  );
  if (rows.length === 0) return null;
  const values = aq.from(rows).groupby("system", "order", "sizeClass").rollup({ objects: aq.op.sum("objects") }).orderby("order", "system").objects();
  const classes = aq.from(values).groupby("order", "sizeClass").count().orderby("order").array("sizeClass") as string[];
  const text = firehoseChartText.objectSizes;
  return {
    name: "firehose-object-sizes",
    caption: text.caption,
    spec: {
      title: text.title,
      width: chartWidth,
      height: 200,
      data: { values },
      encoding: {
        x: { field: "sizeClass", type: "ordinal", title: text.x, sort: classes, axis: { labelAngle: 0 } },
        xOffset: { field: "system" },
        y: { field: "objects", type: "quantitative", title: text.y, scale: { type: "symlog" } },
        color: deliveryColor(streams),
      },
      // Each bar carries its count: a symlog axis shows 10 and 1,000 objects side by side but reads poorly.
      layer: [{ mark: { type: "bar" } }, { mark: { type: "text", dy: -6 }, encoding: { text: { field: "objects", type: "quantitative", format: ",d" } } }],
    },
    marks: { markClass: "mark-rect", count: values.length },
  };
}
