// report.html of a sweep: one self-contained file (inline CSS, charts inline as SVG, no external
// URLs), with the same content as summary.md.

import { chartsPosition, type SweepDocument, type Table } from "./document.ts";

export function sweepHtml(document: SweepDocument, charts: Array<{ title: string; caption: string; svg: string }>): string {
  const body: string[] = [`<h1>${escape(document.title)}</h1>`];
  const chartsAt = chartsPosition(document);
  for (const [index, section] of document.sections.entries()) {
    if (index === chartsAt && charts.length > 0) {
      body.push("<section><h2>Charts</h2>");
      for (const chart of charts) body.push(`<figure>${chart.svg}<figcaption>${escape(chart.caption)}</figcaption></figure>`);
      body.push("</section>");
    }
    body.push(`<section><h2>${escape(section.title)}</h2>`);
    for (const paragraph of section.paragraphs) body.push(`<p>${inline(paragraph)}</p>`);
    for (const { table } of section.tables) body.push(htmlTable(table));
    body.push("</section>");
  }
  return [
    "<!doctype html>",
    '<html lang="en"><head><meta charset="utf-8">',
    `<title>${escape(document.title)}</title>`,
    `<style>${style}</style>`,
    "</head><body>",
    ...body,
    "</body></html>",
    "",
  ].join("\n");
}

const style = [
  "body{font-family:'DejaVu Sans',system-ui,sans-serif;margin:2rem auto;max-width:72rem;color:#222;line-height:1.4}",
  "table{border-collapse:collapse;margin:0.5rem 0 1rem;font-size:0.85rem}",
  "th,td{border:1px solid #ccc;padding:0.2rem 0.5rem;text-align:right}",
  "th:first-child,td:first-child{text-align:left}",
  "th{background:#f3f3f3}",
  "figure{margin:1rem 0}",
  "figcaption{color:#555;font-size:0.9rem;max-width:48rem}",
  // A table wider than the page scrolls inside its own box instead of widening the page.
  ".table-scroll{overflow-x:auto;max-width:100%}",
  "code{background:#f3f3f3;padding:0 0.2rem}",
].join("");

function htmlTable(table: Table): string {
  const head = `<tr>${table.columns.map((column) => `<th>${escape(column)}</th>`).join("")}</tr>`;
  const rows = table.rows.map((row) => `<tr>${row.map((cell) => `<td>${escape(cell)}</td>`).join("")}</tr>`);
  return `<div class="table-scroll"><table><thead>${head}</thead><tbody>${rows.join("")}</tbody></table></div>`;
}

/** Escapes, then renders the two bits of Markdown the document uses: **bold** and `code`. */
function inline(text: string): string {
  return escape(text)
    .replace(/\*\*([^*]+)\*\*/g, "<strong>$1</strong>")
    .replace(/`([^`]+)`/g, "<code>$1</code>");
}

function escape(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}
