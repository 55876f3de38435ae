// The Java consumer's poll loop against analytic figures (docs/reference.md §3.4).
//
// Fetch by bytes [KF-CC] [KF-FETCH]: a fetch takes up to max.partition.fetch.bytes (1,048,576) per
// partition and fetch.max.bytes (52,428,800) per broker; poll() hands the application at most
// max.poll.records (500) of what was fetched and sends the next fetch while the application processes.
// With no processing time a consumer reading a backlog therefore takes R = bytes per fetch / bytes per
// record every round trip: its rate is R / RTT, whatever max.poll.records is.
//
// Poll deadline [KF-COORD]: a consumer whose processing of one poll outlasts max.poll.interval.ms
// (300,000 ms) leaves the group at that deadline; its uncommitted work is done again by the new owner.
//
// Rebalance pause [KF-COORD] [KF-KIP134]: group.initial.rebalance.delay.ms (3 s) applies to a group
// with no members only; a running group's rebalance waits until each member hears of it at its next
// heartbeat (heartbeat.interval.ms 3,000) and rejoins at its next poll.

import { describe, expect, it } from "vitest";
import { recordOverheadBytes } from "../../sim/kafka/limits.ts";
import type { Finding, SystemResult } from "../../sim/metrics/index.ts";
import { runScenario } from "../../sim/run/index.ts";
import { loadScenarioText } from "../../sim/scenario/index.ts";

const valueBytes = 100;
/** A record in the log: its value, its two-character key ("k0".."k9") and the record framing. */
const recordBytes = valueBytes + 2 + recordOverheadBytes;
const roundTripS = 0.05;

interface Options {
  seed?: number;
  duration: string;
  rate: string;
  partitions?: number;
  group: string;
  timeline?: string;
  latency?: string;
}

function run(options: Options): SystemResult {
  const yaml = `
name: consumer-poll
seed: ${options.seed ?? 1}
duration: ${options.duration}
warmup: 10s
workload:
  - producer: p
    rate: ${options.rate}
    recordSize: { distribution: fixed, size: ${valueBytes}B }
    keys: { distribution: uniform, cardinality: 10, template: "k{i}" }
systems:
  - name: k
    kind: kafka
    brokers: { count: 1, instanceType: kafka.m5.large, capacity: { requestTime: 0s, networkOut: "100GB/s", networkIn: "100GB/s" } }
    topic: { partitions: ${options.partitions ?? 1}, replicationFactor: 1 }
    producer: { acks: 1, linger: 5ms, latency: ${options.latency ?? `{ median: ${roundTripS * 1000}ms, p99: ${roundTripS * 1000}ms }`} }
    consumerGroups:
      - ${options.group}
${options.timeline ?? ""}
`;
  const loaded = loadScenarioText(yaml, "consumer-poll.yaml");
  if (!loaded.ok) throw new Error(`the scenario does not load: ${JSON.stringify(loaded.issues)}`);
  return runScenario(loaded.scenario).systems[0]!;
}

function finding(system: SystemResult, code: string): Finding | undefined {
  return system.findings.find((f) => f.code === code);
}

