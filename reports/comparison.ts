// How the systems of one report compare: one sentence answering "which one, and at what cost", the
// settings on which they are not configured alike, and their costs at equal retention. Built from the
// summary's own systems (their configuration, findings and costs), so every word is true of the numbers
// in the same report. Wording lives in comparison-messages.ts.

import type { RetentionCost } from "../sim/cost/index.ts";
import { retentionText } from "../sim/metrics/index.ts";
import { formatDurationUs } from "../sim/units/index.ts";
import { comparisonWords as say, findingClauses, ratioText, settingWords, warningClauses } from "./comparison-messages.ts";
import { monthlyUsdText } from "./costs.ts";
import { consumerHoursText, grouped, round, shareText } from "./numbers.ts";
import type { ComparisonSummary, ConfigurationSummary } from "./summary-schema.ts";
import type { SystemSummary } from "./system-summary.ts";

type Difference = ComparisonSummary["notLikeForLike"][number];
type CostAtRetention = ComparisonSummary["costAtRetention"];

/** Findings that say the keys are skewed, in whichever system saw it. */
const skewCodes = new Set(["hot-shard", "hot-partition", "hot-fifo-group", "uneven-load"]);
/** Findings of records the producer gave up on: the sentence counts those from the system's records instead. */
const dropCodes = new Set(["records-dropped", "buffer-exhausted"]);
/** Evidence that ranks findings of one code, the first present deciding: the sentence names the worst. */
const magnitudeEvidence = ["peakWriteUtilization", "peakUtilization", "longestSeconds", "groupStoppedSeconds", "duplicates", "share", "throttledAttempts", "lagGrowthMsPerSecond"];
/** Finding clauses per system in the sentence: the rest are in the findings. */
const clausesPerSystem = 2;

/** The comparison block of summary.json; null with fewer than two systems. */
export function buildComparison(systems: SystemSummary[], retentionCosts: RetentionCost[]): ComparisonSummary | null {
  if (systems.length < 2) return null;
  const costAtRetention = costAtRetentionSummary(retentionCosts);
  return { sentence: comparisonSentence(systems, costAtRetention), notLikeForLike: notLikeForLike(systems), costAtRetention };
}

function costAtRetentionSummary(retentionCosts: RetentionCost[]): CostAtRetention {
  return retentionCosts.map((entry) => ({
    retentionSeconds: entry.retentionUs === null ? null : entry.retentionUs / 1e6,
    retention: entry.retentionUs === null ? "" : retentionText(entry.retentionUs),
    systems: entry.systems.map((cost) => ({
      system: cost.system,
      monthlyUsd: round(cost.monthlyUsd, 2) ?? 0,
      pricedRetentionSeconds: cost.pricedRetentionUs === null ? null : cost.pricedRetentionUs / 1e6,
    })),
  }));
}

/**
 * "msk absorbs this key skew; kds throttles its hot shard ... and drops 2.1% of records; msk is the
 * fastest: producer p99 ...; kds is the cheapest at equal retention: msk costs 2.3x as much at 24 h and
 * 6.0x at 7 days, but kds as run drops 2.1% of records ...". Systems without a critical finding come
 * first, together; then each system with critical findings, its most telling ones; then the fastest,
 * then the cheapest with the cost ratios.
 * When the critical findings do not tell the systems apart (none has one, or all have the same codes),
 * the warnings on which they differ lead.
 */
export function comparisonSentence(systems: SystemSummary[], costAtRetention: CostAtRetention): string {
  const skewed = systems.some((system) => system.findings.some((finding) => skewCodes.has(finding.code)));
  const troubles = systems.map((system) => ({ name: system.name, trouble: troubleClause(system) }));
  const fine = troubles.filter((system) => system.trouble === null).map((system) => system.name);
  const clauses: string[] = criticalCodesAlike(systems) ? differingWarnings(systems) : [];
  if (fine.length > 0) clauses.push(`${listText(fine)} ${skewed ? say.absorbsSkew(fine.length > 1) : say.noCritical(fine.length > 1)}`);
  for (const { name, trouble } of troubles) if (trouble !== null) clauses.push(`${name} ${trouble}`);
  const speed = fastestClause(systems);
  if (speed !== "") clauses.push(speed);
  const cost = costClause(costAtRetention, systems);
  if (cost !== "") clauses.push(cost);
  return `${clauses.join("; ")}.`;
}

