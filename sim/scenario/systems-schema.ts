// The `systems:` block: each system under test, how it is sized, how its client sends and who
// consumes. Defaults are the real services' (docs/reference.md, cited by section).

import { z } from "zod";
import {
  byteRate,
  duration,
  durationBetween,
  positiveNumber,
  fraction,
  intBetween,
  latency,
  name,
  positiveInt,
  processing,
  size,
  sizeBetween,
} from "./fields.ts";
import { instanceTypeNames } from "./instance-catalogue.ts";
import { firehoseKinesisConsumer, firehoseRecordBytesMax, firehoseSystem } from "./firehose-schema.ts";
import { flinkKafkaConsumer, flinkKinesisConsumer } from "./flink-schema.ts";
import { lambdaAccount, lambdaKafkaConsumer, lambdaKinesisConsumer } from "./lambda-schema.ts";
import { lambdaSqsConsumer } from "./lambda-sqs-schema.ts";
import { kinesisAutoscaling } from "./kinesis-autoscaling-schema.ts";
import { kedaAutoscaling, sqsAutoscaling } from "./autoscaling-schema.ts";

const MiB = 1024 * 1024;
const hourUs = 3_600_000_000;

// Retry policy shared by the clients that retry with exponential backoff (Kinesis, SQS).
// Defaults: the AWS SDKs' "standard" retry mode (3 attempts, 100 ms base, 20 s cap, full jitter).
const retryFields = {
  maxAttempts: positiveInt(1000).prefault(3),
  baseDelay: duration().prefault("100ms"),
  maxDelay: duration().prefault("20s"),
  jitter: z.enum(["none", "full", "equal"]).prefault("full"),
};
const backoffInOrder = (value: { maxDelay: number; baseDelay: number }): boolean => value.maxDelay >= value.baseDelay;
const backoffOutOfOrder = { error: "a maxDelay not below baseDelay", path: ["maxDelay"] };
const retry = z
  .strictObject(retryFields)
  .refine(backoffInOrder, backoffOutOfOrder)
  .prefault({});

// Kinesis: the SDKs do not resend the failed entries of a PutRecords call; the application does
// (policy attempts, the default: maxAttempts in all) or the KPL does (policy ttl: until the record is
// older than recordTtl, the KPL's RecordTtl, 30 s by default) (docs/reference.md §1.2, §1.7).
const kinesisRetry = z
  .strictObject({
    ...retryFields,
    policy: z.enum(["attempts", "ttl"]).prefault("attempts").describe("attempts: retry failed records up to maxAttempts (an application's loop); ttl: until older than recordTtl (the KPL)"),
    // The KPL's RecordTtl: 30 s by default, at least 100 ms (docs/reference.md §1.2).
    recordTtl: durationBetween(100_000, 24 * hourUs, "100ms", "24h")
      .prefault("30s")
      .describe("policy ttl: a record not put within this is dropped (the KPL's RecordTtl, 30 s, at least 100 ms)"),
  })
  .refine(backoffInOrder, backoffOutOfOrder)
  .prefault({});

// ---- Kinesis Data Streams (docs/reference.md §1) ----

const kinesisCapacity = z.discriminatedUnion("mode", [
  // Shard quota per stream: 10,000 (docs/reference.md §1.4, UpdateShardCount limits).
  z.strictObject({ mode: z.literal("provisioned"), shards: positiveInt(10_000) }),
  z.strictObject({
    mode: z.literal("on-demand"),
    previousPeakWrite: byteRate().optional().describe("peak write bytes/s of the previous 30 days (docs/reference.md §1.5); default: none"),
    previousPeakRecords: positiveNumber().optional().describe("peak write records/s of the previous 30 days (docs/reference.md §1.5); default: none"),
    // On-demand Standard, or the account-level On-demand Advantage pricing (Nov 2025, docs/reference.md §1.5, §2).
    billing: z.enum(["standard", "advantage"]).prefault("standard").describe("on-demand pricing: standard, or advantage (no stream-hour, lower per-GB rates)"),
  }),
]);

