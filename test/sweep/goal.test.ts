// The goal search picks the setting the model's own limits predict, and reads "none" and failed runs right.

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { sweepDocument } from "../../reports/sweep/index.ts";
import { metricMeanPlusMinus } from "../../reports/sweep/metric-words.ts";
import { evaluateGoal, type RunRow, type SweepPlan } from "../../sim/sweep/index.ts";
import { sweepInProcess } from "../support/sweep.ts";

const file = "test/sweep/fixtures/uniform-limit.yaml";

describe("goal search", () => {
  it("finds the smallest shard count that does not throttle a uniform load limited by records (docs/reference.md §1.1)", () => {
    // 2,500 records/s of 100 B: 250 KB/s is far below 1 MiB/s per shard, so records decide: 2 shards
    // take 1,250 records/s each (above 1,000: throttled), 3 shards 833 each (below: never throttled,
    // as keys are uniform over 10,000 values and arrivals evenly spaced, so no shard sees a burst
    // above its one-second bucket).
    const { plan, rows } = sweepInProcess(file);
    const answer = evaluateGoal(plan, rows)!;
    expect(answer.value).toBe(3);
    const throttled = rows.map((row) => row.metrics["kds.records.throttledAttempts"]);
    expect(throttled[1]).toBeGreaterThan(0);
    expect(throttled.slice(2)).toEqual([0, 0, 0]);
  });

  it("finds the smallest shard count when bytes decide (1 MiB/s per shard)", () => {
    // 600 records/s of 4 KiB = 2.34 MiB/s: 2 shards take 1.17 MiB/s each (throttled), 3 shards
    // 0.78 MiB/s (not); 600 records/s is far below 1,000 per shard at any count.
    const text = readFileSync(file, "utf8")
      .replace("recordsPerSecond: 2500", "recordsPerSecond: 600")
      .replace("size: 100B", "size: 4KiB");
    const { plan, rows } = sweepInProcess(file, text);
    expect(evaluateGoal(plan, rows)!.value).toBe(3);
  });

  const plan = {
    parameters: ["p"],
    combinations: [[1], [2], [3]],
    replications: 2,
    goal: { metric: "m", bound: "below", limit: 10, direction: "minimise", parameter: "p" },
  } as unknown as SweepPlan;
  const row = (run: number, value: number | null, status: "ok" | "failed" = "ok"): RunRow => ({
    run,
    combination: Math.floor(run / 2),
    replication: run % 2,
    seed: run % 2,
    status,
    error: status === "failed" ? "boom" : null,
    metrics: status === "ok" ? { m: value } : {},
  });

  it("needs every seed within the bound, and counts a failed run as not meeting it", () => {
    // Combination 0 misses in one seed; combination 1 has a failed run; only combination 2 meets the goal.
    const rows = [row(0, 5), row(1, 12), row(2, 1), row(3, 0, "failed"), row(4, 9), row(5, 9.5)];
    const answer = evaluateGoal(plan, rows)!;
    expect(answer.value).toBe(3);
    expect(answer.verdicts.map((verdict) => verdict.meets)).toEqual([false, false, true]);
    expect(answer.verdicts[1].failedRuns).toBe(1);
  });

  it("says so when no setting meets the goal", () => {
    const rows = [row(0, 50), row(1, 12), row(2, 10), row(3, 10), row(4, 11), row(5, 9)];
    expect(evaluateGoal(plan, rows)!.combination).toBeNull();
  });

  it("states the answer's mean with its 95% confidence interval, and the nearest setting that misses", () => {
    // Combination 2 (p = 3) meets with 8 and 9: mean 8.5, s = 0.7071, t(0.975, 1) = 12.706, half-width
    // 12.706 x 0.7071 / sqrt(2) = 6.353. Combination 1 (p = 2) is the nearest that misses: 11 and 12.
    const rows = [row(0, 50), row(1, 60), row(2, 11), row(3, 12), row(4, 8), row(5, 9)];
    const document = sweepDocument({ ...plan, scenario: "s", file: "s.yaml", scenarioSha256: "0".repeat(64), runCount: 6, seedRule: "r", durationOverrideUs: null }, rows, "test");
    const goal = document.sections.find((section) => section.title === "Goal")!;
    expect(goal.paragraphs.slice(0, 3)).toEqual([
      "The smallest p with m below 10 in all 2 seeds is **3**.",
      "At p = 3, m averaged 8.5 over 2 seeds (95% confidence interval for that average: 2.147 to 14.85); its worst seed gave 9.",
      "The nearest setting that misses the goal, p = 2, averaged 11.5 (5.147 to 17.85) against a bound of 10.",
    ]);
  });

  it("says when the goal's metric path leads to no number in any run", () => {
    const rows = [0, 1, 2, 3, 4, 5].map((run) => ({ ...row(run, null), metrics: { other: 1 } }));
    const document = sweepDocument({ ...plan, scenario: "s", file: "s.yaml", scenarioSha256: "0".repeat(64), runCount: 6, seedRule: "r", durationOverrideUs: null }, rows, "test");
    const goal = document.sections.find((section) => section.title === "Goal")!;
    expect(goal.paragraphs[0]).toBe("No setting keeps m below 10 in all 2 seeds.");
    expect(goal.paragraphs[1]).toMatch(/^No finished run has a number at m:/);
  });

  it("says the goal in the metric's words with units, and gives utilization in percent in the tables", () => {
    const named = {
      ...plan,
      parameters: ["systems.kds.capacity.shards"],
      goal: { ...plan.goal!, metric: "kds.producerLatencyMs.p99", parameter: "systems.kds.capacity.shards", limit: 200 },
      scenario: "s",
      file: "s.yaml",
      scenarioSha256: "0".repeat(64),
      runCount: 6,
      seedRule: "r",
      durationOverrideUs: null,
    } as SweepPlan;
    const latency = [500, 520, 300, 310, 150, 160];
    const utilization = [1.72, 1.74, 1.2, 1.3, 0.8, 0.81];
    const rows = latency.map((value, run) => ({ ...row(run, value), metrics: { "kds.producerLatencyMs.p99": value, "kds.partitions.peakWriteUtilization.max": utilization[run] } }));
    const document = sweepDocument(named, rows, "test");
    const goal = document.sections.find((section) => section.title === "Goal")!;
    expect(goal.paragraphs[0]).toBe("The smallest kds shard count with producer p99 latency of kds below 200 ms in all 2 seeds is **3**.");
    expect(goal.paragraphs[1]).toMatch(/^At .* = 3, producer p99 latency of kds averaged 155 ms over 2 seeds .*; its worst seed gave 160 ms\.$/);
    const table = document.sections.find((section) => section.title === "All settings")!.tables[0].table;
    const column = table.columns.findIndex((name) => name.startsWith("kds: peak write utilization (% of limit)"));
    expect(column).toBeGreaterThan(0);
    // 1.72 and 1.74: half-width 12.706 x 0.01414 / sqrt(2) = 12.7 points, shown to 2 significant figures.
    expect(table.rows[0][column]).toBe("173% ± 13%");
  });
  it("warns beside the answer when the chosen setting still throttles or has a shard over its write limit", () => {
    // The new-user review: "the smallest shard count is 24" while at 24 the busiest shard still peaked at
    // 101.9% and ~64,000 write attempts were throttled.
    const named = {
      ...plan,
      parameters: ["systems.kds.capacity.shards"],
      goal: { ...plan.goal!, metric: "kds.producerLatencyMs.p99", parameter: "systems.kds.capacity.shards", limit: 200 },
      scenario: "s",
      file: "s.yaml",
      scenarioSha256: "0".repeat(64),
      runCount: 6,
      seedRule: "r",
      durationOverrideUs: null,
    } as SweepPlan;
    const latency = [500, 520, 300, 310, 150, 160];
    const utilization = [1.72, 1.74, 1.2, 1.3, 1.018, 1.02];
    const throttled = [900_000, 910_000, 200_000, 210_000, 63_000, 65_000];
    const metrics = (run: number) => ({ "kds.producerLatencyMs.p99": latency[run], "kds.partitions.peakWriteUtilization.max": utilization[run], "kds.records.throttledAttempts": throttled[run] });
    const rows = latency.map((value, run) => ({ ...row(run, value), metrics: metrics(run) }));
    const document = sweepDocument(named, rows, "test");
    const goal = document.sections.find((section) => section.title === "Goal")!;
    // The terminal's goal line carries the same caveat (sweep write joins the answer and its caveats).
    expect(document.goalCaveats).toEqual([goal.paragraphs[1]]);
    expect(goal.paragraphs[1]).toBe(
      "**But at kds shard count = 3, kds still throttles:** its busiest shard or partition peaks at 101.9% of its write limit and 64,000 write attempts are throttled (mean over 2 seeds); the goal's metric does not show it.",
    );
    // A setting that neither throttles nor runs a shard over its limit has no caveat.
    const calm = rows.map((entry, run) => (run >= 4 ? { ...entry, metrics: { ...metrics(run), "kds.partitions.peakWriteUtilization.max": 0.8, "kds.records.throttledAttempts": 0 } } : entry));
    const calmGoal = sweepDocument(named, calm, "test").sections.find((section) => section.title === "Goal")!;
    expect(calmGoal.paragraphs.some((paragraph) => paragraph.includes("still throttles"))).toBe(false);
  });
  it("rounds the ± to 2 significant figures and the mean to the same decimal place (no $277.9 ± $0.05737)", () => {
    expect(metricMeanPlusMinus("kds.cost.monthlyUsd", 277.934, 0.05737)).toBe("$277.934 ± $0.057");
    expect(metricMeanPlusMinus("msk.partitions.fairShareRatio.max", 1.09613, 0.004303)).toBe("1.0961× ± 0.0043×");
    expect(metricMeanPlusMinus("kds.records.throttledAttempts", 14_347, 12_345)).toBe("14,000 ± 12,000");
    expect(metricMeanPlusMinus("kds.producerLatencyMs.p99", 286.278, 15.86)).toBe("286 ms ± 16 ms");
  });
});
