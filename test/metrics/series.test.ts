import { describe, it, expect } from "vitest";
import { CounterSeries, GaugeSeries, SERIES_INTERVAL_COUNT_MAX } from "../../sim/metrics/index.ts";
import { integerBetween, mulberry32 } from "../support/random.ts";

const S = 1_000_000; // one second in microseconds

describe("CounterSeries", () => {
  it("sums per interval, tracks per-second peaks and keeps a partial last interval", () => {
    const series = new CounterSeries({ intervalUs: 10 * S, endUs: 25 * S });
    series.add(0.5 * S, 3);
    series.add(0.9 * S, 2); // second 0: 5
    series.add(1.7 * S, 6);
    series.add(1.2 * S, 4); // earlier time, same second: allowed; second 1: 10
    series.add(9.99 * S, 1); // second 9: 1
    series.add(10 * S, 4); // second 10, interval 1
    series.add(24.5 * S, 7);
    series.add(25 * S, 1); // endUs itself: the last second (24) of the last interval
    series.finish();
    series.finish(); // idempotent

    expect(series.intervalCount).toBe(3);
    expect([0, 1, 2].map((i) => series.sumAt(i))).toEqual([16, 4, 8]);
    expect([0, 1, 2].map((i) => series.peakPerSecondAt(i))).toEqual([10, 4, 8]);
    expect(series.total).toBe(28);
    const arrays = series.toArrays();
    expect(Array.from(arrays.startUs)).toEqual([0, 10 * S, 20 * S]);
    expect(Array.from(arrays.durationUs)).toEqual([10 * S, 10 * S, 5 * S]);
    expect(Array.from(arrays.sum)).toEqual([16, 4, 8]);
    expect(Array.from(arrays.peakPerSecond)).toEqual([10, 4, 8]);
    expect(series.durationUsAt(2)).toBe(5 * S);
    expect(series.startUsAt(2)).toBe(20 * S);
  });

  it("includes the running second before finish and keeps counting after it", () => {
    const series = new CounterSeries({ intervalUs: 5 * S, endUs: 10 * S });
    series.add(1 * S, 2);
    series.add(3 * S, 7);
    expect(series.peakPerSecondAt(0)).toBe(7);
    series.finish();
    series.add(3.5 * S, 1);
    expect(series.peakPerSecondAt(0)).toBe(8);
    series.finish();
    expect(series.toArrays().peakPerSecond[0]).toBe(8);
  });

  it("refuses an add in an earlier second, and times outside [0, endUs]", () => {
    const series = new CounterSeries({ intervalUs: S, endUs: 10 * S });
    series.add(3.5 * S, 1);
    expect(() => series.add(2.9 * S, 1)).toThrow(/before second 3/);
    expect(() => series.add(-1, 1)).toThrow(RangeError);
    expect(() => series.add(10 * S + 1, 1)).toThrow(RangeError);
    expect(() => series.add(NaN, 1)).toThrow(RangeError);
    expect(() => series.add(4 * S, -1)).toThrow(RangeError);
    expect(() => series.add(4 * S, Infinity)).toThrow(RangeError);
    expect(() => series.sumAt(10)).toThrow(RangeError);
    expect(series.total).toBe(1);
  });

  it("checks its layout when built", () => {
    expect(() => new CounterSeries({ intervalUs: 1.5 * S, endUs: 10 * S })).toThrow(/whole number of seconds/);
    expect(() => new CounterSeries({ intervalUs: 0, endUs: 10 * S })).toThrow(RangeError);
    expect(() => new CounterSeries({ intervalUs: S, endUs: 0 })).toThrow(RangeError);
    expect(
      () => new CounterSeries({ intervalUs: S, endUs: (SERIES_INTERVAL_COUNT_MAX + 1) * S }),
    ).toThrow(/SERIES_INTERVAL_COUNT_MAX/);
    const oneInterval = new CounterSeries({ intervalUs: 60 * S, endUs: 0.5 * S });
    oneInterval.add(0.5 * S, 3);
    expect(oneInterval.toArrays().durationUs[0]).toBe(0.5 * S);
    expect(oneInterval.peakPerSecondAt(0)).toBe(3);
  });

  it("matches a per-second brute force on random adds", () => {
    const uniform = mulberry32(42);
    const seconds = 600;
    const intervalSeconds = 60;
    const endUs = seconds * S - 250_000; // partial last second and partial last interval
    const series = new CounterSeries({ intervalUs: intervalSeconds * S, endUs });
    const perSecond = new Float64Array(seconds);
    let total = 0;
    for (let second = 0; second < seconds; second++) {
      if (uniform() < 0.2) continue; // idle seconds
      const addCount = integerBetween(uniform, 1, 20);
      for (let k = 0; k < addCount; k++) {
        const timeUs = Math.min(endUs, second * S + integerBetween(uniform, 0, S - 1)); // any order in the second
        const amount = integerBetween(uniform, 0, 1000);
        series.add(timeUs, amount);
        perSecond[second]! += amount;
        total += amount;
      }
    }
    series.finish();

    expect(series.intervalCount).toBe(10);
    expect(series.total).toBe(total);
    let sumOfSums = 0;
    for (let i = 0; i < series.intervalCount; i++) {
      const window = perSecond.subarray(i * intervalSeconds, (i + 1) * intervalSeconds);
      expect(series.sumAt(i)).toBe(window.reduce((a, b) => a + b, 0));
      expect(series.peakPerSecondAt(i)).toBe(Math.max(...window));
      sumOfSums += series.sumAt(i);
    }
    expect(sumOfSums).toBe(total);
    expect(series.durationUsAt(9)).toBe(60 * S - 250_000);
  });
});

