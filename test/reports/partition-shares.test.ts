// A Kafka partition's load in the hottest table and in sweeps is its share of the writes over the fair
// share (reports/partition-shares.ts), not a part of its leader broker's utilization, which stays at a
// few percent on a lightly loaded cluster whatever the skew: the hot partition must stand out.

import { beforeAll, describe, expect, it } from "vitest";
import { partitionShares } from "../../reports/partition-shares.ts";
import { reportTables, summaryMarkdown, tableNotes } from "../../reports/summary-md.ts";
import { buildSummary, type Summary } from "../../reports/summary.ts";
import { headlineMetrics } from "../../reports/sweep/headline.ts";
import { keyMetrics } from "../../reports/sweep/aggregate.ts";
import { metricValue, metricWords } from "../../reports/sweep/metric-words.ts";
import { runScenario, type ScenarioResult } from "../../sim/run/index.ts";
import { loadExample } from "../support/scenarios.ts";

let result: ScenarioResult;
let summary: Summary;

beforeAll(() => {
  // kafka-zipf: zipf keys over 12 partitions; the partition holding sensor-0 takes about 19.9% of the records.
  result = runScenario(loadExample("kafka-zipf.yaml", { durationUs: 120_000_000 }));
  summary = buildSummary(result);
}, 60_000);

describe("partition shares", () => {
  it("give each Kafka partition its share of the records sent and that over the fair share 1/12", () => {
    const [msk] = result.systems;
    const shares = partitionShares(msk.partitions);
    const sent = msk.partitions.reduce((sum, partition) => sum + partition.series.demandRecords.total, 0);
    let total = 0;
    for (const partition of msk.partitions) {
      const share = shares.get(partition.id)!;
      expect(share.shareOfWrites).toBeCloseTo(partition.series.demandRecords.total / sent, 12);
      // 12 partitions open throughout: the fair share is 1/12.
      expect(share.fairShareRatio).toBeCloseTo(share.shareOfWrites * 12, 9);
      total += share.shareOfWrites;
    }
    expect(total).toBeCloseTo(1, 12);
  });

  it("make the hot partition stand out in the hottest table, with its share and ratio, and say what the value is", () => {
    const table = reportTables(summary).find((entry) => entry.heading === "Hottest shards and partitions")!;
    const rows = table.table.objects() as Array<Record<string, string>>;
    expect(rows[0]["shard / partition"]).toBe("events-6");
    const [share, ratio] = /^([\d.]+)% \(([\d.]+)x fair\)$/.exec(rows[0]["share of writes (x fair share)"])!.slice(1).map(Number);
    expect(share).toBeGreaterThan(18);
    expect(share).toBeLessThan(22);
    expect(ratio).toBeGreaterThan(2.2);
    expect(ratio).toBeLessThan(2.6);
    // No write limit of its own: no utilization figure that reads as a load.
    expect(rows[0]["peak write utilization"]).toBe("-");
    expect(summaryMarkdown(summary)).not.toContain("part of leader broker");
    const notes = tableNotes(summary, "Hottest shards and partitions").join(" ");
    expect(notes).toContain("**share of writes**");
    expect(notes).toContain("fair share");
    expect(notes).toContain("Kafka partitions have no write limit of their own");
  });

  it("are in summary.json and in a sweep's headline metrics, the fair-share ratio replacing Kafka's broker part as the key metric", () => {
    const events6 = summary.systems[0].partitions.find((partition) => partition.id === "events-6")!;
    expect(events6.fairShareRatio).toBeGreaterThan(2.2);
    const metrics = headlineMetrics(result, []);
    expect(metrics["msk.partitions.fairShareRatio.max"]).toBe(events6.fairShareRatio);
    expect(metrics["msk.partitions.shareOfWrites.max"]).toBe(events6.shareOfWrites);
    const plan = { goal: null } as unknown as Parameters<typeof keyMetrics>[0];
    const keys = keyMetrics(plan, [{ run: 0, combination: 0, replication: 0, seed: 1, status: "ok", metrics, error: null } as unknown as Parameters<typeof keyMetrics>[1][number]]);
    expect(keys).toContain("msk.partitions.fairShareRatio.max");
    expect(keys).not.toContain("msk.partitions.peakWriteUtilization.max");
    expect(metricWords("msk.partitions.fairShareRatio.max").axis).toBe("busiest partition's writes over its fair share (×)");
    expect(metricValue("msk.partitions.fairShareRatio.max", 2.386)).toBe("2.386×");
  });
});
