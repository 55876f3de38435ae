// What a system model hands to reports/: the same shape for every kind of system (docs/design.md
// "Results"), so they compare side by side. Models fill it with counts, histograms and series;
// reports/ turns them into percentiles, tables and charts.

import type { RandomStreams, Simulation } from "../engine/index.ts";
import type { LogHistogram } from "./histogram.ts";
import { CounterSeries, type GaugeSeries } from "./series.ts";
import type { FirehoseSeries, FirehoseUsage, KafkaSeries, KafkaUsage, KinesisSeries, KinesisUsage, SqsSeries, SqsUsage } from "./system-kinds.ts";
import type { SeriesOptions } from "./intervals.ts";
import type { FlinkConsumerStats } from "./flink-result.ts";
import type { LambdaConsumerStats } from "./lambda-result.ts";
import type { FirehoseConsumerStats } from "./firehose-consumer-result.ts";
import type { LagSamples } from "./trend.ts";
import type { AutoscalingStats } from "./autoscaling-result.ts";
import type { ConsumerAutoscalingStats } from "./consumer-autoscaling-result.ts";

/** What every system model is given to run in: the simulation, the named random streams, the run's times. */
export interface ModelContext {
  sim: Simulation;
  streams: RandomStreams;
  durationUs: number;
  warmupUs: number;
  reportIntervalUs: number;
}

export type Severity = "info" | "warning" | "critical";

/** A problem a model detected, as data: the model knows its limits, reports/ orders and renders. */
export interface Finding {
  severity: Severity;
  code: string;
  /** What it is about: a shard id, a consumer name, the stream. */
  subject: string;
  message: string;
  evidence: Record<string, number | string>;
}

/**
 * Records dropped below this share of those produced are a warning, from it up critical: one record in
 * millions lost to a burst is worth knowing and fixing, not the verdict on the run (docs/results.md).
 */
const droppedCriticalShare = 0.0001;

/** A records-dropped finding's severity, for every system: critical from droppedCriticalShare of the records produced. */
export function droppedSeverity(dropped: number, produced: number): Finding["severity"] {
  return dropped / produced >= droppedCriticalShare ? "critical" : "warning";
}

/** What a system's producer clients count, summed into SystemResult.records and .bytes. */
export interface ProducerCounts {
  produced: number;
  producedBytes: number;
  accepted: number;
  acceptedBytes: number;
  throttledAttempts: number;
  dropped: number;
}

export function newProducerCounts(): ProducerCounts {
  return { produced: 0, producedBytes: 0, accepted: 0, acceptedBytes: 0, throttledAttempts: 0, dropped: 0 };
}

/** Sums producer clients' counts. */
export function sumProducerCounts(all: ProducerCounts[]): ProducerCounts {
  const total = newProducerCounts();
  for (const counts of all) for (const key of Object.keys(total) as Array<keyof ProducerCounts>) total[key] += counts[key];
  return total;
}

export interface PartitionResult {
  /** `shardId-000000000000` or `topic-0`. */
  id: string;
  acceptedRecords: number;
  acceptedBytes: number;
  /** Records rejected by the write limit (each rejected attempt counts). */
  throttledAttempts: number;
  /**
   * Largest demand/limit ratio over report intervals, the larger of bytes and records: what producers
   * asked of it (first attempts), retries left out (Kafka: the partition's part of its leader broker).
   */
  peakWriteUtilization: number;
  /** The same with every attempt counted, retries included: the load the write limit actually saw. */
  peakAttemptUtilization: number;
  /** Simulated time the partition started taking writes, and stopped (null while open at the end). */
  openedUs: number;
  closedUs: number | null;
  series: {
    acceptedRecords: CounterSeries;
    acceptedBytes: CounterSeries;
    offeredRecords: CounterSeries;
    offeredBytes: CounterSeries;
    throttledAttempts: CounterSeries;
    /** First attempts only: the workload's demand, before retries. */
    demandRecords: CounterSeries;
    demandBytes: CounterSeries;
  };
  /**
   * Kinesis shards only: the Kinesis records it took and their bytes (IncomingRecords, IncomingBytes): its
   * accepted user records, or with KPL aggregation the aggregates that carried them.
   */
  incoming?: { records: CounterSeries; bytes: CounterSeries };
  /** Kinesis shards only: records and bytes readers took from it (OutgoingRecords, OutgoingBytes). */
  outgoing?: { records: CounterSeries; bytes: CounterSeries };
  /** Write utilization per report interval (demand over limit, retries left out). */
  writeUtilization: Float64Array;
  /** Attempt utilization per report interval (every attempt over limit, retries included). */
  attemptUtilization: Float64Array;
  /** The busiest keys written to it, for hot-partition explanations. */
  topKeys: Array<{ key: string; records: number }>;
}

