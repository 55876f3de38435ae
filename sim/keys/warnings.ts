// Known partition-key anti-patterns, detected on the key set and each target's slot count; the
// wording and remedies live in messages.ts.

import { Buffer } from "node:buffer";
import { keyPartitionerOf, partitionerHash, type PartitionerName } from "../kafka/client-partitioners.ts";
import type { KeySet } from "./input.ts";
import { percent, warningMessages, type RemedyCode } from "./messages.ts";

export type WarningCode = "single-key" | "low-cardinality" | "time-like-keys" | "hot-keys" | "hot-key-over-limit" | "mixed-partitioners" | "bursty-trace";

export interface KeyWarning {
  readonly code: WarningCode;
  readonly message: string;
  readonly remedies: readonly RemedyCode[];
}

/** Fewer distinct keys than this many per shard or partition is a warning. */
export const KEYS_PER_SLOT_MIN = 10;
/** "A handful": at most this many keys ... */
export const HANDFUL_KEYS = 5;
/** ... carrying at least this share of the traffic. */
export const HANDFUL_SHARE_MIN = 0.5;
/** Share of the traffic on date/time-like keys that makes a warning. */
export const TIME_LIKE_SHARE_MIN = 0.5;

export interface WarningTargets {
  readonly kinesisShards: number | null;
  readonly kafkaPartitions: number | null;
}

export function detectWarnings(keySet: KeySet, targets: WarningTargets): KeyWarning[] {
  const warnings: KeyWarning[] = [];
  const { keys } = keySet;
  if (keys.length === 1) {
    warnings.push({ code: "single-key", message: warningMessages.singleKey(keys[0]), remedies: ["higher-cardinality", "composite-key", "random-suffix", "explicit-hash-key"] });
  }
  const lowCardinality = (target: string, slots: number | null, noun: string): void => {
    if (slots === null || keys.length === 1 || keys.length >= KEYS_PER_SLOT_MIN * slots) return;
    warnings.push({ code: "low-cardinality", message: warningMessages.lowCardinality(target, keys.length, slots, noun), remedies: ["higher-cardinality", "composite-key"] });
  };
  lowCardinality("Kinesis", targets.kinesisShards, "shard");
  lowCardinality("Kafka", targets.kafkaPartitions, "partition");
  const timeLike = timeLikeShare(keySet);
  if (timeLike.share >= TIME_LIKE_SHARE_MIN) {
    warnings.push({ code: "time-like-keys", message: warningMessages.timeLike(percent(timeLike.share), timeLike.examples), remedies: ["composite-key", "higher-cardinality"] });
  }
  const handful = handfulShare(keySet.weights);
  if (keys.length > 2 * HANDFUL_KEYS && handful >= HANDFUL_SHARE_MIN) {
    warnings.push({ code: "hot-keys", message: warningMessages.hotKeys(HANDFUL_KEYS, percent(handful)), remedies: ["random-suffix", "explicit-hash-key", "composite-key"] });
  }
  return warnings;
}

/**
 * A producer fleet mixing partitioners (a Java service and a librdkafka one writing one topic): each
 * other partitioner that places some keys elsewhere is a warning with the share of keys and traffic split.
 */
export function mixedPartitionerWarnings(
  keySet: KeySet,
  partitions: Int32Array,
  partitionCount: number,
  partitioner: PartitionerName,
  fleet: readonly PartitionerName[],
): KeyWarning[] {
  const others = [...new Set(fleet)].filter((other) => partitionerHash[other] !== partitionerHash[partitioner]);
  return others.flatMap((other): KeyWarning[] => {
    const partitionFor = keyPartitionerOf(other);
    let splitKeys = 0;
    let splitWeight = 0;
    let totalWeight = 0;
    for (let i = 0; i < keySet.keys.length; i++) {
      totalWeight += keySet.weights[i];
      if (partitionFor(keySet.keys[i], partitionCount) === partitions[i]) continue;
      splitKeys++;
      splitWeight += keySet.weights[i];
    }
    if (splitKeys === 0) return [];
    const message = warningMessages.mixedPartitioners(partitioner, other, splitKeys, keySet.keys.length, percent(totalWeight === 0 ? 0 : splitWeight / totalWeight));
    return [{ code: "mixed-partitioners", message, remedies: ["same-partitioner"] }];
  });
}

/** The share of the traffic carried by the HANDFUL_KEYS heaviest keys. */
function handfulShare(weights: Float64Array): number {
  const top: number[] = [];
  let total = 0;
  for (const weight of weights) {
    total += weight;
    if (top.length < HANDFUL_KEYS) top.push(weight);
    else if (weight > top[top.length - 1]) top[top.length - 1] = weight;
    else continue;
    top.sort((a, b) => b - a);
  }
  return total === 0 ? 0 : top.reduce((a, b) => a + b, 0) / total;
}

const DATE = String.raw`(?:19|20)\d\d([-/_.]?)(?:0[1-9]|1[0-2])(?:\1(?:0[1-9]|[12]\d|3[01]))?`;
const TIME = String.raw`(?:[T _-]?(?:[01]\d|2[0-3])(?::?[0-5]\d(?::?[0-5]\d(?:\.\d+)?)?)?)?(?:Z|[+-]\d\d:?\d\d)?`;
const TIME_LIKE_PATTERNS: readonly RegExp[] = [
  // ISO dates and date-times, yyyymmdd, yyyymmddhh, yyyy-mm, yyyy/mm/dd: the key's only digits.
  new RegExp(String.raw`^[^0-9]*${DATE}${TIME}[^0-9]*$`),
  // Epoch seconds (2001-2033) and milliseconds (2001-2033).
  /^[^0-9]*1\d{9}(?:\d{3})?[^0-9]*$/,
  // Times of day and hour buckets: "13:05", "hour-13", "h07".
  /^[^0-9]*(?:[01]\d|2[0-3]):[0-5]\d(?::[0-5]\d)?[^0-9]*$/,
  /^(?:.*[^0-9A-Za-z])?(?:hour|hr|h)[-_=:]?(?:[01]?\d|2[0-3])$/i,
];

/** True when the key is a date, time or timestamp (its only digits are the date/time). */
export function isTimeLike(key: string): boolean {
  return TIME_LIKE_PATTERNS.some((pattern) => pattern.test(key));
}

/** The share of the traffic on date/time-like keys, a few of them, and their mean UTF-8 length (weighted by traffic). */
export function timeLikeShare(keySet: KeySet): { share: number; examples: string[]; keyBytesMean: number } {
  let timeLike = 0;
  let total = 0;
  let keyBytes = 0;
  const examples: string[] = [];
  for (let i = 0; i < keySet.keys.length; i++) {
    total += keySet.weights[i];
    if (!isTimeLike(keySet.keys[i])) continue;
    timeLike += keySet.weights[i];
    keyBytes += keySet.weights[i] * Buffer.byteLength(keySet.keys[i], "utf8");
    if (examples.length < 3) examples.push(keySet.keys[i]);
  }
  return { share: total === 0 ? 0 : timeLike / total, examples, keyBytesMean: timeLike === 0 ? 0 : keyBytes / timeLike };
}
