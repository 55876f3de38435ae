// `streamsim keys`, run: check options -> read keys (file or template) -> analyse (sim/keys) -> print
// and write (reports/keys). keys-command.ts defines the options and loads this module when the command runs.

// The lab's modules one by one, not sim/keys/index.ts: the instance catalogue (YAML and zod) loads only for --kafka-broker.
import { analyseKeys } from "../keys/analyse.ts";
import { parseFieldFlags } from "../keys/fields.ts";
import { keySetFromFile, keySetFromTemplate, keySetFromTrace, type KeySetResult } from "../keys/input.ts";
import { labLoad } from "../keys/load.ts";
import type { KeysFlags } from "./keys-command.ts";
import { keysCliMessages as msg } from "./keys-messages.ts";
import { outputDirectoryProblem } from "./output-dir.ts";
import { KeyFileRefused } from "../workload/index.ts";
import { TraceFileRefused } from "../workload/trace/index.ts";

export async function keysCommand(flags: KeysFlags, toolVersion: string): Promise<boolean> {
  const problems = optionProblems(flags);
  if (problems.length > 0) return fail(problems);
  const kinesisShards = flags.kinesisShards ?? null;
  const read = readKeys(flags, kinesisShards !== null);
  const source = flags.file ?? "";
  for (const row of read.ok ? read.keySet.skipped : read.skipped) process.stderr.write(`${msg.skippedRow(source, row.line, row.message)}\n`);
  if (!read.ok) return fail(read.errors);
  const kafkaBroker = flags.kafkaBroker === undefined ? null : (await import("../keys/broker.ts")).brokerWriteCapacity(flags.kafkaBroker);
  const [kafkaPartitioner, ...kafkaFleet] = flags.kafkaPartitioner ?? ["murmur2"];
  const load = labLoad(read.keySet, { rate: flags.rate, recordsPerSecond: flags.recordsPerSecond, recordSizeBytes: flags.recordSize });
  if (kafkaBroker !== null && load === null) return fail([msg.brokerNeeds()]);
  const analysis = analyseKeys(read.keySet, { kinesisShards, kafkaPartitions: flags.kafkaPartitions ?? null, load, kafkaBroker, kafkaPartitioner, kafkaFleet, flinkParallelism: flags.flinkParallelism ?? null });
  // reports/ loads only when the lab has something to print, and the charts (vega, resvg) only for --out.
  const [{ keysAnalysisJson }, { keysSummaryMarkdown }] = await Promise.all([import("../../reports/keys/json.ts"), import("../../reports/keys/summary-md.ts")]);
  const say = (line: string): boolean => (flags.json ? process.stderr : process.stdout).write(`${line}\n`);
  if (flags.json) process.stdout.write(`${JSON.stringify(keysAnalysisJson(analysis, toolVersion), null, 2)}\n`);
  else process.stdout.write(keysSummaryMarkdown(analysis));
  if (flags.assignments !== undefined) {
    const path = flags.assignments;
    const { writeAssignments } = await import("../../reports/keys/assignments.ts");
    const error = await fileError(async () => writeAssignments(analysis, path));
    if (error !== null) return writeFailed(msg.cannotWrite("--assignments", path, error));
    say(msg.assignmentsWritten(path, analysis.keySet.rowKeyIndexes?.length ?? analysis.keySet.keys.length, analysis.keySet.keys.length));
  }
  if (flags.out !== undefined) {
    const directory = flags.out;
    let files: string[] = [];
    const problem = outputDirectoryProblem(directory);
    if (problem !== undefined) return writeFailed(`--out: ${problem}`);
    const { writeKeysReport } = await import("../../reports/keys/write.ts");
    const error = await fileError(async () => {
      files = await writeKeysReport(analysis, directory, toolVersion, { png: flags.png });
    });
    if (error !== null) return writeFailed(msg.cannotWrite("--out", directory, error));
    say(msg.reportWritten(files[0]));
  }
  return true;
}

/** Runs a file-system step; a system error (no such directory, no permission) comes back as its code. */
async function fileError(step: () => Promise<void>): Promise<string | null> {
  try {
    await step();
    return null;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (typeof code !== "string") throw error;
    return code;
  }
}

