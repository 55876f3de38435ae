// The workload generator against analytic results. Each tolerance is stated with the sampling
// error it has to cover, so a pass means something and a failure is not noise.

import { describe, expect, it } from "vitest";
import { quantileSorted, sampleVariance, mean } from "simple-statistics";
import { RandomStreams } from "../../sim/engine/index.ts";
import { rateProfile } from "../../sim/scenario/normalize.ts";
import type { ProducerSpec, RateProfile } from "../../sim/scenario/types.ts";
import { expectedArrivals, ProducerStream, RecordBlock } from "../../sim/workload/index.ts";

const secondUs = 1_000_000;

function spec(overrides: Partial<ProducerSpec> & { rate: RateProfile }): ProducerSpec {
  return {
    name: "p",
    recordSize: { distribution: "fixed", size: 100, capBytes: 100, capSource: "test" },
    keys: { distribution: "uniform", cardinality: 1000, template: "k-{i}" },
    ...overrides,
  };
}

/** Drains a producer stream: times, keys, sizes as plain arrays (tests only: sizes here are small). */
function drain(producer: ProducerSpec, durationUs: number, seed = 1) {
  const stream = new ProducerStream(producer, { startEpochMs: 0, durationUs }, new RandomStreams(seed));
  const block = new RecordBlock(4096);
  const times: number[] = [];
  const keys: number[] = [];
  const sizes: number[] = [];
  while (stream.fill(Infinity, block) > 0) {
    for (let i = 0; i < block.count; i++) {
      times.push(block.timeUs[i]);
      keys.push(block.keyIndex[i]);
      sizes.push(block.sizeBytes[i]);
    }
  }
  return { times, keys, sizes, stream };
}

function countsPerWindow(times: number[], windowUs: number, windows: number): number[] {
  const counts = new Array(windows).fill(0);
  for (const t of times) counts[Math.floor(t / windowUs)]++;
  return counts;
}

