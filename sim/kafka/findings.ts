// What the Kafka model flags, from its brokers, partitions and groups. Wording lives in messages.ts.

import { droppedSeverity, fallingBehind, maxLagMs, type ConsumerResult, type Finding, type PartitionResult, type SystemResult } from "../metrics/index.ts";
import { brokerResources, type Broker } from "./broker.ts";
import type { ConsumerGroup } from "./group.ts";
import type { Partition } from "./partition.ts";
import { electionOnly, kafkaMessages as say, type Outage, type RebalancePause } from "./messages.ts";
import { mskPartitionReplicasPerBroker } from "./limits.ts";
import { resourceUtilization } from "./results.ts";

/** A partition taking at least twice a fair share of the records is hot (beyond what hashing gives by chance). */
const hotShareOfFair = 2;
/** Hot partitions named one by one; the others are summed up in one finding. */
const hotPartitionsListed = 5;
/** A broker busy this much of an interval queues noticeably; at or above 0.95 it is saturated. */
const busyUtilization = 0.8;

export interface KafkaEvents {
  partitions: Partition[];
  keysMoved: Array<{ atUs: number; from: number; to: number; movedShare: number }>;
}

export function kafkaFindings(
  result: SystemResult,
  brokers: Broker[],
  groups: ConsumerGroup[],
  events: KafkaEvents,
  context: { warmupUs: number; durationUs: number },
): Finding[] {
  return [
    ...hotPartitions(result),
    ...busyBrokers(brokers),
    ...availability(events.partitions),
    ...quotaThrottling(result),
    ...loss(result, events.partitions, brokers),
    ...partitionReplicasPerBroker(result, events.partitions, brokers.length),
    ...events.keysMoved.map((move) => ({
      severity: "warning" as const,
      code: "keys-moved",
      subject: "topic",
      message: say.keysMoved(move.from, move.to, move.movedShare),
      evidence: { atSeconds: move.atUs / 1e6, partitionsBefore: move.from, partitionsAfter: move.to, movedShare: round(move.movedShare) },
    })),
    ...groups.flatMap((group, index) => groupFindings(group, result.consumers[index], arrivalsOf(result, context.durationUs), context)),
  ];
}

/**
 * Hot partitions: at least twice a fair share of the records, and more than a uniform hash of the
 * offered keys gives a partition by chance, or a busiest key taking more than twice an average key's
 * share (and more than its records' sampling gives one of K keys by chance, the same Poisson tail). K equally busy keys hashed into P partitions put about
 * Poisson(K/P) keys in each; with many partitions some hold 2 or 3 times the mean by chance alone
 * (balls into bins). The bound is the fewest keys m that fewer than 5% of runs would see in any
 * partition (P x Pr[Poisson(K/P) >= m] <= 0.05), as a share m/K. The list names the busiest few;
 * the rest are summed up in one finding.
 */
function hotPartitions(result: SystemResult): Finding[] {
  const total = result.partitions.reduce((sum, partition) => sum + partition.acceptedRecords, 0);
  const count = result.partitions.length;
  if (total === 0 || count < 2) return [];
  const chanceShare = chanceMaxShare(Number(result.facts.offeredKeys ?? 0), count);
  const fairTwice = hotShareOfFair / count;
  // One key busier than twice an average key, beyond what sampling its records gives by chance, makes
  // its partition hot whatever the hash does (a skewed key, such as one country of a dozen).
  const keys = Number(result.facts.offeredKeys ?? 0);
  const skewedKeyShare = keys > 0 ? Math.max(2 / keys, chanceMaxShare(total, keys)) : Infinity;
  const beyondChance = (partition: PartitionResult) => partition.acceptedRecords / total > chanceShare || (partition.topKeys[0]?.records ?? 0) / total > skewedKeyShare;
  const hot = result.partitions
    .filter((partition) => partition.acceptedRecords / total >= fairTwice && beyondChance(partition))
    .sort((a, b) => b.acceptedRecords - a.acceptedRecords);
  const findings: Finding[] = hot.slice(0, hotPartitionsListed).map((partition) => {
    const share = partition.acceptedRecords / total;
    const top = partition.topKeys[0];
    return {
      severity: "warning",
      code: "hot-partition",
      subject: partition.id,
      message: say.hotPartition(partition.id, share, count, top?.key),
      evidence: { share: round(share), fairShare: round(1 / count), chanceShare: round(chanceShare), acceptedRecords: partition.acceptedRecords, topKey: top?.key ?? "", topKeyRecords: top?.records ?? 0 },
    };
  });
  const rest = hot.slice(hotPartitionsListed);
  if (rest.length > 0) {
    const restShare = rest.reduce((sum, partition) => sum + partition.acceptedRecords, 0) / total;
    findings.push({
      severity: "warning",
      code: "hot-partition",
      subject: `${rest.length} more partitions`,
      message: say.moreHotPartitions(rest.length, restShare, count),
      evidence: { partitions: rest.length, share: round(restShare), fairShare: round(1 / count), chanceShare: round(chanceShare) },
    });
  }
  return findings;
}

