// summary.md: what a reviewer reads. Verdicts first (one line per system), then findings by
// severity, then tables: systems side by side, hottest shards, consumers, cost line items, workload.

import * as aq from "arquero";
import { firehoseTable, firehoseTableHeading } from "./firehose-table.ts";
import { flinkTable, flinkTableHeading } from "./flink-table.ts";
import { lambdaTable, lambdaTableHeading } from "./lambda-table.ts";
import { autoscalingActionsHeading, autoscalingActionsTable, autoscalingTable, autoscalingTableHeading } from "./autoscaling-table.ts";
import { consumerAutoscalingTable, consumerAutoscalingTableHeading } from "./consumer-autoscaling-table.ts";
import { formatBytes, formatDurationUs, usOfSeconds } from "../sim/units/index.ts";
import type { Summary } from "./summary.ts";
import type { SystemSummary } from "./system-summary.ts";
import { comparisonWords } from "./comparison-messages.ts";
import { comparisonSentenceLine, configurationTable, costAtRetentionTable, notLikeForLikeLines } from "./comparison-tables.ts";
import { monthlyUsdText, systemCosts } from "./costs.ts";
import { bytesText, droppedShareDigits, grouped, millisecondsText as milliseconds, percent, secondsText as seconds, shareText, utilizationText } from "./numbers.ts";
import { shardsOverLimitText, summarySpans } from "./shard-count-words.ts";

type ProducerSummary = Summary["workload"][number];

const hottestShardRows = 5;

export function summaryMarkdown(summary: Summary): string {
  const lines = [`# ${summary.scenario}`, "", headerLine(summary), ""];
  const sentence = comparisonSentenceLine(summary);
  if (sentence !== null) lines.push(sentence, "");
  const differences = notLikeForLikeLines(summary);
  if (differences.length > 0) lines.push(`**${comparisonWords.notLikeForLikeHeading}.** ${comparisonWords.notLikeForLikeIntro}`, "", ...differences.map((line) => `- ${line}`), "");
  lines.push("## Verdict", "", ...verdictLines(summary).map((line) => `- ${line}`), "");
  const configuration = configurationTable(summary.systems);
  if (configuration !== null) lines.push(`## ${comparisonWords.configurationHeading}`, "", configuration.toMarkdown(), "");
  const findings = findingLines(summary);
  if (findings.length > 0) lines.push("## Findings", "", ...findings.map((line) => `- ${line}`), "");
  if (summary.notes.length > 0) lines.push("## Notes", "", ...noteLines(summary).map((line) => `- ${line}`), "");
  for (const { heading, level, table } of reportTables(summary)) {
    lines.push(`${"#".repeat(level)} ${heading}`, "", table.toMarkdown(), "");
    const notes = tableNotes(summary, heading);
    if (notes.length > 0) lines.push(...notes.map((line) => `- ${line}`), "");
  }
  return `${lines.join("\n").trimEnd()}\n`;
}

/** Seed, length, scenario hash and tool version: what a reader needs to reproduce the run. */
export function headerLine(summary: Summary): string {
  return (
    `Seed ${summary.seed} · ${formatDurationUs(usOfSeconds(summary.simulatedSeconds))} simulated (warm-up ${formatDurationUs(usOfSeconds(summary.warmupSeconds))}) · ` +
    `scenario sha256 \`${summary.scenarioSha256.slice(0, 12)}\` · streamsim ${summary.tool.version}`
  );
}

/** One line per system, then one per producer (markdown inline: **bold** and `code`). */
export function verdictLines(summary: Summary): string[] {
  const costs = new Map(systemCosts(summary).map((entry) => [entry.system, entry.cost.monthlyUsd]));
  return [...summary.systems.map((system) => systemVerdict(system, costs.get(system.name))), ...summary.workload.map(producerVerdict)];
}

