// Start-up time of the light commands (`--version`, `validate`, `keys` without charts) against a bare
// `node -e 0` on the same machine: the median of several runs each, the commands taking turns so a
// change in the machine's load falls on all of them alike. Target: each within 6x of `node -e 0`. On
// Linux each run's CPU time (user + system, from /proc, in 10 ms ticks) is printed too: on a loaded
// machine it moves less than wall time.
//
// `npm run bench -- --startup` prints these alone; `npx tsx bench/startup.ts --root DIR --rounds N`
// measures another checkout (built) the same way, to compare before and after a change.

import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { resolve } from "node:path";
// @ts-expect-error bin/entry.js is plain JavaScript without types (it runs before anything compiles TypeScript).
import { compiledEntry } from "../bin/entry.js";

/** How many times `node -e 0` each light command may take at most. */
export const startupRatioMax = 6;

export interface StartupCommand {
  name: string;
  args: string[];
}

/** The commands measured; the first is the baseline, the bare Node start. */
export const startupCommands: StartupCommand[] = [
  { name: "node -e 0", args: ["-e", "0"] },
  { name: "streamsim --version", args: ["bin/streamsim.js", "--version"] },
  { name: "streamsim validate scenarios/iot-zipf-keys.yaml", args: ["bin/streamsim.js", "validate", "scenarios/iot-zipf-keys.yaml"] },
  {
    name: "streamsim keys --template ... --kinesis-shards 4 (text, no charts)",
    args: ["bin/streamsim.js", "keys", "--template", "{region}-{user}", "--field", "region=us,eu,ap", "--field", "user=1..5000:zipf=1.1", "--kinesis-shards", "4"],
  },
];

export interface StartupFigure {
  name: string;
  medianMs: number;
  /** Every run's wall time, sorted. */
  runsMs: number[];
  /** The median over `node -e 0`'s median (1 for the baseline itself). */
  ratio: number;
  /** The median CPU time (user + system) of the runs; null where /proc/self/stat cannot be read. */
  cpuMedianMs: number | null;
}

/** Each command `rounds` times in turn from `root` (a built checkout); throws when dist/ is not fresh there. */
export function benchStartup(rounds = 5, root = "."): StartupFigure[] {
  const folder = resolve(root);
  if (compiledEntry(pathToFileURL(`${folder}/`), {}) === null) {
    throw new Error(`${folder}: dist/ is missing or older than the sources, so the CLI would compile TypeScript at start; run npm run build there first`);
  }
  const runs: Run[][] = startupCommands.map(() => []);
  for (let round = 0; round < rounds; round++) {
    startupCommands.forEach((command, index) => runs[index].push(timeRun(command, folder)));
  }
  const medians = runs.map((commandRuns) => median(commandRuns.map((run) => run.wallMs)));
  return startupCommands.map((command, index) => {
    const cpuMs = runs[index].map((run) => run.cpuMs);
    return {
      name: command.name,
      medianMs: medians[index],
      runsMs: runs[index].map((run) => run.wallMs).sort((a, b) => a - b),
      ratio: medians[index] / medians[0],
      cpuMedianMs: cpuMs.every((ms) => ms !== null) ? median(cpuMs as number[]) : null,
    };
  });
}

interface Run {
  wallMs: number;
  cpuMs: number | null;
}

function timeRun(command: StartupCommand, folder: string): Run {
  const env = { ...process.env, STREAMSIM_FROM_SOURCE: "0" };
  const cpuBeforeMs = childrenCpuMs();
  const startMs = performance.now();
  const result = spawnSync(process.execPath, command.args, { cwd: folder, env, encoding: "utf8" });
  const wallMs = performance.now() - startMs;
  const cpuAfterMs = childrenCpuMs();
  if (result.status !== 0) throw new Error(`${command.name} exited ${result.status}: ${result.stderr}`);
  return { wallMs, cpuMs: cpuBeforeMs === null || cpuAfterMs === null ? null : cpuAfterMs - cpuBeforeMs };
}

/** User + system CPU of this process's finished children (cutime + cstime of /proc/self/stat), or null off Linux. */
function childrenCpuMs(): number | null {
  try {
    // The fields after the command name (which may hold spaces) start at the third, state; cutime and cstime are the 16th and 17th.
    const stat = readFileSync("/proc/self/stat", "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ticksPerSecond = 100; // USER_HZ, 100 on Linux (getconf CLK_TCK)
    return ((Number(fields[16 - 3]) + Number(fields[17 - 3])) * 1000) / ticksPerSecond;
  } catch {
    return null;
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** One line per command: its median, its runs and its ratio against the target. */
export function startupLines(figures: StartupFigure[], rounds: number): string {
  const lines = [`start-up, median of ${rounds} runs each, taking turns (target: within ${startupRatioMax}x of node -e 0)`];
  for (const figure of figures) {
    const verdict = figure.ratio === 1 && figure === figures[0] ? "baseline" : figure.ratio <= startupRatioMax ? "meets" : "MISSES";
    const runs = figure.runsMs.map((ms) => ms.toFixed(0)).join(" ");
    const cpu = figure.cpuMedianMs === null ? "" : `, CPU median ${figure.cpuMedianMs.toFixed(0)} ms`;
    lines.push(`${figure.name.padEnd(68)} ${figure.medianMs.toFixed(0).padStart(6)} ms  ${figure.ratio.toFixed(2).padStart(5)} x  ${verdict}  (runs: ${runs} ms${cpu})`);
  }
  return `${lines.join("\n")}\n`;
}

function option(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index < 0 ? undefined : process.argv[index + 1];
}

if (import.meta.url === pathToFileURL(resolve(process.argv[1] ?? "")).href) {
  const rounds = Number(option("--rounds") ?? 5);
  process.stdout.write(startupLines(benchStartup(rounds, option("--root") ?? "."), rounds));
}
