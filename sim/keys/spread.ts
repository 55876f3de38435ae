// How a key set spreads over the shards or partitions of one target: per slot (shard or partition)
// the distinct keys, the traffic share and, with a rate, the load; the hottest slots with their top
// keys; max/mean and the Gini coefficient of the traffic.

import { sum } from "simple-statistics";
import { shardWriteBytesPerSecond, shardWriteRecordsPerSecond } from "../kinesis/limits.ts";
import type { KeySet } from "./input.ts";

/** Offered load: records per second over all keys, each record recordSizeBytes of data plus its key. */
export interface Load {
  readonly recordsPerSecond: number;
  /** Data bytes per record (for a trace's sizes: their mean, rounded). */
  readonly recordSizeBytes: number;
  /** A trace's records per key: each key's share of the records (otherwise its traffic weight). */
  readonly recordsByKey?: Float64Array;
  /** A trace's data bytes per key: each key's records carry its own mean size (otherwise recordSizeBytes). */
  readonly dataBytesByKey?: Float64Array;
  /** Where the sizes and the rate came from, for a trace: its own, the flags, or the default size. */
  readonly sizeFrom?: "trace" | "flag" | "default";
  /** "trace-peak": the trace's busiest second, a burst beyond chance (then the trace's average under-sizes). */
  readonly rateFrom?: "trace" | "trace-peak" | "flag";
  /** A trace with timestamps: its busiest second against its average, whatever the rate was taken from. */
  readonly peak?: TracePeak;
}

/** A trace's busiest whole second of trace time, against the trace's own average rate. */
export interface TracePeak {
  readonly startUs: number;
  /** What the second asks for as records/s: its records, or its data bytes over the trace's mean size ("bytes"), whichever is more. */
  readonly recordsPerSecond: number;
  readonly by: "records" | "bytes";
  readonly averageRecordsPerSecond: number;
  readonly timesAverage: number;
  /** At least BURST_TIMES_AVERAGE_MIN times the average and beyond chance (sim/keys/load.ts): a burst the 80% headroom does not cover. */
  readonly burst: boolean;
}

export type TargetKind = "kinesis" | "kafka" | "flink";

export interface TopKey {
  readonly key: string;
  readonly trafficShare: number;
}

export interface SlotSpread {
  readonly index: number;
  readonly distinctKeys: number;
  readonly trafficShare: number;
  /** Null without a rate. */
  readonly recordsPerSecond: number | null;
  /** Data plus partition-key bytes (Kinesis counts key bytes toward the limit, docs/reference.md §1.1). */
  readonly bytesPerSecond: number | null;
  /** Kinesis: the larger of bytes/1 MiB/s and records/1,000 per s (docs/reference.md §1.1); null for Kafka or without a rate. */
  readonly writeUtilization: number | null;
}

export interface Spread {
  readonly target: TargetKind;
  readonly slotCount: number;
  readonly slots: readonly SlotSpread[];
  /** The hottest slots by traffic, hottest first (ties: lower index), each with its top keys; slots without traffic are left out. */
  readonly hottest: readonly { readonly index: number; readonly topKeys: readonly TopKey[] }[];
  /** Largest slot traffic over the mean slot traffic (1 = perfectly even). */
  readonly trafficMaxOverMean: number;
  readonly distinctKeysMaxOverMean: number;
  /** Gini coefficient of slot traffic: 0 even, (n-1)/n all on one slot. */
  readonly gini: number;
  readonly emptySlots: number;
}

export const HOTTEST_SLOTS = 5;
export const TOP_KEYS_PER_SLOT = 3;

/** Per-key records/s and bytes/s (data + key bytes) under a load; null without one. */
export function keyRates(keySet: KeySet, keyBytes: Int32Array, load: Load | null): { records: Float64Array; bytes: Float64Array } | null {
  if (load === null) return null;
  const shares = load.recordsByKey ?? keySet.weights;
  const total = sum(Array.from(shares));
  const records = new Float64Array(keySet.weights.length);
  const bytes = new Float64Array(keySet.weights.length);
  for (let i = 0; i < records.length; i++) {
    records[i] = (load.recordsPerSecond * shares[i]) / total;
    const dataBytes = load.dataBytesByKey === undefined ? load.recordSizeBytes : load.dataBytesByKey[i] / shares[i];
    bytes[i] = records[i] * (dataBytes + keyBytes[i]);
  }
  return { records, bytes };
}

