// What the Kinesis model flags, detected from its own limits and counts. Wording lives in messages.ts.

import { droppedSeverity, fairDemandWithin, fallingBehind, openUsWithin, maxLagMs, type ConsumerResult, type CounterSeries, type Finding, type KinesisResult, type PartitionResult, type SystemResult } from "../metrics/index.ts";
import type { KinesisSystem } from "../scenario/types.ts";
import { flinkConsumerFindings } from "../flink/index.ts";
import { lambdaConsumerFindings } from "./lambda-findings.ts";
import { kinesisSourcePollIntervalUs } from "../firehose-delivery/index.ts";
import { firehoseConsumerFindings } from "./firehose-findings.ts";
import { leaseTableFindings } from "./lease-findings.ts";
import { readThrottledShare, readThrottledShareWarning } from "./read-throttling.ts";
import { autoscalingFindings } from "./autoscaling-findings.ts";
import { onDemandMaxShards, onDemandPeakMultiple, shardWriteBytesPerSecond, shardWriteRecordsPerSecond } from "./limits.ts";
import { kinesisMessages as say, type BehindCause, type ClosingReshard } from "./messages.ts";
import type { ReshardEvent } from "./resharding.ts";
import { hotShardSplit, type SplitContext } from "./split-finding.ts";

/**
 * A shard is hot when, in some report interval, its offered load passed its limit while it took at
 * least 1.3 times a fair share of the demand (the demand spread evenly over the shards open at each
 * instant, each shard counted for the part of the interval it was open): overload spread evenly is a
 * sizing problem, reported as no-headroom, not a hot shard.
 */
const hotUtilization = 1.0;
const hotShareOfFair = 1.3;
/** Mean utilization above this leaves no headroom for ordinary bursts; at or above 1 the stream is saturated. */
const headroomUtilization = 0.8;
/** Throttling in at least this share of report intervals is sustained. */
const sustainedShare = 0.25;

export function kinesisFindings(
  result: KinesisResult,
  system: KinesisSystem,
  reshards: ReshardEvent[],
  context: { warmupUs: number; durationUs: number },
  split: SplitContext | null = null,
): Finding[] {
  const onDemand = system.capacity.mode === "on-demand";
  // SplitShard is for provisioned streams only (docs/reference.md §1.5): on-demand splits its own shards.
  const advice = { splitMergeTimeUs: system.resharding.splitMergeTime, reshards };
  const hot = hotShards(result.partitions, context.durationUs, onDemand, onDemand ? null : split, advice);
  // "Capacity is paid for and idle" beside a shard throttled for being hot says the same skew twice, the milder way.
  const criticalHot = hot.some((finding) => finding.severity === "critical");
  return [
    ...hot,
    ...(criticalHot ? [] : unevenLoad(result.partitions, onDemand)),
    ...previousPeakCapped(system),
    ...headroom(result, onDemand, result.autoscaling !== undefined),
    ...sustainedThrottling(result, onDemand),
    ...loss(result, system.producer.retry.policy === "ttl" ? system.producer.retry.recordTtl / 1000 : null, onDemand),
    ...result.consumers.flatMap((consumer) => consumerFindings(consumer, system, context, arrivalsPerShard(result, context), result.partitions, result.consumers)),
    ...reshards.filter((event) => event.outcome === "refused" && event.origin === "timeline").map((event) => refusedReshard(event)),
    ...Object.entries(result.usage.leaseTables ?? {}).flatMap(([consumer, table]) => leaseTableFindings(consumer, table, (context.durationUs - context.warmupUs) / 1e6)),
    ...(result.autoscaling === undefined ? [] : autoscalingFindings(result.autoscaling, hot)),
  ];
}