/**
 * What went wrong in the system, or null: its critical findings, the most telling first (in
 * findingClauses' order), one per code, then the records it dropped, counted over every cause (its drop
 * findings each count one cause).
 */
function troubleClause(system: SystemSummary): string | null {
  const order = Object.keys(findingClauses);
  const rank = (code: string) => (order.includes(code) ? order.indexOf(code) : order.length);
  const seen = new Set<string>();
  const clauses = system.findings
    .filter((finding) => finding.severity === "critical" && !dropCodes.has(finding.code))
    .sort((a, b) => rank(a.code) - rank(b.code) || magnitude(b.evidence) - magnitude(a.evidence))
    .filter((finding) => !seen.has(finding.code) && seen.add(finding.code))
    .slice(0, clausesPerSystem);
  // Codes without words of their own share one clause: "has critical findings (a, b)", not one clause each.
  const generic = clauses.filter((finding) => !(finding.code in findingClauses)).map((finding) => finding.code);
  const worded = clauses.flatMap((finding) => {
    const clause = findingClauses[finding.code];
    return clause === undefined ? [] : [clause(finding.subject, finding.evidence, system)];
  });
  if (generic.length > 0) worded.push(say.otherCritical(generic));
  const { dropped, produced } = system.records;
  if (dropped > 0) worded.push(say.drops(dropped / produced));
  return worded.length === 0 ? null : listText(worded);
}

/** Whether every system has the same critical finding codes (none included). */
function criticalCodesAlike(systems: SystemSummary[]): boolean {
  const codes = systems.map((system) => [...new Set(system.findings.filter((f) => f.severity === "critical").map((f) => f.code))].sort().join(","));
  return codes.every((key) => key === codes[0]);
}

/**
 * "eager stopped the whole group for 2.7 s ...": per system, the worst warning of each code whose words
 * differ from another system's (or that another system lacks), in warningClauses' order.
 */
function differingWarnings(systems: SystemSummary[]): string[] {
  const order = Object.keys(warningClauses);
  const rank = (code: string) => (order.includes(code) ? order.indexOf(code) : order.length);
  const worst = systems.map((system) => {
    const byCode = new Map<string, string>();
    const warnings = system.findings.filter((finding) => finding.severity === "warning").sort((a, b) => magnitude(b.evidence) - magnitude(a.evidence));
    for (const finding of warnings) {
      if (byCode.has(finding.code)) continue;
      const clause = warningClauses[finding.code];
      byCode.set(finding.code, clause === undefined ? say.otherWarning(finding.code) : clause(finding.subject, finding.evidence));
    }
    return byCode;
  });
  return systems.flatMap((system, index) => {
    const own = [...worst[index]]
      .filter(([code, text]) => worst.some((other) => other.get(code) !== text) && (code in warningClauses || worst.some((other) => !other.has(code))))
      .sort(([a], [b]) => rank(a) - rank(b))
      .slice(0, clausesPerSystem)
      .map(([, text]) => text);
    return own.length === 0 ? [] : [`${system.name} ${listText(own)}`];
  });
}

/** How bad one finding of a code is beside another of the same code (the hottest shard, the longest outage). */
function magnitude(evidence: Record<string, number | string>): number {
  for (const name of magnitudeEvidence) if (typeof evidence[name] === "number") return evidence[name];
  return 0;
}

