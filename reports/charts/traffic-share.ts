// Traffic share per shard / partition, sorted: each one's share of the records its system's producers
// sent (first attempts: the keys' demand, before throttling cuts a hot shard's accepted share), busiest
// first, with its fair share. A flat profile is a well-spread key; a tall first bar is a hot shard. A
// big stream draws only its busiest shards, so the labels stay legible.
//
// The fair share is what a shard would have taken had each report interval's records been spread
// evenly over the shards open in it: 1/n for a fixed set (a dashed rule), and for a stream that was
// resharded, each shard's own value (a tick on its bar), since a shard open for half the run has half
// the fair share of one open all along.

import * as ss from "simple-statistics";
import type { PartitionResult, SystemResult } from "../../sim/metrics/index.ts";
import { chartWidth, systemRows, systemColor, type Chart } from "./common.ts";
import { axisText, chartText } from "./messages.ts";
import { fairShares as fairSharesOf } from "../partition-shares.ts";
import { mostOpenIfResharded, resultSpans } from "../shard-count-words.ts";

/** Bars drawn per system at most (the busiest); the caption says how many were left out. */
export const trafficSharePartitionsMax = 40;

/**
 * The share axis's format: a percent with no fixed precision, so vega gives it the decimals the tick
 * step needs ("0.5%", "1%", "1.5%"; ".0%" once wrote 0.5% as "1%"), without trailing zeros. Names
 * read upright (-90°): at -45° the first long name reached left past the panel and vega moved the
 * share axis out with it, leaving a wide empty gap between the axis and the bars.
 */
export const yAxisFormat = "~%";

export function trafficShareChart(systems: SystemResult[]): Chart | null {
  const withPartitions = systems.filter((system) => system.partitions.length > 0 && totalDemand(system) > 0);
  if (withPartitions.length === 0) return null;
  const rows = withPartitions.flatMap(shareRows);
  const names = systems.map((system) => system.name);
  const drawn = withPartitions.map((system) => system.name);
  const bar = { field: "partition", type: "nominal", title: axisText.partitionBusiestFirst, sort: { field: "rank", op: "min", order: "ascending" }, axis: { labelAngle: -90, labelLimit: 0 } } as const;
  return {
    name: "traffic-share",
    caption: chartText.trafficShare.caption(
      withPartitions.map((system) => ({ system: system.name, coefficientOfVariation: coefficientOfVariation(system), shown: Math.min(system.partitions.length, trafficSharePartitionsMax), total: system.partitions.length, mostOpen: mostOpenIfResharded(resultSpans(system.partitions)) })),
    ),
    spec: {
      title: chartText.trafficShare.title,
      facet: systemRows(drawn),
      resolve: { scale: { x: "independent" } },
      data: { values: rows },
      spec: {
        width: chartWidth,
        height: 140,
        layer: [
          {
            mark: { type: "bar" },
            encoding: {
              x: bar,
              y: { field: "share", type: "quantitative", title: axisText.shareOfRecords, axis: { format: yAxisFormat } },
              color: barColor(names, drawn),
            },
          },
          {
            transform: [{ filter: "datum.steady" }],
            mark: { type: "rule", color: "black", strokeDash: [4, 3] },
            encoding: { y: { aggregate: "max", field: "fairShare" } },
          },
          {
            transform: [{ filter: "!datum.steady" }],
            mark: { type: "tick", color: "black", thickness: 2 },
            encoding: { x: bar, y: { field: "fairShare", type: "quantitative" } },
          },
        ],
      },
    },
    // vega draws a tick as a rect too: one per bar of a resharded system.
    marks: { markClass: "mark-rect", count: rows.length + rows.filter((row) => !row.steady).length },
  };
}

/**
 * The systems' colours, each the one it has in every chart, with the legend listing only the systems that
 * have bars here: a queue has no shards, and the legend once listed it beside kds and msk.
 */
export function barColor(systemNames: string[], drawn: string[]) {
  const all = systemColor(systemNames);
  return { ...all, scale: { domain: drawn, range: drawn.map((name) => all.scale.range[systemNames.indexOf(name)]) } };
}

/** Records sent to the partition, first attempts only (the workload's demand on it). */
function demand(partition: PartitionResult): number {
  return partition.series.demandRecords.total;
}

function totalDemand(system: SystemResult): number {
  return system.partitions.reduce((sum, partition) => sum + demand(partition), 0);
}

function shareRows(system: SystemResult) {
  const total = totalDemand(system);
  const fair = fairShares(system);
  // Steady: every shard open from start to end, so the fair share is the same 1/n for all.
  const steady = system.partitions.every((partition) => partition.openedUs <= 0 && partition.closedUs === null);
  return [...system.partitions]
    .sort((a, b) => demand(b) - demand(a) || a.id.localeCompare(b.id))
    .slice(0, trafficSharePartitionsMax)
    .map((partition, rank) => ({ system: system.name, partition: partition.id, rank, share: demand(partition) / total, fairShare: fair.get(partition.id)!, steady }));
}

/** Each partition's share had every interval's records (first attempts) been spread evenly over the partitions open in it. */
export function fairShares(system: SystemResult): Map<string, number> {
  return fairSharesOf(system.partitions, (partition) => partition.series.demandRecords);
}

/** Spread of the partitions' record counts relative to their mean (0 when perfectly even). */
function coefficientOfVariation(system: SystemResult): number {
  const counts = system.partitions.map(demand);
  return counts.length < 2 ? 0 : ss.coefficientOfVariation(counts);
}