export interface ConsumerResult {
  name: string;
  type: string;
  records: {
    consumed: number;
    unread: number;
    inFlight: number;
    expired: number;
    deadLettered: number;
    lost: number;
    duplicates: number;
  };
  /** Age of the oldest accepted, unprocessed record, sampled every simulated second after warm-up (microseconds). */
  lag: LogHistogram;
  lagSeries: GaugeSeries;
  /** The same samples one by one (time, lag), for the falling-behind rule. */
  lagSamples: LagSamples;
  /** Creation to end of processing, per record, after warm-up (microseconds). */
  endToEndLatency: LogHistogram;
  readThrottles: number;
  /** GetRecords calls a Kinesis polling reader made, throttled ones included (0 for other readers); for findings, not in summary.json. */
  readCalls: number;
  /** The system's own lag metric (Kinesis iteratorAgeMs, Kafka recordsLag, SQS ageOfOldestMessageMs). */
  native: {
    name: "iteratorAgeMs" | "recordsLag" | "ageOfOldestMessageMs" | "dataFreshnessMs";
    unit: "ms" | "records";
    /** Kinesis: records pushed over enhanced fan-out, whose lag metric is SubscribeToShardEvent.MillisBehindLatest, not GetRecords' iterator age. */
    pushed: boolean;
    histogram: LogHistogram;
    series: GaugeSeries;
  };
  /** The native metric per partition over time (per shard iterator age, per partition records lag). */
  nativePerPartition: Array<{ id: string; series: GaugeSeries }>;
  /**
   * Kafka consumer groups (and Flink's Kafka source): MSK's MaxOffsetLag and SumOffsetLag, high watermark
   * less committed offset over the partitions, and EstimatedMaxTimeLag (seconds to drain MaxOffsetLag at
   * the group's rate over the last minute, sim/kafka/drain-estimate.ts), sampled every second.
   */
  offsetLag?: { max: GaugeSeries; sum: GaugeSeries; estimatedMaxTimeSeconds: GaugeSeries };
  /** Queues only: send to first receive, per message, after warm-up (microseconds). */
  queueWait?: LogHistogram;
  /** Lambda consumers only: the function and its event source mapping. */
  lambda?: LambdaConsumerStats;
  /** Kinesis Firehose consumers only: the Firehose stream reading the Kinesis stream, and its S3 delivery. */
  firehose?: FirehoseConsumerStats;
  /** Flink consumers only: the application's subtasks, backpressure and KPUs. */
  flink?: FlinkConsumerStats;
  /** Autoscaled SQS fleets and Kafka groups only: the consumer count over time and the scaling. */
  autoscaling?: ConsumerAutoscalingStats;
}

/** What every kind of system reports alike; SystemResult adds each kind's own usage and series. */
interface SystemResultBase {
  name: string;
  records: { produced: number; accepted: number; throttledAttempts: number; dropped: number; pending: number };
  bytes: { produced: number; accepted: number };
  /** Creation to acknowledgement, per accepted record (microseconds). */
  producerLatency: LogHistogram;
  partitions: PartitionResult[];
  consumers: ConsumerResult[];
  findings: Finding[];
  /** Facts about the run a reader needs (final shard count, scaling events), as label -> value. */
  facts: Record<string, number | string>;
}

/**
 * `series`: system-level series by their native metric names (IncomingBytes, ...). `usage`: billable
 * quantities the model counted where they happened, from the end of warm-up to the end of the run;
 * the cost model prices them.
 */
export interface KinesisResult extends SystemResultBase {
  kind: "kinesis";
  series: KinesisSeries;
  usage: KinesisUsage;
  /** Provisioned streams with an autoscaling block only: what the alarms made UpdateShardCount do. */
  autoscaling?: AutoscalingStats;
}

export interface KafkaResult extends SystemResultBase {
  kind: "kafka";
  series: KafkaSeries;
  usage: KafkaUsage;
}

export interface SqsResult extends SystemResultBase {
  kind: "sqs";
  series: SqsSeries;
  usage: SqsUsage;
}

/**
 * A Firehose stream's S3 delivery is its one consumer (consumed: delivered; unread: in buffers; inFlight:
 * being written or retried; deadLettered: sent to the backup or error prefix), so lag is DataFreshness.
 */
export interface FirehoseResult extends SystemResultBase {
  kind: "firehose";
  series: FirehoseSeries;
  usage: FirehoseUsage;
  /** Size of each S3 object written (bytes), backups included. */
  objectSizeBytes: LogHistogram;
}

/** One system's result, discriminated by `kind`. */
export type SystemResult = KinesisResult | KafkaResult | SqsResult | FirehoseResult;

/** The kinds of system the simulator models. */
export type SystemKind = SystemResult["kind"];

/** The result type of one kind. */
export type SystemResultOf<K extends SystemKind> = Extract<SystemResult, { kind: K }>;

/** A result narrowed to the kind the caller knows it has (tests, scripts); another kind is an error. */
export function resultOfKind<K extends SystemKind>(result: SystemResult, kind: K): SystemResultOf<K> {
  if (result.kind !== kind) throw new Error(`system ${result.name} is ${result.kind}, not ${kind}`);
  // The check above is the narrowing TypeScript cannot follow through the generic K.
  return result as SystemResultOf<K>;
}

/** The per-interval counters every shard or partition keeps. */
export function newPartitionSeries(options: SeriesOptions): PartitionResult["series"] {
  return {
    acceptedRecords: new CounterSeries(options),
    acceptedBytes: new CounterSeries(options),
    offeredRecords: new CounterSeries(options),
    offeredBytes: new CounterSeries(options),
    throttledAttempts: new CounterSeries(options),
    demandRecords: new CounterSeries(options),
    demandBytes: new CounterSeries(options),
  };
}
