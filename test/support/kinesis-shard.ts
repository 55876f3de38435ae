// Where a partition key lands in a Kinesis stream, computed here from the published rule and not
// through the model's router, so tests that name a hot shard check the model against something
// independent: the key's MD5 (of its UTF-8 bytes) read as an unsigned 128-bit integer, and the
// shard whose [start, end] hash key range contains it, for a stream created with `shardCount`
// shards, which CreateStream splits evenly over 0 .. 2^128 - 1 (the last shard takes the remainder).

import { createHash } from "node:crypto";

const hashKeyCount = 2n ** 128n;

/** The [start, end] hash key range of each shard of a newly created stream, both ends included. */
export function createdStreamRanges(shardCount: number): Array<{ start: bigint; end: bigint }> {
  const width = hashKeyCount / BigInt(shardCount);
  return Array.from({ length: shardCount }, (_, i) => ({
    start: BigInt(i) * width,
    end: i === shardCount - 1 ? hashKeyCount - 1n : BigInt(i + 1) * width - 1n,
  }));
}

export function md5HashKey(key: string): bigint {
  return BigInt(`0x${createHash("md5").update(key, "utf8").digest("hex")}`);
}

/** The index (from 0) of the shard a partition key lands on in a newly created stream of `shardCount` shards. */
export function shardIndexOfKey(key: string, shardCount: number): number {
  const hash = md5HashKey(key);
  const index = createdStreamRanges(shardCount).findIndex((range) => range.start <= hash && hash <= range.end);
  if (index < 0) throw new Error(`no shard range holds the hash of ${JSON.stringify(key)}`);
  return index;
}
