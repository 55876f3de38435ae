// A Kinesis stream's configuration as it ran (defaults included), in the shape every kind shares, for
// the report's configuration table and its like-for-like check.

import { backoffRetryText, countText, retentionText, type ConsumerConfiguration, type SystemConfiguration } from "../metrics/configuration.ts";
import type { FirehoseKinesisConsumerSpec } from "../scenario/firehose-schema.ts";
import type { KinesisSystem } from "../scenario/types.ts";
import { formatBytes, formatDurationUs } from "../units/index.ts";
import { flinkConsumerConfiguration } from "../flink/index.ts";
import { lambdaConsumerConfiguration } from "./lambda-configuration.ts";
import { onDemandInitialShards } from "./limits.ts";

/** The service keeps every record in three Availability Zones before it answers the put (docs/reference.md §1.5). */
const replicatedAvailabilityZones = 3;

export function kinesisConfiguration(system: KinesisSystem): SystemConfiguration {
  const capacity = system.capacity;
  const shards = capacity.mode === "provisioned" ? capacity.shards : onDemandInitialShards;
  const producer = system.producer;
  const retry = producer.retry;
  const backoff = backoffRetryText(retry);
  const aggregation = producer.aggregation.enabled ? `; KPL aggregation into records of up to ${formatBytes(producer.aggregation.maxBytes)}` : "";
  return {
    capacity:
      capacity.mode === "provisioned"
        ? `provisioned, ${countText(shards, "shard", "shards")}${autoscalingText(system.autoscaling)}`
        : `on-demand (${capacity.billing}), ${countText(shards, "shard", "shards")} at the start, scaled by the service`,
    partitions: shards,
    instanceType: null,
    replicationCopies: replicatedAvailabilityZones,
    replication: `${replicatedAvailabilityZones} AZs, synchronous (by the service)`,
    acknowledgement: "replicated",
    acks: `after the service stores the record in ${replicatedAvailabilityZones} AZs`,
    retentionUs: system.retention,
    retention: retentionText(system.retention),
    consumers: system.consumers.map((consumer) => consumerConfiguration(consumer, shards)),
    producer: {
      lingerUs: producer.batch.linger,
      batching: `PutRecords of up to ${countText(producer.batch.maxRecords, "record", "records")} or ${formatBytes(producer.batch.maxBytes)}, linger ${formatDurationUs(producer.batch.linger)}${aggregation}`,
      retry: retry.policy === "ttl" ? `until the record is ${formatDurationUs(retry.recordTtl)} old (KPL RecordTtl), resent without backoff at up to 150% of each shard's limit (KPL rate limiting)` : backoff,
    },
  };
}

/** The alarms that scale a provisioned stream, in a line of the configuration table (docs/reference.md §1.10). */
function autoscalingText(autoscaling: KinesisSystem["autoscaling"]): string {
  if (autoscaling === undefined) return "";
  const age = autoscaling.metric === "iterator-age";
  const threshold = (value: number) => (age ? formatDurationUs(value) : `${Math.round(value * 100)}%`);
  const step = (policy: { percent?: number; targetUtilization?: number }, direction: "out" | "in") =>
    policy.targetUtilization !== undefined ? `to ${Math.round(policy.targetUtilization * 100)}% utilization` : `${direction === "out" ? "+" : "-"}${policy.percent ?? (direction === "out" ? 100 : 50)}%`;
  const { scaleOut: out, scaleIn: scaleIn } = autoscaling;
  return (
    `, autoscaled by CloudWatch alarms on ${autoscaling.metric} (${formatDurationUs(autoscaling.period)} periods): ` +
    `out at ${threshold(out.threshold)} for ${out.datapointsToAlarm} of ${out.evaluationPeriods} (${step(out, "out")}), ` +
    `in below ${threshold(scaleIn.threshold)} for ${scaleIn.datapointsToAlarm} of ${scaleIn.evaluationPeriods} (${step(scaleIn, "in")}), ` +
    `${autoscaling.minShards}-${autoscaling.maxShards} shards`
  );
}

/** A KCL application runs one worker per shard (docs/reference.md §1.8): its parallelism is the shard count. */
function consumerConfiguration(consumer: KinesisSystem["consumers"][number], shards: number): ConsumerConfiguration {
  if (consumer.type === "lambda") return lambdaConsumerConfiguration(consumer, shards);
  if (consumer.type === "firehose") return firehoseConsumerConfiguration(consumer, shards);
  if (consumer.type === "flink") return flinkConsumerConfiguration(consumer, consumer.efo ? "enhanced fan-out" : `GetRecords every ${formatDurationUs(consumer.pollInterval)}, up to ${countText(consumer.maxRecords, "record", "records")}`);
  const common = {
    name: consumer.name,
    instances: shards,
    instancesOf: "shard workers",
    processingPerRecordUs: consumer.processing.perRecord,
    processingPerBatchUs: consumer.processing.perBatch,
  };
  if (consumer.type === "polling") {
    return { ...common, type: "polling (GetRecords)", reading: `polls every ${formatDurationUs(consumer.pollInterval)} for up to ${countText(consumer.maxRecords, "record", "records")}` };
  }
  return { ...common, type: "enhanced fan-out (SubscribeToShard)", reading: "records pushed over a dedicated 2 MiB/s per shard" };
}

/** A Firehose stream reading the Kinesis stream: one GetRecords reader per shard, once a second (docs/reference.md §7.5). */
function firehoseConsumerConfiguration(consumer: FirehoseKinesisConsumerSpec, shards: number): ConsumerConfiguration {
  const { buffering } = consumer;
  return {
    name: consumer.name,
    type: "Firehose (Kinesis Data Streams as source, GetRecords)",
    instances: shards,
    instancesOf: "shard readers",
    processingPerRecordUs: 0,
    processingPerBatchUs: 0,
    reading: `GetRecords once a second per shard, delivered to S3 as an object per flush (${formatBytes(buffering.size)} or ${formatDurationUs(buffering.interval)}, whichever first)`,
  };
}
