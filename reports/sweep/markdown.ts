// summary.md of a sweep, from the shared sweep document.

import { chartsPosition, type SweepDocument, type Table } from "./document.ts";

export function sweepMarkdown(document: SweepDocument, charts: Array<{ file: string; caption: string }>): string {
  const lines = [`# ${document.title}`, ""];
  // Charts come before the tables: after the overview and the goal's answer.
  const chartsAt = chartsPosition(document);
  for (const [index, section] of document.sections.entries()) {
    if (index === chartsAt && charts.length > 0) lines.push("## Charts", "", ...charts.flatMap(({ file, caption }) => [`![${file}](${file})`, "", caption, ""]));
    lines.push(`## ${section.title}`, "");
    for (const paragraph of section.paragraphs) lines.push(paragraph, "");
    for (const { table } of section.tables) lines.push(markdownTable(table), "");
  }
  return lines.join("\n");
}

function markdownTable(table: Table): string {
  const escape = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");
  return [
    `| ${table.columns.map(escape).join(" | ")} |`,
    `| ${table.columns.map(() => "---").join(" | ")} |`,
    ...table.rows.map((row) => `| ${row.map(escape).join(" | ")} |`),
  ].join("\n");
}
