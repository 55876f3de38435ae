import seedrandom from "seedrandom";
import { describe, expect, it } from "vitest";
import { dailyKeys, formatUtcDate } from "../../../sim/workload/keys/index.ts";

const US_PER_HOUR = 3_600_000_000;
const US_PER_DAY = 24 * US_PER_HOUR;

describe("dailyKeys", () => {
  it("crosses midnight UTC into the next date", () => {
    const keys = dailyKeys({ startEpochMs: Date.UTC(2026, 1, 28, 23, 0) });
    expect(keys.cardinality).toBe(Infinity);
    expect(keys.keyForTime!(0)).toBe(0);
    expect(keys.keyForTime!(US_PER_HOUR - 1)).toBe(0);
    expect(keys.keyForTime!(US_PER_HOUR)).toBe(1);
    expect(keys.keyAt(0)).toBe("2026-02-28");
    expect(keys.keyAt(1)).toBe("2026-03-01");
    expect(() => keys.sample(() => 0.5)).toThrow(/keyForTime/);
  });

  it("handles leap years", () => {
    const keys = dailyKeys({ startEpochMs: Date.UTC(2028, 1, 28, 12, 30) });
    expect(keys.keyAt(keys.keyForTime!(12 * US_PER_HOUR))).toBe("2028-02-29");
    expect(keys.keyAt(keys.keyForTime!(12 * US_PER_HOUR + US_PER_DAY))).toBe("2028-03-01");
    const centuries = dailyKeys({ startEpochMs: Date.UTC(2100, 1, 28) });
    expect(centuries.keyAt(1)).toBe("2100-03-01");
    expect(dailyKeys({ startEpochMs: Date.UTC(2000, 1, 28) }).keyAt(1)).toBe("2000-02-29");
  });

  it("counts the days a run touches", () => {
    const start = Date.UTC(2026, 0, 1, 22, 0);
    expect(dailyKeys({ startEpochMs: start, durationUs: 2 * US_PER_HOUR }).cardinality).toBe(1);
    expect(dailyKeys({ startEpochMs: start, durationUs: 2 * US_PER_HOUR + 1 }).cardinality).toBe(2);
    expect(dailyKeys({ startEpochMs: start, durationUs: 3 * US_PER_DAY }).cardinality).toBe(4);
    const bounded = dailyKeys({ startEpochMs: start, durationUs: US_PER_HOUR });
    expect(() => bounded.keyAt(1)).toThrow(/out of range/);
  });

  it("formats the same dates as Date.toISOString", () => {
    // Date is used here only as an independent oracle for the integer calendar arithmetic.
    const u = seedrandom.alea("dates");
    for (let k = 0; k < 20_000; k++) {
      const day = Math.floor(u() * 2_900_000) - 700_000; // about 0053 to 9910
      expect(formatUtcDate(day)).toBe(new Date(day * 86_400_000).toISOString().slice(0, 10));
    }
    expect(formatUtcDate(0)).toBe("1970-01-01");
    expect(formatUtcDate(-1)).toBe("1969-12-31");
  });
});