/**
 * The largest share of the records a partition takes by chance when `keys` equally busy keys are hashed
 * uniformly into `partitions`. 0 when the keys are unknown, and when there are at most half as many
 * keys as partitions: one average key then takes twice a fair share, and the partitions holding keys
 * are hot by design, not chance (one key: one partition takes everything). Above a mean of 100 keys a partition,
 * chance stays well under twice a fair share (the Poisson tail at 5% over 10,000 partitions is
 * about 1.5 times the mean), so the bound is not needed there.
 */
export function chanceMaxShare(keys: number, partitions: number): number {
  if (keys <= 0) return 0;
  const mean = keys / partitions;
  if (mean <= 0.5 || mean >= 100) return 0;
  let pmf = Math.exp(-mean);
  let below = 0;
  let m = 0;
  // Smallest m with partitions x Pr[X >= m] <= 0.05, X ~ Poisson(mean).
  while (partitions * (1 - below) > 0.05 && m <= keys) {
    below += pmf;
    m++;
    pmf *= mean / m;
  }
  return m / keys;
}

function availability(partitions: Partition[]): Finding[] {
  const findings: Finding[] = [];
  // Offline (no live leader) or refusing acks=all writes (NotEnoughReplicas): either way writes fail.
  const outageUs = (partition: Partition) => partition.offlineUs + partition.refusingWritesUs;
  const offline = partitions.filter((partition) => outageUs(partition) > 0);
  if (offline.length > 0) {
    const seconds = Math.max(...offline.map(outageUs)) / 1e6;
    // The leader election alone is the failover working (producers retry through it): a warning.
    findings.push({
      severity: electionOnly(outageOf(partitions)!) ? "warning" : "critical",
      code: "partitions-unavailable",
      subject: offline.map((partition) => partition.id).join(", "),
      message: say.unavailable(offline.length, seconds, outageOf(partitions)!),
      evidence: { partitions: offline.length, longestSeconds: seconds, ...outageEvidence(outageOf(partitions)!) },
    });
  }
  const under = partitions.filter((partition) => partition.underReplicatedUs > 0);
  if (under.length > 0) {
    const seconds = Math.max(...under.map((partition) => partition.underReplicatedUs)) / 1e6;
    findings.push({
      severity: "warning",
      code: "under-replicated",
      subject: `${under.length} partitions`,
      message: say.underReplicated(under.length, seconds),
      evidence: { partitions: under.length, longestSeconds: seconds },
    });
  }
  return findings;
}

/** How long the topic's partitions refused writes (the longest of each kind), or null if they never did. */
function outageOf(partitions: Partition[]): Outage | null {
  const offlineUs = Math.max(0, ...partitions.map((partition) => partition.offlineUs));
  const belowUs = Math.max(0, ...partitions.map((partition) => partition.refusingWritesUs));
  if (offlineUs === 0 && belowUs === 0) return null;
  return { offlineSeconds: offlineUs / 1e6, belowMinIsrSeconds: belowUs / 1e6, replicationFactor: partitions[0].replicas.length, minInsyncReplicas: partitions[0].minInsyncForWrites };
}

function outageEvidence(outage: Outage | null): Record<string, number> {
  return outage === null ? {} : { noLeaderSeconds: round(outage.offlineSeconds), belowMinIsrSeconds: round(outage.belowMinIsrSeconds) };
}

function quotaThrottling(result: SystemResult): Finding[] {
  const seconds = Number(result.facts.produceThrottleSeconds ?? 0);
  if (seconds === 0) return [];
  return [
    {
      severity: "warning",
      code: "quota-throttled",
      subject: "producer",
      message: say.quotaThrottled(seconds),
      evidence: { throttleSeconds: seconds },
    },
  ];
}

