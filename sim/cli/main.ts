// The `streamsim` command, the composition root: the only part of sim/ that imports reports/.
// Phases of `run`: load -> validate -> build -> run -> collect -> report.

import { join } from "node:path";
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
// Only what defining the commands needs is imported here; each command imports what it runs when it runs
// (reports/ with vega, the models, the scenario loader), so `--version`, `--help` and `validate` start fast.
import type { Summary } from "../../reports/index.ts";
import { defaultEventBudget } from "../run/budget.ts";
import { jsonSchemaDrafts, type JsonSchemaDraft } from "../scenario/schema-drafts.ts";
import type { LoadOptions, Scenario } from "../scenario/index.ts";
import { parseDurationUs, UnitError } from "../units/index.ts";
import { registerCalibrateCommand } from "./calibrate-command.ts";
import { registerKeysCommand } from "./keys-command.ts";
import { outputDirectoryProblem } from "./output-dir.ts";
import type { SweepFlags } from "./sweep-command.ts";

/** Exit codes: 0 success, 1 a run that could not finish, 2 bad input (scenario or command line). */
const exitBadInput = 2;
const exitRunFailed = 1;

let pipeGuarded = false;
/** `streamsim schema | head -c 10` closes the pipe early: stop quietly rather than print a trace (once per process). */
function quietOnClosedPipe(): void {
  if (pipeGuarded) return;
  pipeGuarded = true;
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE") throw error;
    process.exit(process.exitCode ?? 0);
  });
}

/** The whole command line (`argv` as process.argv: node, script, then the arguments); sets process.exitCode. */
export async function main(argv: string[]): Promise<void> {
  quietOnClosedPipe();
  const program = new Command()
    .name("streamsim")
    .description("Deterministic simulator of Kinesis Data Streams, Kafka and SQS under your workload.")
    .version(toolVersion())
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride();

  program
    .command("run")
    .description("simulate a scenario and write report.html, summary.md, summary.json, metrics.csv and charts")
    .argument("<file>", "scenario YAML file (- reads it from standard input)")
    .option("--out <dir>", "output directory (default: out/<scenario name>)")
    .option("--seed <n>", "replace the scenario's seed", parseSeed)
    .option("--duration <d>", "replace the scenario's duration, e.g. 30s or 5m", parseDurationOption)
    .option("--event-budget <n>", `stop with an error after this many events (default ${defaultEventBudget})`, parseCount)
    .option("--allow-outside-key-files", "read key files given by an absolute path or outside the scenario's folder")
    .option("--png", "also write charts/*.png beside the SVG charts")
    .option("--json", "print summary.json on standard output (and nothing else there); the files are written as usual")
    .option("--quiet", "print nothing but errors")
    .action(runCommand);

  program
    .command("cost")
    .description(
      "print a scenario's monthly cost per system, line by line; it runs the simulation (cost follows the simulated " +
        "behaviour: shard counts over time, retries, consumers' reads) and writes no files",
    )
    .argument("<file>", "scenario YAML file (- reads it from standard input)")
    .option("--seed <n>", "replace the scenario's seed", parseSeed)
    .option("--duration <d>", "replace the scenario's duration, e.g. 30s or 5m (a shorter run projects a shorter window)", parseDurationOption)
    .option("--event-budget <n>", `stop with an error after this many events (default ${defaultEventBudget})`, parseCount)
    .option("--allow-outside-key-files", "read key files given by an absolute path or outside the scenario's folder")
    .option("--json", "print the cost as JSON: each system's monthly total, line items and assumptions (summary.json's cost blocks)")
    .option("--infracost-usage <file>", "also write an Infracost usage file (infracost-usage.yml) from the simulated monthly usage")
    .action(costCommand);

  program
    .command("validate")
    .description("check scenario files and print every problem with file:line:column")
    .argument("<files...>", "scenario YAML files (- reads one from standard input)")
    .option("--allow-outside-key-files", "read key files given by an absolute path or outside the scenario's folder")
    .option("--json", "print the result as JSON: per file, ok or its problems as objects (file, line, column, path, expected, found)")
    .action(validateCommand);

  program
    .command("sweep")
    .description("run a scenario's sweep: every combination and seed, on all cores; writes sweep.csv, summary.md, report.html")
    .argument("<file>", "scenario YAML file with a sweep: block")
    .option("--workers <n>", "worker threads (default: the CPUs this process may use, a cgroup CPU quota counted)", parseCount)
    .option("--out <dir>", "output directory (default: out/<scenario name>-sweep)")
    .option("--shard <i/N>", "run only shard i of N (numbered from 0; auto/N reads JOB_COMPLETION_INDEX, AWS_BATCH_JOB_ARRAY_INDEX or SLURM_ARRAY_TASK_ID)")
    .option("--runs <list>", "run only these runs, numbered from 0: 3,17 or 0-9,12 (see --plan); writes a file for streamsim merge")
    .option("--plan", "print the runs (with --shard or --runs: those) without running them")
    .option("--json", "with --plan: one JSON object per run and line")
    .option("--duration <d>", "replace the scenario's duration in every run, e.g. 30s or 5m", parseDurationOption)
    .option("--event-budget <n>", `stop a run with an error after this many events (default ${defaultEventBudget})`, parseCount)
    .option("--allow-outside-key-files", "read key files given by an absolute path or outside the scenario's folder")
    .option("--quiet", "print nothing but errors")
    .action(async (file: string, flags: SweepFlags) => {
      const { sweepCommand } = await import("./sweep-command.ts");
      process.exitCode = (await sweepCommand(file, flags, toolVersion())).exitCode;
    });

  program
    .command("merge")
    .description("combine the outputs of sharded sweeps (--shard, --runs) into the outputs of the whole sweep; exits 1 when any run failed")
    .argument("<paths...>", "output folders of the shards, shard files, or globs such as 'results/*/sweep-*.json'")
    .option("--out <dir>", "output directory (default: out/<scenario name>-sweep)")
    .option("--quiet", "print nothing but errors")
    .action(async (directories: string[], flags: { out?: string; quiet?: boolean }) => {
      const { mergeCommand } = await import("./sweep-command.ts");
      process.exitCode = (await mergeCommand(directories, flags)).exitCode;
    });

  program
    .command("schema")
    .description("print the JSON Schema of the scenario format (or, with --summary, of summary.json)")
    .option("--summary", "print the JSON Schema of summary.json instead")
    .addOption(
      new Option("--draft <draft>", "JSON Schema draft: 2020-12, or 07 for validators that read draft-07 by default (ajv)").choices(jsonSchemaDrafts).default("2020-12"),
    )
    .action(async (flags: { summary?: boolean; draft: JsonSchemaDraft }) => {
      process.stdout.write(flags.summary ? (await import("../../reports/index.ts")).summaryJsonSchema(flags.draft) : (await import("../scenario/index.ts")).scenarioJsonSchema(flags.draft));
    });

  registerKeysCommand(program, toolVersion(), exitBadInput);
  registerCalibrateCommand(program, toolVersion(), exitBadInput, exitRunFailed);

  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode === 0 ? 0 : exitBadInput;
      return;
    }
    throw error;
  }
}

