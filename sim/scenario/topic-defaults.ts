// A Kafka topic's replication settings when the scenario leaves them out: Amazon MSK's default
// configuration on kafka.* instance types, Apache Kafka's broker defaults on self-managed brokers
// (docs/reference.md §3.3).

import { instanceType } from "./instance-catalogue.ts";
import type { KafkaSystemInput } from "./systems-schema.ts";

export interface TopicReplication {
  replicationFactor: number;
  minInsyncReplicas: number;
  uncleanLeaderElection: boolean;
}

/**
 * MSK sets default.replication.factor 3 and min.insync.replicas 2 for a cluster in 3 Availability
 * Zones, 2 and 1 in 2 AZs, and unclean.leader.election.enable true; Apache Kafka 1, 1 and false. An
 * MSK cluster's brokers are a multiple of its AZ count: 3 or more brokers are taken as 3 AZs, 2 as 2
 * AZs, and a lone broker (not a valid MSK cluster) as RF 1. A topic given fewer replicas than the
 * default min.insync.replicas takes its replication factor instead (Kafka would refuse every acks=all write).
 */
export function topicReplication(system: Pick<KafkaSystemInput, "brokers" | "topic">): TopicReplication {
  const msk = instanceType(system.brokers.instanceType).kind === "msk";
  const brokers = system.brokers.count;
  const defaults = !msk ? { rf: 1, minIsr: 1 } : brokers >= 3 ? { rf: 3, minIsr: 2 } : brokers === 2 ? { rf: 2, minIsr: 1 } : { rf: 1, minIsr: 1 };
  const replicationFactor = system.topic.replicationFactor ?? defaults.rf;
  return {
    replicationFactor,
    minInsyncReplicas: system.topic.minInsyncReplicas ?? Math.min(defaults.minIsr, replicationFactor),
    uncleanLeaderElection: system.topic.uncleanLeaderElection ?? msk,
  };
}
