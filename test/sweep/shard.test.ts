// --shard parsing and slicing: every run belongs to exactly one shard.

import { describe, expect, it } from "vitest";
import { parseShard, runsOfShard } from "../../sim/sweep/index.ts";

describe("shards", () => {
  it("parses i/N (from 0) and auto/N from the array job's environment", () => {
    expect(parseShard("2/3", {})).toEqual({ index: 2, count: 3 });
    expect(parseShard("auto/4", { JOB_COMPLETION_INDEX: "1" })).toEqual({ index: 1, count: 4 });
    expect(parseShard("auto/4", { AWS_BATCH_JOB_ARRAY_INDEX: "3" })).toEqual({ index: 3, count: 4 });
    // Slurm arrays declared --array=1-4 count from SLURM_ARRAY_TASK_MIN.
    expect(parseShard("auto/4", { SLURM_ARRAY_TASK_ID: "4", SLURM_ARRAY_TASK_MIN: "1" })).toEqual({ index: 3, count: 4 });
  });

  it("refuses shards out of range and forms it does not know, in words", () => {
    expect(parseShard("3/3", {})).toBe("--shard: expected a shard index from 0 to 2, found 3");
    expect(parseShard("1of3", {})).toMatch(/^--shard: expected i\/N/);
    expect(parseShard("auto/2", {})).toMatch(/none of JOB_COMPLETION_INDEX, AWS_BATCH_JOB_ARRAY_INDEX, SLURM_ARRAY_TASK_ID is set/);
  });

  it("gives every run to exactly one shard", () => {
    const slices = [0, 1, 2].map((index) => runsOfShard(10, { index, count: 3 }));
    expect(slices).toEqual([[0, 3, 6, 9], [1, 4, 7], [2, 5, 8]]);
    expect(runsOfShard(2, { index: 2, count: 3 })).toEqual([]);
  });
});
