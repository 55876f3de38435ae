// report.html of the partition-key lab: one self-contained file (inline CSS, charts inline as SVG, no
// external reference), the same text as summary.md with the charts after the advice. The summary's
// markdown uses only headings, paragraphs, lists (one level of nesting), pipe tables, **bold** and
// `code`, so this small renderer covers it.

import { escapeHtml, inline, inlineSvg } from "../html.ts";

export interface KeysFigure {
  name: string;
  svg: string;
  caption: string;
}

export function keysHtml(title: string, meta: string, lead: string[], charts: KeysFigure[], spreads: string[]): string {
  const figures = charts.map(
    (chart) => `<figure class="chart" data-chart="${escapeHtml(chart.name)}">\n${inlineSvg(chart.svg)}\n<figcaption>${escapeHtml(chart.caption)}</figcaption>\n</figure>`,
  );
  const body = [
    ...lead.map(markdownBlock),
    `<p class="meta">${inline(meta)}</p>`,
    charts.length === 0 ? "" : `<section class="charts"><h2>Charts</h2>\n${figures.join("\n")}\n</section>`,
    ...spreads.map(markdownBlock),
  ];
  return [
    "<!doctype html>",
    '<html lang="en">',
    '<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)} · streamsim keys</title>`,
    `<style>${style}</style>`,
    "</head>",
    "<body>",
    ...body.filter((part) => part !== ""),
    "</body>",
    "</html>",
    "",
  ].join("\n");
}

/** One markdown block (blank-line separated paragraphs inside) as HTML. */
export function markdownBlock(markdown: string): string {
  const out: string[] = [];
  for (const paragraph of markdown.split(/\n{2,}/)) {
    const lines = paragraph.split("\n");
    const heading = /^(#{1,3}) (.*)$/.exec(lines[0]);
    if (heading !== null && lines.length === 1) out.push(`<h${heading[1].length}>${inline(heading[2])}</h${heading[1].length}>`);
    else if (lines.every((line) => line.startsWith("|"))) out.push(table(lines));
    else if (lines.every((line) => /^\s*- /.test(line))) out.push(list(lines));
    else out.push(`<p>${lines.map(inline).join("<br>")}</p>`);
  }
  return out.join("\n");
}

function list(lines: string[]): string {
  const items: string[] = [];
  for (const line of lines) {
    const nested = /^\s+- (.*)$/.exec(line);
    if (nested !== null && items.length > 0) items[items.length - 1] += `<ul><li>${inline(nested[1])}</li></ul>`;
    else items.push(inline(line.replace(/^\s*- /, "")));
  }
  return `<ul>${items.map((item) => `<li>${item.replace(/<\/ul><ul>/g, "")}</li>`).join("")}</ul>`;
}

function table(lines: string[]): string {
  const cells = (line: string) => line.replace(/^\||\|$/g, "").split(/(?<!\\)\|/).map((cell) => cell.replace(/\\\|/g, "|").trim());
  const [head, , ...rows] = lines;
  return (
    `<table><thead><tr>${cells(head).map((cell) => `<th>${inline(cell)}</th>`).join("")}</tr></thead>` +
    `<tbody>${rows.map((row) => `<tr>${cells(row).map((cell) => `<td>${inline(cell)}</td>`).join("")}</tr>`).join("")}</tbody></table>`
  );
}

const style = [
  "body{font-family:'DejaVu Sans',system-ui,sans-serif;color:#222;max-width:1100px;margin:2em auto;padding:0 1em;line-height:1.45}",
  ".meta{color:#555}",
  "code{background:#f3f3f3;padding:0 0.25em;border-radius:3px}",
  "figure.chart{margin:1.5em 0;overflow-x:auto}",
  "figure.chart svg{max-width:100%;height:auto}",
  "figcaption{color:#555;font-size:0.9em;margin-top:0.3em}",
  "table{border-collapse:collapse;margin:0.5em 0 1.5em;font-size:0.85em}",
  "th,td{border:1px solid #ccc;padding:0.25em 0.6em;text-align:left;vertical-align:top}",
  "thead th{background:#f3f3f3}",
].join("");
