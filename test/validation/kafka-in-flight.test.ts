// max.in.flight.requests.per.connection (docs/reference.md §3.2). Sources: ProducerConfig (default 5;
// "the maximum number of unacknowledged requests the client will send on a single connection before
// blocking"; idempotence, the default since Kafka 3.0, needs at most 5 and keeps ordering),
// NetworkClient.canSendRequest and InFlightRequests.canSendMore (a node takes no new request while 5
// are unanswered), Sender.sendProducerData (a ready node's batches leave together, up to
// max.request.size).
//
// Fluid bound: a request is in flight for at least the round trip R, so one producer completes at most
// 5 requests per R to a broker, and carries at most 5 x max.request.size / R bytes a second.

import { describe, expect, it } from "vitest";
import { RandomStreams, Simulation } from "../../sim/engine/index.ts";
import { KafkaModel } from "../../sim/kafka/model.ts";
import { partitionForKey } from "../../sim/kafka/partitioner.ts";
import { resultOfKind } from "../../sim/metrics/index.ts";
import { runScenario } from "../../sim/run/index.ts";
import { loadScenarioText, type KafkaSystem, type Scenario } from "../../sim/scenario/index.ts";
import { ProducerStream } from "../../sim/workload/index.ts";

const roundTripS = 0.05;
const maxRequestBytes = 65_536;

// 10,000 records/s of 1,000 B (about 10.1 MB/s serialized) to one broker with room to spare (its
// queue adds microseconds), a constant 50 ms round trip and 64 KiB requests: the bound is
// 5 x 65,536 B / 0.05 s = 6.55 MB/s, so the in-flight limit is what binds.
function yaml(maxInFlight: number, keys: string, latency: string, acks: string): string {
  return `
name: kafka-in-flight-${maxInFlight}
seed: 3
duration: 30s
report: { interval: 1s }
workload:
  - producer: p
    rate: { recordsPerSecond: 10000, arrivals: uniform }
    recordSize: { distribution: fixed, size: 1000B }
    keys: ${keys}
systems:
  - name: msk
    kind: kafka
    brokers: { count: 1, capacity: { networkIn: "1000GB/s", networkOut: "1000GB/s", diskWrite: "1000GB/s", requestTime: 10us } }
    topic: { partitions: 4, replicationFactor: 1, minInsyncReplicas: 1 }
    producer: { acks: ${acks}, maxRequestSize: ${maxRequestBytes}B, maxInFlightRequestsPerConnection: ${maxInFlight}, latency: ${latency} }
`;
}

function load(text: string): Scenario {
  const loaded = loadScenarioText(text, "kafka-in-flight.yaml");
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues));
  return loaded.scenario;
}

const uniformKeys = `{ distribution: uniform, cardinality: 100, template: "k-{i}" }`;
const constantTrip = "{ median: 50ms, p99: 50ms }";

describe("at most 5 requests in flight per broker connection (ProducerConfig, NetworkClient, InFlightRequests)", () => {
  const run = (maxInFlight: number) => resultOfKind(runScenario(load(yaml(maxInFlight, uniformKeys, constantTrip, "1"))).systems[0]!, "kafka");
  const limited = run(5);

  it("completes at most 5 requests per round trip, and carries at most 5 x max.request.size per round trip", () => {
    const requests = limited.series.ProduceRequests;
    let busiest = 0;
    for (let i = 0; i < requests.intervalCount; i++) busiest = Math.max(busiest, requests.sumAt(i));
    // A 1 s interval holds 20 round trips: at most 100 requests start in it.
    expect(busiest).toBeLessThanOrEqual(5 / roundTripS);
    // Each record is 1,000 B + a 3- or 4-byte key + 8 B of framing: at least 1,011 B against
    // max.request.size. In 30 s at most 5 x (30 / 0.05 + 1) requests completed.
    const boundRecords = (5 * (30 / roundTripS + 1) * maxRequestBytes) / 1011;
    const { accepted, produced, dropped, pending } = limited.records;
    console.info(`kafka in-flight 5: accepted ${accepted} of ${produced} (bound ${boundRecords.toFixed(0)}), busiest second ${busiest} requests`);
    expect(accepted + dropped + pending).toBe(produced);
    expect(accepted).toBeLessThanOrEqual(boundRecords);
    // The limit is what binds: requests leave nearly full (batches that linger closed hold about 12
    // records, 12.6 KB, and five fill 96% of 64 KiB), so the producer reaches the bound within 10%.
    expect(accepted).toBeGreaterThan(0.9 * boundRecords);
  });

  it("without the limit the same producer is not held to it (the bound is what changed)", () => {
    const unlimited = run(10_000);
    expect(unlimited.records.accepted).toBeGreaterThan(1.3 * limited.records.accepted);
  });
});

describe("with 5 in flight and a varying round trip, a key's records stay in order (idempotence)", () => {
  // One key, a lognormal round trip (20 ms median, 100 ms p99) drawn per request, acks all: requests
  // that overtook each other on their way would append the key's batches out of creation order.
  it("the key's partition appends its batches in creation order", () => {
    const scenario = load(yaml(5, `{ distribution: fixed, key: "device-1" }`, "{ median: 20ms, p99: 100ms }", "all"));
    const system = scenario.systems[0] as KafkaSystem;
    const sim = new Simulation();
    const streams = new RandomStreams(scenario.seed);
    const workloads = scenario.producers.map((spec) => new ProducerStream(spec, scenario, streams));
    const model = new KafkaModel(system, workloads, { sim, streams, durationUs: scenario.durationUs, warmupUs: scenario.warmupUs, reportIntervalUs: scenario.reportIntervalUs });
    const partition = model.partitions[partitionForKey("device-1", 4)]!;
    const log = partition.log;
    let nextRun = 0;
    let lastCreateMinUs = -1;
    let outOfOrder = 0;
    partition.listeners.push(() => {
      for (; nextRun < log.tailRun; nextRun++) {
        const createMinUs = log.createMinAt(nextRun);
        if (createMinUs < lastCreateMinUs) outOfOrder++;
        lastCreateMinUs = createMinUs;
      }
    });
    model.start([]);
    sim.run({ endUs: scenario.durationUs, eventBudget: 1e9 });
    const result = model.collect();
    expect(nextRun).toBeGreaterThan(100);
    expect(outOfOrder).toBe(0);
    const { accepted, dropped, pending, produced } = result.records;
    expect(accepted + dropped + pending).toBe(produced);
  });
});
