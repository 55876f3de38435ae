// A Kafka topic's replication settings when the scenario leaves them out: Amazon MSK's default
// configuration on kafka.* instance types, Apache Kafka's broker defaults on self-managed brokers
// (docs/reference.md §3.3).

import { instanceType } from "./instance-catalogue.ts";
import type { KafkaSystemInput } from "./systems-schema.ts";

/**
 * The Availability Zones an MSK cluster's brokers spread over (docs/reference.md §3.3): 2 or 3, and the
 * broker count a multiple of it. Given, `brokers.availabilityZones`; else 3 when the count is a multiple
 * of 3, 2 when it is even; null for a count that is neither (not a valid MSK cluster, a load error) and
 * for a lone broker. Self-managed brokers are taken as spread over 3 AZs (the cost model's assumption).
 */
export function brokerAvailabilityZones(brokers: Pick<KafkaSystemInput["brokers"], "count" | "instanceType" | "availabilityZones">): number | null {
  if (instanceType(brokers.instanceType).kind !== "msk") return 3;
  if (brokers.availabilityZones !== undefined) return brokers.availabilityZones;
  if (brokers.count % 3 === 0) return 3;
  return brokers.count % 2 === 0 ? 2 : null;
}

export interface TopicReplication {
  replicationFactor: number;
  minInsyncReplicas: number;
  uncleanLeaderElection: boolean;
}

/**
 * MSK sets default.replication.factor 3 and min.insync.replicas 2 for a cluster in 3 Availability
 * Zones, 2 and 1 in 2 AZs, and unclean.leader.election.enable true; Apache Kafka 1, 1 and false. The
 * AZ count is brokerAvailabilityZones'; a lone broker (not a valid MSK cluster) gets RF 1. A topic
 * given fewer replicas than the default min.insync.replicas takes its replication factor instead
 * (Kafka would refuse every acks=all write).
 */
export function topicReplication(system: Pick<KafkaSystemInput, "brokers" | "topic">): TopicReplication {
  const msk = instanceType(system.brokers.instanceType).kind === "msk";
  const zones = system.brokers.count >= 2 ? brokerAvailabilityZones(system.brokers) : null;
  const defaults = !msk || zones === null ? { rf: 1, minIsr: 1 } : zones === 3 ? { rf: 3, minIsr: 2 } : { rf: 2, minIsr: 1 };
  const replicationFactor = system.topic.replicationFactor ?? defaults.rf;
  return {
    replicationFactor,
    minInsyncReplicas: system.topic.minInsyncReplicas ?? Math.min(defaults.minIsr, replicationFactor),
    uncleanLeaderElection: system.topic.uncleanLeaderElection ?? msk,
  };
}
