// `streamsim keys` as a user runs it: output, files written, and bad input answered with a message
// and exit code 2, never a stack trace. The cases run the command line in this process; one spawns
// the real executable, to see its exit status and streams (a spawn costs seconds of CPU: the loader
// and the chart libraries load again).

import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { streamsimInProcess, streamsimSpawned, type Outcome } from "../support/cli.ts";
import { partitioningVectorsPath } from "../support/vectors.ts";

const directory = mkdtempSync(join(tmpdir(), "streamsim-keys-cli-"));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

/** `streamsim keys ...args`, run in this process (see test/support/cli.ts). */
function keys(...args: string[]): Promise<Outcome> {
  return streamsimInProcess("keys", ...args);
}

function expectNoStackTrace(text: string): void {
  expect(text).not.toMatch(/^\s+at /m);
  expect(text).not.toContain("Error:");
}

function fileWith(name: string, text: string): string {
  const path = join(directory, name);
  writeFileSync(path, text);
  return path;
}

describe("streamsim keys", () => {
  it("analyses the reference vector keys: JSON on stdout, the assignments CSV and the report directory", async () => {
    const vectors = readFileSync(partitioningVectorsPath, "utf8").trimEnd().split("\n").slice(1).map((row) => row.split(","));
    // Line 2 is empty and line 4 too long for Kinesis: both are reported and skipped.
    const lines = vectors.map((row) => row[0]);
    const keyFile = fileWith("vector-keys.txt", `${[lines[0], "", lines[1], "k".repeat(257), ...lines.slice(2)].join("\n")}\n`);
    const assignments = join(directory, "assignments.csv");
    const out = join(directory, "report");
    const outcome = await keys("--file", keyFile, "--kinesis-shards", "100", "--kafka-partitions", "100", "--rate", "10MB/s", "--assignments", assignments, "--out", out, "--json");
    expect(outcome.status).toBe(0);
    const json = JSON.parse(outcome.stdout);
    expect(json.distinctKeys).toBe(24);
    expect(json.kinesis.shardCount).toBe(100);
    expect(json.kafka.partitionCount).toBe(100);
    expect(outcome.stderr).toBe(
      [
        `${keyFile}:2: empty key (partition keys need 1 to 256 characters) (row skipped)`,
        `${keyFile}:4: key has 257 characters; partition keys allow at most 256 (row skipped)`,
        `assignments: ${assignments} (24 rows)`,
        `report: ${join(out, "report.html")}`,
        "",
      ].join("\n"),
    );
    expect(json.skippedRows.map((row: { line: number }) => row.line)).toEqual([2, 4]);
    const rows = readFileSync(assignments, "utf8").split("\r\n").slice(1, -1).map((line) => line.split(","));
    expect(rows.map((row) => row[0])).toEqual(vectors.map((row) => row[0]));
    for (const [i, row] of vectors.entries()) {
      if (row[1] === "100") expect([row[0], rows[i][1]]).toEqual([row[0], row[2]]);
      if (row[3] === "100") expect([row[0], rows[i][2]]).toEqual([row[0], row[4]]);
    }
    expect(readFileSync(join(out, "summary.md"), "utf8")).toContain("## Shard-count advice (Kinesis)");
    for (const chart of ["kinesis-share", "kafka-share", "lorenz"]) expect(readFileSync(join(out, "charts", `${chart}.svg`), "utf8")).toMatch(/^<svg/);
    expect(existsSync(join(out, "summary.json"))).toBe(true);
  });

  it("explores a composite template and prints the text summary; an unwritable --assignments path exits 2", async () => {
    const unwritable = join(directory, "no-such-directory", "a.csv");
    const outcome = await keys("--template", "{region}-{user}", "--field", "region=us:3,eu:1", "--field", "user=1..40", "--kafka-partitions", "12", "--assignments", unwritable);
    // The analysis is printed; the CSV cannot be written, which is bad input (a path): exit 2.
    expect(outcome.status).toBe(2);
    expect(outcome.stderr).toBe(`streamsim keys: --assignments ${unwritable}: cannot write it: no such directory\n`);
    expect(outcome.stdout).toContain('# Partition keys: template "{region}-{user}" (region: 2 values, user: 40 values)');
    expect(outcome.stdout).toContain("- 80 distinct keys; traffic per key from the template's field weights.");
    expect(outcome.stdout).toContain("## Kafka: 12 partitions");
  });
});

