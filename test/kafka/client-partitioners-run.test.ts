// The scenario's `partitioner:` in a run: keyed records go where the client's hash puts them, keyless
// records follow the client's own rule, and a fleet that mixes hashes is flagged.
import { describe, expect, it } from "vitest";
import { keyPartitionerOf } from "../../sim/kafka/client-partitioners.ts";
import { runScenario } from "../../sim/run/index.ts";
import { loadScenarioText } from "../../sim/scenario/index.ts";

function run(producerBlock: string, keys: string, producers = ["app"]) {
  const workload = producers
    .map((name) => `  - producer: ${name}\n    rate: { recordsPerSecond: 400, arrivals: uniform }\n    recordSize: { distribution: fixed, size: 200B }\n    keys: ${keys}`)
    .join("\n");
  const yaml = `name: partitioners\nseed: 3\nduration: 20s\nworkload:\n${workload}\nsystems:\n  - name: k\n    kind: kafka\n    brokers: { count: 3 }\n    topic: { partitions: 6 }\n    producer: ${producerBlock}\n`;
  const loaded = loadScenarioText(yaml, "partitioners.yaml");
  if (!loaded.ok) throw new Error(loaded.issues.map((issue) => issue.message).join("; "));
  return runScenario(loaded.scenario).systems[0]!;
}

describe("the Kafka producer's partitioner", () => {
  it("one key goes to the partition its client's hash names", () => {
    for (const name of ["murmur2", "consistent_random", "sarama"] as const) {
      const system = run(`{ partitioner: ${name} }`, `{ distribution: uniform, cardinality: 1, template: "order-{i}" }`);
      const expected = keyPartitionerOf(name)("order-0", 6);
      expect(system.partitions.map((p) => p.acceptedRecords > 0)).toEqual([0, 1, 2, 3, 4, 5].map((p) => p === expected));
    }
  });

  it("keyless records: sarama spreads per record, librdkafka sticks for sticky.partitioning.linger.ms", () => {
    const perRecord = run(`{ partitioner: sarama }`, `{ distribution: none }`);
    const sticky = run(`{ partitioner: consistent_random, stickyPartitioningLinger: 5s }`, `{ distribution: none }`);
    // 8,000 records: sarama's per-record draws give each partition about 1,333 (sd 33); with a 5 s
    // stickiness at most 5 stints (20 s), so at least one partition gets none.
    for (const partition of perRecord.partitions) expect(Math.abs(partition.acceptedRecords - 8000 / 6)).toBeLessThan(200);
    expect(sticky.partitions.filter((partition) => partition.acceptedRecords === 0).length).toBeGreaterThan(0);
    expect(sticky.records.produced).toBe(perRecord.records.produced);
  });

  it("a fleet mixing murmur2 and consistent_random over the same keys is flagged with the keys it splits", () => {
    const system = run(`{ partitioner: murmur2, partitioners: { python: consistent_random } }`, `{ distribution: uniform, cardinality: 50, template: "k-{i}" }`, ["java", "python"]);
    const finding = system.findings.find((f) => f.code === "mixed-partitioners");
    expect(finding?.severity).toBe("warning");
    expect(finding?.evidence.sharedKeys).toBe(50);
    const java = keyPartitionerOf("murmur2");
    const python = keyPartitionerOf("consistent_random");
    const split = Array.from({ length: 50 }, (_, i) => `k-${i}`).filter((key) => java(key, 6) !== python(key, 6)).length;
    expect(finding?.evidence.splitKeys).toBe(split);
    expect(run(`{ partitioner: murmur2, partitioners: { python: murmur2_random } }`, `{ distribution: uniform, cardinality: 50, template: "k-{i}" }`, ["java", "python"]).findings.some((f) => f.code === "mixed-partitioners")).toBe(false);
  });

  it("a per-producer partitioner must name a workload producer", () => {
    const yaml = `name: p\nduration: 10s\nworkload:\n  - producer: app\n    rate: { recordsPerSecond: 10 }\n    recordSize: { distribution: fixed, size: 100B }\n    keys: { distribution: uniform, cardinality: 5 }\nsystems:\n  - name: k\n    kind: kafka\n    brokers: { count: 1 }\n    topic: { partitions: 2 }\n    producer: { partitioners: { ap: sarama } }\n`;
    const loaded = loadScenarioText(yaml, "p.yaml");
    expect(loaded.ok).toBe(false);
    if (!loaded.ok) expect(loaded.issues.map((issue) => issue.message).join("\n")).toContain('unknown workload producer "ap"; did you mean "app"?');
  });
});
