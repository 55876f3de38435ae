// The keys a run wrote to a shard's hash range, with their record counts, for the split advice
// (split-advice.ts). Keys are hashed once per run and only when a finding asks. Records no key can
// place are counted apart, spread evenly over the key space: keys beyond the busiest examined ones,
// unbounded key spaces (no counts kept) and random explicit hash keys.

import { busiestIndexes } from "../workload/index.ts";
import { partitionKeyHash, type HashRange } from "./hash.ts";
import type { KinesisProducerClient } from "./producer.ts";

/** Busiest keys hashed per producer: beyond them, a key's records count as spread evenly. */
const keysExaminedMax = 100_000;
const keySpaceSize = 2 ** 128;

export interface RangeKeyCounts {
  readonly keys: Array<{ key: string; hash: bigint; records: number }>;
  /** Records over the range that no examined key explains, at their even share of the key space. */
  readonly spreadRecords: number;
}

export type RangeKeyCounter = (range: HashRange) => RangeKeyCounts;

export function rangeKeyCounter(producers: readonly KinesisProducerClient[]): RangeKeyCounter {
  let examined: { keys: Array<{ key: string; hash: bigint; records: number }>; unplaced: number } | null = null;
  return (range) => {
    examined ??= examineKeys(producers);
    const width = Number(range.end - range.start + 1n);
    return {
      keys: examined.keys.filter((entry) => entry.hash >= range.start && entry.hash <= range.end),
      spreadRecords: (examined.unplaced * width) / keySpaceSize,
    };
  };
}

function examineKeys(producers: readonly KinesisProducerClient[]): { keys: Array<{ key: string; hash: bigint; records: number }>; unplaced: number } {
  const byKey = new Map<string, { key: string; hash: bigint; records: number }>();
  let unplaced = 0;
  for (const producer of producers) {
    const counts = producer.offeredPerKey;
    if (counts === null || producer.routesByRandomHash) {
      unplaced += producer.counts.produced;
      continue;
    }
    let placed = 0;
    for (const keyIndex of busiestIndexes(counts, keysExaminedMax)) {
      const key = producer.routes.keys.keyAt(keyIndex);
      const entry = byKey.get(key) ?? { key, hash: partitionKeyHash(key), records: 0 };
      entry.records += counts[keyIndex];
      byKey.set(key, entry);
      placed += counts[keyIndex];
    }
    unplaced += producer.counts.produced - placed;
  }
  return { keys: [...byKey.values()], unplaced };
}
