// The headline metrics of one run, by path: the numbers a sweep compares across settings and seeds.
// Paths name a system, then a path into its summary.json entry, with consumers and partitions
// addressed by name or id: kds.consumers.analytics.lagMs.p99, msk.records.throttledAttempts.

import type { ScenarioResult } from "../../sim/run/index.ts";
import { buildSummary } from "../summary.ts";
import type { SystemSummary } from "../system-summary.ts";

type Metrics = Record<string, number | null>;

/** Headline metrics of every system and consumer, plus the requested extra paths. */
export function headlineMetrics(result: ScenarioResult, metricPaths: string[]): Metrics {
  const systems = buildSummary(result).systems;
  const metrics: Metrics = {};
  for (const system of systems) Object.assign(metrics, systemHeadline(system));
  for (const path of metricPaths) if (!(path in metrics)) metrics[path] = metricAt(systems, path);
  return metrics;
}

function systemHeadline(system: SystemSummary): Metrics {
  const at = (path: string) => `${system.name}.${path}`;
  const metrics: Metrics = {};
  for (const [field, value] of Object.entries(system.records)) metrics[at(`records.${field}`)] = value;
  for (const [field, value] of Object.entries(system.producerLatencyMs)) metrics[at(`producerLatencyMs.${field}`)] = value;
  const peaks = system.partitions.map((partition) => partition.peakWriteUtilization).filter((value): value is number => value !== null);
  metrics[at("partitions.peakWriteUtilization.max")] = peaks.length === 0 ? null : Math.max(...peaks);
  if (system.kind === "kafka" && system.partitions.length > 0) {
    // A Kafka partition has no write limit: its load is its share of the writes (reports/partition-shares.ts).
    metrics[at("partitions.shareOfWrites.max")] = Math.max(...system.partitions.map((partition) => partition.shareOfWrites));
    metrics[at("partitions.fairShareRatio.max")] = Math.max(...system.partitions.map((partition) => partition.fairShareRatio));
  }
  for (const consumer of system.consumers) {
    const prefix = `consumers.${consumer.name}`;
    for (const [field, value] of Object.entries(consumer.lagMs)) metrics[at(`${prefix}.lagMs.${field}`)] = value;
    metrics[at(`${prefix}.endToEndLatencyMs.p99`)] = consumer.endToEndLatencyMs.p99;
    metrics[at(`${prefix}.records.consumed`)] = consumer.records.consumed;
    metrics[at(`${prefix}.records.unread`)] = consumer.records.unread;
  }
  metrics[at("findings.critical")] = system.findings.filter((finding) => finding.severity === "critical").length;
  // Monthly cost from the simulated usage, so a goal can ask for the cheapest setting that holds a bound.
  metrics[at("cost.monthlyUsd")] = system.cost?.monthlyUsd ?? null;
  return metrics;
}

/** The number at a metric path in the summary's systems, or null when the path leads to none. */
export function metricAt(systems: SystemSummary[], path: string): number | null {
  const [systemName, ...segments] = path.split(".");
  let node: unknown = systems.find((system) => system.name === systemName);
  for (const segment of segments) {
    if (Array.isArray(node)) node = node.find((entry) => isRecord(entry) && (entry.name === segment || entry.id === segment));
    else node = isRecord(node) ? node[segment] : undefined;
  }
  return typeof node === "number" ? node : null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