const kinesisProducer = z
  .strictObject({
    // PutRecords: <= 500 records and <= 10 MiB per request (docs/reference.md §1.2); linger as the KPL's
    // RecordMaxBufferedTime, 100 ms (docs/reference.md §1.7).
    batch: z
      .strictObject({
        maxRecords: intBetween(1, 500).prefault(500),
        maxBytes: sizeBetween(1, 10 * MiB, "1B", "10MiB (the PutRecords request limit)").prefault("10MiB"),
        linger: duration().prefault("100ms"),
      })
      .prefault({}),
    retry: kinesisRetry,
    // No published PutRecords latency (docs/reference.md §1.5): tens of milliseconds (docs/reference.md §1.5).
    latency: latency("20ms", "80ms"),
    // KPL aggregation packs user records bound for one shard into records of at most
    // AggregationMaxSize, 51,200 B by default (docs/reference.md §1.7).
    aggregation: z
      .strictObject({
        enabled: z.boolean().prefault(false),
        maxBytes: sizeBetween(1024, MiB, "1KiB", "1MiB (the KPL's AggregationMaxSize limit)").prefault("51200B"),
      })
      .prefault({}),
    explicitHashKey: z
      .enum(["none", "random"])
      .prefault("none")
      .describe("random: each record gets a uniformly random ExplicitHashKey, spreading keys evenly over the hash space"),
  })
  .prefault({});

// The KCL's DynamoDB lease table (docs/reference.md §1.9): the KCL creates it on-demand
// (PAY_PER_REQUEST), or provisioned at 10 WCU / 10 RCU (initialLeaseTable*Capacity); leases are
// renewed every failoverTimeMillis / 3 - 25 ms, failoverTimeMillis 10 s by default.
const kclLeaseTable = z
  .strictObject({
    billing: z.enum(["on-demand", "provisioned"]).prefault("on-demand"),
    writeCapacity: intBetween(1, 40_000).prefault(10).describe("provisioned write capacity units (WCU)"),
    readCapacity: intBetween(1, 40_000).prefault(10).describe("provisioned read capacity units (RCU)"),
    failoverTime: duration()
      .refine((valueUs) => valueUs >= 1_000_000, { error: "a duration of at least 1s (the KCL's failoverTimeMillis)" })
      .prefault("10s")
      .describe("the KCL's failoverTimeMillis: leases are renewed every third of it"),
    workers: intBetween(1, 100_000).optional().describe("KCL workers (hosts) sharing the shards; left out, one per shard"),
  })
  .prefault({});

// KCL checkpointing and lease failover. The KCL sample record processor checkpoints every 60 s;
// a dead worker's leases move after 10-30 s (failoverTimeMillis 10 s plus the lease taker's
// ~20 s cadence, docs/reference.md §1.8): 20 s is the middle of that range.
const kclSettings = {
  processing: processing(),
  checkpointInterval: duration().prefault("60s"),
  leaseFailover: duration().prefault("20s"),
  leaseTable: kclLeaseTable,
};

const kinesisConsumer = z.discriminatedUnion("type", [
  z.strictObject({
    name: name(),
    type: z.literal("polling"),
    // KCL 2.x/3.x idleMillisBetweenCalls 1,500 ms (KCL 1.x: 1,000) and maxRecords 10,000 (docs/reference.md §1.8, §1.1).
    // The KCL raises an idle time below 200 ms (MIN_IDLE_MILLIS_BETWEEN_READS) to 200 ms (docs/reference.md §1.8).
    pollInterval: duration()
      .refine((valueUs) => valueUs >= 200_000, { error: "a duration of at least 200ms (the KCL raises a shorter idle time between reads to its minimum, 200 ms)" })
      .prefault("1500ms"),
    maxRecords: intBetween(1, 10_000).prefault(10_000),
    // No published GetRecords latency: the same tens of milliseconds as PutRecords (docs/reference.md §1.5).
    latency: latency("20ms", "80ms"),
    ...kclSettings,
  }),
  z.strictObject({
    name: name(),
    type: z.literal("enhanced-fan-out"),
    // EFO propagation: typically ~70 ms on average from the PutRecords call (docs/reference.md §1.5); the
    // model's delay runs from the call's answer (~25 ms mean by default), so 45 ms median (47 ms mean).
    propagation: latency("45ms", "90ms"),
    ...kclSettings,
  }),
  // A Lambda function behind an event source mapping (docs/reference.md §6).
  lambdaKinesisConsumer,
  // Amazon Data Firehose with this stream as its source, delivering to S3 (docs/reference.md §7.5).
  firehoseKinesisConsumer,
  // A Managed Service for Apache Flink application (docs/reference.md §8).
  flinkKinesisConsumer,
]);

