import { describe, it, expect } from "vitest";
import {
  LogHistogram,
  HISTOGRAM_BUCKET_SLOT_COUNT,
  HISTOGRAM_RELATIVE_ERROR_MAX,
  HISTOGRAM_VALUE_US_MAX,
} from "../../sim/metrics/index.ts";
import { slotByLog, slotOf } from "../../sim/metrics/histogram.ts";
import {
  exponential,
  integerBetween,
  lognormal,
  logUniform,
  mulberry32,
  type Uniform,
} from "../support/random.ts";

const QUANTILES_REPORTED = [0.5, 0.9, 0.99, 0.999];

/** Exact "lower" quantile of sorted samples for q = permille / 1000, in integer arithmetic. */
function exactQuantile(sorted: Float64Array, permille: number): number {
  const rank = Math.max(1, Math.ceil((permille * sorted.length) / 1000));
  return sorted[rank - 1]!;
}

function relativeError(estimate: number, exact: number): number {
  if (exact === 0) return estimate === 0 ? 0 : Infinity;
  return Math.abs(estimate - exact) / exact;
}

function draw(count: number, sample: () => number): Float64Array {
  const values = new Float64Array(count);
  for (let i = 0; i < count; i++) values[i] = sample();
  return values;
}

function histogramOf(values: ArrayLike<number>): LogHistogram {
  const histogram = new LogHistogram();
  for (let i = 0; i < values.length; i++) histogram.add(values[i]!);
  return histogram;
}

/** Fingerprint that must match bit-for-bit between histograms holding the same multiset. */
function contents(histogram: LogHistogram) {
  const quantiles: number[] = [];
  for (let permille = 0; permille <= 1000; permille++) quantiles.push(histogram.quantile(permille / 1000));
  return {
    buckets: histogram.toBuckets(),
    quantiles,
    count: histogram.count,
    min: histogram.min,
    max: histogram.max,
    sum: histogram.sum,
  };
}

// 200,000 samples: the p99.9 sits on the 199,800th order statistic, 200 samples from the top, so the
// exact quantile is a well-defined sample and the check is of the bucket layout, not of sampling noise
// (the comparison is against the exact quantile of the same samples, so no sampling tolerance applies).
const SAMPLE_COUNT = 200_000;

const DISTRIBUTIONS: Array<{ name: string; sample: (uniform: Uniform) => number }> = [
  { name: "exponential, mean 50 ms", sample: (u) => exponential(u, 50_000) },
  { name: "lognormal, median 20 ms, sigma 2.5 (heavy tail)", sample: (u) => lognormal(u, 20_000, 2.5) },
  { name: "uniform integers 0..1000 (zeros included)", sample: (u) => integerBetween(u, 0, 1000) },
  { name: "uniform integers 1..10 (narrow)", sample: (u) => integerBetween(u, 1, 10) },
  { name: "constant 1234.5", sample: () => 1234.5 },
  { name: "log-uniform 1 us .. 1e12 us", sample: (u) => logUniform(u, 1, 1e12) },
];

