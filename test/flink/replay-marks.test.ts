// ReplayMarks: what a re-reading source has seen processed, as a prefix and islands (sim/flink/replay-marks.ts).

import { describe, expect, it } from "vitest";
import { ReplayMarks } from "../../sim/flink/replay-marks.ts";

describe("ReplayMarks", () => {
  it("counts the prefix and islands a range overlaps, and joins islands the prefix reaches", () => {
    const marks = new ReplayMarks(100);
    marks.mark(150, 160);
    marks.mark(120, 130);
    expect(marks.endSeq).toBe(160);
    expect(marks.overlap(90, 170)).toBe(10 + 10 + 10);
    expect(marks.overlap(100, 120)).toBe(0);
    marks.mark(125, 150); // bridges the two islands
    expect(marks.overlap(100, 200)).toBe(40);
    marks.mark(100, 120); // the prefix reaches the bridged island: all one prefix
    expect(marks.overlap(0, 200)).toBe(160);
    expect(marks.endSeq).toBe(160);
  });

  it("a range marked twice is counted once", () => {
    const marks = new ReplayMarks(0);
    marks.mark(10, 20);
    marks.mark(10, 20);
    marks.mark(15, 25);
    expect(marks.overlap(0, 100)).toBe(15);
  });
});
