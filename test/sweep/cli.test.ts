// `streamsim sweep` and `merge` as a user runs them: the wiring of the commands and their flags, exit
// codes, and that bad input is a message, never a stack trace. One real sweep (2 runs, 2 workers) as
// a new process; the refusals run the command line in this process (test/support/cli.ts).

import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { workerCount } from "../../sim/cli/sweep-command.ts";
import { streamsimInProcess } from "../support/cli.ts";

function streamsim(...args: string[]) {
  const result = spawnSync(process.execPath, ["bin/streamsim.js", ...args], { encoding: "utf8", timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("streamsim sweep (command line)", { timeout: 60_000 }, () => {
  it("runs a sweep, states the seed rule and the goal's answer, and writes the reports", () => {
    const out = mkdtempSync(join(tmpdir(), "streamsim-sweep-cli-"));
    const outcome = streamsim("sweep", "test/sweep/fixtures/tiny.yaml", "--workers", "2", "--duration", "2s", "--out", out);
    expect(outcome.stderr).toBe("");
    expect(outcome.status).toBe(0);
    expect(outcome.stdout).toContain("8 runs on 2 workers");
    expect(outcome.stdout).toContain("seeds: replication r (counted from 0) runs with seed 11 + r");
    expect(outcome.stdout).toMatch(/goal: The smallest kds shard count with consumer p99 lag of kds · analytics below 60,000 ms in all 2 seeds is 1\./);
    expect(readFileSync(join(out, "summary.md"), "utf8")).toContain("every run shortened to 2s by --duration");
    expect(readFileSync(join(out, "report.html"), "utf8")).not.toMatch(/(src|href)="https?:/);
  });

  it("prints the plan (--plan, --json) without running, for schedulers that hand out runs themselves", () => {
    const lines = streamsim("sweep", "test/sweep/fixtures/tiny.yaml", "--plan", "--json", "--shard", "1/3");
    expect(lines.status).toBe(0);
    expect(lines.stdout.trim().split("\n").map((line) => JSON.parse(line))).toEqual([
      { run: 1, combination: 0, replication: 1, seed: 12, values: { "systems.kds.capacity.shards": 1 } },
      { run: 4, combination: 2, replication: 0, seed: 11, values: { "systems.kds.capacity.shards": 3 } },
      { run: 7, combination: 3, replication: 1, seed: 12, values: { "systems.kds.capacity.shards": 4 } },
    ]);
    const text = streamsim("sweep", "test/sweep/fixtures/tiny.yaml", "--plan", "--runs", "6");
    expect(text.stdout).toBe("run 6: combination 3, replication 0, seed 11: systems.kds.capacity.shards=4\n");
    const both = streamsim("sweep", "test/sweep/fixtures/tiny.yaml", "--shard", "0/2", "--runs", "1");
    expect([both.status, both.stderr]).toEqual([2, "streamsim sweep: --shard and --runs both choose runs; expected one of them\n"]);
  });

  it("refuses a bad shard, a file with scenario errors and a directory without shards, with exit code 2", async () => {
    const streamsim = streamsimInProcess;
    const shard = await streamsim("sweep", "test/sweep/fixtures/tiny.yaml", "--shard", "3/3");
    expect(shard.status).toBe(2);
    expect(shard.stderr).toContain("--shard: expected a shard index from 0 to 2, found 3");
    const malformed = await streamsim("sweep", "test/scenario/malformed/sweep-bad-values.yaml");
    expect(malformed.status).toBe(2);
    expect(malformed.stderr).toContain("sweep.parameters.systems.kds.capacity.shards[1]: expected a positive integer, found 0");
    const merge = await streamsim("merge", tmpdir());
    expect(merge.status).toBe(2);
    expect(merge.stderr).toContain("no sweep-shard-*.json or sweep-runs-*.json file");
    const missing = await streamsim("merge", join(tmpdir(), "streamsim-no-such-sweep-directory"));
    expect(missing.status).toBe(2);
    expect(missing.stderr).toBe(
      `streamsim merge: ${join(tmpdir(), "streamsim-no-such-sweep-directory")}: no such directory; expected the output directory of a streamsim sweep --shard run\n`,
    );
    for (const text of [shard.stderr, malformed.stderr, merge.stderr, missing.stderr]) expect(text).not.toMatch(/^\s+at /m);
  });
});

describe("sweep worker threads", () => {
  it("never start more threads than cores or runs, whatever --workers asks (each holds a simulation in memory)", () => {
    expect(workerCount(1_000_000_000, 2, 15)).toBe(2);
    expect(workerCount(undefined, 8, 3)).toBe(3);
    expect(workerCount(4, 8, 100)).toBe(4);
    expect(workerCount(undefined, 2, 0)).toBe(1);
  });
});
