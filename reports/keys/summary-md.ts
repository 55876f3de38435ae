// summary.md of the partition-key lab (also what `streamsim keys` prints): warnings and advice
// first, then each target's spread and hottest shards or partitions.

import { KeyGroupRouter } from "../../sim/flink/key-groups.ts";
import type { Advice, FlinkSpread, KeyAnalysis, Load, Spread, TraceTotals } from "../../sim/keys/index.ts";
import { formatBytes } from "../../sim/units/index.ts";
// Values from their own modules, not sim/keys/index.ts: the text lab loads no instance catalogue (YAML and zod).
import { ADVICE_UTILIZATION_MAX } from "../../sim/keys/advice.ts";
import { isoTime } from "../../sim/keys/load.ts";
import { adviceMessages, percent as pct, remedyMessages, splitMessages } from "../../sim/keys/messages.ts";
import type { ShardSplit } from "../../sim/keys/index.ts";
import { splitTimelineEntry } from "../../sim/kinesis/split-advice.ts";
import { grouped, percent, secondsText } from "../numbers.ts";
import { markdownTable } from "./markdown-table.ts";
import { keysReportText as text } from "./messages.ts";

export function keysSummaryMarkdown(analysis: KeyAnalysis): string {
  const { lead, spreads } = keysSummarySections(analysis);
  return `${[...lead, ...spreads].join("\n\n")}\n`;
}

/** The summary's markdown blocks: the lead (title, overview, warnings, advice), then each target's spread (report.html puts the charts between). */
export function keysSummarySections(analysis: KeyAnalysis): { lead: string[]; spreads: string[] } {
  const lead = [
    `# ${text.title(analysis.keySet.source)}`,
    overview(analysis),
    warningsSection(analysis),
    analysis.kinesis?.advice ? adviceSection(analysis.kinesis.advice, analysis) : null,
    analysis.kinesis && analysis.kinesis.splits.length > 0 ? splitSection(analysis.kinesis.splits) : null,
  ];
  const spreads = [
    analysis.kinesis ? spreadSection(analysis.kinesis.spread, analysis) : null,
    analysis.kafka ? spreadSection(analysis.kafka.spread, analysis) : null,
    analysis.flink ? flinkSection(analysis.flink) : null,
  ];
  const present = (blocks: Array<string | null>) => blocks.filter((block): block is string => block !== null);
  return { lead: present(lead), spreads: present(spreads) };
}

function overview(analysis: KeyAnalysis): string {
  const { keySet, load } = analysis;
  const lines = [`- ${text.keys(grouped(keySet.keys.length), analysis.weighted, keySet.origin === "template", keySet.countedBy)}`];
  if (keySet.skipped.length > 0) lines.push(`- ${text.skipped(keySet.skipped.length, keySet.skipped.slice(0, 3).map((s) => s.line))}`);
  if (load !== null) lines.push(`- ${text.load(recordsPerSecondText(load.recordsPerSecond), sizeText(load.recordSizeBytes), loadOrigin(load, keySet.trace))}`);
  else lines.push(`- ${text.noLoad(keySet.trace !== undefined)}`);
  return lines.join("\n");
}

/** Where a trace's load came from, in words; undefined for keys that are not a trace. */
function loadOrigin(load: Load, trace: TraceTotals | undefined): { rateFrom: string; sizeFrom: string } | undefined {
  if (trace === undefined) return undefined;
  const timed = trace.spanUs !== null && trace.timeColumn !== null;
  const records = grouped(trace.records);
  // Seconds to a tenth (minutes from 2 min): a trace's span is not worth its microseconds ("1m29.994623s").
  const span = timed ? secondsText(trace.spanUs! / 1000) : "";
  const peak = load.peak;
  const rateFrom =
    load.rateFrom === "trace-peak" && peak !== undefined && timed
      ? text.rateOfTracePeak(isoTime(peak.startUs), peak.timesAverage.toFixed(2), recordsPerSecondText(peak.averageRecordsPerSecond), peak.by, records, span, trace.timeColumn!)
      : load.rateFrom === "trace" && timed
        ? text.rateOfTrace(records, span, trace.timeColumn!)
        : text.rateGiven();
  const sizeFrom = load.sizeFrom === "trace" && trace.sizeFrom !== null ? text.sizeOfTrace(trace.sizeFrom) : load.sizeFrom === "flag" ? text.sizeGiven() : text.sizeDefault();
  return { rateFrom, sizeFrom };
}

/** 1500 -> "1,500"; 33.34 -> "33.3": whole records/s grouped, a fraction kept to one decimal. */
function recordsPerSecondText(recordsPerSecond: number): string {
  const [whole, fraction] = recordsPerSecond.toFixed(1).split(".");
  return `${grouped(Number(whole))}${fraction === "0" ? "" : `.${fraction}`}`;
}