const kinesisResharding = z
  .strictObject({
    // UpdateShardCount takes "a few minutes" (docs/reference.md §1.4); split and merge are asynchronous too.
    updateShardCountTime: duration().prefault("3m"),
    splitMergeTime: duration().prefault("30s"),
    // On-demand streams scale to 2x the previous peak within 15 minutes (docs/reference.md §1.5).
    onDemandScaleTime: duration().prefault("15m"),
  })
  .prefault({});

const kinesis = z.strictObject({
  name: name(),
  kind: z.literal("kinesis"),
  capacity: kinesisCapacity,
  // 1 MiB default, configurable up to 10 MiB (docs/reference.md §1.2).
  maxRecordSize: sizeBetween(MiB, 10 * MiB, "1MiB", "10MiB").prefault("1MiB"),
  // 24 h default, up to 8,760 h (docs/reference.md §1.5).
  retention: durationBetween(24 * hourUs, 8760 * hourUs, "24h", "365d").prefault("24h"),
  producer: kinesisProducer,
  resharding: kinesisResharding,
  // Alarm-driven UpdateShardCount of a provisioned stream (docs/reference.md §1.10); checked in checks.ts.
  autoscaling: kinesisAutoscaling.optional(),
  // At most 20 enhanced fan-out consumers per stream, 50 with On-demand Advantage (docs/reference.md §1.3); checked in checks.ts.
  consumers: z.array(kinesisConsumer).prefault([]),
  // The account its Lambda consumers run in (docs/reference.md §6.1).
  lambdaAccount,
});

// ---- Kafka (docs/reference.md §3) ----

// Instance types the Kafka model knows capacities for: the instance catalogue's (sim/cost/instances.yaml).
// A zod enum, so the JSON Schema lists them and a misspelt name gets a did-you-mean.
export const kafkaInstanceTypes = instanceTypeNames() as [string, ...string[]];

// A broker capacity given in place of the instance type's (e.g. a gp3 volume provisioned above its
// baseline, or a measured request cost). Byte rates must be above zero: nothing would flow at zero.
const positiveByteRate = (description: string) =>
  byteRate()
    .refine((bytesPerSecond) => bytesPerSecond > 0, { error: 'a byte rate above zero, such as "100MB/s"' })
    .optional()
    .describe(description);

const brokerCapacityOverride = z.strictObject({
  networkIn: positiveByteRate("bytes/s a broker can receive; default: the instance type's baseline network bandwidth"),
  networkOut: positiveByteRate("bytes/s a broker can send; default: the instance type's baseline network bandwidth"),
  diskWrite: positiveByteRate("bytes/s a broker can write to its log volume; default: the instance type's storage throughput"),
  requestTime: duration()
    .optional()
    .describe("time one produce request occupies a broker, excluding its bytes' transfer; default: the instance type's estimate"),
});

// Partitioners of the Kafka clients users run (docs/keys.md, docs/reference.md §3.1).
export { kafkaPartitionerNames, type KafkaPartitionerName } from "./kafka-partitioner-names.ts";
import { kafkaPartitionerNames } from "./kafka-partitioner-names.ts";

const kafkaPartitioner = () =>
  z.enum(kafkaPartitionerNames, {
    error: "one of murmur2 (Java), kafkajs, consistent_random (librdkafka's default), consistent, murmur2_random, fnv1a_random, sarama",
  });

