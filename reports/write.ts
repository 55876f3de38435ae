// Writes a run's report files into its output directory: summary.json, summary.md, metrics.csv,
// charts/*.svg with their Vega-Lite specs (*.vl.json; *.png on request) and report.html. The files are staged and put in place together
// (reports/output-folder.ts), so a reused folder keeps no file of an earlier run, such as a PNG from an
// earlier --png run, and an interrupted run leaves the previous output whole.

import { closeSync, openSync, writeSync } from "node:fs";
import { join } from "node:path";
import type { ScenarioResult } from "../sim/run/index.ts";
import { buildCharts, renderCharts } from "./charts/index.ts";
import { standalonePng } from "./charts/standalone.ts";
import { vegaLiteFile } from "./charts/vega-lite-file.ts";
import { reportHtml } from "./html.ts";
import { metricsCsvChunks } from "./metrics-csv.ts";
import { replaceOutput } from "./output-folder.ts";
import { buildSummary, summaryJson } from "./summary.ts";
import { summaryMarkdown } from "./summary-md.ts";

export interface WrittenReport {
  directory: string;
  files: string[];
  /** The file a reviewer opens. */
  htmlPath: string;
}

export interface ReportOptions {
  /** Also write charts/*.png beside the SVGs, each with its title, caption, scenario, seed and version. */
  png?: boolean;
  /**
   * More of the report (calibrate's section): writes its own files through `write` and returns HTML
   * that report.html shows right after its header.
   */
  extra?: (write: (name: string, content: string | Buffer) => void) => Promise<string>;
}

export async function writeReport(result: ScenarioResult, directory: string, options: ReportOptions = {}): Promise<WrittenReport> {
  const summary = buildSummary(result);
  const origin = { source: `scenario ${summary.scenario}`, seed: summary.seed, toolVersion: summary.tool.version };
  const { files } = await replaceOutput(directory, async (write, staging) => {
    write("summary.json", summaryJson(summary));
    write("summary.md", summaryMarkdown(summary));
    writeChunks(staging.path("metrics.csv"), metricsCsvChunks(result));
    staging.record("metrics.csv");
    const charts = await renderCharts(buildCharts(result, summary));
    for (const { chart, svg } of charts) {
      write(`charts/${chart.name}.svg`, svg);
      write(`charts/${chart.name}.vl.json`, vegaLiteFile(chart.spec, chart.caption));
      if (options.png) write(`charts/${chart.name}.png`, await standalonePng(chart.spec, chart.caption, origin));
    }
    const lead = options.extra === undefined ? "" : await options.extra(write);
    write("report.html", reportHtml(summary, charts, lead));
  });
  return { directory, files, htmlPath: join(directory, "report.html") };
}

function writeChunks(path: string, chunks: Iterable<string>): void {
  const descriptor = openSync(path, "w");
  try {
    for (const chunk of chunks) writeSync(descriptor, chunk);
  } finally {
    closeSync(descriptor);
  }
}
