// The partition-key lab's entry point. Phases: hash (once per distinct key) -> map (keys to shards
// and partitions) -> spread (per-slot shares and load) -> advise (shard count, with a rate) -> warn.

import type { Advice } from "./advice.ts";
import { adviseShardCount } from "./advice.ts";
import { hashKeys, kafkaPartitions, kinesisShards } from "./hashing.ts";
import { flinkSpread, type FlinkSpread } from "./flink.ts";
import type { KeySet } from "./input.ts";
import { percent, warningMessages } from "./messages.ts";
import { keyRates, shardUtilization, spreadOf, type Load, type Spread } from "./spread.ts";
import type { KeyHashes } from "./hashing.ts";
import { isoTime } from "./load.ts";
import { detectWarnings, mixedPartitionerWarnings, TIME_LIKE_SHARE_MIN, timeLikeShare, type KeyWarning } from "./warnings.ts";
import type { PartitionerName } from "../kafka/client-partitioners.ts";
import { shardSplits, type ShardSplit } from "./split.ts";

/** A Kafka broker's write capacity from the instance catalogue, to set the hottest partitions against. */
export interface BrokerWriteCapacity {
  readonly instanceType: string;
  /** The lower of the broker's network-in baseline and its disk write throughput (catalogue figures). */
  readonly writeBytesPerSecond: number;
}

export interface LabOptions {
  readonly kinesisShards: number | null;
  readonly kafkaPartitions: number | null;
  readonly load: Load | null;
  readonly kafkaBroker?: BrokerWriteCapacity | null;
  /** The producers' Kafka partitioner (default murmur2, the Java client's). */
  readonly kafkaPartitioner?: PartitionerName;
  /** Other partitioners the same topic's producers use: keys they place elsewhere are warned of. */
  readonly kafkaFleet?: readonly PartitionerName[];
  /** A Flink keyed operator of this parallelism (default maxParallelism), or null. */
  readonly flinkParallelism?: number | null;
}

export interface KeyAnalysis {
  readonly keySet: KeySet;
  readonly load: Load | null;
  /** Traffic shares are weighted by counts (a CSV count column or a template's probabilities). */
  readonly weighted: boolean;
  /** splits: with a rate, each shard over its write limit and where to split it (or why no split helps). */
  readonly kinesis: { readonly spread: Spread; readonly advice: Advice | null; readonly splits: readonly ShardSplit[] } | null;
  readonly kafka: { readonly spread: Spread; readonly broker: BrokerWriteCapacity | null; readonly partitioner: PartitionerName } | null;
  readonly flink: FlinkSpread | null;
  readonly warnings: readonly KeyWarning[];
  /**
   * With a rate and Kinesis, when date/time-like keys carry at least half the traffic: at any moment
   * records share the current period's key, so that one key takes all of their traffic. Its write
   * utilization is what the shard holding it sees, whatever the shard count.
   */
  readonly currentPeriod: { readonly trafficShare: number; readonly utilization: number } | null;
  /** Shard and partition of each distinct key, in key-set order (for --assignments). */
  readonly assignments: { readonly kinesisShards: Int32Array | null; readonly kafkaPartitions: Int32Array | null };
}