/** Findings of every system, most severe first (each system's list is already ordered by severity). */
export function findingLines(summary: Summary): string[] {
  const findings = summary.systems.flatMap((system) => system.findings.map((finding) => ({ system: system.name, ...finding })));
  if (findings.length === 0) return [];
  const rank = { critical: 0, warning: 1, info: 2 } as const;
  const order = Array.from(
    aq
      .from(findings.map((finding, index) => ({ index, rank: rank[finding.severity] })))
      .orderby("rank", "index")
      .array("index"),
  ) as number[];
  return order
    .map((index) => findings[index])
    .map((finding) => `**${finding.severity}** · ${finding.system} · \`${finding.code}\` · ${findingText(finding.subject, finding.message)}`);
}

export const costHeading = "Cost line items";

/** What each system's monthly cost assumes (projection, AZ placement, ...), to print under its table. */
export function costAssumptionLines(summary: Summary): string[] {
  return systemCosts(summary).flatMap(({ system, cost }) => cost.assumptions.map((text) => `**${system}**: ${text}`));
}

/** The lines printed under a table: the cost assumptions, or what equal-retention pricing assumes. */
export function tableNotes(summary: Summary, heading: string): string[] {
  if (heading === costHeading) return costAssumptionLines(summary);
  if (heading === comparisonWords.costAtRetentionHeading) {
    const landing = summary.systems.some((system) => system.kind === "firehose" || system.consumers.some((consumer) => consumer.type === "firehose"));
    return landing ? [comparisonWords.costAtRetentionNote, comparisonWords.costAtRetentionFirehoseNote] : [comparisonWords.costAtRetentionNote];
  }
  if (heading === hottestHeading) return hottestNotes(summary);
  if (heading === consumersHeading) return consumersNotes(summary);
  return [];
}

/**
 * Why lag and the service's own metric differ: lag counts the time records wait between polls, the
 * native metrics (named as each service publishes them) each measure something else. One line per
 * native metric the report's consumers have.
 */
function consumersNotes(summary: Summary): string[] {
  const metrics = new Set(summary.systems.flatMap((system) => system.consumers.map((consumer) => consumer.nativeMetric)));
  if (summary.systems.every((system) => system.consumers.length === 0)) return [];
  const lines = [
    "**lag**: the age of the oldest record the system accepted and the consumer had not yet processed, sampled once every simulated second after warm-up, the same measure for every system. The verdict's native figure is the one the service itself publishes, which measures something else:",
  ];
  if (metrics.has("GetRecords.IteratorAgeMilliseconds"))
    lines.push("GetRecords.IteratorAgeMilliseconds (Kinesis, polling) is the age of the last record a GetRecords call returned, when it returns: near zero while a consumer keeps up, as it leaves out the time records wait for the next poll, which lag counts (about half the polling interval on average).");
  if (metrics.has("IteratorAge"))
    lines.push("IteratorAge (a Lambda mapping on Kinesis, published by Lambda) is the age of the last record of each batch when Lambda sends the batch to the function: it leaves out the records still waiting behind that batch, which lag counts.");
  if (metrics.has("SubscribeToShardEvent.MillisBehindLatest")) lines.push("SubscribeToShardEvent.MillisBehindLatest (Kinesis, enhanced fan-out) is how far the records pushed are behind the newest in the shard, when they are pushed.");
  if (metrics.has("OffsetLag")) lines.push("OffsetLag (a Lambda mapping on Kafka) counts records, not time: the records written to the topic its consumer group has not processed, over all the partitions.");
  if (metrics.has("records-lag-max")) lines.push("records-lag-max (Kafka) counts records, not time: the high watermark less the consumer's position, in its partition furthest behind.");
  if (metrics.has("ApproximateAgeOfOldestMessage")) lines.push("ApproximateAgeOfOldestMessage (SQS) is the age of the oldest message not yet deleted, in flight ones included, from when it was sent rather than created.");
  if (metrics.has("DeliveryToS3.DataFreshness"))
    lines.push(
      "DeliveryToS3.DataFreshness (Firehose) is the age of the oldest record not yet delivered to S3, from when Firehose accepted it (lag counts from its creation, a little earlier). It is sampled at each whole second as CloudWatch's gauge is, lag at a point of each second that moves from one second to the next; both climb about a second per second until a flush, so either maximum may read up to a second above the other.",
    );
  return lines;
}