function optionProblems(flags: KeysFlags): string[] {
  const problems: string[] = [];
  if (flags.file === undefined && flags.template === undefined) problems.push(msg.sourceMissing());
  if (flags.file !== undefined && flags.template !== undefined) problems.push(msg.sourceBoth());
  if (flags.field.length > 0 && flags.template === undefined) problems.push(msg.fieldWithoutTemplate());
  if (flags.format !== undefined && flags.file === undefined) problems.push(msg.formatWithoutFile());
  if (flags.keyColumn !== undefined && flags.file === undefined) problems.push(msg.keyColumnWithoutFile());
  const traceFlags = [flags.countBy, flags.sizeColumn, flags.valueColumn, flags.timeColumn, flags.timeFormat];
  if (flags.keyColumn === undefined && traceFlags.some((flag) => flag !== undefined)) problems.push(msg.traceFlagsWithoutKeyColumn());
  if (flags.keyColumn === undefined && flags.format === "jsonl") problems.push(msg.jsonlWithoutKeyColumn());
  if (flags.keyColumn !== undefined && flags.format === "lines") problems.push(msg.linesWithKeyColumn());
  if (flags.sizeColumn !== undefined && flags.valueColumn !== undefined) problems.push(msg.sizeAndValue());
  if (flags.kinesisShards === undefined && flags.kafkaPartitions === undefined && flags.flinkParallelism === undefined) problems.push(msg.targetMissing());
  if (flags.rate !== undefined && flags.recordsPerSecond !== undefined) problems.push(msg.rateBoth());
  if (flags.png && flags.out === undefined) problems.push(msg.pngWithoutOut());
  if (flags.kafkaPartitioner !== undefined && flags.kafkaPartitions === undefined) problems.push(msg.partitionerWithoutPartitions());
  // Without a rate flag, a trace's own rate may still serve: checked once the keys are read.
  const rateGiven = flags.rate !== undefined || flags.recordsPerSecond !== undefined || flags.keyColumn !== undefined;
  if (flags.kafkaBroker !== undefined && (flags.kafkaPartitions === undefined || !rateGiven)) problems.push(msg.brokerNeeds());
  return problems;
}

function readKeys(flags: KeysFlags, kinesisKeyLimit: boolean): KeySetResult {
  if (flags.template !== undefined) {
    const fields = parseFieldFlags(flags.field);
    if (!fields.ok) return { ok: false, errors: fields.errors, skipped: [] };
    return keySetFromTemplate(flags.template, fields.fields, kinesisKeyLimit);
  }
  const file = flags.file!;
  try {
    if (flags.keyColumn !== undefined) {
      const format = flags.format === "jsonl" || (flags.format === undefined && /\.(jsonl|ndjson)(\.gz)?$/i.test(file)) ? "jsonl" : "csv";
      const options = { format, keyColumn: flags.keyColumn, countBy: flags.countBy ?? "records", sizeColumn: flags.sizeColumn ?? null, valueColumn: flags.valueColumn ?? null, kinesisKeyLimit } as const;
      const time = { timeColumn: flags.timeColumn ?? null, timeFormat: flags.timeFormat ?? "iso8601" } as const;
      return keySetFromTrace(file, { ...options, ...time });
    }
    return keySetFromFile(file, { format: flags.format as "csv" | "lines" | undefined, kinesisKeyLimit });
  } catch (error) {
    if (error instanceof KeyFileRefused || error instanceof TraceFileRefused) return { ok: false, errors: [`--file ${file}: ${error.message}`], skipped: [] };
    const code = (error as NodeJS.ErrnoException).code;
    if (code === undefined) throw error;
    return { ok: false, errors: [msg.fileUnreadable(file, code)], skipped: [] };
  }
}

function fail(problems: string[]): false {
  for (const problem of problems) process.stderr.write(`streamsim keys: ${problem}\n`);
  process.stderr.write(`streamsim keys: ${msg.failed(problems.length)}\n`);
  return false;
}

function writeFailed(problem: string): false {
  process.stderr.write(`streamsim keys: ${problem}\n`);
  return false;
}
