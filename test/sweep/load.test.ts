// The sweep block as the loader resolves it, and what `streamsim run` does with a sweep file.

import { describe, expect, it } from "vitest";
import { runScenario } from "../../sim/run/index.ts";
import { loadScenarioFile } from "../../sim/scenario/index.ts";

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

  it("is not run by streamsim run, which runs the base scenario and says so", () => {
    const loaded = loadScenarioFile("test/sweep/fixtures/uniform-limit.yaml", { durationUs: 2_000_000 });
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues));
    const result = runScenario(loaded.scenario);
    expect(result.systems[0].partitions.length).toBe(1);
    expect(result.notes.map((note) => note.code)).toContain("sweep-not-run");
  });
});
