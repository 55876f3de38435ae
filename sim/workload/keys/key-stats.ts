// Per-key facts models need again and again: a key's UTF-8 length (computed once per distinct key)
// and the busiest key indexes of a count array.

import { Buffer } from "node:buffer";
import type { KeySpace } from "./keyspace.ts";

/** UTF-8 length of each key of a key space, computed on first use (every time for unbounded spaces). */
export class KeyByteLengths {
  private readonly cache: Int32Array | null;

  constructor(readonly keys: KeySpace) {
    this.cache = Number.isFinite(keys.cardinality) ? new Int32Array(keys.cardinality).fill(-1) : null;
  }

  of(keyIndex: number): number {
    const cache = this.cache;
    if (cache === null) return Buffer.byteLength(this.keys.keyAt(keyIndex), "utf8");
    let bytes = cache[keyIndex];
    if (bytes < 0) {
      bytes = Buffer.byteLength(this.keys.keyAt(keyIndex), "utf8");
      cache[keyIndex] = bytes;
    }
    return bytes;
  }
}

/** Indexes of the `limit` largest counts, largest first (ties: lower index first). */
export function busiestIndexes(counts: Float64Array, limit: number): number[] {
  const indexes: number[] = [];
  for (let i = 0; i < counts.length; i++) if (counts[i] > 0) indexes.push(i);
  indexes.sort((a, b) => counts[b] - counts[a] || a - b);
  return indexes.slice(0, limit);
}