/**
 * "kds is the cheapest at equal retention: msk costs 2.3x as much at 24 h and 6.0x at 7 days, but kds as
 * run drops 9.00% of records: ...": the cheapest system at each retention (priced at equal retention,
 * which the words say), every other's cost over it, and, when a system dropped records as run, that its
 * price is for less delivered. "" when fewer than two systems are priced above zero.
 */
function costClause(costAtRetention: CostAtRetention, systems: SystemSummary[]): string {
  if (costAtRetention.length === 0) return "";
  const at = (name: string) => costAtRetention.map((entry) => entry.systems.find((cost) => cost.system === name)?.monthlyUsd ?? 0);
  const names = costAtRetention[0].systems.map((cost) => cost.system).filter((name) => at(name).every((usd) => usd > 0));
  if (names.length < 2) return "";
  const retentions = costAtRetention.map((entry) => entry.retention);
  // Costs that print alike ("$753/month") are equal: rounding never makes one of them the cheapest.
  const same = (a: number, b: number) => monthlyUsdText(a) === monthlyUsdText(b);
  const compute = unpricedWritesText(names, systems) + unpricedComputeText(names, systems);
  if (names.every((name) => at(name).every((usd, i) => same(usd, at(names[0])[i])))) return say.sameCost(names, retentions) + compute;
  // The cheapest at each retention, the first in the file's order of those that cost the same as the least.
  const cheapest = costAtRetention.map((_, i) => {
    const least = Math.min(...names.map((name) => at(name)[i]));
    return names.find((name) => same(at(name)[i], least))!;
  });
  const base = cheapest[0];
  // Systems that cost the same as the cheapest at every retention are named with it, as equally cheap
  // (when one system is the cheapest at every retention; otherwise each ratio says "the same").
  const tied = cheapest.some((name) => name !== base) ? [] : names.filter((name) => name !== base && at(name).every((usd, i) => same(usd, at(base)[i])));
  const others = names
    .filter((name) => name !== base && !tied.includes(name))
    .map((name) => ({ system: name, ratios: at(name).map((usd, i) => costRatioText(usd, at(base)[i])) }));
  // Every priced system that dropped records as run: its price is for less delivered than the others'.
  const dropping = names.flatMap((name) => {
    const records = systems.find((system) => system.name === name)?.records;
    return records === undefined || records.dropped <= 0 ? [] : [{ system: name, share: records.dropped / records.produced }];
  });
  return say.costs(retentions, cheapest, others, dropping, tied.length === 0 ? [] : names.filter((name) => name === base || tied.includes(name)), behindOf(names, systems)) + compute;
}

/**
 * "; what kds-lambda's and sqs-lambda's consumers write is not priced, Firehose's S3 delivery is": beside a
 * system whose S3 delivery is in its cost, the systems whose consumers' own writes are left out. "" otherwise.
 */
function unpricedWritesText(names: string[], systems: SystemSummary[]): string {
  const priced = systems.filter((system) => names.includes(system.name));
  if (!priced.some((system) => pricedDeliveries(system).length > 0)) return "";
  const unpriced = priced.filter((system) => pricedDeliveries(system).length === 0 && unpricedOutputs(system).length > 0).map((system) => system.name);
  return unpriced.length === 0 ? "" : say.unpricedWrites(unpriced);
}

/** Consumer-hours of autoscaled self-managed consumers differing by more than this ratio are worth a word. */
const computeRatioMin = 1.1;

/**
 * "; their consumers' compute is not priced: capped ran 1.08 consumer-hours, idle-allowed 2.62": a
 * self-managed consumer's instances are left out of the cost (docs/cost.md), so systems that ran
 * markedly different consumer-hours compare as equal when they are not. "" when none differ.
 */
