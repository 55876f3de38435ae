// MSK's EstimatedMaxTimeLag as we estimate it (sim/kafka/drain-estimate.ts, docs/reference.md §3.4):
// a partition's lag over the rate its committed offset advanced in the last 60 s.

import { describe, expect, it } from "vitest";
import { DrainEstimate } from "../../sim/kafka/drain-estimate.ts";

const secondUs = 1_000_000;

describe("drain estimate", () => {
  it("a group committing 100 records/s on a partition drains a lag of 500 in 5 s; another partition at 25/s drains it in 20 s", () => {
    const estimate = new DrainEstimate(2);
    for (let s = 0; s <= 90; s++) estimate.sample(s * secondUs, (p) => (p === 0 ? 100 : 25) * s);
    expect(estimate.ratePerSecond(0)).toBe(100);
    expect(estimate.ratePerSecond(1)).toBe(25);
    expect(estimate.drainSeconds(0, 500)).toBe(5);
    expect(estimate.drainSeconds(1, 500)).toBe(20);
    expect(estimate.drainSeconds(1, 0)).toBe(0);
  });

  it("the rate is the last 60 s's: a group that slowed from 100/s to 10/s a minute ago is estimated at 10/s", () => {
    const estimate = new DrainEstimate(1);
    for (let s = 0; s <= 200; s++) estimate.sample(s * secondUs, () => (s <= 100 ? 100 * s : 10_000 + 10 * (s - 100)));
    expect(estimate.ratePerSecond(0)).toBe(10);
    expect(estimate.drainSeconds(0, 1_000)).toBe(100);
  });

  it("commits every 5 s: over a whole window the steps cancel and the rate is exact", () => {
    const estimate = new DrainEstimate(1);
    for (let s = 0; s <= 120; s++) estimate.sample(s * secondUs, () => 400 * 5 * Math.floor(s / 5));
    expect(estimate.ratePerSecond(0)).toBe(400);
  });

  it("before a minute has passed the rate is over what was sampled (no estimate before progress); with no progress over a whole minute a lag drains as if at one record a minute", () => {
    const estimate = new DrainEstimate(1);
    estimate.sample(0, () => 0);
    expect(estimate.ratePerSecond(0)).toBe(0);
    expect(estimate.drainSeconds(0, 7)).toBeNull();
    for (let s = 1; s <= 10; s++) estimate.sample(s * secondUs, () => 50 * s);
    expect(estimate.ratePerSecond(0)).toBe(50);
    const stalled = new DrainEstimate(1);
    for (let s = 0; s <= 100; s++) stalled.sample(s * secondUs, () => 1_000);
    expect(stalled.drainSeconds(0, 3)).toBe(180);
  });
});
