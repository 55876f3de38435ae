// Monthly cost as stacked bars, one bar per system, one segment per line item (summary.json's
// systems[].cost from the cost model). Drawn only when at least one system has a cost. Each system's
// segments are shades of that system's colour (the one it has in every other chart), so no line item
// borrows another system's colour; the legend lists them system by system, in stacking order.
// Each bar is priced at its own system's retention, which the axis label says; where the systems keep
// different retentions, a black tick on each bar marks its cost at the others' retention (the
// comparison's cost at equal retention), so the chart shows the difference retention makes.

import { monthlyUsdText, type SystemCost } from "../costs.ts";
import type { Summary } from "../summary.ts";
import { chartWidth, systemColorAt, systemShades, type Chart } from "./common.ts";
import type { ChartSpec } from "./render.ts";
import { axisText, chartText, type CostAtOtherRetention } from "./messages.ts";

/** What retention each bar assumes, and each system's cost at the retentions the others keep. */
export interface CostRetention {
  /** Each system's own retention in words ("24 h"), by system name. */
  own: Record<string, string>;
  /** A system's cost at a retention it does not keep (from the comparison's cost at equal retention). */
  other: CostAtOtherRetention[];
}

/** The retentions of summary.json: each system's own, and its cost at each other system's. */
export function costRetention(summary: Summary): CostRetention {
  const own = Object.fromEntries(summary.systems.map((system) => [system.name, system.configuration.retention]));
  const ownSeconds = new Map(summary.systems.map((system) => [system.name, system.configuration.retentionSeconds]));
  const other = (summary.comparison?.costAtRetention ?? []).flatMap((entry) =>
    entry.systems
      .filter((cost) => ownSeconds.has(cost.system) && ownSeconds.get(cost.system) !== entry.retentionSeconds)
      .map((cost) => ({ system: cost.system, retention: entry.retention, monthlyUsd: cost.monthlyUsd })),
  );
  return { own, other };
}

/**
 * @param systemNames every system of the scenario in order (the colour index), priced or not; by
 * default the priced ones.
 * @param retention each system's retention; without it the bars are labelled by system name alone.
 */
export function costChart(costs: SystemCost[], systemNames: string[] = costs.map((entry) => entry.system), retention: CostRetention | null = null): Chart | null {
  const label = (system: string) => (retention?.own[system] === undefined ? system : `${system}\n${retention.own[system]} retention`);
  const rows = costs.flatMap(({ system, cost }) =>
    cost.lineItems
      .filter((line) => line.monthlyUsd > 0)
      .map((line) => ({ system, bar: label(system), item: line.item, segment: `${system} · ${line.item}`, monthlyUsd: line.monthlyUsd })),
  );
  if (rows.length === 0) return null;
  const segments = rows.map((row) => row.segment);
  const colors = costs.flatMap(({ system }) => {
    const count = rows.filter((row) => row.system === system).length;
    return count === 0 ? [] : systemShades(systemColorAt(Math.max(0, systemNames.indexOf(system))), count);
  });
  const values = rows.map((row, index) => ({ ...row, stack: index }));
  const priced = new Set(rows.map((row) => row.system));
  const order = costs.map((entry) => entry.system);
  const others = sameCostTogether((retention?.other ?? []).filter((entry) => priced.has(entry.system)))
    .sort((a, b) => order.indexOf(a.system) - order.indexOf(b.system))
    .map((entry) => ({ ...entry, bar: label(entry.system), text: tickText(entry.retention, entry.monthlyUsd) }));
  const labelled = ticksWithRoom(others, values);
  const width = Math.min(chartWidth, 150 * costs.length + 200);
  // The system's name over its retention, two lines that fit under a bar.
  const x = { field: "bar", type: "nominal", title: axisText.system, sort: costs.map((entry) => label(entry.system)), axis: { labelAngle: 0, labelLimit: 0, labelExpr: "split(datum.label, '\\n')" } };
  const y = { field: "monthlyUsd", type: "quantitative", title: axisText.monthlyUsd, axis: { format: "$,.0f" } };
  const bars = {
    mark: { type: "bar", stroke: "white", strokeWidth: 1 },
    encoding: {
      x,
      y,
      color: { field: "segment", type: "nominal", title: axisText.lineItem, scale: { domain: segments, range: colors }, legend: { labelLimit: 520, offset: labelled.length > 0 ? legendOffsetPx : 18 } },
      // The first line item on top of its bar, as the legend lists it first.
      order: { field: "stack", sort: "descending" },
    },
  };
  const ticks = [
    { data: { values: others }, mark: { type: "tick", color: "#000", thickness: 3 }, encoding: { x, y } },
    // A white halo under each label (a stroked copy drawn first): black text alone was lost on a dark bar.
    ...[{ color: "#fff", stroke: "#fff", strokeWidth: 3, strokeJoin: "round" as const }, { color: "#000" }].map((paint) => ({
      data: { values: labelled },
      mark: { type: "text" as const, baseline: "bottom" as const, dy: -4, fontSize: 11, fontWeight: "bold" as const, ...paint },
      encoding: { x, y, text: { field: "text" } },
    })),
  ];
  const shown = retention === null ? [] : costs.map((entry) => entry.system).filter((system) => retention.own[system] !== undefined).map((system) => ({ system, retention: retention.own[system] }));
  return {
    name: "cost",
    caption: chartText.cost.caption(shown, others),
    spec: {
      title: chartText.cost.title,
      width,
      height: plotHeightPx,
      data: { values },
      layer: others.length === 0 ? [bars] : [bars, ...ticks],
    } as unknown as ChartSpec,
    // A tick is drawn as a rect too.
    marks: { markClass: "mark-rect", count: rows.length + others.length },
  };
}

