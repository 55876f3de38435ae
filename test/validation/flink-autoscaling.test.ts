// Managed Flink's automatic scaling rule (docs/reference.md §8.6, [MSF-AUTO]): one CPU data point a
// minute; 15 consecutive points at or above 75% double the parallelism; 360 consecutive points (six
// hours) below 10% halve it, never below the configured parallelism; each change is a restart, and the
// KPU-hours follow the KPU count over time.
//
// The load is chosen so every data point is far from a threshold: 400 records/s at 2 ms of CPU each is
// 80% of one KPU (a sampling error of a fraction of a percent with 24,000 records a minute); after the
// scale-up the same load is 40% of each of two KPUs; 20 records/s is 4% (2% at parallelism 2). So the
// scale-up comes at the 15th data point, 900 s (the first point is at 60 s); the low phase starts at
// 1,200 s and the 360th low point comes at 1,200 + 360 x 60 = 22,800 s. KPU-hours (orchestration KPU
// included): 2 x 900 s + 3 x 21,900 s + 2 x 600 s = 68,700 KPU-s = 19.0833 KPU-hours, exactly.
// The file takes about 5 s of CPU: the scale-down rule needs six and a half simulated hours (kept to
// 20 records/s, one shard, so the run is mostly polls).

import { describe, expect, it } from "vitest";
import { scenarioCosts } from "../../sim/cost/cost.ts";
import { runScenario } from "../../sim/run/index.ts";
import { expectRunAccountingCloses } from "../support/accounting.ts";
import { loadInline } from "../support/scenarios.ts";

const runTimeoutMs = 180_000;

describe("Flink autoscaling: the managed service's CPU rule", () => {
  it("scales up after 15 minutes at 80% CPU and down after six hours at 4%, billing KPU-hours as the KPUs change", () => {
    const text = `name: flink-autoscaling-rule
seed: 11
duration: 23400s
report: { interval: 10m }
workload:
  - producer: p
    rate: { phases: [ { duration: 1200s, recordsPerSecond: 400 }, { duration: 22200s, recordsPerSecond: 20 } ], arrivals: uniform }
    recordSize: { distribution: fixed, size: 100B }
    keys: { distribution: uniform, cardinality: 1000, template: "k-{i}" }
systems:
  - name: kds
    kind: kinesis
    capacity: { mode: provisioned, shards: 1 }
    consumers:
      - { name: app, type: flink, parallelism: 1, processing: { perRecord: 2ms }, autoscaling: { maxKpus: 8 } }
`;
    const scenario = loadInline(text);
    const result = runScenario(scenario);
    expectRunAccountingCloses(result);
    const system = result.systems[0]!;
    const flink = system.consumers[0]!.flink!;
    expect(flink.checkpoints.restarts).toEqual([
      { atUs: 900e6, cause: "scale-up", parallelism: 2 },
      { atUs: 22_800e6, cause: "scale-down", parallelism: 1 },
    ]);
    expect(flink.parallelism).toBe(1);
    expect(flink.peakKpus).toBe(2);
    expect(flink.kpuHoursAfterWarmup).toBeCloseTo(68_700 / 3600, 9);
    // A scaling restart resumes from a snapshot taken as the job stops: almost nothing is read twice
    // (only batches processed out of order beyond the processed position).
    expect(flink.checkpoints.reprocessedRecords).toBeLessThan(100);
    expect(system.findings.map((finding) => finding.code)).toContain("flink-restarts");
    const lineItems = scenarioCosts(scenario, result.systems)[0]!.lineItems;
    const kpuItem = lineItems.find((item) => item.item.startsWith("Managed Flink KPU-hours"))!;
    expect(kpuItem.item).toContain("autoscaled up to 2 KPUs");
    // Storage follows the mean KPUs after warm-up: 19.0833 KPU-hours over 6.5 h, less the orchestration KPU.
    const storage = lineItems.find((item) => item.item.startsWith("Managed Flink running application storage"))!;
    expect(storage.quantity).toBeCloseTo((68_700 / 23_400 - 1) * 50, 6);
  }, runTimeoutMs);

  it("with autoscaling off the parallelism stays fixed whatever the CPU", () => {
    const text = `name: flink-fixed
seed: 11
duration: 20m
report: { interval: 1m }
workload:
  - producer: p
    rate: { recordsPerSecond: 400, arrivals: uniform }
    recordSize: { distribution: fixed, size: 100B }
    keys: { distribution: uniform, cardinality: 1000, template: "k-{i}" }
systems:
  - name: kds
    kind: kinesis
    capacity: { mode: provisioned, shards: 1 }
    consumers:
      - { name: app, type: flink, parallelism: 1, processing: { perRecord: 2ms }, autoscaling: { enabled: false } }
`;
    const flink = runScenario(loadInline(text)).systems[0]!.consumers[0]!.flink!;
    expect(flink.checkpoints.restarts).toEqual([]);
    expect(flink.kpuHoursAfterWarmup).toBeCloseTo((2 * 1200) / 3600, 9);
  }, runTimeoutMs);

  it("thrashes on a hot key: the CPU rule doubles again and again up to the KPU limit while one subtask stays busy", () => {
    // One key carries 80% of 500 records/s at 2 ms each: its subtask is 80% busy at any parallelism,
    // so the busiest KPU keeps the CPU data points at or above 75% after every doubling: 1 -> 2 -> 4 -> 8
    // (maxKpus 8), each a restart; without snapshots each resumes from the last checkpoint and re-reads.
    const text = `name: flink-thrash
seed: 11
duration: 75m
report: { interval: 1m }
workload:
  - producer: p
    rate: { recordsPerSecond: 500, arrivals: uniform }
    recordSize: { distribution: fixed, size: 100B }
    keys: { distribution: hotspot, cardinality: 1000, hotKeys: 1, hotShare: 0.8, template: "k-{i}" }
systems:
  - name: kds
    kind: kinesis
    capacity: { mode: provisioned, shards: 1 }
    consumers:
      - { name: app, type: flink, parallelism: 1, processing: { perRecord: 2ms }, autoscaling: { maxKpus: 8, snapshots: false } }
`;
    const result = runScenario(loadInline(text));
    expectRunAccountingCloses(result);
    const system = result.systems[0]!;
    const consumer = system.consumers[0]!;
    const flink = consumer.flink!;
    expect(flink.checkpoints.restarts.map((restart) => [restart.cause, restart.parallelism])).toEqual([
      ["scale-up", 2],
      ["scale-up", 4],
      ["scale-up", 8],
    ]);
    expect(flink.peakKpus).toBe(8);
    expect(flink.checkpoints.reprocessedRecords).toBeGreaterThan(0);
    expect(consumer.records.duplicates).toBe(flink.checkpoints.reprocessedRecords);
    expect(system.findings.map((finding) => finding.code)).toContain("flink-autoscaling-thrash");
  }, runTimeoutMs);
});
