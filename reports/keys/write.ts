// Writes the lab's report directory: summary.md, summary.json and charts/*.svg.

import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { KeyAnalysis } from "../../sim/keys/index.ts";
import { renderSvg } from "../charts/render.ts";
import { keysCharts } from "./charts.ts";
import { keysAnalysisJson } from "./json.ts";
import { keysSummaryMarkdown } from "./summary-md.ts";

export async function writeKeysReport(analysis: KeyAnalysis, directory: string, toolVersion: string): Promise<string[]> {
  mkdirSync(join(directory, "charts"), { recursive: true });
  const files: string[] = [];
  const write = (name: string, content: string): void => {
    const path = join(directory, name);
    writeFileSync(path, content);
    files.push(path);
  };
  const charts = keysCharts(analysis);
  const chartLinks = charts.map((chart) => `![${chart.name}](charts/${chart.name}.svg)`).join("\n\n");
  write("summary.md", `${keysSummaryMarkdown(analysis)}\n## Charts\n\n${chartLinks}\n`);
  write("summary.json", `${JSON.stringify(keysAnalysisJson(analysis, toolVersion), null, 2)}\n`);
  for (const chart of charts) write(join("charts", `${chart.name}.svg`), await renderSvg(chart.spec));
  return files;
}
