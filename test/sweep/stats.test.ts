// Confidence intervals: t critical values against published ones, a hand-computed interval, and
// intervals that narrow as 1/sqrt(n) — on synthetic normal samples (tight) and on real replications.

import seedrandom from "seedrandom";
import { describe, expect, it } from "vitest";
import { meanCi, tCritical95 } from "../../reports/sweep/index.ts";
import { sweepInProcess } from "../support/sweep.ts";
import { readFileSync } from "node:fs";

describe("95% confidence intervals", () => {
  it("use Student's t critical values (NIST e-Handbook §1.3.6.7.2 and standard tables)", () => {
    expect(tCritical95(1)).toBe(12.706);
    expect(tCritical95(4)).toBe(2.776);
    expect(tCritical95(30)).toBe(2.042);
    // Above the table, the Cornish-Fisher expansion: published t(0.975) 2.021 at 40, 2.000 at 60, 1.980 at 120.
    expect(tCritical95(40)).toBeCloseTo(2.021, 2);
    expect(tCritical95(60)).toBeCloseTo(2.0, 2);
    expect(tCritical95(120)).toBeCloseTo(1.98, 2);
  });

  it("match a hand computation", () => {
    // 1..5: mean 3, s = sqrt(2.5) = 1.5811; half width t(4) s / sqrt(5) = 2.776 * 1.5811 / 2.2361 = 1.9629.
    const ci = meanCi([1, 2, 3, 4, 5]);
    expect(ci.mean).toBe(3);
    expect(ci.halfWidth!).toBeCloseTo(1.9629, 3);
    expect(meanCi([7]).halfWidth).toBeNull();
  });

  it("narrow as 1/sqrt(n) on normal samples", () => {
    // Half widths at n = 200 and 800 should differ by 2 x t(199)/t(799) = 2.009. The sample standard
    // deviation's relative error is about 1/sqrt(2n): 5% and 2.5%, so the ratio is known to about 5.6%;
    // a 15% tolerance (2.7 standard errors) still fails a 1/n or a constant law (ratios 4 and 1).
    const uniform = seedrandom.alea("ci-narrowing");
    const normal = () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
    const sample = (n: number) => Array.from({ length: n }, () => 100 + 15 * normal());
    const ratio = meanCi(sample(200)).halfWidth! / meanCi(sample(800)).halfWidth!;
    expect(ratio).toBeGreaterThan(2.009 * 0.85);
    expect(ratio).toBeLessThan(2.009 * 1.15);
  });

  it("narrow as replications grow on real runs", () => {
    // Producer latency p99 of the tiny sweep's 1-shard setting over 4 and 16 seeds. The expected ratio
    // is 2 x t(3)/t(15) = 2.99 for equal sample deviations, but a deviation from 3 degrees of freedom
    // is itself uncertain by a factor of about 2, so only the direction and a loose range are asserted.
    const text = readFileSync("test/sweep/fixtures/tiny.yaml", "utf8").replace("[1, 2, 3, 4]", "[1]");
    const halfWidth = (replications: number) => {
      const { rows } = sweepInProcess("test/sweep/fixtures/tiny.yaml", text.replace("replications: 2", `replications: ${replications}`));
      return meanCi(rows.map((row) => row.metrics["kds.producerLatencyMs.p99"]!)).halfWidth!;
    };
    const ratio = halfWidth(4) / halfWidth(16);
    expect(ratio).toBeGreaterThan(1.2);
    expect(ratio).toBeLessThan(8);
  });
});
