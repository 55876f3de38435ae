// Event-time delays drawn by inversion (sim/flink/event-time.ts): the quantile they invert, the
// distribution they give, and the shortcut the Flink readers take (a record whose uniform is at or
// below shortBelow(T) keeps its creation time's windows without its delay being computed), which must
// give the same windows, late records and watermark as computing every delay.

import { describe, expect, it } from "vitest";
import { quantileSorted } from "simple-statistics";
import { RandomStreams } from "../../sim/engine/index.ts";
import { assignWindows, EventTimeDelays, windowBoundaryAtOrBefore, type WindowCounts, type WindowSettings } from "../../sim/flink/index.ts";
import { normalCdf, normalQuantile } from "../../sim/workload/index.ts";

const s = 1_000_000;

describe("the standard normal quantile (Acklam)", () => {
  // Reference values: the standard normal quantile to 16 digits (scipy.stats.norm.ppf).
  it.each([
    [0.5, 0],
    [0.99, 2.3263478740408408],
    [0.975, 1.959963984540054],
    [0.9, 1.2815515655446004],
    [0.001, -3.090232306167813],
    [0.02, -2.053748910631823],
    [1e-10, -6.361340902404056],
    [0.9999999, 5.199337582290661],
  ])("at %s is %s to within 2e-9 (relative)", (p, z) => {
    expect(Math.abs(normalQuantile(p) - z)).toBeLessThanOrEqual(2e-9 * Math.max(1, Math.abs(z)));
  });

  it("is the distribution function's inverse, and infinite at 0 and 1", () => {
    for (const p of [1e-6, 0.01, 0.3, 0.5, 0.77, 0.99, 0.999999]) expect(Math.abs(normalCdf(normalQuantile(p)) - p)).toBeLessThan(3e-7);
    expect(normalQuantile(0)).toBe(-Infinity);
    expect(normalQuantile(1)).toBe(Infinity);
  });
});

describe("event-time delays", () => {
  it("have the median and p99 they were given: 200,000 draws for median 200 ms, p99 8 s", () => {
    const delays = new EventTimeDelays({ median: 200_000, p99: 8 * s }, new RandomStreams(3).stream("event-time"));
    const drawn = Array.from({ length: 200_000 }, () => delays.delayUs(delays.u())).sort((a, b) => a - b);
    expect(quantileSorted(drawn, 0.5) / 200_000).toBeCloseTo(1, 1);
    expect(Math.abs(quantileSorted(drawn, 0.99) / (8 * s) - 1)).toBeLessThan(0.05);
    expect(drawn.every((d) => Number.isInteger(d) && d >= 0)).toBe(true);
  });

  it("are constant when the median is the p99, and zero when both are", () => {
    const constant = new EventTimeDelays({ median: 5000, p99: 5000 }, new RandomStreams(1).stream("c"));
    expect(constant.delayUs(0.9)).toBe(5000);
    expect(constant.shortBelow(5000)).toBe(1);
    expect(constant.shortBelow(4999)).toBe(-1);
    const none = new EventTimeDelays({ median: 0, p99: 0 }, new RandomStreams(1).stream("z"));
    expect(none.delayUs(0.999)).toBe(0);
    expect(none.shortBelow(0)).toBe(1);
  });

  it("at or below shortBelow(T) are at most T, and shortBelow(T) falls short of the delay's distribution at T by its slack and the microsecond below T", () => {
    const spec = { median: 200_000, p99: 8 * s };
    const delays = new EventTimeDelays(spec, new RandomStreams(5).stream("event-time"));
    const sigma = Math.log(spec.p99 / spec.median) / 2.3263478740408408;
    const u = new RandomStreams(6).stream("thresholds");
    for (let i = 0; i < 20_000; i++) {
      const thresholdUs = Math.exp(u() * Math.log(1e9));
      const short = delays.shortBelow(thresholdUs);
      if (short < 0) continue;
      expect(delays.delayUs(short)).toBeLessThanOrEqual(thresholdUs);
      expect(delays.delayUs(short * u())).toBeLessThanOrEqual(thresholdUs);
      // Short of the distribution at T by the slack (1e-6) and the chance of a delay in the microsecond below T.
      const cdfAt = (us: number) => normalCdf(Math.log(us / spec.median) / sigma);
      expect(cdfAt(thresholdUs) - short).toBeLessThan(1.3e-6 + (cdfAt(thresholdUs) - cdfAt(thresholdUs - 1)));
    }
  });
});