function unpricedComputeText(names: string[], systems: SystemSummary[]): string {
  const hours = names.flatMap((name) => {
    const system = systems.find((candidate) => candidate.name === name);
    const scaled = (system?.consumers ?? []).filter((consumer) => consumer.autoscaling?.consumerHours != null);
    return scaled.length === 0 ? [] : [{ system: name, hours: scaled.reduce((sum, consumer) => sum + consumer.autoscaling!.consumerHours!, 0) }];
  });
  if (hours.length < 2) return "";
  const least = Math.min(...hours.map((entry) => entry.hours));
  const most = Math.max(...hours.map((entry) => entry.hours));
  if (!(most > least * computeRatioMin)) return "";
  return say.unpricedCompute(hours.map((entry) => ({ system: entry.system, hours: consumerHoursText(entry.hours) })));
}

/**
 * A system whose slowest consumer had processed, by the run's end, less than this share of what the
 * most complete system's had (of the records each accepted) bought less delivered with its price.
 */
const processedShareMargin = 0.9;

/**
 * The priced systems whose consumers had processed markedly less of what they accepted than the most
 * complete one's by the run's end (a backlog left unread): their cost is for less work done. Each with
 * the share its slowest consumer processed, and the most complete system's.
 */
function behindOf(names: string[], systems: SystemSummary[]): { systems: Array<{ system: string; share: number }>; best: { system: string; share: number } } | null {
  // Where some system runs consumers the others do not, only those every system runs are compared.
  const shared = sharedConsumers(systems);
  const shares = names.flatMap((name) => {
    const system = systems.find((entry) => entry.name === name);
    const consumers = system?.consumers.filter((consumer) => shared === null || shared.includes(consumer.name)) ?? [];
    if (system === undefined || consumers.length === 0 || system.records.accepted <= 0) return [];
    const consumed = Math.min(...consumers.map((consumer) => consumer.records.consumed));
    return [{ system: name, share: Math.min(1, consumed / system.records.accepted) }];
  });
  if (shares.length < 2) return null;
  const best = shares.reduce((a, b) => (b.share > a.share ? b : a));
  const behind = shares.filter((entry) => entry.share < processedShareMargin * best.share);
  return behind.length === 0 ? null : { systems: behind, best };
}

/**
 * One system's cost over the cheapest's: "2.3x"; "the same" when the two print alike; "0.4% more" when
 * they differ by less than the ratio shows ("1.0x" would read as equal).
 */
/**
 * A cost over the cheapest's: "5.3% more" or "3.4% less" within half of it either way, "2.3x" beyond (a
 * "1.1x" read as 10% more where it was 5%; one form for every near cost, so a sentence never mixes them).
 */
function costRatioText(usd: number, baseUsd: number): string {
  if (monthlyUsdText(usd) === monthlyUsdText(baseUsd)) return "the same";
  const ratio = usd / baseUsd;
  if (ratio > 1 && ratio < 1.5) return `${nearShareText(ratio - 1)} more`;
  if (ratio < 1 && ratio > 0.5) return `${nearShareText(1 - ratio)} less`;
  return ratioText(ratio);
}

/** "5.3%", "10%", "42%": a tenth of a percent below 10% (as printed), whole percents from there. */
function nearShareText(share: number): string {
  return shareText(share, share < 0.0995 ? 1 : 0);
}

/**
 * "msk is the fastest (producer p99 14.7 ms against kds 322 ms, end-to-end p99 0.02 s against kds 1.64 s)":
 * the lowest producer p99 latency, and the lowest end-to-end p99 (each system's slowest consumer), named
 * as such; "" when fewer than two systems have the figure or all have the same.
 */
function fastestClause(systems: SystemSummary[]): string {
  const producer = fastest(systems, (system) => system.producerLatencyMs.p99);
  const shared = sharedConsumers(systems);
  const endToEnd = fastest(systems, (system) => {
    const p99s = system.consumers
      .filter((consumer) => shared === null || shared.includes(consumer.name))
      .map((consumer) => consumer.endToEndLatencyMs.p99)
      .filter((value): value is number => value !== null);
    return p99s.length === 0 ? null : Math.max(...p99s);
  });
  const dropping = systems.flatMap((system) => (system.records.dropped > 0 && system.records.produced > 0 ? [{ system: system.name, share: system.records.dropped / system.records.produced }] : []));
  return say.fastest(producer, endToEnd, dropping, shared ?? []);
}

