// metrics.csv: every series of a run as a tidy table, one row per (time, system, component kind,
// component id, consumer, metric, statistic, unit, value), for users who plot in pandas, DuckDB, Excel
// or Vega without reshaping. Metric names, statistics and units are the services' own where they
// publish the measure (metric-catalogue.ts); the statistic is a column, never part of the name. RFC 4180:
// CRLF line ends, fields quoted when they hold a comma, a quote or a line break, quotes doubled.
// A Kinesis shard's rows cover only the intervals it was open in (in part or whole), and those a reader
// still took records from it after it closed: a closed shard is absent, not idle.

import type { ConsumerResult, CounterSeries, GaugeSeries, PartitionResult, SystemResult } from "../sim/metrics/index.ts";
import type { ScenarioResult } from "../sim/run/index.ts";
import { firehoseMetrics, kafkaMetrics, kinesisMetrics, nativeLagMetric, ownMetrics, sqsMetrics, type MetricDefinition } from "./metric-catalogue.ts";

export const metricsCsvHeader = ["time", "seconds", "intervalSeconds", "system", "componentKind", "componentId", "consumer", "metric", "statistic", "unit", "value"] as const;

/** What a row is about: a stream, shard, cluster, broker, topic, partition, queue or delivery stream; and the consumer, if any. */
interface Component {
  kind: string;
  id: string;
  consumer: string;
}

/** One metric of one component over the run's report intervals (every series of a run shares the layout). */
interface Column {
  component: Component;
  definition: MetricDefinition;
  layout: CounterSeries | GaugeSeries;
  value: (interval: number) => number;
  /** The intervals the component has rows in (every one when absent). */
  written?: (interval: number) => boolean;
}

export function metricsCsv(result: ScenarioResult): string {
  return [...metricsCsvChunks(result)].join("");
}

/**
 * The file in pieces, one series at a time, so a long run with short report intervals is written
 * without holding the whole text (it can reach millions of rows) in memory at once.
 */
export function* metricsCsvChunks(result: ScenarioResult): Generator<string> {
  yield `${metricsCsvHeader.join(",")}\r\n`;
  const clock = timeText(result.scenario.start, result.scenario.startEpochMs);
  for (const system of result.systems) {
    for (const column of systemColumns(system)) yield columnRows(system.name, column, clock);
  }
}

