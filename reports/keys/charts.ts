// The lab's charts as vega-lite specs: per shard/partition, busiest first, either the share of the
// traffic (a labelled rule at the fair share 1/n) or, for Kinesis with a rate, the write utilization
// (labelled rules at the fair share of the load and at 100% of the limit); and the Lorenz curve of
// traffic over shards/partitions. Utilization bars take the run reports' one utilization scale
// (utilization-scale.ts), so a colour means the same load in both reports; share bars and the Lorenz
// curves keep the colours the run reports give a scenario's first and second system (Kinesis, Kafka:
// the order of the examples), so a reader carries them from one report to the other.

import type { KeyAnalysis, Spread } from "../../sim/keys/index.ts";
import { shardUtilization } from "../../sim/keys/index.ts";
import { systemColorAt } from "../charts/common.ts";
import type { ChartSpec } from "../charts/render.ts";
import { utilizationClampMax, utilizationColor } from "../charts/utilization-scale.ts";
import { keysReportText as text } from "./messages.ts";
import { percent } from "../numbers.ts";

export interface NamedChart {
  readonly name: string;
  readonly spec: ChartSpec;
  /** One sentence under the chart saying how to read it. */
  readonly caption: string;
}

const shareWidth = 560;
const ruleColor = "#555";
const limitColor = "#b00";

export function keysCharts(analysis: KeyAnalysis): NamedChart[] {
  const spreads = [analysis.kinesis?.spread, analysis.kafka?.spread].filter((s): s is Spread => s !== undefined);
  const charts: NamedChart[] = spreads.map((spread) => {
    const byLoad = spread.target === "kinesis" && spread.slots.every((slot) => slot.writeUtilization !== null);
    return { name: `${spread.target}-share`, ...(byLoad ? utilizationChart(spread) : shareChart(spread)) };
  });
  charts.push({ name: "lorenz", spec: lorenzChart(spreads), caption: text.lorenzCaption() });
  return charts;
}

/** The colour of a target: Kinesis as a scenario's first system, Kafka as its second. */
export function targetColor(target: Spread["target"]): string {
  return systemColorAt(target === "kinesis" ? 0 : 1);
}

function labelOf(spread: Spread): { target: string; noun: string } {
  return spread.target === "kinesis" ? { target: "Kinesis", noun: "shard" } : { target: "Kafka", noun: "partition" };
}

function shareChart(spread: Spread): { spec: ChartSpec; caption: string } {
  const { target, noun } = labelOf(spread);
  const fair = 1 / spread.slotCount;
  const values = sortedSlots(spread).map(({ slot, rank }) => ({ rank, slot: String(slot.index), value: slot.trafficShare }));
  const rules = [{ y: fair, label: text.fairShareLabel(spread.slotCount, percentText(fair)), color: ruleColor }];
  const spec = barChart(text.shareChartTitle(target, noun), values, noun, { color: targetColor(spread.target) }, text.shareAxis, rules);
  return { spec, caption: text.shareCaption(noun) };
}

function utilizationChart(spread: Spread): { spec: ChartSpec; caption: string } {
  const { target, noun } = labelOf(spread);
  const records = spread.slots.reduce((sum, slot) => sum + (slot.recordsPerSecond ?? 0), 0);
  const bytes = spread.slots.reduce((sum, slot) => sum + (slot.bytesPerSecond ?? 0), 0);
  const fair = shardUtilization(records / spread.slotCount, bytes / spread.slotCount);
  const values = sortedSlots(spread).map(({ slot, rank }) => ({ rank, slot: String(slot.index), value: slot.writeUtilization ?? 0 }));
  const rules = [
    { y: fair, label: text.fairLoadLabel(spread.slotCount, percentText(fair)), color: ruleColor },
    { y: 1, label: text.limitLabel(), color: limitColor },
  ];
  const over = values.filter((value) => value.value > utilizationClampMax).length;
  const spec = barChart(text.utilizationChartTitle(target, noun), values, noun, { utilization: true }, text.utilizationAxis, rules);
  return { spec, caption: text.utilizationCaption(over) };
}

function sortedSlots(spread: Spread) {
  return [...spread.slots].sort((a, b) => b.trafficShare - a.trafficShare || a.index - b.index).map((slot, rank) => ({ slot, rank }));
}

