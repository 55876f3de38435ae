// What each kind of system adds to the shared SystemResult: its billable usage and its own series,
// typed field by field, so the cost model and reports read `usage.putPayloadUnits` and a misspelt
// name is a compile error rather than a silent zero. Series keep each service's metric names.

import type { CounterSeries, GaugeSeries } from "./series.ts";

/**
 * Every kind's producer series (ProducerMeter): the records the workload created for the system, by
 * creation time (its demand, the same for every system fed by one workload), and the records of
 * attempts after a first (retries), at the time of the attempt.
 */
export type ProducerSeries = {
  ProducedRecords: CounterSeries;
  RetriedRecords: CounterSeries;
};

/** Kinesis, after warm-up: records written in PUT payload units and bytes, and bytes each consumer read. */
export interface KinesisUsage {
  putPayloadUnits: number;
  recordsWritten: number;
  bytesWritten: number;
  /** Bytes rounded up to 1 KB per record, as on-demand ingest bills them. */
  billedBytesWritten: number;
  /** By consumer name. */
  bytesReadByConsumer: Record<string, number>;
  /** The DynamoDB lease table of each KCL consumer (polling, enhanced fan-out), by consumer name. */
  leaseTables?: Record<string, LeaseTableUsage>;
}

/** A KCL application's lease table after warm-up: write units by cause, read units, throttles. */
export interface LeaseTableUsage {
  billing: "on-demand" | "provisioned";
  writeCapacity: number;
  readCapacity: number;
  renewalIntervalUs: number;
  /** The consumer's checkpointInterval: what a crash replays at most, per shard. */
  checkpointIntervalUs: number;
  renewalWrites: number;
  checkpointWrites: number;
  /** Lease creations and takes (at start, for new shards, after a failover). */
  takeWrites: number;
  /** Eventually consistent scans by the workers' lease takers. */
  readUnits: number;
  throttledCheckpoints: number;
  throttledRenewals: number;
  peakLeases: number;
  workers: number;
}

/** Stream-level CloudWatch series (sums over shards per report interval). */
export type KinesisSeries = {
  IncomingRecords: CounterSeries;
  IncomingBytes: CounterSeries;
  WriteProvisionedThroughputExceeded: CounterSeries;
  OfferedRecords: CounterSeries;
  DemandRecords: CounterSeries;
  DemandBytes: CounterSeries;
  "PutRecords.Calls": CounterSeries;
  "PutRecords.LatencySumMs": CounterSeries;
  ReadProvisionedThroughputExceeded: CounterSeries;
} & ProducerSeries;

/**
 * Kafka, after warm-up: records, data bytes and log bytes accepted (log bytes are the batches as
 * stored and sent), the record bytes each broker holds replicas of, and per group the records it
 * consumed and their log bytes.
 */
export interface KafkaUsage {
  recordsAccepted: number;
  bytesAccepted: number;
  logBytes: number;
  /** Indexed by broker. */
  replicatedBytesByBroker: number[];
  /** By consumer group name. */
  recordsConsumedByGroup: Record<string, number>;
  bytesConsumedByGroup: Record<string, number>;
  /** What each partition's log kept on disk over the window after warm-up, by partition. */
  storageByPartition: KafkaPartitionStorage[];
}

/** A partition's log on disk over the window after warm-up. */
export interface KafkaPartitionStorage {
  /** The brokers holding its replicas (each holds what the leader holds). */
  brokers: number[];
  /** Time-average of the log bytes its segments held (sampled every second). */
  storedBytesMean: number;
  /** Log bytes appended in the window: its ingest. */
  appendedBytes: number;
}

/**
 * BusyUs is the busiest resource's busy time per interval; the others are each resource's (network in,
 * network out, log volume writes, request handler pool).
 */
export type KafkaBrokerMetric =
  | "BytesInPerSec"
  | "BytesOutPerSec"
  | "MessagesInPerSec"
  | "ReplicationBytesInPerSec"
  | "ReplicationBytesOutPerSec"
  | "BusyUs"
  | "NetworkInBusyUs"
  | "NetworkOutBusyUs"
  | "DiskWriteBusyUs"
  | "RequestHandlerBusyUs";

