// Monthly cost as stacked bars, one bar per system, one segment per line item (summary.json's
// systems[].cost from the cost model). Drawn only when at least one system has a cost.

import type { SystemCost } from "../costs.ts";
import { chartWidth, type Chart } from "./common.ts";
import { axisText, chartText } from "./messages.ts";

export function costChart(costs: SystemCost[]): Chart | null {
  const rows = costs.flatMap(({ system, cost }) =>
    cost.lineItems.filter((line) => line.monthlyUsd > 0).map((line) => ({ system, item: line.item, monthlyUsd: line.monthlyUsd })),
  );
  if (rows.length === 0) return null;
  return {
    name: "cost",
    caption: chartText.cost.caption,
    spec: {
      title: chartText.cost.title,
      width: Math.min(chartWidth, 120 * costs.length + 200),
      height: 240,
      data: { values: rows },
      mark: { type: "bar" },
      encoding: {
        x: { field: "system", type: "nominal", title: axisText.system, sort: costs.map((entry) => entry.system), axis: { labelAngle: 0 } },
        y: { field: "monthlyUsd", type: "quantitative", title: axisText.monthlyUsd, axis: { format: "$,.0f" } },
        color: { field: "item", type: "nominal", title: axisText.lineItem, legend: { labelLimit: 360 } },
        order: { field: "item" },
      },
    },
    marks: { markClass: "mark-rect", count: rows.length },
  };
}
