// collect() reads the models without changing them: collecting twice gives the same result, for every
// kind of system, including the terms counted at the end (records retention took that no reader met,
// records in flight, unread) and the findings drawn from the lag.

import { describe, expect, it } from "vitest";
import { RandomStreams, Simulation } from "../../sim/engine/index.ts";
import { KafkaModel } from "../../sim/kafka/index.ts";
import { KinesisModel } from "../../sim/kinesis/index.ts";
import type { SystemResult } from "../../sim/metrics/index.ts";
import { loadScenarioText } from "../../sim/scenario/index.ts";
import { SqsModel } from "../../sim/sqs/index.ts";
import { ProducerStream } from "../../sim/workload/index.ts";

// Consumers slower than the producer, short retentions (Kafka, SQS): records expire unread, some of
// them after the reader's last look (counted only at the end), and every consumer falls behind.
const yaml = `name: collect-twice
seed: 3
duration: 10m
warmup: 1m
workload:
  - producer: p
    rate: { recordsPerSecond: 50, arrivals: poisson }
    recordSize: { distribution: fixed, size: 200B }
    keys: { distribution: uniform, cardinality: 100, template: "k-{i}" }
systems:
  - name: kds
    kind: kinesis
    capacity: { mode: provisioned, shards: 2 }
    consumers:
      - { name: slow, type: polling, maxRecords: 10, processing: { perRecord: 50ms } }
      - { name: to-s3, type: firehose, buffering: { size: 1MiB, interval: 30s } }
  - name: msk
    kind: kafka
    brokers: { count: 3, instanceType: kafka.m5.large }
    topic: { partitions: 3, replicationFactor: 3, minInsyncReplicas: 2, retention: 2m, segmentBytes: 64KiB }
    consumerGroups:
      - { name: slow, consumers: 1, maxPollRecords: 10, processing: { perRecord: 50ms } }
  - name: queue
    kind: sqs
    queue: { type: standard, visibilityTimeout: 30s, retention: 1m }
    consumers:
      - { name: slow, count: 1, maxMessages: 1, processing: { perRecord: 50ms } }
`;

/** Everything a report reads from a result, as plain data. */
function fingerprint(system: SystemResult): unknown {
  return {
    records: system.records,
    usage: system.usage,
    findings: system.findings,
    consumers: system.consumers.map((consumer) => ({
      records: consumer.records,
      lag: consumer.lag.summary(),
      lagSeries: consumer.lagSeries.toArrays(),
      lagSamples: consumer.lagSamples.count,
      endToEnd: consumer.endToEndLatency.summary(),
      native: [consumer.native.histogram.summary(), consumer.native.series.toArrays()],
      perPartition: consumer.nativePerPartition.map(({ id, series }) => [id, series.toArrays()]),
      readThrottles: consumer.readThrottles,
      firehose: consumer.firehose === undefined ? null : { ...consumer.firehose, objectSizeBytes: consumer.firehose.objectSizeBytes.summary(), series: null },
    })),
  };
}

describe("collect() twice", () => {
  it("gives the same result for Kinesis, Kafka and SQS", () => {
    const loaded = loadScenarioText(yaml, "test/run/collect-twice.yaml");
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues));
    const scenario = loaded.scenario;
    const sim = new Simulation();
    const streams = new RandomStreams(scenario.seed);
    const context = { sim, streams, durationUs: scenario.durationUs, warmupUs: scenario.warmupUs, reportIntervalUs: scenario.reportIntervalUs };
    // The scenario has no timeline: each model starts with no actions.
    const models = scenario.systems.map((system) => {
      const workloads = scenario.producers.map((spec) => new ProducerStream(spec, scenario, streams));
      if (system.kind === "kinesis") return new KinesisModel(system, workloads, context);
      if (system.kind === "kafka") return new KafkaModel(system, workloads, context);
      if (system.kind === "sqs") return new SqsModel(system, workloads, context);
      throw new Error(`no ${system.kind} system in this test`);
    });
    expect(scenario.timeline).toEqual([]);
    for (const model of models) model.start([]);
    sim.run({ endUs: scenario.durationUs, eventBudget: 100_000_000 });
    for (const model of models) {
      const first = fingerprint(model.collect());
      const second = fingerprint(model.collect());
      expect(second).toEqual(first);
      const { records } = (first as { consumers: Array<{ records: { expired: number; unread: number } }> }).consumers[0]!;
      expect(records.unread, "the consumer is behind at the end").toBeGreaterThan(0);
      // Kinesis keeps records at least 24 h, longer than a test should run.
      if (!(model instanceof KinesisModel)) expect(records.expired, "the scenario exercises expiry").toBeGreaterThan(0);
    }
  });
});
