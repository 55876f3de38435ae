// Lambda consumers of a Kinesis stream checked against theory and the published semantics
// (docs/reference.md §6): a shard's capacity with a backlog is parallelizationFactor x batchSize /
// duration and its iterator age then grows at (1 - capacity / arrivals) seconds per second (the fluid
// limit of a saturated server); mean concurrency is invocation rate x mean duration (Little's law); a
// batching window sends ~window x rate records per invocation; the account's concurrency limit
// throttles mappings that ask for more together; and every record read is accounted for.
//
// Tolerances: the fluid runs use evenly spaced arrivals and fixed durations over 10 simulated minutes,
// so the only error is the first second's start-up (< 0.3% of the run) and the per-second sampling of
// the gauge (one batch duration, < 1% of the age reached): 2% on throughput and 5% on growth leave room.

import { describe, expect, it } from "vitest";
import { isPoisonKey } from "../../sim/lambda/index.ts";
import { resultOfKind, type ConsumerResult } from "../../sim/metrics/index.ts";
import { runScenario } from "../../sim/run/index.ts";
import { expectRunAccountingCloses } from "../support/accounting.ts";
import { loadInline } from "../support/scenarios.ts";

const runTimeoutMs = 180_000;

/** One stream of `shards` shards at `recordsPerSecond` in total, read by the given Lambda consumers (YAML list items). */
function scenario(options: { shards: number; recordsPerSecond: number; duration: string; consumers: string; arrivals?: string; account?: string; seed?: number }): string {
  return `name: lambda-validation
seed: ${options.seed ?? 1}
duration: ${options.duration}
warmup: 1m
report: { interval: 10s }
workload:
  - producer: p
    rate: { recordsPerSecond: ${options.recordsPerSecond}, arrivals: ${options.arrivals ?? "uniform"} }
    recordSize: { distribution: fixed, size: 100B }
    keys: { distribution: uniform, cardinality: 100000, template: "k-{i}" }
systems:
  - name: kds
    kind: kinesis
    capacity: { mode: provisioned, shards: ${options.shards} }
    producer: { latency: { median: 0s, p99: 0s } }
${options.account ?? ""}
    consumers:
${options.consumers}
`;
}

function run(text: string) {
  const result = runScenario(loadInline(text));
  expectRunAccountingCloses(result);
  return resultOfKind(result.systems[0], "kinesis");
}

/** Slope (seconds per second) of the iterator age between two times, from the per-interval last values. */
function iteratorAgeSlope(consumer: ConsumerResult, fromUs: number, toUs: number): number {
  const series = consumer.native.series;
  const arrays = series.toArrays();
  const at = (timeUs: number) => arrays.last[Math.round(timeUs / series.intervalUs) - 1] / 1000;
  return (at(toUs) - at(fromUs)) / ((toUs - fromUs) / 1e6);
}

const mapping = (factor: number, batchMs: number, extra = "") => `      - name: fn
        type: lambda
        batchSize: 100
        parallelizationFactor: ${factor}
        latency: { median: 0s, p99: 0s }
        function: { duration: { perBatch: ${batchMs}ms }, coldStart: { initDuration: 0s } }
${extra}`;

