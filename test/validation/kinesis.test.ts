// The Kinesis Data Streams model against the published limits (docs/reference.md
// §1) and against analytic results (token-bucket throughput, the fluid model of a consumer
// that falls behind, waiting times of periodic polling). Each tolerance says which error it covers,
// so a pass means something and a failure is not noise. Latencies are set to zero wherever the
// analytic result has none. A failing check writes its scenario to a temporary file and prints the
// command that replays it.
//

import { mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { linearRegression, mean } from "simple-statistics";
import { describe, expect, it, onTestFailed } from "vitest";
import type { ConsumerResult, LambdaConsumerStats, PartitionResult, SystemResult } from "../../sim/metrics/index.ts";
import { runScenario } from "../../sim/run/index.ts";
import { loadScenarioText } from "../../sim/scenario/index.ts";
import { behindCause, readThrottled } from "../../sim/kinesis/findings.ts";
import { behindCause as lambdaBehindCause } from "../../sim/kinesis/lambda-findings.ts";
import type { LambdaCapacity } from "../../sim/kinesis/lambda-messages.ts";
import { shardIndexOfKey } from "../support/kinesis-shard.ts";

const MiB = 1024 * 1024;
const secondUs = 1_000_000;
const zero = "{ median: 0s, p99: 0s }";

interface InlineScenario {
  name: string;
  duration: string;
  warmup?: string;
  report: string;
  recordsPerSecond: number;
  arrivals: "poisson" | "uniform";
  recordSize: string;
  /** A YAML flow mapping for `keys:`. */
  keys: string;
  shards: number;
  /** A YAML flow mapping for the system's `producer:` block. */
  producer: string;
  /** YAML flow mappings, one per consumer. */
  consumers?: string[];
  timeline?: string[];
}

function scenarioYaml(s: InlineScenario): string {
  const lines = [
    `name: ${s.name}`,
    "seed: 1",
    `duration: ${s.duration}`,
    `warmup: ${s.warmup ?? "0s"}`,
    `report: { interval: ${s.report} }`,
    "workload:",
    "  - producer: p",
    `    rate: { recordsPerSecond: ${s.recordsPerSecond}, arrivals: ${s.arrivals} }`,
    `    recordSize: { distribution: fixed, size: ${s.recordSize} }`,
    `    keys: ${s.keys}`,
    "systems:",
    "  - name: kds",
    "    kind: kinesis",
    `    capacity: { mode: provisioned, shards: ${s.shards} }`,
    `    producer: ${s.producer}`,
  ];
  if (s.consumers !== undefined) lines.push("    consumers:", ...s.consumers.map((consumer) => `      - ${consumer}`));
  if (s.timeline !== undefined) lines.push("timeline:", ...s.timeline.map((action) => `  - ${action}`));
  return lines.join("\n") + "\n";
}

/** Runs an inline scenario; if the test then fails, writes it out and prints the replay command. */
function runKinesis(s: InlineScenario): SystemResult {
  const yaml = scenarioYaml(s);
  const loaded = loadScenarioText(yaml, "test/validation/inline.yaml");
  if (!loaded.ok) throw new Error(`inline scenario ${s.name} does not load: ${JSON.stringify(loaded.issues)}`);
  onTestFailed(({ task }) => {
    if (task.fails === true) return; // an expected failure (it.fails) needs no replay line on every run
    const directory = join(tmpdir(), "streamsim-validation");
    mkdirSync(directory, { recursive: true });
    const file = join(directory, `${s.name}.yaml`);
    writeFileSync(file, yaml);
    console.error(`replay: npx streamsim run ${file}`);
  });
  const system = runScenario(loaded.scenario).systems[0];
  if (system === undefined) throw new Error(`inline scenario ${s.name} simulated no system`);
  return system;
}

function only<T>(items: T[]): T {
  expect(items.length).toBe(1);
  return items[0]!;
}

/** Every consumer's accounting closes: accepted = consumed + inFlight + unread + expired (docs/design.md). */
function expectConsumersClose(system: SystemResult): void {
  for (const consumer of system.consumers) {
    const { consumed, inFlight, unread, expired, deadLettered, lost } = consumer.records;
    expect(consumed + inFlight + unread + expired + deadLettered + lost, consumer.name).toBe(system.records.accepted);
  }
}

/**
 * (seconds, lag in seconds) of the per-second lag samples taken in [fromUs, toUs), at the instants they
 * were taken (one inside every simulated second, not on the whole second: metrics/consumer-meter.ts).
 */
function lagPoints(consumer: ConsumerResult, fromUs: number, toUs: number): Array<[number, number]> {
  const samples = consumer.lagSamples;
  const points: Array<[number, number]> = [];
  for (let i = samples.firstAtOrAfter(fromUs); i < samples.count && samples.timeUsAt(i) < toUs; i++) {
    points.push([samples.timeUsAt(i) / secondUs, samples.lagUsAt(i) / secondUs]);
  }
  return points;
}

/** The lag sample taken inside simulated second `second`: (its time, the lag), in seconds. */
function sampleIn(consumer: ConsumerResult, second: number): [number, number] {
  return only(lagPoints(consumer, second * secondUs, (second + 1) * secondUs));
}

/** Lag (seconds) sampled inside simulated second `second`. */
function lagAt(consumer: ConsumerResult, second: number): number {
  return sampleIn(consumer, second)[1];
}

const meanLatencyMs = (consumer: ConsumerResult): number => consumer.endToEndLatency.mean / 1000;
const p50LatencyMs = (consumer: ConsumerResult): number => consumer.endToEndLatency.quantile(0.5) / 1000;

describe("write limit: 1,000 records/s per shard", () => {
  // One shard offered 1,500 records/s of 1 KB (1,000 B of data + a 3-5 byte key): 1,000 records of
  // at most 1,005 B are 0.96 MiB, so the records limit binds before the bytes limit.
  const base: InlineScenario = {
    name: "kinesis-records-limit",
    duration: "10m",
    report: "1m",
    recordsPerSecond: 1500,
    arrivals: "poisson",
    recordSize: "1KB",
    keys: `{ distribution: uniform, cardinality: 1000, template: "k-{i}" }`,
    shards: 1,
    producer: `{ retry: { maxAttempts: 1 }, latency: ${zero} }`,
  };
  const seconds = 600;

  /** Accepted records per second over the run and in each report minute after the first. */
  function expectThousandPerSecond(system: SystemResult): void {
    // The bucket holds one second (1,000 records) at the start: 1.7 records/s over 600 s (0.17%).
    // Admission is deterministic given the arrivals, and at 1.5x the limit the bucket is emptied by
    // every request, so the rate is the refill rate; 1% (the issue's bound) is six times that error.
    expect(Math.abs(system.records.accepted / seconds - 1000) / 1000).toBeLessThan(0.01);
    // Per minute: the bucket's content at a boundary is at most one request's share (150 records
    // per 100 ms linger) = 0.25% of 60,000. The first minute also takes the initial full bucket.
    const series = only(system.partitions).series.acceptedRecords;
    expect(series.intervalCount).toBe(10);
    for (let i = 1; i < series.intervalCount; i++) {
      expect(Math.abs(series.sumAt(i) / 60 - 1000) / 1000, `minute ${i + 1}`).toBeLessThan(0.01);
    }
  }

  it("accepts 1,000 ± 1% records/s and drops every throttled record when there are no retries", () => {
    const system = runKinesis(base);
    const { produced, accepted, throttledAttempts, dropped, pending } = system.records;
    expectThousandPerSecond(system);
    // maxAttempts 1: each record has one attempt, so every throttled attempt is a dropped record.
    expect(dropped).toBe(throttledAttempts);
    expect(produced).toBe(accepted + dropped + pending);
    // About 500 records/s are rejected (a third of the offered load).
    expect(Math.abs(throttledAttempts / produced - 1 / 3)).toBeLessThan(0.01);
    expect(only(system.partitions).throttledAttempts).toBe(throttledAttempts);
  });

  it("with retries, still accepts 1,000 ± 1% records/s; records retry before they drop and the accounting closes", () => {
    // The SDK default: 3 attempts, 100 ms base, 20 s cap, full jitter.
    const system = runKinesis({ ...base, name: "kinesis-records-limit-retries", producer: `{ latency: ${zero} }` });
    const { produced, accepted, throttledAttempts, dropped, pending } = system.records;
    expectThousandPerSecond(system);
    expect(produced).toBe(accepted + dropped + pending);
    // Retried attempts are throttled again before a record drops, so attempts outnumber drops; and
    // at 1.5x the limit a third of the records must still drop once their three attempts are spent.
    expect(throttledAttempts).toBeGreaterThan(dropped);
    expect(Math.abs(dropped / produced - 1 / 3)).toBeLessThan(0.01);
  });
});

describe("write limit: 1 MiB/s per shard, partition-key bytes included", () => {
  /** Offers 2 MiB/s (data + key) of `dataBytes` records with one key of `keyBytes` characters to one shard for 10 minutes. */
  function offerTwoMiB(name: string, dataBytes: number, keyBytes: number) {
    const seconds = 600;
    const system = runKinesis({
      name,
      duration: "10m",
      report: "1m",
      recordsPerSecond: (2 * MiB) / (dataBytes + keyBytes),
      arrivals: "poisson",
      recordSize: `${dataBytes}B`,
      keys: `{ distribution: fixed, key: "${"k".repeat(keyBytes)}" }`,
      shards: 1,
      producer: `{ retry: { maxAttempts: 1 }, latency: ${zero} }`,
    });
    // Expected: the refill (1 MiB/s) plus the initial full bucket (1 MiB over the run, 0.17%).
    const expectedBytesPerSecond = (seconds * MiB + MiB) / seconds;
    return { system, seconds, expectedBytesPerSecond };
  }

  it("one shard offered 2 MiB/s of 100 KB records accepts 1 MiB/s ± 1%", () => {
    const dataBytes = 100_000;
    const keyBytes = 9;
    const { system, seconds, expectedBytesPerSecond } = offerTwoMiB("kinesis-bytes-limit-100kb", dataBytes, keyBytes);
    // ~21 records/s offered, ~10.5 accepted: about 6,300 records. A record is admitted whole, so the
    // bucket can hold back at most one record (100 KB) at the end: 0.02% of 600 MiB. Arrivals are
    // Poisson at twice the limit, so the bucket is practically never full (capacity never wasted).
    const shard = only(system.partitions);
    expect(Math.abs(shard.acceptedBytes / seconds / expectedBytesPerSecond - 1)).toBeLessThan(0.01);
    expect(shard.acceptedBytes).toBe(system.records.accepted * (dataBytes + keyBytes));
    expect(system.bytes.accepted).toBe(system.records.accepted * dataBytes);
    const expectedRecordsPerSecond = expectedBytesPerSecond / (dataBytes + keyBytes);
    expect(Math.abs(system.records.accepted / seconds / expectedRecordsPerSecond - 1)).toBeLessThan(0.01);
    expect(system.records.throttledAttempts).toBe(system.records.produced - system.records.accepted);
  });

  it("a 256-byte partition key takes its share of the 1 MiB/s: data bytes accepted = 1 MiB/s x 2,000 / 2,256", () => {
    // With 100 KB records the key is 0.01% of the bytes, too little to see at 1%. With 2,000 B of data
    // and the longest key (256 characters) it is 11%: counting the key, 464.8 records/s fit (data
    // 0.887 MiB/s); ignoring it, 524.3 records/s would (data 1 MiB/s), 13% more. The records limit
    // (1,000/s) does not bind. ~280,000 records are accepted, so the bucket's leftover is negligible.
    const dataBytes = 2000;
    const keyBytes = 256;
    const { system, seconds, expectedBytesPerSecond } = offerTwoMiB("kinesis-bytes-limit-long-key", dataBytes, keyBytes);
    const shard = only(system.partitions);
    expect(Math.abs(shard.acceptedBytes / seconds / expectedBytesPerSecond - 1)).toBeLessThan(0.01);
    const expectedDataBytesPerSecond = (expectedBytesPerSecond * dataBytes) / (dataBytes + keyBytes);
    expect(Math.abs(system.bytes.accepted / seconds / expectedDataBytesPerSecond - 1)).toBeLessThan(0.01);
  });
});

describe("partition keys over 10 shards at 5,000 records/s", () => {
  const base: InlineScenario = {
    name: "kinesis-one-key",
    duration: "2m",
    report: "1m",
    recordsPerSecond: 5000,
    arrivals: "poisson",
    recordSize: "100B",
    keys: `{ distribution: fixed, key: "device-1" }`,
    shards: 10,
    // No retries: the throttled attempts are then exactly the first attempts that were throttled.
    producer: `{ retry: { maxAttempts: 1 }, latency: ${zero} }`,
  };
  const seconds = 120;

  it("one fixed key puts everything on the shard its MD5 names, which throttles most of it", () => {
    const system = runKinesis(base);
    const hot = shardIndexOfKey("device-1", 10);
    const busy = system.partitions.filter((partition) => partition.acceptedRecords > 0);
    expect(busy.map((partition) => partition.id)).toEqual([`shardId-${String(hot).padStart(12, "0")}`]);
    // The hot shard accepts its limit, 1,000/s plus the initial full bucket (1,000 records over 120 s).
    // ~600,000 records are offered; the Poisson noise on the offered count does not reach the
    // accepted count, which the bucket fixes.
    const expectedAccepted = 1000 * seconds + 1000;
    expect(Math.abs(busy[0]!.acceptedRecords / expectedAccepted - 1)).toBeLessThan(0.01);
    // Throttled share of first attempts: 1 - 1,008/5,000 = 0.80 (the issue's bound: > 70%).
    const throttledShare = system.records.throttledAttempts / system.records.produced;
    expect(throttledShare).toBeGreaterThan(0.7);
    expect(Math.abs(throttledShare - (1 - expectedAccepted / seconds / 5000))).toBeLessThan(0.01);
  });

  it("10,000 uniform keys keep every shard under its limit: nothing is throttled", () => {
    const system = runKinesis({ ...base, name: "kinesis-uniform-keys", keys: `{ distribution: uniform, cardinality: 10000, template: "device-{i}" }` });
    // Each shard gets ~1,000 keys (binomial, sd 30) and ~500 records/s: a burst of 1,000 records in
    // less than a second at that mean has a vanishing probability, and the bytes are 54 KB/s.
    expect(system.records.throttledAttempts).toBe(0);
    expect(system.records.accepted).toBe(system.records.produced);
    for (const partition of system.partitions) {
      expect(partition.acceptedRecords / seconds, partition.id).toBeGreaterThan(400);
      expect(partition.peakWriteUtilization, partition.id).toBeLessThan(0.7);
    }
  });

  // One shard of ten takes all the traffic: its demand is ten times a fair share of the open shards.
  it("reports the single-key shard as a hot shard", () => {
    const system = runKinesis({ ...base, name: "kinesis-one-key-finding" });
    const hot: PartitionResult = system.partitions.find((partition) => partition.acceptedRecords > 0)!;
    const finding = system.findings.find((candidate) => candidate.code === "hot-shard");
    expect(finding?.subject).toBe(hot.id);
  });
});

describe("a polling consumer against the fluid model", () => {
  // λ = 800 records/s of 100 B (evenly spaced: the fluid model's deterministic flow) on one shard,
  // 80% of its records limit. The consumer fetches up to M = 1,000 records per call and processes a
  // batch in b + n p; its poll interval (250 ms) is shorter than a batch's processing, so a consumer
  // that is behind fetches full batches back to back.
  // Read limits: at most 4 calls/s (< 5), and a 1,000-record call is ~103 KB, 49 ms of the 2 MiB/s
  // allowance, less than the time between calls: no read throttling (asserted).
  const lambda = 800;
  const maxRecords = 1000;
  const base = (name: string, perBatchMs: number, perRecordMs: number): InlineScenario => ({
    name,
    duration: "10m",
    report: "1s",
    recordsPerSecond: lambda,
    arrivals: "uniform",
    recordSize: "100B",
    keys: `{ distribution: uniform, cardinality: 1000, template: "k-{i}" }`,
    shards: 1,
    producer: `{ batch: { linger: 10ms }, retry: { maxAttempts: 1 }, latency: ${zero} }`,
    consumers: [
      `{ name: c, type: polling, latency: ${zero}, pollInterval: 250ms, maxRecords: ${maxRecords}, processing: { perRecord: ${perRecordMs * 1000}us, perBatch: ${perBatchMs}ms } }`,
    ],
  });

  it("capacity below the arrival rate: the lag grows at 1 - μ/λ seconds per second (within 5%)", () => {
    const perBatchS = 0.2;
    const perRecordS = 0.0013;
    // μ = M / (b + M p) = 1,000 / (0.2 + 1.3) = 666.7 records/s; slope = 1 - 666.7/800 = 0.1667 s/s.
    const mu = maxRecords / (perBatchS + maxRecords * perRecordS);
    const predictedMsPerSecond = (1 - mu / lambda) * 1000;
    const system = runKinesis(base("kinesis-fluid-behind", perBatchS * 1000, perRecordS * 1000));
    const consumer = only(system.consumers);
    expect(system.records.throttledAttempts).toBe(0);
    expect(consumer.readThrottles).toBe(0);
    expectConsumersClose(system);
    // Second half of the run (300 per-second samples), once full batches are established. With
    // evenly spaced arrivals the only departure from the fluid line is the batch sawtooth (the lag
    // drops by M/λ = 1.25 s when a batch completes and climbs for 1.5 s): over 300 samples it moves
    // a least-squares slope by well under 1%, so 5% (the issue's bound) leaves room.
    const points = lagPoints(consumer, 300 * secondUs, 600 * secondUs);
    expect(points.length).toBe(300);
    const measuredMsPerSecond = linearRegression(points).m * 1000;
    expect(Math.abs(measuredMsPerSecond / predictedMsPerSecond - 1)).toBeLessThan(0.05);
    // The lag after 10 minutes is about the slope times the run (~100 s), not a bounded queue.
    expect(consumer.lag.max / secondUs).toBeGreaterThan(0.9 * (predictedMsPerSecond / 1000) * 600 - 5);
  });

  it("capacity above the arrival rate: the lag stays bounded by two processing cycles", () => {
    const perBatchS = 0.2;
    const perRecordS = 0.0008;
    // Full batches would be served at 1,000/0.2+0.8 = 1,000 records/s > 800. Caught up, a cycle of
    // fetch + process settles where the batch is what arrived during the previous cycle:
    // C = b / (1 - λ p) = 0.2 / 0.36 = 0.56 s (444 records, under M). The oldest unprocessed record
    // has waited at most the rest of one cycle and the whole next one, plus the producer's linger.
    const cycleS = perBatchS / (1 - lambda * perRecordS);
    const system = runKinesis(base("kinesis-fluid-keeps-up", perBatchS * 1000, perRecordS * 1000));
    const consumer = only(system.consumers);
    expect(consumer.readThrottles).toBe(0);
    expectConsumersClose(system);
    expect(consumer.lag.max / secondUs).toBeLessThan(2 * cycleS + 0.01);
    const points = lagPoints(consumer, 300 * secondUs, 600 * secondUs);
    expect(Math.abs(linearRegression(points).m)).toBeLessThan(0.001);
  });
});

describe("consumer latency: polling interval, shared reads, enhanced fan-out", () => {
  // 200 records/s of 100 B on one shard for 2 minutes (10 s warm-up): ~22,000 records per latency
  // histogram. The producer sends each record within 1 ms (linger 1 ms, zero PutRecords latency).
  const base = (name: string, consumers: string[], producer = `{ batch: { linger: 1ms }, latency: ${zero} }`): InlineScenario => ({
    name,
    duration: "2m",
    warmup: "10s",
    report: "10s",
    recordsPerSecond: 200,
    arrivals: "poisson",
    recordSize: "100B",
    keys: `{ distribution: uniform, cardinality: 1000, template: "k-{i}" }`,
    shards: 1,
    producer,
    consumers,
  });
  const seconds = 120;
  const polling = (count: number, interval: string, latency = zero): string[] =>
    Array.from({ length: count }, (_, i) => `{ name: poll-${i}, type: polling, latency: ${latency}, pollInterval: ${interval} }`);
  const fanOut = (count: number, propagation?: string): string[] =>
    Array.from({ length: count }, (_, i) => `{ name: efo-${i}, type: enhanced-fan-out${propagation === undefined ? "" : `, propagation: ${propagation}`} }`);

  it("polling latency grows with the poll interval: p50 = interval / 2 with zero latencies", () => {
    // Records arrive at random times and wait for the next poll: uniform on (0, T), median T/2.
    // The median of ~22,000 draws has a relative standard error of ~0.7%, the histogram's buckets
    // under 1%, the linger at most 1 ms (1% of 100 ms): 5% covers them.
    const p50s = ["200ms", "1s", "2s"].map((interval) => {
      const consumer = only(runKinesis(base(`kinesis-poll-${interval}`, polling(1, interval))).consumers);
      expect(consumer.readThrottles).toBe(0);
      return p50LatencyMs(consumer);
    });
    expect(p50s[0]!).toBeLessThan(p50s[1]!);
    expect(p50s[1]!).toBeLessThan(p50s[2]!);
    [100, 500, 1000].forEach((expectedMs, i) => expect(Math.abs(p50s[i]! / expectedMs - 1), `interval ${i}`).toBeLessThan(0.05));
  });

  it("five polling consumers at 200 ms share 5 calls/s: four of each five calls are throttled and latency rises", () => {
    const one = only(runKinesis(base("kinesis-poll-1x200ms", polling(1, "200ms"))).consumers);
    // With zero GetRecords latency a reader polling every 200 ms makes exactly 5 calls/s and can take
    // the whole allowance from the others; a real call's ~20 ms leaves room, so the five use it.
    const five = runKinesis(base("kinesis-poll-5x200ms", polling(5, "200ms", "{ median: 20ms, p99: 80ms }"))).consumers;
    expect(five.length).toBe(5);
    expect(one.readThrottles).toBe(0);
    for (const consumer of five) {
      // 25 calls/s against 5 allowed: every consumer is refused, but fewer than 4 calls in 5, as a
      // refused call waits out the SDK's throttling backoff before the next (docs/reference.md §1.8).
      expect(consumer.readThrottles, consumer.name).toBeGreaterThan(0);
      expect(consumer.readThrottles, consumer.name).toBeLessThan(4 * seconds);
      // About one successful call per second each: the wait is ~0.5 s or more against 0.1 s.
      expect(meanLatencyMs(consumer), consumer.name).toBeGreaterThan(2 * meanLatencyMs(one));
      expect(p50LatencyMs(consumer), consumer.name).toBeGreaterThan(2 * p50LatencyMs(one));
    }
  });

  it("with the default latencies, one consumer polling at 200 ms sees ~200 ms and five see more (docs/reference.md §1.5: ~200 ms / ~1,000 ms)", () => {
    // Default PutRecords latency (20 ms median), linger (100 ms) and GetRecords latency (20 ms).
    // The published figures are rough averages, so only broad bands are checked: ±25% for one
    // consumer; 0.5-1.5 s for five. The model gives ~0.6 s for five: each gets one call per second
    // (a uniform wait of 0.5 s on average) plus the default latencies, under AWS's ~1 s.
    const defaults = "{}";
    const one = only(runKinesis(base("kinesis-poll-defaults-1", polling(1, "200ms", "{ median: 20ms, p99: 80ms }"), defaults)).consumers);
    expect(Math.abs(meanLatencyMs(one) / 200 - 1)).toBeLessThan(0.25);
    const five = runKinesis(base("kinesis-poll-defaults-5", polling(5, "200ms", "{ median: 20ms, p99: 80ms }"), defaults)).consumers;
    // Each consumer's mean depends on its luck with the backoffs; the average over the five is
    // checked against ~1,000 ms in kinesis-delivery.test.ts.
    for (const consumer of five) {
      expect(meanLatencyMs(consumer), consumer.name).toBeGreaterThan(500);
      expect(meanLatencyMs(consumer), consumer.name).toBeLessThan(2000);
    }
  });

  it("enhanced fan-out latency does not depend on the number of consumers; six are never throttled", () => {
    const one = only(runKinesis(base("kinesis-efo-1", fanOut(1))).consumers);
    const six = runKinesis(base("kinesis-efo-6", fanOut(6))).consumers;
    expect(six.length).toBe(6);
    // Each consumer has its own 2 MiB/s pipe (docs/reference.md §1.3). The medians differ only by each
    // consumer's own propagation draws (~1,100 deliveries: ~1% standard error) and the histogram
    // buckets (~2% apart): 5% covers both.
    for (const consumer of six) {
      expect(consumer.readThrottles, consumer.name).toBe(0);
      expect(Math.abs(p50LatencyMs(consumer) / p50LatencyMs(one) - 1), consumer.name).toBeLessThan(0.05);
      expect(consumer.records.consumed, consumer.name).toBeGreaterThan(0.99 * one.records.consumed);
    }
  });

  it("six polling consumers at a 1 s interval make 6 calls/s and are read-throttled; six fan-out consumers are not", () => {
    const polled = runKinesis(base("kinesis-poll-6x1s", polling(6, "1s"))).consumers;
    const throttles = polled.reduce((sum, consumer) => sum + consumer.readThrottles, 0);
    // 6 calls/s against at most 5 per rolling second: calls are refused (a refused call backs off,
    // which shifts its reader's phase, so the refusals fall unevenly on the six).
    expect(throttles).toBeGreaterThan(0);
    // About a sixth of all calls: a warning that names the share of each reader's calls.
    const calls = polled.reduce((sum, consumer) => sum + consumer.readCalls, 0);
    expect(Math.abs(throttles / calls - 1 / 6)).toBeLessThan(0.03);
    const system = runKinesis(base("kinesis-poll-6x1s-findings", polling(6, "1s")));
    const warned = system.findings.filter((finding) => finding.code === "read-throttled" && finding.severity === "warning");
    expect(warned.length).toBeGreaterThan(0);
    expect(warned[0]!.message).toMatch(/ of its [\d,]+ GetRecords calls \(\d+\.\d%\)/);
    const pushed = runKinesis(base("kinesis-efo-6x", fanOut(6))).consumers;
    for (const consumer of pushed) expect(consumer.readThrottles, consumer.name).toBe(0);
  });

  // Calls well within both read limits must not be throttled, even when consumers call in the same
  // microsecond: two consumers polling every 1 s make 2 calls/s (limit 5) and read 40 KB/s (limit
  // 2 MiB/s, an allowance holding a second's worth).
  it("two polling consumers at 1 s (2 calls/s, 40 KB/s) are not read-throttled", () => {
    const consumers = runKinesis(base("kinesis-poll-2x1s", polling(2, "1s"))).consumers;
    for (const consumer of consumers) {
      expect(consumer.readThrottles, consumer.name).toBe(0);
      expect(Math.abs(meanLatencyMs(consumer) / 500 - 1), consumer.name).toBeLessThan(0.05);
    }
  });

  it("read throttling under 1% of a reader's calls is an occasional refused call (info) and explains no backlog; from 1% on it is a warning and can explain a backlog", () => {
    const finding = (readThrottles: number, readCalls: number) => readThrottled({ name: "reader", readThrottles, readCalls })[0]!;
    expect(readThrottled({ name: "reader", readThrottles: 0, readCalls: 7200 })).toEqual([]);
    // flink-windowed-aggregation's counts-p16: 1 refused call of ~14,000 in 10 minutes.
    expect(finding(1, 14_000).severity).toBe("info");
    expect(finding(1, 14_000).message).toContain("1 of its 14,000 GetRecords calls (0.01%)");
    expect(finding(139, 14_000).severity).toBe("info");
    expect(finding(140, 14_000).severity).toBe("warning");
    expect(finding(140, 14_000).evidence).toMatchObject({ readThrottles: 140, readCalls: 14_000, throttledShare: 0.01 });
    // Throttles with no calls counted (a reader that does not count them) stay a warning.
    expect(finding(3, 0).severity).toBe("warning");
    // A backlog is put down to read throttling from the same share, for a KCL reader and a Lambda mapping alike.
    expect(behindCause({ readThrottles: 1, readCalls: 14_000 }, undefined, 1000)).toBe("processing");
    expect(behindCause({ readThrottles: 140, readCalls: 14_000 }, undefined, 1000)).toBe("read-throttling");
    const stats = { throttles: 0, longestBlockedUs: 0 } as LambdaConsumerStats;
    const capacity = { perShardRecordsPerSecond: 2000, arrivalsPerShardPerSecond: 1000, factorNeeded: Infinity, largestBatchRecordsPerSecond: 0 } as LambdaCapacity;
    expect(lambdaBehindCause({ readThrottles: 1, readCalls: 14_000 }, stats, capacity, null)).not.toBe("read-throttling");
    expect(lambdaBehindCause({ readThrottles: 140, readCalls: 14_000 }, stats, capacity, null)).toBe("read-throttling");
  });

  it("six polling consumers at 1 s lose only the sixth call of each second", () => {
    const consumers = runKinesis(base("kinesis-poll-6x1s-share", polling(6, "1s"))).consumers;
    const throttles = consumers.reduce((sum, consumer) => sum + consumer.readThrottles, 0);
    // The bytes (6 x 20 KB/s) are far below 2 MiB/s, so only the call limit refuses: ~1 per second.
    expect(throttles).toBeLessThanOrEqual(1.1 * seconds + 6);
  });

  // Disagreement: enhanced fan-out latency is ~1.5x the configured propagation delay, not ~70 ms.
  // Deliveries of one subscription overlap (SubscribeToShard pushes continuously), so a record's
  // latency is its propagation delay, not a queue of round trips.
  it("enhanced fan-out end-to-end mean is the propagation mean with an instant put (docs/reference.md §1.5)", () => {
    // Default propagation after the put's answer: lognormal with median 45 ms and p99 90 ms, mean
    // 45 exp(σ²/2) = 47.1 ms (σ = ln 2 / 2.326); with the put's own latency (zero here, ~25 ms by
    // default) that is AWS's ~70 ms from the put. ~1,100 deliveries give the mean a ~1% standard
    // error; 10% also covers the 1 ms linger and the histogram.
    const sigma = Math.log(2) / 2.3263;
    const expectedMs = 45 * Math.exp((sigma * sigma) / 2);
    const consumer = only(runKinesis(base("kinesis-efo-propagation", fanOut(1))).consumers);
    expect(Math.abs(meanLatencyMs(consumer) / expectedMs - 1)).toBeLessThan(0.1);
  });
});

describe("read limits on a backlog: 10 MiB per call, 5 s after a 10 MiB read, 10,000 records per call", () => {
  /** A consumer that is down from 1.5 s for `downSeconds` (lease failover), then catches up with zero latencies. */
  const crashed = (name: string, opts: { duration: string; recordsPerSecond: number; recordSize: string; pollInterval: string; downSeconds: number }): InlineScenario => ({
    name,
    duration: opts.duration,
    report: "1s",
    recordsPerSecond: opts.recordsPerSecond,
    arrivals: "uniform",
    recordSize: opts.recordSize,
    keys: `{ distribution: fixed, key: "k" }`,
    shards: 1,
    producer: `{ batch: { linger: 1ms }, retry: { maxAttempts: 1 }, latency: ${zero} }`,
    consumers: [`{ name: c, type: polling, latency: ${zero}, pollInterval: ${opts.pollInterval}, leaseFailover: ${opts.downSeconds}s }`],
    timeline: ["{ at: 1500ms, system: kds, action: consumer-crash, consumer: c }"],
  });

  it("catching up on 100 KB records: one call takes 10 MiB, then the shard refuses reads for the next ~5 s", () => {
    // 10 records/s of 100,001 B (data + key): 0.95 MiB/s, under the write limit. The consumer is down
    // from 1.5 s to 121.5 s, then polls every 200 ms with zero latency and processing.
    const recordBytes = 100_001;
    const system = runKinesis(crashed("kinesis-read-10mib", { duration: "5m", recordsPerSecond: 10, recordSize: "100000B", pollInterval: "200ms", downSeconds: 120 }));
    const consumer = only(system.consumers);
    expect(system.records.throttledAttempts).toBe(0);
    expectConsumersClose(system);
    // One call returns at most 10 MiB: floor(10 MiB / 100,001 B) = 104 records = 10.4 s of data. It
    // spends 104 x 100,001 B / 2 MiB/s = 4.96 s of the shard's read allowance, so the calls of the
    // next 4.96 s are refused (docs/reference.md §1.1: 5 s after a 10 MiB read). The refused calls back off
    // (the SDK's 250-500 ms, 500-1,000 ms, 1-2 s, then the KCL's 200 ms idle time: docs/reference.md §1.8),
    // so the next success comes between +4.8 s (unused allowance carried over) and ~+7 s.
    const recordsPerCall = Math.floor((10 * MiB) / recordBytes);
    const blockS = (recordsPerCall * recordBytes) / (2 * MiB);
    expect(recordsPerCall).toBe(104);
    expect(blockS).toBeGreaterThan(4.95);
    // From the third call on (the first re-reads records processed before the crash), each successful
    // call lowers the lag by 10.4 s at once, and nothing else does: between two samples dt apart
    // (one per second, at instants inside each second) the lag rises by dt, or by dt - 10.4 s when a
    // successful call came between them. Evenly spaced arrivals and zero latencies make this exact up
    // to the 0.1 s spacing of creation times.
    const restart = 121.5;
    const points = lagPoints(consumer, 126 * secondUs, 217 * secondUs);
    const steps = points.slice(1).map(([t, lag], i) => ({ t, dt: t - points[i]![0], step: lag - points[i]![1] }));
    expect(steps.length).toBe(90);
    const drops = steps.filter(({ step }) => step < 0);
    for (const { t, dt, step } of drops) expect(Math.abs(step - (dt - recordsPerCall / 10)), `drop at ${t} s`).toBeLessThan(0.2);
    for (const { t, dt, step } of steps.filter(({ step }) => step >= 0)) expect(Math.abs(step - dt), `rise at ${t} s`).toBeLessThan(0.2);
    // Successful calls 4.8 to ~7 s apart: a drop shows at the first sample after a success, so each
    // success lies in (t - dt, t] of its drop, and two successes' distance in the range those allow.
    const gaps = drops.slice(1).map(({ t }, i) => t - drops[i]!.t);
    // The backlog's last reads are smaller and block the shard for less: the bounds hold while full.
    drops.slice(1).forEach((drop, i) => {
      const before = drops[i]!;
      if (drop.t > 185) return;
      expect(drop.t - before.t + before.dt, `drops at ${before.t} and ${drop.t} s`).toBeGreaterThan(4.8 - 0.01);
      expect(drop.t - drop.dt - before.t, `drops at ${before.t} and ${drop.t} s`).toBeLessThan(blockS + 2.0 + 0.01);
    });
    expect(drops.length).toBeGreaterThanOrEqual(Math.floor(90 / (blockS + 2.0)));
    expect(drops.length).toBeLessThanOrEqual(Math.ceil(90 / 4.8));
    expect(mean(gaps)).toBeGreaterThan(4.6);
    // Fluid view: reading 2 MiB/s of records created at 10 records/s, the lag falls at
    // 1 - 2 MiB / (10 x 100,001 B) = -1.097 s/s; the 5.0 s grid instead of 4.96 s makes it -1.08.
    // Least squares over 18 whole cycles: the sawtooth moves the slope by < 1%; 5% covers the grid.
    const fluidSlope = 1 - (2 * MiB) / (10 * recordBytes);
    expect(Math.abs(linearRegression(points).m / fluidSlope - 1)).toBeLessThan(0.05);
    // Catch-up: calls are refused until the backlog is read, backing off between attempts (fewer at its tail, where
    // reads are smaller); afterwards a call reads 2 records (0.1 s of allowance) per 200 ms and none
    // is refused. The catch-up ends by the first sample after the last one whose lag exceeds 1 s.
    const after = lagPoints(consumer, 130 * secondUs, 300 * secondUs);
    let lastBehind = 0;
    after.forEach(([, lag], i) => {
      if (lag > 1) lastBehind = i;
    });
    const caughtUpAt = after[lastBehind + 1]![0];
    const callsWhileBehind = (caughtUpAt - restart) / 0.2;
    // Backing off, a refused reader calls less often than every 200 ms: ~1 in 4 of the 200 ms slots.
    expect(consumer.readThrottles / callsWhileBehind).toBeGreaterThan(0.15);
    expect(consumer.readThrottles / callsWhileBehind).toBeLessThanOrEqual(24 / 25 + 0.02);
    expect(lagAt(consumer, 290)).toBeLessThan(1);
  });

  it("catching up on 100 B records: one call takes at most 10,000 records", () => {
    // 900 records/s of 101 B. The consumer is down from 1.5 s to 61.5 s (54,000 records behind), then
    // polls every second: each call takes 10,000 records (1 MB, 0.48 s of read allowance, so no call
    // is refused) = 11.1 s of data, and the lag falls by 11.1 - 1 = 10.1 s per second until caught up.
    const system = runKinesis(crashed("kinesis-read-10k-records", { duration: "90s", recordsPerSecond: 900, recordSize: "100B", pollInterval: "1s", downSeconds: 60 }));
    const consumer = only(system.consumers);
    expect(consumer.readThrottles).toBe(0);
    expectConsumersClose(system);
    const perCallS = 10_000 / 900;
    // Calls at 61.5 (re-reads what was processed before the crash), 62.5, 63.5, 64.5, 65.5, each
    // taking 10,000 records (the backlog lasts until ~66.5 s): between the samples of seconds 62..65
    // the lag rises by the time between them and falls by 11.1 s for each call in between. Exact up
    // to the 1.1 ms record spacing.
    for (let second = 63; second <= 65; second++) {
      const [fromS, fromLag] = sampleIn(consumer, second - 1);
      const [toS, toLag] = sampleIn(consumer, second);
      expect(toS).toBeLessThan(66.5);
      let calls = 0;
      for (let callS = 62.5; callS <= toS; callS++) if (callS > fromS) calls++;
      expect(Math.abs(toLag - fromLag - (toS - fromS - calls * perCallS)), `second ${second}`).toBeLessThan(0.01);
    }
    expect(lagAt(consumer, 62)).toBeGreaterThan(40);
    expect(lagAt(consumer, 80)).toBeLessThan(1);
  });
});
