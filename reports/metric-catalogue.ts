// Every metric name metrics.csv writes, with the unit and statistic its source publishes it in: the
// services' own names (CloudWatch's AWS/Kinesis, AWS/Kafka, AWS/SQS, AWS/Firehose namespaces, Kafka
// clients' JMX metrics) for what they publish, and clear names of our own (source "streamsim") for what
// only the simulator measures. docs/results.md lists every entry; a test keeps the two in step and
// checks that a run writes no name missing here. Sources: docs/reference.md §1.6, §3.4, §3.5, §4, §7.4.

/** CloudWatch statistics, as a dashboard or alarm names them. */
export type Statistic = "Sum" | "Average" | "Maximum";

/** CloudWatch units (StandardUnit); None for a ratio. */
export type Unit = "Count" | "Bytes" | "Milliseconds" | "Microseconds" | "Seconds" | "Bytes/Second" | "Count/Second" | "None";

export type MetricSource = "AWS/Kinesis" | "AWS/Kafka" | "AWS/SQS" | "AWS/Firehose" | "AWS/Lambda" | "Kafka broker (JMX)" | "Kafka consumer (JMX)" | "Kafka producer (JMX)" | "streamsim";

export interface MetricDefinition {
  metric: string;
  source: MetricSource;
  statistic: Statistic;
  unit: Unit;
  /** Where the service publishes it (its dimensions), or where we write it. */
  level: string;
  meaning: string;
}

function define(metric: string, source: MetricSource, statistic: Statistic, unit: Unit, level: string, meaning: string): MetricDefinition {
  return { metric, source, statistic, unit, level, meaning };
}

/** Kinesis Data Streams (docs/reference.md §1.6). */
export const kinesisMetrics = {
  incomingRecords: define("IncomingRecords", "AWS/Kinesis", "Sum", "Count", "stream, shard", "Kinesis records successfully put: with KPL aggregation each aggregate counts once, not the user records in it"),
  incomingBytes: define("IncomingBytes", "AWS/Kinesis", "Sum", "Bytes", "stream, shard", "bytes of the Kinesis records successfully put (data and partition keys; with KPL aggregation, the aggregates with their framing)"),
  outgoingRecords: define("OutgoingRecords", "AWS/Kinesis", "Sum", "Count", "shard (stream: the sum over its shards)", "records retrieved from the shard, by GetRecords or pushed to enhanced fan-out"),
  outgoingBytes: define("OutgoingBytes", "AWS/Kinesis", "Sum", "Bytes", "shard (stream: the sum over its shards)", "bytes retrieved from the shard, by GetRecords or pushed to enhanced fan-out"),
  writeThrottled: define("WriteProvisionedThroughputExceeded", "AWS/Kinesis", "Sum", "Count", "stream, shard", "records rejected by the write limit (each rejected attempt)"),
  readThrottled: define("ReadProvisionedThroughputExceeded", "AWS/Kinesis", "Sum", "Count", "stream", "GetRecords calls throttled by the shared read limits"),
  putRecordsLatency: define("PutRecords.Latency", "AWS/Kinesis", "Average", "Milliseconds", "stream", "time per PutRecords call"),
  iteratorAge: define("GetRecords.IteratorAgeMilliseconds", "AWS/Kinesis", "Maximum", "Milliseconds", "stream, per consumer here", "age of the last record of the GetRecords calls (0: caught up); polling, Firehose and polling Flink readers"),
  iteratorAgeShard: define("IteratorAgeMilliseconds", "AWS/Kinesis", "Maximum", "Milliseconds", "shard, per consumer here", "the same per shard"),
  millisBehindLatest: define("SubscribeToShardEvent.MillisBehindLatest", "AWS/Kinesis", "Maximum", "Milliseconds", "stream, consumer", "how far the enhanced fan-out consumer's records are behind the tip of the stream"),
  lambdaIteratorAge: define("IteratorAge", "AWS/Lambda", "Maximum", "Milliseconds", "function, event source mapping", "a Lambda mapping's age of the last record of each batch, when Lambda sends the batch to the function (polling or enhanced fan-out)"),
  lambdaIteratorAgeShard: define("IteratorAge", "AWS/Lambda", "Maximum", "Milliseconds", "shard, event source mapping (Lambda publishes it per mapping; per shard here)", "the same per shard"),
  millisBehindLatestShard: define("MillisBehindLatest", "AWS/Kinesis", "Maximum", "Milliseconds", "shard, consumer (a SubscribeToShardEvent field)", "the same per shard"),
} as const;