const kafkaProducer = z
  .strictObject({
    partitioner: kafkaPartitioner()
      .prefault("murmur2")
      .describe("the client's partitioner: murmur2 (the Java client's default), kafkajs, librdkafka's consistent_random (its default), consistent, murmur2_random, fnv1a_random, or sarama (FNV-1a); see docs/keys.md"),
    partitioners: z
      .record(z.string(), kafkaPartitioner())
      .optional()
      .describe("per workload producer, the partitioner of its client where it is not `partitioner` (a fleet of Java and Python producers)"),
    stickyPartitioningLinger: durationBetween(0, 900_000_000, "0s", "900s")
      .optional()
      .describe("librdkafka's sticky.partitioning.linger.ms: how long keyless records stick to one partition (librdkafka partitioners only); default: twice linger"),
    // acks all, linger.ms 5 (Kafka >= 4.0), batch.size 16,384, max.request.size 1,048,576,
    // delivery.timeout.ms 120,000 (docs/reference.md §3.2).
    acks: z.union([z.literal(0), z.literal(1), z.literal("all")], { error: "one of 0, 1, all" }).prefault("all"),
    linger: duration().prefault("5ms"),
    batchSize: size().prefault("16384B"),
    maxRequestSize: size().prefault("1048576B"),
    deliveryTimeout: duration().prefault("120s"),
    // buffer.memory 32 MiB, max.block.ms 60,000,
    // retry.backoff.ms 100 growing to retry.backoff.max.ms 1,000 (KIP-580) (docs/reference.md §3.2).
    bufferMemory: sizeBetween(MiB, 64 * 1024 * MiB, "1MiB", "64GiB")
      .prefault("32MiB")
      .describe("buffer.memory: bytes the client's batches may hold until answered; a full buffer blocks send()"),
    maxBlock: durationBetween(0, 24 * hourUs, "0s", "24h")
      .prefault("60s")
      .describe("max.block.ms: how long send() waits for buffer.memory before the record fails"),
    retryBackoff: durationBetween(0, hourUs, "0s", "1h").prefault("100ms").describe("retry.backoff.ms: the first retry's wait"),
    retryBackoffMax: durationBetween(0, hourUs, "0s", "1h")
      .prefault("1s")
      .describe("retry.backoff.max.ms: the wait doubles per retry up to this (±20% jitter)"),
    // max.in.flight.requests.per.connection 5; the default idempotent producer (enable.idempotence,
    // Kafka >= 3.0) needs at most 5, which keeps each partition's order across retries; above 5 the
    // Java client turns idempotence off, and retries may reorder, which the model does not show
    // (docs/reference.md §3.2).
    maxInFlightRequestsPerConnection: positiveInt(10_000)
      .prefault(5)
      .describe("max.in.flight.requests.per.connection: requests sent to one broker and not yet answered; more wait in the client (above 5 the Java client is not idempotent)"),
    latency: latency("2ms", "10ms"),
    quota: byteRate()
      .optional()
      .describe("client produce byte-rate quota (producer_byte_rate); above it brokers delay the client's requests"),
  })
  .refine((producer) => producer.bufferMemory >= Math.max(producer.batchSize, producer.maxRequestSize), {
    error: "a bufferMemory of at least batchSize and maxRequestSize (a batch or a request must fit in it)",
    path: ["bufferMemory"],
  })
  .prefault({});