describe("streamsim keys: bad input exits 2 with a message", () => {
  it("a missing file, a CSV without a key column", async () => {
    // As a new process: the real exit status and stderr, and no stack trace.
    const missing = streamsimSpawned("keys", "--file", join(directory, "nope.txt"), "--kinesis-shards", "2");
    expect(missing.status).toBe(2);
    expect(missing.stderr).toBe(`streamsim keys: --file ${join(directory, "nope.txt")}: cannot read it: no such file\nstreamsim keys: 1 problem; nothing was analysed\n`);
    expectNoStackTrace(missing.stderr);
    // The header is the one problem: not a skipped row followed by "file holds no keys".
    const csv = fileWith("nokey.csv", "name,count\na,1\n");
    const noColumn = await keys("--file", csv, "--kafka-partitions", "2");
    expect(noColumn.status).toBe(2);
    expect(noColumn.stderr).toBe(
      `streamsim keys: ${csv}:1: CSV header has no key column (expected "key", "partition_key" or "partitionKey"; found "name", "count")\n` +
        "streamsim keys: 1 problem; nothing was analysed\n",
    );
    expect(noColumn.stdout).toBe("");
    expectNoStackTrace(noColumn.stderr);
  });

  it("a file with repeated keys: the assignments have a row per line, and say how many distinct keys", async () => {
    const keyFile = fileWith("repeated.txt", "user-1\nuser-2\nuser-1\n");
    const assignments = join(directory, "repeated.csv");
    const outcome = await keys("--file", keyFile, "--kinesis-shards", "4", "--kafka-partitions", "6", "--assignments", assignments);
    expect(outcome.status).toBe(0);
    expect(outcome.stdout).toContain(`assignments: ${assignments} (3 rows, 2 distinct keys)`);
    // MD5("user-1") is in shard 3 of 4 (docs/reference.md §1.2); murmur2 by hand: user-1 -> 2, user-2 -> 2 of 6.
    expect(readFileSync(assignments, "utf8")).toBe("key,kinesis_shard,kafka_partition\r\nuser-1,3,2\r\nuser-2,0,2\r\nuser-1,3,2\r\n");
  });

  it("options that do not go together are all named at once", async () => {
    const outcome = await keys("--file", "x.txt", "--field", "a=1,2", "--rate", "1MB/s", "--records-per-second", "10");
    expect(outcome.status).toBe(2);
    expect(outcome.stderr).toBe(
      [
        "streamsim keys: --field applies to --template only",
        "streamsim keys: give --kinesis-shards N, --kafka-partitions P, --flink-parallelism P, or several",
        "streamsim keys: give either --rate or --records-per-second, not both",
        "streamsim keys: 3 problems; nothing was analysed",
        "",
      ].join("\n"),
    );
  });

  it("bad option values name the option and what was expected", async () => {
    const shards = await keys("--file", "x.txt", "--kinesis-shards", "0");
    expect(shards.status).toBe(2);
    expect(shards.stderr).toContain("--kinesis-shards <n>' argument '0' is invalid. expected an integer from 1 to 10000");
    const field = await keys("--template", "{a}", "--field", "a=9..1", "--kafka-partitions", "3");
    expect(field.status).toBe(2);
    expect(field.stderr).toContain('streamsim keys: --field a: range "9..1" must be low..high with integers, low <= high');
    expectNoStackTrace(shards.stderr + field.stderr);
  });
});
