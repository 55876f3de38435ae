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
import { dejaVuWidthPx } from "./text-width.ts";

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
      // A system that keeps no log (Firehose) costs the same in every row: no tick of its own.
      .filter((cost) => cost.pricedRetentionSeconds !== null && ownSeconds.has(cost.system) && ownSeconds.get(cost.system) !== entry.retentionSeconds)
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
  // Room above the highest tick for its label.
  const tickRoom = others.length === 0 ? 1 : plotHeightPx / (plotHeightPx - labelGapPx - labelHeightPx);
  const topUsd = axisTopUsd(Math.max(...barTotals(values).values(), ...others.map((entry) => entry.monthlyUsd * tickRoom)));
  const labelled = placeTickLabels(others, topUsd);
  const width = Math.min(chartWidth, 150 * costs.length + 200);
  // The system's name over its retention, two lines that fit under a bar.
  const x = { field: "bar", type: "nominal", title: axisText.system, sort: costs.map((entry) => label(entry.system)), axis: { labelAngle: 0, labelLimit: 0, labelExpr: "split(datum.label, '\\n')" } };
  // A fixed domain, so a dollar is a known number of pixels and tick labels can be kept apart.
  const y = { field: "monthlyUsd", type: "quantitative", title: axisText.monthlyUsd, axis: { format: "$,.0f" }, scale: { domain: [0, topUsd], nice: false } };
  const bars = {
    mark: { type: "bar", stroke: "white", strokeWidth: 1 },
    encoding: {
      x,
      y,
      color: { field: "segment", type: "nominal", title: axisText.lineItem, scale: { domain: segments, range: colors }, legend: { labelLimit: 0, offset: legendOffset(labelled.filter((tick) => tick.system === costs.at(-1)?.system), costs.length, width) } },
      // The first line item on top of its bar, as the legend lists it first.
      order: { field: "stack", sort: "descending" },
    },
  };
  const ticks = [
    { data: { values: others }, mark: { type: "tick", color: "#000", thickness: 3 }, encoding: { x, y } },
    // A white halo under each label (a stroked copy drawn first): black text alone was lost on a dark bar.
    ...[{ color: "#fff", stroke: "#fff", strokeWidth: 3, strokeJoin: "round" as const }, { color: "#000" }].map((paint) => ({
      data: { values: labelled },
      mark: { type: "text" as const, baseline: "middle" as const, fontSize: labelFontPx, fontWeight: "bold" as const, ...paint },
      encoding: { x, y: { ...y, field: "labelUsd" }, text: { field: "text" } },
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

/** Chart height in pixels; a tick label's font size, the height it takes, and its distance from its tick. */
const plotHeightPx = 240;
const labelFontPx = 11;
const labelHeightPx = 13;
const labelGapPx = 3;
/** Half a tick's thickness and a pixel of air: how far a label keeps from another tick. */
const tickClearPx = 3;
/** Closer than this below the tick above it, a label under its tick would read as the other tick's. */
const tickApartPx = 8;

/** Each bar's total, by system. */
function barTotals(bars: Array<{ system: string; monthlyUsd: number }>): Map<string, number> {
  const totals = new Map<string, number>();
  for (const bar of bars) totals.set(bar.system, (totals.get(bar.system) ?? 0) + bar.monthlyUsd);
  return totals;
}

/** The top of the cost axis: the highest bar or tick rounded up to a tick step (1, 2 or 5 times a power of ten, about six steps), as vega would. */
export function axisTopUsd(highestUsd: number): number {
  if (!(highestUsd > 0)) return 1;
  const rough = highestUsd / 6;
  const power = 10 ** Math.floor(Math.log10(rough));
  const ratio = rough / power;
  const step = (ratio >= Math.sqrt(50) ? 10 : ratio >= Math.sqrt(10) ? 5 : ratio >= Math.sqrt(2) ? 2 : 1) * power;
  return Math.ceil(highestUsd / step - 1e-9) * step;
}

/**
 * Where each tick's label goes, so no two overprint: on each bar, from the highest tick down, a label
 * sits above its tick when it clears the label or tick above it, else below its tick when that clears
 * the next tick down (and its tick stands apart from the one above, so the label is not read as that
 * one's), else it is left out (the caption names every tick). Three systems with different retentions
 * put two ticks 15 pixels apart on msk, and their labels overprinted; four put three a few dollars apart.
 * `labelUsd` is the label's middle, in dollars on the axis whose top is `topUsd`.
 */
export function placeTickLabels<T extends { system: string; monthlyUsd: number }>(ticks: T[], topUsd: number): Array<T & { labelUsd: number }> {
  const pxPerUsd = plotHeightPx / topUsd;
  const placed = new Map<T, T & { labelUsd: number }>();
  for (const system of [...new Set(ticks.map((tick) => tick.system))]) {
    const own = ticks.filter((tick) => tick.system === system).sort((a, b) => b.monthlyUsd - a.monthlyUsd);
    // Pixels above the axis; `ceilingPx` is the lowest point taken by what is drawn above.
    let ceilingPx = Number.POSITIVE_INFINITY;
    own.forEach((tick, index) => {
      const tickPx = tick.monthlyUsd * pxPerUsd;
      const abovePx = index === 0 ? Number.POSITIVE_INFINITY : own[index - 1].monthlyUsd * pxPerUsd;
      const belowPx = index + 1 < own.length ? own[index + 1].monthlyUsd * pxPerUsd : 0;
      const middleAbovePx = tickPx + labelGapPx + labelHeightPx / 2;
      const middleBelowPx = tickPx - labelGapPx - labelHeightPx / 2;
      if (middleAbovePx + labelHeightPx / 2 <= Math.min(ceilingPx, abovePx - tickClearPx)) {
        placed.set(tick, { ...tick, labelUsd: middleAbovePx / pxPerUsd });
        ceilingPx = tickPx - tickClearPx;
      } else if (abovePx - tickPx >= tickApartPx && middleBelowPx - labelHeightPx / 2 >= belowPx + tickClearPx && middleBelowPx + labelHeightPx / 2 <= ceilingPx) {
        placed.set(tick, { ...tick, labelUsd: middleBelowPx / pxPerUsd });
        ceilingPx = middleBelowPx - labelHeightPx / 2;
      } else {
        ceilingPx = Math.min(ceilingPx, tickPx - tickClearPx);
      }
    });
  }
  return ticks.flatMap((tick) => placed.get(tick) ?? []);
}

/**
 * The room between the plot and the legend: the last bar's tick label can be wider than its bar and must
 * not run into the legend (the bars take 90% of their band, vega-lite's default padding).
 */
function legendOffset(lastBarLabels: Array<{ text: string }>, barCount: number, widthPx: number): number {
  const overhangPx = Math.max(0, ...lastBarLabels.map((tick) => dejaVuWidthPx(tick.text, labelFontPx, true) / 2 - (0.9 * widthPx) / barCount / 2));
  return Math.ceil(18 + overhangPx);
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