/** Kafka and Amazon MSK (docs/reference.md §3.4, §3.5). */
export const kafkaMetrics = {
  bytesIn: define("BytesInPerSec", "AWS/Kafka", "Average", "Bytes/Second", "broker", "bytes per second of record batches appended from producers: values, keys, record and batch headers (so a few percent above the values alone); replication left out"),
  bytesOut: define("BytesOutPerSec", "AWS/Kafka", "Average", "Bytes/Second", "broker", "bytes per second sent to consumers (replication left out)"),
  messagesIn: define("MessagesInPerSec", "AWS/Kafka", "Average", "Count/Second", "broker", "records per second appended by the broker as a leader"),
  replicationBytesIn: define("ReplicationBytesInPerSec", "Kafka broker (JMX)", "Average", "Bytes/Second", "broker", "bytes per second received from other brokers (follower fetches)"),
  replicationBytesOut: define("ReplicationBytesOutPerSec", "Kafka broker (JMX)", "Average", "Bytes/Second", "broker", "bytes per second sent to other brokers (follower fetches)"),
  underReplicated: define("UnderReplicatedPartitions", "AWS/Kafka", "Maximum", "Count", "broker", "partitions the broker leads with fewer in-sync replicas than replicas"),
  offline: define("OfflinePartitionsCount", "AWS/Kafka", "Maximum", "Count", "cluster", "partitions with no live leader"),
  maxOffsetLag: define("MaxOffsetLag", "AWS/Kafka", "Maximum", "Count", "topic, consumer group", "largest offset lag of the topic's partitions: high watermark less the group's committed offset"),
  estimatedMaxTimeLag: define("EstimatedMaxTimeLag", "AWS/Kafka", "Maximum", "Seconds", "topic, consumer group", "time estimate to drain MaxOffsetLag: that partition's offset lag over the rate the group's committed offset advanced on it in the last 60 s (our estimator)"),
  sumOffsetLag: define("SumOffsetLag", "AWS/Kafka", "Maximum", "Count", "topic, consumer group", "the offset lags summed over the topic's partitions"),
  recordsLagMax: define("records-lag-max", "Kafka consumer (JMX)", "Maximum", "Count", "consumer group (the largest of its members')", "largest lag in records of any partition: high watermark less the consumer's position"),
  recordsLag: define("records-lag", "Kafka consumer (JMX)", "Maximum", "Count", "partition, consumer group", "the partition's lag in records"),
  lambdaOffsetLag: define("OffsetLag", "AWS/Lambda", "Maximum", "Count", "function, event source mapping (the topic)", "a Lambda mapping's lag at the topic level: the records written to the topic that its consumer group has not processed, summed over the partitions"),
  requestLatency: define("request-latency-avg", "Kafka producer (JMX)", "Average", "Milliseconds", "cluster (all producers)", "time from sending a produce request to its answer"),
} as const;

/** Amazon SQS (docs/reference.md §4). */
export const sqsMetrics = {
  visible: define("ApproximateNumberOfMessagesVisible", "AWS/SQS", "Maximum", "Count", "queue", "messages available to receive"),
  notVisible: define("ApproximateNumberOfMessagesNotVisible", "AWS/SQS", "Maximum", "Count", "queue", "messages in flight: received, not yet deleted or back"),
  delayed: define("ApproximateNumberOfMessagesDelayed", "AWS/SQS", "Maximum", "Count", "queue", "messages sent and still in their delay (delay queue or message timer), not yet visible"),
  ageOfOldest: define("ApproximateAgeOfOldestMessage", "AWS/SQS", "Maximum", "Seconds", "queue", "age of the oldest message not deleted"),
  sent: define("NumberOfMessagesSent", "AWS/SQS", "Sum", "Count", "queue", "messages added to the queue"),
  received: define("NumberOfMessagesReceived", "AWS/SQS", "Sum", "Count", "queue", "messages returned by ReceiveMessage"),
  deleted: define("NumberOfMessagesDeleted", "AWS/SQS", "Sum", "Count", "queue", "messages deleted"),
  emptyReceives: define("NumberOfEmptyReceives", "AWS/SQS", "Sum", "Count", "queue", "ReceiveMessage calls that returned no message"),
} as const;

