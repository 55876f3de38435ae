// Traces are data, not a window on the machine: the key files' path rules, only regular files (a FIFO is
// refused without blocking), lines of bounded length (a gzip bomb of one endless line stops at the
// bound, its memory bounded), and every problem answered as an issue, never a crash.

import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { formatIssue, loadScenarioText } from "../../sim/scenario/index.ts";

const root = mkdtempSync(join(tmpdir(), "streamsim-hostile-traces-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const folder = join(root, "scenario");
mkdirSync(folder, { recursive: true });
writeFileSync(join(root, "secret.csv"), "timestamp,key,size\n2026-12-06T10:00:00Z,root,1\n");
symlinkSync(join(root, "secret.csv"), join(folder, "link.csv"));
execFileSync("mkfifo", [join(folder, "fifo.csv")]);

function issuesFor(path: string, allowOutsideKeyFiles = false): string[] {
  const text = `name: t\nduration: 2s\nworkload:\n  - producer: p\n    trace: { path: ${JSON.stringify(path)} }\n`;
  const loaded = loadScenarioText(text, join(folder, "s.yaml"), { allowOutsideKeyFiles });
  return loaded.ok ? [] : loaded.issues.map(formatIssue);
}

describe("hostile traces", () => {
  it("stays in the scenario's folder unless allowed", () => {
    expect(issuesFor("../secret.csv")[0]).toContain("is a path outside the scenario's folder");
    expect(issuesFor("link.csv")[0]).toContain("is a path outside the scenario's folder");
    expect(issuesFor(join(root, "secret.csv"))[0]).toContain("is an absolute path");
    expect(issuesFor("../secret.csv", true)).toEqual([]);
  });

  it("refuses a FIFO at once, without waiting for a writer", () => {
    expect(issuesFor("fifo.csv")).toEqual([expect.stringContaining("cannot read trace fifo.csv: not a regular file")]);
  });

  it("stops a gzip bomb of one endless line at the line bound", () => {
    // 64 MB of one line, about 64 KB compressed: read to 1 Mi characters, then refused.
    writeFileSync(join(folder, "bomb.csv.gz"), gzipSync(Buffer.concat([Buffer.from("timestamp,key,size\n"), Buffer.alloc(64 * 1024 * 1024, 0x61)])));
    const before = process.memoryUsage().rss;
    expect(issuesFor("bomb.csv.gz")).toEqual([expect.stringContaining("bomb.csv.gz:2: line is longer than 1048576 characters; the file was read no further")]);
    expect(process.memoryUsage().rss - before).toBeLessThan(200 * 1024 * 1024);
  });

  it("names the line of the first byte that is not UTF-8", () => {
    writeFileSync(join(folder, "junk.csv"), Buffer.from([0x74, 0x69, 0x6d, 0x65, 0x0a, 0xff, 0xfe, 0x00, 0x0a]));
    expect(issuesFor("junk.csv")[0]).toContain("junk.csv:2: file is not valid UTF-8; the file was read no further");
  });
});
