// The comparison as summary.md and report.html show it: the sentence, the not-like-for-like lines, the
// configuration table (one column per system, one row per setting) and the costs at equal retention.
// Every row comes from the summary's typed configuration, never from a system's kind.

import * as aq from "arquero";
import { retentionText } from "../sim/metrics/index.ts";
import { instancesText, processingText } from "./comparison.ts";
import { monthlyUsdText } from "./costs.ts";
import type { ConfigurationSummary } from "./summary-schema.ts";
import type { Summary } from "./summary.ts";
import type { SystemSummary } from "./system-summary.ts";

/** The comparison sentence with its lead-in (markdown inline), or null with fewer than two systems. */
export function comparisonSentenceLine(summary: Summary): string | null {
  return summary.comparison === null ? null : `**In short:** ${summary.comparison.sentence}`;
}

/** One line per setting the systems differ on: "**retention**: kds 24 h, msk 7 days. Why it matters." */
export function notLikeForLikeLines(summary: Summary): string[] {
  return (summary.comparison?.notLikeForLike ?? []).map(
    (difference) => `**${difference.setting}**: ${difference.values.map((entry) => `${entry.system} ${entry.value}`).join("; ")} — ${difference.why}.`,
  );
}

/**
 * The not-like-for-like settings in one line for the terminal: "Not like for like: retention (24 h vs
 * 7 days), consumer type, consumer instances (see summary.md)."; null when the systems are alike.
 */
export function notLikeForLikeLine(summary: Summary): string | null {
  const differences = summary.comparison?.notLikeForLike ?? [];
  if (differences.length === 0) return null;
  const settings = differences.map((difference) =>
    difference.setting === "retention" ? `retention (${difference.values.map((entry) => entry.value).join(" vs ")})` : difference.setting,
  );
  return `Not like for like: ${settings.join(", ")} (each with why it matters in summary.md).`;
}

const rows: Array<[string, (configuration: ConfigurationSummary) => string]> = [
  ["capacity", (c) => c.capacity],
  ["shards / partitions", (c) => (c.partitions === null ? "none" : String(c.partitions))],
  ["instance type", (c) => c.instanceType ?? "none (managed service)"],
  ["replication", (c) => c.replication],
  ["acknowledged", (c) => c.acks],
  ["retention", (c) => c.retention],
  ["consumers", (c) => (c.consumers.length === 0 ? "none" : c.consumers.map(consumerText).join("; "))],
  ["producer batching", (c) => c.producer.batching],
  ["producer retry", (c) => c.producer.retry],
];

/** What each system was configured to be as it ran, defaults included: one column per system. */
export function configurationTable(systems: SystemSummary[]): aq.ColumnTable | null {
  if (systems.length === 0) return null;
  const table = [
    Object.fromEntries([["setting", "kind"], ...systems.map((system) => [system.name, system.kind])]),
    ...rows.map(([setting, value]) => Object.fromEntries([["setting", setting], ...systems.map((system) => [system.name, value(system.configuration)])])),
  ];
  return aq.from(table);
}

/** Each priced system's monthly cost at each retention one of them keeps; null unless their retentions differ. */
export function costAtRetentionTable(summary: Summary): aq.ColumnTable | null {
  const entries = summary.comparison?.costAtRetention ?? [];
  const priced = new Set(summary.systems.filter((system) => system.cost !== null).map((system) => system.name));
  if (entries.length < 2 || priced.size < 2) return null;
  const table = entries.map((entry) =>
    Object.fromEntries([
      ["retention", entry.retention],
      ...entry.systems.filter((cost) => priced.has(cost.system)).map((cost) => [
        cost.system,
        monthlyUsdText(cost.monthlyUsd) +
          (cost.pricedRetentionSeconds === null || cost.pricedRetentionSeconds === entry.retentionSeconds ? "" : ` (at ${retentionText(cost.pricedRetentionSeconds * 1e6)}, the nearest it allows)`),
      ]),
    ]),
  );
  return aq.from(table);
}

function consumerText(consumer: ConfigurationSummary["consumers"][number]): string {
  return `${consumer.name}: ${consumer.type}, ${instancesText(consumer)}, ${consumer.reading}, ${processingText(consumer)}`;
}
