// Kafka defaults and behaviour the model follows (docs/reference.md §3).

/** broker.session.timeout.ms: a silent broker is fenced after 9 s; its partitions then elect new leaders from the ISR (docs/reference.md §3.3). */
export const brokerSessionTimeoutUs = 9_000_000;
/** session.timeout.ms: a silent consumer leaves its group after 45 s (docs/reference.md §3.4). */
export const consumerSessionTimeoutUs = 45_000_000;
/** heartbeat.interval.ms: a member hears that its group rebalances at its next heartbeat, every 3 s (docs/reference.md §3.4). */
export const consumerHeartbeatIntervalUs = 3_000_000;
/** Record batch overhead on the wire and on disk: a 61-byte batch header plus ~8 bytes per record (Kafka's v2 format). */
export const batchHeaderBytes = 61;
export const recordOverheadBytes = 8;
/** log.retention.check.interval.ms 300,000: the broker deletes old segments every 5 minutes, the first check 30 s after start (docs/reference.md §3.3). */
export const retentionCheckIntervalUs = 300_000_000;
export const retentionCheckFirstUs = 30_000_000;
/** replica.fetch.wait.max.ms: a follower's fetch waits at most 500 ms at its leader for data (docs/reference.md §3.3). */
export const replicaFetchWaitMaxUs = 500_000;
/** replica.fetch.max.bytes: 1 MiB per partition per follower fetch (docs/reference.md §3.3). */
export const replicaFetchBytesMax = 1_048_576;
/** replica.fetch.response.max.bytes: 10 MiB per follower fetch (docs/reference.md §3.3). */
export const replicaFetchResponseBytesMax = 10_485_760;

/**
 * MSK's recommended most partition replicas (leaders and followers) per Standard broker, and the most
 * with which an overloaded cluster can still be updated, by broker size (docs/reference.md §3.3), for
 * the m5 and m7g families.
 */
const partitionReplicasPerBrokerBySize: Record<string, PartitionReplicasPerBroker> = {
  large: { recommended: 1000, updatable: 1500 },
  xlarge: { recommended: 1000, updatable: 1500 },
  "2xlarge": { recommended: 2000, updatable: 3000 },
  "4xlarge": { recommended: 4000, updatable: 6000 },
  "8xlarge": { recommended: 4000, updatable: 6000 },
  "12xlarge": { recommended: 4000, updatable: 6000 },
  "16xlarge": { recommended: 4000, updatable: 6000 },
  "24xlarge": { recommended: 4000, updatable: 6000 },
};

export interface PartitionReplicasPerBroker {
  recommended: number;
  updatable: number;
}

/** MSK's figures for an instance type; null for types MSK does not list (self-managed EC2 brokers). */
export function mskPartitionReplicasPerBroker(instanceType: string): PartitionReplicasPerBroker | null {
  if (instanceType === "kafka.t3.small") return { recommended: 300, updatable: 300 };
  const match = /^kafka\.(?:m5|m7g)\.(\w+)$/.exec(instanceType);
  return match === null ? null : (partitionReplicasPerBrokerBySize[match[1]!] ?? null);
}
