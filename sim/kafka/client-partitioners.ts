// The partitioners of the Kafka clients users run (docs/reference.md §3.1, docs/keys.md): a keyed record's
// partition is a hash of its key bytes modulo the partition count, and each client hashes differently, so
// one key lands on different partitions from a Java and a Python producer. Keyless records: the Java
// client sticks to a partition for batch.size bytes (partitioner.ts), librdkafka for
// sticky.partitioning.linger.ms, kafkajs goes round-robin, sarama draws a partition per record.
// Checked exactly against vectors made by librdkafka, kafkajs and sarama's algorithm
// (test/fixtures/partitioners, scripts/partitioner-vectors).

import type { Uniform } from "../engine/index.ts";
import { kafkaPartitionerNames, type KafkaPartitionerName } from "../scenario/kafka-partitioner-names.ts";
import { murmur2, partitionForKey as javaPartitionForKey, partitionCountMax, serializeKey, StickyPartitioner, toPositive } from "./partitioner.ts";

/** The partitioners a producer's client may use (the scenario's names); `murmur2` is the Java client's default. */
export const partitionerNames = kafkaPartitionerNames;
export type PartitionerName = KafkaPartitionerName;

/** Who uses each partitioner, as docs and messages say it. */
export const partitionerClients: Record<PartitionerName, string> = {
  murmur2: "the Java client's default",
  kafkajs: "kafkajs's DefaultPartitioner",
  consistent_random: "librdkafka's default (confluent-kafka Python, Go, .NET, Node)",
  consistent: "librdkafka's consistent",
  murmur2_random: "librdkafka's Java-compatible murmur2_random",
  fnv1a_random: "librdkafka's fnv1a_random",
  sarama: "sarama's default NewHashPartitioner",
};

/** The hash each partitioner maps keys with: partitioners of one family place every key alike. */
export const partitionerHash: Record<PartitionerName, "murmur2" | "crc32" | "fnv1a"> = {
  murmur2: "murmur2",
  kafkajs: "murmur2",
  murmur2_random: "murmur2",
  consistent_random: "crc32",
  consistent: "crc32",
  fnv1a_random: "fnv1a",
  sarama: "fnv1a",
};

const crcTable = (() => {
  const table = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c;
  }
  return table;
})();

/** zlib's crc32 (IEEE 802.3, reflected), which librdkafka's rd_crc32 calls; unsigned. */
export function crc32(bytes: Uint8Array): number {
  let c = -1;
  for (let i = 0; i < bytes.length; i++) c = crcTable[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ -1) >>> 0;
}

/**
 * FNV-1a 32 as librdkafka's rd_fnv1a and sarama's hash partitioner use it: the hash read as a signed
 * int32 and made non-negative by negation (-2^31 stays 2^31 once unsigned); unsigned.
 */
export function fnv1aAbs(bytes: Uint8Array): number {
  let h = 0x811c9dc5 | 0;
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 0x01000193);
  return (h < 0 ? -h : h) >>> 0;
}

/**
 * The unsigned hash of key bytes each partitioner takes modulo the partition count: Java's
 * toPositive(murmur2), librdkafka's rd_crc32, librdkafka's and sarama's FNV-1a made non-negative.
 */
export function keyHashOf(name: PartitionerName): (bytes: Uint8Array) => number {
  switch (partitionerHash[name]) {
    case "murmur2":
      return (bytes) => toPositive(murmur2(bytes));
    case "crc32":
      return crc32;
    case "fnv1a":
      return fnv1aAbs;
  }
}

/** The partition of a keyed record for a topic of partitionCount partitions. */
export type KeyPartitioner = (key: string, partitionCount: number) => number;

function checkedCount(partitionCount: number): number {
  if (!(Number.isInteger(partitionCount) && partitionCount >= 1 && partitionCount <= partitionCountMax)) {
    throw new RangeError(`partitioner: partitionCount ${partitionCount} is not an integer in [1, ${partitionCountMax}]`);
  }
  return partitionCount;
}

// librdkafka takes the key bytes as given; a key the model holds is a string, serialized as Kafka's
// StringSerializer writes it (UTF-8). rd_crc32(key) % partition_cnt, unsigned.
const crc32Partition: KeyPartitioner = (key, partitionCount) => crc32(serializeKey(key)) % checkedCount(partitionCount);
const fnv1aPartition: KeyPartitioner = (key, partitionCount) => fnv1aAbs(serializeKey(key)) % checkedCount(partitionCount);

