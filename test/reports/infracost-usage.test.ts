// `streamsim cost --infracost-usage FILE`: the Infracost usage file parses as YAML, has the format
// Infracost reads (version 0.1, resource_usage keyed by resource address; infracost/infracost's
// infracost-usage-example.yml, docs/reference.md §9) and carries the run's own monthly quantities under
// the keys Infracost documents for aws_kinesis_stream, aws_sqs_queue, aws_instance and aws_data_transfer.

import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { streamsimInProcess } from "../support/cli.ts";
import { infracostUsage, terraformName } from "../../reports/infracost-usage.ts";
import { buildSummary, type Summary } from "../../reports/summary.ts";
import { runScenario } from "../../sim/run/index.ts";
import { loadScenarioText } from "../../sim/scenario/index.ts";

const folder = mkdtempSync(join(tmpdir(), "streamsim-infracost-"));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** A line item's monthly quantity in single units, as the cost table prints it. */
function quantity(summary: Summary, system: string, price: string | RegExp): number {
  const items = summary.systems.find((candidate) => candidate.name === system)!.cost!.lineItems;
  return items
    .filter((item) => (typeof price === "string" ? item.price === price : price.test(item.price)))
    .reduce((sum, item) => sum + item.quantity * (item.unit.startsWith("million ") ? 1e6 : 1), 0);
}

function summaryOf(yaml: string): Summary {
  const loaded = loadScenarioText(yaml, "test/reports/infracost.yaml");
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues));
  return buildSummary(runScenario(loaded.scenario));
}

