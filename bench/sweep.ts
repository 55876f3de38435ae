// Sweep speed-up: the same 8 runs on 1 worker thread and on 2, wall time including the workers'
// start-up, as a user sees it.

import { readFileSync } from "node:fs";
import { loadScenarioText } from "../sim/scenario/index.ts";
import { jobsFor, planSweep, runPool } from "../sim/sweep/index.ts";

export interface SweepBench {
  runs: number;
  oneWorkerSeconds: number;
  twoWorkerSeconds: number;
  speedup: number;
}

const workerUrl = new URL("../sim/cli/sweep-worker.mjs", import.meta.url);

export async function benchSweep(file: string, durationUs: number, runs = 8): Promise<SweepBench> {
  const text = readFileSync(file, "utf8");
  const loaded = loadScenarioText(text, file, { durationUs });
  if (!loaded.ok) throw new Error(`${file} does not load`);
  const plan = planSweep(loaded.scenario, { durationUs });
  const jobs = jobsFor(plan, loaded.scenario, text).slice(0, runs);
  const time = async (workers: number) => {
    const startedMs = performance.now();
    await runPool(jobs, { workers, workerUrl });
    return (performance.now() - startedMs) / 1000;
  };
  const oneWorkerSeconds = await time(1);
  const twoWorkerSeconds = await time(2);
  return { runs: jobs.length, oneWorkerSeconds, twoWorkerSeconds, speedup: oneWorkerSeconds / twoWorkerSeconds };
}