/** What the hottest table's columns are: Kafka partitions are read by their share of the writes, shards by their write limit. */
function hottestNotes(summary: Summary): string[] {
  const kinds = new Set(summary.systems.filter((system) => system.partitions.length > 0).map((system) => system.kind));
  if (kinds.size === 0) return [];
  const lines = [
    "**share of writes**: the partition's part of the records its system's producers sent (first attempts, before throttling and retries: what the keys ask of it), and that part over its fair share (1/n of n partitions; for shards opened or closed during the run, their share of the time they were open): 1x is an even split, 2.4x a partition taking 2.4 times its part.",
  ];
  if (kinds.has("kinesis")) lines.push("**peak write utilization** (Kinesis): what producers asked of the shard (first attempts) over its write limit, 1 MiB/s or 1,000 records/s, at its busiest report interval; **with retries**: every attempt counted.");
  if (kinds.has("kafka")) lines.push("Kafka partitions have no write limit of their own, so their load is their share of the writes; their leader brokers' load is the verdict's busiest-broker figure. Kafka rows are the partitions that took the most records.");
  return lines;
}

export function noteLines(summary: Summary): string[] {
  return summary.notes.map((note) => `**${note.severity}** (${note.code}): ${note.message}`);
}

export interface ReportTable {
  heading: string;
  /** Heading level: 2 for sections, 3 for per-producer tables. */
  level: 2 | 3;
  table: aq.ColumnTable;
}

/** The tables of summary.md and report.html, built once from the same rows. */
export function reportTables(summary: Summary): ReportTable[] {
  const tables: ReportTable[] = [];
  const add = (heading: string, table: aq.ColumnTable | null, level: 2 | 3 = 2) => {
    if (table !== null) tables.push({ heading, level, table });
  };
  if (summary.systems.length > 0) {
    add("Systems", systemsTable(summary.systems));
    add(hottestHeading, hottestShardsTable(summary.systems));
    add(autoscalingTableHeading, autoscalingTable(summary.systems));
    add(autoscalingActionsHeading, autoscalingActionsTable(summary.systems), 3);
    add(consumersHeading, consumersTable(summary.systems));
    add(lambdaTableHeading, lambdaTable(summary.systems));
    add(consumerAutoscalingTableHeading, consumerAutoscalingTable(summary.systems));
    add(firehoseTableHeading, firehoseTable(summary.systems));
    add(flinkTableHeading, flinkTable(summary.systems));
    add(costHeading, costTable(summary));
    add(comparisonWords.costAtRetentionHeading, costAtRetentionTable(summary));
  }
  add("Workload", workloadTable(summary.workload));
  for (const producer of summary.workload) {
    if (producer.keys.top.length > 0) add(`Top keys of ${producer.producer}`, topKeysTable(producer), 3);
  }
  return tables;
}

function systemVerdict(system: SystemSummary, monthlyUsd: number | undefined): string {
  const r = system.records;
  const attempts = r.accepted + r.throttledAttempts;
  const parts: string[] = [];
  if (system.kind === "sqs") {
    const parts = queueVerdict(system);
    if (monthlyUsd !== undefined) parts.push(monthlyUsdText(monthlyUsd));
    return `**${system.name}** (sqs ${system.facts.queueType}, ${findingStatus(system)}): ${parts.join("; ")}.`;
  }
  if (system.kind === "kafka") {
    // Kafka partitions have no write limit: the skew is their share of records, the strain their brokers' busy time.
    const busiest = [...system.partitions].sort((a, b) => b.acceptedRecords - a.acceptedRecords)[0];
    const brokerPeak = Number(system.facts.peakBrokerUtilization ?? Math.max(0, ...system.partitions.map((partition) => partition.peakWriteUtilization ?? 0)));
    if (busiest !== undefined && busiest.acceptedRecords > 0) {
      parts.push(`${busiest.id} took ${shareText(busiest.shareOfWrites)} of the records, ${busiest.fairShareRatio.toFixed(1)}x its fair share of ${shareText(1 / system.partitions.length)}`);
    }
    parts.push(`busiest broker ${utilizationText(brokerPeak)} busy`);
  } else {
    const hottest = [...system.partitions].sort((a, b) => (b.peakWriteUtilization ?? 0) - (a.peakWriteUtilization ?? 0))[0];
    const over = system.partitions.filter((partition) => (partition.peakWriteUtilization ?? 0) > 1).length;
    // More than one shard over its limit: say how many before the hottest, so one shard is not read as the only one.
    if (over > 1) parts.push(shardsOverLimitText(over, summarySpans(system.partitions)));
    if (hottest !== undefined) parts.push(`${over > 1 ? "the hottest, " : ""}${writeLimitText(hottest)}`);
  }
  parts.push(writeRejectionText(system.kind, r.throttledAttempts / attempts));
  if (r.dropped > 0) parts.push(`${shareText(r.dropped / r.produced, droppedShareDigits)} of records dropped`);
  for (const consumer of system.consumers) {
    const lost = consumer.records.expired + consumer.records.lost;
    parts.push(`${consumerLagText(consumer)}${lost > 0 ? `, ${grouped(lost)} records lost` : ""}`);
  }
  if (monthlyUsd !== undefined) parts.push(monthlyUsdText(monthlyUsd));
  return `**${system.name}** (${system.kind}, ${findingStatus(system)}): ${parts.join("; ")}.`;
}

