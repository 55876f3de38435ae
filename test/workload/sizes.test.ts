// Lognormal record sizes by inversion (sim/workload/sizes.ts): the guide that answers most draws must
// give the size the inversion gives, clipped as it is, for every uniform.

import { describe, expect, it } from "vitest";
import { RandomStreams, roundHalfUp } from "../../sim/engine/index.ts";
import { normalQuantile, normalQuantile99, sizeSampler } from "../../sim/workload/index.ts";

describe("lognormal record sizes", () => {
  it.each([
    { median: 400, p99: 2048, capBytes: 16_384 },
    { median: 2048, p99: 16_384, capBytes: 262_144 },
    { median: 1024, p99: 8192, capBytes: 4096 },
    { median: 3, p99: 40, capBytes: 1 << 20 },
  ])("median $median B, p99 $p99 B, cap $capBytes B: every draw is the inversion's size, clipped to [1, cap] and counted when over the cap", ({ median, p99, capBytes }) => {
    const sampler = sizeSampler({ distribution: "lognormal", median, p99, max: capBytes, capBytes, capSource: "test" });
    const mu = Math.log(median);
    const sigma = Math.log(p99 / median) / normalQuantile99;
    const drawn = new RandomStreams(21).stream("sizes");
    const again = new RandomStreams(21).stream("sizes");
    let clipped = 0;
    for (let i = 0; i < 300_000; i++) {
      const size = roundHalfUp(Math.exp(mu + sigma * normalQuantile(again())));
      if (size > capBytes) clipped++;
      expect(sampler.sample(drawn)).toBe(Math.min(capBytes, Math.max(1, size)));
    }
    expect(sampler.clippedCount).toBe(clipped);
  });

  it("with the p99 at the median are that one size, for every uniform (0 included)", () => {
    const sampler = sizeSampler({ distribution: "lognormal", median: 1000, p99: 1000, max: 4096, capBytes: 4096, capSource: "test" });
    for (const v of [0, 1e-300, 0.5, 0.999999]) expect(sampler.sample(() => v)).toBe(1000);
  });
});
