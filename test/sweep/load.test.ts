// The sweep block as the loader resolves it, and what `streamsim run` does with a sweep file.

import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { headlineMetrics } from "../../reports/sweep/index.ts";
import { runScenario } from "../../sim/run/index.ts";
import { formatIssue, loadScenarioFile, loadScenarioText } from "../../sim/scenario/index.ts";
import { sweepInProcess } from "../support/sweep.ts";

describe("sweep block", () => {
  it("resolves names to document paths and expands the grid, first parameter slowest", () => {
    const loaded = loadScenarioFile("test/sweep/fixtures/failing.yaml");
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues));
    const sweep = loaded.scenario.sweep!;
    expect(sweep.parameters.map((parameter) => parameter.path)).toEqual([
      ["systems", 0, "brokers", "count"],
      ["systems", 0, "topic", "replicationFactor"],
      ["workload", 0, "rate", "recordsPerSecond"],
    ]);
    expect(sweep.combinations.slice(0, 3)).toEqual([[1, 1, 100], [1, 1, 20000], [1, 3, 100]]);
    expect(sweep.combinations.length).toBe(8);
  });

  it("reports every bad value beside a bad goal, and a misspelt parameter once rather than again in the goal", () => {
    const file = "scenarios/sweep-shards.yaml";
    const text = readFileSync(file, "utf8");
    const lineOf = (start: string) => text.split("\n").findIndex((row) => row.startsWith(start)) + 1;
    const parametersLine = lineOf("    systems.kds.capacity.shards: [");
    const goalLine = lineOf("  goal: { metric:");
    const issuesOf = (edited: string) => {
      const loaded = loadScenarioText(edited, file);
      return loaded.ok ? [] : loaded.issues.map(formatIssue);
    };
    const badValueAndGoal = text.replace("[8, 12, 16, 24, 32]", "[8, 0]").replace("metric: kds.producerLatencyMs.p99", "metric: kds.latency");
    const both = issuesOf(badValueAndGoal);
    expect(both).toHaveLength(2);
    expect(both[0]).toBe(`${file}:${parametersLine}:38 sweep.parameters.systems.kds.capacity.shards[1]: expected a positive integer, found 0`);
    expect(both[1]).toMatch(new RegExp(`^scenarios/sweep-shards\\.yaml:${goalLine}:19 sweep\\.goal\\.metric: kds in summary\\.json has no number or block "latency"`));
    // The goal's minimise names the real field; only the sweep's misspelt name is wrong.
    expect(issuesOf(text.replace("systems.kds.capacity.shards: [", "systems.kds.capacity.shardz: ["))).toEqual([
      `${file}:${parametersLine}:5 sweep.parameters.systems.kds.capacity.shardz: systems.kds.capacity has no field "shardz"; did you mean "shards"? expected one of: mode, shards`,
    ]);
  });

  it("is not run by streamsim run, which runs the base scenario and says so", () => {
    const loaded = loadScenarioFile("test/sweep/fixtures/uniform-limit.yaml", { durationUs: 2_000_000 });
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues));
    const result = runScenario(loaded.scenario);
    expect(result.systems[0].partitions.length).toBe(1);
    expect(result.notes.map((note) => note.code)).toContain("sweep-not-run");
  });

  it("runs each combination and seed exactly as streamsim run runs the file with that value written in", () => {
    // Run 5 of the tiny sweep is 3 shards, replication 1 (seed 11 + 1); write shards: 3 into the file
    // and run it with --seed 12: every headline metric must be the same number.
    const file = "test/sweep/fixtures/tiny.yaml";
    const { rows } = sweepInProcess(file);
    expect([rows[5].combination, rows[5].replication, rows[5].seed]).toEqual([2, 1, 12]);
    const written = readFileSync(file, "utf8").replace("capacity: { mode: provisioned, shards: 2 }", "capacity: { mode: provisioned, shards: 3 }");
    const loaded = loadScenarioText(written, file, { seed: 12 });
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues));
    expect(headlineMetrics(runScenario(loaded.scenario), [])).toEqual(rows[5].metrics);
  });
});
