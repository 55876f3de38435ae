// Writes a whole sweep's outputs: sweep.csv, summary.md, report.html and charts/*.svg. The same
// function writes a single-machine sweep and a merged sharded one, from the plan and the rows alone.
// The outputs are staged and put in place together (reports/output-folder.ts); shard files in the
// same folder are not the whole sweep's, so they are left where they are.

import { mkdirSync, writeFileSync } from "node:fs";
import { packageVersion } from "../../sim/package-root.ts";
import { join } from "node:path";
import type { RunRow, SweepPart, SweepPlan } from "../../sim/sweep/index.ts";
import { renderSvg } from "../charts/render.ts";
import { vegaLiteFile } from "../charts/vega-lite-file.ts";
import { replaceOutput } from "../output-folder.ts";
import { sweepCharts } from "./charts.ts";
import { sweepCsv } from "./csv.ts";
import { sweepDocument } from "./document.ts";
import { sweepHtml } from "./html.ts";
import { sweepMarkdown } from "./markdown.ts";
import { shardFileName, shardFileText } from "./shards.ts";

const toolVersion: string = packageVersion;

export interface WrittenSweep {
  directory: string;
  files: string[];
  /** The goal's answer in words, if the sweep has a goal. */
  goal: string | null;
}

export async function writeSweepReport(plan: SweepPlan, rows: RunRow[], directory: string): Promise<WrittenSweep> {
  const document = sweepDocument(plan, rows, toolVersion);
  const charts = sweepCharts(plan, document);
  const rendered = await Promise.all(charts.map(async (chart) => ({ ...chart, svg: await renderSvg(chart.spec) })));
  const { files } = await replaceOutput(directory, async (write) => {
    write("sweep.csv", sweepCsv(plan, rows));
    write("summary.md", sweepMarkdown(document, rendered.map((chart) => ({ file: `charts/${chart.file}`, caption: chart.caption }))));
    write("report.html", sweepHtml(document, rendered));
    for (const chart of rendered) {
      write(`charts/${chart.file}`, chart.svg);
      write(`charts/${chart.file.replace(/\.svg$/, ".vl.json")}`, vegaLiteFile(chart.spec, chart.caption));
    }
  });
  // The answer with its caveats (a chosen setting that still throttles), so the terminal does not say less than the report.
  const answer = document.sections.find((section) => section.title === "Goal")?.paragraphs[0] ?? null;
  const goal = answer === null ? null : [answer, ...document.goalCaveats].join(" ");
  return { directory, files, goal };
}

/** A shard's output: its rows and the plan, for `streamsim merge`. */
export function writeSweepShard(plan: SweepPlan, shard: SweepPart, rows: RunRow[], directory: string): string {
  mkdirSync(directory, { recursive: true });
  return write(directory, shardFileName(shard), shardFileText(plan, shard, rows));
}

function write(directory: string, name: string, text: string): string {
  const path = join(directory, name);
  writeFileSync(path, text);
  return path;
}
