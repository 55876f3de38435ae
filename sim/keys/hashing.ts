// Each distinct key is hashed once: its Kinesis hash key (MD5 of its UTF-8 bytes, exact BigInt,
// docs/reference.md §1.2), its Kafka murmur2 made positive (docs/reference.md §3.1) and its UTF-8 length. Mapping to N
// shards or P partitions is then arithmetic on these values.

import { Buffer } from "node:buffer";
import { evenHashRanges, HashRouter, partitionKeyHash } from "../kinesis/hash.ts";
import { keyHashOf, type PartitionerName } from "../kafka/client-partitioners.ts";
import { murmur2, serializeKey, toPositive } from "../kafka/partitioner.ts";

export interface KeyHashes {
  /** MD5 of each key as an unsigned big-endian 128-bit integer. */
  readonly kinesisHashes: readonly bigint[];
  /** Key indexes in ascending order of kinesisHashes (ties: lower index first). */
  readonly byHash: Int32Array;
  /** The Kafka partitioner's unsigned hash of each key's bytes (toPositive(murmur2) for the Java client's). */
  readonly kafkaHashes: Int32Array | Uint32Array;
  /** UTF-8 length of each key in bytes. */
  readonly keyBytes: Int32Array;
}

export function hashKeys(keys: readonly string[], wantKinesis: boolean, wantKafka: boolean, kafkaPartitioner: PartitionerName = "murmur2"): KeyHashes {
  const count = keys.length;
  const kinesisHashes: bigint[] = wantKinesis ? new Array<bigint>(count) : [];
  const java = kafkaPartitioner === "murmur2";
  const kafkaHashes = java ? new Int32Array(wantKafka ? count : 0) : new Uint32Array(wantKafka ? count : 0);
  const kafkaHash = keyHashOf(kafkaPartitioner);
  const keyBytes = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const key = keys[i];
    keyBytes[i] = Buffer.byteLength(key, "utf8");
    if (wantKinesis) kinesisHashes[i] = partitionKeyHash(key);
    // serializeKey is Kafka's own byte encoding (lone surrogates as '?'); ASCII keys skip the encoder.
    if (wantKafka && java) kafkaHashes[i] = toPositive(murmur2(keyBytes[i] === key.length ? asciiBytes(key) : serializeKey(key)));
    else if (wantKafka) kafkaHashes[i] = kafkaHash(keyBytes[i] === key.length ? asciiBytes(key) : serializeKey(key));
  }
  return { kinesisHashes, byHash: wantKinesis ? sortByHash(kinesisHashes) : new Int32Array(0), kafkaHashes, keyBytes };
}

// One reused buffer for ASCII keys (byte length equals string length only when every unit is < 0x80).
let asciiBuffer = new Uint8Array(256);
function asciiBytes(key: string): Uint8Array {
  if (asciiBuffer.length < key.length) asciiBuffer = new Uint8Array(key.length * 2);
  for (let i = 0; i < key.length; i++) asciiBuffer[i] = key.charCodeAt(i);
  return asciiBuffer.subarray(0, key.length);
}

/**
 * Sorts key indexes by hash without a comparator: each key becomes one exact double, its hash's top
 * (52 - b) bits above its b-bit index (b bits hold every index), and a Float64Array sorts natively.
 * Keys whose top bits are equal (rare: about n^2 / 2^(53-b) pairs) are then ordered by exact BigInt.
 */
export function sortByHash(hashes: readonly bigint[]): Int32Array {
  const count = hashes.length;
  const indexBits = Math.max(1, Math.ceil(Math.log2(count + 1)));
  const indexScale = 2 ** indexBits;
  const shift = BigInt(128 - (52 - indexBits));
  const packed = new Float64Array(count);
  for (let i = 0; i < count; i++) packed[i] = Number(hashes[i] >> shift) * indexScale + i;
  packed.sort();
  const order = new Int32Array(count);
  for (let j = 0; j < count; j++) order[j] = packed[j] % indexScale;
  for (let j = 0; j < count; ) {
    const top = Math.floor(packed[j] / indexScale);
    let end = j + 1;
    while (end < count && Math.floor(packed[end] / indexScale) === top) end++;
    if (end - j > 1) {
      const run = Array.from(order.subarray(j, end)).sort((a, b) => (hashes[a] < hashes[b] ? -1 : hashes[a] > hashes[b] ? 1 : a - b));
      order.set(run, j);
    }
    j = end;
  }
  return order;
}

/** The shard of each key for a stream created with N shards (CreateStream's even ranges). */
export function kinesisShards(hashes: KeyHashes, shardCount: number): Int32Array {
  const router = new HashRouter(evenHashRanges(shardCount).map((range, shardIndex) => ({ range, shardIndex })));
  const shards = new Int32Array(hashes.kinesisHashes.length);
  for (let i = 0; i < shards.length; i++) shards[i] = router.shardFor(hashes.kinesisHashes[i]);
  return shards;
}

/** The partition of each key for a topic of P partitions. */
export function kafkaPartitions(hashes: KeyHashes, partitionCount: number): Int32Array {
  const partitions = new Int32Array(hashes.kafkaHashes.length);
  for (let i = 0; i < partitions.length; i++) partitions[i] = hashes.kafkaHashes[i] % partitionCount;
  return partitions;
}
