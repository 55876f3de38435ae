// Broker storage is billed for the bytes the logs keep (docs/reference.md §3.3, §5). Sources:
// UnifiedLog.deleteOldSegments and LogConfig (whole segments go once their newest record is older than
// retention.ms, or while what stays is at least retention.bytes; the check runs every
// log.retention.check.interval.ms, 300,000 ms, first after 30 s); Amazon MSK pricing (storage in
// GB-months: GB stored, averaged over the month; $0.10 per GB-month in us-east-1, [IC-MSK] ◐).
//
// So a partition keeps between what retention allows and that plus a segment plus 5 minutes of writes:
// - by time: rate x retention.ms to rate x (retention.ms + 300 s) + a segment;
// - by size: retention.bytes to retention.bytes + a segment + 300 s of writes;
// and the cost's GB-months are that time-average x replicas, held all month.

import { describe, expect, it } from "vitest";
import { scenarioCosts } from "../../sim/cost/index.ts";
import { resultOfKind } from "../../sim/metrics/index.ts";
import { runScenario } from "../../sim/run/index.ts";
import { loadScenarioText } from "../../sim/scenario/index.ts";

const GB = 1024 ** 3;

function storage(topic: string, brokers: number, duration: string, warmup: string, recordsPerSecond: number) {
  const loaded = loadScenarioText(
    `
name: kafka-storage-cost
seed: 9
duration: ${duration}
warmup: ${warmup}
report: { interval: 1m }
workload:
  - producer: p
    rate: { recordsPerSecond: ${recordsPerSecond}, arrivals: uniform }
    recordSize: { distribution: fixed, size: 5000B }
    keys: { distribution: uniform, cardinality: 100, template: "k-{i}" }
systems:
  - name: msk
    kind: kafka
    brokers: { count: ${brokers}, instanceType: kafka.m5.large }
    topic: ${topic}
`,
    "kafka-storage-cost.yaml",
  );
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues));
  const system = resultOfKind(runScenario(loaded.scenario).systems[0]!, "kafka");
  const [cost] = scenarioCosts(loaded.scenario, [system]);
  const line = cost!.lineItems.find((item) => item.item === "broker storage")!;
  return { system, line, notes: cost!.assumptions.join("\n") };
}

// Each record is 5,000 B + a 3- or 4-byte key + 8 B of framing in the log (5,011-5,012 B).
const recordLogBytes = { min: 5011, max: 5012 };

describe("a time-retained topic keeps rate x retention (plus a segment and a check interval's writes)", () => {
  // 200 records/s (1 MB/s) over 3 partitions, RF 3 on 3 brokers (every broker holds every partition),
  // retention 10 min, 10 MiB segments; an hour, the first 30 min warm-up, so the window is in the
  // steady state (deletions at 630 s, 930 s, ...).
  const { line, notes } = storage("{ partitions: 3, replicationFactor: 3, retention: 10m, segmentBytes: 10MiB }", 3, "60m", "30m", 200);

  it("bills the time-average kept, x 3 replicas, within the analytic bounds", () => {
    const low = (200 * recordLogBytes.min * 600 * 3) / GB;
    const high = ((200 * recordLogBytes.max * 900 + 3 * 10 * 1024 ** 2) * 3) / GB;
    console.info(`kafka storage by time: ${line.quantity.toFixed(4)} GB-month (bounds ${low.toFixed(4)}-${high.toFixed(4)})`);
    expect(line.quantity).toBeGreaterThanOrEqual(low);
    expect(line.quantity).toBeLessThanOrEqual(high);
    // Fluid average: after each check a partition keeps 600 s plus, on average, half a segment (10 MiB
    // at 1/3 MB/s is 31.4 s, so 15.7 s), then grows for 300 s: 600 + 15.7 + 150 = 765.7 s of writes.
    // 3%: where in its segment each check falls. (Billing rate x retention alone, 600 s, is 22% less.)
    const fluid = (200 * 5011.5 * 765.7 * 3) / GB;
    expect(Math.abs(line.quantity / fluid - 1)).toBeLessThan(0.03);
    expect(line.unitPriceUsd).toBe(0.1);
    expect(notes).toContain("averaged over the run after warm-up");
    expect(notes).not.toContain("simulated fill");
  });
});

describe("a size-retained topic keeps retention.bytes (plus a segment and a check interval's writes)", () => {
  // 20 records/s (100 KB/s) to one partition on one broker, retention 7 days but retention.bytes 100 MB,
  // 1 MiB segments: the cap binds after ~1,000 s; an hour, the first 30 min warm-up.
  const capBytes = 100e6;
  const { line, notes } = storage(`{ partitions: 1, replicationFactor: 1, retentionBytes: 100MB, segmentBytes: 1MiB }`, 1, "60m", "30m", 20);

  it("bills about retention.bytes, not 7 days of ingest", () => {
    const low = capBytes / GB;
    const high = (capBytes + 1024 ** 2 + 20 * recordLogBytes.max * 300) / GB;
    console.info(`kafka storage by size: ${line.quantity.toFixed(4)} GB-month (bounds ${low.toFixed(4)}-${high.toFixed(4)}; 7 days of ingest would be ${((20 * 5011 * 7 * 86400) / GB).toFixed(1)})`);
    expect(line.quantity).toBeGreaterThanOrEqual(low);
    expect(line.quantity).toBeLessThanOrEqual(high);
    expect(notes).toContain("retention.bytes capped it");
  });
});
