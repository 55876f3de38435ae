// The good path of scenario loading: defaults from the real services, units converted once, rate
// phases covering the run, the record-size cap rule, overrides, key files and timeline order.

import { describe, expect, it } from "vitest";
import {
  formatIssue,
  loadScenarioFile,
  loadScenarioText,
  recordCapWithoutSystemsBytes,
  type LoadOptions,
  type Scenario,
} from "../../sim/scenario/index.ts";

const secondUs = 1_000_000;
const minuteUs = 60 * secondUs;
const hourUs = 60 * minuteUs;
const dayUs = 24 * hourUs;
const KiB = 1024;
const MiB = 1024 * KiB;

const producerYaml = `
  - producer: sensors
    rate: { recordsPerSecond: 100 }
    recordSize: { distribution: fixed, size: 1KiB }
    keys: { distribution: uniform, cardinality: 10 }`;

/** Loads scenario text that must be valid; a failure shows every issue. */
function load(text: string, options: LoadOptions = {}): Scenario {
  const loaded = loadScenarioText(text, "test/scenario/inline.yaml", options);
  if (!loaded.ok) throw new Error(`expected a valid scenario:\n${loaded.issues.map(formatIssue).join("\n")}`);
  return loaded.scenario;
}

function issuesOf(text: string, options: LoadOptions = {}): string[] {
  const loaded = loadScenarioText(text, "test/scenario/inline.yaml", options);
  return loaded.ok ? [] : loaded.issues.map(formatIssue);
}

function withRate(rate: string, duration = "1m"): Scenario {
  return load(`name: rates
duration: ${duration}
workload:
  - producer: p
    rate: ${rate}
    recordSize: { distribution: fixed, size: 1KiB }
    keys: { distribution: uniform, cardinality: 10 }
`);
}

function withSize(recordSize: string, systems: string): Scenario {
  return load(`name: sizes
duration: 1m
workload:
  - producer: p
    rate: { recordsPerSecond: 10 }
    recordSize: ${recordSize}
    keys: { distribution: uniform, cardinality: 10 }
systems: ${systems}
`);
}

describe("defaults from the real services", () => {
  const scenario = load(`name: defaults
duration: 1m
workload:${producerYaml}
systems:
  - { name: kds, kind: kinesis, capacity: { mode: provisioned, shards: 2 }, consumers: [ { name: analytics, type: polling } ] }
  - { name: msk, kind: kafka, brokers: { count: 3 }, topic: { partitions: 6 }, consumerGroups: [ { name: analytics } ] }
  - { name: queue, kind: sqs, consumers: [ { name: workers } ] }
`);
  const [kinesis, kafka, sqs] = scenario.systems;

  it("fills the run's own defaults", () => {
    expect(scenario.seed).toBe(1);
    expect(scenario.warmupUs).toBe(0);
    expect(scenario.reportIntervalUs).toBe(minuteUs);
    expect(scenario.description).toBeNull();
    expect(scenario.startEpochMs).toBe(Date.UTC(2026, 0, 1));
    expect(scenario.timeline).toEqual([]);
  });

  it("Kinesis: 1 MiB records, 24 h retention, PutRecords batches of 500 / 10 MiB, 100 ms linger, KCL 2.x/3.x polling every 1.5 s", () => {
    if (kinesis.kind !== "kinesis") throw new Error("expected kinesis first");
    expect(kinesis.maxRecordSize).toBe(1_048_576);
    expect(kinesis.retention).toBe(24 * hourUs);
    expect(kinesis.producer.batch).toEqual({ maxRecords: 500, maxBytes: 10 * MiB, linger: 100_000 });
    expect(kinesis.producer.retry).toEqual({ maxAttempts: 3, baseDelay: 100_000, maxDelay: 20 * secondUs, jitter: "full", policy: "attempts", recordTtl: 30 * secondUs });
    expect(kinesis.consumers[0]).toMatchObject({ pollInterval: 1_500_000, maxRecords: 10_000, processing: { perRecord: 0, perBatch: 0 } });
  });

  it('Kafka on MSK: acks "all", linger 5 ms, batch 16384 B, max request 1 MiB, replication 3, min ISR 2, unclean election, retention 168 h, 1 GiB segments, reset latest', () => {
    if (kafka.kind !== "kafka") throw new Error("expected kafka second");
    expect(kafka.producer).toMatchObject({ acks: "all", linger: 5_000, batchSize: 16_384, maxRequestSize: 1_048_576, deliveryTimeout: 120 * secondUs });
    expect(kafka.brokers.instanceType).toBe("kafka.m5.large");
    // MSK's default configuration for a 3-AZ cluster (docs/reference.md §3.3).
    expect(kafka.topic).toMatchObject({ replicationFactor: 3, minInsyncReplicas: 2, uncleanLeaderElection: true, retention: 168 * hourUs, segmentBytes: 2 ** 30, segmentAge: 168 * hourUs });
    expect(kafka.consumerGroups[0]).toMatchObject({ consumers: 1, assignment: "range", maxPollRecords: 500, fetchMaxWait: 500_000, autoCommitInterval: 5 * secondUs, autoOffsetReset: "latest" });
  });

  it("SQS: standard queue, visibility timeout 30 s, retention 4 d, 1 MiB messages, one message per call", () => {
    if (sqs.kind !== "sqs") throw new Error("expected sqs third");
    expect(sqs.queue).toEqual({ type: "standard", visibilityTimeout: 30 * secondUs, retention: 4 * dayUs, delay: 0, maxMessageSize: MiB, highThroughput: false, duplicateDeliveryProbability: 0 });
    expect(sqs.queue.maxReceiveCount).toBeUndefined();
    expect(sqs.producer.batch).toEqual({ maxMessages: 1, linger: 0 });
    expect(sqs.consumers[0]).toMatchObject({ count: 1, maxMessages: 1, waitTime: 0 });
  });
});

