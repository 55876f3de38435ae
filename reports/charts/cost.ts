// Monthly cost as stacked bars, one bar per system, one segment per line item (summary.json's
// systems[].cost from the cost model). Drawn only when at least one system has a cost. Each system's
// segments are shades of that system's colour (the one it has in every other chart), so no line item
// borrows another system's colour; the legend lists them system by system, in stacking order.

import type { SystemCost } from "../costs.ts";
import { chartWidth, systemColorAt, systemShades, type Chart } from "./common.ts";
import { axisText, chartText } from "./messages.ts";

/**
 * @param systemNames every system of the scenario in order (the colour index), priced or not; by
 * default the priced ones.
 */
export function costChart(costs: SystemCost[], systemNames: string[] = costs.map((entry) => entry.system)): Chart | null {
  const rows = costs.flatMap(({ system, cost }) =>
    cost.lineItems
      .filter((line) => line.monthlyUsd > 0)
      .map((line) => ({ system, item: line.item, segment: `${system} · ${line.item}`, monthlyUsd: line.monthlyUsd })),
  );
  if (rows.length === 0) return null;
  const segments = rows.map((row) => row.segment);
  const colors = costs.flatMap(({ system }) => {
    const count = rows.filter((row) => row.system === system).length;
    return count === 0 ? [] : systemShades(systemColorAt(Math.max(0, systemNames.indexOf(system))), count);
  });
  const values = rows.map((row, index) => ({ ...row, stack: index }));
  return {
    name: "cost",
    caption: chartText.cost.caption,
    spec: {
      title: chartText.cost.title,
      width: Math.min(chartWidth, 120 * costs.length + 200),
      height: 240,
      data: { values },
      mark: { type: "bar", stroke: "white", strokeWidth: 1 },
      encoding: {
        x: { field: "system", type: "nominal", title: axisText.system, sort: costs.map((entry) => entry.system), axis: { labelAngle: 0 } },
        y: { field: "monthlyUsd", type: "quantitative", title: axisText.monthlyUsd, axis: { format: "$,.0f" } },
        color: { field: "segment", type: "nominal", title: axisText.lineItem, scale: { domain: segments, range: colors }, legend: { labelLimit: 520 } },
        // The first line item on top of its bar, as the legend lists it first.
        order: { field: "stack", sort: "descending" },
      },
    },
    marks: { markClass: "mark-rect", count: rows.length },
  };
}
