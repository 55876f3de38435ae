// Writes the lab's report directory: report.html, summary.md, summary.json and charts/*.svg (and,
// on request, charts/*.png that stand alone on a slide). The files are staged and put in place
// together (reports/output-folder.ts), so a reused folder keeps no file of an earlier report.

import type { KeyAnalysis } from "../../sim/keys/index.ts";
import { localizeIds } from "../charts/index.ts";
import { renderSvg } from "../charts/render.ts";
import { originLine, standalonePng } from "../charts/standalone.ts";
import { vegaLiteFile } from "../charts/vega-lite-file.ts";
import { replaceOutput } from "../output-folder.ts";
import { keysCharts } from "./charts.ts";
import { keysHtml } from "./html.ts";
import { keysAnalysisJson } from "./json.ts";
import { keysReportText as text } from "./messages.ts";
import { keysSummaryMarkdown, keysSummarySections } from "./summary-md.ts";

export interface KeysReportOptions {
  /** Also write charts/*.png, each with its title, caption, key source and tool version. */
  png?: boolean;
}

/** The files written, report.html first. */
export async function writeKeysReport(analysis: KeyAnalysis, directory: string, toolVersion: string, options: KeysReportOptions = {}): Promise<string[]> {
  const charts = keysCharts(analysis);
  const rendered: Array<(typeof charts)[number] & { svg: string }> = [];
  for (const chart of charts) rendered.push({ ...chart, svg: localizeIds(await renderSvg(chart.spec), chart.name) });
  const origin = { source: `keys ${analysis.keySet.source}`, seed: null, toolVersion };
  const { lead, spreads } = keysSummarySections(analysis);
  const { files } = await replaceOutput(directory, async (write) => {
    write("report.html", keysHtml(text.title(analysis.keySet.source), originLine(origin), lead, rendered, spreads));
    const chartLinks = charts.map((chart) => `![${chart.name}](charts/${chart.name}.svg)`).join("\n\n");
    write("summary.md", `${keysSummaryMarkdown(analysis)}\n## Charts\n\n${chartLinks}\n`);
    write("summary.json", `${JSON.stringify(keysAnalysisJson(analysis, toolVersion), null, 2)}\n`);
    for (const chart of rendered) {
      write(`charts/${chart.name}.svg`, chart.svg);
      write(`charts/${chart.name}.vl.json`, vegaLiteFile(chart.spec, chart.caption));
      if (options.png) write(`charts/${chart.name}.png`, await standalonePng(chart.spec, chart.caption, origin));
    }
  });
  return files;
}
