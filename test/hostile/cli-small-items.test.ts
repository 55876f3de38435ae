// The smaller command-line items of issue 17, item 10: a closed stdout, sweep seeds near 2^53, and
// --shard auto/N reading only whole numbers from the array job's environment.

import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { formatIssue, loadScenarioText } from "../../sim/scenario/index.ts";
import { parseShard } from "../../sim/sweep/index.ts";

describe("a closed stdout", () => {
  it("`schema | head -c 10` exits quietly", () => {
    const result = spawnSync("sh", ["-c", `"${process.execPath}" bin/streamsim.js schema | head -c 10 >/dev/null; echo "status=$?"`], { encoding: "utf8", timeout: 60_000 });
    expect(result.stderr).not.toMatch(/EPIPE|Error|\n\s+at /);
    expect(result.stdout).toContain("status=0");
  }, 60_000);
});

describe("sweep seeds past 2^53", () => {
  const tiny = readFileSync("test/sweep/fixtures/tiny.yaml", "utf8");
  it("refuses a seed whose replications would pass 2^53 - 1 instead of wrapping to 0", () => {
    const loaded = loadScenarioText(tiny.replace("seed: 11", `seed: ${Number.MAX_SAFE_INTEGER}`), "tiny.yaml");
    expect(loaded.ok).toBe(false);
    if (!loaded.ok) {
      expect(loaded.issues.map(formatIssue)).toEqual([
        `tiny.yaml:21:17 sweep.replications: expected seed + replications - 1 to be at most ${Number.MAX_SAFE_INTEGER} (replication r runs with seed + r), found seed ${Number.MAX_SAFE_INTEGER} with 2 replications; lower the seed`,
      ]);
    }
    expect(loadScenarioText(tiny.replace("seed: 11", `seed: ${Number.MAX_SAFE_INTEGER - 1}`), "tiny.yaml").ok).toBe(true);
  });
});

describe("--shard auto/N", () => {
  for (const value of [" ", "0x1", "1.0", "-1", "1e0"]) {
    it(`refuses JOB_COMPLETION_INDEX=${JSON.stringify(value)}`, () => {
      expect(parseShard("auto/4", { JOB_COMPLETION_INDEX: value })).toBe(`--shard auto/N: JOB_COMPLETION_INDEX is ${JSON.stringify(value)}; expected a whole number`);
    });
  }

  it("blames SLURM_ARRAY_TASK_MIN when that is the bad one", () => {
    expect(parseShard("auto/4", { SLURM_ARRAY_TASK_ID: "2", SLURM_ARRAY_TASK_MIN: "x" })).toBe(
      '--shard auto/N: SLURM_ARRAY_TASK_MIN is "x"; expected a whole number',
    );
    expect(parseShard("auto/4", { SLURM_ARRAY_TASK_ID: "2", SLURM_ARRAY_TASK_MIN: "1" })).toEqual({ index: 1, count: 4 });
  });

  it("refuses shard forms beyond safe integers", () => {
    expect(typeof parseShard("0/99999999999999999999", {})).toBe("string");
    expect(parseShard("1/3", {})).toEqual({ index: 1, count: 3 });
  });
});
