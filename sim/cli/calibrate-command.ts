// `streamsim calibrate SCENARIO --metrics FILE...`: runs the scenario and sets the real stream's
// CloudWatch exports beside the simulated series (reports/calibration). Phases: read the exports ->
// load the scenario -> run -> compare -> write the usual report with the calibration section first.

import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { type Command, InvalidArgumentError } from "commander";
import { parseRecordedMetrics, type RecordedSeries } from "../metrics/cloudwatch.ts";
import { parseDurationUs, UnitError } from "../units/index.ts";
import { outputDirectoryProblem } from "./output-dir.ts";

/** Largest metrics export read (a week of one-minute points for 500 series is about 30 MB). */
const metricsFileBytesMax = 64 * 1024 * 1024;

interface CalibrateFlags {
  metrics: string[];
  out?: string;
  band: number;
  seed?: number;
  duration?: number;
  json?: boolean;
  quiet?: boolean;
  allowOutsideKeyFiles?: boolean;
}

export function registerCalibrateCommand(program: Command, toolVersion: string, exitBadInput: number, exitRunFailed: number): void {
  program
    .command("calibrate")
    .description("run a scenario and compare it with the real stream's CloudWatch exports (get-metric-data or get-metric-statistics JSON): MAPE, max error and bias per metric, overlay charts in report.html")
    .argument("<file>", "scenario YAML file")
    .requiredOption("--metrics <files...>", "CloudWatch exports: the JSON `aws cloudwatch get-metric-data` or `get-metric-statistics` prints (docs/calibration.md)")
    .option("--band <percent>", "a metric agrees when its MAPE and bias are within this band, e.g. 10% (default) or 0.05", parseBand, 0.1)
    .option("--out <dir>", "output directory (default: out/<scenario name>-calibration)")
    .option("--seed <n>", "replace the scenario's seed", (text: string) => parseInteger(text))
    .option("--duration <d>", "replace the scenario's duration, e.g. 30m", parseDuration)
    .option("--allow-outside-key-files", "read key and history files given by an absolute path or outside the scenario's folder")
    .option("--json", "print calibration.json on standard output; the files are written as usual")
    .option("--quiet", "print nothing but errors")
    .action(async (file: string, flags: CalibrateFlags) => {
      process.exitCode = await calibrateCommand(file, flags, toolVersion, exitBadInput, exitRunFailed);
    });
}

