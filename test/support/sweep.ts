// Runs a sweep in this thread (no workers): the same jobs and the same run function the worker
// threads use, for tests that check the numbers rather than the pool.

import { readFileSync } from "node:fs";
import { headlineMetrics } from "../../reports/sweep/index.ts";
import { loadScenarioText } from "../../sim/scenario/index.ts";
import { jobsFor, planSweep, runOne, type RunRow, type SweepPlan } from "../../sim/sweep/index.ts";

export function sweepInProcess(file: string, text = readFileSync(file, "utf8")): { plan: SweepPlan; rows: RunRow[] } {
  const loaded = loadScenarioText(text, file);
  if (!loaded.ok) throw new Error(`${file} does not load: ${JSON.stringify(loaded.issues)}`);
  const plan = planSweep(loaded.scenario);
  const rows = jobsFor(plan, loaded.scenario, text).map((job) => runOne(job, headlineMetrics));
  return { plan, rows };
}
