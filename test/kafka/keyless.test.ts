import { describe, expect, it } from "vitest";
import { runScenario } from "../../sim/run/index.ts";
import { loadScenarioText } from "../../sim/scenario/index.ts";

// Records without a key go through Kafka's uniform sticky partitioner (docs/reference.md §3.1): a partition takes
// records until about batch.size bytes went there, then a new one is drawn uniformly.
const yaml = `
name: keyless
seed: 7
duration: 2m
workload:
  - producer: logs
    rate: { recordsPerSecond: 5000, arrivals: poisson }
    recordSize: { distribution: fixed, size: 500B }
    keys: { distribution: none }
systems:
  - name: k
    kind: kafka
    brokers: { count: 3, instanceType: kafka.m5.large }
    topic: { partitions: 6, replicationFactor: 3, minInsyncReplicas: 2 }
    consumerGroups:
      - { name: g, consumers: 2 }
`;

describe("records without a key", () => {
  const loaded = loadScenarioText(yaml, "keyless.yaml");
  if (!loaded.ok) throw new Error("the keyless scenario does not load");
  const result = runScenario(loaded.scenario);
  const system = result.systems[0]!;

  it("spread evenly over the partitions, a sticky stint at a time", () => {
    // ~600k records of ~570 B serialized: a stint is ~29 records (16 KiB), so each partition gets
    // ~3,400 stints and its share has a relative standard deviation near 1/sqrt(3,400) = 1.7%:
    // ±10% is more than 5 standard deviations.
    const accepted = system.partitions.map((partition) => partition.acceptedRecords);
    const fair = system.records.accepted / accepted.length;
    for (const records of accepted) expect(Math.abs(records / fair - 1)).toBeLessThan(0.1);
    expect(system.records.accepted + system.records.pending + system.records.dropped).toBe(system.records.produced);
  });

  it("name no key as hot, and the producer summary says the records carry none", () => {
    expect(system.findings.filter((finding) => finding.code === "hot-partition")).toEqual([]);
    for (const partition of system.partitions) expect(partition.topKeys).toEqual([]);
    expect(result.producers[0]!.keys.keyless).toBe(true);
  });
});