const kafkaConsumerGroup = z.strictObject({
  name: name(),
  type: z.literal("consumer-group").optional().describe("a group of Kafka consumers (the default); lambda: a Lambda function behind an event source mapping"),
  consumers: positiveInt(10_000).prefault(1),
  // The default strategy list starts with RangeAssignor (docs/reference.md §3.4).
  assignment: z.enum(["range", "roundrobin", "cooperative-sticky"]).prefault("range"),
  // max.poll.records 500, fetch.min.bytes 1, fetch.max.wait.ms 500, auto-commit every 5 s (docs/reference.md §3.4).
  maxPollRecords: positiveInt(1_000_000).prefault(500).describe("max.poll.records: the most records one poll() hands the application (fetches are sized in bytes)"),
  fetchMinBytes: size().prefault("1B"),
  fetchMaxWait: duration().prefault("500ms"),
  // fetch.max.bytes 50 MiB, max.partition.fetch.bytes 1 MiB, max.poll.interval.ms 300,000 (docs/reference.md §3.4).
  fetchMaxBytes: sizeBetween(1, 1024 * MiB, "1B", "1GiB")
    .prefault("50MiB")
    .describe("fetch.max.bytes: the most bytes one fetch takes from a broker (the first record always comes, however large)"),
  maxPartitionFetchBytes: sizeBetween(1, 1024 * MiB, "1B", "1GiB")
    .prefault("1MiB")
    .describe("max.partition.fetch.bytes: the most bytes one fetch takes from a partition"),
  maxPollInterval: durationBetween(1000, 24 * hourUs, "1ms", "24h")
    .prefault("5m")
    .describe("max.poll.interval.ms: a consumer whose processing of one poll's records takes longer leaves the group, which rebalances"),
  autoCommitInterval: duration().prefault("5s"),
  // auto.offset.reset latest (docs/reference.md §3.4): a position retention deleted jumps to the log end.
  autoOffsetReset: z
    .enum(["latest", "earliest"])
    .prefault("latest")
    .describe("where a group whose position retention deleted goes on: the log end (skipping what is kept) or the oldest record kept"),
  processing: processing(),
  autoscaling: kedaAutoscaling.optional().describe("KEDA-style scaling of the group's consumers on its lag (docs/reference.md §11.2)"),
});

const kafka = z.strictObject({
  name: name(),
  kind: z.literal("kafka"),
  brokers: z.strictObject({
    count: positiveInt(1000),
    instanceType: z.enum(kafkaInstanceTypes).prefault("kafka.m5.large"),
    // Replaces the instance catalogue's figures, field by field; resolved in normalize.ts.
    capacity: brokerCapacityOverride.optional(),
    // Round trip between brokers in different Availability Zones, for followers' fetches (docs/reference.md §3.3).
    interBrokerLatency: latency("800us", "2ms").describe("round trip between two brokers (a follower's fetch and its answer); default: a cross-AZ round trip"),
    // MSK spreads brokers evenly over 2 or 3 AZs; the count must be a multiple (docs/reference.md §3.3).
    availabilityZones: z
      .union([z.literal(2), z.literal(3)])
      .optional()
      .describe("kafka.* (MSK) only: Availability Zones the brokers spread over, 2 or 3; the count must be a multiple; default: 3 when the count is a multiple of 3, else 2"),
    // MSK Standard brokers' EBS volume: 1 to 16,384 GiB per broker (docs/reference.md §5).
    storage: z
      .number()
      .int()
      .min(1)
      .max(16_384)
      .optional()
      .describe("GiB of storage provisioned per broker (the EBS volume), billed whole; default: sized to the fullest broker's kept bytes"),
  }),
  topic: z.strictObject({
    name: z
      .string()
      .regex(/^[A-Za-z0-9._-]{1,249}$/, { error: "a topic name of 1 to 249 letters, digits, '.', '_' or '-'" })
      .prefault("events")
      .describe("partitions are reported as <name>-<index>"),
    partitions: positiveInt(100_000),
    // Left out, these three take the cluster's defaults: Amazon MSK's on kafka.* instance types, Apache
    // Kafka's otherwise (docs/reference.md §3.3, resolved in topic-defaults.ts).
    replicationFactor: positiveInt(1000)
      .optional()
      .describe("default: 3 on an MSK cluster in 3 Availability Zones, 2 in 2 AZs, 1 on self-managed Kafka"),
    minInsyncReplicas: positiveInt(1000)
      .optional()
      .describe("default: 2 on an MSK cluster in 3 Availability Zones, 1 otherwise; never above the replication factor"),
    uncleanLeaderElection: z
      .boolean()
      .optional()
      .describe("unclean.leader.election.enable: an out-of-sync replica may lead (losing what it lacks); default: true on MSK, false on Apache Kafka"),
    // log.retention.hours 168 (docs/reference.md §3.3).
    retention: duration().prefault("168h"),
    // log.retention.bytes is -1 (no size limit) by default (Kafka broker configs).
    retentionBytes: size().optional().describe("log.retention.bytes: the most a partition keeps; default: no size limit"),
    // segment.bytes 1 GiB, segment.ms 7 days: retention deletes whole closed segments (docs/reference.md §3.3).
    segmentBytes: sizeBetween(14, 2 ** 31 - 1, "14B", "2GiB").prefault("1GiB").describe("segment.bytes: a partition's log rolls a new segment at this size"),
    segmentAge: duration().prefault("7d").describe("segment.ms: a partition's log rolls a new segment when its first record is this old"),
  }),
  producer: kafkaProducer,
  // Consumer groups of Java consumers, or Lambda functions behind event source mappings (a mapping is a
  // consumer group of its own, docs/reference.md §6.6).
  consumerGroups: z.array(z.discriminatedUnion("type", [kafkaConsumerGroup, lambdaKafkaConsumer])).prefault([]),
  // The account its Lambda consumers run in (docs/reference.md §6.1).
  lambdaAccount,
  // Managed Service for Apache Flink applications reading the topic (docs/reference.md §8).
  flinkApplications: z.array(flinkKafkaConsumer).prefault([]),
});