function hotShards(
  partitions: PartitionResult[],
  durationUs: number,
  onDemand: boolean,
  splitContext: SplitContext | null,
  advice: { splitMergeTimeUs: number; reshards: ReshardEvent[] },
): Finding[] {
  const fairAt = fairDemandByInterval(partitions);
  return partitions
    .map((partition) => ({ partition, share: peakShareOfFairWhenOver(partition, partitions, fairAt) }))
    .filter(({ share }) => share >= hotShareOfFair)
    .sort((a, b) => b.partition.peakWriteUtilization - a.partition.peakWriteUtilization || b.partition.peakAttemptUtilization - a.partition.peakAttemptUtilization)
    .map(({ partition, share }) => {
      const top = partition.topKeys[0];
      // One key alone above a shard's records or bytes limit on average (at the shard's mean record
      // size): no split can isolate it enough.
      const keyRecordsPerSecond = top === undefined ? 0 : top.records / (durationUs / 1e6);
      const bytesPerRecord = partition.acceptedRecords > 0 ? partition.acceptedBytes / partition.acceptedRecords : 0;
      const singleKeyTooBig = keyRecordsPerSecond > shardWriteRecordsPerSecond || keyRecordsPerSecond * bytesPerRecord > shardWriteBytesPerSecond;
      const split = singleKeyTooBig || splitContext === null ? null : hotShardSplit(partition, splitContext);
      // On-demand splits its own shards (its message says so); a provisioned stream's reshards are the scenario's or its policy's.
      const closing = onDemand ? null : closingReshard(partition, advice.reshards);
      return {
        severity: partition.throttledAttempts > 0 ? "critical" : "warning",
        code: "hot-shard",
        subject: partition.id,
        message: say.hotShard(partition, top?.key, singleKeyTooBig, onDemand, split, { splitMergeTimeUs: advice.splitMergeTimeUs, headroom: headroomUtilization, closing }),
        evidence: {
          peakWriteUtilization: round(partition.peakWriteUtilization),
          peakAttemptUtilization: round(partition.peakAttemptUtilization),
          demandShareOfFair: round(share),
          throttledAttempts: partition.throttledAttempts,
          acceptedRecords: partition.acceptedRecords,
          topKey: top?.key ?? "",
          topKeyRecords: top?.records ?? 0,
          // 1 when the busiest key alone is over a shard's limit: no shard count spreads it.
          topKeyOverShardLimit: singleKeyTooBig ? 1 : 0,
          // A shard a reshard closed during the run: when, and how long it was open (all its throttling came then).
          ...(closing === null ? {} : { closedBy: closing.action, closedAtSeconds: closing.landedUs / 1e6, reshardAskedAtSeconds: closing.askedUs / 1e6, openSeconds: (closing.landedUs - partition.openedUs) / 1e6 }),
          ...(split === null
            ? {}
            : {
                splitNewStartingHashKey: split.point.newStartingHashKey.toString(),
                splitLowerUtilization: round(split.point.lower.utilization),
                splitUpperUtilization: round(split.point.upper.utilization),
                splitTimelineEntry: split.timelineEntry,
              }),
        },
      };
    });
}

/** The change that closed `partition` during the run (it landed the instant the shard closed), or null for a shard open at the end. */
function closingReshard(partition: PartitionResult, reshards: ReshardEvent[]): ClosingReshard | null {
  if (partition.closedUs === null) return null;
  const event = reshards.find((candidate) => candidate.outcome === "done" && candidate.atUs === partition.closedUs);
  return event === undefined ? null : { action: event.action, askedUs: event.askedUs, landedUs: event.atUs, origin: event.origin };
}

/**
 * The largest demand share over a fair share among the intervals in which the shard was over its limit
 * (attempts, retries included: what throttles). The fair share counts each shard for the part of the
 * interval it was open, beside the shards open then (fairDemandWithin): counting every shard open in
 * any part of the interval as a whole one made the children of a reshard look 1.7 times their fair
 * share beside parents that closed 2 s into it.
 */
function peakShareOfFairWhenOver(partition: PartitionResult, partitions: PartitionResult[], fairAt: (i: number) => Float64Array): number {
  let peak = 0;
  const demand = partition.series.demandRecords;
  const index = partitions.indexOf(partition);
  for (let i = 0; i < demand.intervalCount; i++) {
    if (partition.attemptUtilization[i] <= hotUtilization) continue;
    const fair = fairAt(i)[index];
    if (fair > 0) peak = Math.max(peak, demand.sumAt(i) / fair);
  }
  return peak;
}

