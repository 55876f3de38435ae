// Where keys land on the subtasks of a Flink keyed operator (keyBy), exactly as Flink routes them
// (docs/reference.md §8.2): key group = murmurHash(String.hashCode) % maxParallelism, subtask =
// keyGroup * parallelism / maxParallelism. A single key's traffic all goes to one key group, so its
// share is a floor under the busiest subtask's share at any parallelism.

import { KeyGroupRouter, keyGroupRange, maxParallelismMax, subtaskOfKeyGroup } from "../flink/index.ts";
import type { KeySet } from "./input.ts";
import { spreadOf, type Load, type Spread } from "./spread.ts";

export interface FlinkHotKey {
  readonly key: string;
  readonly keyGroup: number;
  readonly subtask: number;
  readonly trafficShare: number;
  /** The parallelism above which this key alone exceeds a fair share (1/parallelism): floor(1/share). */
  readonly helpfulParallelismMax: number;
}

export interface FlinkSpread {
  readonly parallelism: number;
  readonly maxParallelism: number;
  readonly spread: Spread;
  /** Per subtask: its key groups (a contiguous range) and records/s with a load. */
  readonly keyGroupsPerSubtask: readonly { readonly first: number; readonly last: number }[];
  /** The key carrying the most traffic, where it lands, and up to which parallelism more subtasks can still help it. */
  readonly hottestKey: FlinkHotKey | null;
  /** The busiest subtask's traffic share with twice the parallelism (capped at maxParallelism), for comparison. */
  readonly doubled: { readonly parallelism: number; readonly maxParallelism: number; readonly busiestShare: number } | null;
  /** Subtask and key group of each distinct key, in key-set order. */
  readonly subtaskOfKey: Int32Array;
  readonly keyGroupOfKey: Int32Array;
}

export function flinkSpread(keySet: KeySet, parallelism: number, rates: { records: Float64Array; bytes: Float64Array } | null): FlinkSpread {
  const router = new KeyGroupRouter(parallelism);
  const { subtaskOfKey, keyGroupOfKey } = route(keySet, router);
  const spread = spreadOf("flink", parallelism, subtaskOfKey, keySet, rates);
  const keyGroupsPerSubtask = Array.from({ length: parallelism }, (_, s) => keyGroupRange(s, parallelism, router.maxParallelism));
  return {
    parallelism,
    maxParallelism: router.maxParallelism,
    spread,
    keyGroupsPerSubtask,
    hottestKey: hottestKeyOf(keySet, subtaskOfKey, keyGroupOfKey),
    doubled: doubledSpread(keySet, parallelism),
    subtaskOfKey,
    keyGroupOfKey,
  };
}

function route(keySet: KeySet, router: KeyGroupRouter): { subtaskOfKey: Int32Array; keyGroupOfKey: Int32Array } {
  const count = keySet.keys.length;
  const subtaskOfKey = new Int32Array(count);
  const keyGroupOfKey = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const group = router.keyGroupOf(keySet.keys[i]);
    keyGroupOfKey[i] = group;
    subtaskOfKey[i] = subtaskOfKeyGroup(group, router.parallelism, router.maxParallelism);
  }
  return { subtaskOfKey, keyGroupOfKey };
}

function hottestKeyOf(keySet: KeySet, subtaskOfKey: Int32Array, keyGroupOfKey: Int32Array): FlinkHotKey | null {
  const weights = keySet.weights;
  let total = 0;
  let best = -1;
  for (let i = 0; i < weights.length; i++) {
    total += weights[i];
    if (best < 0 || weights[i] > weights[best]) best = i;
  }
  if (best < 0 || total === 0) return null;
  const trafficShare = weights[best] / total;
  return {
    key: keySet.keys[best],
    keyGroup: keyGroupOfKey[best],
    subtask: subtaskOfKey[best],
    trafficShare,
    helpfulParallelismMax: Math.floor(1 / trafficShare),
  };
}

function doubledSpread(keySet: KeySet, parallelism: number): FlinkSpread["doubled"] {
  const doubledParallelism = Math.min(parallelism * 2, maxParallelismMax);
  if (doubledParallelism === parallelism) return null;
  const router = new KeyGroupRouter(doubledParallelism);
  const { subtaskOfKey } = route(keySet, router);
  const shares = new Float64Array(doubledParallelism);
  let total = 0;
  for (let i = 0; i < subtaskOfKey.length; i++) {
    shares[subtaskOfKey[i]] += keySet.weights[i];
    total += keySet.weights[i];
  }
  let busiest = 0;
  for (const share of shares) busiest = Math.max(busiest, share);
  return { parallelism: doubledParallelism, maxParallelism: router.maxParallelism, busiestShare: total === 0 ? 0 : busiest / total };
}

/** Records/s of the busiest subtask under a load, or null without one. */
export function busiestSubtaskRecordsPerSecond(flink: FlinkSpread, load: Load | null): number | null {
  if (load === null) return null;
  const busiest = flink.spread.hottest[0];
  return busiest === undefined ? 0 : flink.spread.slots[busiest.index].trafficShare * load.recordsPerSecond;
}
