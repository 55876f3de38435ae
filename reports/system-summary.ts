// The per-system part of summary.json (docs/design.md "Results"): counts, latency percentiles from the
// models' histograms, partitions, consumers, and findings ordered by severity.

import type { SystemCost } from "../sim/cost/index.ts";
import { openUsWithin, type ConsumerResult, type Finding, type FirehoseResult, type LogHistogram, type PartitionResult, type SystemConfiguration, type SystemResult } from "../sim/metrics/index.ts";
import { firehoseConsumerSummary } from "./firehose-consumer-summary.ts";
import { flinkSummary } from "./flink-summary.ts";
import { lambdaSummary } from "./lambda-summary.ts";
import { consumerAutoscalingSummary } from "./consumer-autoscaling-summary.ts";
import { nativeLagMetric } from "./metric-catalogue.ts";
import { round } from "./numbers.ts";
import { partitionShares, type PartitionShare } from "./partition-shares.ts";
import type { ConfigurationSummary, CostSummary } from "./summary-schema.ts";
import { autoscalingSummary } from "./autoscaling-summary.ts";
import type { Summary } from "./summary.ts";

const severityRank = { critical: 0, warning: 1, info: 2 } as const;

/** p50 / p99 / max of a microsecond histogram, in milliseconds (null when empty). */
export function millis(histogram: LogHistogram) {
  return {
    p50: round(histogram.quantile(0.5) / 1000),
    p99: round(histogram.quantile(0.99) / 1000),
    max: round(histogram.max / 1000),
  };
}

export function orderFindings(findings: Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) => severityRank[a.severity] - severityRank[b.severity] || a.code.localeCompare(b.code) || a.subject.localeCompare(b.subject),
  );
}

export function systemSummary(system: SystemResult, configuration: SystemConfiguration, cost: SystemCost | undefined): SystemSummary {
  return {
    name: system.name,
    kind: system.kind,
    configuration: configurationSummary(configuration),
    records: { ...system.records },
    bytes: { ...system.bytes },
    producerLatencyMs: millis(system.producerLatency),
    partitions: partitionSummaries(system.partitions),
    consumers: system.consumers.map((consumer) => consumerSummary(system.kind, consumer)),
    cost: cost === undefined ? null : costSummary(cost),
    findings: orderFindings(system.findings).map((finding) => ({
      severity: finding.severity,
      code: finding.code,
      subject: finding.subject,
      message: finding.message,
      evidence: finding.evidence,
    })),
    facts: system.facts,
    ...(system.kind === "firehose" ? { objects: firehoseObjects(system) } : {}),
    ...(system.kind === "kinesis" && system.autoscaling !== undefined ? { autoscaling: autoscalingSummary(system, system.autoscaling) } : {}),
  };
}

/** A Firehose stream's S3 objects: how many, and their size distribution (bytes). */
function firehoseObjects(system: FirehoseResult): NonNullable<SystemSummary["objects"]> {
  const sizes = system.objectSizeBytes;
  return {
    delivered: Number(system.facts.objectsDelivered),
    backedUp: Number(system.facts.objectsBackedUp),
    sizeBytes: counts(sizes),
    meanBytes: sizes.count === 0 ? null : Math.round(sizes.mean),
  };
}

/** The configuration in summary.json's units: seconds and milliseconds. */
function configurationSummary(configuration: SystemConfiguration): ConfigurationSummary {
  return {
    capacity: configuration.capacity,
    partitions: configuration.partitions,
    instanceType: configuration.instanceType,
    replicationCopies: configuration.replicationCopies,
    replication: configuration.replication,
    acknowledgement: configuration.acknowledgement,
    acks: configuration.acks,
    retentionSeconds: configuration.retentionUs / 1e6,
    retention: configuration.retention,
    consumers: configuration.consumers.map((consumer) => ({
      name: consumer.name,
      type: consumer.type,
      instances: consumer.instances,
      instancesOf: consumer.instancesOf,
      processingPerRecordMs: consumer.processingPerRecordUs / 1000,
      processingPerBatchMs: consumer.processingPerBatchUs / 1000,
      reading: consumer.reading,
    })),
    producer: { lingerMs: configuration.producer.lingerUs / 1000, batching: configuration.producer.batching, retry: configuration.producer.retry },
  };
}

