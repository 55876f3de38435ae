import seedrandom from "seedrandom";
import { describe, expect, it } from "vitest";
import { compositeKeys } from "../../../sim/workload/keys/index.ts";

const regions = ["us", "eu", "ap"];
const tiers = ["gold", "silver"];

function space() {
  return compositeKeys({
    template: "{region}-{tier}-{i}",
    fields: {
      region: { values: regions, weights: [5, 3, 2] },
      tier: { values: tiers },
      i: { range: [1, 100], distribution: "zipf", exponent: 1 },
    },
  });
}

/** Mixed radix, first placeholder most significant (the documented index order). */
function encode(region: string, tier: string, i: number): number {
  return (regions.indexOf(region) * tiers.length + tiers.indexOf(tier)) * 100 + (i - 1);
}

describe("compositeKeys", () => {
  it("enumerates every combination once, in mixed-radix order", () => {
    const keys = space();
    expect(keys.cardinality).toBe(600);
    expect(keys.keyAt(0)).toBe("us-gold-1");
    expect(keys.keyAt(1)).toBe("us-gold-2");
    expect(keys.keyAt(100)).toBe("us-silver-1");
    expect(keys.keyAt(599)).toBe("ap-silver-100");
    const all = Array.from({ length: 600 }, (_, index) => keys.keyAt(index));
    expect(new Set(all).size).toBe(600);
    let total = 0;
    for (let index = 0; index < 600; index++) total += keys.probability!(index);
    expect(total).toBeCloseTo(1, 12);
  });

  it("round-trips sampled indexes and matches per-field frequencies", () => {
    const keys = space();
    const u = seedrandom.alea("composite");
    const draws = 600_000;
    const regionCounts = new Map<string, number>();
    const tierCounts = new Map<string, number>();
    let firstRank = 0;
    let mismatches = 0;
    for (let d = 0; d < draws; d++) {
      const index = keys.sample(u);
      const [region, tier, i] = keys.keyAt(index).split("-");
      if (encode(region, tier, Number(i)) !== index) mismatches++;
      regionCounts.set(region, (regionCounts.get(region) ?? 0) + 1);
      tierCounts.set(tier, (tierCounts.get(tier) ?? 0) + 1);
      if (i === "1") firstRank++;
    }
    expect(mismatches).toBe(0);
    // n = 6e5: standard errors are <= sqrt(0.25/6e5) ~= 6.5e-4, so 0.004 is > 6 sigma.
    expect(Math.abs(regionCounts.get("us")! / draws - 0.5)).toBeLessThan(0.004);
    expect(Math.abs(regionCounts.get("eu")! / draws - 0.3)).toBeLessThan(0.004);
    expect(Math.abs(regionCounts.get("ap")! / draws - 0.2)).toBeLessThan(0.004);
    expect(Math.abs(tierCounts.get("gold")! / draws - 0.5)).toBeLessThan(0.004);
    let harmonic = 0;
    for (let r = 1; r <= 100; r++) harmonic += 1 / r;
    expect(Math.abs(firstRank / draws - 1 / harmonic)).toBeLessThan(0.004);
    expect(keys.probability!(encode("eu", "gold", 1))).toBeCloseTo(0.3 * 0.5 * (1 / harmonic), 14);
  });

  it("takes one draw per field and supports repeated placeholders", () => {
    const keys = compositeKeys({
      template: "{a}/{b}/{a}",
      fields: { a: { range: [0, 9] }, b: { values: ["x", "y"] } },
    });
    let calls = 0;
    const index = keys.sample(() => (calls++ === 0 ? 0.35 : 0.6));
    expect(calls).toBe(2);
    expect(keys.keyAt(index)).toBe("3/y/3");
  });

  it("rejects inconsistent fields", () => {
    expect(() => compositeKeys({ template: "{a}-{b}", fields: { a: { values: ["x"] } } })).toThrow(/\{b\}/);
    expect(() => compositeKeys({ template: "{a}", fields: { a: { values: ["x"] }, z: { values: ["y"] } } })).toThrow(/z/);
    expect(() => compositeKeys({ template: "{a}", fields: { a: { values: ["x", "x"] } } })).toThrow(/distinct/);
    expect(() => compositeKeys({ template: "{a}", fields: { a: { range: [5, 1] } } })).toThrow();
    const huge = { range: [0, 2 ** 27] as const };
    expect(() => compositeKeys({ template: "{a}{b}", fields: { a: huge, b: huge } })).toThrow(/2\^53/);
  });
});
