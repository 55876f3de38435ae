// The Flink heatmap and table of an application autoscaling changed the parallelism of:
// scenarios/flink-autoscaling.yaml cut to 65 minutes, where "autoscaled" starts at parallelism 2 and a
// scale-up restart at 58 min (3,480 s) runs it at 4. Subtasks #2 and #3 did not exist before: the
// heatmap drew them as 0% busy, and the table put the share of the whole run beside 1 / the final
// parallelism, then beside a fair share weighed by time, which most records (those of the busier
// hours, here the catch-up and the ramp's top) do not follow: an even split read below its fair share.

import { beforeAll, describe, expect, it } from "vitest";
import { flinkChart } from "../../reports/charts/flink.ts";
import { flinkTable } from "../../reports/flink-table.ts";
import { loadInline } from "../support/scenarios.ts";
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

  it("table: says at which parallelism the busiest subtask's key groups are, and an even split reads its fair share, weighed by the records processed at each parallelism", () => {
    const table = flinkTable(summary.systems)!.objects() as Array<Record<string, string>>;
    const autoscaled = table.find((row) => row.application === "autoscaled")!;
    const flink = summary.systems[0].consumers.find((consumer) => consumer.name === "autoscaled")!.flink!;
    const busiest = flink.subtasks[flink.busiestSubtask]!;
    expect(autoscaled["busiest subtask"]).toBe(`${busiest.index} (key groups ${busiest.keyGroups[0]}-${busiest.keyGroups[1]} at parallelism 4)`);
    expect(autoscaled["its share / fair"]).toBe(`${(busiest.recordsShare! * 100).toFixed(1)}% / ${(busiest.fairShare! * 100).toFixed(1)}% (at parallelism 2, 4, by the records processed at each)`);
    // 100,000 uniform keys over 128 key groups: every subtask takes its part within about 1%, so the
    // busiest reads 1x its fair share, never below it. Weighed by time (300 s to 3,480 s at 2, then 420 s
    // at 4: 47.1% for subtask 0 or 1) it read about 0.96x, because most records came after the ramp.
    const ratio = busiest.recordsShare! / busiest.fairShare!;
    expect(ratio).toBeGreaterThan(0.998); // 1 up to the rounding of the two shares to 4 decimals
    expect(ratio).toBeLessThan(1.02);
    // Subtasks 0 and 1 ran at both parallelisms, 2 and 3 only at 4: equal fair shares in pairs, summing to 1.
    const fair = flink.subtasks.map((subtask) => subtask.fairShare!);
    expect(fair[0]).toBeCloseTo(fair[1]!, 4);
    expect(fair[2]).toBeCloseTo(fair[3]!, 4);
    expect(fair[0]! + fair[1]! + fair[2]! + fair[3]!).toBeCloseTo(1, 3);
    expect(fair[0]).toBeGreaterThan(0.25);
    // The fixed application keeps 1 / its parallelism.
    expect(table.find((row) => row.application === "fixed-p4")!["its share / fair"]).toMatch(/ \/ 25\.0%$/);
  });
});

describe("a hot key in an autoscaled Flink application", () => {
  it("the flink-hot-subtask finding compares the busiest subtask's share against the fair share the table shows", () => {
    // One key carries 80% of 500 records/s at 2 ms each: parallelism 1 is 100% busy, so after 15 minutes
    // the service doubles it to 2, and the hot key's subtask stays 80% or more busy.
    const text = `name: flink-hot-autoscaled
seed: 11
duration: 25m
report: { interval: 1m }
workload:
  - producer: p
    rate: { recordsPerSecond: 500, arrivals: uniform }
    recordSize: { distribution: fixed, size: 100B }
    keys: { distribution: hotspot, cardinality: 1000, hotKeys: 1, hotShare: 0.8, template: "k-{i}" }
systems:
  - name: kds
    kind: kinesis
    capacity: { mode: provisioned, shards: 1 }
    consumers:
      - { name: app, type: flink, parallelism: 1, processing: { perRecord: 2ms }, autoscaling: { maxKpus: 8 } }
`;
    const hot = buildSummary(runScenario(loadInline(text)));
    const flink = hot.systems[0].consumers[0]!.flink!;
    expect(flink.checkpoints.restarts.map((restart) => restart.parallelism)).toEqual([2]);
    const busiest = flink.subtasks[flink.busiestSubtask]!;
    const finding = hot.systems[0].findings.find((f) => f.code === "flink-hot-subtask")!;
    expect(finding).toBeDefined();
    const row = (flinkTable(hot.systems)!.objects() as Array<Record<string, string>>)[0]!;
    // One figure: the table's fair share is the finding's, and neither is 1 / the final parallelism (50%).
    expect(finding.evidence.fairShare).toBeCloseTo(busiest.fairShare!, 3);
    expect(row["its share / fair"]).toContain(`/ ${(busiest.fairShare! * 100).toFixed(1)}%`);
    expect(finding.message).toContain(`its fair share is ${(busiest.fairShare! * 100).toFixed(1)}%`);
    expect(busiest.fairShare!).toBeGreaterThan(0.6);
    expect(Number(finding.evidence.recordsShare) / Number(finding.evidence.fairShare)).toBeGreaterThan(1.1);
  });
});