/**
 * "analytics lag p99 0.12 s (max 0.16 s; native GetRecords.IteratorAgeMilliseconds p99 0.10 s, max 0.15 s)": every system's
 * verdict gives the same measure first, the consumer's lagMs (docs/results.md "How lag is sampled"),
 * then the system's own metric, labelled as such, as its console would show it.
 */
function consumerLagText(consumer: SystemSummary["consumers"][number]): string {
  const native: Array<[string, { p99: number | null; max: number | null } | undefined, (value: number | null) => string]> = [
    ["iterator age", consumer.iteratorAgeMs, seconds],
    ["records lag", consumer.recordsLag, (value) => (value === null ? "-" : `${grouped(value)} records`)],
    ["age of oldest message", consumer.ageOfOldestMessageMs, seconds],
  ];
  const own = native.find(([, quantiles]) => quantiles !== undefined);
  // Named as the service publishes it (GetRecords.IteratorAgeMilliseconds, records-lag-max, ...), so a reader finds it on a dashboard.
  const nativeText = own === undefined ? "" : `; native ${consumer.nativeMetric} p99 ${own[2](own[1]!.p99)}, max ${own[2](own[1]!.max)}`;
  return `${consumer.name} lag p99 ${seconds(consumer.lagMs.p99)} (max ${seconds(consumer.lagMs.max)}${nativeText})`;
}

/**
 * Kinesis rejects a put over the shard's limit (throttled); a Kafka produce request fails when its
 * partition has no live leader (Kafka quotas delay rather than reject), so its failed attempts are named so.
 */
function writeRejectionText(kind: SystemSummary["kind"], rejectedShare: number): string {
  if (kind === "kafka") return rejectedShare > 0 ? `${shareText(rejectedShare)} of produce attempts failed and were retried` : "no produce attempts failed";
  return rejectedShare > 0 ? `${shareText(rejectedShare)} of put attempts throttled` : "no writes throttled";
}

/** "2 critical findings", "warnings only", "info only" (findings that are neither critical nor warnings) or "no findings". */
export function findingStatus(system: Pick<SystemSummary, "findings">): string {
  const critical = system.findings.filter((finding) => finding.severity === "critical").length;
  if (critical > 0) return `${critical} critical finding${critical === 1 ? "" : "s"}`;
  if (system.findings.some((finding) => finding.severity === "warning")) return "warnings only";
  return system.findings.length > 0 ? "info only" : "no findings";
}

