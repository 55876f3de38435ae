// Writes a run's report files into its output directory: summary.json, summary.md, metrics.csv,
// charts/*.svg (and *.png on request) and report.html.

import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import type { ScenarioResult } from "../sim/run/index.ts";
import { buildCharts, renderCharts } from "./charts/index.ts";
import { svgToPng } from "./charts/render.ts";
import { reportHtml } from "./html.ts";
import { metricsCsvChunks } from "./metrics-csv.ts";
import { buildSummary, summaryJson } from "./summary.ts";
import { summaryMarkdown } from "./summary-md.ts";

export interface WrittenReport {
  directory: string;
  files: string[];
  /** The file a reviewer opens. */
  htmlPath: string;
}

export interface ReportOptions {
  /** Also write charts/*.png beside the SVGs. */
  png?: boolean;
}

export async function writeReport(result: ScenarioResult, directory: string, options: ReportOptions = {}): Promise<WrittenReport> {
  mkdirSync(join(directory, "charts"), { recursive: true });
  const summary = buildSummary(result);
  const files = [
    write(directory, "summary.json", summaryJson(summary)),
    write(directory, "summary.md", summaryMarkdown(summary)),
    writeChunks(directory, "metrics.csv", metricsCsvChunks(result)),
  ];
  const charts = await renderCharts(buildCharts(result, summary));
  for (const { chart, svg } of charts) {
    files.push(write(directory, join("charts", `${chart.name}.svg`), svg));
    if (options.png) files.push(write(directory, join("charts", `${chart.name}.png`), svgToPng(svg)));
  }
  const htmlPath = write(directory, "report.html", reportHtml(summary, charts));
  files.push(htmlPath);
  return { directory, files, htmlPath };
}

function write(directory: string, name: string, content: string | Buffer): string {
  const path = join(directory, name);
  writeFileSync(path, content);
  return path;
}

function writeChunks(directory: string, name: string, chunks: Iterable<string>): string {
  const path = join(directory, name);
  const descriptor = openSync(path, "w");
  try {
    for (const chunk of chunks) writeSync(descriptor, chunk);
  } finally {
    closeSync(descriptor);
  }
  return path;
}
