// The Firehose model against its analytic results and published figures (docs/reference.md §7):
// - buffering (docs/reference.md §7.2): at a rate of r bytes/s with size hint S and interval hint T a buffer flushes every
//   min(S/r, T), each object holds r x that period, 3600 / period objects are written an hour, and
//   DataFreshness peaks at about the period plus the delivery time: each within 2%;
// - ingestion billing (docs/reference.md §7.3): each record rounds up to 5 KB, so 1 KB records bill 5x their bytes, 5 KB ones 1x;
// - Direct PUT quotas (docs/reference.md §7.1): a stream driven at twice its records/s or MiB/s quota takes in that quota, within 1%;
// - accounting (docs/design.md): records in = delivered + buffered + in delivery + failed + dropped + pending,
//   in the example and in random small streams;
// - Kinesis Data Streams as the source (docs/reference.md §7.5): Firehose's one call a second per shard
//   shares the 5 calls/s with the stream's KCL apps (under the budget none is throttled; over it the shard
//   passes at most 5 a second and the rest are ReadProvisionedThroughputExceeded), flushes as Direct PUT
//   does, bills each record's data rounded up to 5 KB (by hand, and as Direct PUT on the same records), and
//   read = delivered + buffered + in delivery + backed up in random streams.
// Arrivals are evenly spaced and latencies fixed wherever the analytic result assumes them. A failing
// check prints the command that replays it.

import { mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import seedrandom from "seedrandom";
import { describe, expect, it, onTestFailed } from "vitest";
import { RandomStreams, Simulation } from "../../sim/engine/index.ts";
import { billedIngestBytes } from "../../sim/firehose/index.ts";
import { KinesisModel } from "../../sim/kinesis/index.ts";
import { resultOfKind } from "../../sim/metrics/index.ts";
import { scenarioCosts } from "../../sim/cost/index.ts";
import { runScenario } from "../../sim/run/index.ts";
import { ProducerStream } from "../../sim/workload/index.ts";
import { expectAccountingCloses, expectRunAccountingCloses, sum } from "../support/accounting.ts";
import { loadExample, loadInline } from "../support/scenarios.ts";

const MiB = 1024 * 1024;

function run(name: string, yaml: string) {
  onTestFailed(() => {
    const directory = join(tmpdir(), "streamsim-validation");
    mkdirSync(directory, { recursive: true });
    const file = join(directory, `${name}.yaml`);
    writeFileSync(file, yaml);
    console.error(`replay: npx streamsim run ${file}`);
  });
  return runScenario(loadInline(yaml, `${name}.yaml`));
}

/** One Firehose stream fed evenly: `perSecond` records of `sizeBytes`, one record per call, no producer latency. */
function stream(name: string, options: { perSecond: number; sizeBytes: number; buffering: string; duration: string; warmup?: string; extra?: string }) {
  const yaml = [
    `name: ${name}`,
    `duration: ${options.duration}`,
    `warmup: ${options.warmup ?? "0s"}`,
    "workload:",
    "  - producer: app",
    `    rate: { recordsPerSecond: ${options.perSecond}, arrivals: uniform }`,
    `    recordSize: { distribution: fixed, size: ${options.sizeBytes}B }`,
    "    keys: { distribution: uniform, cardinality: 100 }",
    "systems:",
    `  - name: ${name}`,
    "    kind: firehose",
    `    buffering: ${options.buffering}`,
    "    producer: { batch: { linger: 0s }, latency: { median: 0s, p99: 0s } }",
    "    delivery: { latency: { median: 1s, p99: 1s } }",
    options.extra ?? "",
  ].join("\n");
  const result = run(name, yaml);
  return { result, system: resultOfKind(result.systems[0], "firehose") };
}

describe("buffering: flush period min(S/r, T) (docs/reference.md §7.2)", () => {
  const deliveryS = 1;
  // Size-bound: r = 100 x 10,240 B/s = 1,024,000 B/s; S = 5 MiB fills in 5.12 s < T = 300 s. An hour gives
  // ~700 objects, so one partial period at the end is 0.14% of the count.
  // Interval-bound: r = 10 x 1,024 B/s = 10,240 B/s; S/r = 512 s > T = 60 s; 60 objects an hour, the
  // buffer reopening within one 100 ms arrival gap of a flush (0.17% of the period).
  const cases = [
    { label: "size-bound", perSecond: 100, sizeBytes: 10_240, sizeMiB: 5, intervalS: 300 },
    { label: "interval-bound", perSecond: 10, sizeBytes: 1024, sizeMiB: 5, intervalS: 60 },
  ];
  it.each(cases)("$label: period, object size, objects per hour and peak DataFreshness within 2%", ({ label, perSecond, sizeBytes, sizeMiB, intervalS }) => {
    const { system } = stream(`firehose-${label}`, { perSecond, sizeBytes, buffering: `{ size: ${sizeMiB}MiB, interval: ${intervalS}s }`, duration: "1h" });
    const bytesPerSecond = perSecond * sizeBytes;
    const periodS = Math.min((sizeMiB * MiB) / bytesPerSecond, intervalS);
    const objects = system.objectSizeBytes;
    const measuredPeriodS = 3600 / objects.count;
    expect(Math.abs(measuredPeriodS / periodS - 1), `flush period ${measuredPeriodS} s against ${periodS} s`).toBeLessThan(0.02);
    expect(Math.abs(objects.mean / (bytesPerSecond * periodS) - 1), `object size ${objects.mean} B against ${bytesPerSecond * periodS} B`).toBeLessThan(0.02);
    expect(Math.abs(objects.count / (3600 / periodS) - 1), `objects per hour ${objects.count} against ${3600 / periodS}`).toBeLessThan(0.02);
    const freshnessMaxS = system.consumers[0].native.histogram.max / 1e6;
    expect(system.consumers[0].native.name).toBe("dataFreshnessMs");
    expect(Math.abs(freshnessMaxS / (periodS + deliveryS) - 1), `DataFreshness max ${freshnessMaxS} s against ${periodS + deliveryS} s`).toBeLessThan(0.02);
  });
});

describe("ingestion billing: records round up to 5 KB (docs/reference.md §7.3)", () => {
  it("bills a 1 KB record as 5 KB, a 5 KB record as 5 KB and a 12 KB record as 15 KB", () => {
    expect(billedIngestBytes(1024)).toBe(5 * 1024);
    expect(billedIngestBytes(5 * 1024)).toBe(5 * 1024);
    expect(billedIngestBytes(12 * 1024)).toBe(15 * 1024);
  });

  it.each([
    { sizeBytes: 1024, factor: 5 },
    { sizeBytes: 5120, factor: 1 },
  ])("a run of $sizeBytes B records bills $factor x their bytes, and the ingestion line prices those GB", ({ sizeBytes, factor }) => {
    const { result, system } = stream(`firehose-billing-${sizeBytes}`, { perSecond: 50, sizeBytes, buffering: "{ size: 1MiB, interval: 60s }", duration: "2m" });
    expect(system.usage.billedIngestBytes).toBe(factor * system.usage.bytesIngested);
    const line = result.costs[0].lineItems.find((item) => item.price === "firehose.ingest")!;
    // A 2-minute window projects to a 720-hour month x21,600.
    expect(line.quantity).toBeCloseTo((system.usage.billedIngestBytes * 21_600) / 1024 ** 3, 6);
  });
});

describe("Direct PUT quotas throttle at their limit (docs/reference.md §7.1)", () => {
  // Driven at twice the quota for 5 minutes; after a 10 s warm-up the one-second bucket is long drained,
  // so what gets in is the quota's refill: within 1%.
  it.each([
    { label: "records/s", quotas: "{ recordsPerSecond: 1000 }", perSecond: 2000, sizeBytes: 100, limit: 1000, measure: "records" as const },
    { label: "MiB/s", quotas: "{ bytesPerSecond: 1MiB/s }", perSecond: 2048, sizeBytes: 1024, limit: MiB, measure: "bytes" as const },
  ])("at its $label quota", ({ label, quotas, perSecond, sizeBytes, limit, measure }) => {
    const yaml = [
      `name: firehose-quota-${measure}`,
      "duration: 5m",
      "warmup: 10s",
      "workload:",
      "  - producer: app",
      `    rate: { recordsPerSecond: ${perSecond}, arrivals: uniform }`,
      `    recordSize: { distribution: fixed, size: ${sizeBytes}B }`,
      "    keys: { distribution: uniform, cardinality: 100 }",
      "systems:",
      "  - name: fh",
      "    kind: firehose",
      `    quotas: ${quotas}`,
      "    producer: { retry: { maxAttempts: 1 } }",
    ].join("\n");
    const system = resultOfKind(run(`firehose-quota-${measure}`, yaml).systems[0], "firehose");
    const taken = measure === "records" ? system.usage.recordsIngested : system.usage.bytesIngested;
    const perSecondTaken = taken / 290;
    expect(Math.abs(perSecondTaken / limit - 1), `${label}: ${perSecondTaken} against ${limit}`).toBeLessThan(0.01);
    expect(system.records.dropped).toBeGreaterThan(0);
    expect(system.findings.map((finding) => finding.code)).toContain("direct-put-throttled");
  });
});

describe("accounting: records in = delivered + buffered + failed + dropped (+ pending, in delivery)", () => {
  it("closes in the firehose-buffering example", () => {
    const result = runScenario(loadExample("firehose-buffering.yaml", { durationUs: 10 * 60_000_000 }));
    expectRunAccountingCloses(result);
    for (const system of result.systems) {
      const r = resultOfKind(system, "firehose");
      const s3 = r.consumers[0].records;
      expect(s3.consumed + s3.unread + s3.inFlight + s3.deadLettered + r.records.dropped + r.records.pending).toBe(r.records.produced);
    }
  });

  // Random small streams: buffering, dynamic partitioning with a small partition limit, failing S3
  // writes with short retry durations, tight quotas. Seeded, so a failure replays.
  const random = seedrandom("firehose-accounting");
  const count = Number(process.env.STREAMSIM_PROPERTY_SCENARIOS ?? 12);
  const pick = <T,>(values: readonly T[]): T => values[Math.floor(random() * values.length)];
  const cases = Array.from({ length: count }, (_, index) => ({
    index,
    perSecond: pick([50, 200, 800]),
    size: pick(["200B", "2KiB", "20KiB"]),
    buffering: pick(["{ size: 1MiB, interval: 0s }", "{ size: 1MiB, interval: 5s }", "{ size: 2MiB, interval: 30s }"]),
    partitioning: pick(["{ enabled: false }", "{ enabled: true, activePartitionsMax: 5, retryDuration: 10s }"]),
    failure: pick([0, 0.3]),
    quota: pick(["500", "100000"]),
  }));
  it.each(cases)("closes in random stream $index", ({ index, perSecond, size, buffering, partitioning, failure, quota }) => {
    const yaml = [
      `name: firehose-property-${index}`,
      `seed: ${index + 1}`,
      "duration: 90s",
      "warmup: 10s",
      "workload:",
      "  - producer: app",
      `    rate: { recordsPerSecond: ${perSecond}, arrivals: poisson }`,
      `    recordSize: { distribution: fixed, size: ${size} }`,
      "    keys: { distribution: zipf, cardinality: 50, exponent: 1.1 }",
      "systems:",
      "  - name: fh",
      "    kind: firehose",
      `    quotas: { recordsPerSecond: ${quota} }`,
      `    buffering: ${buffering}`,
      `    dynamicPartitioning: ${partitioning}`,
      `    delivery: { failureProbability: ${failure}, retryInterval: 2s, retryDuration: 20s }`,
    ].join("\n");
    expectRunAccountingCloses(run(`firehose-property-${index}`, yaml));
  });
});

// ---- Kinesis Data Streams as the source (docs/reference.md §7.5) ----

/** A Kinesis stream of `shards` shards fed evenly, read by a Firehose consumer and `consumers` more. */
function kdsSourced(name: string, options: { perSecond: number; sizeBytes: number; shards: number; buffering: string; duration: string; warmup?: string; consumers?: string[]; readLatency?: string; firehoseFields?: string }) {
  const yaml = [
    `name: ${name}`,
    `duration: ${options.duration}`,
    `warmup: ${options.warmup ?? "0s"}`,
    "workload:",
    "  - producer: app",
    `    rate: { recordsPerSecond: ${options.perSecond}, arrivals: uniform }`,
    `    recordSize: { distribution: fixed, size: ${options.sizeBytes}B }`,
    "    keys: { distribution: uniform, cardinality: 1000 }",
    "systems:",
    `  - name: ${name}`,
    "    kind: kinesis",
    `    capacity: { mode: provisioned, shards: ${options.shards} }`,
    "    producer: { batch: { linger: 0s }, latency: { median: 0s, p99: 0s } }",
    "    consumers:",
    `      - { name: to-s3, type: firehose, ${options.firehoseFields ?? ""}latency: ${options.readLatency ?? "{ median: 0s, p99: 0s }"}, buffering: ${options.buffering}, delivery: { latency: { median: 1s, p99: 1s } } }`,
    ...(options.consumers ?? []).map((consumer) => `      - ${consumer}`),
  ].join("\n");
  const loaded = loadInline(yaml, `${name}.yaml`);
  onTestFailed(() => {
    const directory = join(tmpdir(), "streamsim-validation");
    mkdirSync(directory, { recursive: true });
    writeFileSync(join(directory, `${name}.yaml`), yaml);
    console.error(`replay: npx streamsim run ${join(directory, `${name}.yaml`)}`);
  });
  // Built by hand (not runScenario) to read the shards' GetRecords call counts after the run.
  const sim = new Simulation();
  const streams = new RandomStreams(loaded.seed);
  const context = { sim, streams, durationUs: loaded.durationUs, warmupUs: loaded.warmupUs, reportIntervalUs: loaded.reportIntervalUs };
  const system = loaded.systems[0];
  if (system.kind !== "kinesis") throw new Error("expected a Kinesis system");
  const model = new KinesisModel(system, loaded.producers.map((spec) => new ProducerStream(spec, loaded, streams)), context);
  model.start([]);
  sim.run({ endUs: loaded.durationUs, eventBudget: 100_000_000 });
  const result = model.collect();
  const firehose = result.consumers[0];
  const costs = scenarioCosts(loaded, [result])[0];
  return { model, result, firehose, costs, stats: firehose.firehose!, seconds: loaded.durationUs / 1e6 };
}

describe("Kinesis source: Firehose polls each shard once a second under the shared read limits (docs/reference.md §1.1, §7.5)", () => {
  // Firehose (1 call/s) and two KCL apps with a 1 s idle time (1 call/s each, round trips set to 0):
  // 3 calls a second per shard, under the limit of 5: none throttled, and the shard lets through
  // exactly 3 x the seconds run (within the calls of the last second).
  it("under the budget: Firehose + two KCL apps at 1 s ask 3 calls/s per shard, none throttled", () => {
    const app = (name: string) => `{ name: ${name}, type: polling, pollInterval: 1s, latency: { median: 0s, p99: 0s } }`;
    const { model, result, seconds } = kdsSourced("kds-firehose-under-budget", { perSecond: 20, sizeBytes: 500, shards: 2, buffering: "{ size: 1MiB, interval: 60s }", duration: "5m", consumers: [app("app-a"), app("app-b")] });
    for (const shard of model.stream.shards) expect(Math.abs(shard.readCalls - 3 * seconds)).toBeLessThanOrEqual(3);
    expect(result.consumers.map((consumer) => consumer.readThrottles)).toEqual([0, 0, 0]);
    const shared = result.findings.find((finding) => finding.code === "shared-read-budget")!;
    expect(shared.evidence).toMatchObject({ pollingReaders: 3, getRecordsCallsPerShardPerSecond: 3, readThrottles: 0 });
  });

  // Two KCL apps at the KCL's 200 ms minimum idle time ask 5 calls/s each, Firehose 1: 11 calls/s per
  // shard against 5. The shard lets through at most 5 calls in any rolling second, so over the run at
  // most 5 x seconds (+5 for the first second); the attempts (calls let through + throttled) exceed that,
  // since every refused attempt is one ReadProvisionedThroughputExceeded; those counted per consumer add
  // up to the stream's series. (The readers back off after a refusal, so the shard is not kept busy every
  // fifth of a second: what it lets through is below 5 a second, not at it.) Round trips are drawn here
  // (20 ms median): with none, Firehose's whole-second calls would keep one phase against the apps'.
  it("over the budget: Firehose + two KCL apps at 200 ms ask 11 calls/s per shard, read-throttle, and the shard passes at most 5 a second", () => {
    const app = (name: string) => `{ name: ${name}, type: polling, pollInterval: 200ms }`;
    const { model, result, stats, seconds } = kdsSourced("kds-firehose-over-budget", { perSecond: 20, sizeBytes: 500, shards: 2, buffering: "{ size: 1MiB, interval: 60s }", duration: "5m", consumers: [app("app-a"), app("app-b")], readLatency: "{ median: 20ms, p99: 80ms }" });
    const shards = model.stream.shards;
    for (const shard of shards) expect(shard.readCalls, `${shard.id}: ${shard.readCalls} calls in ${seconds} s`).toBeLessThanOrEqual(5 * seconds + 5);
    const throttles = result.consumers.map((consumer) => consumer.readThrottles);
    for (const count of throttles) expect(count).toBeGreaterThan(0);
    expect(sum(throttles)).toBe(result.series.ReadProvisionedThroughputExceeded.total);
    expect(sum(shards.map((shard) => shard.readCalls)) + sum(throttles), "attempts exceed the shards' 5 calls a second").toBeGreaterThan(5 * seconds * shards.length);
    // Throttled, Firehose still reads every shard: all but the last second's records are read.
    expect(stats.recordsRead).toBeGreaterThan(result.records.accepted - 2 * 20);
    expect(stats.readThrottles).toBe(throttles[0]);
    const shared = result.findings.find((finding) => finding.code === "shared-read-budget")!;
    expect(shared.severity).toBe("warning");
    expect(shared.evidence).toMatchObject({ pollingReaders: 3, getRecordsCallsPerShardPerSecond: 11, callsPerShardPerSecondLimit: 5, readThrottles: sum(throttles) });
    expect(shared.message).toContain("app-a, app-b");
    expectAccountingCloses(result);
  });
});

describe("Kinesis source: buffering, billing and accounting (docs/reference.md §7.2, §7.3, §7.5)", () => {
  // As the Direct PUT check above: r = 100 x 10,240 B/s, S = 5 MiB: a flush every 5.12 s, ~703 objects an
  // hour of ~5 MiB each. Firehose takes a second's records per call, so an object ends inside a call's records.
  it("flushes every min(S/r, T): objects per hour and object size within 2%", () => {
    const { stats } = kdsSourced("kds-firehose-size-bound", { perSecond: 100, sizeBytes: 10_240, shards: 2, buffering: "{ size: 5MiB, interval: 300s }", duration: "1h" });
    const periodS = (5 * MiB) / (100 * 10_240);
    expect(Math.abs(stats.objectSizeBytes.count / (3600 / periodS) - 1)).toBeLessThan(0.02);
    expect(Math.abs(stats.objectSizeBytes.mean / (5 * MiB) - 1)).toBeLessThan(0.02);
  });

  // KDS-sourced ingestion is billed like Direct PUT, per GB with each record rounded up to 5 KB
  // ("Direct PUT and KDS as a source ingestion", docs/reference.md §7.3). By hand: 50 records/s of 1 KiB
  // for 10 min bill 5,120 B each; a 10-minute window projects to a 720-hour month x4,320; at the
  // table's $0.029 per GB (first tier). 5 KiB records bill 1x. Records read: all but the last second's.
  it.each([
    { sizeBytes: 1024, factor: 5 },
    { sizeBytes: 5120, factor: 1 },
  ])("bills $sizeBytes B records $factor x their bytes, priced by hand", ({ sizeBytes, factor }) => {
    const { costs, stats, seconds } = kdsSourced(`kds-firehose-billing-${sizeBytes}`, { perSecond: 50, sizeBytes, shards: 1, buffering: "{ size: 1MiB, interval: 60s }", duration: "10m" });
    expect(stats.usage.bytesIngested).toBe(stats.usage.recordsIngested * sizeBytes);
    expect(stats.usage.billedIngestBytes).toBe(stats.usage.recordsIngested * 5120);
    expect(stats.usage.billedIngestBytes).toBe(factor * stats.usage.bytesIngested);
    expect(Math.abs(stats.usage.recordsIngested - 50 * seconds)).toBeLessThanOrEqual(100);
    const ingest = costs.lineItems.find((item) => item.price === "firehose.ingest")!;
    const monthlyFactor = (720 * 3600) / seconds;
    expect(ingest.quantity).toBeCloseTo((stats.usage.recordsIngested * 5120 * monthlyFactor) / 1024 ** 3, 6);
    expect(ingest.monthlyUsd).toBeCloseTo(ingest.quantity * 0.029, 6);
    const puts = costs.lineItems.find((item) => item.price === "s3.standard.putRequests")!;
    expect(puts.quantity).toBeCloseTo((stats.usage.s3PutRequests * monthlyFactor) / 1000, 6);
  });
});

describe("Kinesis source: each record billed at its own size, as Direct PUT bills it (docs/reference.md §7.3)", () => {
  // The same lognormal records (common random numbers) into a Direct PUT stream and a Kinesis stream
  // read by Firehose: each record rounds up to 5 KB on its own data bytes (not the shard's run mean, nor
  // with its partition key), so the billed-to-sent ratio is the same for both, within the few records
  // one holds at the end and the other not.
  it("bills lognormal records as Direct PUT does, within 0.5%", () => {
    const yaml = [
      "name: kds-firehose-lognormal-billing",
      "duration: 5m",
      "workload:",
      "  - producer: app",
      "    rate: { recordsPerSecond: 300, arrivals: poisson }",
      "    recordSize: { distribution: lognormal, median: 3KiB, p99: 20KiB, max: 100KiB }",
      "    keys: { distribution: uniform, cardinality: 1000, template: \"device-{i}\" }",
      "systems:",
      "  - { name: direct, kind: firehose, buffering: { size: 1MiB, interval: 60s } }",
      "  - name: kds",
      "    kind: kinesis",
      "    capacity: { mode: provisioned, shards: 4 }",
      "    consumers: [ { name: to-s3, type: firehose, buffering: { size: 1MiB, interval: 60s } } ]",
    ].join("\n");
    const result = run("kds-firehose-lognormal-billing", yaml);
    expectRunAccountingCloses(result);
    const direct = resultOfKind(result.systems[0], "firehose").usage;
    const sourced = result.systems[1].consumers[0].firehose!.usage;
    const ratio = (usage: typeof direct) => usage.billedIngestBytes / usage.bytesIngested;
    expect(ratio(direct)).toBeGreaterThan(1.3);
    expect(Math.abs(ratio(sourced) / ratio(direct) - 1)).toBeLessThan(0.005);
    // Data only: the partition keys ("device-123", ~10 B a record) are not ingested.
    expect(Math.abs(sourced.bytesIngested / sourced.recordsIngested / (direct.bytesIngested / direct.recordsIngested) - 1)).toBeLessThan(0.01);
  });
});

describe("Kinesis source accounting: read = delivered + buffered + in delivery + backed up, in random streams", () => {
  // Random small streams: a Firehose consumer beside KCL apps and a Lambda mapping, failing S3 writes
  // with short retry durations, a reshard part way. Seeded, so a failure replays.
  const random = seedrandom("kds-firehose-accounting");
  const count = Number(process.env.STREAMSIM_PROPERTY_SCENARIOS ?? 8);
  const pick = <T,>(values: readonly T[]): T => values[Math.floor(random() * values.length)];
  const cases = Array.from({ length: count }, (_, index) => ({
    index,
    perSecond: pick([50, 400, 1500]),
    size: pick(["200B", "2KiB", "20KiB"]),
    shards: pick([1, 2, 3]),
    buffering: pick(["{ size: 1MiB, interval: 0s }", "{ size: 1MiB, interval: 5s }", "{ size: 2MiB, interval: 30s }"]),
    failure: pick([0, 0.3]),
    others: pick(["", "      - { name: app, type: polling, pollInterval: 200ms }", "      - { name: fn, type: lambda, batchSize: 500 }"]),
    reshard: pick([false, true]),
  }));
  it.each(cases)("closes in random stream $index", ({ index, perSecond, size, shards, buffering, failure, others, reshard }) => {
    const yaml = [
      `name: kds-firehose-property-${index}`,
      `seed: ${index + 1}`,
      "duration: 90s",
      "warmup: 10s",
      "workload:",
      "  - producer: app",
      `    rate: { recordsPerSecond: ${perSecond}, arrivals: poisson }`,
      `    recordSize: { distribution: fixed, size: ${size} }`,
      "    keys: { distribution: zipf, cardinality: 50, exponent: 1.1 }",
      "systems:",
      "  - name: kds",
      "    kind: kinesis",
      `    capacity: { mode: provisioned, shards: ${shards} }`,
      "    consumers:",
      `      - { name: to-s3, type: firehose, buffering: ${buffering}, delivery: { failureProbability: ${failure}, retryInterval: 2s, retryDuration: 20s } }`,
      others,
      ...(reshard ? ["timeline:", `  - { at: 30s, system: kds, action: update-shard-count, shards: ${shards * 2} }`] : []),
    ]
      .filter((line) => line !== "")
      .join("\n");
    expectRunAccountingCloses(run(`kds-firehose-property-${index}`, yaml));
  });
});

describe("Kinesis source with source record backup: GetRecords twice a second per shard (docs/reference.md §7.5)", () => {
  // Firehose alone, round trips 0: its destination reader and its backup reader each call once a second,
  // so a shard passes 2 calls a second (within the last second's) and none is throttled; both readers
  // read every record, and the backup's S3 objects are priced beside the destination's.
  it("Firehose alone asks 2 calls/s per shard; with a KCL app at 400 ms (2.5 calls/s) the stream stays within 5", () => {
    const yaml = (name: string, extra: string[]) =>
      [
        `name: ${name}`,
        "duration: 5m",
        "workload:",
        "  - producer: app",
        "    rate: { recordsPerSecond: 20, arrivals: uniform }",
        "    recordSize: { distribution: fixed, size: 500B }",
        "    keys: { distribution: uniform, cardinality: 1000 }",
        "systems:",
        "  - name: kds",
        "    kind: kinesis",
        "    capacity: { mode: provisioned, shards: 2 }",
        "    consumers:",
        "      - { name: to-s3, type: firehose, sourceRecordBackup: true, latency: { median: 0s, p99: 0s }, buffering: { size: 1MiB, interval: 60s } }",
        ...extra,
      ].join("\n");
    const alone = run("kds-firehose-backup", yaml("kds-firehose-backup", []));
    const stats = alone.systems[0].consumers[0].firehose!;
    expect(alone.systems[0].consumers[0].readThrottles).toBe(0);
    expect(stats.sourceRecordBackup).not.toBeNull();
    expect(Math.abs(stats.sourceRecordBackup!.recordsRead - stats.recordsRead)).toBeLessThanOrEqual(40);
    const items = alone.costs[0].lineItems.map((item) => item.item);
    expect(items).toContain("to-s3 backup: S3 PUT requests (one per object)");
    expectRunAccountingCloses(alone);
    const shared = run("kds-firehose-backup-shared", yaml("kds-firehose-backup-shared", ["      - { name: app, type: polling, pollInterval: 400ms, latency: { median: 0s, p99: 0s } }"]));
    const finding = shared.systems[0].findings.find((candidate) => candidate.code === "shared-read-budget")!;
    // The shards pass exactly the calls asked: 2 a second each (within the last second's).
    const { model, seconds } = kdsSourced("kds-firehose-backup-calls", { perSecond: 20, sizeBytes: 500, shards: 2, buffering: "{ size: 1MiB, interval: 60s }", duration: "5m", firehoseFields: "sourceRecordBackup: true, " });
    for (const shard of model.stream.shards) expect(Math.abs(shard.readCalls - 2 * seconds)).toBeLessThanOrEqual(2);
    expect(finding.evidence).toMatchObject({ pollingReaders: 2, getRecordsCallsPerShardPerSecond: 4.5 });
    expect(finding.message).toContain("twice a second (source record backup)");
  });
});
