// The light commands load only what they need (issue 22): `--version`, `validate` and `keys` without
// charts must start within a few times a bare `node -e 0`, so they must not load the chart and table
// libraries (vega, vega-lite, resvg, arquero) nor, where they have no use for them, the scenario
// loader (zod, yaml) or the models. Checked by the modules the process resolves, not by timing.

import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const directory = mkdtempSync(join(tmpdir(), "streamsim-modules-"));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

let traces = 0;
/** The URLs of every module `streamsim ARGS` resolves (it runs dist/ when built and fresh, else the sources). */
function modulesLoaded(...args: string[]): string[] {
  const file = join(directory, `trace-${traces++}.txt`);
  const result = spawnSync(process.execPath, ["--import", "./test/support/module-trace.mjs", "bin/streamsim.js", ...args], {
    encoding: "utf8",
    timeout: 60_000,
    env: { ...process.env, STREAMSIM_MODULE_TRACE: file },
  });
  expect([result.status, result.stderr]).toEqual([0, ""]);
  return [...new Set(readFileSync(file, "utf8").trim().split("\n"))];
}

/** The packages among `urls` (under node_modules), by name. */
function packagesOf(urls: string[]): Set<string> {
  return new Set(urls.flatMap((url) => url.match(/\/node_modules\/((?:@[^/]+\/)?[^/]+)\//)?.[1] ?? []));
}

const chartsAndTables = ["vega", "vega-lite", "@resvg/resvg-js", "arquero"];
/** tsx and what it loads, when the sources run (dist/ not built or stale). */
const sourceLoader = new Set(["tsx", "esbuild", "get-tsconfig", "resolve-pkg-maps"]);
/** The models and their run: the CLI's `run`, `cost` and `sweep` load them. */
const modelRun = /\/sim\/run\/run\.(js|ts)$/;
const keysArgs = ["keys", "--template", "{region}-{user}", "--field", "region=us,eu", "--field", "user=1..500", "--kinesis-shards", "4", "--kafka-partitions", "6"];

describe("what a command loads", { timeout: 120_000 }, () => {
  it("sees what a command loads: `schema --summary` loads the reports and their chart libraries", () => {
    const packages = packagesOf(modulesLoaded("schema", "--summary"));
    for (const name of chartsAndTables) expect(packages, name).toContain(name);
  });

  it("`--version` loads commander and the CLI's own small modules only", () => {
    const urls = modulesLoaded("--version");
    expect([...packagesOf(urls)].filter((name) => !sourceLoader.has(name))).toEqual(["commander"]);
    expect(urls.filter((url) => modelRun.test(url))).toEqual([]);
  });

  it("`validate` loads the scenario loader (zod, yaml) but no charts, tables or models", () => {
    const urls = modulesLoaded("validate", "scenarios/iot-zipf-keys.yaml", "scenarios/kafka-zipf.yaml");
    const packages = packagesOf(urls);
    for (const name of chartsAndTables) expect(packages, name).not.toContain(name);
    expect(packages).toContain("zod");
    expect(urls.filter((url) => modelRun.test(url))).toEqual([]);
  });

  it("`keys` without --out loads no charts, tables, scenario loader or models", () => {
    const urls = modulesLoaded(...keysArgs);
    const packages = packagesOf(urls);
    for (const name of [...chartsAndTables, "zod", "yaml"]) expect(packages, name).not.toContain(name);
    expect(urls.filter((url) => modelRun.test(url))).toEqual([]);
  });
});
