// Lambda consumers over time: concurrent executions of each function (mean per chart column) above the
// IteratorAge its mapping reported (largest per column), coloured by system. Parallelization shows
// as concurrency, falling behind as iterator age climbing; a blocked shard as concurrency flat at one
// while the age grows.

import * as aq from "arquero";
import type { SystemResult } from "../../sim/metrics/index.ts";
import { chartWidth, distinctCount, intervalsPerColumn, systemColor, timeX, type Chart } from "./common.ts";

const text = {
  title: "Lambda consumers: concurrency and iterator age",
  caption:
    "Upper panel: concurrent executions of each Lambda consumer's function (mean over each step). Lower panel: its IteratorAge, the age of the last record of the batches it sent (an SQS queue's: ApproximateAgeOfOldestMessage), largest per step. Age climbing while concurrency stays flat: the mapping runs no more batches at once, and its findings say why and what to change: every lane busy (a Kinesis shard's parallelizationFactor, one per Kafka partition, SQS maximumConcurrency or the function's concurrency), one hot key holding its lane (more lanes do not help it), or a failing batch blocking a shard.",
  concurrency: "concurrent executions",
  iteratorAge: "iterator age (s)",
  // With a Kafka consumer (no IteratorAge): its lag, the age of the oldest record it has not processed.
  titleWithLag: "Lambda consumers: concurrency and iterator age or lag",
  captionLag:
    " Kafka consumers have no IteratorAge: their line is the lag, the age of the oldest record not processed yet (the mapping's OffsetLag in records is in the consumer's records-lag).",
  iteratorAgeOrLag: "iterator age or lag (s)",
  consumer: "system · consumer",
};

interface Row {
  system: string;
  consumer: string;
  series: string;
  column: number;
  minute: number;
  concurrency: number;
  iteratorAgeSeconds: number;
}

export function lambdaChart(systems: SystemResult[], warmupUs = 0): Chart | null {
  const rows = systems.flatMap((system) => lambdaRows(system, warmupUs));
  if (rows.length === 0) return null;
  const values = aq
    .from(rows)
    .groupby("system", "consumer", "series", "column")
    .rollup({ minute: aq.op.min("minute"), concurrency: aq.op.mean("concurrency"), iteratorAgeSeconds: aq.op.max("iteratorAgeSeconds") })
    .orderby("system", "consumer", "column")
    .objects();
  const color = systemColor(systems.map((system) => system.name));
  const withLag = systems.some((system) => system.consumers.some((consumer) => consumer.lambda !== undefined && consumer.native.unit !== "ms"));
  const panel = (field: string, title: string) => ({
    width: chartWidth,
    height: 160,
    mark: { type: "line" as const, interpolate: "step-after" as const, point: false },
    encoding: {
      x: timeX(values as Array<{ minute: number }>),
      y: { field, type: "quantitative" as const, title },
      color,
      strokeDash: { field: "series", type: "nominal" as const, title: text.consumer },
      detail: [{ field: "system" }, { field: "consumer" }],
    },
  });
  return {
    name: "lambda",
    caption: withLag ? text.caption + text.captionLag : text.caption,
    spec: {
      title: withLag ? text.titleWithLag : text.title,
      data: { values },
      vconcat: [panel("concurrency", text.concurrency), panel("iteratorAgeSeconds", withLag ? text.iteratorAgeOrLag : text.iteratorAge)],
    },
    marks: { markClass: "mark-line", count: 2 * distinctCount(values, ["system", "consumer"]) },
  };
}

function lambdaRows(system: SystemResult, warmupUs: number): Row[] {
  return system.consumers.flatMap((consumer) => {
    const stats = consumer.lambda;
    if (stats === undefined) return [];
    const concurrency = stats.concurrency.toArrays();
    // IteratorAge (ms) where the source has it; else the consumer's lag (ms), the age of its oldest unprocessed record.
    const age = (consumer.native.unit === "ms" ? consumer.native.series : consumer.lagSeries).toArrays();
    const perColumn = intervalsPerColumn(concurrency.mean.length);
    const rows: Row[] = [];
    for (let i = 0; i < concurrency.mean.length; i++) {
      if (concurrency.startUs[i] + concurrency.durationUs[i] <= warmupUs) continue;
      const mean = concurrency.mean[i];
      const ageMs = age.max[i];
      rows.push({
        system: system.name,
        consumer: consumer.name,
        series: `${system.name} · ${consumer.name}`,
        column: Math.floor(i / perColumn),
        minute: concurrency.startUs[i] / 60e6,
        concurrency: Number.isNaN(mean) ? 0 : mean,
        iteratorAgeSeconds: Number.isNaN(ageMs) ? 0 : ageMs / 1000,
      });
    }
    // The last value again at the end of the run, so the step line reaches it.
    const last = rows[rows.length - 1];
    if (last !== undefined) rows.push({ ...last, column: last.column + 1, minute: stats.concurrency.endUs / 60e6 });
    return rows;
  });
}