/** The project's size form when it has a unit ("1KiB", "2KB"), else bytes grouped: "2,010 B". */
function sizeText(sizeBytes: number): string {
  const formatted = formatBytes(sizeBytes);
  return /^\d+B$/.test(formatted) ? `${grouped(sizeBytes)} B` : formatted;
}

function warningsSection(analysis: KeyAnalysis): string {
  if (analysis.warnings.length === 0) return `## ${text.warningsTitle}\n\n${text.noWarnings()}`;
  const items = analysis.warnings.map((warning) => {
    const remedies = warning.remedies.map((code) => `  - ${remedyMessages[code]}`).join("\n");
    return `- **${warning.message}**\n${remedies}`;
  });
  return `## ${text.warningsTitle}\n\n${items.join("\n")}`;
}

function adviceSection(advice: Advice, analysis: KeyAnalysis): string {
  const lines: string[] = [];
  // Date/time keys: the caveat follows the headline it qualifies.
  const period = analysis.currentPeriod;
  const caveat = period === null ? [] : [`**${adviceMessages.currentPeriod(pct(period.trafficShare), pct(period.utilization), period.utilization <= ADVICE_UTILIZATION_MAX)}**`];
  if (advice.kind === "found") {
    lines.push(`**${adviceMessages.found(advice.shardCount)}** ${text.peak(pct(advice.peakUtilization))}`, ...caveat);
    if (advice.worseAbove.length > 0) lines.push(adviceMessages.worseAbove(advice.worseAbove));
  } else if (advice.kind === "hot-key") {
    lines.push(`**${adviceMessages.impossible(analysis.keySet.keys[advice.keyIndex], pct(advice.utilization))}**`, ...caveat, ...hotKeyFallback(advice, analysis));
  } else {
    lines.push(`**${adviceMessages.notFound(advice.searchedUpTo)}**`, ...caveat);
  }
  if (advice.kind !== "hot-key") lines.push(adviceMessages.method(advice.fromShardCount));
  return `## ${text.adviceTitle}\n\n${lines.join("\n\n")}`;
}

/** Each shard over its limit: where to split it, or why no split helps; then the timeline entries to paste. */
function splitSection(splits: readonly ShardSplit[]): string {
  const lines = splits.map((split) => {
    if (split.kind === "single-key") return `- ${splitMessages.singleKey(split.shardIndex, pct(split.utilization), split.key, pct(split.keyUtilization))}`;
    if (split.kind === "no-cut") return `- ${splitMessages.noCut(split.shardIndex, pct(split.utilization))}`;
    const { point } = split;
    return `- ${splitMessages.split(split.shardIndex, pct(split.utilization), point.newStartingHashKey.toString(), pct(point.lower.utilization), pct(point.upper.utilization), split.fits)}`;
  });
  const entries = splits.flatMap((split) => (split.kind === "split" ? [splitTimelineEntry("kds", split.shardIndex, 0, split.point.newStartingHashKey)] : []));
  const snippet = entries.length === 0 ? [] : ["", splitMessages.snippet, "", "```yaml", "timeline:", ...entries.map((entry) => `  ${entry}`), "```"];
  return `## ${splitMessages.title}\n\n${[...lines, ...snippet].join("\n")}`;
}

/** What to do instead of a bare "no shard count": the count for every other key, and each hot key's own fix. */
function hotKeyFallback(advice: Extract<Advice, { kind: "hot-key" }>, analysis: KeyAnalysis): string[] {
  const keys = analysis.keySet.keys;
  const hottest = keys[advice.keyIndex];
  const others = advice.others;
  const lines = [
    others === null
      ? adviceMessages.othersNone(hottest, advice.hotKeys.length)
      : others.kind === "found"
        ? `**${adviceMessages.othersFound(hottest, others.shardCount, advice.hotKeys.length)}**`
        : adviceMessages.othersNotFound(hottest, others.searchedUpTo),
  ];
  for (const hot of advice.hotKeys.slice(0, HOT_KEYS_SHOWN)) {
    const fix = adviceMessages.hotKeyNeeds(keys[hot.keyIndex], pct(hot.utilization), hot.suffixBuckets, pct(hot.utilization / hot.suffixBuckets));
    const aggregation = hot.aggregationFits ? adviceMessages.aggregationFits(pct(hot.recordsUtilization), pct(hot.bytesUtilization)) : adviceMessages.aggregationNoHelp(pct(hot.bytesUtilization));
    lines.push(`- ${fix} ${aggregation}`);
  }
  return lines;
}

/** Hot keys given a fix each in the summary (summary.json lists them all). */
const HOT_KEYS_SHOWN = 5;