describe("consumers fetch by bytes; max.poll.records bounds only what one poll hands over", () => {
  it("a consumer keeps up with a partition far above max.poll.records per round trip (the issue's 6% case)", () => {
    // 40,000 records/s on one partition, 1 us of processing each, 200 ms round trips (a distant
    // cluster). Fetching max.poll.records per round trip, as the model did before, reads
    // 500 / 200.5 ms = 2,494 records/s: 6% of what is accepted. A fetch of 1 MiB holds R = 9,532
    // records; the next fetch goes out when the buffer drains, so a cycle is a round trip plus the
    // processing of all but the last poll (~9.5 ms): R / 0.21 s = 45,400 records/s, above the arrivals.
    // The consumer keeps up: at the end at most two cycles' arrivals (~17,000, 0.7%) are not processed yet.
    const latency = "{ median: 200ms, p99: 200ms }";
    const system = run({ duration: "1m", rate: "{ recordsPerSecond: 40000, arrivals: uniform }", latency, group: "{ name: g, processing: { perRecord: 1us } }" });
    const group = system.consumers[0]!.records;
    const consumedShare = group.consumed / system.records.accepted;
    console.info(`fetch by bytes: consumed ${(consumedShare * 100).toFixed(2)}% of ${system.records.accepted} accepted`);
    expect(consumedShare).toBeGreaterThan(0.99);
    expect(group.unread + group.inFlight).toBeLessThan(40_000 * 2 * 0.21);
  });

  it("with no processing time a fetch-bound consumer reads max.partition.fetch.bytes per round trip", () => {
    // max.partition.fetch.bytes 64 KiB: R = floor(65,536 / 110) = 595 records per 50 ms round trip,
    // 11,900 records/s, below the 20,000/s arriving. Over 60 s the consumer reads R/RTT x 60 s less
    // the first round trip; 2% covers the producer's linger (5 ms) before the first records are readable.
    const fetchRecords = Math.floor(65_536 / recordBytes);
    const system = run({
      duration: "1m",
      rate: "{ recordsPerSecond: 20000, arrivals: uniform }",
      group: "{ name: g, maxPartitionFetchBytes: 64KiB, processing: { perRecord: 0us } }",
    });
    const predicted = (fetchRecords / roundTripS) * 60;
    const consumed = system.consumers[0]!.records.consumed;
    console.info(`fetch-bound: consumed ${consumed}, predicted ${predicted.toFixed(0)}`);
    expect(Math.abs(consumed / predicted - 1)).toBeLessThan(0.02);
  });

  it("fetch.max.bytes caps a fetch over several partitions of one broker", () => {
    // Two partitions on one broker, both with a backlog (80,000 records/s; ten keys, at least one in
    // ten records on either), 64 KiB each but 64 KiB per fetch: one partition's 595 records per round
    // trip, 11,900 records/s, half what the two partitions' max.partition.fetch.bytes would allow. (The
    // partitions take turns: the fetch for one goes out while the other's records are handed over.)
    const fetchRecords = Math.floor(65_536 / recordBytes);
    const system = run({
      duration: "1m",
      partitions: 2,
      rate: "{ recordsPerSecond: 80000, arrivals: uniform }",
      group: "{ name: g, maxPartitionFetchBytes: 64KiB, fetchMaxBytes: 64KiB, processing: { perRecord: 0us } }",
    });
    const predicted = (fetchRecords / roundTripS) * 60;
    const consumed = system.consumers[0]!.records.consumed;
    console.info(`fetch.max.bytes: consumed ${consumed}, predicted ${predicted.toFixed(0)}`);
    expect(Math.abs(consumed / predicted - 1)).toBeLessThan(0.02);
  });
});

