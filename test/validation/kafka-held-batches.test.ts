// A node that cannot take a request is not drained, so its partitions' batches keep filling until
// batch.size (docs/reference.md §3.2). Sources: Sender.sendProducerData (drains only the ready nodes
// that NetworkClient.ready can send to now: connected and fewer than max.in.flight unanswered;
// partitions with no known leader are not drained), RecordAccumulator.tryAppend (a record goes into
// the deque's last batch while it fits, however long it waited), BufferPool (each batch takes
// batch.size of buffer.memory when created).
//
// Hand arithmetic: a record of 800 B with a 3- or 4-byte key and 8 B of framing is 811-812 B, so a
// 16,384 B batch holds 20 (20 x 812 = 16,240) and each record takes 16,384 / 20 = 819.2 B of
// buffer.memory. A partition with no live leader taking r records/s fills buffer.memory M in
// M / (819.2 r) seconds; a send() then blocks, and fails max.block.ms later.

import { describe, expect, it } from "vitest";
import { RandomStreams, Simulation } from "../../sim/engine/index.ts";
import { KafkaModel } from "../../sim/kafka/model.ts";
import { partitionForKey } from "../../sim/kafka/partitioner.ts";
import { actionsFor, loadScenarioText, type KafkaSystem } from "../../sim/scenario/index.ts";
import { ProducerStream } from "../../sim/workload/index.ts";

const secondUs = 1_000_000;
const keyCount = 90;
const recordsPerSecond = 3000;
const bufferMemoryBytes = 8 * 1024 * 1024;
const downAtS = 5;
const maxBlockS = 1;

function run(producer: string, timeline: string, partitions: number, rate = recordsPerSecond) {
  const text = `
name: kafka-held-batches
seed: 5
duration: 40s
report: { interval: 1s }
workload:
  - producer: p
    rate: { recordsPerSecond: ${rate}, arrivals: uniform }
    recordSize: { distribution: fixed, size: 800B }
    keys: { distribution: uniform, cardinality: ${keyCount}, template: "k-{i}" }
systems:
  - name: msk
    kind: kafka
    brokers: { count: 3 }
    topic: { partitions: ${partitions}, replicationFactor: 1 }
    producer: ${producer}
${timeline}`;
  const loaded = loadScenarioText(text, "kafka-held-batches.yaml");
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues));
  const scenario = loaded.scenario;
  const sim = new Simulation();
  const streams = new RandomStreams(scenario.seed);
  const workloads = scenario.producers.map((spec) => new ProducerStream(spec, scenario, streams));
  const system = scenario.systems[0] as KafkaSystem;
  const model = new KafkaModel(system, workloads, { sim, streams, durationUs: scenario.durationUs, warmupUs: scenario.warmupUs, reportIntervalUs: scenario.reportIntervalUs });
  // The first send() that fails on a full buffer, to 10 ms.
  let firstExhaustedUs = Infinity;
  const watch = (): void => {
    if (model.producers[0]!.bufferExhausted > 0) firstExhaustedUs = Math.min(firstExhaustedUs, sim.nowUs);
    else sim.after(10_000, watch);
  };
  sim.at(0, watch);
  // Every appended batch of every partition: its first record's creation time and its record count.
  const batches = model.partitions.map((partition) => {
    const seen: Array<{ createdUs: number; count: number }> = [];
    let nextRun = 0;
    partition.listeners.push(() => {
      for (; nextRun < partition.log.tailRun; nextRun++) seen.push({ createdUs: partition.log.createMinAt(nextRun), count: partition.log.countAt(nextRun) });
    });
    return seen;
  });
  model.start(actionsFor(scenario.timeline, "kafka", "msk"));
  sim.run({ endUs: scenario.durationUs, eventBudget: 1e9 });
  return { model, batches, result: model.collect(), firstExhaustedUs };
}

/** Records per appended batch, over batches whose first record was created in [fromUs, toUs). */
function recordsPerBatch(appended: Array<{ createdUs: number; count: number }>, fromUs: number, toUs: number): number {
  const inWindow = appended.filter((batch) => batch.createdUs >= fromUs && batch.createdUs < toUs);
  return inWindow.reduce((sum, batch) => sum + batch.count, 0) / inWindow.length;
}

describe("a partition with no live leader: its batches fill to batch.size, and buffer.memory fills at its byte rate", () => {
  const outage = `timeline:\n  - { at: ${downAtS}s, system: msk, action: broker-down, broker: 1, for: 30s }`;
  const { batches, result, firstExhaustedUs } = run(`{ acks: 1, bufferMemory: 8MiB, maxBlock: ${maxBlockS}s, latency: { median: 2ms, p99: 2ms } }`, outage, 3);
  // Broker 1 leads partition 1 alone (replication factor 1): its share of the 90 uniform keys.
  let offlineKeys = 0;
  for (let i = 0; i < keyCount; i++) if (partitionForKey(`k-${i}`, 3) === 1) offlineKeys++;
  const offlineRate = (recordsPerSecond * offlineKeys) / keyCount;

  it("batches held through the outage carry batch.size of records, not the linger's few", () => {
    // Linger alone (5 ms) closes a batch every 5 ms: offlineRate x 0.005 records (about 5).
    const lingerRecords = offlineRate * 0.005;
    const held = recordsPerBatch(batches[1]!, downAtS * secondUs, (downAtS + 30) * secondUs);
    const before = recordsPerBatch(batches[1]!, 0, downAtS * secondUs);
    console.info(`kafka held batches: ${held.toFixed(1)} records per batch in the outage, ${before.toFixed(1)} before (linger: ${lingerRecords.toFixed(1)})`);
    expect(before).toBeLessThan(1.5 * lingerRecords);
    expect(held).toBeGreaterThan(19);
    expect(held).toBeLessThanOrEqual(20);
  });

  it("the first send() fails max.block.ms after buffer.memory / (the offline byte rate x the allocation ratio)", () => {
    const fillS = bufferMemoryBytes / (offlineRate * (16_384 / 20));
    const measuredFillS = firstExhaustedUs / secondUs - downAtS - maxBlockS;
    console.info(`kafka held batches: buffer full ${measuredFillS.toFixed(2)} s into the outage (hand arithmetic ${fillS.toFixed(2)} s, ${offlineRate.toFixed(0)} records/s offline)`);
    expect(Math.abs(measuredFillS / fillS - 1)).toBeLessThan(0.1);
    const { accepted, dropped, pending, produced } = result.records;
    expect(accepted + dropped + pending).toBe(produced);
  });
});

describe("a broker with max.in.flight requests unanswered: batches waiting for a slot join until batch.size", () => {
  it("one request in flight and a 50 ms round trip: a partition's batches carry 20 records, not linger's 10", () => {
    // 2,000 records/s to one partition: linger (5 ms) closes batches of 10; each 50 ms round trip
    // gathers 100 records, which join into batches of 20 (batch.size) while they wait.
    const { batches, result } = run(`{ acks: 1, maxInFlightRequestsPerConnection: 1, latency: { median: 50ms, p99: 50ms } }`, "", 1, 2000);
    const perBatch = recordsPerBatch(batches[0]!, secondUs, 39 * secondUs);
    console.info(`kafka held batches: ${perBatch.toFixed(1)} records per batch with one request in flight`);
    expect(perBatch).toBeGreaterThan(18);
    expect(perBatch).toBeLessThanOrEqual(20);
    const { accepted, dropped, pending, produced } = result.records;
    expect(accepted + dropped + pending).toBe(produced);
    expect(dropped).toBe(0);
  });
});
