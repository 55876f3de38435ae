// Retention by segments (docs/reference.md §3.3; Apache Kafka LogConfig: segment.bytes 1 GiB,
// log.retention.check.interval.ms 300,000; UnifiedLog.deleteOldSegments deletes whole segments whose
// newest record is older than retention.ms). With 1 GiB segments and a 1 h retention at ~1 MiB/s, the
// bytes a partition keeps move between the retained amount (rate x 1 h) and that plus one segment
// plus up to 5 minutes of writes; they never fall below the retained amount and drop a segment at a
// time. A consumer that never reads keeps nothing back: retention does not wait for it.

import { describe, expect, it } from "vitest";
import { RandomStreams, Simulation } from "../../sim/engine/index.ts";
import { KafkaModel } from "../../sim/kafka/index.ts";
import { loadScenarioText } from "../../sim/scenario/index.ts";
import type { KafkaSystem } from "../../sim/scenario/types.ts";
import { ProducerStream } from "../../sim/workload/index.ts";

const yaml = `
name: kafka-segments
seed: 5
duration: 2h
workload:
  - producer: p
    rate: { recordsPerSecond: 10, arrivals: uniform }
    recordSize: { distribution: fixed, size: 100KiB }
    keys: { distribution: fixed, key: k }
systems:
  - name: k
    kind: kafka
    brokers: { count: 1, instanceType: kafka.m5.large }
    topic: { partitions: 1, retention: 1h }
`;

describe("retention deletes whole segments at the retention check", () => {
  it("stored bytes stay between rate x retention and that + one segment + 5 min of writes", () => {
    const loaded = loadScenarioText(yaml, "kafka-segments.yaml");
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues));
    const scenario = loaded.scenario;
    const sim = new Simulation();
    const streams = new RandomStreams(scenario.seed);
    const context = { sim, streams, durationUs: scenario.durationUs, warmupUs: 0, reportIntervalUs: scenario.reportIntervalUs };
    const workloads = scenario.producers.map((spec) => new ProducerStream(spec, scenario, streams));
    const model = new KafkaModel(scenario.systems[0] as KafkaSystem, workloads, context);
    model.start([]);
    const partition = model.partitions[0]!;
    const samples: number[] = [];
    // Every 10 s from 65 min on (past the first hour of retention and the first check after it).
    sim.at(65 * 60e6, () => sim.every(10e6, scenario.durationUs, () => samples.push(partition.storedBytes)));
    sim.run({ endUs: scenario.durationUs, eventBudget: 10_000_000 });
    // The log's byte rate, measured: 10 records/s of 100 KiB plus framing and key.
    const bytesPerSecond = partition.log.bytesTotal / (scenario.durationUs / 1e6);
    const retainedBytes = bytesPerSecond * 3600;
    const segmentBytes = 2 ** 30;
    const low = Math.min(...samples);
    const high = Math.max(...samples);
    // One batch (~100 KiB) of slack at each edge: deletion and rolls happen at batch boundaries.
    expect(low).toBeGreaterThanOrEqual(retainedBytes - 2 * 102_400);
    expect(high).toBeLessThanOrEqual(retainedBytes + segmentBytes + 300 * bytesPerSecond + 2 * 102_400);
    // The band is used: at times nearly a whole segment beyond the retained amount.
    expect(high - retainedBytes).toBeGreaterThan(segmentBytes / 2);
    expect(partition.segmentsRolled).toBeGreaterThanOrEqual(6);
    console.info(`kafka segments: retained ${(retainedBytes / 2 ** 30).toFixed(2)} GiB; stored ${(low / 2 ** 30).toFixed(2)}..${(high / 2 ** 30).toFixed(2)} GiB`);
  });
});
