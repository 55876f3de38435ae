// `npm run bench`: speed and memory figures of the simulator on this machine. Benchmarks, not
// tests: they print figures against their targets and never fail a build.

import { benchEngine } from "./engine.ts";
import { benchWorkload } from "./workload.ts";

interface Figure {
  name: string;
  value: number;
  unit: string;
  target: number;
}

function best<T>(runs: number, run: () => T, score: (result: T) => number): T {
  let bestResult = run();
  for (let i = 1; i < runs; i++) {
    const result = run();
    if (score(result) > score(bestResult)) bestResult = result;
  }
  return bestResult;
}

function main(): void {
  const figures: Figure[] = [];
  const engineSmall = best(5, () => benchEngine(1_000, 20_000_000), (r) => r.eventsPerSecond);
  figures.push({ name: "engine schedule+dispatch, 1k pending", value: engineSmall.eventsPerSecond, unit: "events/s", target: 10e6 });
  const engineLarge = best(5, () => benchEngine(100_000, 20_000_000), (r) => r.eventsPerSecond);
  figures.push({ name: "engine schedule+dispatch, 100k pending", value: engineLarge.eventsPerSecond, unit: "events/s", target: 4e6 });
  const workload = best(5, () => benchWorkload(20_000_000), (r) => r.recordsPerSecond);
  figures.push({ name: "workload generation, zipf keys + lognormal sizes", value: workload.recordsPerSecond, unit: "records/s", target: 10e6 });

  process.stdout.write(`streamsim bench (node ${process.version}, best of 5 runs each)\n\n`);
  for (const figure of figures) {
    const verdict = figure.value >= figure.target ? "meets" : "BELOW";
    process.stdout.write(
      `${figure.name.padEnd(52)} ${(figure.value / 1e6).toFixed(2).padStart(7)} M ${figure.unit.padEnd(10)} ` +
        `target >= ${(figure.target / 1e6).toFixed(0)} M: ${verdict}\n`,
    );
  }
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(`\npeak resident memory of the benchmark process: ${peakRssMb.toFixed(0)} MB\n`);
}

main();
