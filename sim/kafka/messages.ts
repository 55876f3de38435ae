// Every sentence the Kafka model says in its findings: the cause, and what to do about it.

import { droppedShareDigits, shareText } from "../units/index.ts";
import type { BrokerResource } from "./broker.ts";
import { brokerSessionTimeoutUs } from "./limits.ts";

const resourceNames: Record<BrokerResource, string> = {
  NetworkIn: "network in (produce requests and replica copies it receives)",
  NetworkOut: "network out (consumer fetches and the copies followers fetch from it)",
  DiskWrite: "log volume (EBS write throughput: every replica it holds)",
  RequestHandler: "request handler pool (CPU per request)",
};
const resourceAdvice: Record<BrokerResource, string> = {
  NetworkIn: "Add brokers, or use a larger instance type (more network bandwidth).",
  NetworkOut: "Add brokers or use a larger instance type; each consumer group and each follower reads every byte again.",
  DiskWrite: "Add brokers or use a larger instance type (a higher EBS baseline); a lower replication factor writes less.",
  RequestHandler: "Send fewer, larger requests (raise linger and batch.size), add brokers, or use a larger instance type.",
};

const pct = (fraction: number): string => `${(fraction * 100).toFixed(fraction >= 10 ? 0 : 1)}%`;
const duration = (ms: number): string =>
  ms >= 7_200_000 ? `${(ms / 3_600_000).toFixed(1)} h` : ms >= 120_000 ? `${(ms / 60_000).toFixed(1)} min` : `${(ms / 1000).toFixed(1)} s`;

/** Where a group's rebalance time went (seconds, summed over its rebalances). */
export interface RebalancePause {
  detectionSeconds: number;
  heartbeatSeconds: number;
  processingSeconds: number;
  waitingSeconds: number;
  protocolSeconds: number;
  mostly: "heartbeat" | "processing" | "waiting" | "protocol";
}

const pauseCause = {
  heartbeat: "the members hearing of it at their next heartbeat (heartbeat.interval.ms, 3 s)",
  processing: "the members finishing the records in hand before rejoining at their next poll (fewer maxPollRecords or faster processing shorten it)",
  waiting: "waiting for a member still processing its poll (bounded by max.poll.interval.ms, the rebalance timeout, after which it is evicted)",
  protocol: "the JoinGroup and SyncGroup round trips",
} as const;

function rebalancePause(pause: RebalancePause): string {
  const total = pause.heartbeatSeconds + pause.processingSeconds + pause.waitingSeconds + pause.protocolSeconds;
  return (
    `The rebalances took ${total.toFixed(1)} s from start to new assignment, mostly ${pauseCause[pause.mostly]}: ` +
    `${pause.heartbeatSeconds.toFixed(1)} s until the last member to rejoin heard of it, ${pause.processingSeconds.toFixed(1)} s until it reached poll(), ` +
    (pause.waitingSeconds > 0 ? `${pause.waitingSeconds.toFixed(1)} s waiting for a member still in a long poll to rejoin or be evicted, ` : "") +
    `${pause.protocolSeconds.toFixed(2)} s of JoinGroup/SyncGroup` +
    (pause.detectionSeconds > 0 ? `; a crashed member was noticed only ${pause.detectionSeconds.toFixed(1)} s after it stopped (session.timeout.ms after its last heartbeat), its partitions unread meanwhile.` : ".")
  );
}

/** Partitions that refused writes: how long without a leader, how long with too few in-sync replicas, and the topic's replication. */
export interface Outage {
  offlineSeconds: number;
  belowMinIsrSeconds: number;
  replicationFactor: number;
  /** min.insync.replicas when acks=all (0: acks 0 or 1, never refused for it). */
  minInsyncReplicas: number;
}

/**
 * Whether the outage was the leader election alone: no live leader no longer than broker.session.timeout.ms
 * (the controller fences the failed broker, then elects an in-sync follower at once) and never too few
 * in-sync replicas. No replica setting avoids it; producers retry through it.
 */
