// Order per partition key with parallelizationFactor > 1, checked against the published semantics and
// the capacity it implies (docs/reference.md §6.2): "If you increase the number of concurrent batches
// per shard, Lambda still ensures in-order processing at the partition-key level" (Lambda developer
// guide, with-kinesis). So every record of a key goes to one of the shard's N lanes: a key can never
// be processed faster than one lane, batchSize / duration, whatever N, while keys spread evenly use
// all N lanes (N x batchSize / duration).
//
// Figures: one shard at 950 records/s (under its 1,000/s write limit), batches of 100 records that each
// take a fixed 500 ms, factor 4: one lane processes 100 / 0.5 = 200 records/s, four lanes 800.
// - Uniform keys (100,000 of them hashed onto 4 lanes) keep all four lanes busy. The reader's bounded
//   read-ahead serves the busiest lane, so the shard runs at 200 / (that lane's share of the records);
//   the share is 25% within about 0.15% (binomial spread of 100,000 keys over 4 lanes), i.e. 4 x 200
//   within 1%: 2% leaves room.
// - A hot key with share s alone in its lane (its neighbours are chosen in the other lanes, with the
//   model's own hash): its lane runs at 200 records/s exactly once a backlog exists; the shard then
//   reads only as fast as that lane drains, 200 / s records/s. Over a 10-minute run the only error is
//   the first second's start (0.2%): 2% leaves room.

import { describe, expect, it } from "vitest";
import { laneOfKey } from "../../sim/kinesis/lambda-key-lanes.ts";
import { isPoisonKey } from "../../sim/lambda/index.ts";
import { resultOfKind } from "../../sim/metrics/index.ts";
import { runScenario } from "../../sim/run/index.ts";
import { expectRunAccountingCloses } from "../support/accounting.ts";
import { loadInline } from "../support/scenarios.ts";

const runTimeoutMs = 120_000;
const runSeconds = 600;
const factor = 4;
const laneRecordsPerSecond = 100 / 0.5;

/** The run's one shard and mapping; `mapping` replaces the batch size and function (YAML lines of the consumer). */
function run(keys: string, mapping = "        batchSize: 100\n        function: { duration: { perBatch: 500ms }, coldStart: { initDuration: 0s } }\n") {
  const text = `name: lambda-key-lanes
seed: 3
duration: ${runSeconds}s
warmup: 1m
report: { interval: 10s }
workload:
  - producer: p
    rate: { recordsPerSecond: 950, arrivals: uniform }
    recordSize: { distribution: fixed, size: 100B }
    keys: ${keys}
systems:
  - name: kds
    kind: kinesis
    capacity: { mode: provisioned, shards: 1 }
    producer: { latency: { median: 0s, p99: 0s } }
    consumers:
      - name: fn
        type: lambda
        parallelizationFactor: ${factor}
        latency: { median: 0s, p99: 0s }
${mapping}`;
  const result = runScenario(loadInline(text));
  expectRunAccountingCloses(result);
  return resultOfKind(result.systems[0], "kinesis");
}

/** A weighted key list: `hot` with share `share`, and cold keys that hash to the other lanes, sharing the rest. */
function hotKeyIn(hot: string, share: number): string {
  const hotLane = laneOfKey(hot, factor);
  const cold: string[] = [];
  for (let i = 0; cold.length < 60; i++) if (laneOfKey(`cold-${i}`, factor) !== hotLane) cold.push(`cold-${i}`);
  const weights = [`{ key: "${hot}", weight: ${share} }`, ...cold.map((key) => `{ key: "${key}", weight: ${(1 - share) / cold.length} }`)];
  return `{ distribution: weighted, keys: [${weights.join(", ")}] }`;
}

describe("order per partition key inside a shard (parallelizationFactor 4)", () => {
  it(
    "keeps all four lanes busy with uniform keys: the shard processes 4 x batchSize / duration",
    () => {
      const result = run('{ distribution: uniform, cardinality: 100000, template: "k-{i}" }');
      const consumer = result.consumers[0];
      const throughput = consumer.records.consumed / runSeconds;
      expect(Math.abs(throughput / (factor * laneRecordsPerSecond) - 1), `throughput ${throughput}/s`).toBeLessThan(0.02);
      const lanes = consumer.lambda!.keyLanes![0].records;
      for (const records of lanes) expect(records / runSeconds, `lanes ${lanes.join(", ")}`).toBeGreaterThan(0.95 * laneRecordsPerSecond);
    },
    runTimeoutMs,
  );

  for (const share of [0.3, 0.5]) {
    it(
      `holds a key with ${share * 100}% of the shard to one lane, batchSize / duration, and the shard to that lane's pace`,
      () => {
        const result = run(hotKeyIn("hot-device", share));
        const consumer = result.consumers[0];
        const lanes = consumer.lambda!.keyLanes![0].records;
        const hotLane = laneOfKey("hot-device", factor);
        const hotThroughput = lanes[hotLane] / runSeconds;
        expect(Math.abs(hotThroughput / laneRecordsPerSecond - 1), `hot key ${hotThroughput}/s, lanes ${lanes.join(", ")}`).toBeLessThan(0.02);
        const throughput = consumer.records.consumed / runSeconds;
        expect(Math.abs(throughput / (laneRecordsPerSecond / share) - 1), `shard ${throughput}/s`).toBeLessThan(0.02);
        // Every record of the key went through its lane: the key's count is the lane's, plus what is still unread.
        expect(lanes[hotLane]).toBeLessThanOrEqual(result.partitions[0].topKeys[0].records);
        const finding = result.findings.find((candidate) => candidate.code === "lambda-hot-key-lane");
        expect(finding, JSON.stringify(result.findings.map((f) => f.code))).toBeDefined();
        expect(finding!.evidence.key).toBe("hot-device");
        expect(finding!.message).toContain("More parallelizationFactor does not help this key");
        const behind = result.findings.find((candidate) => candidate.code === "lambda-falling-behind");
        expect(behind?.evidence.cause).toBe("hot-key");
      },
      runTimeoutMs,
    );
  }
});

describe("failures stay within their lane", () => {
  it(
    "bisects each lane's batches down to exactly the records of the poison keys",
    () => {
      // 1,000 uniform keys, 2% of them poison, batches of 10 in 5 ms so the lanes keep up: with bisection
      // and no retries, what is set aside is the poison keys' share of the records (binomial over
      // ~570,000 records: sd about 0.02 percentage points; 0.3 allowed). A lane that met another lane's
      // poison record, or missed one of its own, would set aside other records.
      const poisonShare = 0.02;
      const poisonKeys = Array.from({ length: 1000 }, (_, i) => i).filter((i) => isPoisonKey(i, poisonShare)).length;
      const mapping = `        batchSize: 10
        bisectBatchOnFunctionError: true
        maximumRetryAttempts: 0
        onFailureDestination: true
        function: { duration: { perBatch: 5ms }, errors: { poisonKeys: ${poisonShare} }, coldStart: { initDuration: 0s } }
`;
      const result = run('{ distribution: uniform, cardinality: 1000, template: "k-{i}" }', mapping);
      const stats = result.consumers[0].lambda!;
      expect(poisonKeys).toBeGreaterThan(5);
      expect(stats.bisections).toBeGreaterThan(0);
      expect(Math.abs(stats.recordsSentToDestination / result.records.accepted - poisonKeys / 1000)).toBeLessThan(0.003);
      expect(result.consumers[0].lag.quantile(0.99) / 1e6).toBeLessThan(3);
    },
    runTimeoutMs,
  );
});
