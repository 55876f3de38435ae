// sweep.csv: one row per run in run order (combination, then replication): the parameters, the
// seed, the status, every headline metric, and why a failed run failed. Built only from the plan and
// the rows, so a merged sharded sweep writes the same bytes as a single-machine one.

import type { RunRow, SweepPlan } from "../../sim/sweep/index.ts";

/** Metric columns: every path any run reported, in the order first seen over runs in run order. */
export function metricColumns(rows: RunRow[]): string[] {
  const columns: string[] = [];
  const seen = new Set<string>();
  for (const row of [...rows].sort((a, b) => a.run - b.run)) {
    for (const name of Object.keys(row.metrics)) {
      if (!seen.has(name)) {
        seen.add(name);
        columns.push(name);
      }
    }
  }
  return columns;
}

export function sweepCsv(plan: SweepPlan, rows: RunRow[]): string {
  const ordered = [...rows].sort((a, b) => a.run - b.run);
  const metrics = metricColumns(ordered);
  const header = ["run", "combination", "replication", "seed", ...plan.parameters, "status", ...metrics, "error"];
  const lines = [header.map(cell).join(",")];
  for (const row of ordered) {
    const values = plan.combinations[row.combination];
    lines.push(
      [row.run, row.combination, row.replication, row.seed, ...values, row.status, ...metrics.map((name) => row.metrics[name] ?? null), row.error]
        .map(cell)
        .join(","),
    );
  }
  return `${lines.join("\n")}\n`;
}

/** RFC 4180 cells: empty for null, quoted when the text holds a comma, quote or line break. */
function cell(value: string | number | boolean | null): string {
  if (value === null) return "";
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
