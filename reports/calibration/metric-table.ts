// The one table from CloudWatch metric names to the simulated series they compare with
// (docs/calibration.md lists it; the CloudWatch metrics are in docs/reference.md §10). A renamed
// simulated series is a one-line change here.
//
// Like is compared with like: a CloudWatch Sum per period against the simulated total in that period;
// Average or Maximum where the metric is a gauge (iterator age, offset lag, age of oldest message);
// MSK's BytesInPerSec, a per-second rate, against the simulated bytes over the period's seconds.

import type { CounterSeries, GaugeSeries, PartitionResult, SystemResult } from "../../sim/metrics/index.ts";
import type { CloudWatchStatistic } from "../../sim/metrics/index.ts";

/** What a metric is compared as: a counter's total, a counter as a per-second rate, or a gauge. */
export type SimulatedSeries = { shape: "counter"; series: CounterSeries[] } | { shape: "rate"; series: CounterSeries[] } | { shape: "gauge"; series: GaugeSeries[] };

/** Why a metric usually disagrees, for the finding (docs/calibration.md "Reading the findings"). */
export type MismatchCause = "traffic" | "skew" | "throttling" | "consumers";

/** The dimension a label names after the metric: a shard, a broker, a consumer (group), or none (the whole stream or queue). */
export interface Dimension {
  kind: "shard" | "broker" | "consumer" | null;
  value: string | null;
}

export interface MetricMapping {
  systemKind: SystemResult["kind"];
  /** Statistics the comparison supports; the first is assumed when a get-metric-data label names none. */
  statistics: CloudWatchStatistic[];
  unit: string;
  /**
   * Percentage errors are taken against max(|recorded|, floor): a healthy consumer's lag of a few
   * records or a few hundred milliseconds is noise, and must not read as a 100% error. Our choice of
   * "too small to matter", not a documented figure (docs/calibration.md); 0 for counters.
   */
  floor: number;
  cause: MismatchCause;
  /** The simulated series for the dimension, or null when the system has no such shard, broker or consumer. */
  simulated(system: SystemResult, dimension: Dimension): SimulatedSeries | null;
}

const partition = (system: SystemResult, id: string | null) => system.partitions.find((one) => one.id === id);

/** GetRecords.IteratorAgeMilliseconds: every consumer that reads with GetRecords (enhanced fan-out reports MillisBehindLatest instead). */
function getRecordsConsumers(system: SystemResult, name: string | null) {
  return system.consumers.filter((consumer) => consumer.native.name === "iteratorAgeMs" && consumer.type !== "enhanced-fan-out" && (name === null || consumer.name === name));
}

/** A Kinesis counter of the stream, or of one shard (its series picked by `shard`). */
function kinesisCounter(stream: "IncomingRecords" | "IncomingBytes" | "WriteProvisionedThroughputExceeded", shard: (found: PartitionResult) => CounterSeries | undefined) {
  return (system: SystemResult, dimension: Dimension): SimulatedSeries | null => {
    if (system.kind !== "kinesis") return null;
    if (dimension.kind === null) return { shape: "counter", series: [system.series[stream]] };
    const found = dimension.kind === "shard" ? partition(system, dimension.value) : undefined;
    const series = found === undefined ? undefined : shard(found);
    return series === undefined ? null : { shape: "counter", series: [series] };
  };
}

function iteratorAge(system: SystemResult, dimension: Dimension): SimulatedSeries | null {
  if (dimension.kind === "shard") {
    const series = getRecordsConsumers(system, null).flatMap((consumer) => consumer.nativePerPartition.filter((one) => one.id === dimension.value).map((one) => one.series));
    return series.length === 0 ? null : { shape: "gauge", series };
  }
  const consumers = getRecordsConsumers(system, dimension.kind === "consumer" ? dimension.value : null);
  return consumers.length === 0 ? null : { shape: "gauge", series: consumers.map((consumer) => consumer.native.series) };
}

export const metricTable: Record<string, MetricMapping> = {
  // Kinesis records, as CloudWatch counts them: KPL aggregates where the producer aggregates.
  IncomingRecords: { systemKind: "kinesis", statistics: ["Sum"], unit: "records", floor: 0, cause: "traffic", simulated: kinesisCounter("IncomingRecords", (found) => found.incoming?.records) },
  IncomingBytes: { systemKind: "kinesis", statistics: ["Sum"], unit: "bytes", floor: 0, cause: "traffic", simulated: kinesisCounter("IncomingBytes", (found) => found.incoming?.bytes) },
  WriteProvisionedThroughputExceeded: {
    systemKind: "kinesis",
    statistics: ["Sum"],
    unit: "records",
    floor: 0,
    cause: "throttling",
    simulated: kinesisCounter("WriteProvisionedThroughputExceeded", (found) => found.series.throttledAttempts),
  },
  // Stream level: GetRecords.IteratorAgeMilliseconds; shard level (enhanced metrics): IteratorAgeMilliseconds with ShardId.
  "GetRecords.IteratorAgeMilliseconds": { systemKind: "kinesis", statistics: ["Maximum", "Average"], unit: "ms", floor: 1000, cause: "consumers", simulated: iteratorAge },
  IteratorAgeMilliseconds: { systemKind: "kinesis", statistics: ["Maximum", "Average"], unit: "ms", floor: 1000, cause: "consumers", simulated: iteratorAge },
  BytesInPerSec: {
    systemKind: "kafka",
    statistics: ["Average"],
    unit: "bytes/s",
    floor: 0,
    cause: "traffic",
    simulated(system, dimension) {
      if (system.kind !== "kafka") return null;
      const entries = Object.entries(system.series).filter(([name]) => name.endsWith("/BytesInPerSec"));
      const chosen = dimension.kind === "broker" ? entries.filter(([name]) => name === `broker-${dimension.value}/BytesInPerSec`) : entries;
      // A cluster-wide label sums the brokers; MSK reports per broker (Broker ID dimension).
      return chosen.length === 0 ? null : { shape: "rate", series: chosen.map(([, series]) => series as CounterSeries) };
    },
  },
  MaxOffsetLag: {
    systemKind: "kafka",
    statistics: ["Maximum", "Average"],
    unit: "records",
    floor: 1000,
    cause: "consumers",
    simulated(system, dimension) {
      // MSK's MaxOffsetLag is from committed offsets (the group's offsetLag.max), not the client's records-lag-max.
      const groups = system.consumers.filter((consumer) => consumer.offsetLag !== undefined && (dimension.kind !== "consumer" || consumer.name === dimension.value));
      return groups.length === 0 ? null : { shape: "gauge", series: groups.map((group) => group.offsetLag!.max) };
    },
  },
  ApproximateAgeOfOldestMessage: {
    systemKind: "sqs",
    statistics: ["Maximum", "Average"],
    unit: "s",
    floor: 10,
    cause: "consumers",
    simulated: (system) => (system.kind === "sqs" ? { shape: "gauge", series: [system.series.ApproximateAgeOfOldestMessage] } : null),
  },
};

export const calibratedMetricNames = Object.keys(metricTable);
