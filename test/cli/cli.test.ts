// The `streamsim` command as a user runs it: exit codes, where messages go, and what gets written.
// A spawn costs about 3 s of CPU (the loader and the chart libraries load again), so most cases run
// the command line in this process through main() (test/support/cli.ts: the same parsing, messages
// and exit codes); the cases of bad input that must show the real process's exit status and streams
// still spawn it.

import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { formatIssue, loadScenarioFile } from "../../sim/scenario/index.ts";
import { streamsimInProcess } from "../support/cli.ts";

interface Outcome {
  status: number | null;
  stdout: string;
  stderr: string;
}

function streamsim(...args: string[]): Outcome {
  const result = spawnSync(process.execPath, ["bin/streamsim.js", ...args], { cwd: process.cwd(), encoding: "utf8", timeout: 30_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Bad input is reported as messages, never as a crash. */
function expectNoStackTrace(text: string): void {
  expect(text).not.toMatch(/^\s+at /m);
  expect(text).not.toContain("Error:");
}

function issueLines(file: string): string[] {
  const loaded = loadScenarioFile(file);
  if (loaded.ok) throw new Error(`${file} was expected to be malformed`);
  return loaded.issues.map(formatIssue);
}

const temporaryDirectories: string[] = [];
afterAll(() => {
  for (const directory of temporaryDirectories) rmSync(directory, { recursive: true, force: true });
});

describe("streamsim validate", () => {
  it("accepts a good scenario with exit code 0", () => {
    const outcome = streamsim("validate", "scenarios/iot-zipf-keys.yaml");
    expect(outcome.status).toBe(0);
    expect(outcome.stdout).toBe("scenarios/iot-zipf-keys.yaml: ok (iot-zipf-keys)\n");
    expect(outcome.stderr).toBe("");
  });

  it("prints every issue of every malformed file to stderr with file:line:col and exits 2", () => {
    const files = ["test/scenario/malformed/wrong-types.yaml", "test/scenario/malformed/bad-units.yaml"];
    const outcome = streamsim("validate", ...files, "scenarios/iot-zipf-keys.yaml");
    expect(outcome.status).toBe(2);
    expect(outcome.stdout).toBe("scenarios/iot-zipf-keys.yaml: ok (iot-zipf-keys)\n");
    const printed = outcome.stderr.split("\n");
    for (const file of files) {
      const lines = issueLines(file);
      expect(lines.length).toBeGreaterThan(1);
      for (const line of lines) {
        expect(line).toMatch(new RegExp(`^${file}:\\d+:\\d+ `));
        expect(printed).toContain(line);
      }
      expect(printed).toContain(`${file}: ${lines.length} problems; nothing was run`);
    }
    expectNoStackTrace(outcome.stderr);
  });
});

describe("command line errors", () => {
  it("an unknown command exits 2 and names it", () => {
    const outcome = streamsim("frobnicate");
    expect(outcome.status).toBe(2);
    expect(outcome.stderr).toContain("unknown command 'frobnicate'");
    expect(outcome.stdout).toBe("");
  });

  it("an unknown option exits 2 and names it", async () => {
    const outcome = await streamsimInProcess("run", "scenarios/iot-zipf-keys.yaml", "--bogus");
    expect(outcome.status).toBe(2);
    expect(outcome.stderr).toContain("unknown option '--bogus'");
    expect(outcome.stdout).toBe("");
  });
});

describe("--help", () => {
  const options: Record<string, string[]> = {
    run: ["<file>", "--out", "--seed", "--duration", "--quiet"],
    validate: ["<files...>"],
    schema: ["JSON Schema"],
  };
  for (const [command, mentions] of Object.entries(options)) {
    it(`${command} --help exits 0 and mentions ${mentions.join(", ")}`, async () => {
      const outcome = await streamsimInProcess(command, "--help");
      expect(outcome.status).toBe(0);
      expect(outcome.stdout).toContain(`Usage: streamsim ${command}`);
      for (const mention of mentions) expect(outcome.stdout).toContain(mention);
    });
  }
});

describe("streamsim schema", () => {
  it("prints a JSON Schema whose properties include workload", async () => {
    const outcome = await streamsimInProcess("schema");
    expect(outcome.status).toBe(0);
    const schema = JSON.parse(outcome.stdout) as { properties?: Record<string, unknown> };
    expect(typeof schema.properties).toBe("object");
    expect(schema.properties).toHaveProperty("workload");
  });

  it("--summary prints the JSON Schema of summary.json", async () => {
    const outcome = await streamsimInProcess("schema", "--summary");
    expect(outcome.status).toBe(0);
    expect(outcome.stdout).toBe(readFileSync("docs/summary.schema.json", "utf8"));
  });
});

describe("streamsim run without --quiet", () => {
  it("prints where report.html is", async () => {
    const out = mkdtempSync(join(tmpdir(), "streamsim-cli-"));
    temporaryDirectories.push(out);
    const outcome = await streamsimInProcess("run", "test/cli/small.yaml", "--out", out, "--duration", "10s");
    expect(outcome.status).toBe(0);
    expect(outcome.stdout).toContain(`report: ${join(out, "report.html")}\n`);
  });

  it("prints the not-like-for-like settings after the comparison sentence", async () => {
    const out = mkdtempSync(join(tmpdir(), "streamsim-cli-"));
    temporaryDirectories.push(out);
    const file = join(out, "two.yaml");
    writeFileSync(
      file,
      `name: two
seed: 3
duration: 10s
warmup: 2s
report: { interval: 5s }
workload:
  - producer: p
    rate: { recordsPerSecond: 100 }
    recordSize: { distribution: fixed, size: 1KB }
    keys: { distribution: uniform, cardinality: 100 }
systems:
  - name: kds
    kind: kinesis
    capacity: { mode: provisioned, shards: 2 }
    consumers:
      - { name: app, type: polling }
  - name: msk
    kind: kafka
    brokers: { count: 3, instanceType: kafka.m5.large }
    topic: { partitions: 6 }
    consumerGroups:
      - { name: app, consumers: 1 }
`,
    );
    const outcome = await streamsimInProcess("run", file, "--out", join(out, "report"));
    expect(outcome.status).toBe(0);
    const lines = outcome.stdout.split("\n");
    const sentence = lines.findIndex((line) => line.startsWith("In short: "));
    expect(lines[sentence + 1]).toMatch(/^Not like for like: retention \(24 h vs 7 days\), .*consumer instances.*\(each with why it matters in summary\.md\)\.$/);
    const quiet = await streamsimInProcess("run", file, "--out", join(out, "report"), "--quiet");
    expect(quiet.stdout).toBe("");
  }, 60_000);
});

describe("streamsim run", () => {
  it("--out --duration --png --quiet writes the report files and prints nothing", async () => {
    const out = mkdtempSync(join(tmpdir(), "streamsim-cli-"));
    temporaryDirectories.push(out);
    const outcome = await streamsimInProcess("run", "test/cli/small.yaml", "--out", out, "--duration", "20s", "--png", "--quiet");
    expect(outcome.stderr).toBe("");
    expect(outcome.status).toBe(0);
    expect(outcome.stdout).toBe("");
    for (const file of ["summary.md", "report.html", "metrics.csv", "charts/throughput.svg", "charts/throughput.png"]) expect(existsSync(join(out, file)), file).toBe(true);
    const summary = JSON.parse(readFileSync(join(out, "summary.json"), "utf8")) as { scenario: string; simulatedSeconds: number };
    expect(summary.scenario).toBe("cli-small");
    expect(summary.simulatedSeconds).toBe(20);
  });

  it("a missing file exits 2 with no such file", () => {
    const outcome = streamsim("run", "test/cli/no-such-scenario.yaml");
    expect(outcome.status).toBe(2);
    expect(outcome.stderr).toContain("no such file");
    expect(outcome.stdout).toBe("");
    expectNoStackTrace(outcome.stderr);
  });
});

describe("streamsim cost", () => {
  it("says in --help that it runs the simulation", async () => {
    const outcome = await streamsimInProcess("cost", "--help");
    expect(outcome.status).toBe(0);
    expect(outcome.stdout).toContain("runs the simulation");
  });

  it("prints each system's line items and total, writes no files, and reports bad input with exit 2", async () => {
    const outcome = await streamsimInProcess("cost", "test/cli/small.yaml", "--duration", "5s");
    expect(outcome.status).toBe(0);
    expect(outcome.stdout).toMatch(/\|item\|quantity\|unit\|unit price\|per month\|price\|/);
    expect(outcome.stdout).toMatch(/\|\*\*total\*\*\|/);
    expect(outcome.stdout).toContain("720 hours");
    const bad = await streamsimInProcess("cost", "test/scenario/malformed/unknown-price-name.yaml");
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('unknown price name "kinesis.provisioned.shardHours"');
    expectNoStackTrace(bad.stderr);
  });
});
