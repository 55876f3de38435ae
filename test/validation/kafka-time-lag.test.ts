// MSK's EstimatedMaxTimeLag, "time estimate (in seconds) to drain MaxOffsetLag" (docs/reference.md §3.4),
// as we estimate it (MSK does not publish its estimator): MaxOffsetLag over the rate at which the group's
// committed offset advanced on that partition over the last 60 s. Checked here end to end on a group
// whose consumption rate is known analytically.
//
// A fetch-bound consumer with no processing time reads max.partition.fetch.bytes per round trip
// (test/validation/kafka-consumer-poll.test.ts checks that rate within 2%): 64 KiB fetches of
// floor(65,536 / record bytes) = 595 records every 50 ms, 11,900 records/s, while 20,000 records/s arrive.
// Its offset lag grows by ~8,100 records/s without bound, and the time to drain it at 11,900/s is
// lag / 11,900. With commits every 5 s, a 60 s window holds whole commit periods, so the measured rate
// is exact but for the fetch cycle's jitter; 3% covers that and the 2% of the rate check.

import { describe, expect, it } from "vitest";
import { recordOverheadBytes } from "../../sim/kafka/limits.ts";
import { runScenario } from "../../sim/run/index.ts";
import { loadScenarioText } from "../../sim/scenario/index.ts";

const valueBytes = 100;
const recordBytes = valueBytes + 2 + recordOverheadBytes;
const roundTripS = 0.05;
const ratePerSecond = Math.floor(65_536 / recordBytes) / roundTripS;

const yaml = `
name: kafka-time-lag
seed: 5
duration: 150s
warmup: 10s
report: { interval: 10s }
workload:
  - producer: p
    rate: { recordsPerSecond: 20000, arrivals: uniform }
    recordSize: { distribution: fixed, size: ${valueBytes}B }
    keys: { distribution: uniform, cardinality: 10, template: "k{i}" }
systems:
  - name: k
    kind: kafka
    brokers: { count: 1, instanceType: kafka.m5.large, capacity: { requestTime: 0s, networkOut: "100GB/s", networkIn: "100GB/s" } }
    topic: { partitions: 1, replicationFactor: 1 }
    producer: { acks: 1, linger: 5ms, latency: { median: 50ms, p99: 50ms } }
    consumerGroups:
      - { name: g, maxPartitionFetchBytes: 64KiB, processing: { perRecord: 0us } }
`;

describe("EstimatedMaxTimeLag", () => {
  it(`a group draining ${ratePerSecond} records/s: EstimatedMaxTimeLag = MaxOffsetLag / rate within 3% once a minute is sampled`, { timeout: 60_000 }, () => {
    const loaded = loadScenarioText(yaml, "kafka-time-lag.yaml");
    if (!loaded.ok) throw new Error(`the scenario does not load: ${JSON.stringify(loaded.issues)}`);
    const group = runScenario(loaded.scenario).systems[0]!.consumers[0]!;
    const { max, estimatedMaxTimeSeconds } = group.offsetLag!;
    let checked = 0;
    // From 70 s on the window holds a whole minute; both gauges grow, so each interval's maximum is its last sample.
    for (let i = 7; i < max.intervalCount; i++) {
      const lag = max.maxAt(i);
      const seconds = estimatedMaxTimeSeconds.maxAt(i);
      expect(lag).toBeGreaterThan(100_000);
      expect(Math.abs(lag / seconds / ratePerSecond - 1), `interval ${i}: lag ${lag}, ${seconds} s`).toBeLessThan(0.03);
      checked++;
    }
    expect(checked).toBe(8);
  });
});