function percentText(fraction: number): string {
  return `${(fraction * 100).toFixed(fraction < 0.1 ? 1 : 0)}%`;
}

/**
 * Bars busiest first with labelled horizontal rules (dashed, label at the right end): in the target's
 * colour, or coloured by value on the utilization scale, whose clamp also caps the bars (the axis ends
 * at 200% at most, and a bar cut there carries its value on top).
 */
function barChart(
  title: string,
  values: Array<{ rank: number; slot: string; value: number }>,
  noun: string,
  paint: { color: string } | { utilization: true },
  yTitle: string,
  rules: Array<{ y: number; label: string; color: string }>,
): ChartSpec {
  const x = { field: "slot", type: "ordinal", sort: { field: "rank", op: "min", order: "ascending" }, title: text.slotAxis(noun), axis: { labels: values.length <= 40, labelAngle: 0 } };
  const clamped = "utilization" in paint;
  const yTop = Math.min(utilizationClampMax, Math.max(...values.map((value) => value.value), ...rules.map((rule) => rule.y)) * 1.08);
  const y = { field: "value", type: "quantitative", title: yTitle, axis: { format: "~%" }, ...(clamped ? { scale: { domain: [0, yTop], clamp: true, nice: false } } : {}) };
  // A cut bar's label is the table's "of write limit" figure, written by the same function (one figure, one rounding).
  const over = clamped ? values.filter((value) => value.value > utilizationClampMax).map((value) => ({ ...value, label: percent(value.value, 1) })) : [];
  return {
    title,
    width: shareWidth,
    height: 260,
    layer: [
      {
        data: { values },
        mark: clamped ? { type: "bar" } : { type: "bar", color: paint.color },
        encoding: { x, y, ...(clamped ? { color: utilizationColor("value", text.utilizationLegend) } : {}) },
      },
      ...(over.length === 0
        ? []
        : [
            {
              data: { values: over },
              mark: { type: "text", baseline: "top", dy: 3, color: "white", fontSize: 11 },
              encoding: { x, y: { field: "value", type: "quantitative" }, text: { field: "label", type: "nominal" } },
            },
          ]),
      // The higher rule's label sits above it, the others' below, so two close rules keep both labels legible.
      ...rules.map((rule) => ({ ...rule, above: rule.y >= Math.max(...rules.map((other) => other.y)) })).flatMap((rule) => [
        { data: { values: [rule] }, mark: { type: "rule", strokeDash: [4, 3], color: rule.color }, encoding: { y: { field: "y", type: "quantitative" } } },
        {
          data: { values: [rule] },
          mark: { type: "text", align: "right", baseline: rule.above ? "bottom" : "top", dy: rule.above ? -2 : 2, color: rule.color, fontSize: 11 },
          encoding: { y: { field: "y", type: "quantitative" }, x: { value: shareWidth - 2 }, text: { field: "label" } },
        },
      ]),
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
  const seriesOf = (spread: Spread) => {
    const { target, noun } = labelOf(spread);
    return `${target} (${spread.slotCount} ${noun}s, Gini ${spread.gini.toFixed(3)})`;
  };
  const values = spreads.flatMap((spread) => lorenzPoints(spread).map((point, order) => ({ ...point, series: seriesOf(spread), order })));
  return {
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
        data: { values: [{ x: 0.5, y: 0.5, label: text.evenSpreadLabel() }] },
        mark: { type: "text", align: "right", baseline: "bottom", dx: -4, dy: -4, angle: 315, color: "gray", fontSize: 11 },
        encoding: { x: { field: "x", type: "quantitative" }, y: { field: "y", type: "quantitative" }, text: { field: "label" } },
      },
      {
        data: { values },
        mark: { type: "line", point: values.length <= 200 },
        encoding: {
          x: { field: "slotShare", type: "quantitative", title: "share of shards / partitions, least loaded first", axis: { format: "%" } },
          y: { field: "trafficShare", type: "quantitative", title: "cumulative share of traffic", axis: { format: "%" } },
          color: {
            field: "series",
            type: "nominal",
            title: null,
            scale: { domain: spreads.map(seriesOf), range: spreads.map((spread) => targetColor(spread.target)) },
            legend: { orient: "bottom", direction: "vertical", labelLimit: 400 },
          },
          order: { field: "order", type: "quantitative" },
        },
      },
    ],
  } as ChartSpec;
}
