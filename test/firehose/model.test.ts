// The Firehose model's parts one by one, each on a small stream with even arrivals and fixed latencies:
// dynamic partitioning (one buffer per key, the active-partition limit), format conversion (size ratio,
// processing time, its price), failed S3 writes (retries, then the backup or the error prefix), the
// request quota, and the line items each option adds (docs/reference.md §7).

import { describe, expect, it } from "vitest";
import { resultOfKind } from "../../sim/metrics/index.ts";
import { runScenario } from "../../sim/run/index.ts";
import { expectRunAccountingCloses } from "../support/accounting.ts";
import { loadInline } from "../support/scenarios.ts";

const MiB = 1024 * 1024;

/** One Firehose stream fed `perSecond` records of `sizeBytes` evenly over `keys` keys (uniform), with `extra` settings. */
function run(extra: string, options: { perSecond?: number; sizeBytes?: number; keys?: number; duration?: string; linger?: string } = {}) {
  const yaml = [
    "name: firehose-model",
    `duration: ${options.duration ?? "10m"}`,
    "workload:",
    "  - producer: app",
    `    rate: { recordsPerSecond: ${options.perSecond ?? 100}, arrivals: uniform }`,
    `    recordSize: { distribution: fixed, size: ${options.sizeBytes ?? 1024}B }`,
    `    keys: { distribution: uniform, cardinality: ${options.keys ?? 10} }`,
    "systems:",
    "  - name: fh",
    "    kind: firehose",
    `    producer: { batch: { linger: ${options.linger ?? "0s"} }, latency: { median: 0s, p99: 0s } }`,
    extra,
  ].join("\n");
  const result = runScenario(loadInline(yaml, "test/firehose/inline.yaml"));
  expectRunAccountingCloses(result);
  return { result, system: resultOfKind(result.systems[0], "firehose") };
}

describe("dynamic partitioning", () => {
  it("keeps one buffer per key: each interval flush writes one object per active key", () => {
    // 100 records/s over 10 keys, a 60 s interval never reached by size: every 60 s, 10 objects of ~600 records.
    const { system, result } = run(["    buffering: { size: 128MiB, interval: 60s }", "    dynamicPartitioning: { enabled: true }"].join("\n"));
    expect(system.facts.partitionsPeak).toBe(10);
    expect(system.objectSizeBytes.count).toBeGreaterThanOrEqual(9 * 10);
    expect(system.objectSizeBytes.count).toBeLessThanOrEqual(10 * 10);
    expect(system.objectSizeBytes.mean).toBeGreaterThan(0.95 * 60 * 10 * 1024);
    // Priced per GB delivered and per 1,000 objects.
    const prices = result.costs[0].lineItems.map((item) => item.price);
    expect(prices).toContain("firehose.dynamicPartitioning.data");
    expect(prices).toContain("firehose.dynamicPartitioning.objects");
    expect(system.usage.partitionedObjects).toBe(system.usage.s3PutRequests);
  });

  it("sends a key past the active-partition limit to the error prefix, counted as failed and named", () => {
    const { system } = run(["    buffering: { size: 128MiB, interval: 60s }", "    dynamicPartitioning: { enabled: true, activePartitionsMax: 4 }"].join("\n"));
    expect(system.facts.partitionsPeak).toBe(4);
    // Uniform keys: about 6 of every 10 records find no partition of their own.
    expect(Number(system.facts.recordsInErrorPrefix)).toBeGreaterThan(0.5 * system.records.accepted);
    expect(system.consumers[0].records.deadLettered).toBe(Number(system.facts.recordsInErrorPrefix) + Number(system.facts.recordsFailedDelivery));
    expect(system.findings.map((finding) => finding.code)).toContain("records-backed-up");
  });

  it("a scenario whose producer has no keys cannot partition by key", () => {
    const yaml = [
      "name: keyless",
      "duration: 1m",
      "workload:",
      "  - producer: app",
      "    rate: { recordsPerSecond: 10 }",
      "    recordSize: { distribution: fixed, size: 1KiB }",
      "    keys: { distribution: none }",
      "systems:",
      "  - name: fh",
      "    kind: firehose",
      "    dynamicPartitioning: { enabled: true }",
    ].join("\n");
    expect(() => loadInline(yaml)).toThrow(/Firehose stream with dynamic partitioning/);
  });
});

describe("format conversion", () => {
  it("writes sizeRatio of the bytes, adds its time per MiB to delivery, and is priced per billed GB", () => {
    // 100 x 10,240 B/s fills 5 MiB in 5.12 s; converted to 30%, each object is ~1.5 MiB, written 2 s
    // (perMiB 400 ms x 5 MiB) plus 1 s after its flush.
    const { system, result } = run(["    delivery: { latency: { median: 1s, p99: 1s } }", "    formatConversion: { enabled: true, perMiB: 400ms, sizeRatio: 0.3 }"].join("\n"), { sizeBytes: 10_240 });
    expect(system.objectSizeBytes.mean / (5 * MiB)).toBeCloseTo(0.3, 2);
    const freshnessMaxS = system.consumers[0].native.histogram.max / 1e6;
    expect(Math.abs(freshnessMaxS / (5.12 + 2 + 1) - 1)).toBeLessThan(0.02);
    const line = result.costs[0].lineItems.find((item) => item.price === "firehose.formatConversion")!;
    // 10 minutes project to a 720-hour month x4,320.
    expect(line.quantity).toBeCloseTo((system.usage.convertedBilledBytes * 4320) / 1024 ** 3, 6);
    expect(system.usage.convertedBilledBytes).toBe(system.usage.billedIngestBytes);
  });
});

describe("failed S3 writes", () => {
  it("retries every retryInterval and, after the retry duration, counts the records as failed", () => {
    const { system } = run(["    buffering: { size: 1MiB, interval: 10s }", "    delivery: { failureProbability: 0.5, retryInterval: 5s, retryDuration: 12s }"].join("\n"));
    expect(Number(system.facts.failedDeliveryAttempts)).toBeGreaterThan(0);
    // An object fails three attempts in a row (0, 5, 10 s; the next would pass 12 s) with probability 1/8.
    const objects = Number(system.facts.objectsDelivered) + Number(system.facts.objectsBackedUp);
    expect(Number(system.facts.objectsBackedUp) / objects).toBeGreaterThan(0.03);
    expect(Number(system.facts.objectsBackedUp) / objects).toBeLessThan(0.3);
    expect(system.consumers[0].records.deadLettered).toBeGreaterThan(0);
    const finding = system.findings.find((candidate) => candidate.code === "records-backed-up");
    expect(finding?.message).toContain("were lost");
  });
});

describe("Direct PUT request quota", () => {
  it("one record per call at twice the request quota: the finding names requests/s and the fix", () => {
    const { system } = run("    quotas: { requestsPerSecond: 50 }", { perSecond: 100, duration: "2m" });
    const finding = system.findings.find((candidate) => candidate.code === "direct-put-throttled");
    expect(finding?.evidence.bindingQuota).toBe("requests/s");
    expect(finding?.message).toContain("fuller PutRecordBatch calls");
    expect(Number(system.facts.throttledCalls)).toBeGreaterThan(0);
  });
});
