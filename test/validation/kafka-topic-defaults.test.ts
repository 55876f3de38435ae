// Topic defaults, unclean leader election and NotEnoughReplicas against their sources
// (docs/reference.md §3.3): Amazon MSK's default configuration (RF 3, min.insync.replicas 2, unclean
// leader election true on a 3-AZ cluster; Apache Kafka: 1, 1, false), and the outage a producer with
// acks=all sees when two of three brokers are down: writes are refused (NotEnoughReplicas) for as long
// as the ISR is below min.insync.replicas, not only for the 9 s of fencing.
// Availability Zones (MSK Developer Guide, "Create an MSK Provisioned cluster": 2 or 3 subnets in distinct
// AZs, brokers distributed evenly over them; "Remove a broker": one broker per AZ): an MSK cluster's
// broker count is a multiple of its AZ count, 4 brokers are a 2-AZ cluster (RF 2, min.insync 1), 5 is
// no MSK cluster (a load error), and a client reaches a leader in another AZ (AZs - 1) / AZs of the time.

import { describe, expect, it } from "vitest";
import { runScenario } from "../../sim/run/index.ts";
import { billingWindow, PriceBook, systemCost } from "../../sim/cost/index.ts";
import { formatIssue, loadScenarioText } from "../../sim/scenario/index.ts";
import type { KafkaSystem } from "../../sim/scenario/types.ts";
import { expectAccountingCloses } from "../support/accounting.ts";
import { onlySystem, result, scenarioWith } from "../cost/fixtures.ts";

function load(systems: string, timeline = "", duration = "2m") {
  const yaml = `
name: topic-defaults
seed: 7
duration: ${duration}
workload:
  - producer: p
    rate: { recordsPerSecond: 200, arrivals: uniform }
    recordSize: { distribution: fixed, size: 100B }
    keys: { distribution: uniform, cardinality: 100 }
systems:
${systems}
${timeline === "" ? "" : `timeline:\n${timeline}`}
`;
  const loaded = loadScenarioText(yaml, "topic-defaults.yaml");
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues));
  return loaded.scenario;
}

describe("topic defaults (MSK default configuration; Apache Kafka LogConfig)", () => {
  it("an MSK system without replication settings gets RF 3, min.insync 2, unclean election; EC2 gets 1, 1, none", () => {
    const scenario = load(`  - { name: msk, kind: kafka, brokers: { count: 3, instanceType: kafka.m5.large }, topic: { partitions: 3 } }
  - { name: ec2, kind: kafka, brokers: { count: 3, instanceType: m5.xlarge }, topic: { partitions: 3 } }
  - { name: two, kind: kafka, brokers: { count: 2, instanceType: kafka.m5.large }, topic: { partitions: 3 } }`);
    const topics = scenario.systems.map((system) => (system as KafkaSystem).topic);
    expect(topics.map((t) => [t.replicationFactor, t.minInsyncReplicas, t.uncleanLeaderElection])).toEqual([
      [3, 2, true],
      [1, 1, false],
      [2, 1, true],
    ]);
  });
});

describe("Availability Zones of an MSK cluster (brokers a multiple of 2 or 3 AZs)", () => {
  const replication = (systems: string) =>
    load(systems).systems.map((system) => [(system as KafkaSystem).topic.replicationFactor, (system as KafkaSystem).topic.minInsyncReplicas]);

  it("4 brokers are a 2-AZ cluster (RF 2, min.insync 1); 6 are 3 AZs unless availabilityZones says 2", () => {
    expect(
      replication(`  - { name: four, kind: kafka, brokers: { count: 4, instanceType: kafka.m5.large }, topic: { partitions: 4 } }
  - { name: six, kind: kafka, brokers: { count: 6, instanceType: kafka.m5.large }, topic: { partitions: 6 } }
  - { name: sixin2, kind: kafka, brokers: { count: 6, instanceType: kafka.m5.large, availabilityZones: 2 }, topic: { partitions: 6 } }`),
    ).toEqual([
      [2, 1],
      [3, 2],
      [2, 1],
    ]);
  });

  const issues = (brokers: string) => {
    const loaded = loadScenarioText(
      `name: az\nduration: 1m\nworkload:\n  - producer: p\n    rate: { recordsPerSecond: 10 }\n    recordSize: { distribution: fixed, size: 100B }\n    keys: { distribution: uniform, cardinality: 10 }\nsystems:\n  - { name: k, kind: kafka, brokers: ${brokers}, topic: { partitions: 3 } }\n`,
      "az.yaml",
    );
    return loaded.ok ? [] : loaded.issues.map(formatIssue);
  };

  it("5 MSK brokers, or 4 in 3 AZs, are load errors naming the line, column and rule; 5 EC2 brokers are fine", () => {
    const [five] = issues("{ count: 5, instanceType: kafka.m5.large }");
    expect(five).toMatch(/^az\.yaml:9:\d+ .*multiple of 2 or 3.*found 5/);
    const [fourIn3] = issues("{ count: 4, instanceType: kafka.m5.large, availabilityZones: 3 }");
    expect(fourIn3).toMatch(/^az\.yaml:9:\d+ .*multiple of availabilityZones \(3\).*found 4/);
    expect(issues("{ count: 5, instanceType: m5.xlarge }")).toEqual([]);
  });

  it("a 2-AZ cluster's clients cross AZs half the time, and the cost note says so", () => {
    // 1 GB of log bytes in a 1 h window is 720 GB a month; half of it crosses AZs: 360 GB.
    const scenario = scenarioWith("  - { name: k, kind: kafka, brokers: { count: 2, instanceType: kafka.m5.large }, topic: { partitions: 2 } }");
    const system = onlySystem(scenario);
    const cost = systemCost(system, result("k", "kafka", { logBytes: 1024 ** 3 }), billingWindow(scenario.warmupUs, scenario.durationUs), new PriceBook(scenario.region, scenario.pricing));
    expect(cost.lineItems.find((item) => item.item === "cross-AZ traffic: producers to leaders")?.quantity).toBeCloseTo(360, 9);
    expect(cost.assumptions.join("\n")).toContain("spread evenly over 2 Availability Zones; a client reaches the partition leader in another AZ 1/2 of the time");
  });
});

