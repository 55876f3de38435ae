// Machine output for scripts and pipelines: `run --json` (summary.json on stdout), `cost --json`,
// `validate --json` (problems as objects with file, line, column, path, expected, found) and `-` for a
// scenario on standard input.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { summarySchema } from "../../reports/index.ts";
import { streamsimInProcess, streamsimSpawnedWithInput } from "../support/cli.ts";

const directory = mkdtempSync(join(tmpdir(), "streamsim-json-"));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

const bad = `name: bad
duration: 10s
workload:
  - producer: app
    rate: { recordsPerSecond: 10 }
    recordSize: { distribution: fixed, size: 100B }
    keys: { distribution: uniform, cardinality: 5 }
systems:
  - name: k
    kind: kafka
    brokers: { count: 1 }
    topic: { partitions: 2 }
    producer: { linger: 5, acks: 2, lnger: 1ms }
`;

describe("machine output", () => {
  it("run --json prints summary.json, byte for byte the file it writes, and nothing else on stdout", async () => {
    const out = join(directory, "run");
    const outcome = await streamsimInProcess("run", "test/cli/small.yaml", "--out", out, "--duration", "10s", "--json");
    expect(outcome.status).toBe(0);
    expect(outcome.stdout).toBe(readFileSync(join(out, "summary.json"), "utf8"));
    expect(summarySchema.safeParse(JSON.parse(outcome.stdout)).success).toBe(true);
  });

  it("cost --json gives each system's cost block as summary.json has it, and their total", async () => {
    const outcome = await streamsimInProcess("cost", "test/cli/small.yaml", "--duration", "5s", "--json");
    expect(outcome.status).toBe(0);
    const cost = JSON.parse(outcome.stdout);
    expect(cost).toMatchObject({ scenario: "cli-small", seed: 3, region: "us-east-1", simulatedSeconds: 5 });
    expect(cost.systems.map((s: { name: string; kind: string }) => [s.name, s.kind])).toEqual([["kds", "kinesis"]]);
    const system = cost.systems[0].cost;
    expect(system.lineItems.length).toBeGreaterThan(0);
    expect(cost.monthlyUsd).toBeCloseTo(system.monthlyUsd, 2);
    const summary = JSON.parse((await streamsimInProcess("run", "test/cli/small.yaml", "--out", join(directory, "cost-run"), "--duration", "5s", "--json")).stdout);
    expect(system).toEqual(summary.systems[0].cost);
  });

  it("validate --json lists every problem as an object, and exits 2", async () => {
    const file = join(directory, "bad.yaml");
    writeFileSync(file, bad);
    const outcome = await streamsimInProcess("validate", "--json", file, "test/cli/small.yaml");
    expect(outcome.status).toBe(2);
    expect(outcome.stderr).toBe("");
    const result = JSON.parse(outcome.stdout);
    expect(result.ok).toBe(false);
    expect(result.files[1]).toEqual({ file: "test/cli/small.yaml", ok: true, scenario: "cli-small", problems: [], warnings: [] });
    const problems = result.files[0].problems;
    expect(problems).toContainEqual(
      expect.objectContaining({ file, line: 13, column: 25, path: ["systems", 0, "producer", "linger"], field: "systems[0].producer.linger", found: "5", hint: 'add a unit, e.g. "5ms" or "5s"' }),
    );
    expect(problems).toContainEqual(expect.objectContaining({ line: 13, path: ["systems", 0, "producer", "acks"], expected: "one of 0, 1, all", found: "2" }));
    expect(problems).toContainEqual(
      expect.objectContaining({ path: ["systems", 0, "producer", "lnger"], found: 'the field "lnger"', hint: 'did you mean "linger"?', expected: expect.stringMatching(/^one of: .*linger/) }),
    );
    for (const problem of problems) expect(Object.keys(problem).sort()).toEqual(["column", "expected", "field", "file", "found", "hint", "line", "message", "path"]);
    expect((await streamsimInProcess("validate", "--json", "test/cli/small.yaml")).status).toBe(0);
  });

  it("- reads the scenario from standard input (run --json, validate)", () => {
    const out = join(directory, "stdin");
    const run = streamsimSpawnedWithInput(readFileSync("test/cli/small.yaml", "utf8"), "run", "-", "--json", "--duration", "5s", "--out", out);
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout).scenario).toBe("cli-small");
    expect(run.stdout).toBe(readFileSync(join(out, "summary.json"), "utf8"));
    const invalid = streamsimSpawnedWithInput(bad, "validate", "-");
    expect(invalid.status).toBe(2);
    expect(invalid.stderr).toContain("<stdin>:13:25 systems[0].producer.linger: expected a duration");
  });
});
