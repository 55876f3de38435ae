import { describe, expect, it } from "vitest";
import { truncate } from "../../sim/engine/index.ts";

describe("truncate", () => {
  it("keeps the first elements, as setting length does", () => {
    const items = [1, 2, 3, 4];
    truncate(items, 2);
    expect(items).toEqual([1, 2]);
    truncate(items, 0);
    expect(items).toEqual([]);
  });

  it("leaves a shorter array as it is", () => {
    const items = ["a"];
    truncate(items, 3);
    expect(items).toEqual(["a"]);
  });
});
