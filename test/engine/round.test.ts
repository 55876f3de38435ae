import { describe, expect, it } from "vitest";
import { roundHalfUp } from "../../sim/engine/index.ts";
import { RandomStreams } from "../../sim/engine/index.ts";

describe("roundHalfUp gives Math.round's result for every number", () => {
  it("at halves, next to halves, at binade edges and outside the fast range", () => {
    const values: number[] = [0, -0, 0.5, -0.5, 0.49999999999999994, 1.5, 2.5, -1.5, 2 ** 52, 2 ** 52 - 0.5, 2 ** 53, 2 ** 53 + 2, 1e300, -1e300, Infinity, -Infinity, NaN, Number.MIN_VALUE];
    for (let k = -10; k <= 60; k++) {
      const p = 2 ** k;
      for (const base of [p, p + 0.5, p - 0.5]) for (const v of [base, base * (1 - 2 ** -52), base * (1 + 2 ** -52), base * (1 - 2 ** -53)]) values.push(v, -v);
    }
    for (const v of values) expect(Object.is(roundHalfUp(v), Math.round(v)), `${v}`).toBe(true);
  });

  it("on a million random magnitudes", () => {
    const u = new RandomStreams(7).stream("round");
    const differing: number[] = [];
    for (let i = 0; i < 1_000_000; i++) {
      const v = (u() - 0.2) * 2 ** Math.floor(u() * 60 - 4);
      // Near a half: the cases where x + 0.5 could round onto the next integer.
      const w = Math.floor(v) + 0.5 + (u() < 0.5 ? -1 : 1) * Math.abs(v) * 2 ** -(52 + Math.floor(u() * 2));
      if (!Object.is(roundHalfUp(v), Math.round(v))) differing.push(v);
      if (!Object.is(roundHalfUp(w), Math.round(w))) differing.push(w);
    }
    expect(differing).toEqual([]);
  });
});
