// Every word of the comparison: the sentence's clauses, the not-like-for-like settings and why each
// matters. Detection is in comparison.ts.

import type { FastestFigure } from "./comparison.ts";
import type { SystemSummary } from "./system-summary.ts";
import { droppedShareDigits, grouped, millisecondsText, secondsText, shareText, utilizationText } from "./numbers.ts";
import { shardsOverLimitText, summarySpans } from "./shard-count-words.ts";

type Evidence = Record<string, number | string>;
const num = (evidence: Evidence, name: string): number => Number(evidence[name] ?? 0);
const plural = (count: number, one: string, many: string): string => `${grouped(count)} ${count === 1 ? one : many}`;

/** The reshard that closed a hot shard (its finding's `closedBy`), as the sentence names it. */
function reshardWords(action: string): string {
  if (action.startsWith("split-shard")) return "its split";
  if (action.startsWith("merge-shards")) return "its merge";
  if (action.startsWith("update-shard-count")) return "UpdateShardCount";
  return action;
}

/**
 * What a critical finding says a system does, as a clause after its name ("throttles its hot shard ...").
 * Findings of other codes read as "has a critical finding (code)" (or "has critical findings (a, b)" for
 * several), so a new code is never left out.
 */
export const findingClauses: Readonly<Record<string, (subject: string, evidence: Evidence, system: SystemSummary) => string>> = {
  "hot-shard": (subject, evidence, system) => {
    const peak = utilizationText(num(evidence, "peakWriteUtilization"));
    const over = system.partitions.filter((partition) => (partition.peakWriteUtilization ?? 0) > 1).length;
    // "At any shard count" is true only of a shard whose busiest key alone is over a shard's limit.
    const keyed = system.findings.find((finding) => finding.code === "hot-shard" && num(finding.evidence, "topKeyOverShardLimit") === 1);
    const key = keyed === undefined ? "" : String(keyed.evidence.topKey ?? "");
    const anyCount =
      keyed === undefined
        ? ""
        : `${keyed.subject === subject ? "" : `${keyed.subject} `}at any shard count with this key: ${key === "" ? "one key" : `its key "${key}"`} alone is over a shard's limit${hotKeyAdviceText(keyed.evidence)}`;
    if (over > 1) return `throttles ${shardsOverLimitText(over, summarySpans(system.partitions))}, the hottest ${subject} at ${peak}${anyCount === "" ? "" : ` (${anyCount})`}`;
    // A shard a reshard closed during the run throttled only until the change landed.
    const until = evidence.closedBy === undefined ? "" : ` until ${reshardWords(String(evidence.closedBy))} landed at ${secondsText(num(evidence, "closedAtSeconds") * 1000)}`;
    return `throttles its hot shard ${subject}${until} (up to ${peak} of its write limit${anyCount === "" ? "" : `; ${anyCount}`})`;
  },
  "no-headroom": (_subject, evidence) =>
    `runs out of write capacity (demand at ${utilizationText(num(evidence, "demandOverCapacity"))} of ${evidence.finalOpenShards === undefined ? "its" : "the"} ${grouped(num(evidence, "openShards"))} shards${evidence.finalOpenShards === undefined ? "" : ` open then, ${grouped(num(evidence, "finalOpenShards"))} at the end`})`,
  "partitions-unavailable": (_subject, evidence) => `has ${plural(num(evidence, "partitions"), "partition", "partitions")} offline for up to ${grouped(num(evidence, "longestSeconds"))} s`,
  "saturated-broker": (subject, evidence) => `saturates ${subject} (${utilizationText(num(evidence, "peakUtilization"))} busy)`,
  "records-lost": (_subject, evidence) => `loses ${plural(num(evidence, "lost"), "acknowledged record", "acknowledged records")}`,
  "records-expired": (subject, evidence) => `lets ${plural(num(evidence, "expired"), "record", "records")} expire unread (${subject})`,
  "consumer-falling-behind": (subject) => `falls behind (consumer ${subject})`,
  "queue-falling-behind": () => "falls behind (its consumers cannot drain the queue)",
};

