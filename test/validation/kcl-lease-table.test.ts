// The KCL's DynamoDB lease table (docs/reference.md §1.9). Sources: the KCL's LeaseManagementConfig
// (failoverTimeMillis 10,000 ms, epsilonMillis 25 ms, billing PAY_PER_REQUEST, initial capacity 10/10)
// and LeaseCoordinator (renewals every failoverTimeMillis / 3 - epsilonMillis = 3,308 ms) [KCL-SRC];
// DynamoDB's write unit (one write of an item up to 1 KB) and its us-east-1 prices [DDB-PRICE-OD]
// [DDB-PRICE-PROV]. Checked: lease-table writes per second = leases / renewal interval + checkpoints
// per second (within 1%), and the cost lines equal the price table applied by hand.

import { describe, expect, it } from "vitest";
import { runScenario, type ScenarioResult } from "../../sim/run/index.ts";
import { loadScenarioText } from "../../sim/scenario/index.ts";
import type { KinesisResult, LeaseTableUsage } from "../../sim/metrics/index.ts";

const renewalIntervalS = 10 / 3 - 0.025;

/** 500 records/s over `shards` shards for 10 minutes (1 min warm-up), one KCL consumer. */
function run(shards: number, consumer: string): ScenarioResult {
  const text = [
    "name: kcl-lease-table",
    "seed: 7",
    "duration: 10m",
    "warmup: 1m",
    "workload:",
    "  - producer: p",
    "    rate: { recordsPerSecond: 500, arrivals: uniform }",
    "    recordSize: { distribution: fixed, size: 200B }",
    '    keys: { distribution: uniform, cardinality: 1000, template: "k-{i}" }',
    "systems:",
    "  - name: kds",
    "    kind: kinesis",
    `    capacity: { mode: provisioned, shards: ${shards} }`,
    "    consumers:",
    `      - ${consumer}`,
    "",
  ].join("\n");
  const loaded = loadScenarioText(text, "test/validation/inline.yaml");
  if (!loaded.ok) throw new Error(`inline scenario does not load: ${JSON.stringify(loaded.issues)}`);
  return runScenario(loaded.scenario);
}

function leaseTable(result: ScenarioResult): LeaseTableUsage {
  const system = result.systems[0] as KinesisResult;
  const table = system.usage.leaseTables?.app;
  if (table === undefined) throw new Error("no lease table for the consumer app");
  return table;
}

const windowS = 9 * 60;

describe("KCL lease table writes (docs/reference.md §1.9)", () => {
  it.each([
    ["polling, checkpoint every 60 s", 4, "{ name: app, type: polling }"],
    ["polling, checkpoint every batch", 8, "{ name: app, type: polling, checkpointInterval: 0s }"],
    ["enhanced fan-out, checkpoint every 10 s", 6, "{ name: app, type: enhanced-fan-out, checkpointInterval: 10s }"],
  ])("%s: writes per second = shards / renewal interval + checkpoints per second", (_label, shards, consumer) => {
    const table = leaseTable(run(shards, consumer));
    expect(table.renewalIntervalUs).toBe(3_308_333);
    const writesPerS = (table.renewalWrites + table.checkpointWrites + table.takeWrites) / windowS;
    const expected = shards / renewalIntervalS + table.checkpointWrites / windowS;
    expect(Math.abs(writesPerS - expected) / expected).toBeLessThan(0.01);
    expect(table.checkpointWrites).toBeGreaterThan(0);
  });

  it("checkpointing every batch writes ~one checkpoint per poll per shard; every 60 s one a minute", () => {
    // Polls every 1.5 s (idle time) per shard: ~0.6 checkpoints/s per shard; 60 s: 1/60 per shard.
    const everyBatch = leaseTable(run(4, "{ name: app, type: polling, checkpointInterval: 0s }"));
    const everyMinute = leaseTable(run(4, "{ name: app, type: polling }"));
    expect(everyBatch.checkpointWrites / windowS / 4).toBeGreaterThan(0.5);
    expect(everyBatch.checkpointWrites / windowS / 4).toBeLessThan(0.7);
    expect(everyMinute.checkpointWrites).toBeGreaterThanOrEqual(4 * 8);
    expect(everyMinute.checkpointWrites).toBeLessThanOrEqual(4 * 10);
  });
});

