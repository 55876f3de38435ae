// A GitHub-flavoured Markdown table of text cells, written as arquero's `from(rows).toMarkdown()`
// writes one (the first row's columns, left-aligned, "|" escaped), so the key lab prints its text
// without loading arquero: `streamsim keys` without --out starts fast. A test holds it to arquero's output.

/** The table of `rows` (every row with the first row's columns), ending in a newline as arquero's does. */
export function markdownTable(rows: readonly Readonly<Record<string, string>>[]): string {
  const names = rows.length > 0 ? Object.keys(rows[0]) : [];
  const escape = (text: string): string => text.replace(/\|/g, "\\|");
  const lines = [`|${names.map(escape).join("|")}|`, `|${names.map(() => ":-").join("|")}|`];
  for (const row of rows) lines.push(`|${names.map((name) => `${escape(row[name])}|`).join("")}`);
  return `${lines.join("\n")}\n`;
}