/**
 * What a warning finding says a system did, for the sentence's lead when the systems' critical findings do
 * not tell them apart. Warnings of other codes read as "has a warning (code)", and only where the other
 * systems have no warning of that code.
 */
export const warningClauses: Readonly<Record<string, (subject: string, evidence: Evidence) => string>> = {
  "rebalance-reprocessed": (_subject, evidence) => {
    const rebalances = num(evidence, "rebalances");
    const at = rebalances === 1 ? "at its rebalance" : `over its ${grouped(rebalances)} rebalances`;
    const reprocessed = `reprocessed ${plural(num(evidence, "duplicates"), "record", "records")}`;
    return num(evidence, "groupStoppedSeconds") > 0
      ? `stopped the whole group for ${num(evidence, "groupStoppedSeconds").toFixed(1)} s ${at} and ${reprocessed}`
      : `moved ${plural(num(evidence, "partitionsRevoked"), "partition", "partitions")} without stopping ${at} and ${reprocessed}`;
  },
  "hot-partition": (subject, evidence) => `loads its hot partition ${subject} with ${shareText(num(evidence, "share"), 0)} of records`,
  "send-throttled": (_subject, evidence) => `had ${plural(num(evidence, "throttledAttempts"), "send throttled", "sends throttled")}`,
  "sustained-throttling": () => "throttles its producer for long stretches",
  "read-throttled": () => "throttles its readers",
  "quota-throttled": () => "throttles clients at their quota",
  "poll-interval-exceeded": (subject) => `lets consumer ${subject} exceed its poll interval`,
  "idle-consumers": (subject, evidence) => `leaves ${plural(num(evidence, "idleConsumers"), "consumer", "consumers")} of ${subject} idle`,
};

