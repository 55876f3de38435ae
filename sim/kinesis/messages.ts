// Every sentence the Kinesis model says in its findings: the cause, and what to do about it.

import type { PartitionResult } from "../metrics/index.ts";
import { droppedShareDigits, shareText } from "../units/index.ts";
import type { HotShardSplit } from "./split-finding.ts";

const pct = (fraction: number): string => `${(fraction * 100).toFixed(fraction >= 10 ? 0 : 1)}%`;
const count = (value: number): string => Math.round(value).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
const duration = (ms: number): string =>
  ms >= 7_200_000 ? `${(ms / 3_600_000).toFixed(1)} h` : ms >= 120_000 ? `${(ms / 60_000).toFixed(1)} min` : `${(ms / 1000).toFixed(1)} s`;

/** What the falling-behind finding names as its cause. */
export type BehindCause = "processing" | "poll-limit" | "read-throttling";

/** On-demand streams take no shard counts: capacity comes from the previous peak (docs/reference.md §1.5). */
const onDemandCapacityAdvice = "Warm the stream up ahead of the load (a higher previous peak; warm throughput with On-demand Advantage) or use provisioned shards";
const lower = (text: string): string => text.charAt(0).toLowerCase() + text.slice(1);

/** A split or merge is asynchronous: the parent takes the writes until it lands (docs/reference.md §1.4). */
const splitTakesTime = (splitMergeTimeUs: number): string =>
  ` A split takes time (the model's splitMergeTime, ${duration(splitMergeTimeUs / 1000)}; AWS gives no figure, docs/reference.md §1.4) and the shard throttles until it lands: split before the traffic arrives.`;

/** The hot-shard finding's split: where, what each half would take at the shard's peak, and the timeline entry to paste. */
function splitAdvice(split: HotShardSplit, splitMergeTimeUs: number, headroom: number): string {
  const { lower, upper, newStartingHashKey } = split.point;
  const halves = `${pct(lower.utilization)} (lower half${lower.busiestKey === null ? "" : `, busiest key "${lower.busiestKey}"`}) and ${pct(upper.utilization)} (upper half${upper.busiestKey === null ? "" : `, busiest key "${upper.busiestKey}"`})`;
  const tight = [lower.utilization > headroom ? "lower" : "", upper.utilization > headroom ? "upper" : ""].filter((half) => half !== "");
  const headroomNote =
    tight.length === 0
      ? ""
      : ` ${tight.length === 2 ? "Both halves stay" : `The ${tight[0]} half stays`} above ${pct(headroom)} of the limit at the peak, with no headroom for ordinary bursts (the no-headroom finding's threshold): split ${tight.length === 2 ? "them" : "it"} again once this split lands, or use a higher-cardinality key.`;
  return split.fits
    ? ` Split it at NewStartingHashKey ${newStartingHashKey}, the cut between its busy keys that best balances them: at its peak the halves would take ${halves} of the write limit. Timeline entry to paste: \`${split.timelineEntry}\`.${splitTakesTime(splitMergeTimeUs)}${headroomNote}`
    : ` No single split brings both halves under the limit: the best cut, at NewStartingHashKey ${newStartingHashKey}, leaves ${halves} of the write limit at its peak. Use a higher-cardinality partition key (a composite key, or a random suffix on the busiest key), or split again after this split.`;
}

/** The change that closed a hot shard during the run (a split, a merge, a shard count change). */
export interface ClosingReshard {
  readonly action: string;
  readonly askedUs: number;
  readonly landedUs: number;
  readonly origin: "timeline" | "autoscaling";
}

/** A hot shard that a reshard closed: when its throttling happened, and no advice to reshard it again. */
function reshardedAdvice(partition: PartitionResult, closing: ClosingReshard): string {
  const openMs = (closing.landedUs - partition.openedUs) / 1000;
  const beforeAskedMs = (closing.askedUs - partition.openedUs) / 1000;
  const what = closing.origin === "autoscaling" ? `the autoscaling policy's ${closing.action}` : `the timeline's ${closing.action}`;
  return (
    ` It was closed at ${duration(closing.landedUs / 1000)}, when ${what} (asked at ${duration(closing.askedUs / 1000)}) landed: its throttling all came in the ${duration(openMs)} it was open, ` +
    (beforeAskedMs > 0 ? `${duration(beforeAskedMs)} of it before the change was asked and ${duration((closing.landedUs - closing.askedUs) / 1000)} while it was under way.` : "while the change was under way.") +
    (closing.origin === "autoscaling"
      ? " See the autoscaling findings for scaling earlier."
      : " A reshard is asynchronous (docs/reference.md §1.4) and the parent takes the writes until it lands: schedule it before the traffic arrives. The shards that replaced it are judged on their own.")
  );
}