describe("unit conversion", () => {
  const scenario = load(`name: units
duration: 1h30m
warmup: 2.5s
report: { interval: 90s }
workload:
  - producer: p
    rate: { recordsPerSecond: 10 }
    recordSize: { distribution: uniform, min: 1.5KiB, max: 1MB }
    keys: { distribution: uniform, cardinality: 10 }
systems:
  - name: kds
    kind: kinesis
    capacity: { mode: provisioned, shards: 2 }
    maxRecordSize: 2MiB
    producer: { batch: { linger: 250us, maxBytes: 5MB } }
    consumers: [ { name: a, type: polling, processing: { perRecord: 50us, perBatch: 1.5ms } } ]
`);

  it("turns durations into integer microseconds", () => {
    expect(scenario.durationUs).toBe(90 * minuteUs);
    expect(scenario.warmupUs).toBe(2_500_000);
    expect(scenario.reportIntervalUs).toBe(90 * secondUs);
    const kinesis = scenario.systems[0];
    if (kinesis.kind !== "kinesis") throw new Error("expected kinesis");
    expect(kinesis.producer.batch.linger).toBe(250);
    const consumer = kinesis.consumers[0];
    if (consumer.type === "lambda" || consumer.type === "firehose") throw new Error("expected a KCL consumer");
    expect(consumer.processing).toEqual({ perRecord: 50, perBatch: 1_500 });
    for (const value of [scenario.durationUs, scenario.warmupUs, kinesis.producer.batch.linger]) expect(Number.isInteger(value)).toBe(true);
  });

  it("turns sizes into bytes (KiB/MiB powers of 1024, KB/MB powers of 1000)", () => {
    expect(scenario.producers[0].recordSize).toMatchObject({ min: 1_536, max: 1_000_000 });
    const kinesis = scenario.systems[0];
    if (kinesis.kind !== "kinesis") throw new Error("expected kinesis");
    expect(kinesis.maxRecordSize).toBe(2 * MiB);
    expect(kinesis.producer.batch.maxBytes).toBe(5_000_000);
  });
});