describe("KCL lease table cost by hand (docs/reference.md §1.9)", () => {
  it("on-demand: write request units x $0.625 per million, read request units x $0.125 per million, projected to 720 h", () => {
    const result = run(4, "{ name: app, type: polling, checkpointInterval: 0s }");
    const table = leaseTable(result);
    const monthlyFactor = 720 / (windowS / 3600);
    const lines = result.costs[0].lineItems;
    const writes = lines.find((line) => line.price === "dynamodb.onDemand.writeRequestUnits")!;
    const reads = lines.find((line) => line.price === "dynamodb.onDemand.readRequestUnits")!;
    const writeUnits = table.renewalWrites + table.checkpointWrites + table.takeWrites;
    expect(writes.monthlyUsd).toBeCloseTo(((writeUnits * monthlyFactor) / 1e6) * 0.625, 9);
    // Four workers each scan 4 items (4 KB: one eventually consistent half unit) every 20.05 s.
    expect(table.readUnits).toBeCloseTo((4 * 0.5 * windowS) / 20.05, 6);
    expect(reads.monthlyUsd).toBeCloseTo(((table.readUnits * monthlyFactor) / 1e6) * 0.125, 9);
  });

  it("provisioned: WCU-hours x $0.00065 and RCU-hours x $0.00013 for 720 hours", () => {
    const result = run(4, "{ name: app, type: polling, leaseTable: { billing: provisioned, writeCapacity: 5, readCapacity: 3 } }");
    const lines = result.costs[0].lineItems;
    expect(lines.find((line) => line.price === "dynamodb.provisioned.wcuHour")!.monthlyUsd).toBeCloseTo(5 * 720 * 0.00065, 9);
    expect(lines.find((line) => line.price === "dynamodb.provisioned.rcuHour")!.monthlyUsd).toBeCloseTo(3 * 720 * 0.00013, 9);
  });
});

describe("a provisioned lease table too small for its load", () => {
  it("throttles checkpoints (counted, and the checkpoint waits) once the burst capacity is spent", () => {
    // 20 shards renew 6.05 writes/s against 5 WCU: renewals alone exceed the capacity, so
    // checkpoints find no capacity left once the initial units are spent.
    const table = leaseTable(run(20, "{ name: app, type: polling, checkpointInterval: 0s, leaseTable: { billing: provisioned, writeCapacity: 5 } }"));
    expect(table.throttledCheckpoints).toBeGreaterThan(0);
    expect(table.throttledRenewals).toBeGreaterThan(0);
    const ample = leaseTable(run(20, "{ name: app, type: polling, checkpointInterval: 0s, leaseTable: { billing: provisioned, writeCapacity: 100 } }"));
    expect(ample.throttledCheckpoints).toBe(0);
    expect(ample.throttledRenewals).toBe(0);
  });
});

describe("lease-table findings", () => {
  const codes = (result: ScenarioResult) => result.systems[0].findings.map((finding) => finding.code);

  it("checkpointing every batch is flagged with its write units and duplicate window; every 60 s is not", () => {
    const everyBatch = run(4, "{ name: app, type: polling, checkpointInterval: 0s }");
    const finding = everyBatch.systems[0].findings.find((candidate) => candidate.code === "kcl-checkpoint-frequent");
    expect(finding).toBeDefined();
    // One checkpoint per poll: ~1.6 s between checkpoints per shard.
    expect(Number(finding!.evidence.checkpointGapSecondsMean)).toBeGreaterThan(1.3);
    expect(Number(finding!.evidence.checkpointGapSecondsMean)).toBeLessThan(2);
    expect(finding!.evidence.duplicateWindowSecondsMax).toBe(0);
    expect(codes(run(4, "{ name: app, type: polling }"))).not.toContain("kcl-checkpoint-frequent");
  });

  it("a provisioned table too small is critical; many shards on one worker is flagged", () => {
    expect(codes(run(20, "{ name: app, type: polling, leaseTable: { billing: provisioned, writeCapacity: 5 } }"))).toContain("kcl-lease-table-throttled");
    expect(codes(run(30, "{ name: app, type: polling, leaseTable: { workers: 1 } }"))).toContain("kcl-many-shards-per-worker");
    expect(codes(run(30, "{ name: app, type: polling, leaseTable: { workers: 2 } }"))).not.toContain("kcl-many-shards-per-worker");
  });
});
