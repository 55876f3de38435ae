// Split advice in the key lab: the shard over its write limit gets the NewStartingHashKey that best
// balances it, the same cut the run's hot-shard finding gives for the same keys (the quick start:
// zipf 1.1 over sensor-0..9999 at 6,000 records/s of 1 KB on 10 shards); a shard whose busiest key
// alone is over the limit (1 MiB/s, 1,000 records/s, docs/reference.md §1.1) gets "no split helps".

import { describe, expect, it } from "vitest";
import { analyseKeys, keySetFromTemplate, parseFieldFlags } from "../../sim/keys/index.ts";
import { splitHashRange, evenHashRanges, partitionKeyHash } from "../../sim/kinesis/hash.ts";
import { keysAnalysisJson } from "../../reports/keys/json.ts";
import { keysSummaryMarkdown } from "../../reports/keys/summary-md.ts";

function lab(template: string, fields: string[], recordsPerSecond: number, shards: number) {
  const parsed = parseFieldFlags(fields);
  if (!parsed.ok) throw new Error(parsed.errors.join());
  const read = keySetFromTemplate(template, parsed.fields, true);
  if (!read.ok) throw new Error(read.errors.join());
  return analyseKeys(read.keySet, { kinesisShards: shards, kafkaPartitions: null, load: { recordsPerSecond, recordSizeBytes: 1000 } });
}

describe("key lab split advice", () => {
  it("splits the quick start's hot shard where the run's finding does, both halves under the limit", () => {
    const analysis = lab("sensor-{i}", ["i=0..9999:zipf=1.1"], 6000, 10);
    const splits = analysis.kinesis!.splits;
    expect(splits).toHaveLength(1);
    const [split] = splits;
    if (split.kind !== "split") throw new Error(split.kind);
    expect(split.shardIndex).toBe(1);
    // The cut found in the run of scenarios/iot-zipf-keys.yaml (test/kinesis/split-quick-start.test.ts pastes it).
    expect(split.point.newStartingHashKey).toBe(65570596131795014269946851681779243282n);
    expect(split.fits).toBe(true);
    expect(split.point.upper.busiestKey).toBe("sensor-0");
    // sensor-0 is on the upper side of the cut, the key just below it on the lower.
    expect(partitionKeyHash("sensor-0")).toBeGreaterThanOrEqual(split.point.newStartingHashKey);
    expect("error" in splitHashRange(evenHashRanges(10)[1], split.point.newStartingHashKey)).toBe(false);
    // The halves add up to the shard: 154.1% of the limit on records (1,541 records/s).
    expect((split.point.lower.recordsPerSecond + split.point.upper.recordsPerSecond) / 1000).toBeCloseTo(split.utilization, 9);
    const json = keysAnalysisJson(analysis, "test") as { kinesis: { splits: Array<Record<string, unknown>> } };
    expect(json.kinesis.splits[0]).toMatchObject({ shard: 1, newStartingHashKey: "65570596131795014269946851681779243282", bothUnderLimit: true });
    const md = keysSummaryMarkdown(analysis);
    expect(md).toContain("## Split advice (Kinesis)");
    expect(md).toContain('  - { at: 0s, system: kds, action: split-shard, shard: 1, newStartingHashKey: "65570596131795014269946851681779243282" }');
  });

  it("says no split helps when one key alone is over the limit", () => {
    // "big" carries 1,200 of 2,000 records/s: 120% of a shard's 1,000 records/s on its own.
    const analysis = lab("{k}", ["k=big:6,a:1,b:1,c:1,d:1"], 2000, 1);
    const [split] = analysis.kinesis!.splits;
    expect(split).toMatchObject({ kind: "single-key", shardIndex: 0, key: "big" });
    expect(split.kind === "single-key" && split.keyUtilization).toBeCloseTo(1.2, 9);
    expect(keysSummaryMarkdown(analysis)).toContain('no split helps: key "big" alone needs 120.0%');
    expect(keysSummaryMarkdown(analysis)).not.toContain("```yaml");
  });

  it("gives no split advice without a shard over its limit", () => {
    expect(lab("sensor-{i}", ["i=0..9999:zipf=1.1"], 6000, 40).kinesis!.splits).toEqual([]);
  });
});
