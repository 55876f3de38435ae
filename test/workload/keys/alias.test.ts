import seedrandom from "seedrandom";
import { describe, expect, it } from "vitest";
import { AliasTable } from "../../../sim/workload/keys/alias.ts";

function frequencies(table: AliasTable, draws: number, seed: string): Float64Array {
  const u = seedrandom.alea(seed);
  const counts = new Float64Array(table.size);
  for (let d = 0; d < draws; d++) counts[table.sample(u)]++;
  return counts.map((c) => c / draws);
}

describe("AliasTable", () => {
  it("reports the normalised input weights", () => {
    const table = new AliasTable([1, 3, 0, 4]);
    expect(table.size).toBe(4);
    expect([0, 1, 2, 3].map((i) => table.probability(i))).toEqual([1 / 8, 3 / 8, 0, 4 / 8]);
  });

  it("matches its weights per bin", () => {
    const weights = [5, 1, 0, 10, 2.5, 0.5, 31];
    const table = new AliasTable(Float64Array.from(weights));
    // n = 1e6 draws: a bin's standard error is sqrt(p(1-p)/n) <= 5e-4 (p = 0.5 worst case),
    // so a 0.003 tolerance is 6 sigma and a wrong table (off by a whole weight) cannot pass.
    const draws = 1_000_000;
    const freq = frequencies(table, draws, "alias-bins");
    for (let i = 0; i < weights.length; i++) {
      expect(Math.abs(freq[i] - table.probability(i))).toBeLessThan(0.003);
    }
    expect(freq[2]).toBe(0); // zero weight is never drawn
  });

  it("passes a chi-square test on 1000 random weights", () => {
    const w = seedrandom.alea("alias-weights");
    const k = 1000;
    const table = new AliasTable(Array.from({ length: k }, () => 0.1 + w() * 10));
    const draws = 2_000_000;
    const freq = frequencies(table, draws, "alias-chi");
    let chi2 = 0;
    for (let i = 0; i < k; i++) {
      const expected = draws * table.probability(i);
      chi2 += (draws * freq[i] - expected) ** 2 / expected;
    }
    // Under H0 chi2 has mean df = 999 and sd sqrt(2 df) ~= 44.7; every expected count is
    // >= 200, so the chi-square approximation holds. Reject beyond 6 sd.
    const df = k - 1;
    expect(chi2).toBeLessThan(df + 6 * Math.sqrt(2 * df));
  });

  it("uses exactly one draw per sample and maps it deterministically", () => {
    const table = new AliasTable([1, 1, 1, 1]);
    let calls = 0;
    const values = [0, 0.3, 0.6, 0.99];
    const u = (): number => values[calls++];
    expect(values.map(() => table.sample(u))).toEqual([0, 1, 2, 3]);
    expect(calls).toBe(4);
  });

  it("handles a single outcome and rejects bad weights", () => {
    expect(new AliasTable([7]).sample(() => 0.999999)).toBe(0);
    expect(() => new AliasTable([])).toThrow();
    expect(() => new AliasTable([0, 0])).toThrow();
    expect(() => new AliasTable([1, -1])).toThrow();
    expect(() => new AliasTable([1, Number.NaN])).toThrow();
    expect(() => new AliasTable([1, Infinity])).toThrow();
  });
});
