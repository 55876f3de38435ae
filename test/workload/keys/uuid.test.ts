import { describe, expect, it } from "vitest";
import { uuidKeys } from "../../../sim/workload/keys/index.ts";

const V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe("uuidKeys", () => {
  it("derives distinct, valid version-4 UUIDs", () => {
    const keys = uuidKeys({ seedTag: "orders" });
    expect(keys.cardinality).toBe(Infinity);
    const seen = new Set<string>();
    for (let index = 0; index < 100_000; index++) {
      const key = keys.keyAt(index);
      expect(V4.test(key)).toBe(true);
      seen.add(key);
    }
    expect(seen.size).toBe(100_000);
    expect(V4.test(keys.keyAt(2 ** 40 + 12345))).toBe(true);
    expect(V4.test(keys.keyAt(Number.MAX_SAFE_INTEGER))).toBe(true);
  });

  it("is deterministic per seedTag", () => {
    const a = uuidKeys({ seedTag: "orders" });
    const b = uuidKeys({ seedTag: "orders" });
    const c = uuidKeys({ seedTag: "payments" });
    for (const index of [0, 1, 99, 123_456]) {
      expect(a.keyAt(index)).toBe(b.keyAt(index));
      expect(a.keyAt(index)).not.toBe(c.keyAt(index));
    }
  });

  it("counts per instance and restarts on reset", () => {
    const keys = uuidKeys({ seedTag: "t" });
    const other = uuidKeys({ seedTag: "t" });
    const never = (): number => {
      throw new Error("uuid keys draw nothing");
    };
    expect([keys.sample(never), keys.sample(never), keys.sample(never)]).toEqual([0, 1, 2]);
    expect(other.sample(never)).toBe(0);
    keys.reset!();
    expect(keys.sample(never)).toBe(0);
  });
});
