// `streamsim sweep` and `streamsim merge`. Phases of a sweep: load (the base scenario and its sweep
// block) -> plan (runs, seeds, this shard's slice) -> run (worker threads) -> report (or write the
// shard's rows for merge).

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { readShards, writeSweepReport, writeSweepShard } from "../../reports/sweep/index.ts";
import { issueLines, loadScenarioFile, loadScenarioText } from "../scenario/index.ts";
import { isRunList, jobsFor, parseRuns, parseShard, planSweep, runPool, runsOfPart, usableCpus, type RunJob, type RunRow, type SweepPart, type SweepPlan } from "../sweep/index.ts";
import { projectRun, projectionWarning } from "../run/index.ts";
import { sweepRunsWarning } from "../scenario/sweep-schema.ts";
import { cliMessages as say } from "./messages.ts";
import { outputDirectoryProblem } from "./output-dir.ts";
import { sweepProgressDisplay } from "./progress.ts";

export interface SweepFlags {
  workers?: number;
  out?: string;
  shard?: string;
  /** Runs chosen by number: "3,17" or "0-9,12". */
  runs?: string;
  /** Print the runs (or this shard's) instead of running them. */
  plan?: boolean;
  /** With --plan: one JSON object per line. */
  json?: boolean;
  duration?: number;
  eventBudget?: number;
  quiet?: boolean;
  allowOutsideKeyFiles?: boolean;
}

export interface CommandOutcome {
  /**
   * 0 all runs finished (or, for --shard and --runs, its file was written: failed runs are recorded in
   * it and `merge` exits 1 for them), 1 some runs failed, 2 bad input.
   */
  exitCode: number;
}

// The compiled CLI (dist/) starts the compiled worker; the sources start it through tsx's loader.
const workerUrl = import.meta.url.endsWith(".js") ? new URL("./sweep-worker.js", import.meta.url) : new URL("./sweep-worker.mjs", import.meta.url);

export async function sweepCommand(file: string, flags: SweepFlags, toolVersion: string): Promise<CommandOutcome> {
  const print = flags.quiet ? () => {} : (text: string) => process.stdout.write(`${text}\n`);
  // load
  let text: string | undefined;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    text = undefined;
  }
  // An unreadable file is worded by the loader, as for `run`.
  const allowOutsideKeyFiles = flags.allowOutsideKeyFiles ?? false;
  const loaded = text === undefined ? loadScenarioFile(file) : loadScenarioText(text, file, { durationUs: flags.duration, allowOutsideKeyFiles });
  if (!loaded.ok) {
    for (const line of issueLines(loaded.issues, file)) process.stderr.write(`${line}\n`);
    process.stderr.write(`${file}: ${loaded.issues.length} problem${loaded.issues.length === 1 ? "" : "s"}; nothing was run\n`);
    return { exitCode: 2 };
  }
  const scenario = loaded.scenario;
  if (scenario.sweep === null) {
    process.stderr.write(`${say.noSweep(file)}\n`);
    return { exitCode: 2 };
  }
  // plan
  if (flags.shard !== undefined && flags.runs !== undefined) {
    process.stderr.write(`streamsim sweep: ${say.shardAndRuns}\n`);
    return { exitCode: 2 };
  }
  if (flags.json === true && flags.plan !== true) {
    process.stderr.write(`streamsim sweep: ${say.jsonWithoutPlan}\n`);
    return { exitCode: 2 };
  }
  const plan = planSweep(scenario, { durationUs: flags.duration, eventBudget: flags.eventBudget });
  let part: SweepPart | null = null;
  if (flags.shard !== undefined) {
    const parsed = parseShard(flags.shard, process.env);
    if (typeof parsed === "string") {
      process.stderr.write(`streamsim sweep: ${parsed}\n`);
      return { exitCode: 2 };
    }
    part = parsed;
  } else if (flags.runs !== undefined) {
    const parsed = parseRuns(flags.runs, plan.runCount);
    if (typeof parsed === "string") {
      process.stderr.write(`streamsim sweep: ${parsed}\n`);
      return { exitCode: 2 };
    }
    part = { runs: parsed };
  }
  const runs = part === null ? undefined : runsOfPart(plan.runCount, part);
  const jobs = jobsFor(plan, scenario, text!, runs).map((job) => ({ ...job, allowOutsideKeyFiles }));
  if (flags.plan === true) {
    for (const line of planLines(plan, jobs, flags.json === true)) process.stdout.write(`${line}\n`);
    return { exitCode: 0 };
  }
  const directory = flags.out ?? join("out", `${plan.scenario}-sweep`);
  const outProblem = outputDirectoryProblem(directory);
  if (outProblem !== undefined) {
    process.stderr.write(`streamsim sweep: ${outProblem}; nothing was run\n`);
    return { exitCode: 2 };
  }
  const cores = usableCpus();
  if (flags.workers !== undefined && flags.workers > cores) process.stderr.write(`${say.workersCapped(flags.workers, cores)}\n`);
  const workers = workerCount(flags.workers, cores, jobs.length);
  print(say.sweepHeader(toolVersion, plan.scenario, jobs.length, workers, plan.scenarioSha256));
  print(say.seeds(plan.seedRule));
  const projection = projectRun(scenario, jobs.length);
  const warning = projectionWarning(projection, `this sweep of ${jobs.length} runs`);
  if (warning !== undefined) process.stderr.write(`${warning}\n`);
  else if (jobs.length > sweepRunsWarning) process.stderr.write(`${say.manyRuns(jobs.length, projection.records)}\n`);
  if (part !== null) print(isRunList(part) ? say.runsHeader(jobs.length, plan.runCount) : say.shardHeader(part.index, part.count, jobs.length, plan.runCount));
  // run
  const rows = await runWithProgress(jobs, workers, !flags.quiet);
  // report
  const failed = rows.filter((row) => row.status === "failed").length;
  if (part !== null) {
    // A part that ran and wrote its file succeeded as a job: its failed runs are results (the simulation
    // is deterministic, so a retry fails them again), recorded in the file; merge exits 1 for them. A
    // non-zero exit is left to what a retry can fix (a crash, a full disk), so array-job retries help.
    const file = writeSweepShard(plan, part, rows, directory);
    print(say.shardWritten(file));
    if (failed > 0) process.stderr.write(`${say.partFailedRuns(failed, rows.length, file)}\n`);
    return { exitCode: 0 };
  }
  await report(plan, rows, directory, print);
  if (failed > 0) process.stderr.write(`${say.failedRuns(failed, rows.length)}\n`);
  return { exitCode: failed > 0 ? 1 : 0 };
}

