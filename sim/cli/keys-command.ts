// `streamsim keys`: the partition-key lab on the command line. Phases: check options -> read keys
// (file or template) -> analyse (sim/keys) -> print and write (reports/keys).
//
// --rate counts record data (bytes/s, or records/s written as "500 records/s"); each record also
// carries its partition key, which Kinesis counts toward the shard's byte limit (docs/reference.md §1.1).

import { type Command, InvalidArgumentError } from "commander";
import { partitionerNames, type PartitionerName } from "../kafka/client-partitioners.ts";
import { partitionCountMax } from "../kafka/partitioner.ts";
import { maxParallelismMax as flinkParallelismMax } from "../flink/index.ts";
import { shardsPerStreamMax } from "../kinesis/limits.ts";
import { analyseKeys, brokerWriteCapacity, kafkaBrokerTypes, keySetFromFile, keySetFromTemplate, keySetFromTrace, labLoad, parseFieldFlags, RECORD_SIZE_DEFAULT_BYTES, type KeySetResult } from "../keys/index.ts";
import { formatBytes, parseRate, parseSizeBytes, UnitError, type Rate } from "../units/index.ts";
import { keysCliMessages as msg } from "./keys-messages.ts";
import { outputDirectoryProblem } from "./output-dir.ts";
import { KeyFileRefused } from "../workload/index.ts";
import { TraceFileRefused, type TimeFormat } from "../workload/trace/index.ts";

/** Largest record size accepted: Kinesis's configurable per-stream maximum, 10 MiB (docs/reference.md §1.2). */
const recordSizeMaxBytes = 10 * 1024 * 1024;

interface KeysFlags {
  file?: string;
  format?: "csv" | "lines" | "jsonl";
  keyColumn?: string;
  countBy?: "records" | "bytes";
  sizeColumn?: string;
  valueColumn?: string;
  timeColumn?: string;
  timeFormat?: TimeFormat;
  template?: string;
  field: string[];
  kinesisShards?: number;
  kafkaPartitions?: number;
  kafkaBroker?: string;
  kafkaPartitioner?: PartitionerName[];
  flinkParallelism?: number;
  rate?: Rate;
  recordsPerSecond?: number;
  recordSize?: number;
  assignments?: string;
  json?: boolean;
  out?: string;
  png?: boolean;
}

export function registerKeysCommand(program: Command, toolVersion: string, exitBadInput: number): void {
  program
    .command("keys")
    .description(msg.description)
    .option("--file <file>", "key file: one key per line (taken whole), or CSV with a key column and an optional count column")
    .option("--format <format>", "csv, lines or jsonl (default: jsonl for .jsonl/.ndjson, csv for .csv, else lines; a .gz suffix is looked through)", parseFormat)
    .option("--key-column <name>", msg.keyColumnHelp)
    .option("--count-by <what>", "with --key-column: weigh each key by its records or its bytes (default records)", parseCountBy)
    .option("--size-column <name>", msg.sizeColumnHelp)
    .option("--value-column <name>", msg.valueColumnHelp)
    .option("--time-column <name>", msg.timeColumnHelp)
    .option("--time-format <format>", "with a trace's timestamps: iso8601, epoch-ms or epoch-us (default iso8601)", parseTimeFormat)
    .option("--template <template>", 'composite keys without a file, e.g. "{region}-{tier}-{user}"')
    .option("--field <name=values>", "a template field: region=us,eu,ap | tier=gold:1,silver:3 | user=1..5000[:zipf=1.1]", collect, [])
    .option("--kinesis-shards <n>", "Kinesis stream with N shards (even hash ranges)", integerIn(1, shardsPerStreamMax))
    .option("--kafka-partitions <p>", "Kafka topic with P partitions", integerIn(1, partitionCountMax))
    .option("--kafka-partitioner <names>", msg.partitionerHelp(partitionerNames), parsePartitioners)
    .option("--flink-parallelism <p>", "Flink keyed operator (keyBy) with parallelism P: the subtask and key group of each key", integerIn(1, flinkParallelismMax))
    .option("--kafka-broker <type>", "set the hottest partitions against one broker of this instance type (e.g. kafka.m5.large)", parseBrokerType)
    .option("--rate <rate>", "offered data rate, e.g. 10MB/s (or 500 records/s); a trace with timestamps defaults to its own rate", parseRateOption)
    .option("--records-per-second <r>", "offered records per second", parsePositive)
    .option("--record-size <size>", `data bytes per record, key excluded (default: a trace's own sizes, else ${formatBytes(RECORD_SIZE_DEFAULT_BYTES)})`, parseRecordSize)
    .option("--assignments <csv>", msg.assignmentsHelp)
    .option("--json", "print the analysis as JSON instead of text")
    .option("--out <dir>", "write report.html, summary.md, summary.json and charts/*.svg there")
    .option("--png", "with --out, also write charts/*.png (each with its title, caption and key source)")
    .action(async (flags: KeysFlags) => {
      process.exitCode = (await keysCommand(flags, toolVersion)) ? 0 : exitBadInput;
    });
}