describe("LogHistogram accuracy", () => {
  it("promises less than 1% relative error", () => {
    expect(HISTOGRAM_RELATIVE_ERROR_MAX).toBeLessThan(0.01);
  });

  for (const [index, distribution] of DISTRIBUTIONS.entries()) {
    it(`quantiles of ${distribution.name} are within 1% of the exact ones`, () => {
      const uniform = mulberry32(1000 + index);
      const values = draw(SAMPLE_COUNT, () => distribution.sample(uniform));
      const histogram = histogramOf(values);
      const sorted = values.slice().sort();

      for (const q of QUANTILES_REPORTED) {
        const exact = exactQuantile(sorted, Math.round(q * 1000));
        expect(relativeError(histogram.quantile(q), exact), `q=${q}`).toBeLessThanOrEqual(0.01);
      }
      for (let permille = 1; permille < 1000; permille++) {
        const exact = exactQuantile(sorted, permille);
        const estimate = histogram.quantile(permille / 1000);
        expect(relativeError(estimate, exact), `q=${permille / 1000}`).toBeLessThanOrEqual(
          HISTOGRAM_RELATIVE_ERROR_MAX + 1e-12,
        );
      }

      let sum = 0;
      for (const value of values) sum += value;
      expect(histogram.count).toBe(SAMPLE_COUNT);
      expect(histogram.min).toBe(sorted[0]);
      expect(histogram.max).toBe(sorted[SAMPLE_COUNT - 1]);
      expect(histogram.quantile(0)).toBe(sorted[0]);
      expect(histogram.quantile(1)).toBe(sorted[SAMPLE_COUNT - 1]);
      expect(histogram.sum).toBe(sum);
      expect(histogram.mean).toBe(sum / SAMPLE_COUNT);
    });
  }

  it("uses the lower rank convention: smallest v with at least ceil(q * count) samples <= v", () => {
    const histogram = histogramOf([100, 200, 300, 400, 500, 600, 700, 800, 900, 1000]);
    expect(relativeError(histogram.quantile(0.5), 500)).toBeLessThanOrEqual(0.01); // rank 5
    expect(relativeError(histogram.quantile(0.51), 600)).toBeLessThanOrEqual(0.01); // rank ceil(5.1) = 6
    expect(relativeError(histogram.quantile(0.9), 900)).toBeLessThanOrEqual(0.01); // rank 9
    expect(relativeError(histogram.quantile(0.05), 100)).toBeLessThanOrEqual(0.01); // rank 1
    const hundred = histogramOf(Array.from({ length: 100 }, (_, i) => (i + 1) * 1000));
    expect(relativeError(hundred.quantile(0.99), 99_000)).toBeLessThanOrEqual(0.01); // the 99th, not the 100th
  });

  it("keeps 1% at the ends of the range", () => {
    const histogram = histogramOf([1, HISTOGRAM_VALUE_US_MAX]);
    expect(histogram.quantile(0.5)).toBe(1); // the bucket of 1 reports 0.99, clamped to min
    histogram.add(HISTOGRAM_VALUE_US_MAX, 10);
    expect(relativeError(histogram.quantile(0.5), HISTOGRAM_VALUE_US_MAX)).toBeLessThanOrEqual(0.01);
  });

  it("puts values below 1 us in the bucket of 1 us (1 us absolute accuracy)", () => {
    const histogram = histogramOf([0.25, 0.5, 0.75, 2, 3]);
    expect(histogram.min).toBe(0.25);
    const median = histogram.quantile(0.5);
    expect(median).toBeGreaterThanOrEqual(0.25);
    expect(Math.abs(median - 0.5)).toBeLessThanOrEqual(1);
    expect(histogram.quantile(0.2)).toBeLessThanOrEqual(1);
    expect(relativeError(histogram.quantile(0.8), 2)).toBeLessThanOrEqual(0.01);
  });
});