describe("Lambda consumer capacity (fluid limit)", () => {
  // One shard at 800 records/s. Factor 1, 100 records per 200 ms: capacity 500/s, age grows 1 - 500/800 = 0.375 s/s.
  // Factor 3, 100 records per 400 ms: capacity 750/s, age grows 1 - 750/800 = 0.0625 s/s.
  for (const { factor, batchMs, capacity } of [
    { factor: 1, batchMs: 200, capacity: 500 },
    { factor: 3, batchMs: 400, capacity: 750 },
  ]) {
    it(
      `processes P x B / d = ${capacity} records/s with factor ${factor} and grows iterator age at 1 - ${capacity}/800 s/s`,
      () => {
        const result = run(scenario({ shards: 1, recordsPerSecond: 800, duration: "10m", consumers: mapping(factor, batchMs) }));
        const consumer = result.consumers[0];
        const throughput = consumer.records.consumed / 600;
        expect(Math.abs(throughput / capacity - 1), `throughput ${throughput}/s`).toBeLessThan(0.02);
        const slope = iteratorAgeSlope(consumer, 120e6, 600e6);
        const expected = 1 - capacity / 800;
        expect(Math.abs(slope / expected - 1), `iterator age slope ${slope} s/s, expected ${expected}`).toBeLessThan(0.05);
        expect(result.findings.map((finding) => finding.code)).toContain("lambda-falling-behind");
      },
      runTimeoutMs,
    );
  }

  it(
    "keeps up when P x B / d is above the arrival rate, and its mean concurrency is invocation rate x duration (Little's law)",
    () => {
      const result = run(scenario({ shards: 2, recordsPerSecond: 1600, duration: "5m", arrivals: "poisson", consumers: mapping(4, 200) }));
      const consumer = result.consumers[0];
      const stats = consumer.lambda!;
      expect(result.findings.map((finding) => finding.code)).not.toContain("lambda-falling-behind");
      expect(consumer.lag.quantile(0.99) / 1e6).toBeLessThan(3);
      // Little's law over the window after warm-up: every invocation lasts exactly 200 ms.
      const rate = stats.requestsAfterWarmup / 240;
      expect(Math.abs(stats.meanConcurrency / (rate * 0.2) - 1)).toBeLessThan(0.02);
      expect(stats.peakConcurrency).toBeLessThanOrEqual(8);
    },
    runTimeoutMs,
  );
});

describe("batching window", () => {
  it(
    "at 10 records/s, a 5 s window and batches of 1,000 invokes about every 5 s with about 50 records",
    () => {
      const consumers = `      - name: fn
        type: lambda
        batchSize: 1000
        maximumBatchingWindow: 5s
        function: { duration: { perBatch: 10ms } }
`;
      const result = run(scenario({ shards: 1, recordsPerSecond: 10, duration: "10m", consumers }));
      const stats = result.consumers[0].lambda!;
      // 600 s / 5 s = 120 invocations of 50 records; the first window opens with the first records.
      expect(Math.abs(stats.invocations / 120 - 1)).toBeLessThan(0.05);
      expect(Math.abs(result.consumers[0].records.consumed / stats.invocations / 50 - 1)).toBeLessThan(0.05);
    },
    runTimeoutMs,
  );
});

describe("account concurrency", () => {
  it(
    "throttles two mappings that each ask for 800 concurrent executions under the default limit of 1,000, and counts the throttles",
    () => {
      // 100 shards x factor 8 = 800 lanes per mapping, each kept busy: 10 records per 1 s invocation
      // is 80 records/s per shard, below the 100 each shard takes.
      const lanes = (name: string) => `      - name: ${name}
        type: lambda
        batchSize: 10
        parallelizationFactor: 8
        function: { duration: { perBatch: 1s }, timeout: 5s }
`;
      const result = run(scenario({ shards: 100, recordsPerSecond: 10_000, duration: "90s", consumers: lanes("a") + lanes("b") }));
      const [a, b] = result.consumers.map((consumer) => consumer.lambda!);
      expect(a.accountConcurrencyLimit).toBe(1000);
      expect(a.accountPeakConcurrency).toBe(1000);
      expect(a.throttles + b.throttles).toBeGreaterThan(0);
      // Together they would run 1,600; the pool holds them to 1,000, shared between the two.
      expect(a.peakConcurrency + b.peakConcurrency).toBeGreaterThanOrEqual(1000);
      expect(Math.min(a.peakConcurrency, b.peakConcurrency)).toBeGreaterThan(0);
      expect(result.findings.map((finding) => finding.code)).toContain("lambda-throttled");
    },
    runTimeoutMs,
  );

  it(
    "gives each system of a scenario its own account: the same mapping in two systems is not throttled by the other",
    () => {
      const text = scenario({ shards: 50, recordsPerSecond: 5000, duration: "70s", consumers: mapping(10, 1000) }).replace(/\n$/, "");
      const second = text.slice(text.indexOf("  - name: kds")).replace("name: kds", "name: kds-2");
      const result = runScenario(loadInline(`${text}\n${second}\n`));
      expectRunAccountingCloses(result);
      for (const system of result.systems) {
        const stats = system.consumers[0].lambda!;
        expect(stats.throttles, system.name).toBe(0);
        expect(stats.accountPeakConcurrency, system.name).toBeLessThanOrEqual(500);
      }
    },
    runTimeoutMs,
  );
});