/** A queue has no partitions: its verdict is its backlog, the age of its oldest message, DLQ, duplicates and empty receives. */
function queueVerdict(system: SystemSummary): string[] {
  const r = system.records;
  const parts: string[] = [];
  parts.push(r.throttledAttempts > 0 ? `${grouped(r.throttledAttempts)} send attempts throttled` : "no sends throttled");
  if (r.dropped > 0) parts.push(`${shareText(r.dropped / r.produced, droppedShareDigits)} of messages dropped`);
  // The queue's own counts: they hold with no consumer at all (the fleets' terms need one).
  const unread = Number(system.facts.messagesWaiting ?? system.consumers.reduce((sum, consumer) => sum + consumer.records.unread, 0));
  parts.push(`${grouped(unread)} messages waiting at the end`);
  const expired = Number(system.facts.messagesExpired ?? 0);
  if (system.consumers.length === 0) parts.push(expired > 0 ? `no consumers, ${grouped(expired)} messages expired` : "no consumers");
  for (const consumer of system.consumers) {
    const extra: string[] = [];
    if (consumer.records.deadLettered > 0) extra.push(`${grouped(consumer.records.deadLettered)} to the DLQ`);
    if (consumer.records.duplicates > 0) extra.push(`${grouped(consumer.records.duplicates)} processed twice`);
    if (consumer.records.expired > 0) extra.push(`${grouped(consumer.records.expired)} expired`);
    parts.push(`${consumerLagText(consumer)}${extra.length > 0 ? `, ${extra.join(", ")}` : ""}`);
  }
  const calls = Number(system.facts.receiveCalls ?? 0);
  const empty = Number(system.facts.emptyReceiveCalls ?? 0);
  if (calls > 0) parts.push(empty > 0 ? `${shareText(empty / calls)} of receives empty` : "no empty receives");
  return parts;
}

/**
 * "shardId-000000000003 ran at up to 142% of its write limit for 38 min", or "peaked at 61%" when it
 * never went over: what producers asked of it (first attempts). Retries throttling caused come after,
 * apart, so the headline is the load the keys put on the shard, as `streamsim keys` predicts it.
 */
function writeLimitText(partition: SystemSummary["partitions"][number]): string {
  const peak = utilizationText(partition.peakWriteUtilization ?? 0);
  const overSeconds = partition.secondsOverWriteLimit ?? 0;
  const demand = overSeconds <= 0 ? `${partition.id} peaked at ${peak} of its write limit${burstText(partition)}` : `${partition.id} ran at up to ${peak} of its write limit for ${formatDurationUs(usOfSeconds(overSeconds))}`;
  const added = retryLoadShare(partition);
  if (added < 0.005) return demand;
  return `${demand}; retries added ${percent(added, 0)} more load (up to ${utilizationText(partition.peakAttemptUtilization ?? 0)} of the limit in attempts)`;
}

/**
 * The peak is the busiest report interval's average: a shard under its limit on average can still be
 * throttled by bursts within the interval. When it was, the peak says it is an average and the shard's
 * own throttled share follows, so the headline never reads as healthy: " (averaged per report interval;
 * bursts within an interval went over the limit: 18.0% of its put attempts throttled)".
 */
export function burstText(partition: SystemSummary["partitions"][number]): string {
  const attempts = partition.acceptedRecords + partition.throttledAttempts;
  if (partition.throttledAttempts <= 0 || attempts <= 0) return "";
  return ` (averaged per report interval; bursts within an interval went over the limit: ${shareText(partition.throttledAttempts / attempts)} of its put attempts throttled)`;
}

/** Retried attempts over first attempts: how much load the retries added to what producers asked. */
export function retryLoadShare(partition: SystemSummary["partitions"][number]): number {
  const attempts = partition.acceptedRecords + partition.throttledAttempts;
  const first = attempts - partition.retriedAttempts;
  return first > 0 ? partition.retriedAttempts / first : 0;
}

/** The subject once: most models' messages already start with it ("shardId-000000000001 peaked at ..."). */
function findingText(subject: string, message: string): string {
  return message.startsWith(subject) ? message : `${subject}: ${message}`;
}

/**
 * A size for reading: the scenario's own short form when it has one ("1MiB", "256KiB", "900B"), else
 * the bytes grouped, with how far they are off a whole MiB or KiB ("1,048,563 B (1 MiB less 13 B)") or
 * their size in it ("1,234,567 B (~1.18 MiB)"), never "1048563B".
 */
