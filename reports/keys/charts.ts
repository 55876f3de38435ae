// The lab's charts as vega-lite specs: traffic share per shard/partition sorted busiest first (with
// the even share as a rule), and the Lorenz curve of traffic over shards/partitions.

import type { KeyAnalysis, Spread } from "../../sim/keys/index.ts";
import type { ChartSpec } from "../charts/render.ts";
import { keysReportText as text } from "./messages.ts";

export interface NamedChart {
  readonly name: string;
  readonly spec: ChartSpec;
}

export function keysCharts(analysis: KeyAnalysis): NamedChart[] {
  const spreads = [analysis.kinesis?.spread, analysis.kafka?.spread].filter((s): s is Spread => s !== undefined);
  const charts = spreads.map((spread) => ({ name: `${spread.target}-share`, spec: shareChart(spread) }));
  charts.push({ name: "lorenz", spec: lorenzChart(spreads) });
  return charts;
}

function labelOf(spread: Spread): { target: string; noun: string } {
  return spread.target === "kinesis" ? { target: "Kinesis", noun: "shard" } : { target: "Kafka", noun: "partition" };
}

function shareChart(spread: Spread): ChartSpec {
  const { target, noun } = labelOf(spread);
  const values = [...spread.slots]
    .sort((a, b) => b.trafficShare - a.trafficShare || a.index - b.index)
    .map((slot, rank) => ({ rank, slot: String(slot.index), share: slot.trafficShare }));
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: text.shareChartTitle(target, noun),
    width: 560,
    height: 260,
    layer: [
      {
        data: { values },
        mark: { type: "bar", tooltip: true },
        encoding: {
          x: {
            field: "slot",
            type: "ordinal",
            sort: { field: "rank", order: "ascending" },
            title: `${noun} index, busiest first`,
            axis: { labels: values.length <= 40, labelAngle: 0 },
          },
          y: { field: "share", type: "quantitative", title: "share of traffic", axis: { format: "%" } },
          tooltip: [{ field: "slot", title: noun }, { field: "share", format: ".2%" }],
        },
      },
      {
        data: { values: [{ even: 1 / spread.slotCount }] },
        mark: { type: "rule", color: "firebrick", strokeDash: [4, 3] },
        encoding: { y: { field: "even", type: "quantitative" } },
      },
    ],
  } as ChartSpec;
}

/** Points (share of slots, share of traffic) from the least loaded slot up, starting at (0, 0). */
export function lorenzPoints(spread: Spread): { slotShare: number; trafficShare: number }[] {
  const shares = spread.slots.map((slot) => slot.trafficShare).sort((a, b) => a - b);
  const points = [{ slotShare: 0, trafficShare: 0 }];
  let cumulative = 0;
  shares.forEach((share, i) => {
    cumulative += share;
    points.push({ slotShare: (i + 1) / shares.length, trafficShare: Math.min(1, cumulative) });
  });
  return points;
}

function lorenzChart(spreads: Spread[]): ChartSpec {
  const values = spreads.flatMap((spread) => {
    const { target, noun } = labelOf(spread);
    const series = `${target} (${spread.slotCount} ${noun}s, Gini ${spread.gini.toFixed(3)})`;
    return lorenzPoints(spread).map((point, order) => ({ ...point, series, order }));
  });
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: text.lorenzChartTitle(),
    width: 360,
    height: 360,
    layer: [
      {
        data: { values: [{ x: 0, y: 0 }, { x: 1, y: 1 }] },
        mark: { type: "line", color: "gray", strokeDash: [4, 3] },
        encoding: { x: { field: "x", type: "quantitative" }, y: { field: "y", type: "quantitative" } },
      },
      {
        data: { values },
        mark: { type: "line", point: values.length <= 200 },
        encoding: {
          x: { field: "slotShare", type: "quantitative", title: "share of shards / partitions, least loaded first", axis: { format: "%" } },
          y: { field: "trafficShare", type: "quantitative", title: "cumulative share of traffic", axis: { format: "%" } },
          color: { field: "series", type: "nominal", title: null, legend: { orient: "bottom", direction: "vertical", labelLimit: 400 } },
          order: { field: "order", type: "quantitative" },
        },
      },
    ],
  } as ChartSpec;
}
