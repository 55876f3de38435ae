// report.html: one self-contained file a reviewer opens offline and reads top to bottom: verdict,
// findings, charts inline as SVG, then the tables, from the same lines and rows as summary.md.
// No external reference of any kind: no scripts, no fonts, no links, and not even the SVG namespace
// URLs (inline SVG in HTML needs none).

import type * as aq from "arquero";
import type { RenderedChart } from "./charts/index.ts";
import type { Summary } from "./summary.ts";
import { comparisonWords } from "./comparison-messages.ts";
import { comparisonSentenceLine, configurationTable, notLikeForLikeLines } from "./comparison-tables.ts";
import { findingLines, headerLine, noteLines, reportTables, tableNotes, verdictLines } from "./summary-md.ts";

/** `lead`: HTML placed right after the header (calibrate's section), already escaped. */
export function reportHtml(summary: Summary, charts: RenderedChart[], lead = ""): string {
  const body = [
    `<header><h1>${escapeHtml(summary.scenario)}</h1><p class="meta">${inline(headerLine(summary))}</p></header>`,
    lead,
    comparisonHtml(summary),
    listSection("Verdict", verdictLines(summary), "verdict"),
    configurationHtml(summary),
    listSection("Findings", findingLines(summary), "findings"),
    listSection("Notes", noteLines(summary), "notes"),
    charts.length === 0 ? "" : `<section class="charts"><h2>Charts</h2>\n${charts.map(figure).join("\n")}\n</section>`,
    ...reportTables(summary).map(({ heading, level, table }) => {
      const notes = tableNotes(summary, heading);
      const list = notes.length === 0 ? "" : `\n<ul>${notes.map((line) => `<li>${inline(line)}</li>`).join("")}</ul>`;
      return `<section class="table"><h${level}>${escapeHtml(heading)}</h${level}>\n${tableHtml(table)}${list}\n</section>`;
    }),
  ].filter((part) => part !== "");
  return [
    "<!doctype html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(summary.scenario)} · streamsim report</title>`,
    `<style>${style}</style>`,
    "</head>",
    "<body>",
    ...body,
    "</body>",
    "</html>",
    "",
  ].join("\n");
}

/** The comparison sentence and, where the systems differ on what drives cost or behaviour, the warning. */
function comparisonHtml(summary: Summary): string {
  const sentence = comparisonSentenceLine(summary);
  if (sentence === null) return "";
  const differences = notLikeForLikeLines(summary);
  const warning =
    differences.length === 0
      ? ""
      : `\n<div class="not-like-for-like"><p><strong>${comparisonWords.notLikeForLikeHeading}.</strong> ${escapeHtml(comparisonWords.notLikeForLikeIntro)}</p>\n<ul>\n${differences.map((line) => `<li>${inline(line)}</li>`).join("\n")}\n</ul></div>`;
  return `<section class="comparison"><p class="comparison-sentence">${inline(sentence)}</p>${warning}\n</section>`;
}

function configurationHtml(summary: Summary): string {
  const table = configurationTable(summary.systems);
  if (table === null) return "";
  return `<section class="configuration"><h2>${comparisonWords.configurationHeading}</h2>\n${tableHtml(table)}\n</section>`;
}

/** Vega's SVG document made fit to inline: no XML namespace declarations, no external references. */
export function inlineSvg(svg: string): string {
  return svg
    .replace(/^<\?xml[^>]*>\s*/, "")
    .replace(/\s+xmlns(:\w+)?="[^"]*"/g, "")
    .replace(/\s+xlink:href=/g, " href=");
}

export function figure({ chart, svg }: RenderedChart): string {
  return (
    `<figure class="chart" id="chart-${escapeHtml(chart.name)}" data-chart="${escapeHtml(chart.name)}">\n` +
    `${inlineSvg(svg)}\n<figcaption>${escapeHtml(chart.caption)}</figcaption>\n</figure>`
  );
}

export function listSection(heading: string, lines: string[], className: string): string {
  if (lines.length === 0) return "";
  return `<section class="${className}"><h2>${heading}</h2>\n<ul>\n${lines.map((line) => `<li>${inline(line)}</li>`).join("\n")}\n</ul>\n</section>`;
}

/** A table from arquero rows, every header and cell escaped (headers hold user-chosen system names). */
export function tableHtml(table: aq.ColumnTable): string {
  const columns = table.columnNames();
  const rows = table.objects() as Array<Record<string, unknown>>;
  const head = `<tr>${columns.map((column) => `<th>${escapeHtml(column)}</th>`).join("")}</tr>`;
  const body = rows.map((row) => `<tr>${columns.map((column) => `<td>${escapeHtml(String(row[column] ?? ""))}</td>`).join("")}</tr>`);
  return `<table>\n<thead>${head}</thead>\n<tbody>\n${body.join("\n")}\n</tbody>\n</table>`;
}

/** The two markdown marks summary.md lines use, **bold** and `code`, as HTML. */
export function inline(markdown: string): string {
  return escapeHtml(markdown)
    .replace(/\*\*(.+?)\*\*/g, "<strong>$1</strong>")
    .replace(/`(.+?)`/g, "<code>$1</code>");
}

/**
 * Escapes text for HTML. "://" becomes ":&#47;&#47;", so that text a user wrote (a scenario name, a
 * key) can never put a literal URL into the file: it still reads the same in the browser.
 */
export function escapeHtml(text: string): string {
  return text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("://", ":&#47;&#47;");
}

const style = `
body { font-family: "DejaVu Sans", system-ui, sans-serif; color: #222; max-width: 1100px; margin: 2em auto; padding: 0 1em; line-height: 1.45; }
h1 { margin-bottom: 0.2em; }
.meta { color: #555; margin-top: 0; }
code { background: #f3f3f3; padding: 0 0.25em; border-radius: 3px; }
.verdict li { margin-bottom: 0.4em; }
.comparison-sentence { font-size: 1.1em; }
.not-like-for-like { border-left: 4px solid #d97706; background: #fff7ed; padding: 0.3em 1em; }
figure.chart { margin: 1.5em 0; overflow-x: auto; }
figure.chart svg { max-width: 100%; height: auto; }
figcaption { color: #555; font-size: 0.9em; margin-top: 0.3em; }
table { border-collapse: collapse; margin: 0.5em 0 1.5em; font-size: 0.85em; }
th, td { border: 1px solid #ccc; padding: 0.25em 0.6em; text-align: left; vertical-align: top; }
thead th { background: #f3f3f3; }
tbody tr:nth-child(even) { background: #fafafa; }
@media print {
  body { max-width: none; margin: 0; font-size: 10pt; }
  figure.chart { overflow: visible; break-inside: avoid; page-break-inside: avoid; }
  figure.chart svg { max-width: 100%; height: auto; }
  section.table { break-inside: avoid-page; }
  h2 { break-after: avoid; page-break-after: avoid; }
  table { font-size: 8pt; }
}
`;
