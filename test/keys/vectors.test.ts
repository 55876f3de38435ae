// Every row of the reference partitioning vectors (docs/reference.md §1.2: Kinesis shards observed on an
// open-source Kinesis implementation, Kafka partitions from a Java-compatible partitioner) goes
// through the lab's --assignments output and is read back with the key-file parser.

import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { writeAssignments } from "../../reports/keys/index.ts";
import { analyseKeys, type KeySet } from "../../sim/keys/index.ts";
import { readPartitioningVectors } from "../support/vectors.ts";

const directory = mkdtempSync(join(tmpdir(), "streamsim-keys-vectors-"));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

/** Runs the lab on the keys and returns the assignments CSV's rows as [key, shard, partition] strings. */
function assignmentsOf(keys: string[], kinesisShards: number | null, kafkaPartitions: number | null): string[][] {
  const keySet: KeySet = { keys, weights: new Float64Array(keys.length).fill(1), source: "vectors", skipped: [] };
  const analysis = analyseKeys(keySet, { kinesisShards, kafkaPartitions, load: null });
  const path = join(directory, `assignments-${kinesisShards}-${kafkaPartitions}.csv`);
  writeAssignments(analysis, path);
  const lines = readFileSync(path, "utf8").split("\r\n");
  expect(lines[0]).toBe("key,kinesis_shard,kafka_partition");
  expect(lines.at(-1)).toBe("");
  return lines.slice(1, -1).map((line) => line.split(","));
}

describe("partitioning vectors through --assignments", () => {
  const { header, vectors } = readPartitioningVectors();

  it("has the documented columns", () => {
    expect(header).toBe("key,kinesis_shards,kinesis_shard,kafka_partitions,kafka_partition");
  });

  it("covers all 24 rows", () => {
    expect(vectors).toHaveLength(24);
  });

  // Group rows by shard count and by partition count: one lab run per count, each row checked.
  for (const shardCount of [...new Set(vectors.map((v) => v.kinesisShards))]) {
    it(`Kinesis, ${shardCount} shards: every key on its reference shard, Kafka column empty`, () => {
      const rows = vectors.filter((v) => v.kinesisShards === shardCount);
      const written = assignmentsOf(rows.map((v) => v.key), shardCount, null);
      expect(written).toEqual(rows.map((v) => [v.key, String(v.kinesisShard), ""]));
    });
  }
  for (const partitionCount of [...new Set(vectors.map((v) => v.kafkaPartitions))]) {
    it(`Kafka, ${partitionCount} partitions: every key on its reference partition, Kinesis column empty`, () => {
      const rows = vectors.filter((v) => v.kafkaPartitions === partitionCount);
      const written = assignmentsOf(rows.map((v) => v.key), null, partitionCount);
      expect(written).toEqual(rows.map((v) => [v.key, "", String(v.kafkaPartition)]));
    });
  }
});