/** Each shard's fair part of an interval's demand (records, first attempts), computed once per interval asked for. */
function fairDemandByInterval(partitions: PartitionResult[]): (i: number) => Float64Array {
  const cache = new Map<number, Float64Array>();
  return (i) => {
    let fair = cache.get(i);
    if (fair === undefined) {
      const series = partitions[0].series.demandRecords;
      const startUs = series.startUsAt(i);
      const total = partitions.reduce((sum, partition) => sum + partition.series.demandRecords.sumAt(i), 0);
      fair = fairDemandWithin(partitions, startUs, startUs + series.durationUsAt(i), total);
      cache.set(i, fair);
    }
    return fair;
  };
}

/**
 * Keys spread over few shards: shards open the whole run (and never hot) that took no records, or a
 * shard taking more than twice a fair share. Not a throttling problem (yet): capacity paid for and idle.
 */
function unevenLoad(partitions: PartitionResult[], onDemand: boolean): Finding[] {
  const steady = partitions.filter((p) => p.openedUs === 0 && p.closedUs === null);
  if (steady.length < 2) return [];
  const demand = steady.map((p) => p.series.demandRecords.total);
  const total = demand.reduce((sum, value) => sum + value, 0);
  if (total === 0) return [];
  const fair = total / steady.length;
  const idle = demand.filter((value) => value === 0).length;
  const busiest = Math.max(...demand);
  if (idle === 0 && busiest < 2 * fair) return [];
  return [
    {
      severity: "info",
      code: "uneven-load",
      subject: "stream",
      message: say.unevenLoad(steady.length, idle, busiest / total, onDemand),
      evidence: { shards: steady.length, shardsWithoutRecords: idle, busiestShardShare: round(busiest / total), fairShare: round(1 / steady.length) },
    },
  ];
}

/**
 * An on-demand stream given a previous peak whose double is above the default maximum starts at that
 * maximum (docs/reference.md §1.5): said, not silently capped.
 */
function previousPeakCapped(system: KinesisSystem): Finding[] {
  const capacity = system.capacity;
  if (capacity.mode !== "on-demand") return [];
  const peakBytes = capacity.previousPeakWrite ?? 0;
  const peakRecords = capacity.previousPeakRecords ?? 0;
  const forBytes = Math.ceil((onDemandPeakMultiple * peakBytes) / shardWriteBytesPerSecond);
  const forRecords = Math.ceil((onDemandPeakMultiple * peakRecords) / shardWriteRecordsPerSecond);
  const shardsAsked = Math.max(forBytes, forRecords);
  if (shardsAsked <= onDemandMaxShards) return [];
  return [
    {
      severity: "info",
      code: "previous-peak-capped",
      subject: "stream",
      message: say.previousPeakCapped(forBytes >= forRecords ? `previousPeakWrite ${(peakBytes / 1e6).toFixed(0)} MB/s` : `previousPeakRecords ${Math.round(peakRecords).toLocaleString("en-US")} records/s`, shardsAsked, onDemandMaxShards),
      evidence: { previousPeakWriteBytesPerSecond: peakBytes, previousPeakRecordsPerSecond: peakRecords, shardsAsked, shardsMax: onDemandMaxShards },
    },
  ];
}

/**
 * The workload's demand (first attempts, before retries) over the capacity of the shards open in each
 * report interval, the busiest interval taken: a sizing verdict that skew and retries do not blur.
 */