/** Amazon Data Firehose (docs/reference.md §7.4). */
export const firehoseMetrics = {
  incomingRecords: define("IncomingRecords", "AWS/Firehose", "Sum", "Count", "delivery stream", "records ingested"),
  incomingBytes: define("IncomingBytes", "AWS/Firehose", "Sum", "Bytes", "delivery stream", "bytes ingested"),
  incomingPutRequests: define("IncomingPutRequests", "AWS/Firehose", "Sum", "Count", "delivery stream", "PutRecord and PutRecordBatch calls taken"),
  throttledRecords: define("ThrottledRecords", "AWS/Firehose", "Sum", "Count", "delivery stream", "records throttled by the stream's quotas"),
  deliveredRecords: define("DeliveryToS3.Records", "AWS/Firehose", "Sum", "Count", "delivery stream", "records delivered to S3"),
  deliveredBytes: define("DeliveryToS3.Bytes", "AWS/Firehose", "Sum", "Bytes", "delivery stream", "bytes delivered to S3"),
  dataFreshness: define("DeliveryToS3.DataFreshness", "AWS/Firehose", "Maximum", "Seconds", "delivery stream", "age of the oldest record not yet delivered to S3"),
} as const;

/** What only the simulator measures, under names no service uses. */
export const ownMetrics = {
  producedRecords: define("producedRecords", "streamsim", "Sum", "Count", "system", "records the workload created for the system, by creation time (its demand)"),
  retriedRecords: define("retriedRecords", "streamsim", "Sum", "Count", "system", "records of attempts after the first, at the attempt"),
  offeredRecords: define("offeredRecords", "streamsim", "Sum", "Count", "stream, shard, partition", "records of every write attempt, retries included"),
  offeredBytes: define("offeredBytes", "streamsim", "Sum", "Bytes", "shard, partition", "bytes of every write attempt, retries included"),
  demandRecords: define("demandRecords", "streamsim", "Sum", "Count", "stream, shard, partition", "records of first attempts: what the workload asked of it"),
  demandBytes: define("demandBytes", "streamsim", "Sum", "Bytes", "stream, shard, partition", "bytes of first attempts"),
  acceptedRecords: define("acceptedRecords", "streamsim", "Sum", "Count", "partition", "records a Kafka partition appended (a Kinesis shard writes IncomingRecords instead)"),
  acceptedBytes: define("acceptedBytes", "streamsim", "Sum", "Bytes", "partition", "bytes a Kafka partition appended"),
  throttledAttempts: define("throttledAttempts", "streamsim", "Sum", "Count", "partition", "records of produce attempts a Kafka partition refused or could not take"),
  writeUtilization: define("writeUtilization", "streamsim", "Average", "None", "shard, partition", "first-attempt load over the write limit over the interval (1.42 = 142%); Kafka: the partition's part of its leader broker's"),
  lagMs: define("lagMs", "streamsim", "Maximum", "Milliseconds", "consumer", "age of the oldest accepted record the consumer has not processed, the same for every system (summary.json lagMs)"),
  busyUs: define("busyUs", "streamsim", "Sum", "Microseconds", "broker", "busy time of the broker's busiest resource"),
  networkInBusyUs: define("networkInBusyUs", "streamsim", "Sum", "Microseconds", "broker", "busy time of the broker's network in"),
  networkOutBusyUs: define("networkOutBusyUs", "streamsim", "Sum", "Microseconds", "broker", "busy time of the broker's network out"),
  diskWriteBusyUs: define("diskWriteBusyUs", "streamsim", "Sum", "Microseconds", "broker", "busy time of the broker's log volume writes"),
  requestHandlerBusyUs: define("requestHandlerBusyUs", "streamsim", "Sum", "Microseconds", "broker", "busy time of the broker's request handler pool"),
  deliveredObjects: define("deliveredObjects", "streamsim", "Sum", "Count", "delivery stream", "S3 objects written by the delivery"),
  backedUpRecords: define("backedUpRecords", "streamsim", "Sum", "Count", "delivery stream", "records written to the backup or error prefix"),
  openShardsMaximum: define("openShards", "streamsim", "Maximum", "Count", "stream", "the most shards open at once in the interval (resharding or autoscaling changes it)"),
  openShardsAverage: define("openShards", "streamsim", "Average", "Count", "stream", "shards open, time-weighted over the interval (shard-hours over hours)"),
  consumersDesiredMaximum: define("consumersDesired", "streamsim", "Maximum", "Count", "queue or topic, consumer", "an autoscaled SQS fleet's desired capacity or a KEDA-scaled Kafka group's replicas: the most asked for in the interval"),
  consumersDesiredAverage: define("consumersDesired", "streamsim", "Average", "Count", "queue or topic, consumer", "the same, time-weighted over the interval"),
  consumersWorkingMaximum: define("consumersWorking", "streamsim", "Maximum", "Count", "queue or topic, consumer", "an autoscaled fleet's or group's consumers running (started, past their startup delay): the most in the interval"),
  consumersWorkingAverage: define("consumersWorking", "streamsim", "Average", "Count", "queue or topic, consumer", "the same, time-weighted over the interval (consumer-hours over hours)"),
  lambdaConcurrencyMaximum: define("lambdaConcurrency", "streamsim", "Maximum", "Count", "stream, topic or queue, consumer", "a Lambda consumer's function: the most executions running at once in the interval"),
  lambdaConcurrencyAverage: define("lambdaConcurrency", "streamsim", "Average", "Count", "stream, topic or queue, consumer", "the same, time-weighted over the interval"),
  flinkParallelismMaximum: define("flinkParallelism", "streamsim", "Maximum", "Count", "stream or topic, consumer", "a Managed Flink application's subtasks running (a scaling restart changes it as the job resumes): the most in the interval"),
  flinkParallelismAverage: define("flinkParallelism", "streamsim", "Average", "Count", "stream or topic, consumer", "the same, time-weighted over the interval"),
  flinkKpusMaximum: define("flinkKpus", "streamsim", "Maximum", "Count", "stream or topic, consumer", "KPUs the Flink application is billed for, its orchestration KPU included (changes at a scaling restart): the most in the interval"),
  flinkKpusAverage: define("flinkKpus", "streamsim", "Average", "Count", "stream or topic, consumer", "the same, time-weighted over the interval (KPU-hours over hours)"),
  flinkActiveSessionsMaximum: define("flinkActiveSessions", "streamsim", "Maximum", "Count", "stream, consumer", "a Flink application's live session windows (its keyed window state): the most in the interval"),
  flinkActiveSessionsAverage: define("flinkActiveSessions", "streamsim", "Average", "Count", "stream, consumer", "the same, time-weighted over the interval"),
} as const;