export function analyseKeys(keySet: KeySet, options: LabOptions): KeyAnalysis {
  const { kinesisShards: shardCount, kafkaPartitions: partitionCount, load } = options;
  const flinkParallelism = options.flinkParallelism ?? null;
  if (shardCount === null && partitionCount === null && flinkParallelism === null) throw new Error("analyseKeys: no target (Kinesis shards, Kafka partitions or Flink parallelism)");
  const partitioner = options.kafkaPartitioner ?? "murmur2";
  const hashes = hashKeys(keySet.keys, shardCount !== null, partitionCount !== null, partitioner);
  const shards = shardCount === null ? null : kinesisShards(hashes, shardCount);
  const partitions = partitionCount === null ? null : kafkaPartitions(hashes, partitionCount);
  const rates = keyRates(keySet, hashes.keyBytes, load);
  const kinesis =
    shards === null
      ? null
      : {
          spread: spreadOf("kinesis", shardCount!, shards, keySet, rates),
          advice: rates === null ? null : adviseShardCount(hashes, rates),
          splits: rates === null ? [] : shardSplits(keySet, hashes, shards, shardCount!, rates),
        };
  const kafka = partitions === null ? null : { spread: spreadOf("kafka", partitionCount!, partitions, keySet, rates), broker: options.kafkaBroker ?? null, partitioner };
  const warnings = detectWarnings(keySet, { kinesisShards: shardCount, kafkaPartitions: partitionCount });
  if (partitions !== null) warnings.push(...mixedPartitionerWarnings(keySet, partitions, partitionCount!, partitioner, options.kafkaFleet ?? []));
  const burst = burstWarning(keySet, hashes, load, shards !== null);
  if (burst !== null) warnings.push(burst);
  if (kinesis?.advice?.kind === "hot-key") {
    const { keyIndex, utilization } = kinesis.advice;
    warnings.push({
      code: "hot-key-over-limit",
      message: warningMessages.hotKeyOverLimit(keySet.keys[keyIndex], percent(utilization)),
      remedies: ["random-suffix", "explicit-hash-key"],
    });
  }
  return {
    keySet,
    load,
    weighted: keySet.weights.some((w) => w !== 1),
    currentPeriod: kinesis === null ? null : currentPeriodLoad(keySet, load),
    kinesis,
    kafka,
    flink: flinkParallelism === null ? null : flinkSpread(keySet, flinkParallelism, rates),
    warnings,
    assignments: { kinesisShards: shards, kafkaPartitions: partitions },
  };
}

/**
 * A rate given on the command line for a trace whose busiest second is a burst: the advice is for the
 * rate as given, so say how far the trace's peak is above its average and what the peak needs. (Without
 * a given rate the lab already takes a bursty trace's busiest second.)
 */
function burstWarning(keySet: KeySet, hashes: KeyHashes, load: Load | null, kinesis: boolean): KeyWarning | null {
  const peak = load?.peak;
  if (load === null || load.rateFrom !== "flag" || peak === undefined || !peak.burst) return null;
  const peakRecordsPerSecond = load.recordsPerSecond * peak.timesAverage;
  let atPeak: string | null = null;
  if (kinesis) {
    const advice = adviseShardCount(hashes, keyRates(keySet, hashes.keyBytes, { ...load, recordsPerSecond: peakRecordsPerSecond })!);
    atPeak =
      advice.kind === "found"
        ? warningMessages.peakAdviceFound(advice.shardCount)
        : advice.kind === "hot-key"
          ? warningMessages.peakAdviceHotKey(keySet.keys[advice.keyIndex], percent(advice.utilization))
          : warningMessages.peakAdviceNotFound(advice.searchedUpTo);
  }
  const rate = (recordsPerSecond: number) => recordsPerSecond.toLocaleString("en-US", { maximumFractionDigits: 1 });
  const startsAt = isoTime(peak.startUs);
  const peakFlag = `--records-per-second ${Math.ceil(peakRecordsPerSecond)}`;
  return {
    code: "bursty-trace",
    message: warningMessages.burstyTrace(startsAt, peak.timesAverage.toFixed(2), rate(peak.recordsPerSecond), rate(peak.averageRecordsPerSecond), peakFlag, atPeak),
    remedies: ["size-for-peak"],
  };
}

/** The load of one current-period key carrying all the date/time-like traffic, or null (no rate, or too few such keys to warn). */
function currentPeriodLoad(keySet: KeySet, load: Load | null): KeyAnalysis["currentPeriod"] {
  if (load === null) return null;
  const timeLike = timeLikeShare(keySet);
  if (timeLike.share < TIME_LIKE_SHARE_MIN) return null;
  const recordsPerSecond = load.recordsPerSecond * timeLike.share;
  return { trafficShare: timeLike.share, utilization: shardUtilization(recordsPerSecond, recordsPerSecond * (load.recordSizeBytes + timeLike.keyBytesMean)) };
}
