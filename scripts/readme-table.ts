// `npm run readme-table`: runs scenarios/land-events-in-s3.yaml for 10 simulated minutes and writes its
// comparison table (reports/readme-table.ts) into README.md between the readme-table markers. The
// README's figures are simulated, not typed: test/docs/readme-table.test.ts fails when they differ.

import { readFileSync, writeFileSync } from "node:fs";
import { formatIssue, loadScenarioFile, runScenario } from "../sim/index.ts";
import { readmeTable } from "../reports/readme-table.ts";

export const readmeTableScenario = "scenarios/land-events-in-s3.yaml";
export const readmeTableDurationUs = 10 * 60_000_000;
export const markers = { start: "<!-- readme-table -->", end: "<!-- /readme-table -->" };

/** The table as the script writes it: a fresh 10-minute run of the scenario. */
export function generateReadmeTable(): string {
  const loaded = loadScenarioFile(readmeTableScenario, { durationUs: readmeTableDurationUs });
  if (!loaded.ok) throw new Error(loaded.issues.map(formatIssue).join("\n"));
  return readmeTable(runScenario(loaded.scenario));
}

/** README text with the block between the markers replaced by `table`. */
export function withTable(readme: string, table: string): string {
  const start = readme.indexOf(markers.start);
  const end = readme.indexOf(markers.end);
  if (start < 0 || end < start) throw new Error(`README.md has no ${markers.start} ... ${markers.end} block`);
  return `${readme.slice(0, start + markers.start.length)}\n${table}\n${readme.slice(end)}`;
}

/** The table now in README.md, between the markers. */
export function currentTable(readme: string): string {
  const start = readme.indexOf(markers.start);
  const end = readme.indexOf(markers.end);
  if (start < 0 || end < start) return "";
  return readme.slice(start + markers.start.length, end).trim();
}

if (process.argv[1]?.endsWith("readme-table.ts")) {
  const readme = readFileSync("README.md", "utf8");
  writeFileSync("README.md", withTable(readme, generateReadmeTable()));
  console.log(`README.md: table from ${readmeTableScenario} (${readmeTableDurationUs / 60e6} min) written`);
}