describe("arrivals", () => {
  it("Poisson arrivals at 6,000 records/s give the rate within 0.3% and Poisson dispersion", () => {
    const durationUs = 300 * secondUs;
    const { times } = drain(spec({ rate: rateProfile({ recordsPerSecond: 6000, arrivals: "poisson" }, durationUs, 0) }), durationUs);
    // N ~ Poisson(1.8M): standard deviation sqrt(1.8M) = 1,342 = 0.075%, so 0.3% is 4 standard deviations.
    expect(Math.abs(times.length / 300 - 6000) / 6000).toBeLessThan(0.003);
    // Counts per second of a Poisson process have variance = mean (index of dispersion 1). With 300
    // windows the index's standard error is sqrt(2/299) = 0.082; 0.3 is more than 3.5 of them, and a
    // non-Poisson generator (evenly spaced: index 0) fails by far.
    const perSecond = countsPerWindow(times, secondUs, 300);
    expect(sampleVariance(perSecond) / mean(perSecond)).toBeGreaterThan(0.7);
    expect(sampleVariance(perSecond) / mean(perSecond)).toBeLessThan(1.3);
    // Inter-arrival times are exponential: coefficient of variation 1. For n exponential gaps the
    // sample CV's standard error is about sqrt(1/n) (delta method: (m4/s^4 - 1)/4n + CV^2/n -
    // m3/(s^3 n) = (8/4 + 1 - 2)/n = 1/n): sqrt(1/1.8M) = 0.00075, so 0.003 is 4 of them.
    const gaps = times.slice(1).map((t, i) => t - times[i]);
    const cv = Math.sqrt(sampleVariance(gaps)) / mean(gaps);
    expect(Math.abs(cv - 1)).toBeLessThan(0.003);
  });

  it("uniform arrivals are evenly spaced at 1/rate (to the microsecond)", () => {
    const durationUs = 10 * secondUs;
    const { times } = drain(spec({ rate: rateProfile({ recordsPerSecond: 3000, arrivals: "uniform" }, durationUs, 0) }), durationUs);
    expect(times.length).toBe(30_000);
    const gaps = times.slice(1).map((t, i) => t - times[i]);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(333);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(334);
  });

  it("a linear ramp and a following plateau produce the analytic counts per window", () => {
    const durationUs = 150 * secondUs;
    const rate = rateProfile(
      { arrivals: "poisson", phases: [{ duration: 100 * secondUs, recordsPerSecond: 1000, rampTo: 5000 }, { duration: 50 * secondUs, recordsPerSecond: 5000 }] },
      durationUs,
      0,
    );
    const { times } = drain(spec({ rate }), durationUs);
    const counts = countsPerWindow(times, 10 * secondUs, 15);
    counts.forEach((count, w) => {
      const expected = expectedArrivals(rate, (w + 1) * 10 * secondUs) - expectedArrivals(rate, w * 10 * secondUs);
      // Windows hold 10,000 to 50,000 arrivals: 5 standard deviations (5 sqrt(expected)) bound the noise.
      expect(Math.abs(count - expected)).toBeLessThan(5 * Math.sqrt(expected));
    });
    // The ramp's windows grow by 4,000 records per 10 s each (1000 -> 5000 records/s over 100 s).
    expect(expectedArrivals(rate, 10 * secondUs)).toBeCloseTo(12_000, 6);
    expect(expectedArrivals(rate, 150 * secondUs)).toBeCloseTo(300_000 + 250_000, 6);
  });

  it("a daily cycle follows the cosine around its peak time of day", () => {
    const dayUs = 86_400 * secondUs;
    // Start at 06:00 UTC with the peak at 18:00: the peak falls 12 h into the run.
    const startEpochMs = Date.UTC(2026, 0, 1, 6);
    const rate = rateProfile({ recordsPerSecond: 20, arrivals: "poisson", dailyCycle: { amplitude: 0.5, peakAt: 18 * 3600 * secondUs } }, dayUs, startEpochMs);
    const { times } = drain(spec({ rate }), dayUs);
    const hourly = countsPerWindow(times, 3600 * secondUs, 24);
    // Hour 12 (the peak) holds ~1.5 x 72,000 records and hour 0 (the trough) ~0.5 x; the total stays 20/s x 1 day.
    expect(hourly.indexOf(Math.max(...hourly))).toBeGreaterThanOrEqual(11);
    expect(hourly.indexOf(Math.max(...hourly))).toBeLessThanOrEqual(12);
    hourly.forEach((count, h) => {
      const expected = expectedArrivals(rate, (h + 1) * 3600 * secondUs) - expectedArrivals(rate, h * 3600 * secondUs);
      expect(Math.abs(count - expected)).toBeLessThan(5 * Math.sqrt(expected));
    });
    // 1,728,000 expected: standard deviation sqrt(1,728,000) = 1,315 = 0.076%; 0.3% is 4 of them.
    expect(Math.abs(times.length - 20 * 86_400) / (20 * 86_400)).toBeLessThan(0.003);
  });
});

describe("record sizes", () => {
  it("lognormal sizes have the configured median (within 0.5%) and p99 (within 1.5%)", () => {
    const durationUs = 100 * secondUs;
    const { sizes } = drain(
      spec({
        rate: rateProfile({ recordsPerSecond: 10_000, arrivals: "poisson" }, durationUs, 0),
        recordSize: { distribution: "lognormal", median: 1024, p99: 8192, capBytes: 1 << 20, capSource: "test" },
      }),
      durationUs,
    );
    const sorted = [...sizes].sort((a, b) => a - b);
    // n = 1e6, sigma = ln 8 / 2.326 = 0.894: the p99 estimate's relative standard error is
    // sigma sqrt(p(1-p)/n) / phi(z99) = 0.894 x 0.00995 / 0.0267 = 0.33%, so 1.5% is 4.5 of them; the
    // median's is 0.894 x 0.0005 / 0.399 = 0.11%, so 0.5% is 4.5 of them.
    expect(sorted.length).toBeGreaterThan(990_000);
    expect(Math.abs(quantileSorted(sorted, 0.5) / 1024 - 1)).toBeLessThan(0.005);
    expect(Math.abs(quantileSorted(sorted, 0.99) / 8192 - 1)).toBeLessThan(0.015);
  });

  it("clips sizes at the cap and counts the clipped draws", () => {
    const durationUs = 10 * secondUs;
    const { sizes, stream } = drain(
      spec({
        rate: rateProfile({ recordsPerSecond: 10_000, arrivals: "poisson" }, durationUs, 0),
        recordSize: { distribution: "lognormal", median: 1024, p99: 8192, capBytes: 4096, capSource: "test" },
      }),
      durationUs,
    );
    const atCap = sizes.filter((s) => s === 4096).length;
    expect(Math.max(...sizes)).toBe(4096);
    // P(size > 4096) = 1 - Phi(ln 4 / 0.894) = 6.0%; the exact-4096 draws before clipping are negligible.
    expect(stream.clippedCount).toBeGreaterThan(0.05 * sizes.length);
    expect(stream.clippedCount).toBeLessThan(0.07 * sizes.length);
    expect(atCap).toBeGreaterThanOrEqual(stream.clippedCount);
  });

  it("weighted sizes appear in proportion to their weights", () => {
    const durationUs = 50 * secondUs;
    const { sizes } = drain(
      spec({
        rate: rateProfile({ recordsPerSecond: 10_000, arrivals: "poisson" }, durationUs, 0),
        recordSize: { distribution: "weighted", sizes: [{ size: 100, weight: 1 }, { size: 200, weight: 3 }], capBytes: 200, capSource: "test" },
      }),
      durationUs,
    );
    // n = 5e5: standard error of a 0.25 share is sqrt(0.25 x 0.75 / 5e5) = 6.1e-4; 0.0025 is 4 of them.
    expect(Math.abs(sizes.filter((s) => s === 100).length / sizes.length - 0.25)).toBeLessThan(0.0025);
  });
});