async function keysCommand(flags: KeysFlags, toolVersion: string): Promise<boolean> {
  const problems = optionProblems(flags);
  if (problems.length > 0) return fail(problems);
  const kinesisShards = flags.kinesisShards ?? null;
  const read = readKeys(flags, kinesisShards !== null);
  const source = flags.file ?? "";
  for (const row of read.ok ? read.keySet.skipped : read.skipped) process.stderr.write(`${msg.skippedRow(source, row.line, row.message)}\n`);
  if (!read.ok) return fail(read.errors);
  const kafkaBroker = flags.kafkaBroker === undefined ? null : brokerWriteCapacity(flags.kafkaBroker);
  const [kafkaPartitioner, ...kafkaFleet] = flags.kafkaPartitioner ?? ["murmur2"];
  const load = labLoad(read.keySet, { rate: flags.rate, recordsPerSecond: flags.recordsPerSecond, recordSizeBytes: flags.recordSize });
  if (kafkaBroker !== null && load === null) return fail([msg.brokerNeeds()]);
  const analysis = analyseKeys(read.keySet, { kinesisShards, kafkaPartitions: flags.kafkaPartitions ?? null, load, kafkaBroker, kafkaPartitioner, kafkaFleet, flinkParallelism: flags.flinkParallelism ?? null });
  // reports/ (vega and its charts) loads only when the lab has something to print.
  const { keysAnalysisJson, keysSummaryMarkdown, writeAssignments, writeKeysReport } = await import("../../reports/index.ts");
  const say = (line: string): boolean => (flags.json ? process.stderr : process.stdout).write(`${line}\n`);
  if (flags.json) process.stdout.write(`${JSON.stringify(keysAnalysisJson(analysis, toolVersion), null, 2)}\n`);
  else process.stdout.write(keysSummaryMarkdown(analysis));
  if (flags.assignments !== undefined) {
    const path = flags.assignments;
    const error = await fileError(async () => writeAssignments(analysis, path));
    if (error !== null) return writeFailed(msg.cannotWrite("--assignments", path, error));
    say(msg.assignmentsWritten(path, analysis.keySet.rowKeyIndexes?.length ?? analysis.keySet.keys.length, analysis.keySet.keys.length));
  }
  if (flags.out !== undefined) {
    const directory = flags.out;
    let files: string[] = [];
    const problem = outputDirectoryProblem(directory);
    if (problem !== undefined) return writeFailed(`--out: ${problem}`);
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

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function integerIn(min: number, max: number): (text: string) => number {
  return (text) => {
    const value = Number(text);
    if (!/^\d{1,9}$/.test(text) || value < min || value > max) throw new InvalidArgumentError(msg.expectedInteger(min, max, text));
    return value;
  };
}

function parsePositive(text: string): number {
  const value = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text) || !(value > 0) || !Number.isFinite(value)) throw new InvalidArgumentError(msg.expectedPositive(text));
  return value;
}

function parseBrokerType(text: string): string {
  if (brokerWriteCapacity(text) === null) throw new InvalidArgumentError(msg.expectedBroker(text, kafkaBrokerTypes()));
  return text;
}

function parsePartitioners(text: string): PartitionerName[] {
  const names = text.split(",").map((name) => name.trim());
  for (const name of names) {
    if (!(partitionerNames as readonly string[]).includes(name)) throw new InvalidArgumentError(msg.expectedPartitioner(name, partitionerNames));
  }
  return names as PartitionerName[];
}

function parseFormat(text: string): "csv" | "lines" | "jsonl" {
  if (text !== "csv" && text !== "lines" && text !== "jsonl") throw new InvalidArgumentError(msg.expectedFormat(text));
  return text;
}

function parseTimeFormat(text: string): TimeFormat {
  if (text !== "iso8601" && text !== "epoch-ms" && text !== "epoch-us") throw new InvalidArgumentError(msg.expectedTimeFormat(text));
  return text;
}

function parseCountBy(text: string): "records" | "bytes" {
  if (text !== "records" && text !== "bytes") throw new InvalidArgumentError(msg.expectedCountBy(text));
  return text;
}

function parseRateOption(text: string): Rate {
  try {
    const rate = parseRate(text);
    if ((rate.kind === "records" ? rate.recordsPerSecond : rate.bytesPerSecond) <= 0) throw new InvalidArgumentError(msg.expectedPositive(text));
    return rate;
  } catch (error) {
    if (error instanceof UnitError) throw new InvalidArgumentError(error.message);
    throw error;
  }
}

function parseRecordSize(text: string): number {
  let sizeBytes: number;
  try {
    sizeBytes = parseSizeBytes(text);
  } catch (error) {
    if (error instanceof UnitError) throw new InvalidArgumentError(error.message);
    throw error;
  }
  if (sizeBytes < 1 || sizeBytes > recordSizeMaxBytes) throw new InvalidArgumentError(msg.recordSizeRange(text, formatBytes(recordSizeMaxBytes)));
  return sizeBytes;
}