export function electionOnly(outage: Outage): boolean {
  // With one replica there is no follower to elect: the partition is offline until its broker returns,
  // however short the part of that the run saw.
  return outage.replicationFactor >= 2 && outage.belowMinIsrSeconds === 0 && outage.offlineSeconds <= brokerSessionTimeoutUs / 1e6 + 1;
}

function outageKinds(outage: Outage): string {
  const kinds: string[] = [];
  if (outage.offlineSeconds > 0) {
    kinds.push(
      electionOnly(outage)
        ? `no live leader for up to ${outage.offlineSeconds.toFixed(0)} s (the election after the leader's broker failed: the controller fences a silent broker after broker.session.timeout.ms, ${brokerSessionTimeoutUs / 1e6} s, then an in-sync follower leads)`
        : `no live leader for up to ${outage.offlineSeconds.toFixed(0)} s (the election after the leader's broker failed, broker.session.timeout.ms ${brokerSessionTimeoutUs / 1e6} s, or, with no in-sync follower left, until a broker returned)`,
    );
  }
  if (outage.belowMinIsrSeconds > 0) {
    kinds.push(`a live leader but fewer in-sync replicas than min.insync.replicas ${outage.minInsyncReplicas} for up to ${outage.belowMinIsrSeconds.toFixed(0)} s (NotEnoughReplicas for acks=all)`);
  }
  return kinds.join("; ");
}

/** What bounds such an outage, and what would shorten it. */
function outageBound(outage: Outage): string {
  const { replicationFactor: rf, minInsyncReplicas: minIsr } = outage;
  if (electionOnly(outage)) {
    return "That is the failover working: no replication setting shortens the election, and producers retry through it (delivery.timeout.ms outlasts it). A shorter broker.session.timeout.ms shortens it, at the risk of fencing brokers that only paused.";
  }
  if (rf < 3) return `A replication factor of 3 with min.insync.replicas 2 bounds the outage to the election while one broker is down.`;
  const stopsAt = minIsr > 0 ? rf - minIsr + 1 : rf;
  return (
    `With replication factor ${rf}${minIsr > 0 ? ` and min.insync.replicas ${minIsr}` : ""}, a partition stops taking ${minIsr > 0 ? "acks=all " : ""}writes once ${stopsAt} of its ${rf} replicas are down at once: ` +
    "keep fewer brokers down together (replicas spread over three AZs survive the loss of one), or add replicas" +
    (minIsr > 1 ? `; lowering min.insync.replicas keeps writes going with fewer copies (less durability)` : "") +
    "."
  );
}