describe("GaugeSeries", () => {
  it("keeps last, min, max and the time-weighted mean (hand-computed)", () => {
    const gauge = new GaugeSeries({ intervalUs: 10 * S, endUs: 25 * S });
    gauge.set(0, 2);
    gauge.set(4 * S, 6);
    gauge.set(12 * S, 1); // 1 and 9 are replaced at the same instant: in min/max, not in the mean
    gauge.set(12 * S, 9);
    gauge.set(12 * S, 3);
    gauge.finish();
    gauge.finish(); // idempotent

    // [0,10): 2 for 4 s, 6 for 6 s -> (8 + 36) / 10 = 4.4
    // [10,20): 6 for 2 s, 3 for 8 s -> (12 + 24) / 10 = 3.6
    // [20,25): 3 for 5 s -> 3
    const arrays = gauge.toArrays();
    expect(Array.from(arrays.startUs)).toEqual([0, 10 * S, 20 * S]);
    expect(Array.from(arrays.durationUs)).toEqual([10 * S, 10 * S, 5 * S]);
    expect(arrays.mean[0]).toBeCloseTo(4.4, 12);
    expect(arrays.mean[1]).toBeCloseTo(3.6, 12);
    expect(arrays.mean[2]).toBe(3);
    expect(Array.from(arrays.min)).toEqual([2, 1, 3]);
    expect(Array.from(arrays.max)).toEqual([6, 9, 3]);
    expect(Array.from(arrays.last)).toEqual([6, 3, 3]);
    expect(gauge.meanAt(1)).toBe(arrays.mean[1]);
    expect(gauge.maxAt(1)).toBe(9);
    expect(gauge.minAt(1)).toBe(1);
    expect(gauge.lastAt(0)).toBe(6);
  });

  it("leaves time before the first set out of the mean, and reports NaN where never set", () => {
    const gauge = new GaugeSeries({ intervalUs: 10 * S, endUs: 40 * S });
    gauge.set(15 * S, 4);
    gauge.set(17.5 * S, 8); // [15,17.5): 4, [17.5,20): 8 -> covered 5 s, mean 6
    gauge.finish(30 * S); // stops before the end
    expect(gauge.meanAt(0)).toBeNaN();
    expect(gauge.minAt(0)).toBeNaN();
    expect(gauge.lastAt(0)).toBeNaN();
    expect(gauge.meanAt(1)).toBe(6);
    expect(gauge.minAt(1)).toBe(4);
    expect(gauge.meanAt(2)).toBe(8);
    expect(gauge.lastAt(2)).toBe(8);
    expect(gauge.meanAt(3)).toBeNaN();
  });

  it("does not count a value carried to a boundary where it is replaced", () => {
    const gauge = new GaugeSeries({ intervalUs: 10 * S, endUs: 20 * S });
    gauge.set(0, 100);
    gauge.set(10 * S, 1);
    gauge.finish();
    expect(gauge.maxAt(0)).toBe(100);
    expect(gauge.maxAt(1)).toBe(1);
    expect(gauge.meanAt(1)).toBe(1);
  });

  it("carries a value across many intervals", () => {
    const gauge = new GaugeSeries({ intervalUs: S, endUs: 100 * S });
    gauge.set(0.5 * S, 7);
    gauge.finish();
    const arrays = gauge.toArrays();
    expect(arrays.mean[0]).toBe(7);
    for (let i = 1; i < 100; i++) {
      expect(arrays.mean[i]).toBe(7);
      expect(arrays.last[i]).toBe(7);
    }
  });

  it("matches a brute force on random sets", () => {
    const uniform = mulberry32(7);
    const seconds = 300;
    const gauge = new GaugeSeries({ intervalUs: 30 * S, endUs: seconds * S });
    const valueOfSecond = new Float64Array(seconds); // sets land on whole seconds here
    let value = 0;
    gauge.set(0, value);
    for (let second = 0; second < seconds; second++) {
      if (second > 0 && uniform() < 0.3) {
        value = integerBetween(uniform, 0, 500);
        gauge.set(second * S, value);
      }
      valueOfSecond[second] = value;
    }
    gauge.finish();
    for (let i = 0; i < gauge.intervalCount; i++) {
      const window = Array.from(valueOfSecond.subarray(i * 30, (i + 1) * 30));
      expect(gauge.meanAt(i)).toBeCloseTo(window.reduce((a, b) => a + b, 0) / 30, 9);
      expect(gauge.minAt(i)).toBe(Math.min(...window));
      expect(gauge.maxAt(i)).toBe(Math.max(...window));
      expect(gauge.lastAt(i)).toBe(window[29]);
    }
  });

  it("refuses times going back, outside [0, endUs], and non-finite values", () => {
    const gauge = new GaugeSeries({ intervalUs: S, endUs: 10 * S });
    gauge.set(5 * S, 1);
    expect(() => gauge.set(4 * S, 1)).toThrow(/before the previous time/);
    expect(() => gauge.finish(4 * S)).toThrow(/before the previous time/);
    expect(() => gauge.set(11 * S, 1)).toThrow(RangeError);
    expect(() => gauge.set(6 * S, NaN)).toThrow(RangeError);
    expect(() => gauge.set(6 * S, Infinity)).toThrow(RangeError);
    expect(() => gauge.meanAt(-1)).toThrow(RangeError);
  });
});