export function sizeText(bytes: number): string {
  const exact = formatBytes(bytes);
  if (bytes < 10_000 || !/^\d+B$/.test(exact)) return exact;
  const [unitBytes, unit] = bytes >= 0.99 * 1024 * 1024 ? [1024 * 1024, "MiB"] : [1024, "KiB"];
  const whole = Math.round(bytes / unitBytes);
  const off = bytes - whole * unitBytes;
  // Just off a whole unit (a service's limit less a key's bytes): say by how much.
  if (Math.abs(off) < 0.01 * whole * unitBytes) return `${grouped(bytes)} B (${grouped(whole)} ${unit} ${off < 0 ? "less" : "more"} ${grouped(Math.abs(off))} B)`;
  return `${grouped(bytes)} B (~${(bytes / unitBytes).toFixed(2)} ${unit})`;
}

/** "1KB (0 clipped)", "1,048,563 B (1 MiB less 13 B; 0 clipped)": one pair of parentheses. */
export function sizeCapText(cap: number, clipped: number): string {
  const size = sizeText(cap);
  return size.endsWith(")") ? `${size.slice(0, -1)}; ${grouped(clipped)} clipped)` : `${size} (${grouped(clipped)} clipped)`;
}

function megabytes(bytes: number): string {
  return (bytes / 1e6).toLocaleString("en-US", { minimumFractionDigits: 1, maximumFractionDigits: 1 });
}

function producerVerdict(producer: ProducerSummary): string {
  const top = producer.keys.top[0];
  const keyText =
    top === undefined
      ? producer.keys.distinctSeen === 0
        ? "its records carry no key"
        : "every record has its own key"
      : `the busiest key "${top.key}" carries ${shareText(top.share ?? 0)} of records and the top ${producer.keys.top.length} keys ${shareText(producer.keys.topShare ?? 0)}`;
  const clipped = producer.recordSizeBytes.clipped > 0 ? `; ${grouped(producer.recordSizeBytes.clipped)} record sizes clipped at ${sizeText(producer.recordSizeBytes.cap)}` : "";
  return (
    `**${producer.producer}** (producer) offered ${grouped(producer.records.produced)} records ` +
    `(${grouped(producer.recordsPerSecond.mean ?? 0)}/s on average, ${grouped(producer.recordsPerSecond.peak)}/s in the busiest second), ` +
    `${bytesText(producer.bytes.produced)}; ${keyText}${clipped}.`
  );
}

/** One column per system, one row per measure, so systems compare side by side. */
function systemsTable(systems: SystemSummary[]): aq.ColumnTable {
  const rows: Array<[string, (s: SystemSummary) => string]> = [
    ["kind", (s) => s.kind],
    ["records produced", (s) => grouped(s.records.produced)],
    ["records accepted", (s) => grouped(s.records.accepted)],
    ["throttled attempts", (s) => grouped(s.records.throttledAttempts)],
    ["records dropped", (s) => grouped(s.records.dropped)],
    ["records pending at end", (s) => grouped(s.records.pending)],
    ["producer latency p50 / p99", (s) => `${milliseconds(s.producerLatencyMs.p50)} / ${milliseconds(s.producerLatencyMs.p99)} ms`],
    ["partitions (open at end)", (s) => (s.kind === "sqs" ? "none (a queue)" : s.kind === "firehose" ? "none (a delivery stream)" : `${s.partitions.length} (${s.partitions.filter((p) => p.closedSeconds === null).length})`)],
    ["cost per month", (s) => (s.cost === null || s.cost === undefined || s.cost.monthlyUsd === null ? "-" : monthlyUsdText(s.cost.monthlyUsd))],
  ];
  const table = rows.map(([measure, value]) => Object.fromEntries([["measure", measure], ...systems.map((system) => [system.name, value(system)])]));
  return aq.from(table);
}

export const hottestHeading = "Hottest shards and partitions";
const consumersHeading = "Consumers";

