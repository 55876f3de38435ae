// Lambda consumers of a Kafka topic checked against theory and the published semantics (docs/reference.md
// §6.6): Lambda runs one batch per partition at a time, so with a backlog the mapping processes
// partitions x batchSize / duration records per second, and the age of the oldest unprocessed record
// then grows at (1 - capacity / arrivals) seconds per second (the fluid limit of a saturated server); on
// demand, the mapping starts with one event poller (5 concurrent invocations) and adds pollers after
// each minute's evaluation of the offset lag, up to one invocation per partition; a batching window
// sends window x rate records per invocation; with the defaults a poison record blocks its partition
// until retention deletes it, while bisection with bounded retries sets aside only that record; the
// account's concurrency throttles mappings that ask for more together; the mapping's fetches load the
// brokers' network out; every record is accounted for.
//
// Tolerances: evenly spaced arrivals and fixed durations over 10 simulated minutes, so the errors are
// the start-up (the first fetches, < 0.5% of the run) and the per-interval sampling of the lag (one
// batch duration, < 1% of the age reached): 2% on throughput and 5% on growth leave room.

import { describe, expect, it } from "vitest";
import { resultOfKind, type ConsumerResult } from "../../sim/metrics/index.ts";
import { runScenario } from "../../sim/run/index.ts";
import { expectRunAccountingCloses } from "../support/accounting.ts";
import { loadInline } from "../support/scenarios.ts";

const runTimeoutMs = 180_000;

function scenario(options: { partitions: number; recordsPerSecond: number; duration: string; consumer: string }): string {
  return `name: lambda-kafka-validation
seed: 1
duration: ${options.duration}
warmup: 1m
report: { interval: 10s }
workload:
  - producer: p
    rate: { recordsPerSecond: ${options.recordsPerSecond}, arrivals: uniform }
    recordSize: { distribution: fixed, size: 100B }
    keys: { distribution: uniform, cardinality: 100000, template: "k-{i}" }
systems:
  - name: msk
    kind: kafka
    brokers: { count: 3 }
    topic: { partitions: ${options.partitions} }
    producer: { latency: { median: 0s, p99: 0s } }
    consumerGroups:
${options.consumer}
`;
}

function run(text: string) {
  const result = runScenario(loadInline(text));
  expectRunAccountingCloses(result);
  return resultOfKind(result.systems[0], "kafka");
}

const mapping = (batchMs: number, extra = "") => `      - name: fn
        type: lambda
        batchSize: 100
        latency: { median: 0s, p99: 0s }
        function: { duration: { perBatch: ${batchMs}ms }, coldStart: { initDuration: 0s } }
${extra}`;

/** Slope (seconds per second) of the consumer's lag (age of the oldest unprocessed record) between two times. */
function lagSlope(consumer: ConsumerResult, fromUs: number, toUs: number): number {
  const series = consumer.lagSeries;
  const arrays = series.toArrays();
  const at = (timeUs: number) => arrays.last[Math.round(timeUs / series.intervalUs) - 1] / 1000;
  return (at(toUs) - at(fromUs)) / ((toUs - fromUs) / 1e6);
}