/** A CSV field per RFC 4180; numbers in shortest round-trip form, an undefined value (NaN) as an empty field. */
export function csvField(value: string | number): string {
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** The `time` column: ISO 8601 UTC when the scenario sets `start:`, else the seconds since the start. */
function timeText(start: string | null, startEpochMs: number): (startUs: number) => string | number {
  if (start === null) return (startUs) => startUs / 1e6;
  // Report intervals are whole seconds, so no fraction of a second is ever printed.
  return (startUs) => new Date(startEpochMs + startUs / 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
}

function columnRows(system: string, column: Column, clock: (startUs: number) => string | number): string {
  const { component, definition, layout } = column;
  const fixed = [system, component.kind, component.id, component.consumer, definition.metric, definition.statistic, definition.unit].map(csvField).join(",");
  let text = "";
  for (let i = 0; i < layout.intervalCount; i++) {
    if (column.written !== undefined && !column.written(i)) continue;
    const startUs = layout.startUsAt(i);
    text += `${csvField(clock(startUs))},${startUs / 1e6},${layout.durationUsAt(i) / 1e6},${fixed},${csvField(column.value(i))}\r\n`;
  }
  return text;
}

const sum = (series: CounterSeries) => (i: number) => series.sumAt(i);
/** A per-second rate over the interval (the *PerSec metrics): the interval's sum over its length. */
const rate = (series: CounterSeries) => (i: number) => series.sumAt(i) / (series.durationUsAt(i) / 1e6);
/** An average per event: the interval's total over its count (empty with no event). */
const mean = (total: CounterSeries, count: CounterSeries) => (i: number) => (count.sumAt(i) > 0 ? total.sumAt(i) / count.sumAt(i) : NaN);
const maximum = (series: GaugeSeries) => (i: number) => series.maxAt(i);
const summed = (all: CounterSeries[]) => (i: number) => all.reduce((total, series) => total + series.sumAt(i), 0);
const average = (series: GaugeSeries) => (i: number) => series.meanAt(i);

function column(component: Component, definition: MetricDefinition, layout: CounterSeries | GaugeSeries, value: (i: number) => number, written?: (i: number) => boolean): Column {
  return written === undefined ? { component, definition, layout, value } : { component, definition, layout, value, written };
}

/** A gauge's rows under both statistics: its most in the interval and its time-weighted mean. */
function gaugeColumns(component: Component, definitions: { maximum: MetricDefinition; average: MetricDefinition }, series: GaugeSeries): Column[] {
  return [column(component, definitions.maximum, series, maximum(series)), column(component, definitions.average, series, average(series))];
}

/**
 * The intervals a shard has rows in: those it was open in, in part or whole, and those a reader took
 * records from it after it closed (draining a parent shard). Kafka partitions are open the whole run.
 */
function writtenIntervals(partition: PartitionResult): (i: number) => boolean {
  const layout = partition.series.acceptedRecords;
  const closedUs = partition.closedUs ?? Infinity;
  const written = new Uint8Array(layout.intervalCount);
  for (let i = 0; i < written.length; i++) {
    const startUs = layout.startUsAt(i);
    const open = startUs < closedUs && startUs + layout.durationUsAt(i) > partition.openedUs;
    written[i] = open || (partition.outgoing !== undefined && partition.outgoing.records.sumAt(i) > 0) ? 1 : 0;
  }
  return (i) => written[i] === 1;
}

function systemColumns(system: SystemResult): Column[] {
  const own = { kind: systemComponentKind[system.kind], id: system.name, consumer: "" };
  const series = system.series;
  const columns = [column(own, ownMetrics.producedRecords, series.ProducedRecords, sum(series.ProducedRecords)), column(own, ownMetrics.retriedRecords, series.RetriedRecords, sum(series.RetriedRecords))];
  if (system.kind === "kinesis") columns.push(...kinesisColumns(system, own));
  else if (system.kind === "kafka") columns.push(...kafkaColumns(system, own));
  else if (system.kind === "sqs") columns.push(...sqsColumns(system, own));
  else columns.push(...firehoseColumns(system, own));
  const written = new Map(system.partitions.map((partition) => [partition.id, writtenIntervals(partition)]));
  for (const partition of system.partitions) columns.push(...partitionColumns(system.kind, partition, written.get(partition.id)!));
  for (const consumer of system.consumers) columns.push(...consumerColumns(system, consumer, written));
  return columns;
}

const systemComponentKind: Record<SystemResult["kind"], string> = { kinesis: "stream", kafka: "cluster", sqs: "queue", firehose: "delivery-stream" };

function kinesisColumns(system: Extract<SystemResult, { kind: "kinesis" }>, stream: Component): Column[] {
  const s = system.series;
  const outgoing = system.partitions.flatMap((partition) => (partition.outgoing === undefined ? [] : [partition.outgoing]));
  return [
    column(stream, kinesisMetrics.incomingRecords, s.IncomingRecords, sum(s.IncomingRecords)),
    column(stream, kinesisMetrics.incomingBytes, s.IncomingBytes, sum(s.IncomingBytes)),
    column(stream, kinesisMetrics.outgoingRecords, s.IncomingRecords, summed(outgoing.map((o) => o.records))),
    column(stream, kinesisMetrics.outgoingBytes, s.IncomingRecords, summed(outgoing.map((o) => o.bytes))),
    column(stream, kinesisMetrics.writeThrottled, s.WriteProvisionedThroughputExceeded, sum(s.WriteProvisionedThroughputExceeded)),
    column(stream, kinesisMetrics.readThrottled, s.ReadProvisionedThroughputExceeded, sum(s.ReadProvisionedThroughputExceeded)),
    column(stream, kinesisMetrics.putRecordsLatency, s["PutRecords.Calls"], mean(s["PutRecords.LatencySumMs"], s["PutRecords.Calls"])),
    column(stream, ownMetrics.offeredRecords, s.OfferedRecords, sum(s.OfferedRecords)),
    column(stream, ownMetrics.demandRecords, s.DemandRecords, sum(s.DemandRecords)),
    column(stream, ownMetrics.demandBytes, s.DemandBytes, sum(s.DemandBytes)),
    ...openShardColumns(system, stream),
  ];
}

/** The stream's open shard count per interval, from when each shard opened and closed. */
function openShardColumns(system: Extract<SystemResult, { kind: "kinesis" }>, stream: Component): Column[] {
  const layout = system.series.IncomingRecords;
  const spans = system.partitions.map((partition) => ({ openedUs: partition.openedUs, closedUs: partition.closedUs ?? Infinity }));
  const openAt = (timeUs: number) => spans.filter((span) => span.openedUs <= timeUs && span.closedUs > timeUs).length;
  const changes = [...new Set(spans.flatMap((span) => [span.openedUs, span.closedUs]))].filter(Number.isFinite).sort((a, b) => a - b);
  const most = (i: number) => {
    const startUs = layout.startUsAt(i);
    const endUs = startUs + layout.durationUsAt(i);
    return Math.max(openAt(startUs), ...changes.filter((timeUs) => timeUs > startUs && timeUs < endUs).map(openAt));
  };
  const mean = (i: number) => {
    const startUs = layout.startUsAt(i);
    const lengthUs = layout.durationUsAt(i);
    const openUs = spans.reduce((total, span) => total + Math.max(0, Math.min(span.closedUs, startUs + lengthUs) - Math.max(span.openedUs, startUs)), 0);
    return openUs / lengthUs;
  };
  return [column(stream, ownMetrics.openShardsMaximum, layout, most), column(stream, ownMetrics.openShardsAverage, layout, mean)];
}

const brokerCounters: Array<[metric: "BytesInPerSec" | "BytesOutPerSec" | "MessagesInPerSec" | "ReplicationBytesInPerSec" | "ReplicationBytesOutPerSec", MetricDefinition]> = [
  ["BytesInPerSec", kafkaMetrics.bytesIn],
  ["BytesOutPerSec", kafkaMetrics.bytesOut],
  ["MessagesInPerSec", kafkaMetrics.messagesIn],
  ["ReplicationBytesInPerSec", kafkaMetrics.replicationBytesIn],
  ["ReplicationBytesOutPerSec", kafkaMetrics.replicationBytesOut],
];

const brokerBusy: Array<[metric: "BusyUs" | "NetworkInBusyUs" | "NetworkOutBusyUs" | "DiskWriteBusyUs" | "RequestHandlerBusyUs", MetricDefinition]> = [
  ["BusyUs", ownMetrics.busyUs],
  ["NetworkInBusyUs", ownMetrics.networkInBusyUs],
  ["NetworkOutBusyUs", ownMetrics.networkOutBusyUs],
  ["DiskWriteBusyUs", ownMetrics.diskWriteBusyUs],
  ["RequestHandlerBusyUs", ownMetrics.requestHandlerBusyUs],
];

function kafkaColumns(system: Extract<SystemResult, { kind: "kafka" }>, cluster: Component): Column[] {
  const s = system.series;
  const columns = [
    column(cluster, kafkaMetrics.requestLatency, s.ProduceRequests, mean(s.ProduceLatencySumMs, s.ProduceRequests)),
    column(cluster, kafkaMetrics.offline, s.OfflinePartitionsCount, maximum(s.OfflinePartitionsCount)),
  ];
  for (let broker = 0; `broker-${broker}/BytesInPerSec` in s; broker++) {
    const component = { kind: "broker", id: String(broker), consumer: "" };
    for (const [name, definition] of brokerCounters) {
      const counter = s[`broker-${broker}/${name}`];
      columns.push(column(component, definition, counter, rate(counter)));
    }
    const underReplicated = s[`broker-${broker}/UnderReplicatedPartitions`];
    columns.push(column(component, kafkaMetrics.underReplicated, underReplicated, maximum(underReplicated)));
    for (const [name, definition] of brokerBusy) {
      const counter = s[`broker-${broker}/${name}`];
      columns.push(column(component, definition, counter, sum(counter)));
    }
  }
  return columns;
}

function sqsColumns(system: Extract<SystemResult, { kind: "sqs" }>, queue: Component): Column[] {
  const s = system.series;
  return [
    column(queue, sqsMetrics.visible, s.ApproximateNumberOfMessagesVisible, maximum(s.ApproximateNumberOfMessagesVisible)),
    column(queue, sqsMetrics.notVisible, s.ApproximateNumberOfMessagesNotVisible, maximum(s.ApproximateNumberOfMessagesNotVisible)),
    column(queue, sqsMetrics.delayed, s.ApproximateNumberOfMessagesDelayed, maximum(s.ApproximateNumberOfMessagesDelayed)),
    column(queue, sqsMetrics.ageOfOldest, s.ApproximateAgeOfOldestMessage, maximum(s.ApproximateAgeOfOldestMessage)),
    column(queue, sqsMetrics.sent, s.NumberOfMessagesSent, sum(s.NumberOfMessagesSent)),
    column(queue, sqsMetrics.received, s.NumberOfMessagesReceived, sum(s.NumberOfMessagesReceived)),
    column(queue, sqsMetrics.deleted, s.NumberOfMessagesDeleted, sum(s.NumberOfMessagesDeleted)),
    column(queue, sqsMetrics.emptyReceives, s.NumberOfEmptyReceives, sum(s.NumberOfEmptyReceives)),
  ];
}

function firehoseColumns(system: Extract<SystemResult, { kind: "firehose" }>, stream: Component): Column[] {
  const s = system.series;
  return [
    column(stream, firehoseMetrics.incomingRecords, s.IncomingRecords, sum(s.IncomingRecords)),
    column(stream, firehoseMetrics.incomingBytes, s.IncomingBytes, sum(s.IncomingBytes)),
    column(stream, firehoseMetrics.incomingPutRequests, s.IncomingPutRequests, sum(s.IncomingPutRequests)),
    column(stream, firehoseMetrics.throttledRecords, s.ThrottledRecords, sum(s.ThrottledRecords)),
    column(stream, firehoseMetrics.deliveredRecords, s["DeliveryToS3.Records"], sum(s["DeliveryToS3.Records"])),
    column(stream, firehoseMetrics.deliveredBytes, s["DeliveryToS3.Bytes"], sum(s["DeliveryToS3.Bytes"])),
    column(stream, firehoseMetrics.dataFreshness, s["DeliveryToS3.DataFreshness"], maximum(s["DeliveryToS3.DataFreshness"])),
    column(stream, ownMetrics.deliveredObjects, s["DeliveryToS3.Objects"], sum(s["DeliveryToS3.Objects"])),
    column(stream, ownMetrics.backedUpRecords, s["BackupToS3.Records"], sum(s["BackupToS3.Records"])),
  ];
}

/** A Kinesis shard's rows under CloudWatch's shard-level names; a Kafka partition's (no service publishes its traffic) under ours. */
function partitionColumns(kind: SystemResult["kind"], partition: PartitionResult, written: (i: number) => boolean): Column[] {
  const s = partition.series;
  const kinesis = kind === "kinesis";
  const component = { kind: kinesis ? "shard" : "partition", id: partition.id, consumer: "" };
  // A shard's IncomingRecords and IncomingBytes count Kinesis records (KPL aggregates, where the producer aggregates), a partition's its records.
  const incoming = kinesis && partition.incoming !== undefined ? partition.incoming : null;
  const columns = [
    incoming === null ? column(component, ownMetrics.acceptedRecords, s.acceptedRecords, sum(s.acceptedRecords)) : column(component, kinesisMetrics.incomingRecords, incoming.records, sum(incoming.records)),
    incoming === null ? column(component, ownMetrics.acceptedBytes, s.acceptedBytes, sum(s.acceptedBytes)) : column(component, kinesisMetrics.incomingBytes, incoming.bytes, sum(incoming.bytes)),
    column(component, kinesis ? kinesisMetrics.writeThrottled : ownMetrics.throttledAttempts, s.throttledAttempts, sum(s.throttledAttempts)),
  ];
  if (partition.outgoing !== undefined) {
    columns.push(column(component, kinesisMetrics.outgoingRecords, partition.outgoing.records, sum(partition.outgoing.records)));
    columns.push(column(component, kinesisMetrics.outgoingBytes, partition.outgoing.bytes, sum(partition.outgoing.bytes)));
  }
  columns.push(
    column(component, ownMetrics.offeredRecords, s.offeredRecords, sum(s.offeredRecords)),
    column(component, ownMetrics.offeredBytes, s.offeredBytes, sum(s.offeredBytes)),
    column(component, ownMetrics.demandRecords, s.demandRecords, sum(s.demandRecords)),
    column(component, ownMetrics.demandBytes, s.demandBytes, sum(s.demandBytes)),
    column(component, ownMetrics.writeUtilization, s.offeredRecords, (i) => partition.writeUtilization[i]!),
  );
  return columns.map((shardColumn) => ({ ...shardColumn, written }));
}

/**
 * A consumer's lagMs, and its system's own lag metric where that is a consumer's (Kinesis iterator age
 * or MillisBehindLatest, Kafka records lag and MSK's offset lags), by stream or topic and per shard or partition. SQS's
 * ApproximateAgeOfOldestMessage and Firehose's DataFreshness are the queue's and delivery stream's rows.
 */
function consumerColumns(system: SystemResult, consumer: ConsumerResult, written: Map<string, (i: number) => boolean>): Column[] {
  const resource = { kind: consumerResourceKind[system.kind], id: system.kind === "kafka" ? topicOf(system) : system.name, consumer: consumer.name };
  const columns = [column(resource, ownMetrics.lagMs, consumer.lagSeries, maximum(consumer.lagSeries)), ...scaleColumns(resource, consumer)];
  if (consumer.offsetLag !== undefined) {
    columns.push(column(resource, kafkaMetrics.maxOffsetLag, consumer.offsetLag.max, maximum(consumer.offsetLag.max)));
    columns.push(column(resource, kafkaMetrics.sumOffsetLag, consumer.offsetLag.sum, maximum(consumer.offsetLag.sum)));
    columns.push(column(resource, kafkaMetrics.estimatedMaxTimeLag, consumer.offsetLag.estimatedMaxTimeSeconds, maximum(consumer.offsetLag.estimatedMaxTimeSeconds)));
  }
  const native = nativeDefinitions(system.kind, consumer);
  if (native === null) return columns;
  columns.push(column(resource, native.whole, consumer.native.series, maximum(consumer.native.series)));
  const partitionKind = system.kind === "kinesis" ? "shard" : "partition";
  for (const { id, series } of consumer.nativePerPartition) {
    columns.push(column({ kind: partitionKind, id, consumer: consumer.name }, native.perPartition, series, maximum(series), written.get(id)));
  }
  return columns;
}

/** How many consumers, executions or subtasks a consumer ran, where it scales: autoscaled fleets and groups, Lambda, Flink. */
function scaleColumns(resource: Component, consumer: ConsumerResult): Column[] {
  const columns: Column[] = [];
  if (consumer.autoscaling !== undefined) {
    columns.push(...gaugeColumns(resource, { maximum: ownMetrics.consumersDesiredMaximum, average: ownMetrics.consumersDesiredAverage }, consumer.autoscaling.desired));
    columns.push(...gaugeColumns(resource, { maximum: ownMetrics.consumersWorkingMaximum, average: ownMetrics.consumersWorkingAverage }, consumer.autoscaling.running));
  }
  if (consumer.lambda !== undefined) {
    columns.push(...gaugeColumns(resource, { maximum: ownMetrics.lambdaConcurrencyMaximum, average: ownMetrics.lambdaConcurrencyAverage }, consumer.lambda.concurrency));
  }
  if (consumer.flink !== undefined) {
    columns.push(...gaugeColumns(resource, { maximum: ownMetrics.flinkParallelismMaximum, average: ownMetrics.flinkParallelismAverage }, consumer.flink.parallelismSeries));
    columns.push(...gaugeColumns(resource, { maximum: ownMetrics.flinkKpusMaximum, average: ownMetrics.flinkKpusAverage }, consumer.flink.billedKpuSeries));
    const sessions = consumer.flink.windows?.sessions;
    if (sessions !== undefined) columns.push(...gaugeColumns(resource, { maximum: ownMetrics.flinkActiveSessionsMaximum, average: ownMetrics.flinkActiveSessionsAverage }, sessions.activeSessions));
  }
  return columns;
}

const consumerResourceKind: Record<SystemResult["kind"], string> = { kinesis: "stream", kafka: "topic", sqs: "queue", firehose: "delivery-stream" };

/** Each Kinesis native lag metric's per-shard form (a Kafka consumer's per partition is records-lag). */
const perShardOf = new Map<MetricDefinition, MetricDefinition>([
  [kinesisMetrics.millisBehindLatest, kinesisMetrics.millisBehindLatestShard],
  [kinesisMetrics.iteratorAge, kinesisMetrics.iteratorAgeShard],
  [kinesisMetrics.lambdaIteratorAge, kinesisMetrics.lambdaIteratorAgeShard],
]);

function nativeDefinitions(kind: SystemResult["kind"], consumer: ConsumerResult): { whole: MetricDefinition; perPartition: MetricDefinition } | null {
  if (kind !== "kinesis" && kind !== "kafka") return null;
  const whole = nativeLagMetric(kind, consumer.native.pushed, consumer.type);
  return { whole, perPartition: perShardOf.get(whole) ?? kafkaMetrics.recordsLag };
}

/** A Kafka system's one topic, from its partition ids (`<topic>-<n>`). */
function topicOf(system: SystemResult): string {
  const first = system.partitions[0];
  return first === undefined ? system.name : first.id.replace(/-\d+$/, "");
}