export const kafkaMessages = {
  hotPartition: (id: string, share: number, partitions: number, topKey: string | undefined) =>
    `${id} took ${pct(share)} of the records (a fair share of ${partitions} partitions is ${pct(1 / partitions)})` +
    (topKey === undefined ? "." : `; its busiest key is "${topKey}".`) +
    " Its leader broker and the one consumer that owns it carry that load alone: use a higher-cardinality key, or more partitions if several busy keys share it.",
  moreHotPartitions: (partitions: number, share: number, count: number) =>
    `${partitions} more partition(s) took at least twice a fair share of the records each (${pct(share)} of the records together; a fair share of ${count} partitions is ${pct(1 / count)}), beyond what hashing the keys gives by chance. See the partitions table; a higher-cardinality key spreads them.`,
  saturatedBroker: (broker: number, utilization: number, resource: BrokerResource) =>
    `broker ${broker}'s ${resourceNames[resource]} was busy ${pct(utilization)} of its busiest report interval: requests queue there and produce and fetch latency climb. ${resourceAdvice[resource]}`,
  idleConsumers: (group: string, idle: number, partitions: number) =>
    `${group} has ${idle} consumer(s) with no partition: a group uses at most one consumer per partition (${partitions} here). Remove them or add partitions.`,
  fallingBehind: (group: string, lagMs: number, maxLagMs: number, growthMsPerSecond: number, backlogSeconds: number, basis: "peaks" | "troughs", cause: "processing" | "fetch") =>
    `${group} falls behind without recovering: its lag was ${duration(lagMs)} at the end${maxLagMs > lagMs ? ` (${duration(maxLagMs)} at most)` : ""}, ${basis === "peaks" ? "its peaks grew by" : "its lowest lag, right after its reads, grew by"} ${growthMsPerSecond.toFixed(0)} ms per second ${basis === "peaks" ? "over the run after warm-up" : "from one cycle to the next"}, and ${Number.isFinite(backlogSeconds) ? `what was unread at the end would take it about ${duration(backlogSeconds * 1000)} at the pace it read` : "work it never reached was unread at the end"}. ` +
    (cause === "processing"
      ? "Its processing is slower than the arrival rate (on its busiest partition, which one consumer reads alone, or overall): speed up processing, spread the keys, or add consumers (and partitions, which bound them)."
      : "Its processing could keep up, but each fetch brings at most max.partition.fetch.bytes per partition (and fetch.max.bytes per broker) per round trip: raise maxPartitionFetchBytes, or add partitions and consumers."),
  rebalanceReprocessed: (group: string, assignment: string, rebalances: number, duplicates: number, stopSeconds: number, revoked: number, pause: RebalancePause) =>
    `${group} rebalanced ${rebalances} time(s) (${assignment}) and processed ${duplicates.toLocaleString("en-US")} records again: the new owners start from the last committed offset. ` +
    (assignment === "cooperative-sticky"
      ? `Cooperative-sticky moved only ${revoked} partition(s); the other members kept consuming throughout. `
      : `The eager protocol revoked every partition (${revoked} moves) and stopped the whole group for ${stopSeconds.toFixed(1)} s in all. `) +
    rebalancePause(pause) +
    (assignment === "cooperative-sticky" ? " Commit more often to shrink the duplicates." : " cooperative-sticky moves only the lost member's partitions; committing more often shrinks the duplicates."),
  pollIntervalExceeded: (group: string, evictions: number, pollSeconds: number, maxPollIntervalSeconds: number, maxPollRecords: number, recordsThatFit: number) =>
    `${group}: processing one poll's records took up to ${duration(pollSeconds * 1000)}, as long as max.poll.interval.ms (${duration(maxPollIntervalSeconds * 1000)}) or longer: consumers were evicted ${evictions} time(s), each time the group rebalanced and the new owner processed again what the evicted consumer had not committed. ` +
    (recordsThatFit >= 1
      ? `Lower maxPollRecords from ${maxPollRecords} to at most ${recordsThatFit.toLocaleString("en-US")} (a poll must finish before the limit, not at it), or make processing faster (raising maxPollInterval also delays noticing a stuck consumer).`
      : "Even one record outlasts it: make processing faster, or raise maxPollInterval."),
  unavailable: (partitions: number, seconds: number, outage: Outage) =>
    `${partitions} partition(s) refused writes for up to ${seconds.toFixed(0)} s in all: ${outageKinds(outage)}. Producers held their batches meanwhile. ${outageBound(outage)}`,
  underReplicated: (partitions: number, seconds: number) =>
    `${partitions} partition(s) ran with fewer in-sync replicas than replicas for up to ${seconds.toFixed(0)} s: another failure then would lose data or availability.`,
  dropped: (dropped: number, produced: number, outage: Outage | null) =>
    `${dropped.toLocaleString("en-US")} records (${shareText(dropped / produced, droppedShareDigits)} of those produced) were dropped when their delivery timeout passed: ` +
    (outage === null
      ? "their batches waited for answers longer than delivery.timeout.ms. Add capacity, or raise delivery.timeout.ms."
      : `their partitions refused writes that long: ${outageKinds(outage)}. ${outageBound(outage)} A larger delivery.timeout.ms only rides out shorter outages.`),
  bufferExhausted: (dropped: number, produced: number, blockedSeconds: number, outage: Outage | null, saturated: boolean) =>
    `${dropped.toLocaleString("en-US")} records (${shareText(dropped / produced, droppedShareDigits)} of those produced) failed in send() (BufferExhaustedException): the producer's buffer.memory was full of batches waiting for answers, send() blocked (${blockedSeconds.toFixed(1)} s in all) and gave up after max.block.ms. ` +
    (outage === null || saturated ? "The cluster accepts less than the producer offers: add brokers or partitions, or slow the producer; a larger buffer only delays the failures." : "") +
    (outage === null
      ? ""
      : `${saturated ? " Partitions also refused writes" : "The cause was an outage, not capacity (no broker was busy 80% of an interval): partitions refused writes"}, so their batches could not leave the buffer: ${outageKinds(outage)}. ${outageBound(outage)} A larger buffer.memory or max.block.ms only rides out shorter outages.`),
  lost: (failover: number, uncleanElection: number, acks: string, replicationFactor: number) => {
    const total = failover + uncleanElection;
    const causes: string[] = [];
    const fixes: string[] = [];
    if (uncleanElection > 0) {
      causes.push(
        `${uncleanElection.toLocaleString("en-US")} in unclean leader elections: with no in-sync replica alive, an out-of-sync replica became leader (unclean.leader.election.enable, true by default on MSK) and the records only the old leader held were gone`,
      );
      fixes.push(
        `set topic.uncleanLeaderElection: false to keep such a partition offline until an in-sync replica returns (durability bought with availability)${replicationFactor < 3 ? ", and use replication factor 3 with min.insync.replicas 2 so a second failure still leaves an in-sync replica" : ""}`,
      );
    }
    if (failover > 0) {
      causes.push(`${failover.toLocaleString("en-US")} at failovers: acks=${acks} acknowledged them from the leader alone, and the follower that took over never had them`);
      fixes.push("use acks=all with min.insync.replicas 2");
    }
    const fix = fixes.join("; and ");
    return `${total.toLocaleString("en-US")} acknowledged records were lost: ${causes.join("; ")}. ${fix.charAt(0).toUpperCase()}${fix.slice(1)}.`;
  },
  mixedPartitioners: (clients: string, sharedKeys: number, splitKeys: number) =>
    `The producers use partitioners that hash keys differently (${clients})` +
    (sharedKeys > 0
      ? `: of ${sharedKeys.toLocaleString("en-US")} keys more than one of them sends, ${splitKeys.toLocaleString("en-US")} land on different partitions from different producers, so those keys' records are not in one partition's order and a consumer sees them apart.`
      : `: no key is sent by both yet, but a key sent from each would land on different partitions.`) +
    ` Give every producer of the topic the same partitioner (murmur2_random in librdkafka clients matches the Java client; see docs/keys.md).`,
  keysMoved: (from: number, to: number, share: number) =>
    `Adding partitions (${from} -> ${to}) moved ${pct(share)} of the traffic's keys to another partition: per-key order breaks across the change, and consumers see a key's new records before its old ones are done. Plan partition counts ahead, or drain before adding.`,
  quotaThrottled: (seconds: number) =>
    `The producers' byte-rate quota held their requests back for ${seconds.toFixed(1)} s in all (throttle_time_ms): they offer more than the quota allows, so latency grows. Raise the quota or spread the traffic over more clients.`,
  partitionReplicasPerBroker: (broker: number, replicas: number, instanceType: string, recommended: number, updatable: number) =>
    `broker ${broker} holds ${replicas.toLocaleString("en-US")} partition replicas (leaders and followers), above the ${recommended.toLocaleString("en-US")} Amazon MSK recommends for a ${instanceType} broker (MSK best practices, right-size your cluster: partitions per broker); above ${updatable.toLocaleString("en-US")} MSK blocks some cluster updates while the cluster is overloaded. Add brokers, use a larger instance type, or use fewer partitions.`,
  offsetReset: (group: string, resets: number, firstAtSeconds: number, skipped: number) =>
    `${group}'s position was deleted by retention before it read it, ${resets} time(s), first at ${duration(firstAtSeconds * 1000)}: auto.offset.reset=latest jumped it to the log end, skipping ${skipped.toLocaleString("en-US")} records that were still kept, lost to this group (beyond those retention deleted). Consume faster (more consumers and partitions, faster processing), keep records longer (retention.ms, retention.bytes), or set autoOffsetReset: earliest to read what is still kept.`,
  expired: (group: string, expired: number) =>
    `${group} lost ${expired.toLocaleString("en-US")} records that retention deleted before it read them: process faster, add consumers and partitions, or raise retention.`,
} as const;