// ---- SQS (docs/reference.md §4) ----

const sqsQueue = z.strictObject({
  type: z.enum(["standard", "fifo"]).prefault("standard"),
  // Visibility timeout 30 s (0 s - 12 h); retention 4 d (60 s - 14 d); delay 0 - 15 min;
  // message size up to 1 MiB; DLQ after maxReceiveCount receives (docs/reference.md §4).
  visibilityTimeout: durationBetween(0, 12 * hourUs, "0s", "12h").prefault("30s"),
  retention: durationBetween(60_000_000, 14 * 24 * hourUs, "60s", "14d").prefault("4d"),
  delay: durationBetween(0, 900_000_000, "0s", "15m").prefault("0s"),
  maxMessageSize: sizeBetween(1024, MiB, "1KiB", "1MiB").prefault("1MiB"),
  maxReceiveCount: positiveInt(1000).optional().describe("moves a message to the dead-letter queue; default: no DLQ"),
  highThroughput: z.boolean().prefault(false).describe("FIFO high-throughput mode"),
  // Standard queues deliver at least once (docs/reference.md §4), but AWS publishes no rate of extra copies: the
  // default 0 keeps runs comparable; set a small probability to see what duplicates cost. FIFO ignores it.
  duplicateDeliveryProbability: fraction()
    .prefault(0)
    .describe("standard queues: chance that a deleted message is delivered once more (at-least-once delivery)"),
});

// Processing time per message: fixed (perRecord each) or exponential with mean perRecord (the
// M/M/1 validation needs memoryless service); perBatch is added once per received batch.
const sqsProcessing = z
  .strictObject({
    perRecord: duration().prefault("0s"),
    perBatch: duration().prefault("0s"),
    distribution: z.enum(["fixed", "exponential"]).prefault("fixed"),
  })
  .prefault({});

const sqsProducer = z
  .strictObject({
    // SendMessageBatch takes up to 10 messages; a plain client sends one at a time (docs/reference.md §4).
    batch: z
      .strictObject({ maxMessages: intBetween(1, 10).prefault(1), linger: duration().prefault("0s") })
      .prefault({}),
    retry,
    latency: latency("10ms", "40ms"),
    // A message timer (DelaySeconds on each SendMessage entry), 0 - 15 min; it overrides the queue's
    // delay; FIFO queues take none (docs/reference.md §4).
    delay: durationBetween(0, 900_000_000, "0s", "15m")
      .optional()
      .describe("standard queues: message timer (DelaySeconds) on every message sent, overriding queue.delay; default: the queue's delay"),
    lostResponseProbability: fraction()
      .prefault(0)
      .describe(
        "share of send calls whose answer is lost after SQS stored the messages; the client retries: a standard queue stores them twice, a FIFO queue deduplicates within 5 minutes",
      ),
  })
  .prefault({});

