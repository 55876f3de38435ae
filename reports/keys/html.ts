// report.html of the partition-key lab: one self-contained file (inline CSS, charts inline as SVG, no
// external reference), the same text as summary.md with the charts after the advice. The summary's
// markdown uses only headings, paragraphs, lists (one level of nesting), pipe tables, fenced code blocks
// (the split advice's timeline entries to paste), **bold** and `code`, so this small renderer covers it.

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

/** One markdown block (blank-line separated paragraphs inside, fenced code blocks kept whole) as HTML. */
export function markdownBlock(markdown: string): string {
  const out: string[] = [];
  for (const chunk of fencedChunks(markdown)) {
    if (chunk.kind === "code") out.push(codeBlock(chunk.lines, chunk.language));
    else for (const paragraph of chunk.text.replace(/^\n+|\n+$/g, "").split(/\n{2,}/)) if (paragraph.trim() !== "") out.push(paragraphHtml(paragraph.split("\n")));
  }
  return out.join("\n");
}

type Chunk = { kind: "prose"; text: string } | { kind: "code"; lines: string[]; language: string };

const fenceOpen = /^```([\w-]*)\s*$/;
const fenceClose = /^```\s*$/;

/** Prose and ``` fenced blocks in order; a fence left open runs to the end, as CommonMark reads it. */
function fencedChunks(markdown: string): Chunk[] {
  const chunks: Chunk[] = [];
  let prose: string[] = [];
  let code: { lines: string[]; language: string } | null = null;
  for (const line of markdown.split("\n")) {
    if (code !== null) {
      if (fenceClose.test(line)) {
        chunks.push({ kind: "code", ...code });
        code = null;
      } else code.lines.push(line);
      continue;
    }
    const open = fenceOpen.exec(line);
    if (open === null) {
      prose.push(line);
      continue;
    }
    chunks.push({ kind: "prose", text: prose.join("\n") });
    prose = [];
    code = { lines: [], language: open[1] };
  }
  if (code !== null) chunks.push({ kind: "code", ...code });
  chunks.push({ kind: "prose", text: prose.join("\n") });
  return chunks;
}

/** Code as written: escaped, indentation and line breaks kept, no markdown marks read inside. */
function codeBlock(lines: string[], language: string): string {
  const languageClass = language === "" ? "" : ` class="language-${escapeHtml(language)}"`;
  return `<pre><code${languageClass}>${escapeHtml(lines.join("\n"))}</code></pre>`;
}

function paragraphHtml(lines: string[]): string {
  const heading = /^(#{1,3}) (.*)$/.exec(lines[0]);
  if (heading !== null && lines.length === 1) return `<h${heading[1].length}>${inline(heading[2])}</h${heading[1].length}>`;
  if (lines.every((line) => line.startsWith("|"))) return table(lines);
  if (lines.every((line) => /^\s*- /.test(line))) return list(lines);
  return `<p>${lines.map(inline).join("<br>")}</p>`;
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
  "pre{background:#f3f3f3;padding:0.6em 0.8em;border-radius:3px;overflow-x:auto}",
  "pre code{padding:0;background:none}",
  "figure.chart{margin:1.5em 0;overflow-x:auto}",
  "figure.chart svg{max-width:100%;height:auto}",
  "figcaption{color:#555;font-size:0.9em;margin-top:0.3em}",
  "table{border-collapse:collapse;margin:0.5em 0 1.5em;font-size:0.85em}",
  "th,td{border:1px solid #ccc;padding:0.25em 0.6em;text-align:left;vertical-align:top}",
  "thead th{background:#f3f3f3}",
].join("");
