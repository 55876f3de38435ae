// The function's execution environments and concurrency (docs/reference.md §6.1): a new environment
// pays the init duration once and is reused while warm; reserved concurrency is a ceiling and a
// carve-out of the account's pool; the pool throttles past its limit; billing rounds up to 1 ms.

import { describe, expect, it } from "vitest";
import { RandomStreams } from "../../sim/engine/index.ts";
import { AccountPool, billedGbSeconds, LambdaFunction, PoisonMarks, type Invocation } from "../../sim/lambda/index.ts";
import { lambdaFunction } from "../../sim/scenario/lambda-schema.ts";

const seriesOptions = { intervalUs: 60_000_000, endUs: 3_600_000_000 };

function fnOf(pool: AccountPool, input: object, name = "fn"): LambdaFunction {
  const streams = new RandomStreams(7);
  return new LambdaFunction(name, lambdaFunction.parse(input), pool, { duration: streams.stream(`${name}/d`), errors: streams.stream(`${name}/e`) }, seriesOptions, 0);
}

const out = (): Invocation => ({ durationUs: 0, failedAt: -1, timedOut: false, cold: false });

describe("execution environments", () => {
  it("starts cold with the init duration, then reuses the warm environment until keepWarm passes", () => {
    const fn = fnOf(new AccountPool(1000), { duration: { perBatch: "100ms" }, coldStart: { initDuration: "300ms", keepWarm: "5m" } });
    const invocation = out();
    expect(fn.tryStart(0, 10, Infinity, false, invocation)).toBe(true);
    expect(invocation).toMatchObject({ cold: true, durationUs: 400_000, failedAt: -1 });
    fn.finish(400_000);
    fn.tryStart(1_000_000, 10, Infinity, false, invocation);
    expect(invocation).toMatchObject({ cold: false, durationUs: 100_000 });
    fn.finish(1_100_000);
    fn.tryStart(1_100_000 + 301_000_000, 10, Infinity, false, invocation);
    expect(invocation.cold).toBe(true);
    expect(fn.coldStarts).toBe(2);
  });

  it("fails at the first poison record, and whole when it runs past its timeout", () => {
    const fn = fnOf(new AccountPool(1000), { duration: { perRecord: "1s" }, timeout: "5s", coldStart: { initDuration: "0s" } });
    const invocation = out();
    fn.tryStart(0, 3, 1, false, invocation);
    expect(invocation).toMatchObject({ failedAt: 1, timedOut: false, durationUs: 2_000_000 });
    fn.finish(2_000_000);
    fn.tryStart(2_000_000, 10, Infinity, false, invocation);
    expect(invocation).toMatchObject({ failedAt: 0, timedOut: true, durationUs: 5_000_000 });
    expect(fn.timeouts).toBe(1);
  });
});

describe("concurrency", () => {
  it("throttles past the account's limit and past a function's reserved concurrency, and counts it", () => {
    const pool = new AccountPool(3);
    const reserved = fnOf(pool, { reservedConcurrency: 1 }, "reserved");
    const shared = fnOf(pool, {}, "shared");
    const invocation = out();
    expect(reserved.tryStart(0, 1, Infinity, false, invocation)).toBe(true);
    expect(reserved.tryStart(0, 1, Infinity, false, invocation)).toBe(false);
    expect(shared.tryStart(0, 1, Infinity, false, invocation)).toBe(true);
    expect(shared.tryStart(0, 1, Infinity, false, invocation)).toBe(true);
    // The unreserved pool is 3 - 1 = 2.
    expect(shared.tryStart(0, 1, Infinity, false, invocation)).toBe(false);
    expect(reserved.throttles + shared.throttles).toBe(2);
    expect(pool.peakInUse).toBe(3);
  });

  it("creates at most 1,000 new environments at once, then 100 a second (1,000 per 10 s)", () => {
    const fn = fnOf(new AccountPool(100_000), { duration: { perBatch: "1h" }, timeout: "15m" });
    const invocation = out();
    let started = 0;
    for (let i = 0; i < 1500; i++) if (fn.tryStart(0, 1, Infinity, false, invocation)) started++;
    expect(started).toBe(1000);
    for (let i = 0; i < 500; i++) if (fn.tryStart(1_000_000, 1, Infinity, false, invocation)) started++;
    expect(started).toBe(1100);
  });
});

describe("billing and poison records", () => {
  it("bills duration rounded up to 1 ms x memory in GB", () => {
    expect(billedGbSeconds(1_000_001, 1024)).toBeCloseTo(1.001, 9);
    expect(billedGbSeconds(500, 512)).toBeCloseTo(0.0005, 9);
  });

  it("marks the same records poison on every query, at the share asked for", () => {
    const streams = new RandomStreams(3);
    const marks = new PoisonMarks(0.01, streams.stream("poison"));
    let found = 0;
    for (let seq = 0; seq < 1_000_000; ) {
      const poison = marks.firstIn(seq, 1_000_000);
      if (poison === Infinity) break;
      expect(marks.firstIn(seq, poison + 1)).toBe(poison);
      found++;
      seq = poison + 1;
    }
    // Binomial(1e6, 0.01): mean 10,000, sd 99.5; 5 sd is 500.
    expect(Math.abs(found - 10_000)).toBeLessThan(500);
  });
});
