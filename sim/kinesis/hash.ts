// Kinesis Data Streams key space: partition keys hash to 128-bit integers, shards own inclusive
// hash-key ranges, and resharding cuts or joins those ranges. Exact arithmetic throughout (BigInt);
// a double only appears in keyHashToFraction, for charts. Sources: docs/reference.md §1.2 and §1.4.

import * as crypto from "node:crypto";

/** Largest hash key: 2^128 - 1. The key space is [0, hashKeyMax]. */
export const hashKeyMax: bigint = (1n << 128n) - 1n;
const keySpaceSize = 1n << 128n;

/** CreateStream shard counts above this are a programmer error: far above the 10,000-shards-per-stream quota. */
export const evenShardCountMax = 100_000;
/** Shard ids carry 12 decimal digits. */
export const shardIndexMax = 999_999_999_999;

/** An inclusive range of hash keys, start <= end, both in [0, hashKeyMax]. */
export interface HashRange {
  readonly start: bigint;
  readonly end: bigint;
}

// crypto.hash (one-shot, no Hash object) exists since Node 20.12 / 21.7; older Node 20 releases
// fall back to createHash. A string argument is encoded as UTF-8 by both.
const md5Hex: (key: string) => string =
  typeof crypto.hash === "function"
    ? (key) => crypto.hash("md5", key, "hex")
    : (key) => crypto.createHash("md5").update(key, "utf8").digest("hex");

/**
 * MD5 of the key's UTF-8 bytes read as an unsigned big-endian 128-bit integer (docs/reference.md §1.2).
 * Lone UTF-16 surrogates encode as U+FFFD, as in any UTF-8 encoder.
 */
export function partitionKeyHash(key: string): bigint {
  return BigInt(`0x${md5Hex(key)}`);
}

const explicitHashKeyPattern = /^(?:0|[1-9][0-9]{0,38})$/;

/** ExplicitHashKey: decimal string 0|[1-9]\d{0,38}, at most 2^128-1; null if invalid. */
export function parseExplicitHashKey(text: string): bigint | null {
  if (!explicitHashKeyPattern.test(text)) return null;
  const value = BigInt(text);
  return value <= hashKeyMax ? value : null;
}

/**
 * CreateStream's ranges for N shards (kinesalite's algorithm; it matches the AWS CLI docs' real
 * 3-shard stream): step = floor(2^128 / N), shard i owns [i*step, (i+1)*step - 1], and the last
 * shard ends at 2^128 - 1, taking the remainder 2^128 mod N.
 */
export function evenHashRanges(shardCount: number): HashRange[] {
  if (!Number.isInteger(shardCount) || shardCount < 1 || shardCount > evenShardCountMax) {
    throw new RangeError(`evenHashRanges: shardCount ${shardCount} is not an integer in [1, ${evenShardCountMax}]`);
  }
  const count = BigInt(shardCount);
  const step = keySpaceSize / count;
  const ranges: HashRange[] = [];
  for (let i = 0n; i < count; i++) {
    const start = i * step;
    const end = i === count - 1n ? hashKeyMax : (i + 1n) * step - 1n;
    ranges.push({ start, end });
  }
  return ranges;
}

function assertRange(range: HashRange, owner: string): void {
  if (!(range.start >= 0n && range.start <= range.end && range.end <= hashKeyMax)) {
    throw new RangeError(`${owner}: [${range.start}, ${range.end}] is not a hash range within [0, 2^128-1]`);
  }
}

/**
 * The default NewStartingHashKey: ceil((start + end) / 2) = (start + end + 1) / 2 rounded down,
 * so a range of an even number of keys splits into equal halves ([0, 2^128-1] splits at 2^127)
 * and otherwise the upper child gets the one extra key. AWS's Java example uses the floor
 * (start + end) / 2, which for the whole key space gives 2^127 - 1 and children one key apart.
 */
export function midpointHashKey(range: HashRange): bigint {
  assertRange(range, "midpointHashKey");
  return (range.start + range.end + 1n) / 2n;
}

/**
 * SplitShard: children [start, newStart-1] and [newStart, end]. The rule (SplitShard API,
 * kinesalite): start + 1 < newStart < end, so each child holds at least two keys. Without
 * newStartingHashKey the midpoint (midpointHashKey) is used. Breaking the rule is user input,
 * returned as an error sentence.
 */
