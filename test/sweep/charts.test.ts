// Sweep charts for a design review, read off the generated vega-lite specs: axis titles in words with
// units, numbers without exponents, points at the swept settings with nothing drawn between them, a log
// axis when the swept counts span two decades, and confidence intervals cut at zero.

import { describe, expect, it } from "vitest";
import { sweepCharts } from "../../reports/sweep/charts.ts";
import { shown } from "../../reports/sweep/aggregate.ts";
import { sweepDocument } from "../../reports/sweep/document.ts";
import { sweepMarkdown } from "../../reports/sweep/markdown.ts";
import type { RunRow, SweepPlan } from "../../sim/sweep/index.ts";

function planOf(shards: number[]): SweepPlan {
  return {
    scenario: "charts", file: "charts.yaml", scenarioSha256: "a".repeat(64), baseSeed: 1, durationOverrideUs: null, eventBudget: null,
    parameters: ["systems.kds.capacity.shards"], combinations: shards.map((count) => [count]), grid: true, replications: 3,
    goal: { metric: "kds.producerLatencyMs.p99", bound: "below", limit: 200, direction: "minimise", parameter: "systems.kds.capacity.shards" },
    runCount: shards.length * 3, seedRule: "seed 1 + r",
  };
}

/** Three seeds per setting; throttled attempts 0, 0 and 808 at every setting (a mean of 269, an interval reaching below 0). */
function rowsOf(plan: SweepPlan): RunRow[] {
  return Array.from({ length: plan.runCount }, (_, run) => {
    const combination = Math.floor(run / 3);
    const replication = run % 3;
    const metrics = { "kds.producerLatencyMs.p99": 300 - combination * 10 + replication, "kds.records.throttledAttempts": replication === 2 ? 808 : 0, "kds.cost.monthlyUsd": 15_700 + combination };
    return { run, combination, replication, seed: 1 + replication, status: "ok" as const, error: null, metrics };
  });
}

type Layer = { mark: { type: string }; data?: { values: Array<Record<string, number>> }; encoding: Record<string, { title?: string; scale?: { type?: string }; axis?: { format?: string; values?: number[] } }> };

function layersOf(plan: SweepPlan, file: string): { layers: Layer[]; values: Array<Record<string, number>> } {
  const chart = sweepCharts(plan, sweepDocument(plan, rowsOf(plan), "0.0.0")).find((entry) => entry.file === file)!;
  const spec = chart.spec as unknown as { layer: Layer[]; data: { values: Array<Record<string, number>> } };
  return { layers: spec.layer, values: spec.data.values };
}

