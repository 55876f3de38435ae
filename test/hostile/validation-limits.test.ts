// Validation is linear in the input and its output bounded (issue 17, item 9), and the smaller
// loader items of item 10: CR-only files, deep nesting, NUL in a key path, duplicates in CRLF files.

import { describe, expect, it } from "vitest";
import { formatIssue, issueLines, loadScenarioFile, loadScenarioText, printedIssuesMax } from "../../sim/scenario/index.ts";
import { printable } from "../../sim/scenario/issues.ts";

const base = [
  "name: t",
  "duration: 5s",
  "workload:",
  "  - producer: p",
  "    rate: { recordsPerSecond: 1 }",
  "    recordSize: { distribution: fixed, size: 1KB }",
  "    keys: { distribution: uniform, cardinality: 2 }",
];

function issuesOf(text: string): string[] {
  const loaded = loadScenarioText(text, "x.yaml");
  return loaded.ok ? [] : loaded.issues.map(formatIssue);
}

describe("validation stays linear and its output bounded (item 9)", () => {
  // 200,000 keys (the audit's case) with STREAMSIM_HOSTILE_LARGE=1; 40,000 in the normal suite.
  const keys = process.env.STREAMSIM_HOSTILE_LARGE === "1" ? 200_000 : 40_000;
  it(`${keys} unknown keys validate in seconds, and at most 100 are printed`, () => {
    const lines = [...base];
    for (let i = 0; i < keys; i++) lines.push(`unknown${i}: 1`);
    const started = performance.now();
    const loaded = loadScenarioText(lines.join("\n"), "x.yaml");
    // Minutes before (the parser's duplicate check was quadratic); a few seconds on a busy machine now.
    expect(performance.now() - started).toBeLessThan(60_000);
    expect(loaded.ok).toBe(false);
    if (loaded.ok) return;
    expect(loaded.issues).toHaveLength(keys);
    const printed = issueLines(loaded.issues, "x.yaml");
    expect(printed).toHaveLength(printedIssuesMax + 1);
    expect(printed[0]).toMatch(/^x\.yaml:8:1 unknown0: unknown field "unknown0"/);
    expect(printed.at(-1)).toBe(`x.yaml: ${(keys - 100).toLocaleString("en-US")} more problems not shown`);
  }, 120_000);

  it("a long quoted value is cut", () => {
    const [issue] = issuesOf(base.join("\n").replace("name: t", `name: "${"x".repeat(1_000_000)}"`));
    expect(issue.length).toBeLessThan(400);
    expect(issue).toContain('found "xxxxxxxxxx');
    expect(issue).toContain("... (1000000 characters)");
  });

  it("a binary file of many megabytes prints a bounded number of lines", () => {
    let state = 7;
    const bytes = Buffer.alloc(2 * 1024 * 1024, 0).map((_byte: number) => (state = (state * 1103515245 + 12345) & 0x7fffffff) & 0xff);
    const loaded = loadScenarioText(Buffer.from(bytes).toString("latin1"), "x.bin");
    expect(loaded.ok).toBe(false);
    if (!loaded.ok) expect(issueLines(loaded.issues, "x.bin").join("\n").length).toBeLessThan(200_000);
  }, 60_000);

  it("a device or an oversized file is refused unread", () => {
    for (const file of ["/dev/zero", "/dev/urandom"]) {
      const loaded = loadScenarioFile(file);
      expect(loaded.ok).toBe(false);
      if (!loaded.ok) expect(formatIssue(loaded.issues[0])).toBe(`${file}: cannot read the file: not a regular file`);
    }
  });
});

describe("smaller loader items (item 10)", () => {
  it("a file with CR line endings only is read line by line", () => {
    expect(issuesOf(base.join("\r"))).toEqual([]);
    expect(issuesOf([...base, "bogus: 1"].join("\r"))).toEqual([
      'x.yaml:8:1 bogus: unknown field "bogus"; expected one of: name, description, seed, duration, warmup, start, report, region, pricing, workload, systems, timeline, sweep',
    ]);
  });

  it("5,000-deep nesting is refused with a depth limit, not a stack overflow", () => {
    expect(issuesOf(`${base.join("\n")}\nx: ${"[".repeat(5000)}${"]".repeat(5000)}\n`)).toEqual([
      "x.yaml:8:103 YAML nesting deeper than 100 levels; a scenario needs far fewer",
    ]);
    let deep = `${base.join("\n")}\nx:\n`;
    for (let i = 1; i < 3000; i++) deep += `${" ".repeat(i)}b:\n`;
    expect(issuesOf(deep)).toEqual(["x.yaml:108:101 YAML nesting deeper than 100 levels; a scenario needs far fewer"]);
  });

  it("a NUL in a key path is named, not passed to the file system", () => {
    const text = base.join("\n").replace("{ distribution: uniform, cardinality: 2 }", '{ distribution: file, path: "keys\\0.txt" }');
    expect(issuesOf(text)).toEqual(["x.yaml:7:39 workload[0].keys.path: expected a file path, found one containing a NUL character (\\0)"]);
  });

  it("a duplicated line of a CRLF file names its field", () => {
    expect(issuesOf([...base, "duration: 5s"].join("\r\n"))).toEqual([
      'x.yaml:8:1 YAML syntax error: duplicate field "duration"; each field may appear once in a mapping',
    ]);
  });
});

describe("issue lines are safe to print on a terminal", () => {
  it("shows control characters from the file (terminal escape sequences) as \\xNN instead of sending them", () => {
    const lines = issuesOf([...base, "\u001b[31mRED\u001b]0;pwned\u0007: 1"].join("\n"));
    const unknown = lines.find((line) => line.includes("unknown field"));
    expect(unknown).toBeDefined();
    expect(unknown).toContain("\\x1b[31mRED\\x1b]0;pwned\\x07");
    // eslint-disable-next-line no-control-regex
    for (const line of lines) expect(line).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
  });

  it("cuts an overlong message and says how much was left out", () => {
    const line = printable(`unknown value "${"v".repeat(10_000)}"`);
    expect(line.length).toBeLessThan(2100);
    expect(line).toMatch(/\.\.\. \(8,0\d\d more characters\)$/);
    expect(printable("short and plain")).toBe("short and plain");
  });
});
