// What the throughput chart calls offered and retries, checked against figures known without the
// simulator. Offered: the workload's own definition (docs/scenarios.md, Poisson arrivals): at 2,000
// records/s a 60 s interval holds 120,000 records on average with a standard deviation of
// sqrt(120,000) = 346; every interval must fall within 4 standard deviations (1.2%), and, as one
// workload feeds all three systems (common random numbers), each system must be offered exactly the
// same records. Retries: every attempt a write limit refused (Kinesis ProvisionedThroughputExceeded,
// docs/reference.md §1.2; SQS FIFO's 300 calls/s per action, docs/reference.md §4) or that failed
// (Kafka: no leader or too few in-sync replicas, docs/reference.md §3.2) is tried again, dropped, or
// still waiting at the end; so retried records lie between throttled - dropped - pending and
// throttled - dropped (Kinesis, SQS), and at most at the failed attempts (Kafka, whose delivery
// timeout also drops batches that never failed). On the old code offered counted every attempt (a
// third more for the throttled Kinesis stream) and no system reported retries.

import { describe, expect, it } from "vitest";
import type { SystemResult } from "../../sim/metrics/index.ts";
import { runScenario } from "../../sim/run/index.ts";
import { loadScenarioFile, loadScenarioText } from "../../sim/scenario/index.ts";
import { runHeadline } from "../reports/headline.ts";

function run(file: string, durationUs: number): SystemResult[] {
  const loaded = loadScenarioFile(file, { durationUs });
  if (!loaded.ok) throw new Error(`${file}: ${JSON.stringify(loaded.issues)}`);
  return runScenario(loaded.scenario).systems;
}

const perInterval = (system: SystemResult) => Array.from({ length: system.series.ProducedRecords.intervalCount }, (_, i) => system.series.ProducedRecords.sumAt(i));

describe("offered is the workload's demand, retries are counted apart", () => {
  it("offers Kinesis, Kafka and SQS the same Poisson workload: 120,000 records a minute within 4 standard deviations", () => {
    const systems = run("scenarios/three-systems.yaml", 180_000_000);
    const expected = 2000 * 60;
    for (const count of perInterval(systems[0])) expect(Math.abs(count - expected)).toBeLessThan(4 * Math.sqrt(expected));
    for (const system of systems) {
      expect(perInterval(system)).toEqual(perInterval(systems[0]));
      expect(system.series.RetriedRecords.total).toBe(0);
    }
  }, 60_000);

  it("counts a throttled Kinesis stream's retries as its throttled records less those dropped or still waiting", () => {
    const kds = runHeadline().systems.find((system) => system.kind === "kinesis")!;
    const { throttledAttempts, dropped, pending } = kds.records;
    const retried = kds.series.RetriedRecords.total;
    expect(retried).toBeGreaterThan(0.1 * kds.records.produced);
    expect(retried).toBeLessThanOrEqual(throttledAttempts - dropped);
    expect(retried).toBeGreaterThanOrEqual(throttledAttempts - dropped - pending);
  }, 60_000);

  it("counts a Kafka producer's retries after a broker failure, at most one per failed attempt", () => {
    // A broker down under acks=all with replication factor 2 and min.insync.replicas 2: the leaders left
    // refuse writes (NotEnoughReplicas), failed attempts the client retries. (Batches held while a
    // partition has no live leader are not attempts: the client sends nothing then.)
    const yaml = [
      "name: kafka-not-enough-replicas",
      "seed: 5",
      "duration: 40s",
      "warmup: 0s",
      "workload:",
      "  - producer: p",
      "    rate: { recordsPerSecond: 1000 }",
      "    recordSize: { distribution: fixed, size: 200B }",
      '    keys: { distribution: uniform, cardinality: 1000, template: "k-{i}" }',
      "systems:",
      "  - name: msk",
      "    kind: kafka",
      "    brokers: { count: 2 }",
      "    topic: { partitions: 4, replicationFactor: 2, minInsyncReplicas: 2 }",
      "    producer: { acks: all }",
      "timeline:",
      "  - { at: 5s, system: msk, action: broker-down, broker: 1, for: 15s }",
    ].join("\n");
    const loaded = loadScenarioText(yaml, "kafka-not-enough-replicas.yaml");
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues));
    const msk = runScenario(loaded.scenario).systems[0];
    const retried = msk.series.RetriedRecords.total;
    expect(msk.records.throttledAttempts).toBeGreaterThan(0);
    expect(retried).toBeGreaterThan(0);
    expect(retried).toBeLessThanOrEqual(msk.records.throttledAttempts);
    expect(retried).toBeGreaterThanOrEqual(msk.records.throttledAttempts - msk.records.dropped - msk.records.pending);
  }, 120_000);

  it("counts an SQS FIFO producer's retries when its sends pass the 300 calls/s limit", () => {
    // 500 single-message sends per second against 300 calls/s: two in five calls are throttled at first.
    const yaml = [
      "name: fifo-over-limit",
      "seed: 3",
      "duration: 2m",
      "warmup: 30s",
      "workload:",
      "  - producer: devices",
      "    rate: { recordsPerSecond: 500, arrivals: poisson }",
      "    recordSize: { distribution: fixed, size: 512B }",
      '    keys: { distribution: uniform, cardinality: 100, template: "device-{i}" }',
      "systems:",
      "  - name: orders-fifo",
      "    kind: sqs",
      "    queue: { type: fifo, visibilityTimeout: 30s }",
      "    producer: { batch: { maxMessages: 1, linger: 0ms } }",
    ].join("\n");
    const loaded = loadScenarioText(yaml, "fifo-over-limit.yaml");
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues));
    const queue = runScenario(loaded.scenario).systems[0];
    const { throttledAttempts, dropped, pending } = queue.records;
    const retried = queue.series.RetriedRecords.total;
    expect(retried).toBeGreaterThan(0.5 * queue.records.produced);
    expect(retried).toBeLessThanOrEqual(throttledAttempts - dropped);
    expect(retried).toBeGreaterThanOrEqual(throttledAttempts - dropped - pending);
  }, 60_000);
});