function loss(result: SystemResult, partitions: Partition[], brokers: Broker[]): Finding[] {
  const findings: Finding[] = [];
  const outage = outageOf(partitions);
  const r = result.records;
  const exhausted = Number(result.facts.bufferExhaustedRecords ?? 0);
  const timedOut = r.dropped - exhausted;
  if (timedOut > 0) {
    findings.push({ severity: droppedSeverity(timedOut, r.produced), code: "records-dropped", subject: "producer", message: say.dropped(timedOut, r.produced, outage), evidence: { dropped: timedOut, produced: r.produced, ...outageEvidence(outage) } });
  }
  if (exhausted > 0) {
    const blockedSeconds = Number(result.facts.sendBlockedSeconds ?? 0);
    const saturated = brokers.some((broker) => resourceUtilization(broker).some((series) => series.some((value) => value >= busyUtilization)));
    findings.push({
      severity: droppedSeverity(exhausted, r.produced),
      code: "buffer-exhausted",
      subject: "producer",
      message: say.bufferExhausted(exhausted, r.produced, blockedSeconds, outage, saturated),
      evidence: { dropped: exhausted, produced: r.produced, sendBlockedSeconds: blockedSeconds, cause: outage === null ? "capacity" : saturated ? "outage and capacity" : "outage", ...outageEvidence(outage) },
    });
  }
  // Lost from the topic (a group may have consumed some of them before they went): failovers to an
  // in-sync follower that lacked acks 0/1 records, and unclean elections of an out-of-sync replica.
  const failover = partitions.reduce((sum, partition) => sum + partition.lostRecords, 0);
  const uncleanElection = partitions.reduce((sum, partition) => sum + partition.uncleanLostRecords, 0);
  const lost = failover + uncleanElection;
  if (lost > 0) {
    findings.push({ severity: "critical", code: "records-lost", subject: "topic", message: say.lost(failover, uncleanElection, String(result.facts.acks), Number(result.facts.replicationFactor)), evidence: { lost, failover, uncleanElection } });
  }
  return findings;
}

/** Brokers holding more partition replicas than MSK recommends for their instance type (docs/reference.md §3.3). */
function partitionReplicasPerBroker(result: SystemResult, partitions: Partition[], brokerCount: number): Finding[] {
  const instanceType = String(result.facts.instanceType);
  const limits = mskPartitionReplicasPerBroker(instanceType);
  if (limits === null) return [];
  const { recommended, updatable } = limits;
  const replicas = new Array<number>(brokerCount).fill(0);
  for (const partition of partitions) for (const broker of partition.replicas) replicas[broker]++;
  return replicas.flatMap((count, broker) =>
    count <= recommended
      ? []
      : [{ severity: "warning" as const, code: "partitions-per-broker", subject: `broker-${broker}`, message: say.partitionReplicasPerBroker(broker, count, instanceType, recommended, updatable), evidence: { partitionReplicas: count, recommendedMax: recommended, updatableMax: updatable, instanceType } }],
  );
}

function busyBrokers(brokers: Broker[]): Finding[] {
  return brokers.flatMap((broker) => {
    // The binding resource is the one with the highest peak interval.
    const peaks = resourceUtilization(broker).map((series) => series.reduce((max, value) => Math.max(max, value), 0));
    const binding = peaks.indexOf(Math.max(...peaks));
    const peak = peaks[binding];
    if (peak < busyUtilization) return [];
    const evidence: Record<string, number | string> = { peakUtilization: round(peak), resource: brokerResources[binding] };
    brokerResources.forEach((name, index) => (evidence[`peak${name}`] = round(peaks[index])));
    return [
      {
        severity: peak >= 0.95 ? "critical" : "warning",
        code: "saturated-broker",
        subject: `broker-${broker.index}`,
        message: say.saturatedBroker(broker.index, peak, brokerResources[binding]),
        evidence,
      },
    ];
  });
}

/**
 * Why a group falls behind: its members (at most one per partition, and one alone on the busiest
 * partition) could not process the arrivals even with no wait between polls, or they could and the
 * fetches (maxPartitionFetchBytes per partition per round trip) are what binds.
 */
function behindCause(group: ConsumerGroup, arrivals: Arrivals): "processing" | "fetch" {
  const s = group.settings;
  const perRecordUs = s.perRecordUs + s.perBatchUs / s.maxPollRecords;
  if (perRecordUs === 0) return "fetch";
  const memberPerSecond = 1e6 / perRecordUs;
  const members = Math.min(s.consumers, arrivals.partitions);
  return arrivals.busiestPartitionPerSecond > memberPerSecond || arrivals.perSecond > members * memberPerSecond ? "processing" : "fetch";
}

/** Records accepted per second, over the topic and on its busiest partition, averaged over the run. */
interface Arrivals {
  partitions: number;
  perSecond: number;
  busiestPartitionPerSecond: number;
}

function arrivalsOf(result: SystemResult, durationUs: number): Arrivals {
  const seconds = durationUs / 1e6;
  const busiest = result.partitions.reduce((max, partition) => Math.max(max, partition.acceptedRecords), 0);
  return { partitions: result.partitions.length, perSecond: result.records.accepted / seconds, busiestPartitionPerSecond: busiest / seconds };
}