export function splitHashRange(
  range: HashRange,
  newStartingHashKey?: bigint,
): { lower: HashRange; upper: HashRange } | { error: string } {
  assertRange(range, "splitHashRange");
  const newStart = newStartingHashKey ?? midpointHashKey(range);
  if (!(newStart > range.start + 1n && newStart < range.end)) {
    if (newStartingHashKey === undefined) {
      return {
        error: `Hash range [${range.start}, ${range.end}] holds ${range.end - range.start + 1n} keys and cannot be split: each child of SplitShard needs at least 2 keys.`,
      };
    }
    return {
      error: `NewStartingHashKey ${newStart} must be greater than the parent's StartingHashKey plus one (${range.start + 1n}) and less than its EndingHashKey (${range.end}).`,
    };
  }
  return { lower: { start: range.start, end: newStart - 1n }, upper: { start: newStart, end: range.end } };
}

/** MergeShards: the union of two adjacent ranges (given in either order); an error sentence otherwise. */
export function mergeHashRanges(a: HashRange, b: HashRange): HashRange | { error: string } {
  assertRange(a, "mergeHashRanges");
  assertRange(b, "mergeHashRanges");
  if (a.end + 1n === b.start) return { start: a.start, end: b.end };
  if (b.end + 1n === a.start) return { start: b.start, end: a.end };
  return {
    error: `Hash ranges [${a.start}, ${a.end}] and [${b.start}, ${b.end}] are not adjacent: MergeShards joins only two shards whose ranges touch, one ending just below the other's start.`,
  };
}

/** "shardId-000000000000": the shard's index, zero-padded to 12 digits. */
export function shardIdOf(index: number): string {
  if (!Number.isInteger(index) || index < 0 || index > shardIndexMax) {
    throw new RangeError(`shardIdOf: index ${index} is not an integer in [0, ${shardIndexMax}]`);
  }
  return `shardId-${String(index).padStart(12, "0")}`;
}

/**
 * hash / 2^128 as a double, for charts of where keys fall in the key space. In [0, 1]: hashes
 * within about 2^75 of the top round to exactly 1.
 */
export function keyHashToFraction(hash: bigint): number {
  return Number(hash) / 2 ** 128;
}

export interface HashRouteEntry {
  readonly range: HashRange;
  readonly shardIndex: number;
}

/**
 * Routes a hash key to the open shard whose range contains it. The entries must tile the key
 * space exactly (no gap, no overlap, each shard once); anything else is a programmer error.
 * Lookup is a binary search on the range starts.
 */
export class HashRouter {
  readonly entries: readonly HashRouteEntry[];
  private readonly starts: bigint[];
  private readonly shardIndexes: number[];

  constructor(entries: readonly HashRouteEntry[]) {
    const sorted = [...entries].sort((x, y) => (x.range.start < y.range.start ? -1 : x.range.start > y.range.start ? 1 : 0));
    assertTiling(sorted);
    this.entries = sorted;
    this.starts = sorted.map((entry) => entry.range.start);
    this.shardIndexes = sorted.map((entry) => entry.shardIndex);
  }

  /** Index of the shard that owns the hash key. */
  shardFor(hash: bigint): number {
    if (hash < 0n || hash > hashKeyMax) throw new RangeError(`HashRouter.shardFor: hash ${hash} is outside [0, 2^128-1]`);
    // Last entry whose start <= hash; starts[0] is 0, so one exists.
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >>> 1;
      if (this.starts[middle] <= hash) low = middle;
      else high = middle - 1;
    }
    return this.shardIndexes[low];
  }
}

function assertTiling(sorted: readonly HashRouteEntry[]): void {
  if (sorted.length === 0) throw new Error("HashRouter: no ranges; the key space must be covered");
  const seen = new Set<number>();
  let expectedStart = 0n;
  for (const { range, shardIndex } of sorted) {
    assertRange(range, "HashRouter");
    if (!Number.isInteger(shardIndex) || shardIndex < 0) throw new RangeError(`HashRouter: shardIndex ${shardIndex} is not a non-negative integer`);
    if (seen.has(shardIndex)) throw new Error(`HashRouter: shard ${shardIndex} owns more than one range`);
    seen.add(shardIndex);
    if (range.start !== expectedStart) {
      const problem = range.start < expectedStart ? "overlaps the previous range" : `leaves a gap from ${expectedStart}`;
      throw new Error(`HashRouter: range [${range.start}, ${range.end}] of shard ${shardIndex} ${problem}`);
    }
    expectedStart = range.end + 1n;
  }
  if (expectedStart !== keySpaceSize) throw new Error(`HashRouter: the ranges stop at ${expectedStart - 1n}, not at 2^128-1`);
}
