// A goal's metric is checked when the scenario loads: a misspelt path is an error at its line and
// column with the closest name, instead of a sweep whose every run reports nothing for it.

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { summaryJsonSchema } from "../../reports/index.ts";
import { formatIssue, loadScenarioText } from "../../sim/scenario/index.ts";
import { systemMetricTree, type MetricNode } from "../../sim/scenario/sweep-metrics.ts";

const file = "scenarios/sweep-shards.yaml";
const text = readFileSync(file, "utf8");
const withMetric = (metric: string) => text.replace("metric: kds.producerLatencyMs.p99", `metric: ${metric}`);
const issuesOf = (metric: string) => {
  const loaded = loadScenarioText(withMetric(metric), file);
  return loaded.ok ? [] : loaded.issues.map(formatIssue);
};

describe("goal metric paths", () => {
  it("accepts every number of a system's summary entry, the sweep's aggregates and the monthly cost", () => {
    for (const metric of [
      "kds.producerLatencyMs.p99",
      "kds.records.throttledAttempts",
      "kds.cost.monthlyUsd",
      "kds.partitions.peakWriteUtilization.max",
      "kds.partitions.shardId-000000000003.peakWriteUtilization",
      "kds.consumers.analytics.lagMs.p99",
      "kds.consumers.analytics.iteratorAgeMs.max",
      "kds.findings.critical",
    ]) {
      expect(issuesOf(metric), metric).toEqual([]);
    }
  });

  it("refuses a misspelt field, a block, a path past a number and another system's lag metric, at the metric's line and column", () => {
    // The metric's line and column in the example file (column 19: after "  goal: { metric: ").
    const line = text.split("\n").findIndex((row) => row.startsWith("  goal: { metric:")) + 1;
    const at = `${file}:${line}:19 sweep.goal.metric: `;
    expect(issuesOf("kds.producerLatency.p99")).toEqual([
      `${at}kds in summary.json has no number or block "producerLatency"; expected one of: records, bytes, producerLatencyMs, partitions, consumers, cost, findings, facts, autoscaling (did you mean "producerLatencyMs"?)`,
    ]);
    expect(issuesOf("kds.cost")).toEqual([`${at}kds.cost is a block of summary.json, not a number; expected a field inside it, one of: kds.cost.monthlyUsd`]);
    expect(issuesOf("kds.producerLatencyMs.p99.ms")).toEqual([
      `${at}kds.producerLatencyMs.p99 is already a number in summary.json; expected the path to end there, found ".ms" after it`,
    ]);
    // recordsLag is Kafka's; a Kinesis consumer reports iteratorAgeMs.
    expect(issuesOf("kds.consumers.analytics.recordsLag.p99")[0]).toContain('has no number or block "recordsLag"; expected one of: records, lagMs, endToEndLatencyMs, readThrottles, iteratorAgeMs, lambda, firehose, flink');
    expect(issuesOf("kds.partitions")[0]).toContain("kds.partitions is a list in summary.json, not a number");
    // The busiest partition's share of the writes is a Kafka headline metric: a Kinesis sweep reports none.
    expect(issuesOf("kds.partitions.fairShareRatio.max")[0]).toContain("fairShareRatio");
    const kafkaFile = "scenarios/sweep-kafka-partitions.yaml";
    const kafka = readFileSync(kafkaFile, "utf8");
    for (const metric of ["msk.partitions.fairShareRatio.max", "msk.partitions.shareOfWrites.max", "msk.partitions.events-6.fairShareRatio"]) {
      expect(loadScenarioText(kafka.replace("metric: msk.consumers.analytics.lagMs.p99", `metric: ${metric}`), kafkaFile).ok, metric).toBe(true);
    }
  });

  it("knows every number summary.json holds for a system (kept in step with its schema)", () => {
    const schema = JSON.parse(summaryJsonSchema());
    // Cost line items, a partition's top keys, a Flink application's subtasks and restarts, an autoscaled
    // stream's calls and shard-count steps, and an autoscaled consumer's activities and recovery episodes
    // are lists whose entries have neither a name nor an id, so a metric path cannot address them; a system's
    // configuration is the scenario's own settings as they ran (a sweep's parameters), not a result a goal can aim at.
    const addressable = (path: string) => !/^(findings|facts|configuration)\.|lineItems|topKeys|flink\.subtasks|flink\.checkpoints\.restarts|autoscaling\.(actions|shardCount|activities|recovery\.episodes)/.test(path);
    const fromSchema = numberPaths(schema.properties.systems.items, "").filter(addressable);
    const tree = systemMetricTree("any kind: every system's own lag metric");
    const fromTree = treePaths(tree, "").filter((path) => addressable(path) && path !== "partitions.peakWriteUtilization.max");
    expect(fromTree.sort()).toEqual(fromSchema.sort());
  });
});

type JsonSchema = { type?: string | string[]; properties?: Record<string, JsonSchema>; items?: JsonSchema; anyOf?: JsonSchema[] };

function numberPaths(node: JsonSchema, prefix: string): string[] {
  const types = [node.type ?? []].flat();
  if (types.includes("number") || types.includes("integer")) return [prefix.slice(1)];
  if (node.anyOf) return node.anyOf.flatMap((option) => numberPaths(option, prefix));
  if (node.properties) return Object.entries(node.properties).flatMap(([name, child]) => numberPaths(child, `${prefix}.${name}`));
  if (node.items) return numberPaths(node.items, `${prefix}.*`);
  return [];
}

function treePaths(node: MetricNode, prefix: string): string[] {
  if (node === null) return [prefix.slice(1)];
  if ("entryNoun" in node && typeof node.entryNoun === "string") return treePaths((node as { entry: MetricNode }).entry, `${prefix}.*`);
  return Object.entries(node).flatMap(([name, child]) => treePaths(child as MetricNode, `${prefix}.${name}`));
}