function headroom(result: KinesisResult, onDemand: boolean, autoscaled: boolean): Finding[] {
  const records = result.series.DemandRecords as CounterSeries;
  const bytes = result.series.DemandBytes as CounterSeries;
  let busiest = 0;
  let busiestShards = 0;
  let recordsBind = false;
  for (let i = 0; i < records.intervalCount; i++) {
    const startUs = records.startUsAt(i);
    const stopUs = startUs + records.durationUsAt(i);
    // Capacity in shard-seconds: shards opened or closed inside the interval count for their part of it.
    let shardSeconds = 0;
    for (const p of result.partitions) {
      const from = Math.max(startUs, p.openedUs);
      const to = Math.min(stopUs, p.closedUs ?? stopUs);
      if (to > from) shardSeconds += (to - from) / 1e6;
    }
    if (shardSeconds === 0) continue;
    const recordsRatio = records.sumAt(i) / (shardSeconds * shardWriteRecordsPerSecond);
    const bytesRatio = bytes.sumAt(i) / (shardSeconds * shardWriteBytesPerSecond);
    if (Math.max(recordsRatio, bytesRatio) > busiest) {
      busiest = Math.max(recordsRatio, bytesRatio);
      busiestShards = Math.round(shardSeconds / (records.durationUsAt(i) / 1e6));
      recordsBind = recordsRatio > 2 * bytesRatio;
    }
  }
  if (busiest < headroomUtilization) return [];
  // A stream resharded during the run: the count in the busiest interval is not the stream's count, so both ends are said.
  const initial = result.partitions.filter((p) => p.openedUs === 0).length;
  const final = result.partitions.filter((p) => p.closedUs === null).length;
  const resharded = result.partitions.some((p) => p.openedUs > 0 || p.closedUs !== null);
  return [
    {
      severity: busiest >= 1 ? "critical" : "warning",
      code: "no-headroom",
      subject: "stream",
      message: say.noHeadroom(busiest, busiestShards, onDemand, recordsBind, resharded ? { initial, final } : null, autoscaled),
      evidence: {
        demandOverCapacity: round(busiest),
        openShards: busiestShards,
        limitThatBinds: recordsBind ? "records" : "bytes or records",
        shardLimitRecordsPerSecond: shardWriteRecordsPerSecond,
        shardLimitBytesPerSecond: shardWriteBytesPerSecond,
        ...(resharded ? { initialShards: initial, finalOpenShards: final } : {}),
        ...(autoscaled ? { autoscaled: 1 } : {}),
      },
    },
  ];
}

function sustainedThrottling(result: KinesisResult, onDemand: boolean): Finding[] {
  const throttled = result.series.WriteProvisionedThroughputExceeded;
  if (throttled === undefined || result.records.throttledAttempts === 0 || !("sumAt" in throttled)) return [];
  let intervalsThrottled = 0;
  for (let i = 0; i < throttled.intervalCount; i++) if (throttled.sumAt(i) > 0) intervalsThrottled++;
  const share = intervalsThrottled / throttled.intervalCount;
  if (share < sustainedShare) return [];
  const attempts = result.records.accepted + result.records.throttledAttempts;
  return [
    {
      severity: "warning",
      code: "sustained-throttling",
      subject: "stream",
      message: say.sustainedThrottling(intervalsThrottled, throttled.intervalCount, result.records.throttledAttempts / attempts, onDemand),
      evidence: { intervalsThrottled, intervals: throttled.intervalCount, throttledAttempts: result.records.throttledAttempts, attempts },
    },
  ];
}

function loss(result: SystemResult, recordTtlMs: number | null, onDemand: boolean): Finding[] {
  if (result.records.dropped === 0) return [];
  return [
    {
      severity: droppedSeverity(result.records.dropped, result.records.produced),
      code: "records-dropped",
      subject: "producer",
      message: say.dropped(result.records.dropped, result.records.produced, recordTtlMs, onDemand),
      evidence: { dropped: result.records.dropped, produced: result.records.produced },
    },
  ];
}

