// Traffic share per shard / partition, sorted: each one's share of its system's accepted records,
// busiest first, with the fair share (1/n) drawn as a rule. A flat profile is a well-spread key; a
// tall first bar is a hot shard.

import * as ss from "simple-statistics";
import type { SystemResult } from "../../sim/metrics/index.ts";
import { chartWidth, systemColor, type Chart } from "./common.ts";
import { axisText, chartText } from "./messages.ts";

export function trafficShareChart(systems: SystemResult[]): Chart | null {
  const withPartitions = systems.filter((system) => system.partitions.length > 0 && system.records.accepted > 0);
  if (withPartitions.length === 0) return null;
  const rows = withPartitions.flatMap(shareRows);
  const fair = withPartitions.map((system) => ({ system: system.name, fairShare: 1 / system.partitions.length }));
  const names = systems.map((system) => system.name);
  return {
    name: "traffic-share",
    caption: chartText.trafficShare.caption(withPartitions.map((system) => ({ system: system.name, coefficientOfVariation: coefficientOfVariation(system) }))),
    spec: {
      title: chartText.trafficShare.title,
      facet: { row: { field: "system", type: "nominal", title: axisText.system, sort: names } },
      resolve: { scale: { x: "independent" } },
      data: { values: rows.map((row) => ({ ...row, fairShare: fair.find((entry) => entry.system === row.system)!.fairShare })) },
      spec: {
        width: chartWidth,
        height: 140,
        layer: [
          {
            mark: { type: "bar" },
            encoding: {
              x: { field: "partition", type: "nominal", title: axisText.partitionBusiestFirst, sort: { field: "rank", order: "ascending" }, axis: { labelAngle: -45, labelLimit: 0 } },
              y: { field: "share", type: "quantitative", title: axisText.shareOfRecords, axis: { format: ".0%" } },
              color: systemColor(names),
            },
          },
          { mark: { type: "rule", color: "black", strokeDash: [4, 3] }, encoding: { y: { aggregate: "max", field: "fairShare" } } },
        ],
      },
    },
    marks: { markClass: "mark-rect", count: rows.length },
  };
}

function shareRows(system: SystemResult) {
  const total = system.records.accepted;
  return [...system.partitions]
    .sort((a, b) => b.acceptedRecords - a.acceptedRecords || a.id.localeCompare(b.id))
    .map((partition, rank) => ({ system: system.name, partition: partition.id, rank, share: partition.acceptedRecords / total }));
}

/** Spread of the partitions' record counts relative to their mean (0 when perfectly even). */
function coefficientOfVariation(system: SystemResult): number {
  const counts = system.partitions.map((partition) => partition.acceptedRecords);
  return counts.length < 2 ? 0 : ss.coefficientOfVariation(counts);
}