describe("sweep charts", () => {
  const plan = planOf([8, 12, 16, 24, 32]);

  it("title axes in words with units and format numbers without exponents", () => {
    const { layers } = layersOf(plan, "goal.svg");
    const point = layers.find((layer) => layer.mark.type === "point")!;
    expect(point.encoding.y.title).toBe("producer p99 latency (ms)");
    expect(point.encoding.x.title).toBe("kds shard count");
    expect(point.encoding.y.axis?.format).toBe(",.4~r");
    expect(layersOf(plan, "cost.svg").layers.find((layer) => layer.mark.type === "point")!.encoding.y.axis?.format).toBe("$,.0f");
    expect(shown(179761.333)).toBe("179,761");
    expect(shown(15_700)).toBe("15,700");
    expect(shown(286.278)).toBe("286.3");
  });

  it("draw points at the swept settings only, with no line between them, and a labelled goal rule", () => {
    const { layers } = layersOf(plan, "goal.svg");
    expect(layers.map((layer) => layer.mark.type)).toEqual(["rule", "point", "rule", "text"]);
    expect(layers[1].encoding.x.axis?.values).toEqual([8, 12, 16, 24, 32]);
    expect(layers[1].encoding.x.scale?.type).toBeUndefined();
  });

  it("use a log axis when the swept counts span two decades or more", () => {
    const wide = planOf([1, 10, 100, 1000]);
    expect(layersOf(wide, "goal.svg").layers[1].encoding.x.scale?.type).toBe("log");
    expect(layersOf(planOf([1, 10, 99]), "goal.svg").layers[1].encoding.x.scale?.type).toBeUndefined();
  });

  it("use a log y axis, said in its title and caption, when a metric's means span two decades or more", async () => {
    // producer p99 from 30 ms at 32 shards to 14,000 ms at 8: a linear axis would flatten every point but one.
    const spread: RunRow[] = rowsOf(plan).map((row) => ({ ...row, metrics: { ...row.metrics, "kds.producerLatencyMs.p99": row.combination === 0 ? 14_000 + row.replication : 30 + row.combination + row.replication } }));
    const chart = sweepCharts(plan, sweepDocument(plan, spread, "0.0.0")).find((entry) => entry.file === "goal.svg")!;
    const point = (chart.spec as unknown as { layer: Layer[] }).layer.find((layer) => layer.mark.type === "point")!;
    expect(point.encoding.y.scale?.type).toBe("log");
    expect(point.encoding.y.title).toBe("producer p99 latency (ms, log scale)");
    expect(point.encoding.y.axis?.values).toEqual([10, 100, 1000, 10_000, 100_000]);
    expect(chart.caption).toContain("The vertical axis is logarithmic");
    const { renderSvg } = await import("../../reports/charts/render.ts");
    expect(await renderSvg(chart.spec)).toContain("log scale)");
    // Zeros among the means: symlog, which can draw them.
    const throttled = sweepCharts(plan, sweepDocument(plan, rowsOf(plan).map((row) => ({ ...row, metrics: { ...row.metrics, "kds.records.throttledAttempts": row.combination === 0 ? 50_000 : row.combination === 1 ? 10 : 0 } })), "0.0.0")).find((entry) => entry.file === "throttled.svg")!;
    expect((throttled.spec as unknown as { layer: Layer[] }).layer[1].encoding.y.scale?.type).toBe("symlog");
    expect(throttled.caption).toContain("symlog");
    // Within two decades: linear.
    expect(layersOf(plan, "goal.svg").layers[1].encoding.y.scale).toBeUndefined();
  });

  it("head the tables' columns with parameters and metrics in words with units, not summary paths", () => {
    const document = sweepDocument(plan, rowsOf(plan), "0.0.0");
    const all = document.sections.find((section) => section.title === "All settings")!.tables[0].table.columns;
    expect(all).toEqual(["kds shard count", "runs ok", "kds: producer p99 latency (ms), mean ± 95% CI", "kds: throttled write attempts (count), mean ± 95% CI", "kds: monthly cost (USD), mean ± 95% CI"]);
    const goal = document.sections.find((section) => section.title === "Goal")!.tables[0].table.columns;
    expect(goal[0]).toBe("kds shard count");
    expect(goal[1]).toBe("worst kds: producer p99 latency (ms)");
    const setting = document.sections.find((section) => section.title === "kds shard count = 8")!;
    expect(setting.tables[0].table.rows[0][0]).toBe("kds: producer p99 latency (ms)");
    expect(sweepMarkdown(document, [])).not.toMatch(/\| kds\.producerLatencyMs/);
  });

  it("cut confidence intervals at zero: no negative throttle count", () => {
    const { values } = layersOf(plan, "throttled.svg");
    expect(values.length).toBe(5);
    for (const row of values) {
      expect(row.mean).toBeCloseTo(269.333, 3);
      expect(row.low).toBe(0);
    }
    const markdown = sweepMarkdown(sweepDocument(plan, rowsOf(plan), "0.0.0"), [{ file: "charts/goal.svg", caption: "the goal chart" }]);
    expect(markdown).toContain("269.3 (0 to ");
    expect(markdown.indexOf("## Charts")).toBeLessThan(markdown.indexOf("## All settings"));
  });

  it("say under each chart how to read it, and draw 100% of the write limit on utilization once a setting nears it", () => {
    const utilizationPlan = planOf([8, 16]);
    const rows = rowsOf(utilizationPlan).map((row) => ({ ...row, metrics: { ...row.metrics, "kds.partitions.peakWriteUtilization.max": row.combination === 0 ? 1.7 : 0.9 } }));
    const charts = sweepCharts(utilizationPlan, sweepDocument(utilizationPlan, rows, "0.0.0"));
    const utilization = charts.find((chart) => chart.file === "peak-write-utilization.svg")!;
    const layers = (utilization.spec as unknown as { layer: Layer[] }).layer;
    expect(layers.map((layer) => layer.mark.type)).toEqual(["rule", "point", "rule", "text"]);
    expect(layers[2].data!.values[0].value).toBe(1);
    expect(utilization.caption).toContain("The grey dashed rule is 100% of the write limit.");
    expect(utilization.caption).toMatch(/^Each point is the mean of a setting's 3 seeds, its vertical bar the 95% confidence interval for that mean, cut at zero/);
    expect(charts.find((chart) => chart.file === "goal.svg")!.caption).toContain("The red dashed rule is the goal (goal: below 200 ms).");
    // Below 80% of the limit the rule would only squash the points: none, and the caption claims none.
    const cool = rowsOf(utilizationPlan).map((row) => ({ ...row, metrics: { ...row.metrics, "kds.partitions.peakWriteUtilization.max": 0.3 } }));
    const coolChart = sweepCharts(utilizationPlan, sweepDocument(utilizationPlan, cool, "0.0.0")).find((chart) => chart.file === "peak-write-utilization.svg")!;
    expect((coolChart.spec as unknown as { layer: Layer[] }).layer).toHaveLength(2);
    expect(coolChart.caption).not.toContain("100% of the write limit");
  });

  it("draw series with equal values side by side and say they coincide; a count zero everywhere gets an axis from 0 to 1", () => {
    const twoBrokers: SweepPlan = {
      ...planOf([3, 6]),
      parameters: ["systems.msk.topic.partitions", "systems.msk.brokers.count"],
      combinations: [[3, 3], [3, 6], [6, 3], [6, 6]],
      goal: null,
      runCount: 12,
    };
    const rows: RunRow[] = Array.from({ length: 12 }, (_, run) => ({
      run, combination: Math.floor(run / 3), replication: run % 3, seed: 1 + (run % 3), status: "ok" as const, error: null,
      metrics: { "msk.producerLatencyMs.p99": 15 - Math.floor(run / 6), "msk.records.throttledAttempts": 0 },
    }));
    const charts = sweepCharts(twoBrokers, sweepDocument(twoBrokers, rows, "0.0.0"));
    const latency = charts.find((chart) => chart.file === "producer-latency-p99.svg")!;
    const points = (latency.spec as unknown as { layer: Array<{ mark: { type: string; xOffset: number } }> }).layer.filter((layer) => layer.mark.type === "point");
    expect(points.map((layer) => layer.mark.xOffset)).toEqual([-4, 4]);
    expect(latency.caption).toContain("msk (msk broker count 3) and msk (msk broker count 6) coincide at every setting");
    const throttled = charts.find((chart) => chart.file === "throttled.svg")!;
    const y = (throttled.spec as unknown as { layer: Layer[] }).layer[1].encoding.y;
    expect(y.scale).toEqual({ domain: [0, 1] });
    expect(throttled.caption).toContain("Every run of every setting gave 0.");
  });

  it("put wide tables in a box that scrolls, and each chart's caption under it", async () => {
    const { sweepHtml } = await import("../../reports/sweep/html.ts");
    const html = sweepHtml(sweepDocument(plan, rowsOf(plan), "0.0.0"), [{ title: "goal", caption: "read me", svg: "<svg></svg>" }]);
    expect(html).toContain('<div class="table-scroll"><table>');
    expect(html).toContain(".table-scroll{overflow-x:auto");
    expect(html).toContain("<figure><svg></svg><figcaption>read me</figcaption></figure>");
  });

  it("colour a two-parameter heatmap on a log scale when its means span two decades, and write exact ties as (every seed)", () => {
    const grid: SweepPlan = { ...planOf([3, 6]), parameters: ["systems.kds.capacity.shards", "workload.sensors.keys.exponent"], combinations: [[3, 0.8], [3, 1.1], [6, 0.8], [6, 1.1]], goal: null, runCount: 12 };
    const rows: RunRow[] = Array.from({ length: 12 }, (_, run) => ({
      run, combination: Math.floor(run / 3), replication: run % 3, seed: 1 + (run % 3), status: "ok" as const, error: null,
      metrics: { "kds.producerLatencyMs.p99": Math.floor(run / 3) === 0 ? 14_000 + run : 30 + run, "kds.records.throttledAttempts": 0 },
    }));
    const document = sweepDocument(grid, rows, "0.0.0");
    const heatmap = sweepCharts(grid, document).find((chart) => chart.file === "heatmap.svg")!;
    const rect = (heatmap.spec as unknown as { layer: Array<{ encoding: { color: { scale?: { type?: string } } } }> }).layer[0];
    expect(rect.encoding.color.scale?.type).toBe("log");
    expect(heatmap.caption).toContain("on a log colour scale");
    // A cell's text is the table's figure: 14,001 (a d3 ",.4~r" format wrote 14,000 beside the table's 14,001).
    const cells = (heatmap.spec as unknown as { data: { values: Array<{ label: string }> } }).data.values.map((cell) => cell.label);
    expect(cells[0]).toBe("14,001");
    expect(sweepMarkdown(document, [])).toContain("| 14,001.0 ms ± 2.5 ms |");
    const text = (heatmap.spec as unknown as { layer: Array<{ encoding: { text?: { field: string } } }> }).layer[1].encoding.text;
    expect(text).toEqual({ field: "label", type: "nominal" });
    const markdown = sweepMarkdown(document, []);
    expect(markdown).toContain("| 0 (every seed) |");
    expect(markdown).not.toContain("0 ± 0");
  });
});
