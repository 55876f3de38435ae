import seedrandom from "seedrandom";
import { describe, expect, it } from "vitest";
import {
  fileKeys,
  fixedKey,
  hotspotKeys,
  type KeySpace,
  uniformKeys,
  weightedKeys,
  zipfKeys,
} from "../../../sim/workload/keys/index.ts";

function histogram(space: KeySpace, draws: number, seed: string): Float64Array {
  const u = seedrandom.alea(seed);
  const counts = new Float64Array(space.cardinality);
  for (let d = 0; d < draws; d++) counts[space.sample(u)]++;
  return counts;
}

describe("uniformKeys", () => {
  it("formats the template and samples every index evenly", () => {
    const space = uniformKeys({ cardinality: 10, template: "sensor-{i}" });
    expect(space.keyAt(0)).toBe("sensor-0");
    expect(space.keyAt(9)).toBe("sensor-9");
    expect(uniformKeys({ cardinality: 3 }).keyAt(2)).toBe("key-2");
    expect(uniformKeys({ cardinality: 3, template: "{i}/{i}" }).keyAt(2)).toBe("2/2");
    // p = 0.1, n = 1e6: standard error 3e-4, so 0.002 is > 6 sigma.
    const counts = histogram(space, 1_000_000, "uniform");
    for (const c of counts) expect(Math.abs(c / 1e6 - 0.1)).toBeLessThan(0.002);
  });

  it("rejects bad parameters and indexes", () => {
    expect(() => uniformKeys({ cardinality: 0 })).toThrow();
    expect(() => uniformKeys({ cardinality: 2.5 })).toThrow();
    expect(() => uniformKeys({ cardinality: 2, template: "same" })).toThrow(/\{i\}/);
    expect(() => uniformKeys({ cardinality: 2, template: "{i}-{region}" })).toThrow(/region/);
    expect(() => uniformKeys({ cardinality: 2 }).keyAt(2)).toThrow(/out of range/);
  });
});

describe("zipfKeys", () => {
  it("gives the top key its analytic share 1/H(N,s)", () => {
    const cardinality = 10_000;
    const exponent = 1.1;
    const space = zipfKeys({ cardinality, exponent, template: "sensor-{i}" });
    let harmonic = 0;
    for (let i = 1; i <= cardinality; i++) harmonic += i ** -exponent;
    expect(space.probability!(0)).toBeCloseTo(1 / harmonic, 14);
    expect(space.probability!(9)).toBeCloseTo(10 ** -exponent / harmonic, 14);
    // 1/H ~= 0.145; with n = 2e6 its standard error is ~2.5e-4, i.e. 0.17% relative, so the 2%
    // relative tolerance is ~11 sigma.
    const draws = 2_000_000;
    const counts = histogram(space, draws, "zipf");
    expect(Math.abs(counts[0] / draws - 1 / harmonic) / (1 / harmonic)).toBeLessThan(0.02);
    expect(counts[0]).toBeGreaterThan(counts[1]);
    expect(counts[1]).toBeGreaterThan(counts[9]);
    expect(space.keyAt(0)).toBe("sensor-0");
  });
});

describe("hotspotKeys", () => {
  it("sends hotShare of the traffic to the hot keys, evenly", () => {
    const space = hotspotKeys({ cardinality: 1000, hotKeys: 10, hotShare: 0.8 });
    expect(space.probability!(0)).toBeCloseTo(0.08, 15);
    expect(space.probability!(500)).toBeCloseTo(0.2 / 990, 15);
    const draws = 1_000_000;
    const counts = histogram(space, draws, "hotspot");
    const hot = counts.slice(0, 10).reduce((a, b) => a + b, 0) / draws;
    // Hot share 0.8: standard error 4e-4 at n = 1e6, so 0.003 is > 7 sigma. Each hot key
    // (p = 0.08) has standard error 2.7e-4: 0.002 is > 7 sigma.
    expect(Math.abs(hot - 0.8)).toBeLessThan(0.003);
    for (let i = 0; i < 10; i++) expect(Math.abs(counts[i] / draws - 0.08)).toBeLessThan(0.002);
    expect(counts.slice(10).every((c) => c > 0)).toBe(true);
  });

  it("stays in range at the edges", () => {
    const allHot = hotspotKeys({ cardinality: 5, hotKeys: 5, hotShare: 1 });
    expect(allHot.sample(() => 0.9999999999)).toBe(4);
    const noHot = hotspotKeys({ cardinality: 5, hotKeys: 1, hotShare: 0 });
    expect(noHot.sample(() => 0)).toBe(1);
    expect(noHot.sample(() => 1 - 2 ** -53)).toBe(4);
    expect(() => hotspotKeys({ cardinality: 5, hotKeys: 5, hotShare: 0.5 })).toThrow();
    expect(() => hotspotKeys({ cardinality: 5, hotKeys: 0, hotShare: 0.5 })).toThrow();
    expect(() => hotspotKeys({ cardinality: 5, hotKeys: 1, hotShare: 1.5 })).toThrow();
  });
});

describe("fixed, weighted and file keys", () => {
  it("fixedKey always gives its key", () => {
    const space = fixedKey({ key: "only" });
    expect(space.cardinality).toBe(1);
    expect(space.sample(() => 0.7)).toBe(0);
    expect(space.keyAt(0)).toBe("only");
  });

  it("weightedKeys follows the list order and weights", () => {
    const space = weightedKeys({ keys: ["a", "b", "c"], weights: [1, 0, 3] });
    expect(space.keyAt(2)).toBe("c");
    expect(space.probability!(2)).toBe(0.75);
    const counts = histogram(space, 1_000_000, "weighted");
    expect(counts[1]).toBe(0);
    expect(Math.abs(counts[2] / 1e6 - 0.75)).toBeLessThan(0.003); // se 4.3e-4
    expect(() => weightedKeys({ keys: ["a", "a"], weights: [1, 1] })).toThrow(/duplicate/);
    expect(() => weightedKeys({ keys: ["a"], weights: [1, 1] })).toThrow();
  });

  it("fileKeys is uniform without counts and weighted with them", () => {
    const uniform = fileKeys({ keys: ["x", "y"], counts: null });
    expect(uniform.probability!(1)).toBe(0.5);
    expect(uniform.sample(() => 0.75)).toBe(1);
    const weighted = fileKeys({ keys: ["x", "y"], counts: Float64Array.from([3, 1]) });
    expect(weighted.probability!(0)).toBe(0.75);
    expect(weighted.keyAt(1)).toBe("y");
  });
});