describe("max.poll.interval.ms: a poll whose processing outlasts it evicts the consumer", () => {
  // 1,000 records/s; the first fetch waits for fetch.min.bytes of 500 records, so the first poll hands
  // over max.poll.records = 500, processed at 1 s each: 500 s, beyond the 300 s deadline. The consumer
  // is evicted 300 s after that poll (~0.5 s): the group (of one) rebalances; at 500.5 s the consumer
  // finishes, its commit fails, it rejoins and starts again from the committed offset 0: the same 500
  // records (duplicates), evicted again at ~800.5 s, and so on. Over 20 minutes: polls at ~0.5, ~500.5
  // and ~1000.5 s, evictions at ~300.5 and ~800.5 s (the third would be at ~1300.5 s), 500 records
  // consumed and 500 redone.
  const group = (maxPollRecords: number) =>
    `{ name: g, maxPollRecords: ${maxPollRecords}, fetchMinBytes: ${500 * recordBytes}B, fetchMaxWait: 10s, processing: { perRecord: 1s } }`;
  const options = { duration: "20m", rate: "{ recordsPerSecond: 1000, arrivals: uniform }", latency: "{ median: 1ms, p99: 1ms }" };

  it("500 records x 1 s: evicted at ~300 s, the uncommitted records redone, a finding naming the fix", () => {
    const system = run({ ...options, group: group(500) });
    const records = system.consumers[0]!.records;
    const evicted = finding(system, "poll-interval-exceeded");
    console.info(`poll deadline: ${evicted?.message}`);
    expect(evicted?.severity).toBe("critical");
    expect(Number(evicted?.evidence.firstEvictionAtSeconds)).toBeGreaterThan(300.4);
    expect(Number(evicted?.evidence.firstEvictionAtSeconds)).toBeLessThan(300.6);
    expect(evicted?.evidence.evictions).toBe(2);
    expect(evicted?.evidence.longestPollSeconds).toBe(500);
    // (300 s - 0 per batch) / 1 s per record: 300 records take exactly the deadline, which Java's poll
    // timer counts as expired (now >= deadline), so at most 299 fit.
    expect(evicted?.evidence.maxPollRecordsThatFit).toBe(299);
    expect(evicted?.message).toMatch(/Lower maxPollRecords from 500 to at most 299/);
    expect(records.consumed).toBe(500);
    expect(records.duplicates).toBe(500);
  });

  it("200 records x 1 s fits in 300 s: no eviction, no duplicates", () => {
    const system = run({ ...options, group: group(200) });
    expect(finding(system, "poll-interval-exceeded")).toBeUndefined();
    expect(system.consumers[0]!.records.duplicates).toBe(0);
    // The first fetch holds the 500 records of fetch.min.bytes: polls of 200, 200 and the 100 left (a
    // poll does not wait for the next fetch), done at ~500.5 s; then polls of 200 from the next fetch,
    // done at ~700.5, ~900.5 and ~1,100.5 s: 1,100 records, each once.
    expect(system.consumers[0]!.records.consumed).toBe(1100);
  });
});

describe("a running group's rebalance waits for its members' heartbeats, not the initial delay", () => {
  // Four range members, eight partitions, 2,000 records/s processed at 50 us each; member 0 crashes at
  // 60 s. The coordinator notices it 45 s after its last heartbeat; each of the three others hears of the
  // rebalance at its next heartbeat, a uniform wait in [0, 3 s) (their phases are independent), and
  // rejoins at once (its polls last milliseconds). The pause is set by the last of three: the maximum of
  // three uniforms, mean 3 x 3/4 = 2.25 s, standard deviation 3 x sqrt(3/80) = 0.58 s. Over 16 seeds the
  // mean has a standard error of 0.15 s: 0.45 s (3 standard errors) separates it from the 3 s that
  // group.initial.rebalance.delay.ms would give (and gave in the model before).
  it("the mean eager pause over 16 seeds is the expected last heartbeat, 2.25 s", () => {
    const pauses: number[] = [];
    for (let seed = 1; seed <= 16; seed++) {
      const system = run({
        seed,
        duration: "110s",
        partitions: 8,
        rate: "{ recordsPerSecond: 2000, arrivals: poisson }",
        latency: "{ median: 1ms, p99: 1ms }",
        group: "{ name: g, consumers: 4, assignment: range, processing: { perRecord: 50us } }",
        timeline: "timeline:\n  - { at: 60s, system: k, action: consumer-crash, group: g, consumer: 0 }",
      });
      const rebalance = finding(system, "rebalance-reprocessed");
      expect(rebalance?.evidence.mostly).toBe("heartbeat");
      expect(Number(rebalance?.evidence.detectionSeconds)).toBeGreaterThan(42);
      pauses.push(Number(rebalance?.evidence.groupStoppedSeconds));
    }
    const mean = pauses.reduce((sum, pause) => sum + pause, 0) / pauses.length;
    console.info(`rebalance pause: mean ${mean.toFixed(3)} s over ${pauses.length} seeds (${pauses.map((p) => p.toFixed(2)).join(", ")})`);
    expect(Math.abs(mean - 2.25)).toBeLessThan(0.45);
  });
});