describe("rate phases", () => {
  it("a constant rate becomes one phase covering the run", () => {
    const rate = withRate("{ recordsPerSecond: 250, arrivals: uniform }").producers[0].rate;
    expect(rate).toEqual({
      arrivals: "uniform",
      phases: [{ startUs: 0, endUs: minuteUs, fromPerSecond: 250, toPerSecond: 250 }],
      dailyCycle: null,
    });
  });

  it("phases shorter than the run: the last rate holds to the end", () => {
    const rate = withRate("{ phases: [ { duration: 20s, recordsPerSecond: 100 }, { duration: 10s, recordsPerSecond: 100, rampTo: 400 } ] }").producers[0].rate;
    expect(rate.phases).toEqual([
      { startUs: 0, endUs: 20 * secondUs, fromPerSecond: 100, toPerSecond: 100 },
      { startUs: 20 * secondUs, endUs: 30 * secondUs, fromPerSecond: 100, toPerSecond: 400 },
      { startUs: 30 * secondUs, endUs: minuteUs, fromPerSecond: 400, toPerSecond: 400 },
    ]);
  });

  it("phases longer than the run are cut, the cut phase ending at its interpolated rate", () => {
    const rate = withRate("{ phases: [ { duration: 40s, recordsPerSecond: 100 }, { duration: 40s, recordsPerSecond: 100, rampTo: 500 }, { duration: 1h, recordsPerSecond: 9 } ] }").producers[0].rate;
    expect(rate.phases).toEqual([
      { startUs: 0, endUs: 40 * secondUs, fromPerSecond: 100, toPerSecond: 100 },
      { startUs: 40 * secondUs, endUs: minuteUs, fromPerSecond: 100, toPerSecond: 300 },
    ]);
  });

  it("phases that fill the run exactly get no extra phase", () => {
    const rate = withRate("{ phases: [ { duration: 30s, recordsPerSecond: 0, rampTo: 60 }, { duration: 30s, recordsPerSecond: 60 } ] }").producers[0].rate;
    expect(rate.phases.map((phase) => [phase.startUs, phase.endUs])).toEqual([
      [0, 30 * secondUs],
      [30 * secondUs, minuteUs],
    ]);
  });

  it("keeps a daily cycle, its peak in microseconds (default noon)", () => {
    expect(withRate("{ recordsPerSecond: 10, dailyCycle: { amplitude: 0.5 } }").producers[0].rate.dailyCycle).toEqual({ amplitude: 0.5, peakAtUs: 12 * hourUs });
  });
});

describe("record-size cap", () => {
  it("a lognormal size without max is capped at the smallest record limit among the systems, which is named", () => {
    const size = withSize("{ distribution: lognormal, median: 1KiB, p99: 8KiB }", `
  - { name: kds, kind: kinesis, capacity: { mode: provisioned, shards: 1 } }
  - { name: queue, kind: sqs, queue: { maxMessageSize: 256KiB } }`).producers[0].recordSize;
    expect(size.capBytes).toBe(256 * KiB);
    expect(size.capSource).toBe('256KiB, the record size limit of system "queue" (queue.maxMessageSize)');
  });

  it("without systems the cap is 1 MiB, and the source says why", () => {
    const size = withSize("{ distribution: lognormal, median: 1KiB, p99: 8KiB }", "[]").producers[0].recordSize;
    expect(recordCapWithoutSystemsBytes).toBe(MiB);
    expect(size.capBytes).toBe(MiB);
    expect(size.capSource).toContain("no systems");
  });

  it("a stated max is the cap", () => {
    const size = withSize("{ distribution: lognormal, median: 1KiB, p99: 8KiB, max: 100KiB }", `
  - { name: kds, kind: kinesis, capacity: { mode: provisioned, shards: 1 } }`).producers[0].recordSize;
    expect(size.capBytes).toBe(100 * KiB);
  });

  it("a size equal to a system's limit is accepted (Kinesis: 1 MiB less the longest partition key, 5 B for key-9)", () => {
    const size = withSize("{ distribution: fixed, size: 1048571B }", `
  - { name: kds, kind: kinesis, capacity: { mode: provisioned, shards: 1 } }`).producers[0].recordSize;
    expect(size.capBytes).toBe(MiB - 5);
  });

  it("Kinesis counts the partition key in its record limit, so the default cap leaves room for the longest key", () => {
    const size = withSize("{ distribution: lognormal, median: 1KiB, p99: 8KiB }", `
  - { name: kds, kind: kinesis, capacity: { mode: provisioned, shards: 1 } }`).producers[0].recordSize;
    expect(size.capBytes).toBe(MiB - 5);
    expect(size.capSource).toContain("partition key");
  });
});