describe("Lambda Kafka consumer capacity (fluid limit)", () => {
  // 4 partitions at 1,000 records/s each; 100 records per 200 ms, one batch per partition at a time:
  // capacity 4 x 100 / 0.2 = 2,000 records/s (4 invocations: one poller's 5 suffice), lag grows 1 - 2000/4000 = 0.5 s/s.
  it(
    "processes partitions x batchSize / duration = 2,000 records/s and its lag grows at 1 - 2000/4000 s/s",
    () => {
      const result = run(scenario({ partitions: 4, recordsPerSecond: 4000, duration: "10m", consumer: mapping(200) }));
      const consumer = result.consumers[0];
      const throughput = consumer.records.consumed / 600;
      expect(Math.abs(throughput / 2000 - 1), `throughput ${throughput}/s`).toBeLessThan(0.02);
      const slope = lagSlope(consumer, 120e6, 600e6);
      expect(Math.abs(slope / 0.5 - 1), `lag slope ${slope} s/s`).toBeLessThan(0.05);
      expect(consumer.lambda?.peakConcurrency).toBe(4);
      expect(result.findings.find((finding) => finding.code === "lambda-falling-behind")?.evidence.cause).toBe("partitions");
      // OffsetLag, as Lambda publishes it, is the topic's: the records not processed, over every partition
      // (the Lambda guide: "measures the offset lag at the topic level"). At the end that is what the
      // accounting leaves unread or in flight, within the last second's arrivals (4,000); the largest
      // partition's lag, which this reported before, is about a quarter of it.
      const arrays = consumer.native.series.toArrays();
      const finalOffsetLag = arrays.last[arrays.last.length - 1];
      const notProcessed = consumer.records.unread + consumer.records.inFlight;
      expect(Math.abs(finalOffsetLag - notProcessed), `OffsetLag ${finalOffsetLag} against ${notProcessed} not processed`).toBeLessThan(4000);
      expect(consumer.native.name).toBe("recordsLag");
    },
    runTimeoutMs,
  );
});

describe("Lambda Kafka consumer on-demand pollers", () => {
  // 20 partitions at 600 records/s each, 100 records per 200 ms (500/s): every partition keeps a backlog. One
  // poller runs 5 invocations; each minute's evaluation adds one poller three minutes later (an estimate
  // within AWS's "within three minutes"), so pollers go 1 -> 4 (20 invocations, one per partition) by 6 min.
  it(
    "starts with one poller (5 invocations) and scales to one invocation per partition",
    () => {
      const result = run(scenario({ partitions: 20, recordsPerSecond: 12_000, duration: "7m", consumer: mapping(200) }));
      const stats = result.consumers[0].lambda!;
      const pollers = stats.pollers!.series.toArrays();
      const concurrency = stats.concurrency.toArrays();
      const intervalUs = stats.concurrency.intervalUs;
      const at = (arrays: { max: ArrayLike<number> }, timeUs: number) => arrays.max[Math.floor(timeUs / intervalUs)];
      expect(at(pollers, 30e6)).toBe(1);
      expect(at(concurrency, 30e6)).toBe(5);
      expect(at(pollers, 250e6)).toBe(2);
      expect(at(concurrency, 250e6)).toBe(10);
      expect(stats.pollers!.final).toBe(4);
      expect(stats.peakConcurrency).toBe(20);
      expect(at(concurrency, 400e6)).toBe(20);
    },
    runTimeoutMs,
  );
});

/** A Kafka system with extra topic settings and several Lambda entries (YAML list items). */
function topicScenario(options: { partitions: number; recordsPerSecond: number; duration: string; topic?: string; account?: string; consumers: string }): string {
  return scenario({ partitions: options.partitions, recordsPerSecond: options.recordsPerSecond, duration: options.duration, consumer: options.consumers })
    .replace(`topic: { partitions: ${options.partitions} }`, `topic: { partitions: ${options.partitions}${options.topic ?? ""} }`)
    .replace("    consumerGroups:", `${options.account ?? ""}    consumerGroups:`);
}

describe("Lambda Kafka consumer batching window", () => {
  // 4 partitions at 10 records/s each, batchSize 1,000 and a 5 s window: a batch leaves every ~5 s with
  // ~50 records (the window, not the size, closes it): 4 x 60 / 5 = 48 invocations a minute.
  it(
    "sends window x rate records per invocation",
    () => {
      const result = run(scenario({ partitions: 4, recordsPerSecond: 40, duration: "5m", consumer: mapping(10, "        batchSize: 1000\n        maximumBatchingWindow: 5s\n").replace("        batchSize: 100\n", "") }));
      const stats = result.consumers[0].lambda!;
      const perInvocation = result.consumers[0].records.consumed / stats.invocations;
      expect(Math.abs(perInvocation / 50 - 1), `${perInvocation} records per invocation`).toBeLessThan(0.1);
      expect(Math.abs(stats.invocations / (4 * 60) - 1), `${stats.invocations} invocations`).toBeLessThan(0.1);
    },
    runTimeoutMs,
  );
});

