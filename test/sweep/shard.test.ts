// --shard parsing and slicing: every run belongs to exactly one shard.

import { describe, expect, it } from "vitest";
import { parseRuns, parseShard, runsOfShard, usableCpus } from "../../sim/sweep/index.ts";
import { cgroupCpuLimit } from "../../sim/sweep/cpus.ts";

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

  it("parses --runs lists and ranges against the sweep's run count, in words when wrong", () => {
    expect(parseRuns("17,3", 20)).toEqual([3, 17]);
    expect(parseRuns("0-3, 8", 20)).toEqual([0, 1, 2, 3, 8]);
    expect(parseRuns("20", 20)).toBe("--runs: this sweep has runs 0 to 19, found 20; `streamsim sweep FILE --plan` lists them");
    expect(parseRuns("3,1-4", 20)).toBe("--runs: run 3 is listed more than once; expected each run once");
    expect(parseRuns("5-2", 20)).toBe("--runs: the range 5-2 ends before it starts; expected FROM-TO with FROM <= TO");
    expect(parseRuns("a", 20)).toMatch(/^--runs: expected run numbers from 0 and ranges/);
    expect(parseRuns("", 20)).toMatch(/^--runs: expected run numbers/);
  });

  it("counts the CPUs a cgroup quota allows (v2 cpu.max, v1 cfs quota), never more than the machine's", () => {
    const files = (entries: Record<string, string>) => (path: string) => {
      if (path in entries) return entries[path];
      throw Object.assign(new Error("ENOENT"), { code: "ENOENT" });
    };
    // A Kubernetes pod with limits.cpu: 2 (cgroup v2, as the container sees its own cgroup at the root).
    expect(usableCpus(files({ "/proc/self/cgroup": "0::/\n", "/sys/fs/cgroup/cpu.max": "200000 100000\n" }), 64)).toBe(2);
    // limits.cpu: 1500m rounds up: a worker may use the half CPU.
    expect(cgroupCpuLimit(files({ "/sys/fs/cgroup/cpu.max": "150000 100000" }))).toBe(2);
    expect(cgroupCpuLimit(files({ "/sys/fs/cgroup/cpu.max": "max 100000" }))).toBeNull();
    // The process's own cgroup is read first when /proc/self/cgroup names one.
    expect(cgroupCpuLimit(files({ "/proc/self/cgroup": "0::/job/a\n", "/sys/fs/cgroup/job/a/cpu.max": "300000 100000", "/sys/fs/cgroup/cpu.max": "max 100000" }))).toBe(3);
    expect(cgroupCpuLimit(files({ "/sys/fs/cgroup/cpu/cpu.cfs_quota_us": "400000", "/sys/fs/cgroup/cpu/cpu.cfs_period_us": "100000" }))).toBe(4);
    expect(cgroupCpuLimit(files({ "/sys/fs/cgroup/cpu/cpu.cfs_quota_us": "-1", "/sys/fs/cgroup/cpu/cpu.cfs_period_us": "100000" }))).toBeNull();
    expect(usableCpus(files({}), 8)).toBe(8);
    expect(usableCpus(files({ "/sys/fs/cgroup/cpu.max": "1600000 100000" }), 8)).toBe(8);
  });
});