/** `--plan`: each run's number, combination, replication, seed and values; as JSON lines with --json. */
function planLines(plan: SweepPlan, jobs: RunJob[], json: boolean): string[] {
  return jobs.map((job) => {
    const values = Object.fromEntries(plan.parameters.map((name, i) => [name, plan.combinations[job.combination][i]]));
    if (json) return JSON.stringify({ run: job.run, combination: job.combination, replication: job.replication, seed: job.seed, values });
    return `run ${job.run}: combination ${job.combination}, replication ${job.replication}, seed ${job.seed}: ${plan.parameters.map((name) => `${name}=${String(values[name])}`).join(", ")}`;
  });
}

export async function mergeCommand(paths: string[], flags: { out?: string; quiet?: boolean }): Promise<CommandOutcome> {
  const print = flags.quiet ? () => {} : (text: string) => process.stdout.write(`${text}\n`);
  const merged = readShards(paths);
  if (!merged.ok) {
    for (const problem of merged.problems) process.stderr.write(`${say.mergeProblem(problem)}\n`);
    return { exitCode: 2 };
  }
  const directory = flags.out ?? join("out", `${merged.plan.scenario}-sweep`);
  const outProblem = outputDirectoryProblem(directory);
  if (outProblem !== undefined) {
    process.stderr.write(`streamsim merge: ${outProblem}\n`);
    return { exitCode: 2 };
  }
  print(say.mergeHeader(merged.rows.length, merged.plan.scenario));
  await report(merged.plan, merged.rows, directory, print);
  const failed = merged.rows.filter((row) => row.status === "failed").length;
  if (failed > 0) process.stderr.write(`${say.failedRuns(failed, merged.rows.length)}\n`);
  return { exitCode: failed > 0 ? 1 : 0 };
}

async function runWithProgress(jobs: Parameters<typeof runPool>[0], workers: number, showProgress: boolean): Promise<RunRow[]> {
  const progress = sweepProgressDisplay(jobs.length, showProgress);
  let done = 0;
  let failed = 0;
  try {
    return await runPool(jobs, {
      workers,
      workerUrl,
      onRow: (row) => {
        done++;
        if (row.status === "failed") failed++;
        progress.update(done, failed);
      },
    });
  } finally {
    progress.stop();
  }
}

async function report(plan: SweepPlan, rows: RunRow[], directory: string, print: (text: string) => void): Promise<void> {
  const written = await writeSweepReport(plan, rows, directory);
  if (written.goal !== null) print(`goal: ${written.goal.replace(/\*\*/g, "")}`);
  print(`report: ${join(written.directory, "summary.md")}`);
  print(`runs: ${join(written.directory, "sweep.csv")}`);
}

/** Worker threads for a sweep: as asked (default: one per usable CPU, a cgroup quota counted), but never more than those CPUs or the runs. Runs are CPU-bound: workers beyond the cores add memory (a simulation each), not speed. */
export function workerCount(asked: number | undefined, cores: number, runs: number): number {
  return Math.max(1, Math.min(asked ?? cores, cores, runs));
}
