// The Flink heatmap and table of an application autoscaling changed the parallelism of:
// scenarios/flink-autoscaling.yaml cut to 65 minutes, where "autoscaled" starts at parallelism 2 and a
// scale-up restart at 58 min (3,480 s) runs it at 4. Subtasks #2 and #3 did not exist before: the
// heatmap drew them as 0% busy, and the table put the share of the whole run beside 1 / the final
// parallelism.

import { beforeAll, describe, expect, it } from "vitest";
import { flinkChart } from "../../reports/charts/flink.ts";
import { flinkTable } from "../../reports/flink-table.ts";
import { timeWeightedFairShare, parallelismSteps } from "../../reports/flink-parallelism.ts";
import { buildSummary, type Summary } from "../../reports/summary.ts";
import { runScenario, type ScenarioResult } from "../../sim/run/index.ts";
import { loadScenarioFile } from "../../sim/scenario/index.ts";
import { utilizationColor } from "../../reports/charts/utilization-scale.ts";

let result: ScenarioResult;
let summary: Summary;

beforeAll(() => {
  const loaded = loadScenarioFile("scenarios/flink-autoscaling.yaml", { durationUs: 65 * 60_000_000 });
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues));
  result = runScenario(loaded.scenario);
  summary = buildSummary(result);
}, 60_000);

describe("an autoscaled Flink application", () => {
  it("scaled up from 2 to 4 subtasks at 58 min (the scenario this test relies on)", () => {
    const flink = result.systems[0].consumers.find((consumer) => consumer.name === "autoscaled")!.flink!;
    expect(flink.initialParallelism).toBe(2);
    expect(flink.checkpoints.restarts.map((restart) => [restart.atUs / 1e6, restart.parallelism])).toEqual([[3480, 4]]);
  });

  it("heatmap: draws nothing for a subtask while it did not run, and rows fill the legend's height", () => {
    const chart = flinkChart(result.systems, result.scenario.warmupUs)!;
    const spec = chart.spec as { height: number; data: { values: Array<{ subtask: string; minute: number; minuteEnd: number }> } };
    const cellsOf = (pattern: RegExp) => spec.data.values.filter((cell) => pattern.test(cell.subtask));
    for (const late of [/autoscaled #2 /, /autoscaled #3 /]) {
      const cells = cellsOf(late);
      expect(cells.length).toBeGreaterThan(0);
      // The interval holding the restart at 58 min is the first one drawn.
      expect(Math.min(...cells.map((cell) => cell.minuteEnd))).toBeGreaterThan(58);
    }
    // Subtasks of the fixed application, and #0 and #1, run from the end of warm-up.
    expect(Math.min(...cellsOf(/autoscaled #0 /).map((cell) => cell.minute))).toBeLessThan(10);
    expect(Math.min(...cellsOf(/fixed-p4 #3 /).map((cell) => cell.minute))).toBeLessThan(10);
    expect(spec.height).toBeGreaterThanOrEqual(utilizationColor("busy", "busy time").legend.gradientLength);
    expect(chart.caption).toContain("draws nothing, leaving the grey ground, while it did not run");
    // The long rotated y title left an empty band above the rows: the caption says what a row holds instead.
    expect((chart.spec as { encoding: { y: { title: unknown } } }).encoding.y.title).toBeNull();
    expect(chart.caption).toContain('Each row is a keyed subtask ("system · application #subtask (kg key groups)")');
  });

  it("table: says at which parallelism the busiest subtask's key groups are, and weighs its fair share over the parallelisms it ran at", () => {
    const table = flinkTable(summary.systems, summary)!.objects() as Array<Record<string, string>>;
    const autoscaled = table.find((row) => row.application === "autoscaled")!;
    const flink = summary.systems[0].consumers.find((consumer) => consumer.name === "autoscaled")!.flink!;
    const busiest = flink.subtasks[flink.busiestSubtask]!;
    expect(autoscaled["busiest subtask"]).toBe(`${busiest.index} (key groups ${busiest.keyGroups[0]}-${busiest.keyGroups[1]} at parallelism 4)`);
    // Warm-up 300 s to 3,900 s: subtask 0 or 1 takes 1/2 until 3,480 s, then 1/4; subtask 2 or 3 only 1/4 after it.
    const fair = busiest.index < 2 ? ((3480 - 300) / 2 + (3900 - 3480) / 4) / 3600 : (3900 - 3480) / 4 / 3600;
    expect(autoscaled["its share / fair"]).toBe(`${(busiest.recordsShare! * 100).toFixed(1)}% / ${(fair * 100).toFixed(1)}% (over the run at parallelism 2, 4, by time)`);
    // The fixed application keeps 1 / its parallelism.
    expect(table.find((row) => row.application === "fixed-p4")!["its share / fair"]).toMatch(/ \/ 25\.0%$/);
  });

  it("fair share by time: 1/p at a fixed parallelism, nothing while the subtask did not run", () => {
    const steps = parallelismSteps(2, [{ atUs: 100, parallelism: 4 }]);
    expect(timeWeightedFairShare(parallelismSteps(4, []), 3, 0, 1000)).toBe(0.25);
    expect(timeWeightedFairShare(steps, 0, 0, 200)).toBeCloseTo((100 / 2 + 100 / 4) / 200, 12);
    expect(timeWeightedFairShare(steps, 3, 0, 200)).toBeCloseTo(100 / 4 / 200, 12);
  });
});