export const kinesisMessages = {
  hotShard: (
    partition: PartitionResult,
    topKey: string | undefined,
    singleKeyTooBig: boolean,
    onDemand: boolean,
    split: HotShardSplit | null = null,
    advice: { splitMergeTimeUs: number; headroom: number; closing: ClosingReshard | null } = { splitMergeTimeUs: 30_000_000, headroom: 0.8, closing: null },
  ) =>
    `${partition.id} peaked at ${pct(partition.peakWriteUtilization)} of its write limit (1 MiB/s or 1,000 records/s) with what producers asked of it` +
    (partition.peakAttemptUtilization > partition.peakWriteUtilization * 1.005 ? `, ${pct(partition.peakAttemptUtilization)} with the retries throttling caused` : "") +
    (partition.throttledAttempts > 0 ? `; ${count(partition.throttledAttempts)} writes to it were throttled` : "") +
    (topKey === undefined ? "." : `; its busiest key is "${topKey}".`) +
    (singleKeyTooBig
      ? " One key carries more than a shard can take, so splitting cannot help: use a higher-cardinality key (a composite key, or a random suffix at the cost of per-key ordering)."
      : onDemand
        ? " On-demand splits a shard busy above 500 KB/s or 500 records/s by itself within 15 minutes (SplitShard is for provisioned streams only); a higher-cardinality partition key spreads the load at once."
        : advice.closing !== null
          ? reshardedAdvice(partition, advice.closing)
          : split === null
            ? ` Split the shard (SplitShard at a hash key between its busy keys) or use a higher-cardinality partition key.${splitTakesTime(advice.splitMergeTimeUs)}`
            : splitAdvice(split, advice.splitMergeTimeUs, advice.headroom)),
  noHeadroom: (utilization: number, shards: number, onDemand: boolean, recordsBind: boolean, counts: { initial: number; final: number } | null = null, autoscaled = false) =>
    `The workload asked for ${pct(utilization)} of the write capacity of the ${shards} ${counts === null ? "open shards" : "shards open"} in its busiest report interval (before retries` +
    (counts === null ? "" : `; ${shards === 1 ? "that is the count then, not the stream's" : "those are the count then, not the stream's"}: it had ${counts.initial} at the start and ${counts.final} at the end`) +
    "), " +
    (utilization >= 1 ? "so the stream is saturated and ordinary bursts throttle: " : "leaving no headroom for ordinary bursts: ") +
    (onDemand
      ? "an on-demand stream absorbs only twice its previous peak at once and takes up to 15 minutes to scale past it; warm it up ahead of the burst or use provisioned shards."
      : autoscaled
        ? "the stream autoscales, so its policy let demand outrun the shards (see the scaling findings, such as scaling-too-late): scale out earlier (a lower threshold, shorter periods or fewer datapoints to alarm, a larger step) or raise minShards before a known peak."
        : "add shards (UpdateShardCount) until the mean stays under 80%.") +
    (recordsBind ? " The records/s limit binds long before the bytes limit: aggregating small records (KPL aggregation) needs far fewer shards." : ""),
  sustainedThrottling: (intervals: number, total: number, share: number, onDemand: boolean) =>
    `Writes were throttled in ${intervals} of ${total} report intervals (${pct(share)} of all put attempts): the producer's retries add load and latency. ${onDemand ? onDemandCapacityAdvice : "Add shards"} or spread the keys.`,
  dropped: (dropped: number, produced: number, recordTtlMs: number | null, onDemand: boolean) =>
    `${count(dropped)} record${dropped === 1 ? "" : "s"} (${shareText(dropped / produced, droppedShareDigits)} of those produced) ${dropped === 1 ? "was" : "were"} dropped ` +
    (recordTtlMs === null
      ? `after the producer ran out of attempts (retry.maxAttempts): raise it, ${onDemand ? lower(onDemandCapacityAdvice) : "add shards"}, or spread the keys.`
      : `when they were older than retry.recordTtl (${duration(recordTtlMs)}), held back by the KPL's rate limit or throttled: ${onDemand ? lower(onDemandCapacityAdvice) : "add shards"}, spread the keys, or raise recordTtl if the wait is acceptable.`),
  expired: (consumer: string, expired: number, retentionUs: number) =>
    `${consumer} lost ${count(expired)} records that expired (retention ${duration(retentionUs / 1000)}) before it read them: process faster, add consumer capacity, or raise the retention period.`,
  fallingBehind: (consumer: string, lagMs: number, maxLagMs: number, growthMsPerSecond: number, backlogSeconds: number, basis: "peaks" | "troughs", cause: BehindCause) =>
    `${consumer} falls behind without recovering: its lag was ${duration(lagMs)} at the end${maxLagMs > lagMs ? ` (${duration(maxLagMs)} at most)` : ""}, ${basis === "peaks" ? "its peaks grew by" : "its lowest lag, right after its reads, grew by"} ${growthMsPerSecond.toFixed(0)} ms per second ${basis === "peaks" ? "over the run after warm-up" : "from one cycle to the next"}, and ${Number.isFinite(backlogSeconds) ? `what was unread at the end would take it about ${duration(backlogSeconds * 1000)} at the pace it read` : "work it never reached was unread at the end"}. ` +
    (cause === "read-throttling"
      ? "Its reads are throttled by the per-shard read limits (see read-throttled): use enhanced fan-out or fewer polling consumers."
      : cause === "poll-limit"
        ? "It reads at most maxRecords per pollInterval from each shard, less than each shard receives: poll more often or raise maxRecords."
        : "Its processing is slower than the arrival rate: speed up processing, or add shards so more workers read in parallel."),
  readThrottled: (consumer: string, throttles: number, calls: number, warning: boolean) =>
    `${consumer} had ${count(throttles)} ${calls > 0 ? `of its ${count(calls)} GetRecords calls (${shareText(throttles / calls)})` : "GetRecords calls"} throttled by the shared per-shard read limits (5 calls/s, 2 MiB/s)` +
    (warning
      ? ": use enhanced fan-out, poll less often, or share the stream among fewer polling consumers."
      : ": an occasional refused call that its reader retries, under 1% of its calls. Should it grow, use enhanced fan-out, poll less often, or share the stream among fewer polling consumers."),
  unevenLoad: (shards: number, idle: number, busiestShare: number, onDemand: boolean) =>
    `The keys spread unevenly over the ${shards} shards: ` +
    (idle > 0 ? `${idle} of them took no records at all, ` : "") +
    `the busiest took ${pct(busiestShare)} of the records (a fair share is ${pct(1 / shards)}). ` +
    (onDemand
      ? "On-demand bills stream-hours and data, not shards, but the busiest shard reaches its limit first; a higher-cardinality key spreads the load."
      : "Capacity is paid for and idle; a higher-cardinality key spreads the load."),
  previousPeakCapped: (peak: string, shardsAsked: number, shardsMax: number) =>
    `${peak} asks on-demand for twice that, ${count(shardsAsked)} shards, above the default maximum of 10 GB/s of writes in us-east-1 (${count(shardsMax)} shards; AWS on-demand quotas): the stream starts and stays at ${count(shardsMax)} shards. A raised quota is not modelled; outside us-east-1, us-west-2 and eu-west-1 the default maximum is 200 MB/s.`,
  reshardRefused: (action: string, reason: string) => `${action} was refused: ${reason}.`,
  scalingTooLate: (throttledSecondsBeforeAlarm: number, throttledSecondsWhileUpdating: number, reactionMs: number, scaleOuts: number) =>
    `Writes were throttled for ${duration(throttledSecondsBeforeAlarm * 1000)} before the scale-out alarm fired` +
    (throttledSecondsWhileUpdating > 0 ? `, and ${duration(throttledSecondsWhileUpdating * 1000)} more while UpdateShardCount was under way` : "") +
    ` (${scaleOuts} scale-out${scaleOuts === 1 ? "" : "s"}): the alarm needs its datapoints to breach, at the soonest ${duration(reactionMs)} after demand rises (datapointsToAlarm x period + the metric's publication delay). ` +
    "Scale out earlier: a lower threshold, shorter periods or fewer datapoints to alarm, a larger step (targetUtilization), or enough shards before a known ramp.",
  scalingOscillation: (reversals: number, shortestGapMs: number, windowMs: number) =>
    `The policy reversed itself ${reversals} time${reversals === 1 ? "" : "s"}: a scale-out and a scale-in ${duration(shortestGapMs)} apart at the closest, within the two cooldowns together (${duration(windowMs)}). ` +
    "Each reversal is a call of the daily UpdateShardCount budget and minutes of UPDATING: widen the gap between the scale-out and scale-in thresholds, ask more datapoints of the scale-in alarm, or lengthen the scale-in cooldown.",
  scalingBudgetExhausted: (refusedCalls: number, firstAtMs: number, perDay: number) =>
    `${count(refusedCalls)} UpdateShardCount call${refusedCalls === 1 ? " was" : "s were"} refused because ${perDay} scalings had been made in the rolling 24 hours (LimitExceededException), the first at ${duration(firstAtMs)}: ` +
    "the stream stays at its count until the oldest call ages out. Scale in bigger, rarer steps, or make the scale-in alarm slower so each day keeps calls for the scale-outs that matter.",
  scalingCannotFixHotKey: (shardId: string, key: string) =>
    `${shardId} is throttled by one key, "${key}", that alone asks more than a shard takes (1 MiB/s or 1,000 records/s): UpdateShardCount spreads the hash space evenly, so no shard count gives that key more than one shard, and an alarm on the stream's total may not even fire. ` +
    "Spread the key (a composite or suffixed key) or aggregate its records (KPL); scaling adds cost, not capacity, for it.",
} as const;