describe("LogHistogram exactness", () => {
  it("add(v, n) equals n single adds", () => {
    const uniform = mulberry32(7);
    const weighted = new LogHistogram();
    const single = new LogHistogram();
    for (let i = 0; i < 2000; i++) {
      const value = integerBetween(uniform, 0, 5_000_000);
      const count = integerBetween(uniform, 1, 50);
      weighted.add(value, count);
      for (let k = 0; k < count; k++) single.add(value);
    }
    // Integer values keep every sum exact, so the whole fingerprint (sum included) must match.
    expect(contents(weighted)).toEqual(contents(single));
  });

  it("addElapsed(end, starts, n) equals n single adds of the elapsed times, bit for bit", () => {
    const uniform = mulberry32(5);
    const batched = new LogHistogram();
    const single = new LogHistogram();
    for (let batch = 0; batch < 500; batch++) {
      const count = integerBetween(uniform, 0, 40);
      const endUs = integerBetween(uniform, 0, 2_000_000) + 0.5 * integerBetween(uniform, 0, 1);
      // Some starts after the end: those count as zero.
      const startUs = Float64Array.from({ length: count + 3 }, () => integerBetween(uniform, 0, 2_100_000));
      batched.addElapsed(endUs, startUs, count);
      for (let i = 0; i < count; i++) single.add(Math.max(0, endUs - startUs[i]));
    }
    expect(contents(batched)).toEqual(contents(single));
  });

  it("takes counts beyond 2^32", () => {
    const histogram = new LogHistogram();
    histogram.add(1000, 5e9);
    histogram.add(2000, 5e9);
    expect(histogram.count).toBe(1e10);
    expect(histogram.mean).toBe(1500);
    expect(relativeError(histogram.quantile(0.5), 1000)).toBeLessThanOrEqual(0.01);
    expect(relativeError(histogram.quantile(0.5000001), 2000)).toBeLessThanOrEqual(0.01);
  });

  it("merge(a, b) equals the histogram of the concatenation, bit for bit", () => {
    const uniform = mulberry32(11);
    const values = draw(100_000, () => Math.round(lognormal(uniform, 30_000, 2)));
    const whole = histogramOf(values);
    const first = histogramOf(values.subarray(0, 37_000));
    const second = histogramOf(values.subarray(37_000));

    const merged = first.clone();
    merged.merge(second);
    expect(contents(merged)).toEqual(contents(whole));

    const mergedOtherWay = second.clone();
    mergedOtherWay.merge(first);
    expect(contents(mergedOtherWay)).toEqual(contents(whole));

    const intoEmpty = new LogHistogram();
    intoEmpty.merge(whole);
    intoEmpty.merge(new LogHistogram());
    expect(contents(intoEmpty)).toEqual(contents(whole));
    expect(contents(first)).toEqual(contents(histogramOf(values.subarray(0, 37_000)))); // merge left it alone
  });

  it("is deterministic and order-independent in its buckets", () => {
    const build = () => histogramOf(draw(50_000, (() => {
      const uniform = mulberry32(99);
      return () => exponential(uniform, 10_000);
    })()));
    expect(contents(build())).toEqual(contents(build()));

    const values = draw(10_000, (() => {
      const uniform = mulberry32(5);
      return () => integerBetween(uniform, 0, 1e9);
    })());
    const reversed = values.slice().reverse();
    expect(contents(histogramOf(reversed))).toEqual(contents(histogramOf(values)));
  });

  it("clone is independent and reset empties", () => {
    const histogram = histogramOf([5, 10, 15]);
    const copy = histogram.clone();
    copy.add(1e6);
    expect(histogram.count).toBe(3);
    expect(histogram.max).toBe(15);
    copy.reset();
    expect(contents(copy)).toEqual(contents(new LogHistogram()));
    copy.add(7);
    expect(copy.summary()).toEqual(histogramOf([7]).summary());
  });
});

describe("LogHistogram edge cases", () => {
  it("reports NaN for an empty histogram", () => {
    const histogram = new LogHistogram();
    expect(histogram.count).toBe(0);
    expect(histogram.sum).toBe(0);
    expect(histogram.mean).toBeNaN();
    expect(histogram.min).toBeNaN();
    expect(histogram.max).toBeNaN();
    expect(histogram.quantile(0)).toBeNaN();
    expect(histogram.quantile(0.5)).toBeNaN();
    expect(histogram.quantile(1)).toBeNaN();
    expect(histogram.toBuckets()).toEqual([]);
    const summary = histogram.summary();
    expect(summary.count).toBe(0);
    for (const key of ["min", "max", "mean", "p50", "p90", "p99", "p999"] as const) {
      expect(summary[key], key).toBeNaN();
    }
  });

  it("keeps zeros exact in their own bucket", () => {
    const histogram = new LogHistogram();
    histogram.add(0, 5);
    histogram.add(10);
    expect(histogram.min).toBe(0);
    expect(histogram.quantile(0.5)).toBe(0);
    expect(histogram.quantile(5 / 6)).toBe(0);
    expect(histogram.quantile(0.9)).toBe(10); // bucket value clamped to the exact max
    expect(histogram.mean).toBeCloseTo(10 / 6, 12);
    expect(histogram.toBuckets()[0]).toEqual({ lowerUs: 0, upperUs: 0, count: 5 });
    const zeros = histogramOf([0, 0, 0]);
    expect(zeros.summary()).toEqual({ count: 3, min: 0, max: 0, mean: 0, p50: 0, p90: 0, p99: 0, p999: 0 });
  });

  it("summarises with the reported quantiles", () => {
    const histogram = histogramOf(Array.from({ length: 1000 }, (_, i) => i + 1));
    const summary = histogram.summary();
    expect(summary.count).toBe(1000);
    expect(summary.min).toBe(1);
    expect(summary.max).toBe(1000);
    expect(summary.mean).toBe(500.5);
    expect(summary.p50).toBe(histogram.quantile(0.5));
    expect(relativeError(summary.p50, 500)).toBeLessThanOrEqual(0.01);
    expect(relativeError(summary.p90, 900)).toBeLessThanOrEqual(0.01);
    expect(relativeError(summary.p99, 990)).toBeLessThanOrEqual(0.01);
    expect(relativeError(summary.p999, 999)).toBeLessThanOrEqual(0.01);
  });

  it("throws RangeError on values, counts and quantiles out of range", () => {
    const histogram = new LogHistogram();
    for (const value of [-1, -1e-9, NaN, Infinity, HISTOGRAM_VALUE_US_MAX * 1.0001]) {
      expect(() => histogram.add(value), `value ${value}`).toThrow(RangeError);
    }
    for (const count of [0, -1, 1.5, NaN, Infinity]) {
      expect(() => histogram.add(1, count), `count ${count}`).toThrow(RangeError);
    }
    for (const q of [-0.1, 1.1, NaN]) {
      expect(() => histogram.quantile(q), `q ${q}`).toThrow(RangeError);
    }
    expect(histogram.count).toBe(0);
    histogram.add(HISTOGRAM_VALUE_US_MAX);
    expect(histogram.max).toBe(HISTOGRAM_VALUE_US_MAX);
  });

  it("has a fixed layout shared by every instance", () => {
    // Pinned: changing gamma or the range changes every reported quantile, so it must be deliberate.
    expect(HISTOGRAM_BUCKET_SLOT_COUNT).toBe(1747);
    expect(new LogHistogram().bucketSlotCount).toBe(HISTOGRAM_BUCKET_SLOT_COUNT);
  });
});

