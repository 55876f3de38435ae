// Every example scenario reports a monthly cost, broken into line items, for each system it simulates
// (summary.json's cost block). Runs are cut to 10 s: the cost projects whatever window there is.

import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildSummary } from "../../reports/index.ts";
import { runScenario } from "../../sim/run/index.ts";
import { loadScenarioFile } from "../../sim/scenario/index.ts";

const examples = readdirSync("scenarios").filter((name) => name.endsWith(".yaml")).sort();

describe("cost of every example scenario", () => {
  it.each(examples)("%s has a monthly cost with line items per simulated system", (file) => {
    const loaded = loadScenarioFile(join("scenarios", file), { durationUs: 10_000_000 });
    if (!loaded.ok) throw new Error(`${file} does not load`);
    const summary = buildSummary(runScenario(loaded.scenario));
    for (const system of summary.systems) {
      expect(system.cost, system.name).not.toBeNull();
      expect(system.cost!.lineItems.length, system.name).toBeGreaterThan(0);
      expect(system.cost!.monthlyUsd, system.name).toBeGreaterThan(0);
      // The total is the sum of its lines, to the rounding of summary.json (cents; 1e-4 per line).
      const sum = system.cost!.lineItems.reduce((total, line) => total + line.monthlyUsd!, 0);
      expect(Math.abs(sum - system.cost!.monthlyUsd!), system.name).toBeLessThanOrEqual(0.005 + 1e-4 * system.cost!.lineItems.length);
      expect(system.cost!.assumptions.some((text) => text.includes("720 hours")), system.name).toBe(true);
    }
  });
});
