// Replication by follower fetches (docs/reference.md §3.3, [KF-SRV]): a follower's fetch waits at the
// leader (replica.fetch.wait.max.ms) and is answered as soon as data is appended; the answer crosses
// the inter-broker network (half a round trip L), and the leader learns what the follower holds when
// its next fetch arrives (the other half). So:
// - acks=all is acknowledged when the high watermark moves: after acks=1 would be, the leader handles
//   the two followers' waiting fetches one after the other (the catalogue's 100 µs of request handling
//   each, docs/reference.md §3.5), sends the copy (~11 µs for 1 KB at 93.75 MB/s) and a round trip
//   passes. With a constant L = 1 ms and light load (every fetch waits at the leader when a record
//   comes) the median gap is L + 2 x 100 + 11 = 1,211 µs; the latency histogram's buckets are ~2%
//   wide (±30 µs here), so the test asks for 1,150-1,270 µs. (Before fetch loops: ~0.2 ms.)
// - acks=1 loses, when its leader fails, what the follower had not fetched. With L = 20 ms at 1,000
//   records/s the fetch loop never idles: an answer every L, each held by the follower L/2 later, so
//   at the failure the follower misses what came in the last L/2 to 1.5 L: 10 to 30 records, 20 on
//   average. One failure, Poisson arrivals: the test asks for 5 to 45. (Before fetch loops: ~0.)

import { describe, expect, it } from "vitest";
import { runScenario } from "../../sim/run/index.ts";
import { loadScenarioText } from "../../sim/scenario/index.ts";

const scenario = (name: string, interBrokerLatency: string, systems: string, timeline = "timeline: []") => `name: ${name}
seed: 3
duration: 40s
warmup: 5s
workload:
  - producer: p
    rate: { recordsPerSecond: ${name === "loss" ? 1000 : 100}, arrivals: poisson }
    recordSize: { distribution: fixed, size: 1KB }
    keys: { distribution: uniform, cardinality: 100, template: "k-{i}" }
systems:
${systems
  .split(";")
  .map(
    (acks) => `  - name: acks-${acks}
    kind: kafka
    brokers: { count: 3, instanceType: kafka.m5.large, interBrokerLatency: ${interBrokerLatency} }
    topic: { partitions: 1, replicationFactor: 3, minInsyncReplicas: 2 }
    producer: { acks: ${acks}, linger: 0ms, latency: { median: 0ms, p99: 0ms } }
    consumerGroups: [ { name: g, consumers: 1 } ]`,
  )
  .join("\n")}
${timeline}
`;

function run(text: string) {
  const loaded = loadScenarioText(text, "test/validation/kafka-replication.yaml");
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues));
  return runScenario(loaded.scenario).systems;
}

describe("replication by follower fetches (replica.fetch.wait.max.ms, an inter-broker round trip)", () => {
  it("acks=all is acknowledged one inter-broker round trip and two fetches' handling after acks=1 would be (L = 1 ms: median gap ~1,211 µs)", () => {
    const [all, one] = run(scenario("gap", "{ median: 1ms, p99: 1ms }", "all;1"));
    const gapUs = all!.producerLatency.quantile(0.5) - one!.producerLatency.quantile(0.5);
    console.info(`kafka replication: acks=all p50 ${all!.producerLatency.quantile(0.5)} µs, acks=1 ${one!.producerLatency.quantile(0.5)} µs`);
    expect(gapUs).toBeGreaterThanOrEqual(1150);
    expect(gapUs).toBeLessThanOrEqual(1270);
  });

  it("acks=1 loses what the follower had not fetched when its leader fails (L = 20 ms: ~20 records, 5 to 45)", () => {
    const [one] = run(scenario("loss", "{ median: 20ms, p99: 20ms }", "1", "timeline:\n  - { at: 20s, system: acks-1, action: broker-down, broker: 0, for: 15s }"));
    const lost = one!.consumers[0]!.records.lost;
    console.info(`kafka replication: acks=1 lost ${lost} records at the leader's failure`);
    expect(lost).toBeGreaterThanOrEqual(5);
    expect(lost).toBeLessThanOrEqual(45);
  });
});