describe("NotEnoughReplicas counts as unavailability", () => {
  it("RF 3, min.insync 2, two brokers down for 30 s: the longest outage is ~30 s, not the 9 s of fencing", () => {
    const scenario = load(
      `  - { name: k, kind: kafka, brokers: { count: 3, instanceType: kafka.m5.large }, topic: { partitions: 3 }, producer: { acks: all } }`,
      `  - { at: 30s, system: k, action: broker-down, broker: 0, for: 30s }
  - { at: 30s, system: k, action: broker-down, broker: 1, for: 30s }`,
    );
    const system = runScenario(scenario).systems[0]!;
    const finding = system.findings.find((f) => f.code === "partitions-unavailable");
    // Availability is counted once a simulated second: +-2 s covers the two edges.
    expect(Number(finding?.evidence.longestSeconds)).toBeGreaterThanOrEqual(28);
    expect(Number(finding?.evidence.longestSeconds)).toBeLessThanOrEqual(32);
    expectAccountingCloses(system);
  });
});

describe("unclean leader election (unclean.leader.election.enable)", () => {
  // RF 2 on brokers 0 and 1, acks=1. Broker 1 (a follower) goes down at 20 s and is fenced out of the
  // ISR at 29 s, holding the records up to 20 s. Broker 0 (the leader) goes down at 40 s: with no
  // in-sync follower the partition is offline. Broker 1 returns at 60 s, before broker 0. With unclean
  // election it leads at once, with only what it had: the records accepted from 20 s to 40 s (~4,000 at
  // 200/s; all on partition 0's single key) are lost, exactly those. Without it the partition waits for broker 0.
  const system = (unclean: boolean) => {
    const scenario = load(
      `  - { name: k, kind: kafka, brokers: { count: 2, instanceType: kafka.m5.large }, topic: { partitions: 1, replicationFactor: 2, minInsyncReplicas: 1, uncleanLeaderElection: ${unclean} }, producer: { acks: 1, latency: { median: 0s, p99: 0s } }, consumerGroups: [ { name: g } ] }`,
      `  - { at: 20s, system: k, action: broker-down, broker: 1, for: 40s }
  - { at: 40s, system: k, action: broker-down, broker: 0, for: 60s }`,
    );
    return runScenario(scenario).systems[0]!;
  };

  it("an out-of-sync replica elected loses exactly the records accepted after it left", () => {
    const result = system(true);
    const finding = result.findings.find((f) => f.code === "records-lost");
    // 200 records/s for the 20 s between the follower's stop and the leader's: 4,000, +-1 s of records
    // for the batches at each edge (linger 5 ms, so far less in practice).
    const lost = Number(finding?.evidence.uncleanElection);
    expect(lost).toBeGreaterThan(3_800);
    expect(lost).toBeLessThan(4_200);
    // The group had processed them before the leader failed (the high watermark passed them once the
    // follower was fenced): consumed, so not lost to it; the identities close.
    expect(result.consumers[0]!.records.lost).toBe(0);
    expectAccountingCloses(result);
  });

  it("without unclean election nothing is lost and the partition waits for the last in-sync replica", () => {
    const result = system(false);
    expect(result.consumers[0]!.records.lost).toBe(0);
    const finding = result.findings.find((f) => f.code === "partitions-unavailable");
    expect(Number(finding?.evidence.longestSeconds)).toBeGreaterThanOrEqual(59);
    expectAccountingCloses(result);
  });
});
