// The sweep command end to end on worker threads: results independent of the worker count, a
// sharded sweep merged into the same bytes, failed runs reported without stopping the others.

import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { readShards } from "../../reports/sweep/index.ts";
import { mergeCommand, sweepCommand } from "../../sim/cli/sweep-command.ts";

const tiny = "test/sweep/fixtures/tiny.yaml";
const root = mkdtempSync(join(tmpdir(), "streamsim-sweep-"));
const read = (directory: string, file: string) => readFileSync(join(root, directory, file), "utf8");
const sweep = (file: string, out: string, flags: Record<string, unknown> = {}) =>
  sweepCommand(file, { out: join(root, out), quiet: true, ...flags }, "test");

// Worker threads start with tsx's loader and the simulator's modules: a few seconds on a busy machine.
describe("streamsim sweep", { timeout: 60_000 }, () => {
  beforeAll(() => {
    vi.spyOn(process.stderr, "write").mockImplementation(() => true);
  });
  afterAll(() => {
    vi.restoreAllMocks();
  });

  it("gives identical outputs on 1 and 2 workers", async () => {
    expect((await sweep(tiny, "one", { workers: 1 })).exitCode).toBe(0);
    expect((await sweep(tiny, "two", { workers: 2 })).exitCode).toBe(0);
    expect(read("two", "sweep.csv")).toBe(read("one", "sweep.csv"));
    expect(read("two", "summary.md")).toBe(read("one", "summary.md"));
    // 4 shard counts x 2 seeds, in run order, seeds 11 and 12.
    const lines = read("one", "sweep.csv").trim().split("\n");
    expect(lines.length).toBe(1 + 8);
    expect(lines.slice(1).map((line) => line.split(",").slice(0, 5).join(","))).toEqual([
      "0,0,0,11,1", "1,0,1,12,1", "2,1,0,11,2", "3,1,1,12,2", "4,2,0,11,3", "5,2,1,12,3", "6,3,0,11,4", "7,3,1,12,4",
    ]);
  });

  it("merges 3 shards into a byte-identical sweep.csv and the same summary", async () => {
    for (const index of [0, 1, 2]) expect((await sweep(tiny, `shard-${index}`, { shard: `${index}/3`, workers: 1 })).exitCode).toBe(0);
    expect(readdirSync(join(root, "shard-1"))).toEqual(["sweep-shard-1-of-3.json"]);
    const merged = await mergeCommand([2, 0, 1].map((index) => join(root, `shard-${index}`)), { out: join(root, "merged"), quiet: true });
    expect(merged.exitCode).toBe(0);
    expect(read("merged", "sweep.csv")).toBe(read("two", "sweep.csv"));
    expect(read("merged", "summary.md")).toBe(read("two", "summary.md"));
    expect(read("merged", "report.html")).toBe(read("two", "report.html"));
  });

  it("refuses to merge an incomplete set of shards, or shards of different sweeps", async () => {
    const partial = readShards([join(root, "shard-0"), join(root, "shard-2")]);
    expect(partial.ok ? [] : partial.problems).toEqual(["missing shard 1/3; expected all 3"]);
    // Shard 1 of the same scenario run with another duration is another sweep.
    const shard1 = JSON.parse(read("shard-1", "sweep-shard-1-of-3.json"));
    shard1.plan.durationOverrideUs = 2_000_000;
    mkdirSync(join(root, "other"));
    writeFileSync(join(root, "other", "sweep-shard-1-of-3.json"), JSON.stringify(shard1));
    const mixed = readShards([join(root, "shard-0"), join(root, "other"), join(root, "shard-2")]);
    expect(mixed.ok ? [] : mixed.problems.map((problem) => problem.split(" belongs")[0])).toEqual([join(root, "other", "sweep-shard-1-of-3.json")]);
    expect((await mergeCommand([join(root, "shard-0"), join(root, "shard-2")], { out: join(root, "partial"), quiet: true })).exitCode).toBe(2);
  });

  it("reports a failing run with its values and seed and finishes the others", async () => {
    // 8 combinations: replication factor 3 on 1 broker is invalid (2 runs); at 20,000 records/s the 3 s
    // run takes about 5,100 events and exceeds a budget of 3,000 that 100 records/s (about 1,800 events)
    // stays inside (4 runs, one of them already invalid).
    const outcome = await sweep("test/sweep/fixtures/failing.yaml", "failing", { workers: 2, eventBudget: 3_000 });
    expect(outcome.exitCode).toBe(1);
    const [header, ...rows] = read("failing", "sweep.csv").trim().split("\n");
    const columns = header.split(",");
    const at = (row: string, name: string) => row.split(",")[columns.indexOf(name)];
    const cells = rows.map((row) => [
      at(row, "systems.msk.brokers.count"),
      at(row, "systems.msk.topic.replicationFactor"),
      at(row, "workload.sensors.rate.recordsPerSecond"),
      at(row, "seed"),
      at(row, "status"),
    ].join(" "));
    expect(cells).toEqual([
      "1 1 100 5 ok", "1 1 20000 5 failed", "1 3 100 5 failed", "1 3 20000 5 failed",
      "3 1 100 5 ok", "3 1 20000 5 failed", "3 3 100 5 ok", "3 3 20000 5 failed",
    ]);
    const summary = read("failing", "summary.md");
    expect(summary).toContain("expected a replication factor of at most the broker count (1)");
    // The file's line holds the scenario's own value; the error names the one the sweep put in.
    expect(summary).toMatch(/this run's sweep values: [^)]*topic\.replicationFactor = 3/);
    expect(summary).toMatch(/event budget|events/);
    expect(summary).toContain("8 runs: 8 combinations x 1 replication; 3 finished, 5 failed.");
  });

  it("runs chosen runs (--runs) into files that merge, from folders, files or a glob, into the same bytes", async () => {
    // Three processes a scheduler might start with its own work lists: 0-2, 3 and 5-7, then 4 alone.
    for (const [index, runs] of ["0-2", "3,5-7", "4"].entries()) expect((await sweep(tiny, `runs-${index}`, { runs, workers: 1 })).exitCode).toBe(0);
    expect(readdirSync(join(root, "runs-1"))).toEqual(["sweep-runs-3_5-7.json"]);
    const byGlob = await mergeCommand([join(root, "runs-*", "sweep-runs-*.json")], { out: join(root, "merged-glob"), quiet: true });
    expect(byGlob.exitCode).toBe(0);
    expect(read("merged-glob", "sweep.csv")).toBe(read("two", "sweep.csv"));
    // A folder, a file and a shard's folder may be mixed as long as every run is there once.
    const byFile = readShards([join(root, "runs-0"), join(root, "runs-1", "sweep-runs-3_5-7.json"), join(root, "runs-2")]);
    expect(byFile.ok && byFile.rows.map((row) => row.run)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    const missing = readShards([join(root, "runs-0"), join(root, "runs-2")]);
    expect(missing.ok ? [] : missing.problems).toEqual(["missing runs 3, 5, 6, 7; expected all 8 runs (streamsim sweep FILE --plan lists them)"]);
    const twice = readShards([join(root, "runs-0"), join(root, "runs-1"), join(root, "runs-2"), join(root, "shard-0")]);
    expect(twice.ok ? [] : twice.problems[0]).toMatch(/^run 0 is in both .*sweep-runs-0-2\.json and .*sweep-shard-0-of-3\.json; expected each run once$/);
    expect(readShards([join(root, "no-such-*", "*.json")])).toEqual({ ok: false, problems: [`${join(root, "no-such-*", "*.json")}: nothing matches; expected a pattern naming shard folders or sweep-shard-*.json / sweep-runs-*.json files (* and ? within a folder or file name)`] });
  });

  it("a shard with failed runs exits 0 once its file is written, and merge exits 1 for them", async () => {
    // The runs are deterministic: retrying the shard would fail them again, so the array job should not.
    const flags = { workers: 1, eventBudget: 3_000 };
    for (const index of [0, 1]) expect((await sweep("test/sweep/fixtures/failing.yaml", `failing-${index}`, { ...flags, shard: `${index}/2` })).exitCode).toBe(0);
    const merged = await mergeCommand([join(root, "failing-0"), join(root, "failing-1")], { out: join(root, "failing-merged"), quiet: true });
    expect(merged.exitCode).toBe(1);
    expect(read("failing-merged", "sweep.csv")).toBe(read("failing", "sweep.csv"));
  });

  it("refuses a file without a sweep block", async () => {
    expect((await sweep("test/cli/small.yaml", "none")).exitCode).toBe(2);
  });
});
