// auto.offset.reset after retention deleted a group's position (docs/reference.md §3.3-3.4). Sources:
// ConsumerConfig (auto.offset.reset latest: "automatically reset the offset to the latest offset";
// earliest: to the earliest), UnifiedLog.deleteOldSegments (whole segments older than retention.ms go,
// checked every log.retention.check.interval.ms, 300,000 ms, first after 30 s).
//
// Fluid model. 1,000 records/s of 1,000 B to one partition, retention 60 s, 1 MiB segments (~1,040
// records, ~1 s); the group processes 500 records/s (2 ms each), so it falls behind by half a second
// each second. The checks at 330 s and 630 s delete what was created before 270 s and 570 s.
// - earliest: at 330 s the group has processed up to 165 s: 165-270 s expire (105,000), it resumes at
//   270 s and reaches 420 s by 630 s: 420-570 s expire (150,000). Lost 0, expired 255,000.
// - latest: it jumps to the log end (330 s) instead: 105,000 expire and 270-330 s, kept but skipped,
//   are lost (60,000 = rate x retention); by 630 s it reaches 480 s: 480-570 s expire (90,000) and
//   570-630 s are lost (60,000). Lost 120,000, expired 195,000, in 2 resets, the first at ~330 s.
// Segments are deleted whole (a segment goes once its newest record is 60 s old, so up to one more,
// ~1,040 records, is kept) and the group resets at its next fetch after the check (within one
// 500-record poll, 1 s, 1,000 arrivals): each reset skips 60,000 to 62,040 records. Expired counts
// are within a segment and a poll per check: 3%.

import { describe, expect, it } from "vitest";
import { runScenario } from "../../sim/run/index.ts";
import { loadScenarioText } from "../../sim/scenario/index.ts";

function run(reset: "latest" | "earliest") {
  const loaded = loadScenarioText(
    `
name: offset-reset-${reset}
seed: 5
duration: 12m
workload:
  - producer: p
    rate: { recordsPerSecond: 1000, arrivals: uniform }
    recordSize: { distribution: fixed, size: 1000B }
    keys: { distribution: fixed, key: k }
systems:
  - name: msk
    kind: kafka
    brokers: { count: 1, instanceType: kafka.m5.large }
    topic: { partitions: 1, retention: 60s, segmentBytes: 1MiB }
    consumerGroups:
      - { name: slow, autoOffsetReset: ${reset}, processing: { perRecord: 2ms } }
`,
    "offset-reset.yaml",
  );
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues));
  return runScenario(loaded.scenario).systems[0]!;
}

const near = (value: number, expected: number) => expect(Math.abs(value / expected - 1)).toBeLessThan(0.03);

describe("a group too slow for retention loses what retention deleted, and with latest what it skipped", () => {
  const earliest = run("earliest");
  const latest = run("latest");

  it("every accepted record is consumed, in flight, unread, expired or lost, for both policies", () => {
    for (const system of [earliest, latest]) {
      const r = system.consumers[0]!.records;
      expect(r.consumed + r.inFlight + r.unread + r.expired + r.lost).toBe(system.records.accepted);
    }
  });

  it("earliest loses only what retention deleted: 255,000 expired, nothing skipped", () => {
    const r = earliest.consumers[0]!.records;
    console.info(`offset reset earliest: expired ${r.expired}, lost ${r.lost}, consumed ${r.consumed}`);
    expect(r.lost).toBe(0);
    near(r.expired, 255_000);
    expect(earliest.findings.some((finding) => finding.code === "offset-reset")).toBe(false);
    expect(earliest.findings.some((finding) => finding.code === "records-expired")).toBe(true);
  });

  it("latest also loses the kept records it skipped: rate x retention per reset, 120,000 in 2 resets", () => {
    const r = latest.consumers[0]!.records;
    console.info(`offset reset latest: expired ${r.expired}, lost ${r.lost}, consumed ${r.consumed}`);
    expect(r.lost).toBeGreaterThanOrEqual(2 * 60_000);
    expect(r.lost).toBeLessThanOrEqual(2 * 62_040);
    near(r.expired, 195_000);
    const finding = latest.findings.find((candidate) => candidate.code === "offset-reset");
    expect(finding?.severity).toBe("critical");
    expect(finding?.evidence).toMatchObject({ resets: 2, skipped: r.lost, autoOffsetReset: "latest" });
    const firstResetSeconds = Number(finding?.evidence.firstResetSeconds);
    expect(firstResetSeconds).toBeGreaterThanOrEqual(330);
    expect(firstResetSeconds).toBeLessThan(332);
    expect(finding?.message).toMatch(/Consume faster .* keep records longer .* earliest/);
  });
});
