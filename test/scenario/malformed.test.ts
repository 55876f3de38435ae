// Every file in malformed/ shows one kind of mistake. Its leading `# expect:` lines are the exact
// issues the loader must print, in order; a failing case prints the command that replays it.

import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { formatIssue, loadScenarioFile } from "../../sim/scenario/index.ts";

const folder = "test/scenario/malformed";
const files = readdirSync(folder)
  .filter((name) => name.endsWith(".yaml"))
  .sort();

// Files whose `# expect:` lines state the right message while the loader still prints a wrong one.
// `it.fails` keeps the suite green and turns red once the loader is fixed: then delete the entry.
const knownWrong: Record<string, string> = {};

/** The `# expect:` lines at the top of a file, without the marker. */
function expectedIssues(path: string): string[] {
  const expected: string[] = [];
  for (const line of readFileSync(path, "utf8").split("\n")) {
    if (!line.startsWith("#")) break;
    if (line.startsWith("# expect: ")) expected.push(line.slice("# expect: ".length));
  }
  return expected;
}

function actualIssues(path: string): string[] {
  const loaded = loadScenarioFile(path);
  return loaded.ok ? [] : loaded.issues.map(formatIssue);
}

describe("malformed scenarios", () => {
  it("has a file for each kind of mistake", () => {
    expect(files.length).toBeGreaterThanOrEqual(20);
    for (const name of Object.keys(knownWrong)) expect(files).toContain(name);
  });

  for (const name of files) {
    const path = `${folder}/${name}`;
    const test = name in knownWrong ? it.fails : it;
    test(`${name} reports exactly its # expect: lines`, () => {
      const expected = expectedIssues(path);
      expect(expected.length, `${path} has no # expect: lines`).toBeGreaterThan(0);
      expect(actualIssues(path), `replay: node bin/streamsim.js validate ${path}`).toEqual(expected);
    });
  }
});
