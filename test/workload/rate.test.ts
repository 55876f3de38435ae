// ArrivalClock's constant-rate step (issue 22, speed): it divides instead of solving the quadratic,
// and must give the very same arrival times as the solve, bit for bit, or every example's results
// would change. The reference below is the general solve as written before the shortcut.

import { describe, expect, it } from "vitest";
import { RandomStreams } from "../../sim/engine/index.ts";
import { ArrivalClock } from "../../sim/workload/index.ts";

/** The general step: a*dt + k*dt^2/2 = remaining in its cancellation-free form, here with k = 0. */
function solvedStepUs(ratePerUs: number, remaining: number): number {
  const disc = ratePerUs * ratePerUs;
  const denominator = ratePerUs + Math.sqrt(disc > 0 ? disc : 0);
  return remaining > 0 && denominator > 0 ? (2 * remaining) / denominator : 0;
}

describe("ArrivalClock at a constant rate", () => {
  it("gives the arrival times of the general solve, bit for bit, over many rates and draws", () => {
    const u = new RandomStreams(7).stream("rate-test");
    for (let r = 0; r < 200; r++) {
      // Rates from one record per hour to a billion per second, spread over the exponents.
      const perSecond = 10 ** (-3.6 + u() * 12.6);
      const endUs = 3_600_000_000;
      const clock = new ArrivalClock({ arrivals: "poisson", phases: [{ startUs: 0, endUs, fromPerSecond: perSecond, toPerSecond: perSecond }], dailyCycle: null });
      let referenceUs = 0;
      for (let i = 0; i < 200; i++) {
        const step = -Math.log(1 - u());
        const timeUs = clock.advance(step);
        if (timeUs === Infinity) break;
        // The clock's rate per microsecond, as its cursor computes it.
        referenceUs += Math.min(solvedStepUs(perSecond / 1e6, step), endUs - referenceUs);
        expect(timeUs).toBe(referenceUs);
      }
    }
  });

  it("agrees with the solve for rates too small to square to a normal double", () => {
    for (const ratePerUs of [1e-149, 1e-155, 1e-160, 5e-300]) {
      const clock = new ArrivalClock({ arrivals: "uniform", phases: [{ startUs: 0, endUs: 1e300, fromPerSecond: ratePerUs * 1e6, toPerSecond: ratePerUs * 1e6 }], dailyCycle: null });
      const a = (ratePerUs * 1e6) / 1e6;
      expect(clock.advance(1e-170)).toBe(solvedStepUs(a, 1e-170));
    }
  });
});
