// Flink consumers on Kinesis and Kafka: every record read is accounted for through reshards, broker
// failures and backpressure; both sources see the same hot subtask for the same keys; the same seed
// gives the same result.

import { describe, expect, it } from "vitest";
import { resultOfKind } from "../../sim/metrics/index.ts";
import { runScenario } from "../../sim/run/index.ts";
import { expectRunAccountingCloses } from "../support/accounting.ts";
import { loadInline } from "../support/scenarios.ts";

const runTimeoutMs = 180_000;

const scenario = (rate: number) => `name: flink-consumers
seed: 5
duration: 4m
warmup: 30s
report: { interval: 30s }
workload:
  - producer: clicks
    rate: { recordsPerSecond: ${rate} }
    recordSize: { distribution: fixed, size: 300B }
    keys: { distribution: zipf, cardinality: 5000, exponent: 1.1, template: "user-{i}" }
systems:
  - name: kds
    kind: kinesis
    capacity: { mode: provisioned, shards: 4 }
    consumers:
      - { name: app, type: flink, parallelism: 4, parallelismPerKpu: 2, processing: { perRecord: 400us } }
      - { name: efo-app, type: flink, efo: true, parallelism: 3, processing: { perRecord: 200us } }
  - name: msk
    kind: kafka
    brokers: { count: 3, instanceType: kafka.m5.large }
    topic: { partitions: 6 }
    flinkApplications:
      - { name: app, type: flink, parallelism: 4, parallelismPerKpu: 2, processing: { perRecord: 400us } }
timeline:
  - { at: 1m, system: kds, action: update-shard-count, shards: 8 }
  - { at: 2m, system: msk, action: broker-down, broker: 0, for: 40s }
`;

describe("Flink consumers", () => {
  it("account for every record through a reshard, a broker failure and backpressure, on both sources", () => {
    const result = runScenario(loadInline(scenario(2500)));
    expectRunAccountingCloses(result);
    const kinesis = resultOfKind(result.systems[0]!, "kinesis");
    const kafka = resultOfKind(result.systems[1]!, "kafka");
    const kinesisApp = kinesis.consumers.find((c) => c.name === "app")!.flink!;
    const kafkaApp = kafka.consumers.find((c) => c.name === "app")!.flink!;
    expect(kinesisApp.kpus).toBe(2);
    expect(kinesisApp.billedKpus).toBe(3);
    // Same keys, same routing: the same subtask is the busiest, with the same busiest key and key group.
    const busiest = (stats: typeof kinesisApp) => [...stats.subtasks].sort((a, b) => b.recordsAfterWarmup - a.recordsAfterWarmup)[0]!;
    expect(busiest(kafkaApp).index).toBe(busiest(kinesisApp).index);
    expect(busiest(kafkaApp).topKeys[0]).toEqual(busiest(kinesisApp).topKeys[0]);
    expect(kinesis.consumers.find((c) => c.name === "efo-app")!.flink!.source).toContain("enhanced fan-out");
  }, runTimeoutMs);

  it("gives the same result for the same seed", () => {
    const once = runScenario(loadInline(scenario(1200)));
    const twice = runScenario(loadInline(scenario(1200)));
    const pick = (run: typeof once) => run.systems.map((system) => system.consumers.map((c) => [c.records, c.flink?.subtasks.map((s) => s.records), c.lag.quantile(0.99)]));
    expect(pick(twice)).toEqual(pick(once));
  }, runTimeoutMs);
});

// Restarts (docs/reference.md §8.6) with windows, backpressure and resharding in the same run: every
// record is still accounted for, the window state comes back from the checkpoint, and the same seed
// gives the same result.
describe("Flink restarts through resharding and backpressure", () => {
  const restartScenario = `name: flink-restarts
seed: 9
duration: 5m
warmup: 30s
report: { interval: 30s }
workload:
  - producer: clicks
    rate: { recordsPerSecond: 1500 }
    recordSize: { distribution: fixed, size: 300B }
    keys: { distribution: zipf, cardinality: 5000, exponent: 1.1, template: "user-{i}" }
systems:
  - name: kds
    kind: kinesis
    capacity: { mode: provisioned, shards: 2 }
    consumers:
      - { name: app, type: flink, parallelism: 2, processing: { perRecord: 1ms }, window: { size: 10s, outOfOrderness: 1s }, checkpoints: { interval: 20s, stateSize: 2GiB }, restartDowntime: 10s }
  - name: msk
    kind: kafka
    brokers: { count: 3, instanceType: kafka.m5.large }
    topic: { partitions: 3 }
    flinkApplications:
      - { name: app, type: flink, parallelism: 2, processing: { perRecord: 1ms }, window: { size: 10s, outOfOrderness: 1s }, checkpoints: { interval: 20s }, restartDowntime: 10s, sink: exactly-once }
timeline:
  - { at: 70s, system: kds, action: flink-restart, application: app }
  - { at: 75s, system: kds, action: flink-restart, application: app }
  - { at: 90s, system: kds, action: update-shard-count, shards: 4 }
  - { at: 95s, system: kds, action: flink-restart, application: app }
  - { at: 150s, system: msk, action: flink-restart, application: app }
  - { at: 200s, system: msk, action: broker-down, broker: 0, for: 30s }
  - { at: 210s, system: msk, action: flink-restart, application: app }
`;

  it("closes the accounting, counts duplicates only at the at-least-once sink, and slows checkpoints by their state", () => {
    const first = runScenario(loadInline(restartScenario));
    expectRunAccountingCloses(first);
    const [kds, msk] = first.systems.map((system) => system.consumers[0]!);
    const kinesis = kds!.flink!.checkpoints;
    const kafka = msk!.flink!.checkpoints;
    // The restart at 75 s falls inside the downtime of the one at 70 s: folded into it.
    expect(kinesis.restarts.map((restart) => restart.atUs / 1e6)).toEqual([70, 95]);
    expect(kafka.restarts.map((restart) => restart.atUs / 1e6)).toEqual([150, 210]);
    expect(kinesis.reprocessedRecords).toBeGreaterThan(0);
    expect(kds!.records.duplicates).toBe(kinesis.reprocessedRecords);
    expect(kafka.reprocessedRecords).toBeGreaterThan(0);
    expect(msk!.records.duplicates).toBe(0);
    // 2 GiB over two KPUs at 100 MiB/s each: every Kinesis checkpoint takes at least 10.24 s (the
    // histogram's buckets are a few percent wide); the Kafka ones, without state, are quick.
    expect(kinesis.durationUs.quantile(0.5)).toBeGreaterThan(10_000_000);
    expect(kinesis.durationUs.max).toBeLessThan(20_000_000);
    expect(kafka.durationUs.max).toBeLessThan(5_000_000);
    expect(kds!.flink!.windows!.windowsFired).toBeGreaterThan(0);
    const again = runScenario(loadInline(restartScenario));
    expect(again.systems.map((system) => system.consumers[0]!.records)).toEqual(first.systems.map((system) => system.consumers[0]!.records));
  }, runTimeoutMs);
});
