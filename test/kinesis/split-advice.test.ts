// bestSplit: the NewStartingHashKey between adjacent busy keys whose busier half is the least loaded,
// against hand-computed loads (utilization = max(bytes / 1 MiB/s, records / 1,000 per s), docs/reference.md §1.1),
// and SplitShard's rule start + 1 < K < end (docs/reference.md §1.4).

import { describe, expect, it } from "vitest";
import { splitHashRange } from "../../sim/kinesis/hash.ts";
import { bestSplit, splitTimelineEntry } from "../../sim/kinesis/split-advice.ts";
import { kinesisMessages } from "../../sim/kinesis/messages.ts";

const range = { start: 1000n, end: 2000n };
const key = (name: string, hash: bigint, recordsPerSecond: number) => ({ key: name, hash, recordsPerSecond, bytesPerSecond: recordsPerSecond * 100 });
const none = { recordsPerSecond: 0, bytesPerSecond: 0 };

describe("bestSplit", () => {
  it("cuts between the keys where the busier half is least loaded", () => {
    // Loads in hash order 300, 200, 600, 100: cuts give max(300, 900) = 900, max(500, 700) = 700, max(1100, 100).
    const keys = [key("d", 1900n, 100), key("a", 1100n, 300), key("c", 1500n, 600), key("b", 1200n, 200)];
    const split = bestSplit(range, keys, none)!;
    // Both ends of the gap (1201 and 1500) balance alike without spread load: the lower end wins.
    expect(split.newStartingHashKey).toBe(1201n);
    expect(split.lower.recordsPerSecond).toBe(500);
    expect(split.upper.recordsPerSecond).toBe(700);
    expect(split.lower.utilization).toBeCloseTo(0.5, 12);
    expect(split.upper.utilization).toBeCloseTo(0.7, 12);
    expect(split.upper.busiestKey).toBe("c");
    expect("error" in splitHashRange(range, split.newStartingHashKey)).toBe(false);
  });

  it("moves the cut within a gap to give spread load to the lighter half", () => {
    // Keys 400 (at 1100) and 300 (at 1900), plus 200 records/s spread over the 1,001 hash keys. Cutting at
    // 1101 gives the lower half 400 + 200·101/1001 = 420.2; at 1900 it gets 400 + 200·900/1001 = 579.8 and
    // the upper half 300 + 20.2 = 320.2: the busier half is lighter at 1101.
    const split = bestSplit(range, [key("x", 1100n, 400), key("y", 1900n, 300)], { recordsPerSecond: 200, bytesPerSecond: 20_000 })!;
    expect(split.newStartingHashKey).toBe(1101n);
    expect(split.lower.recordsPerSecond).toBeCloseTo(400 + (200 * 101) / 1001, 9);
    expect(split.upper.recordsPerSecond).toBeCloseTo(300 + (200 * 900) / 1001, 9);
  });

  it("finds no cut with fewer than two keys, or where SplitShard's rule forbids one", () => {
    expect(bestSplit(range, [key("a", 1500n, 900)], none)).toBeNull();
    // The only gap lies between 1000 and 1001: K = 1001 is not above start + 1.
    expect(bestSplit(range, [key("a", 1000n, 500), key("b", 1001n, 500)], none)).toBeNull();
    expect(() => bestSplit(range, [key("a", 999n, 1), key("b", 1500n, 1)], none)).toThrow(/outside the range/);
  });

  it("writes the timeline entry and says when no single split is enough", () => {
    expect(splitTimelineEntry("kds", 3, 0, 1201n)).toBe('- { at: 0s, system: kds, action: split-shard, shard: 3, newStartingHashKey: "1201" }');
    const point = bestSplit(range, [key("big", 1100n, 950), key("b", 1200n, 100), key("c", 1900n, 50)], none)!;
    expect(point.lower.utilization).toBeCloseTo(0.95, 12);
    const partition = { id: "shardId-000000000003", peakWriteUtilization: 1.1, peakAttemptUtilization: 1.1, throttledAttempts: 5 } as never;
    const over = { point: { ...point, lower: { ...point.lower, utilization: 1.02 } }, fits: false, timelineEntry: "" };
    expect(kinesisMessages.hotShard(partition, "big", false, false, over)).toContain("No single split brings both halves under the limit");
    expect(kinesisMessages.hotShard(partition, "big", true, false, null)).toContain("splitting cannot help");
  });
});