describe("enhanced fan-out", () => {
  it(
    "reads over the mapping's own pipe: no GetRecords throttles while polling readers share the shards' 5 calls per second",
    () => {
      // Three polling readers at 200 ms each ask a shard for 15 calls per second; the efo mapping asks none.
      const pollers = [0, 1, 2].map((i) => `      - { name: kcl${i}, type: polling, pollInterval: 200ms }\n`).join("");
      const consumers = `${pollers}      - name: fn
        type: lambda
        efo: true
        function: { duration: { perBatch: 10ms } }
`;
      const result = run(scenario({ shards: 2, recordsPerSecond: 1000, duration: "3m", arrivals: "poisson", consumers }));
      const fn = result.consumers.find((consumer) => consumer.name === "fn")!;
      expect(result.consumers.filter((consumer) => consumer.name.startsWith("kcl")).reduce((sum, consumer) => sum + consumer.readThrottles, 0)).toBeGreaterThan(0);
      expect(fn.readThrottles).toBe(0);
      expect(fn.lag.quantile(0.99) / 1e6).toBeLessThan(1);
      expect(result.usage.bytesReadByConsumer.fn).toBeGreaterThan(0);
    },
    runTimeoutMs,
  );
});

describe("poison keys", () => {
  it(
    "sends exactly the records of the poison keys to the destination when bisection and no retries isolate them",
    () => {
      // 1,000 uniform keys, 2% poison: the share of records set aside is the poison keys' share of the
      // keys, binomial over ~60,000 records (sd about 0.06 percentage points; 0.3 allowed).
      const poisonShare = 0.02;
      const poisonKeys = Array.from({ length: 1000 }, (_, i) => i).filter((i) => isPoisonKey(i, poisonShare)).length;
      const consumers = `      - name: fn
        type: lambda
        bisectBatchOnFunctionError: true
        maximumRetryAttempts: 0
        onFailureDestination: true
        function: { duration: { perBatch: 5ms }, errors: { poisonKeys: ${poisonShare} } }
`;
      const text = scenario({ shards: 2, recordsPerSecond: 500, duration: "2m", arrivals: "poisson", consumers }).replace("cardinality: 100000", "cardinality: 1000");
      const result = run(text);
      const stats = result.consumers[0].lambda!;
      const share = stats.recordsSentToDestination / result.records.accepted;
      expect(poisonKeys).toBeGreaterThan(5);
      expect(Math.abs(share - poisonKeys / 1000)).toBeLessThan(0.003);
      expect(result.consumers[0].lag.quantile(0.99) / 1e6).toBeLessThan(3);
    },
    runTimeoutMs,
  );
});

describe("order per partition key", () => {
  it(
    "names the key that alone sends a shard more than one concurrent batch processes, which a higher factor cannot fix",
    () => {
      // Zipf keys (exponent 1.3 over 1,000): the busiest key carries about a quarter of 800 records/s,
      // about 200/s, while one batch of 10 records per 100 ms processes 100/s: the key's lane runs at
      // 100/s and its shard falls behind (the capacity figures are checked in lambda-key-lanes.test.ts).
      const consumers = `      - name: fn
        type: lambda
        batchSize: 10
        parallelizationFactor: 4
        function: { duration: { perBatch: 100ms } }
`;
      const text = scenario({ shards: 2, recordsPerSecond: 800, duration: "2m", arrivals: "poisson", consumers }).replace(
        'keys: { distribution: uniform, cardinality: 100000, template: "k-{i}" }',
        'keys: { distribution: zipf, cardinality: 1000, exponent: 1.3, template: "k-{i}" }',
      );
      const result = run(text);
      const finding = result.findings.find((candidate) => candidate.code === "lambda-hot-key-lane");
      expect(finding, JSON.stringify(result.findings.map((f) => f.code))).toBeDefined();
      expect(finding!.evidence.key).toBe("k-0");
      expect(Number(finding!.evidence.keyRecordsPerSecond)).toBeGreaterThan(Number(finding!.evidence.laneRecordsPerSecond));
    },
    runTimeoutMs,
  );
});
