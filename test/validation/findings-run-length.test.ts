// Findings that hold for any run length (docs/models.md "Falling behind"): the falling-behind rule
// judges the per-second lag samples of the whole window after warm-up, so a short run of a consumer
// that cannot keep up says so as a long one does, and a consumer that keeps up but polls rarely
// (a sawtooth lag whose peaks do not rise) is never accused. Fluid model: a consumer serving μ
// records/s of λ arriving falls behind at 1 - μ/λ seconds of lag per second.

import { describe, expect, it } from "vitest";
import type { Finding, SystemResult } from "../../sim/metrics/index.ts";
import { runScenario } from "../../sim/run/index.ts";
import { loadExample, loadInline } from "../support/scenarios.ts";

const minuteUs = 60_000_000;

/**
 * One shard, 500 records/s, one polling reader processing 10 ms per record: μ = 100/s, lag slope 0.8 s/s.
 * maxRecords 1,000 keeps its batches (whose records count as processed together) to 10 s, so the lag's
 * teeth are short beside the run; with the default 10,000 a batch takes 100 s and a 3-minute run sees
 * under two teeth, whose peaks rise at 1 s/s within each.
 */
const slowReader = (duration: string): string => `
name: slow-reader-${duration}
seed: 3
duration: ${duration}
warmup: 30s
workload:
  - producer: events
    rate: { recordsPerSecond: 500, arrivals: poisson }
    recordSize: { distribution: fixed, size: 100B }
    keys: { distribution: uniform, cardinality: 1000, template: "k-{i}" }
systems:
  - name: kds
    kind: kinesis
    capacity: { mode: provisioned, shards: 1 }
    consumers:
      - { name: reader, type: polling, maxRecords: 1000, processing: { perRecord: 10ms } }
`;

/** One shard, 40 records/s, polled every 75 s: 3,000 records a poll, under maxRecords 10,000, processed in 0.3 s. */
const rarePoller = `
name: rare-poller
seed: 4
duration: 10m
warmup: 1m
workload:
  - producer: events
    rate: { recordsPerSecond: 40, arrivals: poisson }
    recordSize: { distribution: fixed, size: 100B }
    keys: { distribution: uniform, cardinality: 1000, template: "k-{i}" }
systems:
  - name: kds
    kind: kinesis
    capacity: { mode: provisioned, shards: 1 }
    consumers:
      - { name: reader, type: polling, pollInterval: 75s, processing: { perRecord: 100us } }
`;

function only(systems: SystemResult[]): SystemResult {
  expect(systems).toHaveLength(1);
  return systems[0]!;
}

const behind = (system: SystemResult): Finding | undefined =>
  system.findings.find((finding) => finding.code === "consumer-falling-behind");

describe("falling behind, whatever the run length", () => {
  it("a 3-minute and a 4-minute run of a reader at 1/5 of the arrival rate give the same finding", () => {
    const [three, four] = ["3m", "4m"].map((duration) => behind(only(runScenario(loadInline(slowReader(duration))).systems)));
    for (const finding of [three, four]) {
      expect(finding?.subject).toBe("reader");
      expect(finding?.evidence.cause).toBe("processing");
      // Fluid slope 1 - 100/500 = 0.8 s/s; Poisson arrivals and the 10 s teeth move it by a few percent.
      expect(Math.abs(Number(finding?.evidence.lagGrowthMsPerSecond) / 800 - 1)).toBeLessThan(0.05);
    }
    expect(three?.severity).toBe(four?.severity);
  });

  it("a reader polling every 75 s that takes all that arrived each time is never falling behind over 10 minutes", () => {
    const kds = only(runScenario(loadInline(rarePoller)).systems);
    const reader = kds.consumers[0]!;
    // Its lag is a sawtooth up to ~75 s (a pure trough-to-peak slope of 1 s/s) ...
    expect(reader.lag.max / 1e6).toBeGreaterThan(60);
    // ... and everything that arrived before the last poll was read.
    expect(reader.records.unread).toBeLessThan(40 * 75 + 200);
    expect(behind(kds)).toBeUndefined();
  });

  it("kafka-country-codes at 5 minutes: the group reading the US partition falls behind", () => {
    const [orders] = runScenario(loadExample("kafka-country-codes.yaml", { durationUs: 5 * minuteUs })).systems;
    const finding = behind(orders!);
    expect(finding?.subject).toBe("fulfilment");
    // The US partition takes ~34% of 3,000 records/s, above the 1,000/s its one consumer processes at 1 ms each.
    expect(finding?.evidence.cause).toBe("processing");
  });
});

describe("rebalance and uneven-load findings", () => {
  it("kafka-consumer-crash: both groups reprocess, only the eager one stops the whole group", () => {
    const [eager, cooperative] = runScenario(loadExample("kafka-consumer-crash.yaml", { durationUs: 3 * minuteUs })).systems.map((system) =>
      system.findings.find((finding) => finding.code === "rebalance-reprocessed"),
    );
    expect(Number(eager?.evidence.duplicates)).toBeGreaterThan(0);
    expect(Number(cooperative?.evidence.duplicates)).toBeGreaterThan(0);
    // An existing group's rebalance waits for its members to rejoin, not group.initial.rebalance.delay.ms
    // (docs/reference.md §3.4): each hears of it at its next heartbeat (within 3 s), finishes its poll
    // (500 records x 100 us = 50 ms) and rejoins; JoinGroup and SyncGroup take milliseconds.
    expect(Number(eager?.evidence.groupStoppedSeconds)).toBeGreaterThan(0);
    expect(Number(eager?.evidence.groupStoppedSeconds)).toBeLessThan(3 + 0.05 + 0.1);
    expect(eager?.evidence.mostly).toBe("heartbeat");
    // The crash is noticed session.timeout.ms (45 s) after the member's last heartbeat (at most 3 s before it).
    expect(Number(eager?.evidence.detectionSeconds)).toBeGreaterThan(42);
    expect(Number(eager?.evidence.detectionSeconds)).toBeLessThanOrEqual(45);
    expect(cooperative?.evidence.groupStoppedSeconds).toBe(0);
    expect(Number(cooperative?.evidence.partitionsRevoked)).toBeLessThan(Number(eager?.evidence.partitionsRevoked));
  });

  it("kinesis-country-codes: a critical hot shard is not repeated as uneven-load", () => {
    const [orders] = runScenario(loadExample("kinesis-country-codes.yaml", { durationUs: 2 * minuteUs })).systems;
    const codes = orders!.findings.map((finding) => `${finding.severity}:${finding.code}`);
    expect(codes).toContain("critical:hot-shard");
    expect(codes).not.toContain("info:uneven-load");
  });
});