/** Every definition, in the order docs/results.md lists them. */
export const metricCatalogue: readonly MetricDefinition[] = [kinesisMetrics, kafkaMetrics, sqsMetrics, firehoseMetrics, ownMetrics].flatMap((group) => Object.values(group));

/**
 * The published metric a consumer's own lag measure is (summary.json's `nativeMetric`, metrics.csv's
 * consumer rows): Kinesis GetRecords' iterator age, or MillisBehindLatest for records pushed over enhanced
 * fan-out; a Lambda mapping's IteratorAge (AWS/Lambda, either way it reads); a Kafka consumer's records-lag-max; SQS's ApproximateAgeOfOldestMessage; Firehose's DataFreshness.
 */
export function nativeLagMetric(kind: "kinesis" | "kafka" | "sqs" | "firehose", pushed: boolean, consumerType?: string): MetricDefinition {
  if (kind === "kinesis") {
    if (consumerType === "lambda") return kinesisMetrics.lambdaIteratorAge;
    return pushed ? kinesisMetrics.millisBehindLatest : kinesisMetrics.iteratorAge;
  }
  // A Lambda mapping publishes OffsetLag (AWS/Lambda), at the topic level; a consumer group's clients, records-lag-max.
  if (kind === "kafka") return consumerType === "lambda" ? kafkaMetrics.lambdaOffsetLag : kafkaMetrics.recordsLagMax;
  return kind === "sqs" ? sqsMetrics.ageOfOldest : firehoseMetrics.dataFreshness;
}
