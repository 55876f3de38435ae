// Wording of `streamsim keys` on the command line: option help and input errors.

export const keysCliMessages = {
  description: "where partition keys land on Kinesis shards, Kafka partitions and Flink subtasks: skew, hot shards, shard-count advice",
  sourceMissing: () => "give the keys with --file FILE or --template TEMPLATE (with --field name=values)",
  sourceBoth: () => "give either --file or --template, not both",
  fieldWithoutTemplate: () => "--field applies to --template only",
  formatWithoutFile: () => "--format applies to --file only",
  targetMissing: () => "give --kinesis-shards N, --kafka-partitions P, --flink-parallelism P, or several",
  partitionerWithoutPartitions: () => "--kafka-partitioner applies to --kafka-partitions only (a Kafka topic to place the keys on)",
  partitionerHelp: (names: readonly string[]) =>
    `the producers' Kafka partitioner: ${names.join(", ")} (default murmur2, the Java client's; librdkafka clients default to consistent_random); several, comma-separated, for a fleet that mixes them (the first is analysed, keys the others place elsewhere are warned of)`,
  expectedPartitioner: (text: string, names: readonly string[]) => `expected a partitioner (${names.join(", ")}), found ${JSON.stringify(text)}`,
  pngWithoutOut: () => "--png applies to --out only (the PNGs go to DIR/charts/)",
  rateBoth: () => "give either --rate or --records-per-second, not both",
  brokerNeeds: () => "--kafka-broker needs --kafka-partitions and a rate (--rate or --records-per-second, or a trace's timestamps)",
  expectedBroker: (text: string, names: string[]) => `expected an instance type of the catalogue (${names.join(", ")}), found ${JSON.stringify(text)}`,
  fileUnreadable: (file: string, code: string) => `--file ${file}: cannot read it: ${systemErrorText(code, "file")}`,
  skippedRow: (file: string, line: number, message: string) => `${file}:${line}: ${message} (row skipped)`,
  failed: (count: number) => `${count} problem${count === 1 ? "" : "s"}; nothing was analysed`,
  cannotWrite: (option: string, path: string, code: string) => `${option} ${path}: cannot write it: ${systemErrorText(code, "directory")}`,
  assignmentsWritten: (path: string, rows: number, distinctKeys: number) =>
    `assignments: ${path} (${rows} row${rows === 1 ? "" : "s"}${rows === distinctKeys ? "" : `, ${distinctKeys} distinct key${distinctKeys === 1 ? "" : "s"}`})`,
  assignmentsHelp: "write key,kinesis_shard,kafka_partition (and flink_key_group,flink_subtask): one row per key row of --file, in order (template keys once each)",
  reportWritten: (path: string) => `report: ${path}`,
  expectedInteger: (min: number, max: number, text: string) => `expected an integer from ${min} to ${max}, found ${JSON.stringify(text)}`,
  expectedPositive: (text: string) => `expected a positive number, found ${JSON.stringify(text)}`,
  expectedFormat: (text: string) => `expected csv, lines or jsonl, found ${JSON.stringify(text)}`,
  expectedCountBy: (text: string) => `expected records or bytes, found ${JSON.stringify(text)}`,
  keyColumnHelp: "read --file as a trace (CSV with a header, or JSON Lines; gzip too), taking keys from this column: the file a scenario's trace: replays",
  keyColumnWithoutFile: () => "--key-column applies to --file only (a trace to read keys from)",
  traceFlagsWithoutKeyColumn: () => "--count-by, --size-column, --value-column, --time-column and --time-format apply to a trace: add --key-column NAME",
  sizeColumnHelp: "with --key-column: the column of record sizes in bytes (default size, if the trace has it): the record sizes of the load, and the bytes of --count-by bytes",
  valueColumnHelp: "with --key-column: the column of values, whose UTF-8 length is the record size",
  timeColumnHelp: "with --key-column: the column of timestamps (default timestamp, if the trace has it); without --rate the load is the trace's own rate",
  expectedTimeFormat: (text: string) => `expected iso8601, epoch-ms or epoch-us, found ${JSON.stringify(text)}`,
  jsonlWithoutKeyColumn: () => "--format jsonl reads a trace: add --key-column NAME",
  linesWithKeyColumn: () => "--key-column reads a trace (csv or jsonl), not --format lines",
  sizeAndValue: () => "give either --size-column or --value-column, not both",
  recordSizeRange: (text: string, max: string) => `expected a record size from 1B to ${max}, found ${JSON.stringify(text)}`,
} as const;

/** A file-system error code in words; `missing` names what ENOENT lacks (the file, or a directory on the way to it). */
function systemErrorText(code: string, missing: "file" | "directory"): string {
  switch (code) {
    case "ENOENT":
      return missing === "file" ? "no such file" : "no such directory";
    case "EISDIR":
      return "it is a directory, not a file";
    case "ENOTDIR":
      return "a part of the path is a file, not a directory";
    case "EACCES":
    case "EPERM":
      return "permission denied";
    case "EEXIST":
      return "a file of that name is in the way";
    case "ENOSPC":
      return "no space left on the device";
    default:
      return `system error ${code}`;
  }
}
