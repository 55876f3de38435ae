import { describe, expect, it } from "vitest";
import { Simulation } from "../../sim/engine/index.ts";
import { ConsumerMeter, LagSamples, lagSampleTimeUs, scheduleLagSamples, type ConsumerMeterOptions } from "../../sim/metrics/index.ts";

const secondUs = 1_000_000;

function meter(overrides: Partial<ConsumerMeterOptions> = {}): ConsumerMeter {
  return new ConsumerMeter({
    name: "c",
    type: "polling",
    seriesOptions: { intervalUs: 10 * secondUs, endUs: 60 * secondUs },
    warmupUs: 10 * secondUs,
    native: { name: "iteratorAgeMs", unit: "ms" },
    ...overrides,
  });
}

const terms = { unread: 3, inFlight: 2, expired: 1, deadLettered: 0, lost: 0 };

describe("lag sample instants", () => {
  it("one inside every second", () => {
    for (let second = 0; second < 10_000; second++) {
      const timeUs = lagSampleTimeUs(second);
      expect(Number.isInteger(timeUs)).toBe(true);
      expect(Math.floor(timeUs / secondUs)).toBe(second);
    }
  });

  it("spread evenly over any poll period: the phase mod T fills ten bins within 1% for T = 1, 2, 5, 7.5 s", () => {
    // An equidistributed sequence: the counts per bin differ from n/10 by O(log n), far under 1% of
    // n/10 = 2,000 (independent uniform draws would differ by ~45, 2%, at one standard deviation).
    const n = 20_000;
    for (const periodUs of [1, 2, 5, 7.5].map((s) => s * secondUs)) {
      const bins = new Array(10).fill(0);
      for (let second = 0; second < n; second++) bins[Math.floor(((lagSampleTimeUs(second) % periodUs) / periodUs) * 10)]++;
      for (const count of bins) expect(Math.abs(count - n / 10), `T = ${periodUs / secondUs} s`).toBeLessThan(0.01 * (n / 10));
    }
  });

  it("scheduleLagSamples calls once per second until the end, at those instants", () => {
    const sim = new Simulation();
    const times: number[] = [];
    scheduleLagSamples(sim, 10 * secondUs, () => times.push(sim.nowUs));
    sim.run({ endUs: 20 * secondUs, eventBudget: 1000 });
    expect(times).toEqual(Array.from({ length: 10 }, (_, second) => lagSampleTimeUs(second)));
  });

  it("started mid-run, it begins with the next instant", () => {
    const sim = new Simulation();
    const times: number[] = [];
    sim.at(3 * secondUs + 999_999, () => scheduleLagSamples(sim, 6 * secondUs, () => times.push(sim.nowUs)));
    sim.run({ endUs: 20 * secondUs, eventBudget: 1000 });
    expect(times).toEqual([4, 5].map(lagSampleTimeUs));
  });
});

describe("ConsumerMeter", () => {
  it("keeps lag statistics from the end of warm-up, the series from the start", () => {
    const m = meter();
    m.sampleLag(5 * secondUs, 7_000);
    m.sampleLag(10 * secondUs, 2_000);
    m.sampleLag(11 * secondUs, 4_000);
    const r = m.result(terms, { nativePerPartition: [] });
    expect(r.lag.count).toBe(2);
    expect(r.lag.sum).toBe(6_000);
    expect(r.lagSamples.count).toBe(2);
    expect(r.lagSamples.timeUsAt(0)).toBe(10 * secondUs);
    expect(r.lagSeries.maxAt(0)).toBe(7); // milliseconds, before warm-up included
    expect(r.lagSeries.lastAt(1)).toBe(4);
  });

  it("feeds native ms metrics in microseconds and record counts as counts", () => {
    const ms = meter();
    ms.sampleNative(20 * secondUs, 3_000);
    expect(ms.result(terms, { nativePerPartition: [] }).native.series.lastAt(2)).toBe(3);
    const records = meter({ native: { name: "recordsLag", unit: "records" } });
    records.sampleNative(20 * secondUs, 3_000);
    const r = records.result(terms, { nativePerPartition: [] });
    expect(r.native.series.lastAt(2)).toBe(3_000);
    expect(r.native.histogram.max).toBe(3_000);
    expect(r.native.unit).toBe("records");
  });

  it("counts first-time and repeated records, and the end terms it is given, in the summary's order", () => {
    const m = meter();
    m.processed(5 * secondUs, 10, 0); // during warm-up
    m.processed(10 * secondUs, 5, 2);
    m.readThrottled();
    const r = m.result(terms, { nativePerPartition: [] });
    expect(Object.keys(r.records)).toEqual(["consumed", "unread", "inFlight", "expired", "deadLettered", "lost", "duplicates"]);
    expect(r.records).toEqual({ consumed: 15, unread: 3, inFlight: 2, expired: 1, deadLettered: 0, lost: 0, duplicates: 2 });
    expect(r.readThrottles).toBe(1);
    expect(m.consumedAfterWarmup).toBe(5);
  });

  it("result() twice gives the same result", () => {
    const m = meter();
    m.processed(20 * secondUs, 4, 1);
    m.endToEnd(1_500, 4);
    for (let s = 0; s < 50; s++) m.sampleLag(lagSampleTimeUs(s), s * 1000);
    const first = m.result(terms, { nativePerPartition: [] });
    const snapshot = { records: { ...first.records }, lag: first.lag.summary(), series: first.lagSeries.toArrays(), e2e: first.endToEndLatency.summary() };
    const second = m.result(terms, { nativePerPartition: [] });
    expect({ records: second.records, lag: second.lag.summary(), series: second.lagSeries.toArrays(), e2e: second.endToEndLatency.summary() }).toEqual(snapshot);
  });
});

describe("lag samples", () => {
  it("samples must come in time order", () => {
    const s = new LagSamples(2);
    s.add(2 * secondUs, 0);
    expect(() => s.add(secondUs, 0)).toThrow(/before the previous/);
  });
});