export const comparisonWords = {
  otherCritical: (codes: string[]) => (codes.length === 1 ? `has a critical finding (${codes[0]})` : `has critical findings (${codes.join(", ")})`),
  otherWarning: (code: string) => `has a warning (${code})`,
  drops: (share: number) => `drops ${shareText(share, droppedShareDigits)} of records`,
  absorbsSkew: (many: boolean) => (many ? "absorb this key skew" : "absorbs this key skew"),
  noCritical: (many: boolean) => (many ? "have no critical findings" : "has no critical findings"),
  /**
   * "kds is the cheapest at equal retention: msk costs 2.3x as much at 24 h and 6.0x at 7 days, but kds
   * drops records as run, so its price buys less delivered (not like for like)"; systems that cost the
   * same as the cheapest (tied) lead with it: "a and b cost the same and are the cheapest (...)".
   */
  costs: (
    retentions: string[],
    cheapest: string[],
    others: Array<{ system: string; ratios: string[] }>,
    dropping: Array<{ system: string; share: number }>,
    tied: string[] = [],
    behind: { systems: Array<{ system: string; share: number }>; best: { system: string; share: number } } | null = null,
  ) => {
    // tied: the cheapest and every system that costs the same at each retention, in the file's order (or none).
    const single = retentions.length === 1;
    const same = cheapest.every((name) => name === cheapest[0]);
    // Systems that cost the same as the cheapest (as printed) share the lead: none is the cheapest by rounding.
    const leaders = tied.length < 2 ? cheapest[0] : `${listWords(tied)} cost the same and are the cheapest`;
    const is = tied.length < 2 ? " is the cheapest" : "";
    // retentions [""]: no system keeps a log (Firehose streams alone), each priced as configured.
    const lead = single
      ? `${leaders}${is}${retentions[0] === "" ? "" : ` (every system priced at ${retentions[0]} retention)`}`
      : same
        ? `${leaders}${is} at equal retention`
        : `at equal retention the cheapest is ${listWords(cheapest.map((name, i) => `${name} at ${retentions[i]}`))}`;
    // "2.3x as much", "0.4% more", "the same": "as much" follows a ratio where the previous words were not one.
    const ratioPhrase = (ratios: string[], i: number) => `${ratios[i]}${ratios[i].endsWith("x") && (i === 0 || !ratios[i - 1].endsWith("x")) ? " as much" : ""}`;
    const ratioWords = (ratios: string[]) => (single ? ratioPhrase(ratios, 0) : listWords(ratios.map((_, i) => `${ratioPhrase(ratios, i)} at ${retentions[i]}`)));
    const against = same || single ? "" : ` (against ${cheapest[0]})`;
    // The share each drops is in its own clause earlier in the sentence: said once, not again here.
    // Systems whose consumers left much of what they accepted unprocessed at the end: "had processed 4.3% of
    // the records it accepted by the end (ramp 100%)".
    const behindText =
      behind === null
        ? ""
        : `${listWords(behind.systems.map((entry) => entry.system))} had processed ${listWords(behind.systems.map((entry) => shareText(entry.share, entry.share < 0.1 ? 1 : 0)))} of the records ${behind.systems.length === 1 ? "it" : "they"} accepted by the run's end (${behind.best.system} ${shareText(behind.best.share, 0)})`;
    const dropText = dropping.length === 0 ? "" : `${listWords(dropping.map((entry) => entry.system))} ${dropping.length === 1 ? "drops" : "drop"} records as run`;
    const reasons = [dropText, behindText].filter((text) => text !== "");
    const payers = new Set([...dropping.map((entry) => entry.system), ...(behind?.systems ?? []).map((entry) => entry.system)]).size;
    const caveat = reasons.length === 0 ? "" : `, but ${reasons.join(" and ")}, so ${payers === 1 ? "its price buys" : "their prices buy"} less delivered (not like for like)`;
    return `${lead}: ${others.map(({ system, ratios }) => `${system} costs ${ratioWords(ratios)}`).join(", ")}${against}${caveat}`;
  },
  unpricedWrites: (systems: string[]) => `; what ${listWords(systems.map((name) => `${name}'s`))} consumers write is not priced, Firehose's S3 delivery is`,
  unpricedCompute: (hours: Array<{ system: string; hours: string }>) =>
    `; their consumers' own compute is not priced (self-managed instances are left out of the cost), and ${listWords(hours.map((entry, i) => `${entry.system} ${i === 0 ? "ran " : ""}${entry.hours}${i === 0 ? " consumer-hours" : ""}`))}`,
  sameCost: (names: string[], retentions: string[]) =>
    `${listWords(names)} cost the same${retentions.length === 1 ? (retentions[0] === "" ? "" : ` (every system priced at ${retentions[0]} retention)`) : ` at each retention (${retentions.join(", ")})`}`,
  /**
   * "msk is the fastest (producer p99 14.7 ms against kds 322 ms, end-to-end p99 20.0 ms against kds 1.64 s of records
   * delivered)"; "" when neither has a winner.
   */
  fastest: (producer: FastestFigure | null, endToEnd: FastestFigure | null, dropping: Array<{ system: string; share: number }> = [], shared: string[] = []) => {
    // One rule for every latency in the sentence: milliseconds below 1 s, seconds (or minutes) from 1 s.
    const latency = (ms: number) => (ms < 1000 ? `${millisecondsText(ms)} ms` : secondsText(ms));
    const producerText = (figure: FastestFigure) => `producer p99 ${latency(figure.value)} against ${listWords(figure.others.map((other) => `${other.system} ${latency(other.value)}`))}`;
    // The end-to-end p99 is of the records delivered: how many a system dropped is in its own clause earlier in the sentence.
    const delivered = dropping.length === 0 ? "" : " of records delivered";
    // Where some system runs consumers the others do not, only the ones all run are compared, and named.
    const of = shared.length === 0 ? "" : ` of ${listWords(shared)} (run by every system)`;
    const endToEndText = (figure: FastestFigure) => `end-to-end p99${of} ${latency(figure.value)} against ${listWords(figure.others.map((other) => `${other.system} ${latency(other.value)}`))}${delivered}`;
    if (producer !== null && endToEnd !== null && producer.system === endToEnd.system) return `${producer.system} is the fastest (${producerText(producer)}, ${endToEndText(endToEnd)})`;
    const parts = [
      ...(producer === null ? [] : [`${producer.system} has the lowest producer latency (${producerText(producer)})`]),
      ...(endToEnd === null ? [] : [`${endToEnd.system} the lowest end-to-end latency (${endToEndText(endToEnd)})`]),
    ];
    if (parts.length === 2) return `${parts[0]} and ${parts[1]}`;
    return parts.length === 0 ? "" : parts[0].replace(/^(\S+) the lowest/, "$1 has the lowest");
  },
  notLikeForLikeHeading: "Not like for like",
  notLikeForLikeIntro: "These systems differ on settings that drive cost or behaviour; weigh the comparison with them in mind:",
  configurationHeading: "Configuration",
  costAtRetentionHeading: "Cost at equal retention",
  costAtRetentionNote:
    "Each system priced again at the retention each of the others keeps, on the same simulated traffic (storage and retention line items follow the retention; Kinesis keeps at least 24 h, SQS at most 14 d, so those are priced at the nearest they allow). The run itself is simulated at each system's own retention.",
  costAtRetentionFirehoseNote:
    "A Firehose stream keeps no log: it is priced as configured in every row, and the S3 objects it or a Firehose consumer lands stay as long as configured in every row (their storage is the landed data's, not a stream's retention).",
} as const;

