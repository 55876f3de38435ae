// Writes a run's report files into its output directory.

import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ScenarioResult } from "../sim/run/index.ts";
import { buildSummary, summaryJson } from "./summary.ts";
import { summaryMarkdown } from "./summary-md.ts";

export interface WrittenReport {
  directory: string;
  files: string[];
}

export function writeReport(result: ScenarioResult, directory: string): WrittenReport {
  mkdirSync(directory, { recursive: true });
  const summary = buildSummary(result);
  const files = [
    write(directory, "summary.json", summaryJson(summary)),
    write(directory, "summary.md", summaryMarkdown(summary)),
  ];
  return { directory, files };
}

function write(directory: string, name: string, text: string): string {
  const path = join(directory, name);
  writeFileSync(path, text);
  return path;
}
