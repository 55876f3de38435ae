// The KPL's retry and rate limit (docs/reference.md §1.2; [K-KPL-RETRY], [KPL-CFG]). AWS: failed records
// go back into the KPL's buffer with the deadline min(RecordMaxBufferedTime / 2, time to live left),
// "no backoff algorithm", and a per-shard token bucket (records and bytes) lets one producer send at
// most RateLimit = 150% of the shard's limit; RecordTtl 30,000 ms, RecordMaxBufferedTime 100 ms.
// Figures: 1,300 records/s of 200 B into one shard (1,000 records/s) -> attempts at most 1,500/s
// (150%; 1 s of bucket burst over a 1-minute interval adds at most 1/60, hence 1.55), accepted
// 1,000/s (2% for the shard's own 1 s burst), and no accepted record older than RecordTtl plus one
// call (<= 80 ms; 0.5 s allowed for the histogram's bucket width).

import { describe, expect, it } from "vitest";
import { runScenario } from "../../sim/run/index.ts";
import { loadScenarioText } from "../../sim/scenario/index.ts";

const scenario = `name: kpl-overload
seed: 61
duration: 3m
warmup: 30s
workload:
  - producer: p
    rate: { recordsPerSecond: 1300 }
    recordSize: { distribution: fixed, size: 200B }
    keys: { distribution: uniform, cardinality: 5000 }
systems:
  - name: kpl
    kind: kinesis
    capacity: { mode: provisioned, shards: 1 }
    producer: { retry: { policy: ttl } }
`;

describe("the KPL retries without backoff under its per-shard rate limit and RecordTtl", () => {
  const loaded = loadScenarioText(scenario, "test/validation/kinesis-kpl.yaml");
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues));
  const system = runScenario(loaded.scenario).systems[0];

  it("sends a shard at most 150% of its limit, in every report interval", () => {
    // Replay: npx tsx sim/cli/main.ts run <this scenario> (the old model reached 929% in attempts).
    const shard = system.partitions[0];
    expect(Math.max(...shard.attemptUtilization)).toBeLessThan(1.55);
    expect(shard.peakAttemptUtilization).toBeGreaterThan(1.4);
  });

  it("accepts 1,000 records/s and no accepted record waited longer than RecordTtl plus one call", () => {
    const { produced, accepted, dropped, pending } = system.records;
    expect(accepted + dropped + pending).toBe(produced);
    expect(Math.abs(accepted / 180 / 1000 - 1)).toBeLessThan(0.02);
    expect(system.producerLatency.max).toBeLessThan(30_000_000 + 500_000);
    // Nothing is held longer than its TTL: at the end the buffer holds at most the last 30 s of
    // arrivals (1,300/s), and everything else not accepted was dropped.
    expect(pending).toBeLessThan(1300 * 30);
    expect(dropped).toBeGreaterThan(produced - accepted - 1300 * 30);
  });
});