async function calibrateCommand(file: string, flags: CalibrateFlags, toolVersion: string, exitBadInput: number, exitRunFailed: number): Promise<number> {
  const recorded = readExports(flags.metrics);
  if (recorded === null) return exitBadInput;
  const { issueLines, loadScenarioFile } = await import("../scenario/index.ts");
  const loaded = loadScenarioFile(file, { seed: flags.seed, durationUs: flags.duration, allowOutsideKeyFiles: flags.allowOutsideKeyFiles });
  if (!loaded.ok) {
    for (const line of issueLines(loaded.issues, file)) process.stderr.write(`${line}\n`);
    process.stderr.write(`${file}: ${loaded.issues.length} problem${loaded.issues.length === 1 ? "" : "s"}; nothing was run\n`);
    return exitBadInput;
  }
  const scenario = loaded.scenario;
  const outDirectory = flags.out ?? join("out", `${scenario.name}-calibration`);
  const problem = outputDirectoryProblem(outDirectory);
  if (problem !== undefined) {
    process.stderr.write(`streamsim calibrate: ${problem}; nothing was run\n`);
    return exitBadInput;
  }
  const say = flags.quiet || flags.json ? () => {} : (text: string) => process.stdout.write(`${text}\n`);
  say(`streamsim ${toolVersion}: calibrating ${scenario.name} (seed ${scenario.seed}) against ${flags.metrics.length} export${flags.metrics.length === 1 ? "" : "s"}`);
  const [{ EventBudgetError }, { runScenario }, { writeReport }, calibration] = await Promise.all([
    import("../engine/index.ts"),
    import("../run/index.ts"),
    import("../../reports/index.ts"),
    import("../../reports/calibration/index.ts"),
  ]);
  let result;
  try {
    result = runScenario(scenario);
  } catch (error) {
    if (!(error instanceof EventBudgetError)) throw error;
    process.stderr.write(`streamsim: ${file}: ${error.message}\n`);
    return exitRunFailed;
  }
  const compared = calibration.calibrate(result, recorded, flags.band);
  const written = await writeReport(result, outDirectory, { extra: (write) => calibration.writeCalibration(compared, scenario.name, write) });
  if (flags.json) {
    process.stdout.write(calibration.calibrationJson(compared));
    return 0;
  }
  say(`report: ${written.htmlPath}`);
  say(`calibration: ${join(written.directory, "calibration.md")} (machine-readable: ${join(written.directory, "calibration.json")})`);
  say("");
  for (const metric of compared.metrics) {
    const mape = metric.mapeFraction === null ? "–" : `${(metric.mapeFraction * 100).toFixed(1)}%`;
    const bias = metric.biasFraction === null ? "–" : `${(metric.biasFraction * 100).toFixed(1)}%`;
    say(`${metric.agrees ? "agrees   " : "DISAGREES"} ${metric.label}: MAPE ${mape}, bias ${bias}, max error ${calibration.calibrationText.maxError(metric)} (${metric.points.length} periods)`);
  }
  for (const skipped of compared.skipped) say(`skipped   ${skipped.file}: ${skipped.label}: ${skipped.reason}`);
  if (compared.findings.length > 0) say("");
  for (const finding of compared.findings) say(`- ${finding.message}`);
  return 0;
}

/** Every series of every export, or null after printing each problem as file:line:column. */
function readExports(files: string[]): Array<{ file: string; series: RecordedSeries }> | null {
  const series: Array<{ file: string; series: RecordedSeries }> = [];
  let failed = false;
  for (const file of files) {
    let text: string;
    try {
      const stats = statSync(file);
      if (!stats.isFile()) throw new Error("not a regular file");
      if (stats.size > metricsFileBytesMax) throw new Error(`${stats.size} bytes; an export may have at most ${metricsFileBytesMax} bytes`);
      text = readFileSync(file, "utf8");
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      process.stderr.write(`${file}: cannot read the export: ${code === "ENOENT" ? "no such file" : (error as Error).message}\n`);
      failed = true;
      continue;
    }
    const parsed = parseRecordedMetrics(text, file);
    for (const issue of parsed.issues) process.stderr.write(`${file}:${issue.line}:${issue.column}: ${issue.message}\n`);
    if (parsed.issues.length > 0) failed = true;
    else series.push(...parsed.series.map((one) => ({ file, series: one })));
  }
  if (failed) process.stderr.write("streamsim calibrate: nothing was run\n");
  return failed ? null : series;
}

function parseBand(text: string): number {
  const match = /^(\d+(\.\d+)?)(%?)$/.exec(text.trim());
  const value = match === null ? NaN : Number(match[1]) / (match[3] === "%" ? 100 : 1);
  if (!(value > 0 && value < 10)) throw new InvalidArgumentError(`expected a band such as 10% or 0.1, found ${JSON.stringify(text)}`);
  return value;
}

function parseInteger(text: string): number {
  if (!/^\d{1,15}$/.test(text)) throw new InvalidArgumentError(`expected a non-negative integer, found ${JSON.stringify(text)}`);
  return Number(text);
}

function parseDuration(text: string): number {
  try {
    const durationUs = parseDurationUs(text);
    if (durationUs < 1_000_000) throw new InvalidArgumentError(`expected a duration of at least 1s, found ${JSON.stringify(text)}`);
    return durationUs;
  } catch (error) {
    if (error instanceof UnitError) throw new InvalidArgumentError(error.message);
    throw error;
  }
}
