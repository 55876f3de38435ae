// The falling-behind rule over the whole window after warm-up (sim/metrics/trend.ts; docs/models.md
// "Falling behind"): a robust slope of the lag's peaks, the end well above the consumer's own cycle,
// and a backlog at the end, whatever the run length.

import { describe, expect, it } from "vitest";
import { LagSamples, fallingBehind, lagSampleTimeUs, lagTrend } from "../../sim/metrics/index.ts";

const secondUs = 1_000_000;

function samples(seconds: number, lagUsAt: (timeUs: number) => number): LagSamples {
  const s = new LagSamples(seconds);
  for (let second = 0; second < seconds; second++) s.add(lagSampleTimeUs(second), lagUsAt(lagSampleTimeUs(second)));
  return s;
}

const window = (seconds: number) => ({ warmupUs: 0, durationUs: seconds * secondUs });
/** A consumer with a 1 s cycle that processes 100 records/s and has `unread` left. */
const cycle = (unread: number, cycleUs = secondUs) => ({ cycleUs, unread, consumedPerSecond: 100 });

describe("falling behind", () => {
  it("a lag rising 0.8 s/s is caught in a 3-minute run as in a 10-minute one, with the slope", () => {
    for (const seconds of [180, 240, 600]) {
      const trend = fallingBehind(samples(seconds, (t) => 0.8 * t), window(seconds), cycle(10_000));
      expect(trend, `${seconds} s`).not.toBeNull();
      expect(Math.abs(trend!.growthMsPerSecond - 800)).toBeLessThan(8);
      expect(trend!.peaksRising).toBe(1);
    }
  });

  it("a sawtooth of 75 s polls whose peaks do not rise is not falling behind", () => {
    const period = 75 * secondUs;
    const phase = 20 * secondUs;
    const sawtooth = (t: number): number => (t + phase) % period;
    const trend = lagTrend(samples(600, sawtooth), window(600), cycle(7_500, period))!;
    // Its trough-to-peak slope is 1 s/s; the peaks' slope is nil.
    expect(Math.abs(trend.growthMsPerSecond)).toBeLessThan(10);
    expect(fallingBehind(samples(600, sawtooth), window(600), cycle(7_500, period))).toBeNull();
  });

  it("a sawtooth whose peaks rise is falling behind", () => {
    const period = 75 * secondUs;
    const rising = (t: number): number => (t % period) + 0.3 * t;
    const trend = fallingBehind(samples(600, rising), window(600), cycle(100_000, period));
    expect(trend).not.toBeNull();
    expect(Math.abs(trend!.growthMsPerSecond - 300)).toBeLessThan(30);
  });

  it("a lag that rises and recovers, or ends within a few cycles, or leaves nothing unread, does not", () => {
    const spike = (t: number): number => (t < 300 * secondUs ? t : Math.max(0, 600 * secondUs - t));
    expect(fallingBehind(samples(600, spike), window(600), cycle(10))).toBeNull();
    expect(fallingBehind(samples(600, (t) => 0.01 * t), window(600), cycle(1_000))).toBeNull(); // ends at 6 s
    expect(fallingBehind(samples(600, (t) => 0.8 * t), window(600), cycle(0))).toBeNull();
  });

  it("needs 30 samples, and 4 cycles for the peaks; with fewer, the troughs of the last two cycles", () => {
    expect(lagTrend(samples(29, (t) => t), window(29), cycle(1_000))).toBeNull();
    expect(lagTrend(samples(200, (t) => t), window(200), cycle(1_000, 60 * secondUs))?.basis).toBe("troughs");
    expect(lagTrend(samples(240, (t) => t), window(240), cycle(1_000, 60 * secondUs))?.basis).toBe("peaks");
    // Less than one full cycle after the first sample: no evidence at all.
    expect(lagTrend(samples(50, (t) => t), window(50), cycle(1_000, 60 * secondUs))).toBeNull();
  });

  it("with fewer than 4 cycles, a poller still far behind right after its polls falls behind; one that keeps up does not", () => {
    const period = 75 * secondUs;
    // 150 s after warm-up, polls every 75 s that each take 11 s of arrivals: troughs rise 64 s a cycle.
    const behindLag = (t: number): number => t - Math.floor(t / period) * 11 * secondUs;
    const trend = fallingBehind(samples(150, behindLag), window(150), cycle(100_000, period));
    expect(trend?.basis).toBe("troughs");
    expect(Math.abs(trend!.growthMsPerSecond - 853)).toBeLessThan(20);
    // A poller that takes everything: its lag falls to ~0 at every poll, whatever the phase.
    for (const phaseS of [0, 20, 50, 74]) {
      const keepsUp = (t: number): number => (t + phaseS * secondUs) % period;
      expect(fallingBehind(samples(150, keepsUp), window(150), cycle(7_500, period)), `phase ${phaseS} s`).toBeNull();
    }
  });

  it("a day of samples stays bounded: at most 200 blocks enter the slope", () => {
    const trend = lagTrend(samples(86_400, (t) => 0.5 * t), window(86_400), cycle(1_000))!;
    expect(Math.abs(trend.growthMsPerSecond - 500)).toBeLessThan(5);
  });
});