function consumerFindings(
  consumer: ConsumerResult,
  system: KinesisSystem,
  context: { warmupUs: number; durationUs: number },
  arrivalsPerShardPerSecond: number,
  partitions: PartitionResult[],
  all: ConsumerResult[],
): Finding[] {
  const findings: Finding[] = [];
  if (consumer.records.expired > 0) {
    findings.push({
      severity: "critical",
      code: "records-expired",
      subject: consumer.name,
      message: say.expired(consumer.name, consumer.records.expired, system.retention),
      evidence: { expired: consumer.records.expired },
    });
  }
  const settings = system.consumers.find((c) => c.name === consumer.name);
  if (settings?.type === "flink") {
    findings.push(...flinkConsumerFindings(consumer, context, settings.efo ? 0 : settings.pollInterval));
    return [...findings, ...readThrottled(consumer)];
  }
  if (settings?.type === "lambda") {
    findings.push(...lambdaConsumerFindings(consumer, settings, { ...context, retentionUs: system.retention }, arrivalsPerShardPerSecond, partitions));
    return [...findings, ...readThrottled(consumer)];
  }
  if (settings?.type === "firehose") findings.push(...firehoseConsumerFindings(consumer, settings, system, all, context));
  const windowSeconds = (context.durationUs - context.warmupUs) / 1e6;
  // A Firehose consumer's lag climbs for a buffer interval before each flush, after its once-a-second reads (docs/reference.md §7.5).
  const cycleUs = settings?.type === "polling" ? settings.pollInterval : settings?.type === "firehose" ? settings.buffering.interval + kinesisSourcePollIntervalUs : 0;
  const behind = fallingBehind(consumer.lagSamples, context, { cycleUs, unread: consumer.records.unread, consumedPerSecond: consumer.records.consumed / windowSeconds });
  if (behind !== null) {
    const cause = behindCause(consumer, settings, arrivalsPerShardPerSecond);
    findings.push({
      severity: "critical",
      code: "consumer-falling-behind",
      subject: consumer.name,
      message: say.fallingBehind(consumer.name, behind.finalLagMs, maxLagMs(consumer), behind.growthMsPerSecond, behind.backlogSeconds, behind.basis, cause),
      evidence: { finalLagMs: round(behind.finalLagMs), maxLagMs: round(maxLagMs(consumer)), lagGrowthMsPerSecond: round(behind.growthMsPerSecond), basis: behind.basis, backlogSeconds: Number.isFinite(behind.backlogSeconds) ? round(behind.backlogSeconds) : "nothing consumed", unread: consumer.records.unread, cause },
    });
  }
  return [...findings, ...readThrottled(consumer)];
}

export function readThrottled(consumer: Pick<ConsumerResult, "name" | "readThrottles" | "readCalls">): Finding[] {
  if (consumer.readThrottles === 0) return [];
  const share = readThrottledShare(consumer);
  const warning = share >= readThrottledShareWarning;
  return [
    {
      severity: warning ? "warning" : "info",
      code: "read-throttled",
      subject: consumer.name,
      message: say.readThrottled(consumer.name, consumer.readThrottles, consumer.readCalls, warning),
      evidence: { readThrottles: consumer.readThrottles, readCalls: consumer.readCalls, throttledShare: Number(share.toFixed(6)) },
    },
  ];
}

/**
 * Records accepted per shard-second over the run: what each shard's reader must keep up with on
 * average. A resharded stream's shards count for the time each was open (dividing by the shards open
 * at the end understated a stream that grew, and overstated one that shrank).
 */
export function arrivalsPerShard(result: Pick<KinesisResult, "partitions" | "records">, context: { durationUs: number }): number {
  const shardSeconds = result.partitions.reduce((sum, partition) => sum + openUsWithin(partition, 0, context.durationUs), 0) / 1e6;
  return shardSeconds > 0 ? result.records.accepted / shardSeconds : 0;
}

/**
 * Why a consumer falls behind, where the model can tell: throttled reads; a polling reader whose
 * maxRecords per pollInterval is below the shard's arrivals; else its processing.
 */
export function behindCause(consumer: Pick<ConsumerResult, "readThrottles" | "readCalls">, settings: KinesisSystem["consumers"][number] | undefined, arrivalsPerShardPerSecond: number): BehindCause {
  if (readThrottledShare(consumer) >= readThrottledShareWarning) return "read-throttling";
  if (settings?.type === "polling" && settings.maxRecords / (settings.pollInterval / 1e6) < arrivalsPerShardPerSecond) return "poll-limit";
  return "processing";
}

function refusedReshard(event: ReshardEvent): Finding {
  return {
    severity: "warning",
    code: "reshard-refused",
    subject: "stream",
    message: say.reshardRefused(event.action, event.detail),
    evidence: { atSeconds: event.atUs / 1e6, openShards: event.openShards },
  };
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
