// One scenario run in a process of its own, so its peak memory is its own: prints a JSON line with
// the simulated records, wall seconds and peak resident memory.
//   node --import tsx bench/scenario-run.ts FILE DURATION_SECONDS

import { runScenario } from "../sim/run/index.ts";
import { loadScenarioFile } from "../sim/scenario/index.ts";

const [file, durationSeconds] = process.argv.slice(2);
const loaded = loadScenarioFile(file, { durationUs: Number(durationSeconds) * 1e6 });
if (!loaded.ok) throw new Error(`${file} does not load`);
const startNs = process.hrtime.bigint();
const result = runScenario(loaded.scenario);
const seconds = Number(process.hrtime.bigint() - startNs) / 1e9;
const records = result.systems.reduce((sum, system) => sum + system.records.produced, 0);
process.stdout.write(`${JSON.stringify({ records, seconds, peakRssMb: process.resourceUsage().maxRSS / 1024 })}\n`);
