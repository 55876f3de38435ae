// The reference partitioning vectors, one copy for every test that reads them: keys with the Kinesis
// shard they land on (observed on an open-source Kinesis implementation) and the Kafka partition a
// Java-compatible partitioner gives them. The Kinesis hash, the Kafka partitioner and the key lab
// are each checked against the same rows.

import { readFileSync } from "node:fs";

export interface PartitioningVector {
  readonly key: string;
  readonly kinesisShards: number;
  readonly kinesisShard: number;
  readonly kafkaPartitions: number;
  readonly kafkaPartition: number;
}

export const partitioningVectorsPath = new URL("./fixtures/partitioning-vectors.csv", import.meta.url);

// No field is quoted and no key holds a comma, so a plain split is a faithful parse; the checks
// fail loudly if that stops being true. readFileSync's UTF-8 decoding is lossless: keys stay byte-exact.
export function readPartitioningVectors(): { header: string; vectors: PartitioningVector[] } {
  const text = readFileSync(partitioningVectorsPath, "utf8");
  if (text.includes('"') || text.includes("\r")) throw new Error("partitioning-vectors.csv: quotes or CR found; use a real CSV parser");
  const [header, ...lines] = text.split("\n").filter((line) => line !== "");
  const vectors = lines.map((line) => {
    const fields = line.split(",");
    if (fields.length !== 5) throw new Error(`partitioning-vectors.csv: ${fields.length} fields in ${JSON.stringify(line)}`);
    const [key, kinesisShards, kinesisShard, kafkaPartitions, kafkaPartition] = fields;
    return { key, kinesisShards: Number(kinesisShards), kinesisShard: Number(kinesisShard), kafkaPartitions: Number(kafkaPartitions), kafkaPartition: Number(kafkaPartition) };
  });
  return { header, vectors };
}