/** A tick's label, short enough to sit over its bar: the axis already says the dollars are monthly. */
function tickText(retention: string, monthlyUsd: number): string {
  return `at ${retention.replaceAll(" and ", ", ")}: ${monthlyUsdText(monthlyUsd).replace("/month", "")}`;
}

/** Chart height in pixels, and the height a tick's label takes with some air. */
const plotHeightPx = 240;
const labelHeightPx = 16;
/** Room between the plot and the legend for the last bar's tick label, which is wider than its bar. */
const legendOffsetPx = 80;

/**
 * The ticks whose label has room: on each bar, from the highest tick down, a label is drawn only when
 * it clears the last one drawn by a label's height (the caption names every tick). Three or more
 * systems with different retentions put several ticks, often a few dollars apart, on one bar.
 */
function ticksWithRoom<T extends { system: string; monthlyUsd: number }>(ticks: T[], bars: Array<{ system: string; monthlyUsd: number }>): T[] {
  const totals = new Map<string, number>();
  for (const bar of bars) totals.set(bar.system, (totals.get(bar.system) ?? 0) + bar.monthlyUsd);
  const top = Math.max(...totals.values(), ...ticks.map((tick) => tick.monthlyUsd));
  const gapUsd = (top * labelHeightPx) / plotHeightPx;
  const lastShown = new Map<string, number>();
  return [...ticks]
    .sort((a, b) => b.monthlyUsd - a.monthlyUsd)
    .filter((tick) => {
      const last = lastShown.get(tick.system);
      if (last !== undefined && last - tick.monthlyUsd < gapUsd) return false;
      lastShown.set(tick.system, tick.monthlyUsd);
      return true;
    })
    .sort((a, b) => ticks.indexOf(a) - ticks.indexOf(b));
}

/**
 * A system whose cost is the same (to the dollar shown) at several other retentions gets one tick,
 * "at 4 days and 7 days", instead of labels drawn over one another.
 */
function sameCostTogether(entries: CostAtOtherRetention[]): CostAtOtherRetention[] {
  const groups = new Map<string, CostAtOtherRetention[]>();
  for (const entry of entries) {
    const key = `${entry.system}\u0000${monthlyUsdText(entry.monthlyUsd)}`;
    groups.set(key, [...(groups.get(key) ?? []), entry]);
  }
  return [...groups.values()].map((group) => ({ ...group[0], retention: group.map((entry) => entry.retention).join(" and ") }));
}
