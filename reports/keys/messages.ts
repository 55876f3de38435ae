// Wording of the partition-key lab's report (summary.md, terminal output, chart titles).


const keyGroupsPerSubtask = (parallelism: number, maxParallelism: number): string => {
  const low = Math.floor(maxParallelism / parallelism);
  return maxParallelism % parallelism === 0 ? String(low) : `${low} or ${low + 1}`;
};

const plural = (n: number, noun: string): string => `${n} ${noun}${n === 1 ? "" : "s"}`;

export const keysReportText = {
  title: (source: string) => `Partition keys: ${source}`,
  keys: (count: string, weighted: boolean, fromTemplate: boolean, countedBy?: "records" | "bytes") =>
    `${count} distinct keys; ${
      fromTemplate
        ? "traffic per key from the template's field weights"
        : countedBy !== undefined
          ? `traffic weighted by each key's ${countedBy} in the trace`
          : weighted
            ? "traffic weighted by each key's count"
            : "every key carries the same traffic (no counts given)"
    }.`,
  skipped: (count: number, lines: number[]) =>
    `${plural(count, "row")} of the file skipped (empty, too long or malformed: ${lines.length === 1 ? "line" : "lines"} ${lines.join(", ")}${count > lines.length ? ", ..." : ""}); each is listed on stderr.`,
  /** `rate` and `size` are written figures; `rateFrom` and `sizeFrom` say where they came from (a trace's load only). */
  load: (rate: string, size: string, from?: { rateFrom: string; sizeFrom: string }) =>
    from === undefined
      ? `Load: ${rate} records/s of ${size} each, plus each record's partition key (Kinesis counts key bytes toward the 1 MiB/s shard limit).`
      : `Load: ${rate} records/s (${from.rateFrom}) of ${size} ${from.sizeFrom}, plus each record's partition key (Kinesis counts key bytes toward the 1 MiB/s shard limit).`,
  rateGiven: () => "as given",
  rateOfTrace: (records: string, span: string, column: string) =>
    `the trace's own rate: ${records} records with ${span} from the first timestamp to the last, column ${column}`,
  rateOfTracePeak: (startsAt: string, timesAverage: string, averageRate: string, by: "records" | "bytes", records: string, span: string, column: string) =>
    `the trace's busiest second, from ${startsAt}: ${timesAverage}x its average of ${averageRate} records/s${by === "bytes" ? " (by its bytes)" : ""}, a burst, so sized for it; ${records} records with ${span} from the first timestamp to the last, column ${column}`,
  sizeOfTrace: (sizeFrom: string) => `on average (the trace's ${sizeFrom}; each key's bytes are its own records' sizes)`,
  sizeGiven: () => "each (--record-size)",
  sizeDefault: () => "each (the default: the trace gives no sizes; --size-column or --value-column names them)",
  noLoad: (trace: boolean) =>
    `No rate given (--rate or --records-per-second${trace ? "; the trace has no usable timestamps for its own rate, --time-column names them" : ""}): shares only, no load against limits and no shard-count advice.`,
  warningsTitle: "Warnings",
  noWarnings: () => "No known anti-pattern found (cardinality, date/time keys, a handful of hot keys, a single key).",
  adviceTitle: "Shard-count advice (Kinesis)",
  peak: (peakPct: string) => `Busiest shard at ${peakPct} of its write limit.`,
  kinesisTitle: (shards: number) => `Kinesis: ${plural(shards, "shard")} (CreateStream's even hash ranges)`,
  kafkaTitle: (partitions: number, partitioner: string) =>
    `Kafka: ${plural(partitions, "partition")} (${partitioner === "murmur2" ? "default partitioner, murmur2" : `${partitioner} partitioner`})`,
  trafficMaxOverMean: (noun: string) => `traffic, busiest ${noun} / mean`,
  keysMaxOverMean: (noun: string) => `distinct keys, most on one ${noun} / mean`,
  gini: (noun: string) => `Gini coefficient of traffic over ${noun}s (0 = even)`,
  empty: (noun: string) => `${noun}s with no key`,
  hottestTitle: (noun: string) => `Hottest ${noun}s:`,
  kinesisLimitNote: () => "Write limit per shard: 1 MiB/s and 1,000 records/s, whichever is reached first.",
  kafkaNote: () =>
    "Kafka partitions have no write limit of their own; how much a partition can take depends on its leader broker (disk, network, CPU) and is shared by all partitions that broker leads.",
  brokerColumn: (instanceType: string) => `of one ${instanceType}`,
  brokerNote: (instanceType: string, writeMBps: number) =>
    `"of one ${instanceType}": the partition's bytes/s over ${writeMBps.toFixed(2)} MB/s, the lower of that broker's network-in baseline and disk write throughput in the instance catalogue (sim/cost/instances.yaml; estimates, not a service limit). Its leader also takes the other partitions it leads, and with replication factor RF every byte is written RF times across the brokers (docs/reference.md §3.5).`,
  flinkTitle: (parallelism: number, maxParallelism: number) =>
    `Flink: keyBy at ${plural(parallelism, "subtask")} (maxParallelism ${maxParallelism}: ${maxParallelism} key groups, ${keyGroupsPerSubtask(parallelism, maxParallelism)} per subtask)`,
  flinkHotKeyBeyondHelp: (key: string, keyGroup: number, subtask: number, share: string, parallelism: number, fair: string) =>
    `Key ${JSON.stringify(key)} (key group ${keyGroup}, subtask ${subtask}) alone carries ${share} of the traffic, more than a subtask's fair share at parallelism ${parallelism} (${fair}): more parallelism cannot help it, because all of a key's records go to one key group and so to one subtask; its subtask keeps at least ${share} at any parallelism. Pre-aggregate before keyBy (a local combine), or salt the key and merge the partial results in a second keyBy.`,
  flinkHotKeyWithinHelp: (key: string, keyGroup: number, subtask: number, share: string, helpfulMax: number) =>
    `Hottest key ${JSON.stringify(key)} (key group ${keyGroup}, subtask ${subtask}) carries ${share} of the traffic: above parallelism ${helpfulMax} it alone would exceed a subtask's fair share, and more subtasks stop helping its subtask.`,
  flinkDoubled: (parallelism: number, maxParallelism: number, share: string) =>
    `With parallelism ${parallelism} (maxParallelism ${maxParallelism}) the busiest subtask would carry ${share} of the traffic.`,
  flinkNote: () =>
    "Routing is Flink's own: key group = murmurHash(String.hashCode of the key) mod maxParallelism, subtask = key group x parallelism / maxParallelism (maxParallelism defaults to the next power of two of 1.5 x parallelism, at least 128). A subtask's capacity is its share of a KPU's vCPU; the busiest subtask keeps up while its records/s x per-record CPU time stays below that share.",
  shareChartTitle: (target: string, noun: string) => `${target}: traffic share per ${noun}, busiest first`,
  lorenzChartTitle: () => "Lorenz curve of traffic over shards / partitions",
  utilizationChartTitle: (target: string, noun: string) => `${target}: write utilization per ${noun}, busiest first`,
  slotAxis: (noun: string) => `${noun} index, busiest first`,
  shareAxis: "share of traffic",
  utilizationAxis: "share of the shard's write limit",
  utilizationLegend: "write utilization",
  fairShareLabel: (slotCount: number, pct: string) => `fair share (1/${slotCount}): ${pct}`,
  fairLoadLabel: (slotCount: number, pct: string) => `fair share of the load (1/${slotCount}): ${pct}`,
  limitLabel: () => "write limit (100%)",
  evenSpreadLabel: () => "even spread",
  shareCaption: (noun: string) =>
    `Each ${noun}'s share of the traffic, busiest first; the dashed line is the fair share, what every ${noun} would carry if the keys spread evenly.`,
  utilizationCaption: (over: number) =>
    "Each shard's offered writes over its write limit (the larger of bytes over 1 MiB/s and records over 1,000/s, key bytes included), busiest first; the grey dashed line is what every shard would carry if the keys spread evenly, the red one the limit, above which the shard throttles. " +
    "Bars take the run reports' utilization colours: blue below 80%, neutral near 80%, warm from 100%, clamped at 200%" +
    (over > 0 ? ` (${plural(over, "shard")} above it: cut at 200% and labelled with ${over === 1 ? "its" : "their"} value).` : "."),
  lorenzCaption: () =>
    "Cumulative share of the traffic against the share of shards or partitions, least loaded first: the further below the dashed diagonal (an even spread), the more skewed; the Gini coefficient is twice the area between them.",
} as const;