/** Money rounds to the cent in totals and to 1e-4 USD per line; quantities keep 4 decimals, unit prices as listed. */
function costSummary(cost: SystemCost): CostSummary {
  return {
    monthlyUsd: roundAmount(cost.monthlyUsd, 2),
    lineItems: cost.lineItems.map((line) => ({
      item: line.item,
      price: line.price,
      quantity: roundAmount(line.quantity, 4),
      unit: line.unit,
      unitPriceUsd: line.unitPriceUsd,
      monthlyUsd: roundAmount(line.monthlyUsd, 4),
    })),
    assumptions: cost.assumptions,
  };
}

/** Rounds a cost figure, which the cost model always computes (a NaN is a bug there, not a missing value). */
function roundAmount(value: number, digits: number): number {
  const rounded = round(value, digits);
  if (rounded === null) throw new Error(`a cost figure is not a number (${value})`);
  return rounded;
}

function partitionSummaries(partitions: PartitionResult[]): Array<SystemSummary["partitions"][number]> {
  const shares = partitionShares(partitions);
  return partitions.map((partition) => partitionSummary(partition, shares.get(partition.id)!));
}

function partitionSummary(partition: PartitionResult, share: PartitionShare): SystemSummary["partitions"][number] {
  return {
    id: partition.id,
    acceptedRecords: partition.acceptedRecords,
    acceptedBytes: partition.acceptedBytes,
    throttledAttempts: partition.throttledAttempts,
    peakWriteUtilization: round(partition.peakWriteUtilization),
    peakAttemptUtilization: round(partition.peakAttemptUtilization),
    retriedAttempts: Math.max(0, partition.series.offeredRecords.total - partition.series.demandRecords.total),
    shareOfWrites: round(share.shareOfWrites, 4) ?? 0,
    fairShareRatio: round(share.fairShareRatio, 3) ?? 0,
    secondsOverWriteLimit: round(secondsOverWriteLimit(partition), 0),
    openedSeconds: round(partition.openedUs / 1e6),
    closedSeconds: partition.closedUs === null ? null : round(partition.closedUs / 1e6),
    topKeys: partition.topKeys.map((entry) => ({ key: entry.key, records: entry.records })),
  };
}

/**
 * Time the partition was open in report intervals whose write utilization (demand) exceeded 100%
 * (interval granularity): a shard a reshard closed 2 s into such an interval counts those 2 s, not the
 * whole interval (Kafka partitions are open throughout).
 */
function secondsOverWriteLimit(partition: PartitionResult): number {
  const series = partition.series.offeredRecords;
  let overUs = 0;
  partition.writeUtilization.forEach((utilization, i) => {
    if (utilization > 1) overUs += openUsWithin(partition, series.startUsAt(i), series.startUsAt(i) + series.durationUsAt(i));
  });
  return overUs / 1e6;
}

function consumerSummary(kind: SystemResult["kind"], consumer: ConsumerResult): SystemSummary["consumers"][number] {
  return {
    name: consumer.name,
    type: consumer.type,
    records: { ...consumer.records },
    lagMs: millis(consumer.lag),
    endToEndLatencyMs: millis(consumer.endToEndLatency),
    readThrottles: consumer.readThrottles,
    nativeMetric: nativeLagMetric(kind, consumer.native.pushed, consumer.type).metric,
    ...nativeSummary(consumer.native),
    ...(consumer.queueWait === undefined ? {} : { queueWaitMs: millis(consumer.queueWait) }),
    ...lambdaSummary(consumer),
    ...firehoseConsumerSummary(consumer),
    ...flinkSummary(consumer),
    ...consumerAutoscalingSummary(consumer),
  };
}

function counts(histogram: LogHistogram) {
  return { p50: round(histogram.quantile(0.5), 0), p99: round(histogram.quantile(0.99), 0), max: round(histogram.max, 0) };
}

/** The system's own lag metric under its name, in milliseconds or in records. */
function nativeSummary(native: ConsumerResult["native"]): { [name in ConsumerResult["native"]["name"]]?: Quantiles } {
  return { [native.name]: native.unit === "ms" ? millis(native.histogram) : counts(native.histogram) };
}

export type SystemSummary = Summary["systems"][number];
type Quantiles = SystemSummary["producerLatencyMs"];
