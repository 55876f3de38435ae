// Output folders are checked before anything runs, and `merge` trusts nothing in a shard file
// (issue 17, items 6 and 7). Shard files are built in-process from a fake plan; the CLI is spawned
// only where exit codes and messages are the point.

import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readShards } from "../../reports/sweep/index.ts";
import { outputDirectoryProblem } from "../../sim/cli/output-dir.ts";
import type { RunRow, SweepPlan } from "../../sim/sweep/index.ts";

const root = mkdtempSync(join(tmpdir(), "streamsim-hostile-out-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function streamsim(cwd: string, ...args: string[]) {
  const result = spawnSync(process.execPath, [resolve("bin/streamsim.js"), ...args], { cwd, encoding: "utf8", timeout: 120_000 });
  return { status: result.status, stderr: result.stderr, stdout: result.stdout };
}

function expectNoStackTrace(text: string): void {
  expect(text).not.toMatch(/^\s+at /m);
  expect(text).not.toMatch(/\w*Error:/);
}

const plan: SweepPlan = {
  scenario: "tiny-sweep",
  file: "tiny.yaml",
  scenarioSha256: "a".repeat(64),
  baseSeed: 11,
  durationOverrideUs: null,
  eventBudget: null,
  parameters: ["systems.kds.capacity.shards"],
  combinations: [[1], [2]],
  grid: true,
  replications: 2,
  goal: null,
  runCount: 4,
  seedRule: "seed 11 + r",
};

function rowsOf(index: number, count: number): RunRow[] {
  const rows: RunRow[] = [];
  for (let run = index; run < plan.runCount; run += count) {
    rows.push({ run, combination: Math.floor(run / 2), replication: run % 2, seed: 11 + (run % 2), status: "ok", error: null, metrics: { "kds.x": run } });
  }
  return rows;
}

function shardFolder(name: string, content: unknown, index = 0, count = 2): string {
  const directory = join(root, name);
  mkdirSync(directory, { recursive: true });
  writeFileSync(join(directory, `sweep-shard-${index}-of-${count}.json`), typeof content === "string" ? content : JSON.stringify(content));
  return directory;
}

const good = (index: number, count = 2) => ({ format: "streamsim-sweep-shard/1", plan, shard: { index, count }, rows: rowsOf(index, count) });

describe("output folders are checked before simulating (item 6)", () => {
  const file = join(root, "a-file");
  writeFileSync(file, "x");
  const cases: Array<[string, RegExp]> = [
    [file, /exists and is not a folder/],
    [join(file, "sub"), /lies under .*a-file, which is a file/],
    ["/dev/null", /kernel file system/],
    ["/proc/x", /kernel file system/],
    ["/sys/x", /kernel file system/],
    ["", /--out is empty/],
  ];
  for (const [directory, message] of cases) {
    it(`refuses ${JSON.stringify(directory)}`, () => {
      expect(outputDirectoryProblem(directory)).toMatch(message);
    });
  }

  it("accepts a new folder under a writable one and creates it", () => {
    const directory = join(root, "new", "deeper");
    expect(outputDirectoryProblem(directory)).toBeUndefined();
    expect(readdirSync(directory)).toEqual([]);
  });

  it("run, sweep, sweep --shard and merge exit 2 with a message, writing nothing", () => {
    const cwd = mkdtempSync(join(root, "cwd-"));
    const scenario = resolve("test/sweep/fixtures/tiny.yaml");
    const outcomes = [
      streamsim(cwd, "run", resolve("test/cli/small.yaml"), "--quiet", "--out=/dev/null"),
      streamsim(cwd, "run", resolve("test/cli/small.yaml"), "--quiet", "--out="),
      streamsim(cwd, "sweep", scenario, "--quiet", "--out", join(file, "sub")),
      streamsim(cwd, "sweep", scenario, "--quiet", "--shard", "0/2", "--out", "/proc/x"),
      streamsim(cwd, "merge", shardFolder("merge-ok-0", good(0)), shardFolder("merge-ok-1", good(1), 1), "--quiet", "--out", file),
    ];
    for (const outcome of outcomes) {
      expect(outcome.status, outcome.stderr).toBe(2);
      expect(outcome.stderr).toMatch(/^streamsim (run|sweep|merge): /);
      expectNoStackTrace(outcome.stderr);
    }
    expect(readdirSync(cwd)).toEqual([]);
  }, 300_000);
});

describe("merge validates shard files before use (item 7)", () => {
  it("merges two good shards", () => {
    const merged = readShards([shardFolder("ok-0", good(0)), shardFolder("ok-1", good(1), 1)]);
    expect(merged.ok).toBe(true);
    if (merged.ok) expect(merged.rows.map((row) => row.run)).toEqual([0, 1, 2, 3]);
  });

  const malformed: Array<[string, unknown, RegExp]> = [
    ["no shard", { ...good(0), shard: undefined }, /shard: /],
    ["null plan", { ...good(0), plan: null }, /plan: /],
    ["a string count", { ...good(0), shard: { index: 0, count: "2" } }, /shard\.count: /],
    ["garbage rows", { ...good(0), rows: [1, "x", null] }, /rows\.0: /],
    ["a count of 1e9", { ...good(0), shard: { index: 0, count: 1e9 } }, /shard\.count: /],
    ["another shard's rows", { ...good(0), rows: rowsOf(1, 2) }, /rows\[0\] is run 1; expected run 0/],
    ["a scenario name that leaves the folder", { ...good(0), plan: { ...plan, scenario: "../../../tmp/evil" } }, /plan\.scenario: /],
    ["a run count that does not match", { ...good(0), plan: { ...plan, runCount: 40 } }, /runCount 40 is not combinations x replications/],
    ["not JSON", "{ nope", /not JSON/],
    ["a list", "[]", /not a valid streamsim-sweep-shard\/1 file/],
  ];
  for (const [what, content, message] of malformed) {
    it(`refuses ${what}, naming the file`, () => {
      const directory = shardFolder(`bad-${what.replace(/\W+/g, "-")}`, content);
      const merged = readShards([directory, shardFolder(`partner-${what.replace(/\W+/g, "-")}`, good(1), 1)]);
      expect(merged.ok).toBe(false);
      if (merged.ok) return;
      expect(merged.problems[0]).toContain(join(directory, "sweep-shard-0-of-2.json"));
      expect(merged.problems[0]).toMatch(message);
    });
  }

  it("a crafted scenario name cannot make merge write outside the working folder", () => {
    const cwd = mkdtempSync(join(root, "traversal-"));
    const evil = { ...plan, scenario: "../../escaped" };
    const a = shardFolder("evil-0", { ...good(0), plan: evil });
    const b = shardFolder("evil-1", { ...good(1), plan: evil }, 1);
    const outcome = streamsim(cwd, "merge", a, b, "--quiet");
    expect(outcome.status).toBe(2);
    expect(outcome.stderr).toContain("sweep-shard-0-of-2.json");
    expectNoStackTrace(outcome.stderr);
    expect(existsSync(join(cwd, "..", "..", "escaped-sweep"))).toBe(false);
    expect(readdirSync(cwd)).toEqual([]);
  }, 120_000);
});
