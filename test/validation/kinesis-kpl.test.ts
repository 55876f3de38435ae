// The KPL's retries and rate limit (policy ttl) against an application's retry loop (policy attempts),
// docs/reference.md §1.2. Sources: [K-KPL-RETRY] (failed records go back into the KPL's buffer with the
// deadline min(RecordMaxBufferedTime / 2, time to live left), "no backoff algorithm", and a per-shard rate
// limit, by default 50% above the shard's limits, keeps the retries from spamming the shard) and [KPL-CFG]
// (RateLimit 150, RecordTtl 30,000 ms, RecordMaxBufferedTime 100 ms; `ShardLimiter` in limiter.h: token
// buckets of 1,000 records and 10 MiB refilling at 150% of 1,000 records/s and 1 MiB/s, drained every 25 ms).
//
// Workload: 200 B records (plus a key of up to 8 B) into one shard (1,000 records/s, 1 MiB/s), so the
// records limit binds. Figures and tolerances:
// - 2,000 records/s for 3 minutes (2x the shard). Attempts reaching the shard are at most 150% of its limit
//   in every 1-minute interval; the limiter's bucket starts full, which adds at most 1,000 records to the
//   first minute (1/60 of the limit), hence < 1.52. The shard takes 1,000/s (+1,000 of its own burst; 1%).
//   Nothing is accepted later than RecordTtl plus one call (latency p99 80 ms; 0.5 s allowed for the
//   histogram's buckets). Records leave the buffer only when sent or at their TTL, so at the end it holds the
//   last 30 s of arrivals (60,000) and the rest of what the shard did not take was dropped:
//   360,000 - 181,000 - 60,000 = 119,000 (2%).
// - The same workload with policy attempts (3 attempts, 100 ms base, full jitter): no rate limit, so attempts
//   reach several times the limit (4.9x in a run), and records drop after a third throttle, within a second.
// - A short overload: 500 records/s, then 2,000/s for 10 s, then 500/s. About 9,000 records wait (10 s at
//   1,000/s over the limit, less the shard's 1,000 burst) and drain at the 500/s the shard has spare, in
//   ~18 s < 30 s: the KPL drops none; three attempts drop thousands.
// - Calls: the KPL sends what its queues hold when it polls them, every 25 ms: at most 40 calls/s from
//   the polls and 10/s from batches (100 ms linger), so under 50/s.

import { describe, expect, it } from "vitest";
import { resultOfKind, type SystemResult } from "../../sim/metrics/index.ts";
import { runScenario } from "../../sim/run/index.ts";
import { loadScenarioText } from "../../sim/scenario/index.ts";

function scenario(rate: string): string {
  return `name: kpl-overload
seed: 61
duration: 3m
warmup: 30s
workload:
  - producer: p
    rate: ${rate}
    recordSize: { distribution: fixed, size: 200B }
    keys: { distribution: uniform, cardinality: 5000 }
systems:
  - name: kpl
    kind: kinesis
    capacity: { mode: provisioned, shards: 1 }
    producer: { retry: { policy: ttl } }
  - name: app
    kind: kinesis
    capacity: { mode: provisioned, shards: 1 }
    producer: { retry: { policy: attempts } }
`;
}

function run(rate: string): { kpl: SystemResult; app: SystemResult } {
  const loaded = loadScenarioText(scenario(rate), "test/validation/kinesis-kpl.yaml");
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues));
  const [kpl, app] = runScenario(loaded.scenario).systems;
  return { kpl, app };
}

describe("the KPL retries without backoff under its per-shard rate limit, until RecordTtl (docs/reference.md §1.2)", () => {
  // Replay: write scenario("{ recordsPerSecond: 2000 }") to a file and run `npx tsx sim/cli/main.ts run FILE`.
  const sustained = run("{ recordsPerSecond: 2000 }");

  it("sends a shard driven at 2x its limit at most 150% of it, where three attempts send several times it", () => {
    const limiter = Array.from(sustained.kpl.partitions[0].attemptUtilization);
    for (const utilization of limiter) expect(utilization).toBeGreaterThan(1.45);
    expect(Math.max(...limiter)).toBeLessThan(1.52);
    expect(Math.min(...sustained.app.partitions[0].attemptUtilization)).toBeGreaterThan(3);
    // Held records go out when the KPL polls (every 25 ms), not once per record or per retry: about 40
    // calls/s, plus a batch's call when its shard has no queue (10/s at the 100 ms linger).
    const calls = resultOfKind(sustained.kpl, "kinesis").series["PutRecords.Calls"];
    for (let i = 0; i < 3; i++) expect(calls.sumAt(i) / 60).toBeLessThan(50);
  });

  it("accepts 1,000 records/s and drops only records older than RecordTtl", () => {
    const { produced, accepted, dropped, pending } = sustained.kpl.records;
    expect(accepted + dropped + pending).toBe(produced);
    expect(Math.abs(accepted / 181_000 - 1)).toBeLessThan(0.01);
    expect(sustained.kpl.producerLatency.max).toBeLessThan(30_000_000 + 500_000);
    // The buffer holds the last 30 s of arrivals; everything older that the shard did not take was dropped.
    expect(Math.abs(pending / 60_000 - 1)).toBeLessThan(0.02);
    expect(Math.abs(dropped / 119_000 - 1)).toBeLessThan(0.02);
    // The finding names the TTL as the cause, not attempts the KPL does not count.
    const finding = sustained.kpl.findings.find((candidate) => candidate.code === "records-dropped");
    expect(finding?.message).toContain("older than retry.recordTtl (30.0 s)");
    expect(sustained.app.findings.find((candidate) => candidate.code === "records-dropped")?.message).toContain("ran out of attempts");
  });

  it("rides out a 10 s overload without a drop, where three attempts drop thousands", () => {
    const { kpl, app } = run("{ phases: [ { duration: 20s, recordsPerSecond: 500 }, { duration: 10s, recordsPerSecond: 2000 }, { duration: 150s, recordsPerSecond: 500 } ] }");
    expect(kpl.records.dropped).toBe(0);
    expect(kpl.records.accepted + kpl.records.pending).toBe(kpl.records.produced);
    expect(kpl.producerLatency.max).toBeLessThan(30_000_000);
    expect(app.records.dropped).toBeGreaterThan(5_000);
  });
});