/**
 * The consumers every system runs (by name), when some system runs others besides: their end-to-end
 * latency is compared like for like, instead of one system's extra, slower application against another's
 * only one. Null when every system runs the same consumers, or when no name is shared (each system's
 * slowest consumer is compared then, as the sentence says).
 */
function sharedConsumers(systems: SystemSummary[]): string[] | null {
  const names = systems.map((system) => new Set(system.consumers.map((consumer) => consumer.name)));
  const shared = [...names[0]!].filter((name) => names.every((own) => own.has(name)));
  const alike = names.every((own) => own.size === shared.length);
  return alike || shared.length === 0 ? null : shared;
}

/**
 * A latency p99 counts as lower only when it is at least this much below every other: a few percent
 * is within what another seed gives, so it names no winner.
 */
const fastestMargin = 0.9;

/**
 * The system with the lowest figure and the others' figures; null when fewer than two have one, or the
 * lowest is not at least 10% below every other (fastestMargin).
 */
function fastest(systems: SystemSummary[], figure: (system: SystemSummary) => number | null): FastestFigure | null {
  const values = systems.flatMap((system) => {
    const value = figure(system);
    return value === null ? [] : [{ system: system.name, value }];
  });
  if (values.length < 2) return null;
  const best = values.reduce((a, b) => (b.value < a.value ? b : a));
  if (values.some((entry) => entry !== best && entry.value * fastestMargin < best.value)) return null;
  return { system: best.system, value: best.value, others: values.filter((entry) => entry !== best) };
}

export interface FastestFigure {
  system: string;
  value: number;
  others: Array<{ system: string; value: number }>;
}

interface SettingCheck {
  words: { setting: string; why: string };
  value: (configuration: ConfigurationSummary, system: SystemSummary) => string;
  /** Whether the systems differ on it; by default, when their values differ. */
  differs?: (configurations: ConfigurationSummary[], systems: SystemSummary[]) => boolean;
}

/** Consumers whose delivery the cost prices: a Firehose stream's S3 delivery, a Kinesis stream's Firehose consumers. */
function pricedDeliveries(system: SystemSummary): string[] {
  return system.consumers.filter((consumer) => consumer.type === "s3-delivery" || consumer.type === "firehose").map((consumer) => consumer.name);
}

/** The consumers whose own writes (to S3, a database) are neither modelled nor priced. */
function unpricedOutputs(system: SystemSummary): string[] {
  const priced = pricedDeliveries(system);
  return system.consumers.filter((consumer) => !priced.includes(consumer.name)).map((consumer) => consumer.name);
}

function deliveryText(system: SystemSummary): string {
  const priced = pricedDeliveries(system);
  const unpriced = unpricedOutputs(system);
  const parts = [
    ...(priced.length === 0 ? [] : [`S3 delivery priced (${priced.join(", ")}: requests and storage)`]),
    ...(unpriced.length === 0 ? [] : [`what ${unpriced.join(", ")} ${unpriced.length === 1 ? "writes" : "write"} not priced`]),
  ];
  return parts.length === 0 ? "no consumers" : parts.join("; ");
}

