import { describe, expect, it } from "vitest";
import { RandomStreams } from "../../sim/engine/index.ts";
import { Batcher, RetryPolicy, type Batch } from "../../sim/workload/index.ts";

function collect(policy: { maxRecords: number; maxBytes: number; lingerUs: number }) {
  const batches: Batch[] = [];
  return { batches, batcher: new Batcher(policy, (batch) => batches.push(batch)) };
}

describe("Batcher", () => {
  it("closes a batch when it holds maxRecords, at the time of the record that filled it", () => {
    const { batches, batcher } = collect({ maxRecords: 3, maxBytes: 1e9, lingerUs: 1_000_000 });
    [10, 20, 30, 40].forEach((t, i) => batcher.add(t, i, 100));
    expect(batches.map((b) => [b.closeUs, b.count, b.bytes])).toEqual([[30, 3, 300]]);
    expect([...batches[0].keyIndex.subarray(0, 3)]).toEqual([0, 1, 2]);
  });

  it("closes before a record that would pass maxBytes, and starts the next batch with it", () => {
    const { batches, batcher } = collect({ maxRecords: 100, maxBytes: 250, lingerUs: 1_000_000 });
    batcher.add(0, 0, 100);
    batcher.add(5, 1, 100);
    batcher.add(9, 2, 100);
    batcher.flushAt(50);
    expect(batches.map((b) => [b.closeUs, b.count, b.bytes])).toEqual([
      [9, 2, 200],
      [50, 1, 100],
    ]);
  });

  it("closes at first record + linger when the batch does not fill", () => {
    const { batches, batcher } = collect({ maxRecords: 500, maxBytes: 1e9, lingerUs: 100 });
    batcher.add(1000, 0, 1);
    batcher.add(1050, 1, 1);
    batcher.add(1200, 2, 1); // after the first batch's deadline (1100): that batch closed at 1100
    expect(batches.map((b) => [b.closeUs, b.count])).toEqual([[1100, 2]]);
    expect(batcher.openDeadlineUs).toBe(1300);
    batcher.flushUntil(1300); // deadline not before 1300: stays open
    expect(batches.length).toBe(1);
    batcher.flushUntil(1301);
    expect(batches.map((b) => [b.closeUs, b.count])).toEqual([
      [1100, 2],
      [1300, 1],
    ]);
    expect(batcher.openDeadlineUs).toBe(Infinity);
  });

  it("with zero linger sends every record on its own, at its creation time", () => {
    const { batches, batcher } = collect({ maxRecords: 500, maxBytes: 1e9, lingerUs: 0 });
    batcher.add(5, 0, 1);
    batcher.add(5, 1, 1);
    batcher.add(7, 2, 1);
    batcher.flushAt(7);
    expect(batches.map((b) => [b.closeUs, b.count])).toEqual([
      [5, 1],
      [5, 1],
      [7, 1],
    ]);
  });

  it("rejects an impossible policy", () => {
    expect(() => new Batcher({ maxRecords: 0, maxBytes: 1, lingerUs: 0 }, () => {})).toThrow(RangeError);
  });
});

describe("RetryPolicy", () => {
  const settings = { maxAttempts: 5, baseDelayUs: 100_000, maxDelayUs: 1_000_000 };

  it("allows attempts up to maxAttempts", () => {
    const policy = new RetryPolicy({ ...settings, jitter: "none" });
    expect([1, 2, 4, 5].map((n) => policy.canRetry(n))).toEqual([true, true, true, false]);
  });

  it("doubles the backoff per attempt up to the cap", () => {
    const policy = new RetryPolicy({ ...settings, jitter: "none" });
    const u = new RandomStreams(1).stream("retry");
    expect([1, 2, 3, 4, 5, 60].map((n) => policy.delayUs(n, u))).toEqual([100_000, 200_000, 400_000, 800_000, 1_000_000, 1_000_000]);
  });

  it("full jitter is uniform on [0, backoff) and equal jitter on [backoff/2, backoff)", () => {
    const u = new RandomStreams(2).stream("retry");
    const full = new RetryPolicy({ ...settings, jitter: "full" });
    const equal = new RetryPolicy({ ...settings, jitter: "equal" });
    const n = 100_000;
    let fullSum = 0;
    let equalMin = Infinity;
    for (let i = 0; i < n; i++) {
      const d = full.delayUs(3, u);
      expect(d >= 0 && d < 400_000).toBe(true);
      fullSum += d;
      equalMin = Math.min(equalMin, equal.delayUs(3, u));
    }
    // Mean of U[0, 400 ms) is 200 ms; its standard error at n = 1e5 is 365 us, so 2 ms is >5 of them.
    expect(Math.abs(fullSum / n - 200_000)).toBeLessThan(2_000);
    expect(equalMin).toBeGreaterThanOrEqual(200_000);
  });
});
