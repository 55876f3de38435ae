// Sweep grids are counted before they are expanded (issue 17, item 5), and extreme but valid
// scenarios say what they will cost before they start (item 10).

import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { projectRun, projectionWarning } from "../../sim/run/index.ts";
import { formatIssue, loadScenarioText, type Scenario } from "../../sim/scenario/index.ts";
import { streamsimInProcess } from "../support/cli.ts";

const tiny = readFileSync("test/sweep/fixtures/tiny.yaml", "utf8");
const values = (make: (i: number) => string) => `[${Array.from({ length: 30 }, (_, i) => make(i + 1)).join(", ")}]`;

function load(text: string): ReturnType<typeof loadScenarioText> {
  return loadScenarioText(text, "tiny.yaml");
}

describe("sweep grids are counted first (item 5)", () => {
  it("5 parameters x 30 values (24.3 million runs) is refused at its line, without expanding it", () => {
    const grid = [
      "sweep:",
      "  parameters:",
      `    systems.kds.capacity.shards: ${values((i) => String(i))}`,
      `    workload.sensors.rate.recordsPerSecond: ${values((i) => String(i * 100))}`,
      `    workload.sensors.keys.cardinality: ${values((i) => String(i * 10))}`,
      `    workload.sensors.keys.exponent: ${values((i) => String(1 + i / 100))}`,
      `    warmup: ${values((i) => `${i}ms`)}`,
      "",
    ].join("\n");
    const before = process.memoryUsage().heapUsed;
    const started = performance.now();
    const loaded = load(tiny.replace(/^sweep:[\s\S]*$/m, grid));
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(200 * 1024 ** 2);
    expect(loaded.ok).toBe(false);
    if (loaded.ok) return;
    expect(loaded.issues.map(formatIssue)).toEqual([
      "tiny.yaml:19:3 sweep.parameters: expected a sweep of at most 1,000,000 runs (combinations x replications), found 24,300,000; sweep fewer values at a time",
    ]);
  });

  it("replications count too: 30 x 40 values x 1000 replications is refused", () => {
    const forty = `[${Array.from({ length: 40 }, (_, i) => 100 * (i + 1)).join(", ")}]`;
    const text = tiny
      .replace("replications: 2", "replications: 1000")
      .replace("shards: [1, 2, 3, 4]", `shards: ${values((i) => String(i))}\n    workload.sensors.rate.recordsPerSecond: ${forty}`)
      .replace(/\n  goal:.*\n/, "\n");
    const loaded = load(text);
    expect(loaded.ok).toBe(false);
    if (!loaded.ok) expect(loaded.issues.map(formatIssue)[0]).toContain("found 1,200,000;");
  });
});

function scenario(text: string): Scenario {
  const loaded = loadScenarioText(text, "x.yaml");
  if (!loaded.ok) throw new Error(loaded.issues.map(formatIssue).join("\n"));
  return loaded.scenario;
}

const extreme = (systems: string, duration = "1h", interval = "1m") =>
  [
    "name: extreme",
    `duration: ${duration}`,
    `report: { interval: ${interval} }`,
    "workload:",
    "  - producer: p",
    "    rate: { recordsPerSecond: 1000 }",
    "    recordSize: { distribution: fixed, size: 100B }",
    "    keys: { distribution: uniform, cardinality: 1000 }",
    "systems:",
    systems,
    "",
  ].join("\n");

describe("extreme but valid scenarios warn before they start (item 10)", () => {
  it("10,000 shards over a day at 1s intervals projects its memory", () => {
    const run = scenario(extreme("  - { name: kds, kind: kinesis, capacity: { mode: provisioned, shards: 10000 } }", "1d", "1s"));
    const warning = projectionWarning(projectRun(run), "this run");
    expect(warning).toMatch(/^warning: this run projects about 8\.6e\+7 records, \d+ MB of memory and \d+ s of computing/);
    expect(projectRun(run).memoryBytes).toBeGreaterThan(1024 ** 3);
  });

  it("a 30-day run projects its time", () => {
    const run = scenario(extreme("  - { name: kds, kind: kinesis, capacity: { mode: provisioned, shards: 2 } }", "30d", "1h"));
    expect(projectionWarning(projectRun(run), "this run")).toMatch(/^warning: this run projects about 2\.6e\+9 records, \d+ MB of memory and 22 min of computing/);
  });

  it("100,000 runs of a sweep project their total", () => {
    const run = scenario(extreme("  - { name: kds, kind: kinesis, capacity: { mode: provisioned, shards: 2 } }", "1m"));
    expect(projectionWarning(projectRun(run, 100_000), "this sweep of 100000 runs")).toMatch(/^warning: this sweep of 100000 runs projects about 6\.0e\+9 records/);
  });

  it("an ordinary example says nothing", () => {
    const run = scenario(readFileSync("scenarios/iot-zipf-keys.yaml", "utf8"));
    expect(projectionWarning(projectRun(run), "this run")).toBeUndefined();
  });
});

describe("validate warns about a valid scenario a run would refuse at once (item 4)", () => {
  it("recordsPerSecond: 1e300 is valid but stops any run: validate says so on stderr and still exits 0", async () => {
    const dir = mkdtempSync(join(tmpdir(), "streamsim-validate-"));
    const file = join(dir, "big.yaml");
    writeFileSync(file, readFileSync("test/cli/small.yaml", "utf8").replace(/recordsPerSecond: \d+/, "recordsPerSecond: 1e300"));
    const outcome = await streamsimInProcess("validate", file);
    expect(outcome.status).toBe(0);
    expect(outcome.stdout).toContain("ok (cli-small)");
    expect(outcome.stderr).toMatch(/warning: valid, but a run would stop at once: the workload offers about 6\.00e\+301 records/);
  });
});
