// The key lab with a client's partitioner (--kafka-partitioner): keys land where that client's hash
// puts them, and a fleet mixing hashes is warned of with the keys it splits.
import { describe, expect, it } from "vitest";
import { keyPartitionerOf } from "../../sim/kafka/client-partitioners.ts";
import { analyseKeys, keySetFromTemplate, parseFieldFlags } from "../../sim/keys/index.ts";
import { streamsimInProcess } from "../support/cli.ts";

function keySet() {
  const fields = parseFieldFlags(["u=1..500"]);
  if (!fields.ok) throw new Error("fields");
  const result = keySetFromTemplate("user-{u}", fields.fields, false);
  if (!result.ok) throw new Error("keys");
  return result.keySet;
}

describe("the key lab's Kafka partitioner", () => {
  it("places every key as the named client does", () => {
    const keys = keySet();
    for (const name of ["murmur2", "consistent_random", "fnv1a_random", "sarama", "kafkajs"] as const) {
      const analysis = analyseKeys(keys, { kinesisShards: null, kafkaPartitions: 24, load: null, kafkaPartitioner: name });
      const partitionFor = keyPartitionerOf(name);
      expect(Array.from(analysis.assignments.kafkaPartitions!)).toEqual(keys.keys.map((key) => partitionFor(key, 24)));
      expect(analysis.kafka?.partitioner).toBe(name);
      expect(analysis.warnings.some((w) => w.code === "mixed-partitioners")).toBe(false);
    }
  });

  it("warns when the fleet mixes partitioners that hash differently, not when they hash alike", () => {
    const keys = keySet();
    const mixed = analyseKeys(keys, { kinesisShards: null, kafkaPartitions: 24, load: null, kafkaPartitioner: "murmur2", kafkaFleet: ["consistent_random", "murmur2_random"] });
    const warnings = mixed.warnings.filter((w) => w.code === "mixed-partitioners");
    expect(warnings).toHaveLength(1);
    const java = keyPartitionerOf("murmur2");
    const crc = keyPartitionerOf("consistent_random");
    const split = keys.keys.filter((key) => java(key, 24) !== crc(key, 24)).length;
    expect(warnings[0].message).toContain(`Producers using murmur2 and consistent_random place ${split} of 500 keys`);
    expect(warnings[0].remedies).toEqual(["same-partitioner"]);
    const alike = analyseKeys(keys, { kinesisShards: null, kafkaPartitions: 24, load: null, kafkaPartitioner: "murmur2", kafkaFleet: ["kafkajs", "murmur2_random"] });
    expect(alike.warnings.some((w) => w.code === "mixed-partitioners")).toBe(false);
  });

  it("on the command line: names are checked, and the JSON names the partitioner", async () => {
    const bad = await streamsimInProcess("keys", "--template", "u-{u}", "--field", "u=1..50", "--kafka-partitions", "6", "--kafka-partitioner", "crc32");
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('expected a partitioner (murmur2, kafkajs, consistent_random, consistent, murmur2_random, fnv1a_random, sarama), found "crc32"');
    const alone = await streamsimInProcess("keys", "--template", "u-{u}", "--field", "u=1..50", "--kinesis-shards", "2", "--kafka-partitioner", "sarama");
    expect(alone.status).toBe(2);
    expect(alone.stderr).toContain("--kafka-partitioner applies to --kafka-partitions only");
    const good = await streamsimInProcess("keys", "--template", "u-{u}", "--field", "u=1..50", "--kafka-partitions", "6", "--kafka-partitioner", "consistent_random,murmur2", "--json");
    expect(good.status).toBe(0);
    const json = JSON.parse(good.stdout);
    expect(json.kafka.partitioner).toBe("consistent_random");
    expect(json.warnings.map((w: { code: string }) => w.code)).toContain("mixed-partitioners");
  });
});
