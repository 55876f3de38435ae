// The key group of every record written to the stream (docs/reference.md §8.2), noted once for all the
// Flink applications that read it with the same maxParallelism: a key's group depends on the key and
// maxParallelism alone, so their per-shard stores would hold the same bytes. Each application drops
// what it no longer needs; a record is forgotten once none of them needs it.

import { invariant } from "../engine/index.ts";
import { javaStringHashCode, keyGroupOfHash, SubtaskStore } from "../flink/index.ts";
import type { KeySpace } from "../workload/index.ts";
import type { Shard } from "./shard.ts";
import type { KinesisStream } from "./stream.ts";

/** One log per maxParallelism met on a stream. */
export class FlinkKeyGroupLogs {
  private readonly logs = new Map<number, FlinkKeyGroupLog>();

  constructor(private readonly stream: KinesisStream) {}

  /** The log of key groups under maxParallelism (made, and watching the stream, when first asked for). */
  of(maxParallelism: number): FlinkKeyGroupLog {
    let log = this.logs.get(maxParallelism);
    if (log === undefined) {
      log = new FlinkKeyGroupLog(this.stream, maxParallelism);
      this.logs.set(maxParallelism, log);
    }
    return log;
  }
}

export class FlinkKeyGroupLog {
  private readonly stores: Array<SubtaskStore | undefined> = [];
  /** Per application (by the number join gave it) and shard: the position before which it needs nothing. */
  private readonly floors: number[][] = [];
  private readonly groupsByKeys = new Map<KeySpace, Int32Array | null>();
  private lastKeys: KeySpace | null = null;
  private lastGroups: Int32Array | null = null;

  constructor(
    private readonly stream: KinesisStream,
    readonly maxParallelism: number,
  ) {
    stream.watchKeys({
      watches: () => true,
      written: (shardIndex, seq, keyIndex, keys) => {
        this.stores[shardIndex] ??= this.newStore(seq);
        this.stores[shardIndex].append(seq, this.keyGroupOf(keys, keyIndex));
      },
      writtenRequest: (shardOf, accepted, keyIndices, count, keys) => this.writtenRequest(shardOf, accepted, keyIndices, count, keys),
    });
  }

  /** A new reader of the log: the number it drops by. */
  join(): number {
    this.floors.push([]);
    return this.floors.length - 1;
  }

  /** The key groups of a shard's records (from the oldest any reader needs). */
  storeOf(shard: Shard): SubtaskStore {
    this.stores[shard.index] ??= this.newStore(shard.log.tailSeq);
    return this.stores[shard.index]!;
  }

  /** Reader `reader` needs nothing of the shard before seq: the store forgets what no reader needs. */
  dropBefore(reader: number, shardIndex: number, seq: number): void {
    const floors = this.floors[reader]!;
    floors[shardIndex] = Math.max(floors[shardIndex] ?? -Infinity, seq);
    let lowest = Infinity;
    for (const other of this.floors) lowest = Math.min(lowest, other[shardIndex] ?? -Infinity);
    if (lowest > -Infinity) this.stores[shardIndex]?.dropBefore(lowest);
  }

  /** A key's group, computed once per distinct key of a key space of a fixed cardinality. */
  private keyGroupOf(keys: KeySpace, keyIndex: number): number {
    const groups = keys === this.lastKeys ? this.lastGroups : this.groupsOf(keys);
    if (groups === null) return keyGroupOfHash(javaStringHashCode(keys.keyAt(keyIndex)), this.maxParallelism);
    let group = groups[keyIndex]!;
    if (group < 0) {
      group = keyGroupOfHash(javaStringHashCode(keys.keyAt(keyIndex)), this.maxParallelism);
      groups[keyIndex] = group;
    }
    return group;
  }

  /** The key groups of a key space's keys, filled in as they are met (null: keys without a fixed cardinality). */
  private groupsOf(keys: KeySpace): Int32Array | null {
    let groups = this.groupsByKeys.get(keys);
    if (groups === undefined) {
      groups = Number.isFinite(keys.cardinality) ? new Int32Array(keys.cardinality).fill(-1) : null;
      this.groupsByKeys.set(keys, groups);
    }
    this.lastKeys = keys;
    this.lastGroups = groups;
    return groups;
  }

  /**
   * The key groups of a request's records, in one loop after the request is written: a store's next
   * position is the record's sequence number (checked against its shard at the end).
   */
  private writtenRequest(shardOf: Int32Array, accepted: Uint8Array, keyIndices: Float64Array, count: number, keys: KeySpace): void {
    const groups = keys === this.lastKeys ? this.lastGroups : this.groupsOf(keys);
    const stores = this.stores;
    let last = -1;
    for (let i = 0; i < count; i++) {
      if (accepted[i] === 0) continue;
      const shardIndex = shardOf[i]!;
      const keyIndex = keyIndices[i]!;
      const store = stores[shardIndex] ?? this.newStoreAt(shardIndex, shardOf, accepted, i, count);
      let group = groups === null ? -1 : groups[keyIndex]!;
      if (group < 0) group = this.keyGroupOf(keys, keyIndex);
      store.push(group);
      last = shardIndex;
    }
    if (last >= 0) invariant(stores[last]!.nextSeq === this.stream.shards[last]!.log.tailSeq, "a request's records reach the subtask store in sequence order");
  }

  /** A shard's store made as a request's record i reaches it: its sequence number is the shard's tail less the request's records after it there. */
  private newStoreAt(shardIndex: number, shardOf: Int32Array, accepted: Uint8Array, i: number, count: number): SubtaskStore {
    let after = 0;
    for (let j = i + 1; j < count; j++) if (accepted[j] === 1 && shardOf[j] === shardIndex) after++;
    this.stores[shardIndex] = this.newStore(this.stream.shards[shardIndex]!.log.tailSeq - 1 - after);
    return this.stores[shardIndex];
  }

  private newStore(firstSeq: number): SubtaskStore {
    return new SubtaskStore(this.maxParallelism > 256, firstSeq);
  }
}
