// The per-system part of summary.json (DESIGN.md "Results"): counts, latency percentiles from the
// models' histograms, partitions, consumers, and findings ordered by severity.

import type { ConsumerResult, Finding, LogHistogram, PartitionResult, SystemResult } from "../sim/metrics/index.ts";
import { round } from "./numbers.ts";

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

export function systemSummary(system: SystemResult) {
  return {
    name: system.name,
    kind: system.kind,
    records: { ...system.records },
    bytes: { ...system.bytes },
    producerLatencyMs: millis(system.producerLatency),
    partitions: system.partitions.map(partitionSummary),
    consumers: system.consumers.map(consumerSummary),
    cost: null,
    findings: orderFindings(system.findings).map((finding) => ({
      severity: finding.severity,
      code: finding.code,
      subject: finding.subject,
      message: finding.message,
      evidence: finding.evidence,
    })),
    facts: system.facts,
  };
}

function partitionSummary(partition: PartitionResult) {
  return {
    id: partition.id,
    acceptedRecords: partition.acceptedRecords,
    acceptedBytes: partition.acceptedBytes,
    throttledAttempts: partition.throttledAttempts,
    peakWriteUtilization: round(partition.peakWriteUtilization),
    openedSeconds: round(partition.openedUs / 1e6),
    closedSeconds: partition.closedUs === null ? null : round(partition.closedUs / 1e6),
    topKeys: partition.topKeys.map((entry) => ({ key: entry.key, records: entry.records })),
  };
}

function consumerSummary(consumer: ConsumerResult) {
  return {
    name: consumer.name,
    type: consumer.type,
    records: { ...consumer.records },
    lagMs: millis(consumer.lag),
    endToEndLatencyMs: millis(consumer.endToEndLatency),
    readThrottles: consumer.readThrottles,
    [consumer.native.name]: consumer.native.unit === "ms" ? millis(consumer.native.histogram) : counts(consumer.native.histogram),
    ...(consumer.queueWait === undefined ? {} : { queueWaitMs: millis(consumer.queueWait) }),
  };
}

function counts(histogram: LogHistogram) {
  return { p50: round(histogram.quantile(0.5), 0), p99: round(histogram.quantile(0.99), 0), max: round(histogram.max, 0) };
}

export type SystemSummary = ReturnType<typeof systemSummary>;