/** The settings the like-for-like check compares, and why a difference in each matters. */
export const settingWords = {
  retention: {
    setting: "retention",
    why: "records a consumer has not read by then expire, and storage is billed for it (Kinesis above 24 h, Kafka on every replica): see the cost at equal retention",
  },
  delivery: {
    setting: "delivery",
    why: "Firehose's S3 requests and storage are in its system's cost; what other consumers write (to S3, a database) is neither modelled nor priced, so those systems cost more than their figure by their own writes",
  },
  replication: { setting: "replication", why: "how many copies survive a broker or AZ failure, and (Kafka) the storage billed for each copy" },
  acknowledgement: { setting: "acknowledgement", why: "what a failure can lose after the producer was told a write succeeded" },
  consumerApplications: { setting: "consumer applications", why: "each reads every record: reads, read limits and read cost grow with them" },
  consumerTypes: { setting: "consumer type", why: "how records reach the consumers (polling interval, push, group rebalancing, receive and delete): delivery latency and lag depend on it" },
  consumerInstances: { setting: "consumer instances", why: "readers working in parallel: how fast a backlog drains, so lag" },
  processing: { setting: "processing time", why: "the consumers' own work per record and batch: lag depends on it as much as on the system" },
  retry: { setting: "producer retry", why: "how long a throttled or failed write is retried before it is dropped: drops and producer latency depend on it" },
  batching: { setting: "producer batching", why: "linger adds to producer latency, and batch sizes set the request count (and the bill, where requests are billed)" },
} as const;

/** "2.3x" from 1 up, "0.41x" below: two significant digits. */
export function ratioText(ratio: number): string {
  if (!Number.isFinite(ratio)) return "-";
  return `${ratio >= 1 ? ratio.toFixed(ratio >= 10 ? 0 : 1) : ratio.toPrecision(2)}x`;
}

/** "a", "a and b", "a, b and c". */
function listWords(items: string[]): string {
  return items.length <= 1 ? items.join("") : `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

/**
 * The key lab's fallback for a key over a shard's limit, when the run computed it (evidence
 * otherKeysShardCount, hotKeySuffixBuckets): "; leaving it out, 19 shards keep every other key at or
 * below 80% of a shard, and it needs a random suffix with at least 2 buckets".
 */
function hotKeyAdviceText(evidence: Evidence): string {
  const shards = num(evidence, "otherKeysShardCount");
  const buckets = num(evidence, "hotKeySuffixBuckets");
  if (shards <= 0 || buckets <= 0) return "";
  return `; leaving it out, ${plural(shards, "shard keeps", "shards keep")} every other key at or below 80% of a shard, and it needs a random suffix with at least ${grouped(buckets)} buckets`;
}