/**
 * Produce requests and their latency, offline partitions, and per broker `broker-<i>/<metric>`: counters
 * per interval (the *PerSec ones hold bytes or records per interval; metrics.csv divides them by its
 * length) and the UnderReplicatedPartitions gauge.
 */
export type KafkaSeries = {
  ProduceRequests: CounterSeries;
  ProduceLatencySumMs: CounterSeries;
  OfflinePartitionsCount: GaugeSeries;
} & ProducerSeries & { [broker: `broker-${number}/${KafkaBrokerMetric}`]: CounterSeries } & { [broker: `broker-${number}/UnderReplicatedPartitions`]: GaugeSeries };

/**
 * SQS, after warm-up, each request count in billed requests (calls x 64 KB payload chunks, at least
 * one per call): sends, receives that returned messages, empty receives, deletes, visibility changes;
 * and the messages and body bytes SQS accepted (a retried call's once).
 */
export interface SqsUsage {
  sendRequests: number;
  receiveRequests: number;
  emptyReceiveRequests: number;
  deleteRequests: number;
  changeVisibilityRequests: number;
  messagesSent: number;
  bytesSent: number;
}

/** SqsUsage's fields, in the order the summary and tests list them. */
export const sqsUsageNames: readonly (keyof SqsUsage)[] = ["sendRequests", "receiveRequests", "emptyReceiveRequests", "deleteRequests", "changeVisibilityRequests", "messagesSent", "bytesSent"];

export function newSqsUsage(): SqsUsage {
  return { sendRequests: 0, receiveRequests: 0, emptyReceiveRequests: 0, deleteRequests: 0, changeVisibilityRequests: 0, messagesSent: 0, bytesSent: 0 };
}

/** The Kafka quantities counted by name (per-broker and per-group ones are kept by index and meter). */
export type KafkaCountedUsage = "recordsAccepted" | "bytesAccepted" | "logBytes";

/** The queue's series under their CloudWatch names (AWS/SQS namespace). */
export type SqsSeries = {
  ApproximateNumberOfMessagesVisible: GaugeSeries;
  ApproximateNumberOfMessagesNotVisible: GaugeSeries;
  ApproximateNumberOfMessagesDelayed: GaugeSeries;
  ApproximateAgeOfOldestMessage: GaugeSeries;
  NumberOfMessagesSent: CounterSeries;
  NumberOfMessagesReceived: CounterSeries;
  NumberOfMessagesDeleted: CounterSeries;
  NumberOfEmptyReceives: CounterSeries;
} & ProducerSeries;

/**
 * Firehose (Direct PUT to S3), after warm-up: records and bytes the stream took in, the bytes ingestion
 * bills (each record rounded up to 5 KB), bytes converted (format conversion bills them with the same
 * rounding; 0 when off), bytes and objects delivered with dynamic partitioning (0 when off), S3 PUT
 * requests (one per object, backups included) and the bytes written to S3 (after conversion).
 */
export interface FirehoseUsage {
  recordsIngested: number;
  bytesIngested: number;
  billedIngestBytes: number;
  convertedBilledBytes: number;
  partitionedBytes: number;
  partitionedObjects: number;
  s3PutRequests: number;
  s3BytesWritten: number;
}

/** FirehoseUsage's fields, in the order the summary and tests list them. */
export const firehoseUsageNames: readonly (keyof FirehoseUsage)[] = [
  "recordsIngested",
  "bytesIngested",
  "billedIngestBytes",
  "convertedBilledBytes",
  "partitionedBytes",
  "partitionedObjects",
  "s3PutRequests",
  "s3BytesWritten",
];

/** The stream's series under their CloudWatch names (AWS/Firehose namespace); DataFreshness in seconds. */
export type FirehoseSeries = {
  IncomingRecords: CounterSeries;
  IncomingBytes: CounterSeries;
  IncomingPutRequests: CounterSeries;
  ThrottledRecords: CounterSeries;
  "DeliveryToS3.Records": CounterSeries;
  "DeliveryToS3.Bytes": CounterSeries;
  "DeliveryToS3.Objects": CounterSeries;
  "DeliveryToS3.DataFreshness": GaugeSeries;
  "BackupToS3.Records": CounterSeries;
} & ProducerSeries;
