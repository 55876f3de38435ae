// The Java producer's built-in partitioner (docs/reference.md §3.1): a keyed record goes to
// toPositive(murmur2(keyBytes)) % partitionCount, bit-exact with Utils.murmur2; a record without a
// key goes to a sticky partition that changes after batch.size bytes (KIP-794).

import type { Uniform } from "../engine/index.ts";

/** Partition counts above this are a programmer error (scenario validation keeps users far below). */
export const partitionCountMax = 100_000;

const seed = 0x9747b28c;
const m = 0x5bd1e995;
const r = 24;

/**
 * Kafka's Utils.murmur2 as a signed int32. Java's int arithmetic: Math.imul for every multiply,
 * >>> for the unsigned shifts, words read little-endian, bytes as 0..255.
 */
export function murmur2(bytes: Uint8Array): number {
  const length = bytes.length;
  let h = seed ^ length;
  const blockEnd = length & ~3;
  for (let i = 0; i < blockEnd; i += 4) {
    let k = bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24);
    k = Math.imul(k, m);
    k ^= k >>> r;
    k = Math.imul(k, m);
    h = Math.imul(h, m) ^ k;
  }
  // Java's switch (length % 4) falls through 3 -> 2 -> 1; the ifs below are the same steps.
  const tail = length & 3;
  if (tail >= 3) h ^= bytes[blockEnd + 2] << 16;
  if (tail >= 2) h ^= bytes[blockEnd + 1] << 8;
  if (tail >= 1) h = Math.imul(h ^ bytes[blockEnd], m);
  h ^= h >>> 13;
  h = Math.imul(h, m);
  h ^= h >>> 15;
  return h | 0;
}

/** murmur2 of a key whose UTF-16 code units are all below 0x80, so each one is its UTF-8 byte. */
function murmur2Ascii(key: string): number {
  const length = key.length;
  let h = seed ^ length;
  const blockEnd = length & ~3;
  for (let i = 0; i < blockEnd; i += 4) {
    let k = key.charCodeAt(i) | (key.charCodeAt(i + 1) << 8) | (key.charCodeAt(i + 2) << 16) | (key.charCodeAt(i + 3) << 24);
    k = Math.imul(k, m);
    k ^= k >>> r;
    k = Math.imul(k, m);
    h = Math.imul(h, m) ^ k;
  }
  const tail = length & 3;
  if (tail >= 3) h ^= key.charCodeAt(blockEnd + 2) << 16;
  if (tail >= 2) h ^= key.charCodeAt(blockEnd + 1) << 8;
  if (tail >= 1) h = Math.imul(h ^ key.charCodeAt(blockEnd), m);
  h ^= h >>> 13;
  h = Math.imul(h, m);
  h ^= h >>> 15;
  return h | 0;
}

/** Kafka's Utils.toPositive: clears the sign bit (not Math.abs: -2^31 maps to 0). */
export function toPositive(n: number): number {
  return n & 0x7fffffff;
}

const utf8 = new TextEncoder();
const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * The key's bytes as Kafka's StringSerializer writes them: Java's String.getBytes(UTF_8), byte-exact,
 * never normalised (precomposed and decomposed "ü" are different keys). Java replaces each lone
 * surrogate with '?' (0x3F) where TextEncoder would write U+FFFD, so lone surrogates are replaced first.
 */
export function serializeKey(key: string): Uint8Array {
  return utf8.encode(key.replace(loneSurrogate, "?"));
}

function isAscii(key: string): boolean {
  for (let i = 0; i < key.length; i++) if (key.charCodeAt(i) > 0x7f) return false;
  return true;
}

function assertPartitionCount(partitionCount: number, owner: string): void {
  if (!(Number.isInteger(partitionCount) && partitionCount >= 1 && partitionCount <= partitionCountMax)) {
    throw new RangeError(`${owner}: partitionCount ${partitionCount} is not an integer in [1, ${partitionCountMax}]`);
  }
}

/**
 * BuiltInPartitioner.partitionForKey: toPositive(murmur2(key bytes)) % partitionCount, counting all
 * partitions of the topic, available or not. ASCII keys are hashed straight from the string (no
 * encoder, no allocation: several times faster than a TextEncoder call per key); other keys go
 * through serializeKey.
 */
export function partitionForKey(key: string, partitionCount: number): number {
  assertPartitionCount(partitionCount, "partitionForKey");
  const hash = isAscii(key) ? murmur2Ascii(key) : murmur2(serializeKey(key));
  return toPositive(hash) % partitionCount;
}

/**
 * Partitions records without a key as the built-in partitioner does since Kafka 3.3 (KIP-794): every
 * record goes to the current sticky partition; once at least batch.size bytes went there, the next
 * record goes to a new partition drawn uniformly from all partitions (possibly the same one again,
 * as in Java, which then starts a fresh count).
 *
 * Simplified: Java switches at batch.size only once the partition's batch is full or ready (and
 * always at 2 x batch.size); here the byte count alone decides. Java's default adaptive partitioning
 * (partitioner.adaptive.partitioning.enable) weights the draw toward brokers with shorter queues and
 * can skip partitions without a leader; this model draws uniformly over all partitions and ignores
 * broker queue lengths and availability.
 */
export class StickyPartitioner {
  private currentPartition = -1;
  private producedBytes = 0;

  constructor(
    readonly partitionCount: number,
    readonly batchSizeBytes: number,
    private readonly u: Uniform,
  ) {
    assertPartitionCount(partitionCount, "StickyPartitioner");
    if (!(Number.isInteger(batchSizeBytes) && batchSizeBytes >= 1)) {
      throw new RangeError(`StickyPartitioner: batchSizeBytes ${batchSizeBytes} is not a positive integer`);
    }
  }

  /** The partition for a record of recordBytes (as appended to the batch), then counts its bytes. */
  partitionFor(recordBytes: number): number {
    if (!(Number.isFinite(recordBytes) && recordBytes >= 0)) {
      throw new RangeError(`StickyPartitioner.partitionFor: recordBytes ${recordBytes} is not a finite non-negative number`);
    }
    // Java picks the first sticky partition lazily, at the first record; so do we (same draws).
    if (this.currentPartition < 0) this.currentPartition = this.nextPartition();
    const partition = this.currentPartition;
    this.producedBytes += recordBytes;
    if (this.producedBytes >= this.batchSizeBytes) {
      this.currentPartition = this.nextPartition();
      this.producedBytes = 0;
    }
    return partition;
  }

  private nextPartition(): number {
    const draw = this.u();
    if (!(draw >= 0 && draw < 1)) throw new RangeError(`StickyPartitioner: Uniform returned ${draw}, outside [0, 1)`);
    return Math.floor(draw * this.partitionCount);
  }
}