describe("LogHistogram memory and speed", () => {
  it("keeps a constant size over 10 million adds and adds quickly", () => {
    const uniform = mulberry32(2024);
    const valueCount = 1 << 16;
    const values = draw(valueCount, () => lognormal(uniform, 50_000, 2));
    const histogram = new LogHistogram();
    const slotCountBefore = histogram.bucketSlotCount;
    const addCount = 10_000_000;

    const startedMs = performance.now();
    for (let i = 0; i < addCount; i++) histogram.add(values[i & (valueCount - 1)]!);
    const elapsedMs = performance.now() - startedMs;

    expect(histogram.count).toBe(addCount);
    expect(histogram.bucketSlotCount).toBe(slotCountBefore);
    const addsPerSecond = addCount / (elapsedMs / 1000);
    console.log(
      `LogHistogram: ${addCount} adds in ${elapsedMs.toFixed(0)} ms ` +
        `(${(addsPerSecond / 1e6).toFixed(1)} M adds/s, ${((elapsedMs * 1e6) / addCount).toFixed(1)} ns/add)`,
    );
  });
});

describe("slotOf (bucketing without a logarithm per value)", () => {
  it("gives the slot of the definition, ceil(log(v) / log(gamma)) + 1, for integers, half microseconds, bucket bounds and random values", () => {
    const mismatches: number[] = [];
    const check = (value: number): void => {
      if (slotOf(value) !== slotByLog(value) && mismatches.length < 10) mismatches.push(value);
    };
    for (let value = 0; value <= 200_000; value++) {
      check(value);
      check(value + 0.5);
    }
    // Every bucket bound, the doubles a few ulps either side of it, and values near the 1e-9 margin.
    for (let i = 0; i < HISTOGRAM_BUCKET_SLOT_COUNT; i++) {
      const boundUs = Math.pow(1.02, i);
      let up = boundUs;
      let down = boundUs;
      for (let k = 0; k < 8; k++) {
        check(up);
        check(down);
        up *= 1 + 2.3e-16;
        down *= 1 - 1.2e-16;
      }
      for (const margin of [1e-9, 1.001e-9, 0.999e-9, 1e-7]) {
        check(boundUs * (1 + margin));
        check(boundUs * (1 - margin));
      }
      check(Math.round(boundUs));
    }
    const random = mulberry32(11);
    for (let k = 0; k < 300_000; k++) {
      const value = Math.exp(random() * Math.log(HISTOGRAM_VALUE_US_MAX));
      check(value);
      check(Math.round(value));
    }
    for (const value of [HISTOGRAM_VALUE_US_MAX, 2 ** 50, 1 + 2 ** -52, 0.5, -0]) check(value);
    expect(mismatches).toEqual([]);
  });
});
