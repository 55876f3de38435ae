// The compiled CLI: `npm ci` builds dist/ (prepare -> build) and bin/streamsim.js runs it, so nothing
// compiles TypeScript at start; the sources run instead while dist/ is missing or older than a source,
// or under STREAMSIM_FROM_SOURCE=1. Both give the same bytes. Tests that start the CLI run dist/ when
// it is fresh (after npm ci, as in CI: a third of the time of those tests), else the sources.

import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
// @ts-expect-error bin/entry.js is plain JavaScript without types (it runs before anything compiles TypeScript).
import { compiledEntry } from "../../bin/entry.js";

const root = mkdtempSync(join(tmpdir(), "streamsim-compiled-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("which CLI bin/streamsim.js runs", () => {
  const pkg = join(root, "pkg");
  mkdirSync(join(pkg, "sim", "cli"), { recursive: true });
  mkdirSync(join(pkg, "reports"), { recursive: true });
  const source = join(pkg, "sim", "cli", "main.ts");
  writeFileSync(source, "");
  const url = pathToFileURL(`${pkg}/`);
  const at = (path: string, seconds: number) => utimesSync(path, seconds, seconds);

  it("runs the sources when dist/ was never built, or when asked to", () => {
    expect(compiledEntry(url, {})).toBeNull();
    mkdirSync(join(pkg, "dist"), { recursive: true });
    writeFileSync(join(pkg, "dist", ".built"), "");
    at(source, 1_000);
    at(join(pkg, "dist", ".built"), 2_000);
    expect(compiledEntry(url, { STREAMSIM_FROM_SOURCE: "1" })).toBeNull();
  });

  it("runs dist/ when it is newer than every source, and the sources again once one is edited", () => {
    expect(compiledEntry(url, {})).toBe(new URL("dist/sim/cli/main.js", url).href);
    at(source, 3_000);
    expect(compiledEntry(url, {})).toBeNull();
  });
});

describe("the compiled CLI", { timeout: 180_000 }, () => {
  const streamsim = (compiled: boolean, ...args: string[]) =>
    spawnSync(process.execPath, ["bin/streamsim.js", ...args], { encoding: "utf8", timeout: 150_000, env: { ...process.env, STREAMSIM_FROM_SOURCE: compiled ? "0" : "1" } });

  it("builds, and gives the sources' bytes for a run and a sweep (whose workers run compiled too)", () => {
    // npm ci has built dist/; build it here only when it is missing or stale (a checkout being edited), so
    // other test files running the compiled CLI never see it half-built.
    if (compiledEntry(pathToFileURL(`${process.cwd()}/`), {}) === null) {
      const build = spawnSync("npm", ["run", "-s", "build"], { encoding: "utf8", timeout: 150_000 });
      expect([build.status, build.stderr]).toEqual([0, ""]);
    }
    expect(compiledEntry(pathToFileURL(`${process.cwd()}/`), {})).not.toBeNull();
    for (const [compiled, name] of [[true, "dist"], [false, "src"]] as const) {
      expect(streamsim(compiled, "run", "test/cli/small.yaml", "--quiet", "--out", join(root, `run-${name}`)).status).toBe(0);
      expect(streamsim(compiled, "sweep", "test/sweep/fixtures/tiny.yaml", "--duration", "1s", "--workers", "2", "--quiet", "--out", join(root, `sweep-${name}`)).status).toBe(0);
    }
    const read = (folder: string, file: string) => readFileSync(join(root, folder, file), "utf8");
    expect(read("run-dist", "summary.json")).toBe(read("run-src", "summary.json"));
    expect(read("sweep-dist", "sweep.csv")).toBe(read("sweep-src", "sweep.csv"));
    expect(streamsim(true, "--version").stdout.trim()).toBe(JSON.parse(readFileSync("package.json", "utf8")).version);
  });
});
