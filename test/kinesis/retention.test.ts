// Retention: a consumer slower than the arrival rate falls further behind until records expire
// (24 h, the minimum retention) before it reads them; those are counted as expired for it, the
// accounting still closes, and the findings say what happened.

import { describe, expect, it } from "vitest";
import { runScenario } from "../../sim/run/index.ts";
import { loadScenarioText } from "../../sim/scenario/index.ts";

const scenario = `name: retention-expiry
duration: 30h
report: { interval: 1h }
workload:
  - producer: p
    rate: { recordsPerSecond: 1, arrivals: uniform }
    recordSize: { distribution: fixed, size: 100B }
    keys: { distribution: fixed, key: k }
systems:
  - name: kds
    kind: kinesis
    capacity: { mode: provisioned, shards: 1 }
    producer: { batch: { linger: 10ms } }
    consumers:
      - { name: slow, type: polling, maxRecords: 10, processing: { perRecord: 10s } }
`;

describe("retention", () => {
  it("counts records that expire unread, keeps the accounting closed, and flags it", () => {
    const loaded = loadScenarioText(scenario, "test/kinesis/retention.yaml");
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues));
    const system = runScenario(loaded.scenario).systems[0];
    const consumer = system.consumers[0];
    const r = consumer.records;
    // The consumer processes one record per 10 s, a tenth of the arrivals: by time T it has reached the
    // records created at 0.1 T, so its lag is 0.9 T and reaches the 24 h retention at T = 26.7 h. From
    // then on records expire unread at 0.9 per second: (30 - 26.67) h x 3,600 x 0.9 = 10,800.
    expect(r.expired).toBeGreaterThan(9_000);
    expect(r.expired).toBeLessThan(12_000);
    expect(r.consumed + r.inFlight + r.unread + r.expired + r.deadLettered + r.lost).toBe(system.records.accepted);
    expect(consumer.lag.max / 3.6e9).toBeGreaterThan(23.9);
    const codes = system.findings.map((finding) => finding.code);
    expect(codes).toContain("records-expired");
    expect(codes).toContain("consumer-falling-behind");
  });
});