describe("streamsim cost --infracost-usage", () => {
  it("writes Kinesis, MSK and SQS usage from scenarios/three-systems.yaml, matching the cost line items", async () => {
    const path = join(folder, "infracost-usage.yml");
    const outcome = await streamsimInProcess("cost", "scenarios/three-systems.yaml", "--duration", "30s", "--json", "--infracost-usage", path);
    expect(outcome.status).toBe(0);
    const summary = JSON.parse(outcome.stdout) as { systems: Summary["systems"]; region: string };
    const file = parse(readFileSync(path, "utf8")) as { version: string; resource_usage: Record<string, Record<string, number | string>> };
    expect(file.version).toBe("0.1");
    const asSummary = { systems: summary.systems } as Summary;
    expect(Object.keys(file.resource_usage)).toEqual(["aws_kinesis_stream.kds", "aws_sqs_queue.queue", "aws_data_transfer.us-east-1"]);
    expect(file.resource_usage["aws_kinesis_stream.kds"]).toEqual({ monthly_provisioned_put_units: Math.round(quantity(asSummary, "kds", "kinesis.provisioned.putPayloadUnits")) });
    // Every SQS request the cost model bills is one 64 KB chunk, so Infracost's ceil(64 / 64) = 1 request each.
    expect(file.resource_usage["aws_sqs_queue.queue"]).toEqual({ monthly_requests: Math.round(quantity(asSummary, "queue", /^sqs\.standard\.requests$/)), request_size_kb: 64 });
    expect(file.resource_usage["aws_sqs_queue.queue"].monthly_requests).toBeGreaterThan(0);
    // Cross-AZ bytes of the MSK cluster's clients: Infracost bills monthly_intra_region_gb twice ($0.01 each way), our line is $0.02/GB once.
    const crossAz = file.resource_usage["aws_data_transfer.us-east-1"];
    expect(crossAz.region).toBe("us-east-1");
    expect(crossAz.monthly_intra_region_gb).toBeCloseTo(quantity(asSummary, "msk", "dataTransfer.crossAz"), 2);
    // What has no usage key is said in the file's header, not written as a key.
    const text = readFileSync(path, "utf8");
    expect(text).toMatch(/^# Not written: msk: aws_msk_cluster takes no usage keys/m);
    expect(text).not.toContain("aws_msk_cluster.");
  });

  it("writes on-demand Kinesis data, EFO retrieval and self-managed Kafka instance-hours", () => {
    const summary = summaryOf(`name: infracost-mix
duration: 1m
workload:
  - producer: p
    rate: { recordsPerSecond: 200, arrivals: uniform }
    recordSize: { distribution: fixed, size: 2KB }
    keys: { distribution: uniform, cardinality: 100 }
systems:
  - name: stream.one
    kind: kinesis
    capacity: { mode: on-demand }
    consumers: [ { name: reader, type: polling }, { name: fan, type: enhanced-fan-out } ]
  - name: brokers
    kind: kafka
    brokers: { count: 3, instanceType: m5.xlarge }
    topic: { partitions: 6, replicationFactor: 3 }
    consumerGroups: [ { name: g } ]
`);
    const usage = infracostUsage(summary, "eu-west-1").resourceUsage;
    const stream = usage["aws_kinesis_stream.stream_one"];
    expect(stream.monthly_on_demand_data_in_gb).toBeCloseTo(quantity(summary, "stream.one", "kinesis.onDemand.ingest"), 2);
    expect(stream.monthly_on_demand_data_out_gb).toBeCloseTo(quantity(summary, "stream.one", "kinesis.onDemand.retrieval"), 2);
    expect(stream.monthly_on_demand_efo_data_out_gb).toBeCloseTo(quantity(summary, "stream.one", "kinesis.onDemand.efoRetrieval"), 2);
    expect(Number(stream.monthly_on_demand_data_in_gb)).toBeGreaterThan(0);
    // 3 brokers x 720 h billed: each instance ran the cost model's whole 720-hour month.
    expect(usage["aws_instance.brokers[*]"]).toEqual({ monthly_hrs: 720 });
    const crossAz = quantity(summary, "brokers", "dataTransfer.crossAz");
    expect(usage["aws_data_transfer.eu-west-1"]).toEqual({ region: "eu-west-1", monthly_intra_region_gb: Math.round(crossAz * 1000) / 1000 });
  });

  it("writes each Managed Flink application's KPUs, and says when a stream's shard count changed", () => {
    const summary = summaryOf(`name: infracost-flink
duration: 10m
workload:
  - producer: p
    rate: { recordsPerSecond: 500, arrivals: uniform }
    recordSize: { distribution: fixed, size: 1KB }
    keys: { distribution: uniform, cardinality: 100 }
systems:
  - name: kds
    kind: kinesis
    capacity: { mode: provisioned, shards: 2 }
    consumers: [ { name: agg, type: flink, parallelism: 3, processing: { perRecord: 100us } } ]
  - name: msk
    kind: kafka
    brokers: { count: 3, instanceType: kafka.m5.large }
    topic: { partitions: 4, replicationFactor: 3 }
    consumerGroups: []
    flinkApplications: [ { name: agg, type: flink, parallelism: 2, processing: { perRecord: 100us } } ]
timeline:
  - { at: 60s, system: kds, action: update-shard-count, shards: 4 }
`);
    const written = infracostUsage(summary, "us-east-1");
    // Infracost adds the orchestration KPU and 50 GB per KPU itself: the usage key is the KPUs that run the app.
    expect(written.resourceUsage["aws_kinesisanalyticsv2_application.kds_agg"]).toEqual({ kinesis_processing_units: 3 });
    expect(written.resourceUsage["aws_kinesisanalyticsv2_application.msk_agg"]).toEqual({ kinesis_processing_units: 2 });
    expect(quantity(summary, "kds", "flink.kpuHour")).toBeCloseTo(4 * 720, 0);
    // Shard-hours come from the Terraform shard_count: a count that changed in the run (2 to 4 shards, after
    // the minutes UpdateShardCount takes) is said, not written.
    expect(written.notWritten.some((sentence) => sentence.startsWith("kds: shard-hours") && sentence.includes("shard_count"))).toBe(true);
  });

  it("makes Terraform resource names of system names", () => {
    expect(terraformName("kds")).toBe("kds");
    expect(terraformName("stream.one")).toBe("stream_one");
    expect(terraformName("1st-queue")).toBe("_1st-queue");
  });

  it("says why a file cannot be written, exit 2", async () => {
    const outcome = await streamsimInProcess("cost", "test/cli/small.yaml", "--duration", "5s", "--infracost-usage", join(folder, "missing", "usage.yml"));
    expect(outcome.status).toBe(2);
    expect(outcome.stderr).toMatch(/^streamsim: --infracost-usage .*missing\/usage\.yml: ENOENT/);
  });
});