describe("command-line overrides", () => {
  const text = `name: overrides
seed: 42
duration: 10m
warmup: 1m
workload:
  - producer: p
    rate: { phases: [ { duration: 10m, recordsPerSecond: 0, rampTo: 1000 } ] }
    recordSize: { distribution: fixed, size: 1KiB }
    keys: { distribution: uniform, cardinality: 10 }
`;

  it("--duration replaces the duration and the rate profile follows it", () => {
    const scenario = load(text, { durationUs: 2 * minuteUs });
    expect(scenario.durationUs).toBe(2 * minuteUs);
    expect(scenario.producers[0].rate.phases).toEqual([{ startUs: 0, endUs: 2 * minuteUs, fromPerSecond: 0, toPerSecond: 200 }]);
    expect(scenario.seed).toBe(42);
  });

  it("--seed replaces the seed", () => {
    expect(load(text, { seed: 7 }).seed).toBe(7);
    expect(load(text, { seed: 0 }).seed).toBe(0);
  });

  it("a --duration not longer than the warm-up shrinks the warm-up in proportion and says so", () => {
    const scenario = load(text, { durationUs: minuteUs });
    expect(scenario.durationUs).toBe(minuteUs);
    expect(scenario.warmupUs).toBe(6 * secondUs);
    expect(scenario.adjustments).toEqual([
      "duration set to 1m by --duration (the scenario says 10m)",
      expect.stringMatching(/warm-up 1m.*6s/),
    ]);
  });

  it("a --duration longer than the warm-up keeps the warm-up; no override, no adjustment", () => {
    expect(load(text, { durationUs: 2 * minuteUs }).warmupUs).toBe(minuteUs);
    expect(load(text).adjustments).toEqual([]);
  });

  it("does not change the scenario hash", () => {
    expect(load(text, { seed: 7, durationUs: 2 * minuteUs }).source.sha256).toBe(load(text).source.sha256);
  });
});

describe("key files", () => {
  it("loads a CSV with counts, relative to the scenario file", () => {
    const loaded = loadScenarioFile("test/scenario/fixtures/key-file.yaml");
    if (!loaded.ok) throw new Error(loaded.issues.map(formatIssue).join("\n"));
    const keys = loaded.scenario.producers[0].keys;
    if (keys.distribution !== "file") throw new Error(`expected file keys, found ${keys.distribution}`);
    expect(keys.path).toBe("keys.csv");
    expect(keys.keys).toEqual(["sensor-a", "sensor-b", "sensor-c"]);
    expect(keys.counts).toEqual(Float64Array.from([5, 1, 2]));
    expect(loaded.scenario.source.file).toBe("test/scenario/fixtures/key-file.yaml");
  });
});

describe("timeline", () => {
  it("is sorted by time, actions at the same time keeping their order in the file", () => {
    const scenario = load(`name: timeline
duration: 1h
workload:${producerYaml}
systems:
  - { name: kds, kind: kinesis, capacity: { mode: provisioned, shards: 2 }, consumers: [ { name: analytics, type: polling } ] }
timeline:
  - { at: 40m, system: kds, action: update-shard-count, shards: 8 }
  - { at: 10m, system: kds, action: update-shard-count, shards: 4 }
  - { at: 30m, system: kds, action: consumer-crash, consumer: analytics }
  - { at: 30m, system: kds, action: update-shard-count, shards: 6 }
  - { at: 1h, system: kds, action: update-shard-count, shards: 2 }
`);
    expect(scenario.timeline.map((action) => [action.at / minuteUs, action.action])).toEqual([
      [10, "update-shard-count"],
      [30, "consumer-crash"],
      [30, "update-shard-count"],
      [40, "update-shard-count"],
      [60, "update-shard-count"],
    ]);
  });
});

describe("edge inputs", () => {
  it("a zero-byte file is the empty-file issue", () => {
    expect(issuesOf("")).toEqual([
      "test/scenario/inline.yaml:1:1 the file is empty; expected a scenario with at least name, duration and workload",
    ]);
  });

  it("a missing scenario file is one issue without a position", () => {
    const loaded = loadScenarioFile("test/scenario/no-such-scenario.yaml");
    expect(loaded.ok ? [] : loaded.issues.map(formatIssue)).toEqual([
      "test/scenario/no-such-scenario.yaml: cannot read the file: no such file",
    ]);
  });

  it("accepts the example scenario", () => {
    expect(loadScenarioFile("scenarios/iot-zipf-keys.yaml").ok).toBe(true);
  });
});
