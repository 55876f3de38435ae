// A Kafka cluster's configuration as it ran (defaults and the cluster's replication defaults included),
// in the shape every kind shares, for the report's configuration table and its like-for-like check.

import { flinkConsumerConfiguration } from "../flink/index.ts";
import { countText, retentionText, type Acknowledgement, type ConsumerConfiguration, type SystemConfiguration } from "../metrics/configuration.ts";
import type { KafkaSystem } from "../scenario/types.ts";
import { isConsumerGroup, type KafkaConsumerGroupSpec } from "../scenario/systems-schema.ts";
import { lambdaConsumerConfiguration } from "./lambda-configuration.ts";
import { formatBytes, formatDurationUs } from "../units/index.ts";

export function kafkaConfiguration(system: KafkaSystem): SystemConfiguration {
  const { brokers, topic, producer } = system;
  const unclean = topic.uncleanLeaderElection ? ", unclean leader election on" : "";
  const sizeLimit = topic.retentionBytes === undefined ? "" : ` or ${formatBytes(topic.retentionBytes)} per partition`;
  return {
    capacity: `${countText(brokers.count, "broker", "brokers")}, topic ${topic.name} of ${countText(topic.partitions, "partition", "partitions")}`,
    partitions: topic.partitions,
    instanceType: brokers.instanceType,
    replicationCopies: topic.replicationFactor,
    replication: `replication factor ${topic.replicationFactor}, min.insync.replicas ${topic.minInsyncReplicas}${unclean}`,
    acknowledgement: acknowledgement(producer.acks, topic.replicationFactor),
    acks: `acks=${producer.acks}`,
    retentionUs: topic.retention,
    retention: `${retentionText(topic.retention)}${sizeLimit}`,
    consumers: [
      ...system.consumerGroups.map((entry) => (isConsumerGroup(entry) ? groupConfiguration(entry) : lambdaConsumerConfiguration(entry, topic.partitions))),
      ...system.flinkApplications.map((app) => flinkConsumerConfiguration(app, `fetches of up to ${formatBytes(app.maxPartitionFetchBytes)} per partition`)),
    ],
    producer: {
      lingerUs: producer.linger,
      batching: `batch.size ${formatBytes(producer.batchSize)}, linger.ms ${formatDurationUs(producer.linger)}`,
      retry: `until delivery.timeout.ms ${formatDurationUs(producer.deliveryTimeout)}, backoff ${formatDurationUs(producer.retryBackoff)} to ${formatDurationUs(producer.retryBackoffMax)}`,
    },
  };
}

/** acks=all waits for the in-sync replicas (with one replica, the leader is all of them); acks=1 for the leader; acks=0 for nothing. */
function acknowledgement(acks: KafkaSystem["producer"]["acks"], replicationFactor: number): Acknowledgement {
  if (acks === 0) return "none";
  return acks === "all" && replicationFactor > 1 ? "replicated" : "leader";
}

function groupConfiguration(group: KafkaConsumerGroupSpec): ConsumerConfiguration {
  return {
    name: group.name,
    type: `consumer group (${group.assignment})` + (group.autoscaling === undefined ? "" : kedaText(group.autoscaling)),
    instances: group.consumers,
    instancesOf: "consumers",
    processingPerRecordUs: group.processing.perRecord,
    processingPerBatchUs: group.processing.perBatch,
    reading: `polls up to ${countText(group.maxPollRecords, "record", "records")}, fetch.max.wait.ms ${formatDurationUs(group.fetchMaxWait)}`,
  };
}

/** An autoscaled group's scaling, in words (docs/reference.md §11.2). */
function kedaText(scaling: NonNullable<KafkaConsumerGroupSpec["autoscaling"]>): string {
  const idle = scaling.allowIdleConsumers ? ", idle consumers allowed" : "";
  return `, KEDA-scaled from ${scaling.minReplicaCount} to ${scaling.maxReplicaCount} on ${scaling.lagThreshold} records of lag per replica, polled every ${formatDurationUs(scaling.pollingInterval)}${idle}`;
}
