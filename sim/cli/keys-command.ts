// `streamsim keys`: the partition-key lab on the command line. Phases: check options -> read keys
// (file or template) -> analyse (sim/keys) -> print and write (reports/keys).
//
// --rate counts record data (bytes/s, or records/s written as "500 records/s"); each record also
// carries its partition key, which Kinesis counts toward the shard's byte limit (docs/reference.md §1.1).

import { type Command, InvalidArgumentError } from "commander";
// Only what defining the options needs is imported here: the lab itself (sim/keys, the trace reader,
// reports/) loads when the command runs, so other commands and `--help` do not load it.
import { partitionerNames, type PartitionerName } from "../kafka/client-partitioners.ts";
import { partitionCountMax } from "../kafka/partitioner.ts";
import { maxParallelismMax as flinkParallelismMax } from "../flink/key-groups.ts";
import { shardsPerStreamMax } from "../kinesis/limits.ts";
import { RECORD_SIZE_DEFAULT_BYTES } from "../keys/load.ts";
import type { TimeFormat } from "../workload/trace/index.ts";
import { formatBytes, parseRate, parseSizeBytes, UnitError, type Rate } from "../units/index.ts";
import { keysCliMessages as msg } from "./keys-messages.ts";

/** Largest record size accepted: Kinesis's configurable per-stream maximum, 10 MiB (docs/reference.md §1.2). */
const recordSizeMaxBytes = 10 * 1024 * 1024;

export interface KeysFlags {
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
      const { keysCommand } = await import("./keys-run.ts");
      process.exitCode = (await keysCommand(flags, toolVersion)) ? 0 : exitBadInput;
    });
  // --kafka-broker is checked against the instance catalogue while the options are parsed (a parser is
  // synchronous): the catalogue (YAML and zod) is loaded just before `keys` parses them, when it is given.
  program.hook("preSubcommand", async (parent, subcommand) => {
    if (subcommand.name() === "keys" && parent.args.some((arg) => arg === "--kafka-broker" || arg.startsWith("--kafka-broker="))) brokers = await import("../keys/broker.ts");
  });
}

let brokers: typeof import("../keys/broker.ts") | undefined;

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
  if (brokers === undefined) throw new Error("the instance catalogue is loaded before `keys` parses its options");
  if (brokers.brokerWriteCapacity(text) === null) throw new InvalidArgumentError(msg.expectedBroker(text, brokers.kafkaBrokerTypes()));
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