function spreadSection(spread: Spread, analysis: KeyAnalysis): string {
  const kinesis = spread.target === "kinesis";
  const noun = kinesis ? "shard" : "partition";
  const measures = markdownTable([
    { measure: text.trafficMaxOverMean(noun), value: spread.trafficMaxOverMean.toFixed(2) },
    { measure: text.keysMaxOverMean(noun), value: spread.distinctKeysMaxOverMean.toFixed(2) },
    { measure: text.gini(noun), value: spread.gini.toFixed(3) },
    { measure: text.empty(noun), value: String(spread.emptySlots) },
  ]).trimEnd();
  const rows = spread.hottest.map(({ index, topKeys }) => {
    const slot = spread.slots[index];
    const row: Record<string, string> = { [noun]: String(index), "distinct keys": grouped(slot.distinctKeys), "traffic share": percent(slot.trafficShare, 2) };
    if (slot.recordsPerSecond !== null) {
      row["records/s"] = grouped(slot.recordsPerSecond);
      row[kinesis ? "MiB/s" : "MB/s"] = kinesis ? (slot.bytesPerSecond! / 1_048_576).toFixed(3) : (slot.bytesPerSecond! / 1e6).toFixed(3);
    }
    if (slot.writeUtilization !== null) row["of write limit"] = percent(slot.writeUtilization, 1);
    const broker = kinesis ? null : (analysis.kafka?.broker ?? null);
    if (broker !== null && slot.bytesPerSecond !== null) row[text.brokerColumn(broker.instanceType)] = percent(slot.bytesPerSecond / broker.writeBytesPerSecond, 1);
    row["top keys (share)"] = topKeys.map((top) => `${JSON.stringify(top.key)} (${percent(top.trafficShare, 2)})`).join(", ");
    return row;
  });
  const title = kinesis ? text.kinesisTitle(spread.slotCount) : text.kafkaTitle(spread.slotCount, analysis.kafka?.partitioner ?? "murmur2");
  const broker = analysis.kafka?.broker ?? null;
  const kafkaNotes = [text.kafkaNote(), ...(broker === null || analysis.load === null ? [] : [text.brokerNote(broker.instanceType, broker.writeBytesPerSecond / 1e6)])];
  const notes = kinesis ? (analysis.load === null ? [] : [text.kinesisLimitNote()]) : kafkaNotes;
  return [`## ${title}`, measures, `${text.hottestTitle(noun)}`, markdownTable(rows).trimEnd(), ...notes].join("\n\n");
}

/** Where keyBy puts the keys: the busiest subtasks with their key groups, and what more parallelism does for the hottest key. */
function flinkSection(flink: FlinkSpread): string {
  const { spread, parallelism, maxParallelism } = flink;
  const router = new KeyGroupRouter(parallelism, maxParallelism);
  const measures = markdownTable([
    { measure: text.trafficMaxOverMean("subtask"), value: spread.trafficMaxOverMean.toFixed(2) },
    { measure: text.gini("subtask"), value: spread.gini.toFixed(3) },
    { measure: text.empty("subtask"), value: String(spread.emptySlots) },
  ]).trimEnd();
  const rows = spread.hottest.map(({ index, topKeys }) => {
    const slot = spread.slots[index];
    const groups = flink.keyGroupsPerSubtask[index];
    const row: Record<string, string> = {
      subtask: String(index),
      "key groups": `${groups.first}-${groups.last}`,
      "distinct keys": grouped(slot.distinctKeys),
      "traffic share": percent(slot.trafficShare, 2),
    };
    if (slot.recordsPerSecond !== null) row["records/s"] = grouped(slot.recordsPerSecond);
    row["top keys (share, key group)"] = topKeys.map((top) => `${JSON.stringify(top.key)} (${percent(top.trafficShare, 2)}, ${router.keyGroupOf(top.key)})`).join(", ");
    return row;
  });
  const hot = flink.hottestKey;
  const lines: string[] = [];
  if (hot !== null) {
    lines.push(
      hot.trafficShare > 1 / parallelism
        ? `**${text.flinkHotKeyBeyondHelp(hot.key, hot.keyGroup, hot.subtask, percent(hot.trafficShare, 2), parallelism, percent(1 / parallelism, 2))}**`
        : text.flinkHotKeyWithinHelp(hot.key, hot.keyGroup, hot.subtask, percent(hot.trafficShare, 2), hot.helpfulParallelismMax),
    );
  }
  if (flink.doubled !== null) lines.push(text.flinkDoubled(flink.doubled.parallelism, flink.doubled.maxParallelism, percent(flink.doubled.busiestShare, 2)));
  return [`## ${text.flinkTitle(parallelism, maxParallelism)}`, measures, text.hottestTitle("subtask"), markdownTable(rows).trimEnd(), ...lines, text.flinkNote()].join("\n\n");
}
