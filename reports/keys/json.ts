// The partition-key lab's analysis as plain JSON (`streamsim keys --json`, and summary.json beside
// summary.md under --out). Shares are fractions; rates are per second; indexes are 0-based.

import type { Advice, FlinkSpread, KeyAnalysis, ShardSplit, Spread } from "../../sim/keys/index.ts";
import { splitTimelineEntry } from "../../sim/kinesis/split-advice.ts";
import { ADVICE_UTILIZATION_MAX } from "../../sim/keys/advice.ts";
import { remedyMessages } from "../../sim/keys/messages.ts";
import { isoTime } from "../../sim/keys/load.ts";
import { round } from "../numbers.ts";

export function keysAnalysisJson(analysis: KeyAnalysis, toolVersion: string): object {
  const { keySet, load } = analysis;
  return {
    tool: { name: "streamsim keys", version: toolVersion },
    source: keySet.source,
    distinctKeys: keySet.keys.length,
    weighted: analysis.weighted,
    skippedRows: keySet.skipped.map((issue) => ({ line: issue.line, message: issue.message })),
    load:
      load === null
        ? null
        : {
            recordsPerSecond: round(load.recordsPerSecond),
            recordSizeBytes: load.recordSizeBytes,
            keyBytesIncluded: true,
            // A trace's load says where its figures came from: the trace itself, the flags or the default size.
            ...(load.rateFrom === undefined ? {} : { rateFrom: load.rateFrom, recordSizeFrom: load.sizeFrom }),
            // A trace with timestamps: its busiest whole second against its own average (rateFrom "trace-peak" when sized for it).
            ...(load.peak === undefined
              ? {}
              : {
                  peakSecond: {
                    startsAt: isoTime(load.peak.startUs),
                    recordsPerSecond: round(load.peak.recordsPerSecond),
                    by: load.peak.by,
                    averageRecordsPerSecond: round(load.peak.averageRecordsPerSecond),
                    timesAverage: round(load.peak.timesAverage, 3),
                    burst: load.peak.burst,
                  },
                }),
          },
    kinesis:
      analysis.kinesis === null
        ? null
        : {
            ...spreadJson(analysis.kinesis.spread, analysis),
            advice: adviceJson(analysis.kinesis.advice, analysis),
            splits: analysis.kinesis.splits.map((split) => splitJson(split)),
            currentPeriodKey:
              analysis.currentPeriod === null
                ? null
                : { trafficShare: round(analysis.currentPeriod.trafficShare, 6), writeUtilization: round(analysis.currentPeriod.utilization, 4) },
          },
    kafka:
      analysis.kafka === null
        ? null
        : {
            partitioner: analysis.kafka.partitioner,
            ...spreadJson(analysis.kafka.spread, analysis),
            broker: analysis.kafka.broker === null ? null : { instanceType: analysis.kafka.broker.instanceType, writeBytesPerSecond: analysis.kafka.broker.writeBytesPerSecond },
          },
    flink: analysis.flink === null ? null : flinkJson(analysis.flink),
    warnings: analysis.warnings.map((warning) => ({
      code: warning.code,
      message: warning.message,
      remedies: warning.remedies.map((code) => ({ code, text: remedyMessages[code] })),
    })),
  };
}

/** A shard over its write limit: the split (NewStartingHashKey as the decimal string the Kinesis API takes) or why none helps. */
function splitJson(split: ShardSplit): object {
  const common = { shard: split.shardIndex, writeUtilization: round(split.utilization, 4) };
  if (split.kind === "single-key") return { ...common, newStartingHashKey: null, reason: "single-key", key: split.key, keyWriteUtilization: round(split.keyUtilization, 4) };
  if (split.kind === "no-cut") return { ...common, newStartingHashKey: null, reason: "fewer-than-two-keys" };
  const { point } = split;
  return {
    ...common,
    newStartingHashKey: point.newStartingHashKey.toString(),
    lowerWriteUtilization: round(point.lower.utilization, 4),
    upperWriteUtilization: round(point.upper.utilization, 4),
    bothUnderLimit: split.fits,
    timelineEntry: splitTimelineEntry("kds", split.shardIndex, 0, point.newStartingHashKey),
  };
}

