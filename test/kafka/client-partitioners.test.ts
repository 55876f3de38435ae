// The client partitioners against vectors made by the real libraries (scripts/partitioner-vectors):
// librdkafka 2.0.2's public rd_kafka_msg_partitioner_* functions, kafkajs 2.2.4's DefaultPartitioner,
// and sarama's NewHashPartitioner algorithm written again from partitioner.go (Go was not at hand).
// Every key (2,179 of them, ASCII and multi-byte UTF-8) x 5 partition counts must match exactly.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import seedrandom from "seedrandom";
import {
  crc32,
  fnv1aAbs,
  keylessPartitionerOf,
  keyPartitionerOf,
  LingerStickyPartitioner,
  partitionerNames,
  type PartitionerName,
} from "../../sim/kafka/client-partitioners.ts";

interface Vectors {
  keys: string[];
  columns: Array<{ name: string; partitionCount: number; partitions: number[] }>;
}

function readVectors(file: string): Vectors {
  const [header, ...rows] = readFileSync(new URL(`../fixtures/partitioners/${file}`, import.meta.url), "utf8").trim().split("\n");
  const names = header.split(",").slice(1);
  const cells = rows.map((row) => row.split(","));
  const columns = names.map((column, index) => {
    const cut = column.lastIndexOf("_");
    return { name: column.slice(0, cut), partitionCount: Number(column.slice(cut + 1)), partitions: cells.map((cell) => Number(cell[index + 1])) };
  });
  return { keys: cells.map((cell) => new TextDecoder("utf-8", { fatal: true }).decode(Buffer.from(cell[0], "hex"))), columns };
}

const sources: Array<{ file: string; partitioner: (column: string) => PartitionerName }> = [
  { file: "librdkafka.csv", partitioner: (column) => column as PartitionerName },
  { file: "kafkajs.csv", partitioner: () => "kafkajs" },
  { file: "sarama.csv", partitioner: () => "sarama" },
];

describe("client partitioners match the libraries' own vectors", () => {
  for (const source of sources) {
    const vectors = readVectors(source.file);
    it(`${source.file}: ${vectors.columns.length} columns x ${vectors.keys.length} keys`, () => {
      expect(vectors.keys.length).toBeGreaterThanOrEqual(2000);
      expect(new Set(vectors.columns.map((column) => column.partitionCount)).size).toBe(5);
      for (const column of vectors.columns) {
        const name = source.partitioner(column.name);
        expect(partitionerNames).toContain(name);
        const partitionFor = keyPartitionerOf(name);
        const mismatches = vectors.keys.filter((key, i) => partitionFor(key, column.partitionCount) !== column.partitions[i]);
        expect(mismatches, `${name} over ${column.partitionCount} partitions`).toEqual([]);
      }
    });
  }

  it("every partitioner the scenario offers is checked against some library's vectors", () => {
    const checked = new Set<string>(["murmur2"]); // the Java client's: test/kafka/partitioner.test.ts
    for (const source of sources) for (const column of readVectors(source.file).columns) checked.add(source.partitioner(column.name));
    expect([...checked].sort()).toEqual([...partitionerNames].sort());
  });

  it("the Java client's murmur2 places every key as librdkafka's murmur2_random and kafkajs do", () => {
    const librdkafka = readVectors("librdkafka.csv");
    const java = keyPartitionerOf("murmur2");
    for (const column of librdkafka.columns.filter((c) => c.name === "murmur2_random")) {
      librdkafka.keys.forEach((key, i) => expect(java(key, column.partitionCount)).toBe(column.partitions[i]));
    }
  });

  it("hashes: zlib's crc32 check value, FNV-1a's published vectors", () => {
    const ascii = (text: string) => new TextEncoder().encode(text);
    expect(crc32(ascii("123456789"))).toBe(0xcbf43926);
    expect(crc32(ascii(""))).toBe(0);
    // FNV-1a 32 of "a" is 0xe40c292c and of "foobar" 0xbf9cf968, both negative as int32: negated.
    expect(fnv1aAbs(ascii("a"))).toBe(-(0xe40c292c | 0));
    expect(fnv1aAbs(ascii("foobar"))).toBe(-(0xbf9cf968 | 0));
  });
});

describe("keyless records", () => {
  const settings = (uniform: () => number) => ({ partitionCount: 12, batchSizeBytes: 16384, stickyLingerUs: 10_000, uniform });

  it("librdkafka keeps a sticky partition for sticky.partitioning.linger.ms, then draws again", () => {
    const sticky = new LingerStickyPartitioner(12, 10_000, seedrandom("a"));
    const first = sticky.partitionFor(100, 0);
    for (let t = 0; t <= 10_000; t += 500) expect(sticky.partitionFor(100, t)).toBe(first);
    const seen = new Set<number>();
    for (let t = 10_001; t < 10_001 + 200 * 10_001; t += 10_001) seen.add(sticky.partitionFor(100, t));
    expect(seen.size).toBe(12);
  });

  it("kafkajs goes round-robin, sarama draws per record, each from its seeded stream", () => {
    const kafkajs = keylessPartitionerOf("kafkajs", settings(seedrandom("b")));
    const start = kafkajs.partitionFor(100, 0);
    for (let i = 1; i < 30; i++) expect(kafkajs.partitionFor(100, 0)).toBe((start + i) % 12);
    const sarama = keylessPartitionerOf("sarama", settings(seedrandom("c")));
    const counts = new Array<number>(12).fill(0);
    for (let i = 0; i < 12_000; i++) counts[sarama.partitionFor(100, 0)]++;
    // Binomial(12,000, 1/12): sd 30; 6 sd is 180.
    for (const count of counts) expect(Math.abs(count - 1000)).toBeLessThan(180);
    const again = keylessPartitionerOf("sarama", settings(seedrandom("c")));
    expect(again.partitionFor(100, 0)).toBe(keylessPartitionerOf("sarama", settings(seedrandom("c"))).partitionFor(100, 0));
  });
});
