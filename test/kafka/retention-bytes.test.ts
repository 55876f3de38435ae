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
    topic: { partitions: 1, segmentBytes: 1MiB${retentionBytes === null ? "" : `, retentionBytes: ${retentionBytes}`} }
    consumerGroups:
      - { name: slow, autoOffsetReset: earliest, processing: { perRecord: 2ms } }
`;
  const loaded = loadScenarioText(yaml, "retention-bytes.yaml");
  if (!loaded.ok) throw new Error("the retention scenario does not load");
  return runScenario(loaded.scenario).systems[0]!;
}

describe("size-based retention (log.retention.bytes)", () => {
  it("expires unread records beyond the size limit, and the accounting still closes", () => {
    // 1,000 records/s arrive, the group processes 500/s. The retention check runs at 30 s (then every
    // 5 min, past this run): the log holds ~30,000 records of ~1,000 B in 1 MiB segments; whole
    // segments go while at least 10 MB stays, so the log starts near record 20,000 (within a segment,
    // ~1,040 records). The group has processed ~15,000 by then: ~5,000 records expire before it reaches them.
    const limited = run("10MB");
    const group = limited.consumers[0]!.records;
    expect(group.expired).toBeGreaterThan(3_900);
    expect(group.expired).toBeLessThan(6_100);
    expect(group.consumed + group.inFlight + group.unread + group.expired + group.lost).toBe(limited.records.accepted);
  });

  it("without a limit nothing expires in the same run", () => {
    const group = run(null).consumers[0]!.records;
    expect(group.expired).toBe(0);
    expect(group.unread).toBeGreaterThan(55_000);
  });
});