const checks: SettingCheck[] = [
  { words: settingWords.retention, value: (c) => c.retention, differs: (all) => distinct(all.map((c) => c.retentionSeconds)) },
  { words: settingWords.replication, value: (c) => c.replication, differs: replicationDiffers },
  { words: settingWords.acknowledgement, value: (c) => c.acks, differs: (all) => distinct(all.map((c) => c.acknowledgement)) },
  {
    words: settingWords.consumerApplications,
    value: (c) => (c.consumers.length === 0 ? "none" : `${c.consumers.length} (${c.consumers.map((consumer) => consumer.name).join(", ")})`),
    differs: (all) => distinct(all.map((c) => c.consumers.length)),
  },
  {
    words: settingWords.consumerTypes,
    value: (c) => perConsumer(c, (consumer) => consumer.type),
    differs: (all) => distinct(all.map((c) => c.consumers.map((consumer) => consumer.type).join(","))),
  },
  {
    words: settingWords.consumerInstances,
    value: (c) => perConsumer(c, instancesText),
    differs: (all) => distinct(all.map((c) => c.consumers.map((consumer) => consumer.instances).join(","))),
  },
  {
    words: settingWords.processing,
    value: (c) => perConsumer(c, processingText),
    differs: (all) => distinct(all.map((c) => c.consumers.map(processingText).join(","))),
  },
  {
    words: settingWords.delivery,
    value: (_, system) => deliveryText(system),
    // A system that delivers to S3 in its price beside one whose consumers' own writes are left out.
    differs: (_, systems) => systems.some((system) => pricedDeliveries(system).length > 0) && systems.some((system) => unpricedOutputs(system).length > 0),
  },
  { words: settingWords.retry, value: (c) => c.producer.retry },
  { words: settingWords.batching, value: (c) => c.producer.batching, differs: (all) => distinct(all.map((c) => c.producer.lingerMs)) },
];

/** The settings on which the systems differ, each with every system's value and why it matters; empty when alike or alone. */
export function notLikeForLike(systems: SystemSummary[]): Difference[] {
  if (systems.length < 2) return [];
  const configurations = systems.map((system) => system.configuration);
  return checks
    .filter((check) => (check.differs === undefined ? distinct(systems.map((system) => check.value(system.configuration, system))) : check.differs(configurations, systems)))
    .map((check) => ({
      setting: check.words.setting,
      values: systems.map((system) => ({ system: system.name, value: check.value(system.configuration, system) })),
      why: check.words.why,
    }));
}

/**
 * Copies differ when two systems keep different known numbers of them, or when one keeps a single copy
 * beside a service that replicates over several AZs without saying how many (null copies).
 */
function replicationDiffers(configurations: ConfigurationSummary[]): boolean {
  const known = new Set(configurations.flatMap((c) => (c.replicationCopies === null ? [] : [c.replicationCopies])));
  const unpublished = configurations.some((c) => c.replicationCopies === null);
  return known.size > 1 || (unpublished && known.has(1));
}

function distinct(values: Array<string | number>): boolean {
  return new Set(values).size > 1;
}

function perConsumer(configuration: ConfigurationSummary, text: (consumer: ConfigurationSummary["consumers"][number]) => string): string {
  if (configuration.consumers.length === 0) return "none";
  return configuration.consumers.map((consumer) => `${consumer.name}: ${text(consumer)}`).join("; ");
}

/** "10 shard workers", "1 consumer": the instance count with its noun in the right number. */
export function instancesText(consumer: ConfigurationSummary["consumers"][number]): string {
  return `${grouped(consumer.instances)} ${consumer.instances === 1 ? consumer.instancesOf.replace(/s$/, "") : consumer.instancesOf}`;
}

/** "20us per record + 5ms per batch". */
export function processingText(consumer: ConfigurationSummary["consumers"][number]): string {
  if (consumer.processingPerRecordMs === 0 && consumer.processingPerBatchMs === 0) return "no processing time";
  const perRecord = `${durationText(consumer.processingPerRecordMs)} per record`;
  return consumer.processingPerBatchMs > 0 ? `${perRecord} + ${durationText(consumer.processingPerBatchMs)} per batch` : perRecord;
}

function durationText(ms: number): string {
  return formatDurationUs(Math.round(ms * 1000));
}

/** "a", "a and b", "a, b and c". */
function listText(names: string[]): string {
  return names.length <= 1 ? names.join("") : `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;
}
