// Key files are data, not a window on the machine (issue 17, item 8): relative paths stay in the
// scenario's folder, anything else needs --allow-outside-key-files, and only regular files of bounded
// size are read.

import { mkdirSync, mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { formatIssue, loadScenarioText, type LoadOptions } from "../../sim/scenario/index.ts";
import { KEY_FILE_BYTES_MAX, KEY_FILE_DISTINCT_KEYS_MAX, parseKeyFile } from "../../sim/workload/index.ts";

const root = mkdtempSync(join(tmpdir(), "streamsim-hostile-keys-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const folder = join(root, "scenario");
mkdirSync(join(folder, "keys"), { recursive: true });
writeFileSync(join(folder, "keys", "ok.txt"), "a\nb\nc\n");
writeFileSync(join(root, "secret.txt"), "root:x:0:0\n");
symlinkSync(join(root, "secret.txt"), join(folder, "keys", "link.txt"));
const scenarioFile = join(folder, "s.yaml");

function withKeyFile(path: string): string {
  return [
    "name: keyfile",
    "duration: 2s",
    "report: { interval: 1s }",
    "workload:",
    "  - producer: p",
    "    rate: { recordsPerSecond: 10 }",
    "    recordSize: { distribution: fixed, size: 100B }",
    `    keys: { distribution: file, path: ${JSON.stringify(path)} }`,
    "",
  ].join("\n");
}

function problems(path: string, options: LoadOptions = {}): string[] {
  const loaded = loadScenarioText(withKeyFile(path), scenarioFile, options);
  return loaded.ok ? [] : loaded.issues.map(formatIssue);
}

describe("key-file paths", () => {
  it("reads a relative path inside the scenario's folder", () => {
    expect(problems("keys/ok.txt")).toEqual([]);
  });

  it("refuses an absolute path without the opt-in, naming the flag", () => {
    expect(problems("/etc/passwd")).toEqual([
      `${scenarioFile}:8:39 workload[0].keys.path: key file /etc/passwd is an absolute path; a scenario reads key files from its own folder and below (run with --allow-outside-key-files to read it anyway)`,
    ]);
    expect(problems(join(folder, "keys", "ok.txt"), { allowOutsideKeyFiles: true })).toEqual([]);
  });

  it("refuses ../ out of the folder, and a symbolic link pointing out of it", () => {
    expect(problems("../secret.txt")[0]).toContain("is a path outside the scenario's folder");
    expect(problems("../../../../../../etc/passwd")[0]).toContain("is a path outside the scenario's folder");
    expect(problems("keys/link.txt")[0]).toContain("is a path outside the scenario's folder");
    expect(problems("../secret.txt", { allowOutsideKeyFiles: true })).toEqual([]);
  });

  it("reads only regular files, even with the opt-in", () => {
    for (const device of ["/dev/zero", "/dev/urandom"]) {
      expect(problems(device, { allowOutsideKeyFiles: true })[0]).toContain(`cannot read key file ${device}: not a regular file`);
    }
    expect(problems("keys", {})[0]).toContain("cannot read key file keys: not a regular file");
  });

  it("refuses a file above the size limit without reading it (a sparse file)", () => {
    const big = join(folder, "keys", "big.txt");
    writeFileSync(big, "");
    truncateSync(big, KEY_FILE_BYTES_MAX + 1);
    expect(problems("keys/big.txt")[0]).toContain(`${KEY_FILE_BYTES_MAX + 1} bytes; a key file may have at most ${KEY_FILE_BYTES_MAX} bytes`);
    rmSync(big);
  });
});

// 10,000,001 distinct keys take some seconds and a gigabyte: run with STREAMSIM_HOSTILE_LARGE=1.
describe.runIf(process.env.STREAMSIM_HOSTILE_LARGE === "1")("the distinct-key limit", () => {
  it("stops reading at 10,000,000 distinct keys", () => {
    const lines: string[] = [];
    for (let i = 0; i <= KEY_FILE_DISTINCT_KEYS_MAX + 5; i++) lines.push(`k${i}`);
    const parsed = parseKeyFile(lines.join("\n"), "keys.txt");
    expect(parsed.keys.length).toBe(KEY_FILE_DISTINCT_KEYS_MAX);
    expect(parsed.rowKeyIndexes.length).toBe(KEY_FILE_DISTINCT_KEYS_MAX);
    expect(parsed.issues.map((issue) => issue.message)).toEqual(["more than 10,000,000 distinct keys (the limit); the file was read no further"]);
  }, 900_000);
});