interface RunFlags {
  out?: string;
  /** cost only: where to write the Infracost usage file. */
  infracostUsage?: string;
  seed?: number;
  duration?: number;
  eventBudget?: number;
  png?: boolean;
  quiet?: boolean;
  json?: boolean;
  allowOutsideKeyFiles?: boolean;
}

async function runCommand(file: string, flags: RunFlags): Promise<void> {
  const scenario = await loadOrReport(file, { seed: flags.seed, durationUs: flags.duration, allowOutsideKeyFiles: flags.allowOutsideKeyFiles });
  if (scenario === undefined) return;
  const outDirectory = flags.out ?? join("out", scenario.name);
  if (!outputDirectoryUsable("run", outDirectory)) return;
  // With --json, standard output carries summary.json alone: the lines for people are left out.
  const say = flags.quiet || flags.json ? () => {} : (text: string) => process.stdout.write(`${text}\n`);
  say(`streamsim ${toolVersion()}: ${scenario.name} (seed ${scenario.seed}, scenario sha256 ${scenario.source.sha256.slice(0, 12)})`);
  const [{ EventBudgetError }, { runScenario, projectRun, projectionWarning }, { buildSummary, notLikeForLikeLine, summaryJson, verdictLines, writeReport }, { progressDisplay }] = await Promise.all([
    import("../engine/index.ts"),
    import("../run/index.ts"),
    import("../../reports/index.ts"),
    import("./progress.ts"),
  ]);
  // A run whose records pass its budget stops at once with its own message: no warning first.
  const projection = projectRun(scenario);
  const warning = projection.records > (flags.eventBudget ?? defaultEventBudget) ? undefined : projectionWarning(projection, "this run");
  if (warning !== undefined) process.stderr.write(`${warning}\n`);
  const progress = progressDisplay(scenario.durationUs, !flags.quiet && !flags.json);
  let result;
  try {
    result = runScenario(scenario, { eventBudget: flags.eventBudget, onProgress: (nowUs, events) => progress.update(nowUs, events) });
  } catch (error) {
    progress.stop();
    if (!(error instanceof EventBudgetError)) throw error;
    process.stderr.write(`streamsim: ${file}: ${error.message}\n`);
    process.exitCode = exitRunFailed;
    return;
  }
  progress.stop();
  const written = await writeReport(result, outDirectory, { png: flags.png });
  if (flags.json) {
    process.stdout.write(summaryJson(buildSummary(result)));
    return;
  }
  say(`report: ${written.htmlPath}`);
  say(`summary: ${join(written.directory, "summary.md")} (machine-readable: ${join(written.directory, "summary.json")})`);
  // The comparison and the verdict themselves, so the findings are seen without opening a file (markdown marks dropped).
  const summary = buildSummary(result);
  say("");
  if (summary.comparison !== null) {
    const unlike = notLikeForLikeLine(summary);
    say(`In short: ${summary.comparison.sentence}${unlike === null ? "" : `\n${unlike}`}\n`);
  }
  for (const line of verdictLines(summary)) say(`- ${line.replaceAll("**", "").replaceAll("`", "")}`);
  // Notes qualify the figures above (a shortened run that cut an outage off, an override): print them with them.
  if (summary.notes.length > 0) say("");
  for (const note of summary.notes) say(`${note.severity}: ${note.message}`);
}

async function costCommand(file: string, flags: RunFlags): Promise<void> {
  const scenario = await loadOrReport(file, { seed: flags.seed, durationUs: flags.duration, allowOutsideKeyFiles: flags.allowOutsideKeyFiles });
  if (scenario === undefined) return;
  const [{ EventBudgetError }, { runScenario }, { buildSummary }, { costTable, usd }] = await Promise.all([
    import("../engine/index.ts"),
    import("../run/index.ts"),
    import("../../reports/index.ts"),
    import("../../reports/cost-md.ts"),
  ]);
  let result;
  try {
    result = runScenario(scenario, { eventBudget: flags.eventBudget });
  } catch (error) {
    if (!(error instanceof EventBudgetError)) throw error;
    process.stderr.write(`streamsim: ${file}: ${error.message}\n`);
    process.exitCode = exitRunFailed;
    return;
  }
  const summary = buildSummary(result);
  if (flags.infracostUsage !== undefined && !(await writeInfracostUsage(flags.infracostUsage, summary, scenario.region))) return;
  if (flags.json) {
    process.stdout.write(`${JSON.stringify(costJson(summary, scenario), null, 2)}\n`);
    return;
  }
  const lines = [`${scenario.name} (seed ${scenario.seed}, region ${scenario.region}): monthly cost`, ""];
  for (const system of summary.systems) {
    if (system.cost === null) continue;
    lines.push(`${system.name} (${system.kind}): ${usd(system.cost.monthlyUsd)} a month`, "", costTable(system.cost), "");
    lines.push(...system.cost.assumptions.map((text) => `- ${text}`), "");
  }
  for (const note of summary.notes) lines.push(`${note.severity}: ${note.message}`);
  if (flags.infracostUsage !== undefined) lines.push("", `Infracost usage file written to ${flags.infracostUsage}`);
  process.stdout.write(`${lines.join("\n").trimEnd()}\n`);
}

/** `cost --infracost-usage FILE`; false (exit 2, said on stderr) when the file cannot be written. */
async function writeInfracostUsage(path: string, summary: Summary, region: string): Promise<boolean> {
  const [{ writeFileSync }, { basename }, { infracostUsageYaml }] = await Promise.all([import("node:fs"), import("node:path"), import("../../reports/infracost-usage.ts")]);
  try {
    writeFileSync(path, infracostUsageYaml(summary, region, basename(path)));
    return true;
  } catch (error) {
    process.stderr.write(`streamsim: --infracost-usage ${path}: ${(error as Error).message}\n`);
    process.exitCode = exitBadInput;
    return false;
  }
}

/** `cost --json`: the scenario, and each system's cost block as summary.json has it (null for a system without one). */
function costJson(summary: Summary, scenario: Scenario) {
  return {
    scenario: scenario.name,
    seed: scenario.seed,
    region: scenario.region,
    simulatedSeconds: summary.simulatedSeconds,
    monthlyUsd: Math.round(summary.systems.reduce((sum, system) => sum + (system.cost?.monthlyUsd ?? 0), 0) * 100) / 100,
    systems: summary.systems.map((system) => ({ name: system.name, kind: system.kind, cost: system.cost })),
    notes: summary.notes,
  };
}

async function validateCommand(files: string[], flags: { allowOutsideKeyFiles?: boolean; json?: boolean }): Promise<void> {
  if (flags.json) return validateJson(files, flags);
  for (const file of files) {
    const scenario = await loadOrReport(file, { allowOutsideKeyFiles: flags.allowOutsideKeyFiles });
    if (scenario === undefined) continue;
    const [{ projectRun, projectionWarning }, { WorkBudgetError }] = await Promise.all([import("../run/projection.ts"), import("../run/work-budget.ts")]);
    process.stdout.write(`${file}: ok (${scenario.name})\n`);
    // Valid, but a run at the default event budget would refuse it (exit 1): say so now, not after the user waits.
    const records = projectRun(scenario).records;
    if (records > defaultEventBudget) process.stderr.write(`${file}: warning: valid, but a run would stop at once: ${new WorkBudgetError(defaultEventBudget, records).message}\n`);
    else {
      const warning = projectionWarning(projectRun(scenario), "a run of this scenario");
      if (warning !== undefined) process.stderr.write(`${file}: ${warning}\n`);
    }
  }
}

/**
 * `validate --json`: one object per file, `ok` and either the scenario's name or every problem as an
 * object (issueJson); warnings as sentences. Exit code 2 when any file has a problem, as without --json.
 */
async function validateJson(files: string[], flags: { allowOutsideKeyFiles?: boolean }): Promise<void> {
  const [{ issueJson, loadScenarioFile, standardInputFile, standardInputName }, { projectRun, projectionWarning }, { WorkBudgetError }] = await Promise.all([
    import("../scenario/index.ts"),
    import("../run/projection.ts"),
    import("../run/work-budget.ts"),
  ]);
  const displayName = (file: string): string => (file === standardInputFile ? standardInputName : file);
  const results = files.map((file) => {
    const loaded = loadScenarioFile(file, { allowOutsideKeyFiles: flags.allowOutsideKeyFiles });
    if (!loaded.ok) return { file: displayName(file), ok: false, scenario: null, problems: loaded.issues.map(issueJson), warnings: [] };
    const projection = projectRun(loaded.scenario);
    const warning =
      projection.records > defaultEventBudget
        ? `valid, but a run would stop at once: ${new WorkBudgetError(defaultEventBudget, projection.records).message}`
        : projectionWarning(projection, "a run of this scenario");
    return { file: displayName(file), ok: true, scenario: loaded.scenario.name, problems: [], warnings: warning === undefined ? [] : [warning] };
  });
  process.stdout.write(`${JSON.stringify({ ok: results.every((result) => result.ok), files: results }, null, 2)}\n`);
  if (!results.every((result) => result.ok)) process.exitCode = exitBadInput;
}

/** Whether the output folder can be written; if not, says why and sets exit code 2. */
function outputDirectoryUsable(command: string, directory: string): boolean {
  const problem = outputDirectoryProblem(directory);
  if (problem === undefined) return true;
  process.stderr.write(`streamsim ${command}: ${problem}; nothing was run\n`);
  process.exitCode = exitBadInput;
  return false;
}

/** Loads a scenario, or prints all its issues to stderr and sets exit code 2. */
async function loadOrReport(file: string, options: LoadOptions): Promise<Scenario | undefined> {
  const { issueLines, loadScenarioFile } = await import("../scenario/index.ts");
  const loaded = loadScenarioFile(file, options);
  if (loaded.ok) return loaded.scenario;
  for (const line of issueLines(loaded.issues, file)) process.stderr.write(`${line}\n`);
  const count = loaded.issues.length;
  process.stderr.write(`${file}: ${count} problem${count === 1 ? "" : "s"}; nothing was run\n`);
  process.exitCode = exitBadInput;
  return undefined;
}

function parseSeed(text: string): number {
  if (!/^\d{1,15}$/.test(text)) throw new InvalidArgumentError(`expected a non-negative integer, found ${JSON.stringify(text)}`);
  return Number(text);
}

function parseCount(text: string): number {
  if (!/^[1-9]\d{0,15}$/.test(text)) throw new InvalidArgumentError(`expected a positive integer, found ${JSON.stringify(text)}`);
  return Number(text);
}

function parseDurationOption(text: string): number {
  try {
    const durationUs = parseDurationUs(text);
    if (durationUs < 1_000_000) throw new InvalidArgumentError(`expected a duration of at least 1s, found ${JSON.stringify(text)}`);
    return durationUs;
  } catch (error) {
    // A bare number most often lacks its unit, as in a scenario file.
    if (error instanceof UnitError) throw new InvalidArgumentError(/^\d+(\.\d+)?$/.test(text) ? `${error.message} (add a unit, e.g. "${text}s" or "${text}m")` : error.message);
    throw error;
  }
}

function toolVersion(): string {
  return process.env.npm_package_version ?? packageVersion;
}

import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { packageVersion } from "../package-root.ts";

// Started as a program (`tsx sim/cli/main.ts …`) it runs the command line; bin/streamsim.js calls
// main() itself, and tests import main() to run commands in their own process.
if (process.argv[1] !== undefined && pathToFileURL(resolve(process.argv[1])).href === import.meta.url) await main(process.argv);
