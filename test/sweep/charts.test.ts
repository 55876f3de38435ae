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

  it("cut confidence intervals at zero: no negative throttle count", () => {
    const { values } = layersOf(plan, "throttled.svg");
    expect(values.length).toBe(5);
    for (const row of values) {
      expect(row.mean).toBeCloseTo(269.333, 3);
      expect(row.low).toBe(0);
    }
    const markdown = sweepMarkdown(sweepDocument(plan, rowsOf(plan), "0.0.0"), ["charts/goal.svg"]);
    expect(markdown).toContain("269.3 (0 to ");
    expect(markdown.indexOf("## Charts")).toBeLessThan(markdown.indexOf("## All settings"));
  });
});
