// Each Kafka example scenario exists to show something (docs/design.md "Tests and examples"): these tests
// run it shortened where the effect allows and assert that it shows it, and that its records are
// all accounted for.

import { describe, expect, it } from "vitest";
import type { SystemResult } from "../../sim/metrics/index.ts";
import { runScenario } from "../../sim/run/index.ts";
import { partitionForKey } from "../../sim/kafka/partitioner.ts";
import { expectRunAccountingCloses } from "../support/accounting.ts";
import { loadExample } from "../support/scenarios.ts";

const minuteUs = 60_000_000;

function run(file: string, durationUs?: number): SystemResult[] {
  const result = runScenario(loadExample(file, { durationUs }));
  expectRunAccountingCloses(result);
  return result.systems;
}

const codes = (system: SystemResult): string[] => system.findings.map((finding) => finding.code);

describe("Kafka examples", () => {
  it("kafka-uniform: evenly spread, nothing lost, the group keeps up: no findings", () => {
    const [msk] = run("kafka-uniform.yaml", 2 * minuteUs);
    expect(msk.findings).toEqual([]);
    expect(msk.consumers[0].lag.quantile(0.99)).toBeLessThan(1_000_000);
  });

  it("kafka-zipf: the partition of the busiest key is hot, with that key named", () => {
    const [msk] = run("kafka-zipf.yaml", 2 * minuteUs);
    const hot = msk.findings.find((finding) => finding.code === "hot-partition");
    expect(hot?.subject).toBe(`events-${partitionForKey("sensor-0", 12)}`);
    expect(hot?.evidence.topKey).toBe("sensor-0");
    expect(msk.records.throttledAttempts).toBe(0);
  });

  it("kafka-country-codes: the US partition is hot and its consumer falls behind", () => {
    const [orders] = run("kafka-country-codes.yaml");
    const hot = orders.findings.find((finding) => finding.code === "hot-partition");
    expect(hot?.subject).toBe(`events-${partitionForKey("US", 12)}`);
    expect(codes(orders)).toContain("consumer-falling-behind");
    expect(orders.consumers[0].records.unread).toBeGreaterThan(0);
  });

  it("kafka-broker-failure: RF 3 + acks=all elects new leaders and loses nothing; RF 1 is offline for the outage", () => {
    const [durable, fragile] = run("kafka-broker-failure.yaml", 6 * minuteUs);
    expect(durable.consumers[0].records.lost).toBe(0);
    expect(durable.records.dropped).toBe(0);
    const unavailable = (system: SystemResult) => system.findings.find((finding) => finding.code === "partitions-unavailable");
    // Durable partitions are leaderless only until the controller fences the broker (9 s); fragile
    // ones for the whole 2-minute outage.
    expect(Number(unavailable(durable)?.evidence.longestSeconds)).toBeLessThanOrEqual(10);
    expect(Number(unavailable(fragile)?.evidence.longestSeconds)).toBeGreaterThanOrEqual(119);
    // The durable topic's 9 s is the election alone: the failover working, a warning whose remedy is not
    // "add replicas" (one broker was down; no replication setting shortens an election). The fragile
    // topic's two minutes are critical.
    expect(unavailable(durable)?.severity).toBe("warning");
    expect(unavailable(durable)?.message).toMatch(/That is the failover working/);
    expect(unavailable(durable)?.message).not.toMatch(/add replicas/);
    expect(unavailable(fragile)?.severity).toBe("critical");
    // Records held through the outage reach the fragile group up to 2 minutes late; the durable
    // group's wait at most the election. (The held batches go out 5 requests in flight at a time,
    // merged, so the backlog clears within a second: the per-second lag samples need not catch it.)
    expect(fragile.consumers[0].endToEndLatency.max).toBeGreaterThan(100_000_000);
    expect(durable.consumers[0].endToEndLatency.max).toBeLessThan(15_000_000);
    expect(durable.consumers[0].lag.max).toBeLessThan(15_000_000);
    // The fragile producer's 2 offline partitions take 1,000 records/s of about 821 B; their batches
    // fill to batch.size (19 records in 16,384 B of buffer.memory), so 32 MiB is full after
    // 33,554,432 / (1,000 x 16,384 / 19) = 38.9 s. Sends blocked from then fail after max.block.ms
    // (60 s) until the broker returns at 5m: those created from 3m38.9s to 4m, 21.1 s x 3,000 = 63,300.
    expect(Math.abs(Number(fragile.facts.bufferExhaustedRecords) / 63_300 - 1)).toBeLessThan(0.05);
    expect(Math.abs(Number(fragile.facts.sendBlockedSeconds) / (120 - 38.9) - 1)).toBeLessThan(0.05);
  });

  it("kafka-consumer-crash: one rebalance per group after the session timeout, and reprocessing counted", () => {
    const [eager, cooperative] = run("kafka-consumer-crash.yaml", 4 * minuteUs);
    for (const system of [eager, cooperative]) {
      expect(system.facts.rebalances).toBe(1);
      expect(system.consumers[0].records.duplicates).toBeGreaterThan(0);
      // The crashed member's partitions wait for the 45 s session timeout, counted from its last
      // heartbeat (at most 3 s before the crash): the lag reaches at least 42 s.
      expect(system.consumers[0].lag.max).toBeGreaterThan(42_000_000);
    }
  });
});
