// summary.md: what a reviewer reads. Verdicts first, then notes, then tables.

import * as aq from "arquero";
import { formatBytes, formatDurationUs } from "../sim/units/index.ts";
import type { Summary } from "./summary.ts";
import { grouped, percent } from "./numbers.ts";

type ProducerSummary = Summary["workload"][number];

export function summaryMarkdown(summary: Summary): string {
  const lines = [
    `# ${summary.scenario}`,
    "",
    `Seed ${summary.seed} · ${formatDurationUs(summary.simulatedSeconds * 1e6)} simulated (warm-up ${formatDurationUs(summary.warmupSeconds * 1e6)}) · ` +
      `scenario sha256 \`${summary.scenarioSha256.slice(0, 12)}\` · streamsim ${summary.tool.version}`,
    "",
    "## Verdict",
    "",
    ...summary.workload.map((producer) => `- ${producerVerdict(producer)}`),
    "",
  ];
  if (summary.notes.length > 0) {
    lines.push("## Notes", "", ...summary.notes.map((note) => `- **${note.severity}** (${note.code}): ${note.message}`), "");
  }
  lines.push("## Workload", "", workloadTable(summary.workload), "");
  for (const producer of summary.workload) {
    if (producer.keys.top.length === 0) continue;
    lines.push(`### Top keys of ${producer.producer}`, "", topKeysTable(producer), "");
  }
  return `${lines.join("\n").trimEnd()}\n`;
}

function producerVerdict(producer: ProducerSummary): string {
  const top = producer.keys.top[0];
  const keyText =
    top === undefined
      ? "every record has its own key"
      : `the busiest key "${top.key}" carries ${percent(top.share ?? 0)} of records and the top ${producer.keys.top.length} keys ${percent(producer.keys.topShare ?? 0)}`;
  const clipped = producer.recordSizeBytes.clipped > 0 ? `; ${grouped(producer.recordSizeBytes.clipped)} record sizes clipped at ${formatBytes(producer.recordSizeBytes.cap)}` : "";
  return (
    `**${producer.producer}** offered ${grouped(producer.records.produced)} records ` +
    `(${grouped(producer.recordsPerSecond.mean ?? 0)}/s on average, ${grouped(producer.recordsPerSecond.peak)}/s in the busiest second), ` +
    `${formatMegabytes(producer.bytes.produced)}; ${keyText}${clipped}.`
  );
}

function formatMegabytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

function workloadTable(producers: ProducerSummary[]): string {
  return aq
    .from(
      producers.map((p) => ({
        producer: p.producer,
        records: grouped(p.records.produced),
        "mean records/s": grouped(p.recordsPerSecond.mean ?? 0),
        "peak records/s": grouped(p.recordsPerSecond.peak),
        MB: (p.bytes.produced / 1e6).toFixed(1),
        "size p50 / p99 / max": `${p.recordSizeBytes.p50 ?? "-"} / ${p.recordSizeBytes.p99 ?? "-"} / ${p.recordSizeBytes.max ?? "-"} B`,
        "size cap": `${formatBytes(p.recordSizeBytes.cap)} (${grouped(p.recordSizeBytes.clipped)} clipped)`,
        "distinct keys": grouped(p.keys.distinctSeen),
        keys: p.keys.distribution,
      })),
    )
    .toMarkdown();
}

function topKeysTable(producer: ProducerSummary): string {
  return aq
    .from(producer.keys.top.map((entry, rank) => ({ rank: rank + 1, key: entry.key, records: grouped(entry.records), share: percent(entry.share ?? 0, 2) })))
    .toMarkdown();
}