/** The function that places keyed records for a partitioner (all murmur2 ones are the Java client's). */
export function keyPartitionerOf(name: PartitionerName): KeyPartitioner {
  switch (partitionerHash[name]) {
    case "murmur2":
      return javaPartitionForKey;
    case "crc32":
      return crc32Partition;
    case "fnv1a":
      return fnv1aPartition;
  }
}

/** Where records without a key go; called once per record, in send() order. */
export interface KeylessPartitioner {
  partitionFor(recordBytes: number, nowUs: number): number;
}

/** What each client does with keyless records, for docs and messages. */
export const keylessBehaviour: Record<PartitionerName, string> = {
  murmur2: "a sticky partition, changed after batch.size bytes (KIP-794)",
  kafkajs: "round-robin over the partitions with a leader, from a random start",
  consistent_random: "a sticky partition, changed every sticky.partitioning.linger.ms",
  consistent: "a sticky partition, changed every sticky.partitioning.linger.ms",
  murmur2_random: "a sticky partition, changed every sticky.partitioning.linger.ms",
  fnv1a_random: "a sticky partition, changed every sticky.partitioning.linger.ms",
  sarama: "a random partition for each record",
};

export interface KeylessSettings {
  partitionCount: number;
  batchSizeBytes: number;
  /** librdkafka's sticky.partitioning.linger.ms. */
  stickyLingerUs: number;
  uniform: Uniform;
}

export function keylessPartitionerOf(name: PartitionerName, settings: KeylessSettings): KeylessPartitioner {
  const { partitionCount, uniform } = settings;
  checkedCount(partitionCount);
  switch (name) {
    case "murmur2":
      return new StickyPartitioner(partitionCount, settings.batchSizeBytes, uniform);
    case "kafkajs":
      return new RoundRobinPartitioner(partitionCount, uniform);
    case "sarama":
      return { partitionFor: () => draw(uniform, partitionCount) };
    default:
      return new LingerStickyPartitioner(partitionCount, settings.stickyLingerUs, uniform);
  }
}

function draw(uniform: Uniform, partitionCount: number): number {
  const u = uniform();
  if (!(u >= 0 && u < 1)) throw new RangeError(`partitioner: Uniform returned ${u}, outside [0, 1)`);
  return Math.floor(u * partitionCount);
}

/**
 * librdkafka's rd_kafka_msg_sticky_partition: a keyless record goes to the current sticky partition;
 * the first record, and the first after sticky.partitioning.linger.ms has passed since the last
 * change (rd_interval: strictly more), draw a new one uniformly (rd_jitter). librdkafka draws once
 * more when the drawn partition is unavailable; the model draws over all partitions.
 */
export class LingerStickyPartitioner implements KeylessPartitioner {
  private partition = -1;
  private changedUs = 0;

  constructor(
    readonly partitionCount: number,
    readonly lingerUs: number,
    private readonly uniform: Uniform,
  ) {
    if (!(Number.isInteger(lingerUs) && lingerUs >= 0)) throw new RangeError(`LingerStickyPartitioner: lingerUs ${lingerUs} is not a non-negative integer`);
  }

  partitionFor(_recordBytes: number, nowUs: number): number {
    if (this.partition < 0 || nowUs - this.changedUs > this.lingerUs) {
      this.partition = draw(this.uniform, this.partitionCount);
      this.changedUs = nowUs;
    }
    return this.partition;
  }
}

/**
 * kafkajs's DefaultPartitioner for keyless records: a counter started at a random 32-bit value,
 * incremented per record, toPositive(counter) % (partitions with a leader). The model counts all
 * partitions.
 */
export class RoundRobinPartitioner implements KeylessPartitioner {
  private counter: number;

  constructor(
    readonly partitionCount: number,
    uniform: Uniform,
  ) {
    this.counter = Math.floor(uniform() * 2 ** 32) | 0;
  }

  partitionFor(): number {
    this.counter = (this.counter + 1) | 0;
    return (this.counter & 0x7fffffff) % this.partitionCount;
  }
}