function spreadJson(spread: Spread, analysis: KeyAnalysis): object {
  const kinesis = spread.target === "kinesis";
  return {
    [kinesis ? "shardCount" : "partitionCount"]: spread.slotCount,
    trafficMaxOverMean: round(spread.trafficMaxOverMean),
    distinctKeysMaxOverMean: round(spread.distinctKeysMaxOverMean),
    gini: round(spread.gini, 4),
    [kinesis ? "emptyShards" : "emptyPartitions"]: spread.emptySlots,
    hottest: spread.hottest.map(({ index, topKeys }) => ({
      index,
      trafficShare: round(spread.slots[index].trafficShare, 6),
      ...(kinesis && analysis.load !== null ? { writeUtilization: round(spread.slots[index].writeUtilization ?? 0, 4) } : {}),
      topKeys: topKeys.map((top) => ({ key: top.key, trafficShare: round(top.trafficShare, 6) })),
    })),
    [kinesis ? "shards" : "partitions"]: spread.slots.map((slot) => ({
      index: slot.index,
      distinctKeys: slot.distinctKeys,
      trafficShare: round(slot.trafficShare, 6),
      ...(slot.recordsPerSecond === null ? {} : { recordsPerSecond: round(slot.recordsPerSecond, 3), bytesPerSecond: round(slot.bytesPerSecond ?? 0, 1) }),
      ...(slot.writeUtilization === null ? {} : { writeUtilization: round(slot.writeUtilization, 4) }),
    })),
  };
}

function adviceJson(advice: Advice | null, analysis: KeyAnalysis): object | null {
  if (advice === null) return null;
  const common = { utilizationMax: ADVICE_UTILIZATION_MAX, searchedFromShardCount: advice.fromShardCount };
  switch (advice.kind) {
    case "found":
      return { ...common, shardCount: advice.shardCount, peakWriteUtilization: round(advice.peakUtilization, 4), worseAbove: advice.worseAbove };
    case "hot-key":
      return {
        ...common,
        shardCount: null,
        reason: "hot-key",
        key: analysis.keySet.keys[advice.keyIndex],
        keyWriteUtilization: round(advice.utilization, 4),
        // The fallback: the count for every other key, and each hot key's own fix.
        otherKeys: advice.others === null ? null : (adviceJson(advice.others, analysis) as object),
        hotKeys: advice.hotKeys.map((hot) => ({
          key: analysis.keySet.keys[hot.keyIndex],
          writeUtilization: round(hot.utilization, 4),
          recordsUtilization: round(hot.recordsUtilization, 4),
          bytesUtilization: round(hot.bytesUtilization, 4),
          suffixBuckets: hot.suffixBuckets,
          aggregationFits: hot.aggregationFits,
        })),
      };
    case "search-limit":
      return { ...common, shardCount: null, reason: "search-limit", searchedUpTo: advice.searchedUpTo };
  }
}

function flinkJson(flink: FlinkSpread): object {
  const { spread } = flink;
  return {
    parallelism: flink.parallelism,
    maxParallelism: flink.maxParallelism,
    trafficMaxOverMean: round(spread.trafficMaxOverMean),
    gini: round(spread.gini, 4),
    emptySubtasks: spread.emptySlots,
    hottestKey:
      flink.hottestKey === null
        ? null
        : { ...flink.hottestKey, trafficShare: round(flink.hottestKey.trafficShare, 6), parallelismHelps: flink.hottestKey.trafficShare <= 1 / flink.parallelism },
    doubled: flink.doubled === null ? null : { ...flink.doubled, busiestShare: round(flink.doubled.busiestShare, 6) },
    hottest: spread.hottest.map(({ index, topKeys }) => ({
      index,
      trafficShare: round(spread.slots[index].trafficShare, 6),
      topKeys: topKeys.map((top) => ({ key: top.key, trafficShare: round(top.trafficShare, 6) })),
    })),
    subtasks: spread.slots.map((slot) => ({
      index: slot.index,
      keyGroupFirst: flink.keyGroupsPerSubtask[slot.index].first,
      keyGroupLast: flink.keyGroupsPerSubtask[slot.index].last,
      distinctKeys: slot.distinctKeys,
      trafficShare: round(slot.trafficShare, 6),
      ...(slot.recordsPerSecond === null ? {} : { recordsPerSecond: round(slot.recordsPerSecond, 3) }),
    })),
  };
}