describe("Lambda Kafka consumer errors", () => {
  // A poison record every ~2,000 records of 2 partitions at 100 records/s each, a retention of 2 minutes
  // in 16 KiB segments. With the defaults (retry until retention deletes the record) a partition stops
  // at its first poison record until retention takes it; with bisection, 2 retries and a destination,
  // batches of 100 halve down to the poison record alone (ceil(log2 100) = 7 splits), which alone is
  // set aside after its 2 retries.
  const consumers = `      - name: defaults
        type: lambda
        latency: { median: 0s, p99: 0s }
        function: { duration: { perBatch: 10ms }, coldStart: { initDuration: 0s }, errors: { poisonRecords: 0.0005 } }
      - name: bounded
        type: lambda
        bisectBatchOnFunctionError: true
        maximumRetryAttempts: 2
        onFailureDestination: true
        pollers: { mode: provisioned, minimumPollers: 1 }
        latency: { median: 0s, p99: 0s }
        function: { duration: { perBatch: 10ms }, coldStart: { initDuration: 0s }, errors: { poisonRecords: 0.0005 } }
`;
  it(
    "a poison record blocks its partition until retention with the defaults; bisection sets aside only it",
    () => {
      const result = run(topicScenario({ partitions: 2, recordsPerSecond: 200, duration: "6m", topic: ", retention: 2m, segmentBytes: 16KiB", consumers }));
      const blocked = result.findings.find((finding) => finding.code === "lambda-partition-blocked" && finding.subject === "defaults");
      expect(blocked, JSON.stringify(result.findings)).toBeDefined();
      expect(blocked!.evidence.retriesUntilExpiry).toBe(1);
      const defaults = result.consumers.find((consumer) => consumer.name === "defaults")!;
      expect(defaults.records.expired).toBeGreaterThan(1000);
      const bounded = result.consumers.find((consumer) => consumer.name === "bounded")!;
      const stats = bounded.lambda!;
      // 72,000 records at 1 in 2,000: about 36 poison records, each set aside alone.
      expect(stats.recordsSentToDestination).toBeGreaterThan(15);
      expect(stats.recordsSentToDestination).toBeLessThan(60);
      expect(bounded.records.deadLettered).toBe(stats.recordsSentToDestination);
      expect(stats.recordsDiscarded).toBe(0);
      expect(bounded.records.expired).toBe(0);
      expect(stats.retries).toBe(2 * stats.recordsSentToDestination);
      expect(result.findings.find((finding) => finding.code === "lambda-partition-blocked" && finding.subject === "bounded")).toBeUndefined();
    },
    runTimeoutMs,
  );
});

describe("Lambda Kafka consumers and the account's concurrency", () => {
  // Two mappings, each with 10 invocations at once on a backlog (2 provisioned pollers, 10 partitions),
  // under an account limit of 12: they throttle, the throttles are counted and named.
  it(
    "throttles two mappings asking for 20 executions under a limit of 12",
    () => {
      const consumer = (name: string) => `      - { name: ${name}, type: lambda, pollers: { mode: provisioned, minimumPollers: 2 }, latency: { median: 0s, p99: 0s }, function: { duration: { perBatch: 200ms }, coldStart: { initDuration: 0s } } }\n`;
      const result = run(topicScenario({ partitions: 10, recordsPerSecond: 10_000, duration: "2m", account: "    lambdaAccount: { concurrencyLimit: 12 }\n", consumers: consumer("a") + consumer("b") }));
      for (const name of ["a", "b"]) {
        const stats = result.consumers.find((c) => c.name === name)!.lambda!;
        expect(stats.accountPeakConcurrency).toBe(12);
        expect(stats.throttles).toBeGreaterThan(0);
        expect(result.findings.some((finding) => finding.code === "lambda-throttled" && finding.subject === name)).toBe(true);
      }
    },
    runTimeoutMs,
  );
});