describe("a window boundary at or before a time", () => {
  const settingsOf = (sizeUs: number, slideUs: number): WindowSettings => ({ sizeUs, slideUs, outOfOrdernessUs: 0, allowedLatenessUs: 0 });
  const windowsAt = (timeUs: number, settings: WindowSettings): WindowCounts => {
    const list: WindowCounts = [];
    assignWindows(timeUs, -Infinity, settings, list);
    return list;
  };

  it.each([
    ["tumbling 60 s", settingsOf(60 * s, 60 * s)],
    ["sliding 10 s every 2 s", settingsOf(10 * s, 2 * s)],
    ["sliding 10 s every 3 s (the slide does not divide the size)", settingsOf(10 * s, 3 * s)],
  ])("%s: every time from it to the time is in the same windows, and the microsecond before it is not", (_, settings) => {
    const u = new RandomStreams(8).stream("times");
    for (let i = 0; i < 5000; i++) {
      const timeUs = (u() - 0.2) * 200 * s + u();
      const boundaryUs = windowBoundaryAtOrBefore(timeUs, settings);
      expect(boundaryUs).toBeLessThanOrEqual(timeUs);
      const windows = windowsAt(timeUs, settings);
      for (const between of [boundaryUs, boundaryUs + (timeUs - boundaryUs) * u(), timeUs]) expect(windowsAt(between, settings)).toEqual(windows);
      expect(windowsAt(boundaryUs - 1, settings)).not.toEqual(windows);
    }
  });
});

describe("the readers' shortcut", () => {
  // What a reader does with one run of records created together (createMeanUs): with the shortcut, a
  // record at or below shortBelow keeps the run's windows; without it, every delay is computed.
  function readRun(delays: EventTimeDelays, uniforms: number[], createMeanUs: number, watermarkUs: number, settings: WindowSettings, shortcut: boolean) {
    const list: WindowCounts = [];
    let late = 0;
    let maxEventUs = -Infinity;
    const short = shortcut ? delays.shortIn(createMeanUs, settings) : -1;
    let smallest = 1;
    for (const v of uniforms) {
      smallest = Math.min(smallest, v);
      const eventUs = v <= short ? createMeanUs : createMeanUs - delays.delayUs(v);
      if (!shortcut) maxEventUs = Math.max(maxEventUs, eventUs);
      if (!assignWindows(eventUs, watermarkUs, settings, list)) late++;
    }
    if (shortcut) maxEventUs = createMeanUs - delays.delayUs(smallest);
    return { list, late, maxEventUs, short };
  }

  it.each([
    // The last figure: the share of records that take the shortcut is at least it (1 - E[min(d, T)] / E[T]).
    ["tumbling 1 min, delays median 200 ms p99 8 s", { sizeUs: 60 * s, slideUs: 60 * s }, { median: 200_000, p99: 8 * s }, 0.95],
    ["tumbling 1 s, delays median 50 ms p99 2 s", { sizeUs: s, slideUs: s }, { median: 50_000, p99: 2 * s }, 0.8],
    ["sliding 10 s every 3 s, delays median 1 s p99 30 s", { sizeUs: 10 * s, slideUs: 3 * s }, { median: s, p99: 30 * s }, 0.3],
  ])("%s: the same windows, late records and largest event time as computing every delay", (_, windows, spec, shareMin) => {
    const settings: WindowSettings = { ...windows, outOfOrdernessUs: 5 * s, allowedLatenessUs: 0 };
    const delays = new EventTimeDelays(spec, new RandomStreams(11).stream("event-time"));
    const u = new RandomStreams(12).stream("runs");
    let shortcuts = 0;
    let records = 0;
    for (let run = 0; run < 2000; run++) {
      const createMeanUs = u() * 3600 * s;
      const uniforms = Array.from({ length: 1 + Math.floor(u() * 40) }, () => u());
      const watermarkUs = createMeanUs - u() * 20 * s;
      const fast = readRun(delays, uniforms, createMeanUs, watermarkUs, settings, true);
      const exact = readRun(delays, uniforms, createMeanUs, watermarkUs, settings, false);
      expect(fast.list).toEqual(exact.list);
      expect(fast.late).toBe(exact.late);
      expect(fast.maxEventUs).toBe(exact.maxEventUs);
      shortcuts += uniforms.filter((v) => v <= fast.short).length;
      records += uniforms.length;
    }
    expect(shortcuts / records).toBeGreaterThan(shareMin);
  });
});