const sqsFleet = z.strictObject({
  name: name(),
  type: z.literal("fleet").optional().describe("fleet (the default): consumers running the ReceiveMessage loop; lambda: a Lambda function behind an event source mapping"),
  count: positiveInt(100_000).prefault(1),
  // ReceiveMessage returns 1 message and short-polls unless told otherwise (docs/reference.md §4).
  maxMessages: intBetween(1, 10).prefault(1),
  waitTime: durationBetween(0, 20_000_000, "0s", "20s").prefault("0s"),
  failureProbability: fraction().prefault(0),
  processing: sqsProcessing,
  // No published ReceiveMessage or DeleteMessage latency: the same tens of milliseconds as sends (docs/reference.md §4).
  receiveLatency: latency("10ms", "40ms"),
  deleteLatency: latency("10ms", "40ms"),
  autoscaling: sqsAutoscaling.optional().describe("target tracking of the fleet's size on the backlog per consumer (docs/reference.md §11.1)"),
});

// A consumer fleet, or a Lambda function behind an SQS event source mapping (docs/reference.md §6.5).
const sqsConsumer = z.discriminatedUnion("type", [sqsFleet, lambdaSqsConsumer]);

const sqs = z.strictObject({
  name: name(),
  kind: z.literal("sqs"),
  queue: sqsQueue.prefault({}),
  producer: sqsProducer,
  consumers: z.array(sqsConsumer).prefault([]),
  // The account its Lambda consumers run in (docs/reference.md §6.1).
  lambdaAccount,
});

export const systemSchema = z.discriminatedUnion("kind", [kinesis, kafka, sqs, firehoseSystem]);

export type SystemInput = z.output<typeof systemSchema>;
export type KinesisSystem = Extract<SystemInput, { kind: "kinesis" }>;
/** A Kafka system as the schema outputs it; the normalised KafkaSystem (types.ts) adds brokers.resolved. */
export type KafkaSystemInput = Extract<SystemInput, { kind: "kafka" }>;
export type SqsSystem = Extract<SystemInput, { kind: "sqs" }>;
export type FirehoseSystem = Extract<SystemInput, { kind: "firehose" }>;

/**
 * The largest record data each system accepts from a producer whose keys take up to keyBytes, and the
 * setting that says so (for messages). Kinesis counts the partition key inside maxRecordSize (docs/reference.md §1.2).
 */
export function recordSizeLimit(system: SystemInput, keyBytes: number): { limitBytes: number; field: string } {
  switch (system.kind) {
    case "kinesis":
      return keyBytes === 0
        ? { limitBytes: system.maxRecordSize, field: "maxRecordSize" }
        : { limitBytes: system.maxRecordSize - keyBytes, field: `maxRecordSize, less the ${keyBytes} B of the longest partition key, which it counts` };
    case "kafka":
      return { limitBytes: system.producer.maxRequestSize, field: "producer.maxRequestSize" };
    case "sqs":
      return { limitBytes: system.queue.maxMessageSize, field: "queue.maxMessageSize" };
    case "firehose":
      return { limitBytes: firehoseRecordBytesMax, field: "the 1,000 KiB Firehose record limit" };
  }
}

/** A Kafka system's consumer group of Java consumers (not a Lambda mapping). */
export type KafkaConsumerGroupSpec = Exclude<KafkaSystemInput["consumerGroups"][number], { type: "lambda" }>;
export type KafkaLambdaConsumerSpec = Extract<KafkaSystemInput["consumerGroups"][number], { type: "lambda" }>;

/** Whether a Kafka consumer entry is a group of Java consumers (not a Lambda mapping). */
export function isConsumerGroup(entry: KafkaSystemInput["consumerGroups"][number]): entry is KafkaConsumerGroupSpec {
  return entry.type !== "lambda";
}