function hottestShardsTable(systems: SystemSummary[]): aq.ColumnTable | null {
  const rows = systems.flatMap((system) =>
    [...system.partitions]
      .sort((a, b) =>
        system.kind === "kafka" ? b.acceptedRecords - a.acceptedRecords : (b.peakWriteUtilization ?? 0) - (a.peakWriteUtilization ?? 0),
      )
      .slice(0, hottestShardRows)
      .map((partition) => ({
        system: system.name,
        "shard / partition": partition.id,
        "share of writes (x fair share)": `${shareText(partition.shareOfWrites)} (${fairShareRatioText(partition.fairShareRatio)})`,
        // A Kafka partition has no write limit of its own: its load is its share of the writes (the column before).
        "peak write utilization": system.kind === "kafka" ? "-" : utilizationText(partition.peakWriteUtilization ?? 0),
        "with retries": system.kind === "kafka" ? "-" : utilizationText(partition.peakAttemptUtilization ?? 0),
        accepted: grouped(partition.acceptedRecords),
        throttled: grouped(partition.throttledAttempts),
        "busiest keys": partition.topKeys.slice(0, 3).map((entry) => entry.key).join(", "),
      })),
  );
  return rows.length === 0 ? null : aq.from(rows);
}

/** "2.4x fair", "0.53x fair": a partition's share over its fair share. */
export function fairShareRatioText(ratio: number): string {
  // Digits chosen on the value as it rounds: 0.996 reads "1.0x" beside 1.004's, not "1.00x".
  return `${ratio.toFixed(ratio >= 9.95 ? 0 : ratio >= 0.995 ? 1 : 2)}x fair`;
}

function consumersTable(systems: SystemSummary[]): aq.ColumnTable | null {
  const rows = systems.flatMap((system) =>
    system.consumers.map((consumer) => ({
      system: system.name,
      consumer: consumer.name,
      type: consumer.type,
      consumed: grouped(consumer.records.consumed),
      "unread / in flight": `${grouped(consumer.records.unread)} / ${grouped(consumer.records.inFlight)}`,
      "expired / lost": `${grouped(consumer.records.expired)} / ${grouped(consumer.records.lost)}`,
      duplicates: grouped(consumer.records.duplicates),
      "lag p50 / p99 / max": `${seconds(consumer.lagMs.p50)} / ${seconds(consumer.lagMs.p99)} / ${seconds(consumer.lagMs.max)}`,
      "end-to-end p50 / p99": `${seconds(consumer.endToEndLatencyMs.p50)} / ${seconds(consumer.endToEndLatencyMs.p99)}`,
      "read throttles": grouped(consumer.readThrottles),
    })),
  );
  return rows.length === 0 ? null : aq.from(rows);
}

function costTable(summary: Summary): aq.ColumnTable | null {
  const rows = systemCosts(summary).flatMap(({ system, cost }) =>
    cost.lineItems.map((line) => ({
      system,
      item: line.item,
      quantity: `${line.quantity.toLocaleString("en-US", { maximumFractionDigits: 3 })} ${line.unit}`,
      "unit price (USD)": line.unitPriceUsd.toLocaleString("en-US", { maximumSignificantDigits: 6 }),
      "monthly (USD)": line.monthlyUsd.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 }),
    })),
  );
  return rows.length === 0 ? null : aq.from(rows);
}

function workloadTable(producers: ProducerSummary[]): aq.ColumnTable {
  return aq
    .from(
      producers.map((p) => ({
        producer: p.producer,
        records: grouped(p.records.produced),
        "mean records/s": grouped(p.recordsPerSecond.mean ?? 0),
        "peak records/s": grouped(p.recordsPerSecond.peak),
        MB: megabytes(p.bytes.produced),
        "size p50 / p99 / max": [p.recordSizeBytes.p50, p.recordSizeBytes.p99, p.recordSizeBytes.max].map((size) => (size === null || size === undefined ? "-" : grouped(size))).join(" / ") + " B",
        "size cap": sizeCapText(p.recordSizeBytes.cap, p.recordSizeBytes.clipped),
        "distinct keys": grouped(p.keys.distinctSeen),
        keys: p.keys.distribution,
      })),
    );
}

function topKeysTable(producer: ProducerSummary): aq.ColumnTable {
  return aq
    .from(producer.keys.top.map((entry, rank) => ({ rank: rank + 1, key: entry.key, records: grouped(entry.records), share: shareText(entry.share ?? 0, 2) })));
}