describe("Lambda Kafka consumer reads load the brokers", () => {
  // The mapping fetches through the leaders as a consumer group does: the brokers' network out grows by
  // at least the bytes it consumed (records of 100 B plus their framing).
  it(
    "adds its fetches to the brokers' BytesOut",
    () => {
      const bytesOut = (text: string) => {
        const system = run(text);
        let total = 0;
        for (const [name, series] of Object.entries(system.series)) if (name.endsWith("/BytesOutPerSec") && "total" in series) total += series.total;
        return { total, consumed: system.consumers[0]?.records.consumed ?? 0 };
      };
      const without = bytesOut(scenario({ partitions: 4, recordsPerSecond: 1000, duration: "2m", consumer: "      []" }).replace("    consumerGroups:\n      []", "    consumerGroups: []"));
      const withLambda = bytesOut(scenario({ partitions: 4, recordsPerSecond: 1000, duration: "2m", consumer: mapping(10) }));
      expect(withLambda.consumed).toBeGreaterThan(100_000);
      expect(withLambda.total - without.total).toBeGreaterThanOrEqual(withLambda.consumed * 100);
    },
    runTimeoutMs,
  );
});

describe("Lambda Kafka consumer on-demand pollers under throttling", () => {
  // Lambda reduces an on-demand mapping's pollers when its function is throttled (docs/reference.md
  // §6.6). 20 partitions with a backlog and a reserved concurrency of 8: one poller (5 invocations) fits,
  // the pollers added for the backlog (10, 15 invocations) are throttled, and the mapping gives them back.
  it(
    "gives pollers back when the function is throttled",
    () => {
      const result = run(scenario({ partitions: 20, recordsPerSecond: 6000, duration: "8m", consumer: mapping(200).replace("coldStart: { initDuration: 0s } }", "coldStart: { initDuration: 0s }, reservedConcurrency: 8 }") }));
      const stats = result.consumers[0].lambda!;
      expect(stats.throttles).toBeGreaterThan(0);
      expect(stats.peakConcurrency).toBe(8);
      expect(stats.pollers!.peak).toBeGreaterThanOrEqual(2);
      const pollers = stats.pollers!.series.toArrays();
      // After the first throttles, an evaluation takes a poller back (three minutes later).
      const afterPeak = Array.from(pollers.min).slice(Math.ceil(stats.pollers!.peakAtUs / stats.pollers!.series.intervalUs));
      expect(Math.min(...afterPeak)).toBeLessThan(stats.pollers!.peak);
    },
    runTimeoutMs,
  );
});

describe("Lambda Kafka consumer and a hot partition", () => {
  // Every record has one key, so one of 4 partitions takes all 800 records/s; its one batch at a time
  // processes 100 / 0.2 s = 500 records/s. The topic's mean (200 per partition) would fit: the cause
  // named is the hot partition, which more pollers cannot help.
  it(
    "names the hot partition as the cause",
    () => {
      const text = scenario({ partitions: 4, recordsPerSecond: 800, duration: "3m", consumer: mapping(200) }).replace('keys: { distribution: uniform, cardinality: 100000, template: "k-{i}" }', 'keys: { distribution: fixed, key: "k" }');
      const result = run(text);
      const behind = result.findings.find((finding) => finding.code === "lambda-falling-behind");
      expect(behind?.evidence.cause, JSON.stringify(result.findings)).toBe("hot-partition");
      expect(Number(behind!.evidence.busiestPartitionRecordsPerSecond)).toBeCloseTo(800, -1);
    },
    runTimeoutMs,
  );
});
