// metrics.csv: every series of a run as a tidy table, one row per (time, system, component kind,
// component id, consumer, metric, statistic, unit, value), for users who plot in pandas, DuckDB, Excel
// or Vega without reshaping. Metric names, statistics and units are the services' own where they
// publish the measure (metric-catalogue.ts); the statistic is a column, never part of the name. RFC 4180:
// CRLF line ends, fields quoted when they hold a comma, a quote or a line break, quotes doubled.

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

function column(component: Component, definition: MetricDefinition, layout: CounterSeries | GaugeSeries, value: (i: number) => number): Column {
  return { component, definition, layout, value };
}

function systemColumns(system: SystemResult): Column[] {
  const own = { kind: systemComponentKind[system.kind], id: system.name, consumer: "" };
  const series = system.series;
  const columns = [column(own, ownMetrics.producedRecords, series.ProducedRecords, sum(series.ProducedRecords)), column(own, ownMetrics.retriedRecords, series.RetriedRecords, sum(series.RetriedRecords))];
  if (system.kind === "kinesis") columns.push(...kinesisColumns(system, own));
  else if (system.kind === "kafka") columns.push(...kafkaColumns(system, own));
  else if (system.kind === "sqs") columns.push(...sqsColumns(system, own));
  else columns.push(...firehoseColumns(system, own));
  for (const partition of system.partitions) columns.push(...partitionColumns(system.kind, partition));
  for (const consumer of system.consumers) columns.push(...consumerColumns(system, consumer));
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
  ];
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
function partitionColumns(kind: SystemResult["kind"], partition: PartitionResult): Column[] {
  const s = partition.series;
  const kinesis = kind === "kinesis";
  const component = { kind: kinesis ? "shard" : "partition", id: partition.id, consumer: "" };
  const columns = [
    column(component, kinesis ? kinesisMetrics.incomingRecords : ownMetrics.acceptedRecords, s.acceptedRecords, sum(s.acceptedRecords)),
    column(component, kinesis ? kinesisMetrics.incomingBytes : ownMetrics.acceptedBytes, s.acceptedBytes, sum(s.acceptedBytes)),
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
  return columns;
}

/**
 * A consumer's lagMs, and its system's own lag metric where that is a consumer's (Kinesis iterator age
 * or MillisBehindLatest, Kafka records lag and MSK's offset lags), by stream or topic and per shard or partition. SQS's
 * ApproximateAgeOfOldestMessage and Firehose's DataFreshness are the queue's and delivery stream's rows.
 */
function consumerColumns(system: SystemResult, consumer: ConsumerResult): Column[] {
  const resource = { kind: consumerResourceKind[system.kind], id: system.kind === "kafka" ? topicOf(system) : system.name, consumer: consumer.name };
  const columns = [column(resource, ownMetrics.lagMs, consumer.lagSeries, maximum(consumer.lagSeries))];
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
    columns.push(column({ kind: partitionKind, id, consumer: consumer.name }, native.perPartition, series, maximum(series)));
  }
  return columns;
}

const consumerResourceKind: Record<SystemResult["kind"], string> = { kinesis: "stream", kafka: "topic", sqs: "queue", firehose: "delivery-stream" };

function nativeDefinitions(kind: SystemResult["kind"], consumer: ConsumerResult): { whole: MetricDefinition; perPartition: MetricDefinition } | null {
  if (kind !== "kinesis" && kind !== "kafka") return null;
  const whole = nativeLagMetric(kind, consumer.native.pushed);
  const perPartition = whole === kinesisMetrics.millisBehindLatest ? kinesisMetrics.millisBehindLatestShard : whole === kinesisMetrics.iteratorAge ? kinesisMetrics.iteratorAgeShard : kafkaMetrics.recordsLag;
  return { whole, perPartition };
}

/** A Kafka system's one topic, from its partition ids (`<topic>-<n>`). */
function topicOf(system: SystemResult): string {
  const first = system.partitions[0];
  return first === undefined ? system.name : first.id.replace(/-\d+$/, "");
}
