// The hot-shard finding's split advice, checked the way a user applies it: run the quick start
// (scenarios/iot-zipf-keys.yaml, `npm start`), paste the timeline entry the finding gives into the
// scenario, run again, and both halves of the split shard must stay under the write limit (demand at
// most 100% of 1 MiB/s and 1,000 records/s, docs/reference.md §1.1) while the shard was hot before.
// The Kafka system is left out and the runs shortened to 4 minutes (1 of warm-up): the Kinesis stream
// sees the same records as in the full run, and two runs then take about 3 s of CPU.

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseDocument } from "yaml";
import { runScenario } from "../../sim/run/index.ts";
import { loadScenarioText } from "../../sim/scenario/index.ts";
import type { SystemResult } from "../../sim/metrics/index.ts";

const durationUs = 240_000_000;

function runKinesisOnly(text: string, timelineEntry: string | null): SystemResult {
  const document = parseDocument(text);
  const systems = document.get("systems") as { items: Array<{ get(key: string): unknown }> };
  systems.items = systems.items.filter((system) => system.get("kind") === "kinesis");
  let yaml = document.toString();
  if (timelineEntry !== null) yaml += `timeline:\n  ${timelineEntry}\n`;
  const loaded = loadScenarioText(yaml, "scenarios/iot-zipf-keys.yaml", { durationUs });
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues));
  return runScenario(loaded.scenario).systems[0];
}

describe("split advice on the quick start's hot shard", () => {
  it("gives a split-shard entry that, pasted into the scenario, brings both halves under the limit", () => {
    const text = readFileSync("scenarios/iot-zipf-keys.yaml", "utf8");
    const before = runKinesisOnly(text, null);
    const hot = before.findings.find((finding) => finding.code === "hot-shard");
    expect(hot, "the quick start has a hot shard").toBeDefined();
    const entry = String(hot!.evidence.splitTimelineEntry);
    expect(entry).toMatch(/^- \{ at: 0s, system: kds, action: split-shard, shard: \d+, newStartingHashKey: "\d+" \}$/);
    expect(hot!.message).toContain(entry);
    const parent = before.partitions.find((partition) => partition.id === hot!.subject)!;
    expect(parent.peakWriteUtilization).toBeGreaterThan(1);

    const after = runKinesisOnly(text, entry);
    const children = after.partitions.filter((partition) => partition.openedUs > 0);
    expect(children).toHaveLength(2);
    // The predicted halves (shares of the parent's peak) against the halves the run measured.
    const predicted = [Number(hot!.evidence.splitLowerUtilization), Number(hot!.evidence.splitUpperUtilization)];
    for (const [i, child] of children.entries()) {
      expect(child.peakWriteUtilization).toBeLessThan(1);
      expect(Math.abs(child.peakWriteUtilization - predicted[i])).toBeLessThan(0.03);
    }
    // The parent stays hot for the 30 s the split takes (SplitShard is asynchronous); its children do not run hot.
    const hotNow = after.findings.filter((finding) => finding.code === "hot-shard").map((finding) => finding.subject);
    expect(hotNow.filter((subject) => children.some((child) => child.id === subject))).toEqual([]);

    // The advice says the split takes the model's 30 s (splitMergeTime, docs/reference.md §1.4), and
    // flags the upper half (94% predicted) as above the 80% headroom no-headroom judges by.
    expect(hot!.message).toContain("A split takes time (the model's splitMergeTime, 30.0 s");
    expect(Number(hot!.evidence.splitUpperUtilization)).toBeGreaterThan(0.8);
    expect(hot!.message).toContain("The upper half stays above 80.0% of the limit at the peak");

    // The parent, hot only until the split landed: the finding says so and does not advise the split again.
    const parentAfter = after.findings.find((finding) => finding.code === "hot-shard" && finding.subject === hot!.subject)!;
    expect(parentAfter).toBeDefined();
    expect(parentAfter.evidence).toMatchObject({ closedBy: `split-shard ${hot!.subject}`, closedAtSeconds: 30, reshardAskedAtSeconds: 0, openSeconds: 30 });
    expect(parentAfter.evidence.splitTimelineEntry).toBeUndefined();
    expect(parentAfter.message).toContain(`It was closed at 30.0 s, when the timeline's split-shard ${hot!.subject} (asked at 0.0 s) landed: its throttling all came in the 30.0 s it was open, while the change was under way.`);
    expect(parentAfter.message).not.toMatch(/Split (it|the shard)/);
  });
});
