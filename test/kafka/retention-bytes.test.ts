import { describe, expect, it } from "vitest";
import { runScenario } from "../../sim/run/index.ts";
import { loadScenarioText } from "../../sim/scenario/index.ts";

// log.retention.bytes: a partition keeps at most that many bytes; older records are deleted whether or
// not a group read them, and unread ones count as expired. A group that never keeps up (processing
// slower than arrivals) loses what falls out of the window.
function run(retentionBytes: string | null) {
  const yaml = `
name: retention-bytes
seed: 3
duration: 2m
workload:
  - producer: p
    rate: { recordsPerSecond: 1000, arrivals: uniform }
    recordSize: { distribution: fixed, size: 1000B }
    keys: { distribution: fixed, key: k }
systems:
  - name: k
    kind: kafka
    brokers: { count: 1, instanceType: kafka.m5.large }
    topic: { partitions: 1${retentionBytes === null ? "" : `, retentionBytes: ${retentionBytes}`} }
    consumerGroups:
      - { name: slow, processing: { perRecord: 2ms } }
`;
  const loaded = loadScenarioText(yaml, "retention-bytes.yaml");
  if (!loaded.ok) throw new Error("the retention scenario does not load");
  return runScenario(loaded.scenario).systems[0]!;
}

describe("size-based retention (log.retention.bytes)", () => {
  it("expires unread records beyond the size limit, and the accounting still closes", () => {
    // 1,000 records/s arrive, the group processes 500/s: the backlog grows by 500 records/s. With a
    // 10 MB limit (~9,900 records of ~1,009 B (value, key and framing) in the log) the group can be at most ~9,900 records
    // behind; over 120 s it falls ~60,000 behind without the limit, so ~50,000 expire with it.
    const limited = run("10MB");
    const group = limited.consumers[0]!.records;
    expect(group.expired).toBeGreaterThan(45_000);
    expect(group.expired).toBeLessThan(55_000);
    expect(group.consumed + group.inFlight + group.unread + group.expired + group.lost).toBe(limited.records.accepted);
    // What is left unread fits in the limit (plus the one second between retention checks).
    expect(group.unread * 1009).toBeLessThan(10e6 + 1000 * 1009);
  });

  it("without a limit nothing expires in the same run", () => {
    const group = run(null).consumers[0]!.records;
    expect(group.expired).toBe(0);
    expect(group.unread).toBeGreaterThan(55_000);
  });
});
