// Partitions given by sarama's default NewHashPartitioner (partitioner.go, hashPartitioner.Partition
// with referenceAbs and hashUnsigned false) for each key of keys.hex, as CSV on stdout. Go is not
// installed where these vectors were made, so this is the source's algorithm written again with
// exact integers (BigInt), apart from streamsim's own code:
//   h := fnv.New32a(); h.Write(key)               // FNV-1a 32: h = (h ^ byte) * 16777619 mod 2^32
//   partition = int32(h.Sum32()) % numPartitions  // Go's % truncates toward zero
//   if partition < 0 { partition = -partition }
// Usage: node sarama.mjs < keys.hex > ../../test/fixtures/partitioners/sarama.csv
import { readFileSync } from "node:fs";

const counts = [3, 12, 64, 500, 10007];
const two32 = 1n << 32n;

function fnv32a(bytes) {
  let h = 2166136261n;
  for (const byte of bytes) h = ((h ^ BigInt(byte)) * 16777619n) % two32;
  return h;
}

function saramaPartition(bytes, count) {
  const sum = fnv32a(bytes);
  const signed = sum >= 1n << 31n ? sum - two32 : sum; // int32(Sum32())
  let partition = signed % BigInt(count); // BigInt % truncates toward zero, as Go's does
  if (partition < 0n) partition = -partition;
  return Number(partition);
}

const lines = readFileSync(0, "utf8").split("\n").filter((line) => line.length > 0);
const out = [["key_hex", ...counts.map((count) => `sarama_${count}`)].join(",")];
for (const hex of lines) {
  const bytes = Buffer.from(hex, "hex");
  out.push([hex, ...counts.map((count) => saramaPartition(bytes, count))].join(","));
}
process.stdout.write(out.join("\n") + "\n");