function groupFindings(group: ConsumerGroup, consumer: ConsumerResult, arrivals: Arrivals, context: { warmupUs: number; durationUs: number }): Finding[] {
  const findings: Finding[] = [];
  const idle = group.idleMemberIds.length;
  if (idle > 0) {
    findings.push({ severity: "warning", code: "idle-consumers", subject: consumer.name, message: say.idleConsumers(consumer.name, idle, arrivals.partitions), evidence: { idleConsumers: idle, partitions: arrivals.partitions } });
  }
  if (consumer.records.expired > 0) {
    findings.push({ severity: "critical", code: "records-expired", subject: consumer.name, message: say.expired(consumer.name, consumer.records.expired), evidence: { expired: consumer.records.expired } });
  }
  const windowSeconds = (context.durationUs - context.warmupUs) / 1e6;
  const cycle = { cycleUs: group.settings.fetchMaxWaitUs, unread: consumer.records.unread, consumedPerSecond: consumer.records.consumed / windowSeconds };
  const trend = fallingBehind(consumer.lagSamples, context, cycle);
  if (trend !== null) {
    const cause = behindCause(group, arrivals);
    findings.push({
      severity: "critical",
      code: "consumer-falling-behind",
      subject: consumer.name,
      message: say.fallingBehind(consumer.name, trend.finalLagMs, maxLagMs(consumer), trend.growthMsPerSecond, trend.backlogSeconds, trend.basis, cause),
      evidence: { finalLagMs: round(trend.finalLagMs), maxLagMs: round(maxLagMs(consumer)), lagGrowthMsPerSecond: round(trend.growthMsPerSecond), basis: trend.basis, backlogSeconds: Number.isFinite(trend.backlogSeconds) ? round(trend.backlogSeconds) : "nothing consumed", unread: consumer.records.unread, cause },
    });
  }
  if (group.log.lostToOffsetReset > 0) {
    const firstAtSeconds = group.log.firstOffsetResetUs / 1e6;
    findings.push({
      severity: "critical",
      code: "offset-reset",
      subject: consumer.name,
      message: say.offsetReset(consumer.name, group.log.offsetResets, firstAtSeconds, group.log.lostToOffsetReset),
      evidence: { resets: group.log.offsetResets, firstResetSeconds: round(firstAtSeconds), skipped: group.log.lostToOffsetReset, autoOffsetReset: group.settings.autoOffsetReset },
    });
  }
  findings.push(...pollDeadlines(group, consumer));
  if (group.rebalances > 0 && consumer.records.duplicates > 0) {
    const stopSeconds = group.rebalanceStopUs / 1e6;
    const pause = rebalancePause(group);
    findings.push({
      severity: "warning",
      code: "rebalance-reprocessed",
      subject: consumer.name,
      message: say.rebalanceReprocessed(consumer.name, group.settings.assignment, group.rebalances, consumer.records.duplicates, stopSeconds, group.partitionsRevoked, pause),
      evidence: { assignment: group.settings.assignment, rebalances: group.rebalances, duplicates: consumer.records.duplicates, groupStoppedSeconds: round(stopSeconds), partitionsRevoked: group.partitionsRevoked, ...pause },
    });
  }
  return findings;
}

/** Where the group's rebalance time went (docs/reference.md §3.4): heartbeat, processing to the next poll, waiting for a member in a long poll, or protocol. */
function rebalancePause(group: ConsumerGroup): RebalancePause {
  const { detectionUs, heartbeatUs, processingUs, waitingUs, protocolUs, mostly } = group.pauses;
  return { detectionSeconds: round(detectionUs / 1e6), heartbeatSeconds: round(heartbeatUs / 1e6), processingSeconds: round(processingUs / 1e6), waitingSeconds: round(waitingUs / 1e6), protocolSeconds: round(protocolUs / 1e6), mostly };
}

/** Consumers evicted because one poll's processing outlasted max.poll.interval.ms (docs/reference.md §3.4). */
function pollDeadlines(group: ConsumerGroup, consumer: ConsumerResult): Finding[] {
  if (group.evictions === 0) return [];
  const s = group.settings;
  // Strictly within it: a poll taking exactly max.poll.interval.ms is evicted (group.ts, Java's Timer expires at >=).
  const recordsThatFit = s.perRecordUs > 0 ? Math.ceil((s.maxPollIntervalUs - s.perBatchUs) / s.perRecordUs) - 1 : s.maxPollRecords;
  const pollSeconds = group.evictedPollUs / 1e6;
  return [
    {
      severity: "critical",
      code: "poll-interval-exceeded",
      subject: consumer.name,
      message: say.pollIntervalExceeded(consumer.name, group.evictions, pollSeconds, s.maxPollIntervalUs / 1e6, s.maxPollRecords, recordsThatFit),
      evidence: { evictions: group.evictions, firstEvictionAtSeconds: round(group.firstEvictionUs / 1e6), longestPollSeconds: round(pollSeconds), maxPollIntervalSeconds: s.maxPollIntervalUs / 1e6, maxPollRecords: s.maxPollRecords, maxPollRecordsThatFit: Math.max(0, recordsThatFit), duplicates: consumer.records.duplicates },
    },
  ];
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