/** Kinesis write utilization of a shard: the larger ratio against 1 MiB/s and 1,000 records/s (docs/reference.md §1.1). */
export function shardUtilization(recordsPerSecond: number, bytesPerSecond: number): number {
  return Math.max(bytesPerSecond / shardWriteBytesPerSecond, recordsPerSecond / shardWriteRecordsPerSecond);
}

export function spreadOf(
  target: TargetKind,
  slotCount: number,
  slotOfKey: Int32Array,
  keySet: KeySet,
  rates: { records: Float64Array; bytes: Float64Array } | null,
): Spread {
  const weights = keySet.weights;
  const totalWeight = sum(Array.from(weights));
  const keyCounts = new Float64Array(slotCount);
  const slotWeights = new Float64Array(slotCount);
  const slotRecords = new Float64Array(slotCount);
  const slotBytes = new Float64Array(slotCount);
  for (let i = 0; i < slotOfKey.length; i++) {
    const slot = slotOfKey[i];
    keyCounts[slot]++;
    slotWeights[slot] += weights[i];
    if (rates !== null) {
      slotRecords[slot] += rates.records[i];
      slotBytes[slot] += rates.bytes[i];
    }
  }
  const slots: SlotSpread[] = [];
  for (let s = 0; s < slotCount; s++) {
    const hasRate = rates !== null;
    slots.push({
      index: s,
      distinctKeys: keyCounts[s],
      trafficShare: slotWeights[s] / totalWeight,
      recordsPerSecond: hasRate ? slotRecords[s] : null,
      bytesPerSecond: hasRate ? slotBytes[s] : null,
      writeUtilization: hasRate && target === "kinesis" ? shardUtilization(slotRecords[s], slotBytes[s]) : null,
    });
  }
  const hottestIndexes = slots
    .filter((slot) => slotWeights[slot.index] > 0)
    .map((slot) => slot.index)
    .sort((a, b) => slotWeights[b] - slotWeights[a] || a - b)
    .slice(0, HOTTEST_SLOTS);
  return {
    target,
    slotCount,
    slots,
    hottest: topKeysOf(hottestIndexes, slotOfKey, keySet, totalWeight),
    trafficMaxOverMean: maxOverMean(slotWeights),
    distinctKeysMaxOverMean: maxOverMean(keyCounts),
    gini: gini(slotWeights),
    emptySlots: slots.filter((slot) => slot.distinctKeys === 0).length,
  };
}

function maxOverMean(values: Float64Array): number {
  const total = sum(Array.from(values));
  let max = 0;
  for (const value of values) max = Math.max(max, value);
  return total === 0 ? 0 : (max * values.length) / total;
}

/**
 * Gini coefficient of non-negative values: G = 2·Σ i·x(i) / (n·Σx) − (n+1)/n with x sorted
 * ascending and i from 1; 0 when all are equal, (n−1)/n when one value holds everything.
 */
export function gini(values: ArrayLike<number>): number {
  const sorted = Float64Array.from(values).sort();
  const n = sorted.length;
  const total = sum(Array.from(sorted));
  if (n === 0 || total === 0) return 0;
  let weighted = 0;
  for (let i = 0; i < n; i++) weighted += (i + 1) * sorted[i];
  return Math.max(0, (2 * weighted) / (n * total) - (n + 1) / n);
}

function topKeysOf(slotIndexes: number[], slotOfKey: Int32Array, keySet: KeySet, totalWeight: number): Spread["hottest"] {
  const tops = new Map<number, number[]>(slotIndexes.map((s) => [s, []]));
  const weights = keySet.weights;
  for (let i = 0; i < slotOfKey.length; i++) {
    const top = tops.get(slotOfKey[i]);
    if (top === undefined) continue;
    if (top.length === TOP_KEYS_PER_SLOT && weights[top[TOP_KEYS_PER_SLOT - 1]] >= weights[i]) continue;
    let at = top.length;
    while (at > 0 && weights[top[at - 1]] < weights[i]) at--;
    top.splice(at, 0, i);
    if (top.length > TOP_KEYS_PER_SLOT) top.pop();
  }
  return slotIndexes.map((index) => ({
    index,
    topKeys: tops.get(index)!.map((i) => ({ key: keySet.keys[i], trafficShare: weights[i] / totalWeight })),
  }));
}
