// A client produce byte-rate quota (producer_byte_rate): a producer offering twice its quota is held
// to the quota (its acknowledged throughput converges to it), and the time it was held back is
// reported.

import { describe, expect, it } from "vitest";
import { runScenario } from "../../sim/run/index.ts";
import { loadScenarioText } from "../../sim/scenario/index.ts";

const scenario = (quota: string) => `name: kafka-quota
duration: 60s
workload:
  - producer: p
    rate: { recordsPerSecond: 2000, arrivals: uniform }
    recordSize: { distribution: fixed, size: 1000B }
    keys: { distribution: fixed, key: "k" }
systems:
  - name: msk
    kind: kafka
    brokers: { count: 1, instanceType: kafka.m5.large }
    topic: { partitions: 1 }
    producer: { acks: 1, deliveryTimeout: 1h, quota: "${quota}" }
`;

function run(quota: string) {
  const loaded = loadScenarioText(scenario(quota), "test/validation/kafka-quota.yaml");
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues));
  return runScenario(loaded.scenario).systems[0];
}

describe("Kafka client byte-rate quota", () => {
  it("holds a producer offering ~2 MB/s to its 1 MB/s quota and reports the throttle time", () => {
    const system = run("1MB/s");
    // Each record is 1,000 B of data + 1 B of key + 8 B of framing on the wire; batches add 61 B each.
    // Over 60 s the quota allows 60 MB plus the one second of allowance it starts with: 61 MB, about
    // 60,400 records; batch headers (a small share at 2,000 records/s with 5 ms linger: ~10 records per
    // batch, 0.6%) make it a little fewer (1% below). A throttled request keeps its in-flight slot, so
    // at the end at most 5 requests (max.in.flight.requests.per.connection) of at most max.request.size
    // (1 MiB) are charged and still held: at most 5,242,880 B fewer.
    const allowed = 61e6 / 1009;
    expect(system.records.accepted).toBeLessThanOrEqual(allowed);
    expect(system.records.accepted).toBeGreaterThan((0.99 * (61e6 - 5 * 1_048_576)) / 1009);
    expect(system.records.pending).toBeGreaterThan(50_000);
    expect(system.records.accepted + system.records.dropped + system.records.pending).toBe(system.records.produced);
    expect(Number(system.facts.produceThrottleSeconds)).toBeGreaterThan(10);
    expect(system.findings.map((finding) => finding.code)).toContain("quota-throttled");
  });

  it("leaves a producer under its quota alone", () => {
    const system = run("5MB/s");
    expect(system.facts.produceThrottleSeconds).toBe(0);
    expect(system.records.pending).toBeLessThan(100);
  });
});
