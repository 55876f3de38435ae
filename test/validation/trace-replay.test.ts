// Trace replay against the process that made the trace and against the key lab. The trace is drawn
// from a known process (scripts/make-replay-trace.ts): Poisson arrivals at 1,500 records/s for 100 s
// and zipf(1.0) keys over 500 keys. Replayed onto Kinesis with room to spare (no throttling), it must
// reproduce the process's rate within 1% and its top-key share (analytic: 1 / H(500, 1)) within 2%, and
// put exactly the records on each shard that the key lab counts for the same file (both route by the
// MD5 of the partition key, docs/reference.md §1.1). At speed 2 every record comes at half its time.
//
// Tolerances: 150,000 Poisson arrivals have a relative sd of 1/sqrt(150000) = 0.26%, so 1% is 3.9 sd;
// the top key's ~17,700 records have a relative sd below 0.8%, so 2% is 2.6 sd (and the seed is fixed).
// CPU: about 3 s (the trace is made and read three times, two runs of 150,000 records).

import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { analyseKeys, keySetFromTrace } from "../../sim/keys/index.ts";
import { loadScenarioFile } from "../../sim/scenario/index.ts";
import { runScenario } from "../../sim/run/run.ts";
import { traceCsv, type TraceProcess } from "../../scripts/make-replay-trace.ts";

const process: TraceProcess = {
  seed: 99,
  startUs: Date.parse("2026-12-01T00:00:00Z") * 1000,
  durationUs: 100_000_000,
  recordsPerSecond: 1500,
  keyCount: 500,
  zipfExponent: 1.0,
  keyTemplate: "user-{i}",
  sizeMinBytes: 100,
  sizeMaxBytes: 300,
  deliveryDelayMaxUs: 0,
};
const shards = 8;

const dir = mkdtempSync(join(tmpdir(), "trace-validation-"));
const tracePath = join(dir, "trace.csv.gz");
writeFileSync(tracePath, gzipSync(traceCsv(process)));

function run(speed: number, duration: string) {
  const yaml = `name: trace-validation
duration: ${duration}
report: { interval: 1s }
workload:
  - producer: users
    trace: { path: trace.csv.gz, speed: ${speed} }
systems:
  - name: kds
    kind: kinesis
    capacity: { mode: provisioned, shards: ${shards} }
`;
  const file = join(dir, `speed-${speed}.yaml`);
  writeFileSync(file, yaml);
  const loaded = loadScenarioFile(file);
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues));
  return runScenario(loaded.scenario);
}

describe("trace replay reproduces the trace's process (replay: npx vitest run test/validation/trace-replay.test.ts)", () => {
  const normal = run(1, "110s");

  it("reproduces the rate within 1% and the top-key share within 2%", () => {
    const producer = normal.producers[0];
    const rate = producer.producedRecords / (process.durationUs / 1e6);
    expect(Math.abs(rate / process.recordsPerSecond - 1)).toBeLessThan(0.01);
    let harmonic = 0;
    for (let k = 1; k <= process.keyCount; k++) harmonic += 1 / k;
    const topShare = Math.max(...producer.keyCounts!) / producer.producedRecords;
    expect(producer.keys.keyAt(producer.keyCounts!.indexOf(Math.max(...producer.keyCounts!)))).toBe("user-0");
    expect(Math.abs(topShare * harmonic - 1)).toBeLessThan(0.02);
  });

  it("puts exactly the key lab's records on each shard", () => {
    const kinesis = normal.systems[0];
    expect(kinesis.records.dropped).toBe(0);
    expect(kinesis.records.pending).toBe(0);
    expect(kinesis.records.accepted).toBe(normal.producers[0].producedRecords);
    const read = keySetFromTrace(tracePath, { format: "csv", keyColumn: "key", countBy: "records", sizeColumn: null, valueColumn: null, kinesisKeyLimit: true });
    if (!read.ok) throw new Error(read.errors.join("\n"));
    const lab = analyseKeys(read.keySet, { kinesisShards: shards, kafkaPartitions: null, load: null });
    const labPerShard = new Array(shards).fill(0);
    lab.assignments.kinesisShards!.forEach((shard, key) => (labPerShard[shard] += read.keySet.weights[key]));
    expect(kinesis.partitions.map((partition) => partition.acceptedRecords)).toEqual(labPerShard);
  });

  it("at speed 2 doubles every second's rate and halves the duration, exactly", () => {
    const fast = run(2, "55s");
    const slow = normal.producers[0].recordsSeries;
    const quick = fast.producers[0].recordsSeries;
    expect(fast.producers[0].producedRecords).toBe(normal.producers[0].producedRecords);
    expect(fast.systems[0].partitions.map((p) => p.acceptedRecords)).toEqual(normal.systems[0].partitions.map((p) => p.acceptedRecords));
    // Second k at speed 2 holds the records of seconds 2k and 2k + 1 at speed 1.
    for (let k = 0; k < 50; k++) expect(quick.sumAt(k)).toBe(slow.sumAt(2 * k) + slow.sumAt(2 * k + 1));
  });
});
