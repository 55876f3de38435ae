// One scenario run in a process of its own, so its peak memory is its own: prints a JSON line with
// the simulated records, wall seconds, CPU seconds (user + system, of this process: the machine is
// shared, so wall time measures the neighbours too) and peak resident memory.
//   node --import tsx bench/scenario-run.ts FILE DURATION_SECONDS [SYSTEM]   (SYSTEM: run only that system)

import { runScenario } from "../sim/run/index.ts";
import { loadScenarioFile } from "../sim/scenario/index.ts";

const [file, durationSeconds, only] = process.argv.slice(2);
const loaded = loadScenarioFile(file, { durationUs: Number(durationSeconds) * 1e6 });
if (!loaded.ok) throw new Error(`${file} does not load`);
const scenario = only === undefined ? loaded.scenario : { ...loaded.scenario, systems: loaded.scenario.systems.filter((system) => system.name === only) };
const startNs = process.hrtime.bigint();
const startCpu = process.cpuUsage();
const result = runScenario(scenario);
const cpu = process.cpuUsage(startCpu);
const seconds = Number(process.hrtime.bigint() - startNs) / 1e9;
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
const records = result.systems.reduce((sum, system) => sum + system.records.produced, 0);
process.stdout.write(`${JSON.stringify({ records, seconds, cpuSeconds, peakRssMb: process.resourceUsage().maxRSS / 1024 })}\n`);
