// fetch.min.bytes and fetch.max.wait.ms (docs/reference.md §3.4): a fetch is answered once it holds min bytes or
// has waited max wait. With evenly spaced records, no round trip and no processing time, a consumer
// therefore reads in fetches of T = min(fill time, max wait) and a record waits T/2 on average before it
// is read: the mean end-to-end latency is T/2 (plus at most one inter-arrival gap of rounding).

import { describe, expect, it } from "vitest";
import { recordOverheadBytes } from "../../sim/kafka/limits.ts";
import { runScenario } from "../../sim/run/index.ts";
import { loadScenarioText } from "../../sim/scenario/index.ts";

const recordsPerSecond = 1000;
const valueBytes = 100;
const key = "k";

function meanEndToEndMs(fetchMinBytes: string, fetchMaxWait: string): number {
  const yaml = `
name: fetch-min-bytes
seed: 1
duration: 2m
warmup: 10s
workload:
  - producer: p
    rate: { recordsPerSecond: ${recordsPerSecond}, arrivals: uniform }
    recordSize: { distribution: fixed, size: ${valueBytes}B }
    keys: { distribution: fixed, key: ${key} }
systems:
  - name: k
    kind: kafka
    brokers: { count: 1, instanceType: kafka.m5.large, capacity: { requestTime: 0s } }
    topic: { partitions: 1 }
    producer: { acks: 1, linger: 0s, latency: { median: 0s, p99: 0s } }
    consumerGroups:
      - { name: g, fetchMinBytes: ${fetchMinBytes}, fetchMaxWait: ${fetchMaxWait} }
`;
  const loaded = loadScenarioText(yaml, "fetch-min-bytes.yaml");
  if (!loaded.ok) throw new Error("the fetch scenario does not load");
  const system = runScenario(loaded.scenario).systems[0]!;
  return system.consumers[0]!.endToEndLatency.summary().mean / 1000;
}

describe("a consumer group's fetches wait for fetch.min.bytes, at most fetch.max.wait", () => {
  // Each record takes its value, its key and the record framing in the log (what the fetch counts).
  const recordBytes = valueBytes + key.length + recordOverheadBytes;
  const gapMs = 1000 / recordsPerSecond;

  it("min bytes reached before the wait: fetches of min bytes, records wait half the fill time", () => {
    const minBytes = 50 * recordBytes; // filled in 50 ms
    const fillMs = (minBytes / recordBytes) * gapMs;
    const meanMs = meanEndToEndMs(`${minBytes}B`, "10s");
    expect(meanMs).toBeGreaterThan(fillMs / 2 - gapMs);
    expect(meanMs).toBeLessThan(fillMs / 2 + 2 * gapMs);
  });

  it("the wait ends first: fetches every max wait, records wait half of it", () => {
    const minBytes = 1000 * recordBytes; // would take a second to fill
    const meanMs = meanEndToEndMs(`${minBytes}B`, "100ms");
    expect(meanMs).toBeGreaterThan(50 - gapMs);
    expect(meanMs).toBeLessThan(50 + 2 * gapMs);
  });

  it("the default (1 byte) reads each record as it is committed", () => {
    expect(meanEndToEndMs("1B", "500ms")).toBeLessThan(gapMs);
  });
});
