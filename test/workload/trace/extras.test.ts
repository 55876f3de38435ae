// A trace's explicit hash key routes a Kinesis record instead of its key's MD5; its message group is the
// SQS FIFO group instead of the key. Both are part of a row's identity in the key dictionary.

import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runScenario } from "../../../sim/run/index.ts";
import { loadScenarioFile } from "../../../sim/scenario/index.ts";
import { ProducerStream } from "../../../sim/workload/index.ts";
import { RandomStreams } from "../../../sim/engine/index.ts";

const dir = mkdtempSync(join(tmpdir(), "trace-extras-"));
const upperHalf = (2n ** 127n).toString(); // the first hash of shard 1 of 2 (even ranges)

function load(csv: string, system: string, columns: string) {
  writeFileSync(join(dir, "t.csv"), csv);
  writeFileSync(join(dir, "s.yaml"), `name: extras\nduration: 10s\nworkload:\n  - producer: p\n    trace: { path: t.csv, columns: { ${columns} } }\nsystems:\n${system}`);
  const loaded = loadScenarioFile(join(dir, "s.yaml"));
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues));
  return loaded.scenario;
}

describe("trace hash keys and message groups", () => {
  const rows = Array.from({ length: 200 }, (_, i) => `2026-12-06T10:00:00.${String(i * 1000).padStart(6, "0")}Z,key-${i},100,${i % 2 === 0 ? upperHalf : ""},g${i % 3}`);
  const csv = `timestamp,key,size,ehk,grp\n${rows.join("\n")}\n`;

  it("routes rows with an explicit hash key by it and the others by their key's MD5", () => {
    const kinesis = "  - { name: kds, kind: kinesis, capacity: { mode: provisioned, shards: 2 } }\n";
    const routed = runScenario(load(csv, kinesis, "hashKey: ehk"));
    const [shard0, shard1] = routed.systems[0].partitions.map((p) => p.acceptedRecords);
    // The 100 rows with the hash key all land on shard 1; the 100 without split by MD5.
    expect(shard0 + shard1).toBe(200);
    expect(shard1).toBeGreaterThanOrEqual(100);
    expect(shard0).toBeGreaterThan(30);
    const byKey = runScenario(load(csv, kinesis, "key: key"));
    expect(byKey.systems[0].partitions[1].acceptedRecords).toBeLessThan(shard1);
  });

  it("takes the message group from its column", () => {
    const fifo = "  - { name: q, kind: sqs, queue: { type: fifo } }\n";
    const scenario = load(csv, fifo, "group: grp");
    const stream = new ProducerStream(scenario.producers[0], scenario, new RandomStreams(1));
    expect(stream.keys.cardinality).toBe(200);
    expect([0, 1, 2, 3].map((i) => stream.keys.groupAt!(i))).toEqual(["g0", "g1", "g2", "g0"]);
    const run = runScenario(scenario);
    expect(run.systems[0].records.accepted).toBe(200);
  });

  it("reports a hash key out of range and an over-long group with their lines", () => {
    writeFileSync(join(dir, "bad.csv"), `timestamp,key,size,ehk,grp\n2026-12-06T10:00:00Z,a,1,${(2n ** 128n).toString()},g\n2026-12-06T10:00:01Z,a,1,,${"g".repeat(129)}\n2026-12-06T10:00:02Z,a,1,007,g\n2026-12-06T10:00:03Z,a,1,,a b\n`);
    writeFileSync(join(dir, "bad.yaml"), "name: bad\nduration: 10s\nworkload:\n  - producer: p\n    trace: { path: bad.csv, columns: { hashKey: ehk, group: grp } }\n");
    const loaded = loadScenarioFile(join(dir, "bad.yaml"));
    expect(loaded.ok).toBe(false);
    if (loaded.ok) return;
    expect(loaded.issues.map((issue) => issue.message)).toEqual([
      `bad.csv:2: explicit hash key "${(2n ** 128n).toString()}" is not a whole number from 0 to 2^128 - 1 (digits, no leading zeros)`,
      `bad.csv:3: message group "${"g".repeat(40)}..." (129 characters) is not 1 to 128 letters, digits and punctuation`,
      "bad.csv:4: explicit hash key \"007\" is not a whole number from 0 to 2^128 - 1 (digits, no leading zeros)",
      'bad.csv:5: message group "a b" (3 characters) is not 1 to 128 letters, digits and punctuation',
      "bad.csv:1: no records in the trace (within start and end, if given)",
    ]);
  });
});
