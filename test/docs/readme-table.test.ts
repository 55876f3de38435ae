// The README's "Landing events in S3" table is simulated, not typed: it must be what
// `npm run readme-table` writes from a 10-minute run of scenarios/land-events-in-s3.yaml today. A model
// change that moves its figures fails here until the table is regenerated.

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { currentTable, generateReadmeTable, markers, withTable } from "../../scripts/readme-table.ts";

describe("README comparison table", () => {
  it("is the table npm run readme-table generates (run it when this fails)", () => {
    const readme = readFileSync("README.md", "utf8");
    expect(readme).toContain(markers.start);
    expect(currentTable(readme), "README.md's table differs from a fresh run: npm run readme-table").toBe(generateReadmeTable());
  });

  it("replaces only the block between its markers", () => {
    const text = `a\n${markers.start}\nold\n${markers.end}\nb\n`;
    expect(withTable(text, "new")).toBe(`a\n${markers.start}\nnew\n${markers.end}\nb\n`);
    expect(currentTable(withTable(text, "new"))).toBe("new");
  });
});