describe("keys through a producer", () => {
  it("zipf(10,000, 1.1) gives its top key the analytic share within 0.7%", () => {
    const durationUs = 200 * secondUs;
    const { keys } = drain(
      spec({
        rate: rateProfile({ recordsPerSecond: 10_000, arrivals: "poisson" }, durationUs, 0),
        keys: { distribution: "zipf", cardinality: 10_000, exponent: 1.1, template: "k-{i}" },
      }),
      durationUs,
    );
    let harmonic = 0;
    for (let i = 1; i <= 10_000; i++) harmonic += 1 / i ** 1.1;
    const expected = 1 / harmonic;
    const share = keys.filter((k) => k === 0).length / keys.length;
    // n = 2e6, share ~0.15: standard error sqrt(0.15 x 0.85 / 2e6) = 2.5e-4, i.e. 0.17% relative;
    // 0.7% is 4 of them.
    expect(Math.abs(share / expected - 1)).toBeLessThan(0.007);
  });

  it("daily keys change at UTC midnight of event time", () => {
    const startEpochMs = Date.UTC(2026, 1, 27, 23, 0);
    const durationUs = 2 * 3600 * secondUs;
    const producer = spec({ rate: rateProfile({ recordsPerSecond: 1, arrivals: "uniform" }, durationUs, startEpochMs), keys: { distribution: "daily" } });
    const stream = new ProducerStream(producer, { startEpochMs, durationUs }, new RandomStreams(1));
    const block = new RecordBlock(10_000);
    stream.fill(Infinity, block);
    // Evenly spaced arrivals come at 1 s, 2 s, ... 7199 s: record i at (i + 1) s; 23:00 + 3600 s is midnight.
    expect(block.count).toBe(7199);
    expect(stream.keys.keyAt(block.keyIndex[0])).toBe("2026-02-27");
    expect(stream.keys.keyAt(block.keyIndex[3598])).toBe("2026-02-27");
    expect(stream.keys.keyAt(block.keyIndex[3599])).toBe("2026-02-28");
  });
});

describe("common random numbers", () => {
  it("two streams of the same producer and seed produce the identical record sequence", () => {
    const durationUs = 20 * secondUs;
    const producer = spec({
      rate: rateProfile({ recordsPerSecond: 5000, arrivals: "poisson" }, durationUs, 0),
      recordSize: { distribution: "lognormal", median: 1024, p99: 8192, capBytes: 1 << 20, capSource: "test" },
      keys: { distribution: "uuid" },
    });
    const a = drain(producer, durationUs, 9);
    const b = drain(producer, durationUs, 9);
    expect(b.times).toEqual(a.times);
    expect(b.keys).toEqual(a.keys);
    expect(b.sizes).toEqual(a.sizes);
    expect(a.stream.keys.keyAt(a.keys[100])).toBe(b.stream.keys.keyAt(b.keys[100]));
    const c = drain(producer, durationUs, 10);
    expect(c.times).not.toEqual(a.times);
  });
});
