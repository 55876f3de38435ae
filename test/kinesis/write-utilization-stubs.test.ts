// A shard's write utilization per report interval, over the time it was open: an interval it was open
// for less than half of, at its opening or its closing, is measured with the interval beside it. The
// audit case: kinesis-on-demand-burst closed its first four shards 2 s into a 1-minute interval, and
// those 2 s (the requests in flight at the reshard landing on them) read as 212% against the 200%
// every full minute of the burst showed (8,000 records/s of 1 KB over 4 shards, each 1,000 records/s).

import { describe, expect, it } from "vitest";
import { CounterSeries } from "../../sim/metrics/index.ts";
import { writeUtilization } from "../../sim/kinesis/results.ts";
import type { Shard } from "../../sim/kinesis/shard.ts";

const minuteUs = 60_000_000;

function series(recordsPerInterval: number[]): { bytes: CounterSeries; records: CounterSeries } {
  const options = { intervalUs: minuteUs, endUs: recordsPerInterval.length * minuteUs };
  const bytes = new CounterSeries(options);
  const records = new CounterSeries(options);
  recordsPerInterval.forEach((count, i) => {
    if (count === 0) return;
    records.add(i * minuteUs, count);
    bytes.add(i * minuteUs, count * 100);
  });
  return { bytes, records };
}

function shard(openedUs: number, closedUs: number | null): Shard {
  return { openedUs, closedUs } as Shard;
}

describe("write utilization of a shard opened or closed inside an interval", () => {
  it("measures a closing stub with the interval before it", () => {
    // 2,000 records/s for two full minutes, then 2 s at 2,240/s before the shard closes.
    const { bytes, records } = series([120_000, 120_000, 4_480, 0]);
    const utilization = writeUtilization(shard(0, 2 * minuteUs + 2_000_000), bytes, records, 4 * minuteUs);
    expect(utilization[0]).toBeCloseTo(2, 9);
    expect(utilization[1]).toBeCloseTo(124_480 / 62_000, 9);
    expect(utilization[2]).toBeCloseTo(124_480 / 62_000, 9);
    expect(utilization[3]).toBe(0);
    // On its own the stub read 224%.
    expect(Math.max(...utilization)).toBeLessThan(2.01);
  });

  it("measures an opening stub with the interval after it", () => {
    const { bytes, records } = series([0, 3_000, 60_000, 60_000]);
    const utilization = writeUtilization(shard(2 * minuteUs - 1_000_000, null), bytes, records, 4 * minuteUs);
    expect(utilization[0]).toBe(0);
    expect(utilization[1]).toBeCloseTo(63_000 / 61_000, 9);
    expect(utilization[2]).toBeCloseTo(63_000 / 61_000, 9);
    expect(utilization[3]).toBeCloseTo(1, 9);
  });

  it("keeps an interval open for half of it or more on its own", () => {
    const { bytes, records } = series([60_000, 36_000]);
    const utilization = writeUtilization(shard(0, minuteUs + 30_000_000), bytes, records, 2 * minuteUs);
    expect(utilization[0]).toBeCloseTo(1, 9);
    expect(utilization[1]).toBeCloseTo(1.2, 9);
  });

  it("measures a shard that lived inside one interval over the time it lived", () => {
    const { bytes, records } = series([0, 5_000, 0]);
    const utilization = writeUtilization(shard(minuteUs + 10_000_000, minuteUs + 15_000_000), bytes, records, 3 * minuteUs);
    expect([...utilization]).toEqual([0, 1, 0]);
  });

  it("puts two stubs with nothing between them together", () => {
    const { bytes, records } = series([0, 10_000, 2_000, 0]);
    const utilization = writeUtilization(shard(minuteUs + 50_000_000, 2 * minuteUs + 2_000_000), bytes, records, 4 * minuteUs);
    expect(utilization[1]).toBeCloseTo(1, 9);
    expect(utilization[2]).toBeCloseTo(1, 9);
  });
});
