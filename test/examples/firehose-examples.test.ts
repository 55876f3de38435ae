// The Firehose example exists to show the buffering trade-off (docs/design.md "Tests and examples"): the
// same traffic with three buffering hints, latency against objects against cost. Run for 30 minutes
// (the 900 s / 128 MiB stream flushes every ~5.5 min), with every record accounted for.

import { describe, expect, it } from "vitest";
import { resultOfKind } from "../../sim/metrics/index.ts";
import { runScenario } from "../../sim/run/index.ts";
import { expectRunAccountingCloses } from "../support/accounting.ts";
import { loadExample } from "../support/scenarios.ts";

const MiB = 1024 * 1024;

describe("Firehose examples", () => {
  it("firehose-buffering: shorter hints write more, smaller objects, sooner, and cost more in S3 PUTs", () => {
    const result = runScenario(loadExample("firehose-buffering.yaml", { durationUs: 30 * 60_000_000 }));
    expectRunAccountingCloses(result);
    const [small, middle, large] = result.systems.map((system) => resultOfKind(system, "firehose"));
    // 200 records/s of 2 KiB = 409,600 B/s: 1 MiB fills in 2.56 s, 5 MiB in 12.8 s (both before their
    // interval), 128 MiB in 328 s (before 900 s). Poisson arrivals: the counts within 3% of 1800 s / period.
    const bytesPerSecond = 200 * 2048;
    for (const [system, sizeBytes] of [
      [small, MiB],
      [middle, 5 * MiB],
    ] as const) {
      const expected = 1800 / (sizeBytes / bytesPerSecond);
      expect(Math.abs(system.objectSizeBytes.count / expected - 1)).toBeLessThan(0.03);
      expect(system.objectSizeBytes.mean).toBeGreaterThanOrEqual(sizeBytes);
      expect(system.findings.map((finding) => finding.code)).toContain("small-objects");
    }
    expect(large.objectSizeBytes.mean).toBeGreaterThanOrEqual(128 * MiB);
    expect(large.findings.map((finding) => finding.code)).not.toContain("small-objects");
    // Latency grows with the period: DataFreshness peaks near period + delivery.
    const freshnessMaxS = (system: typeof small) => system.consumers[0].native.histogram.max / 1e6;
    expect(freshnessMaxS(small)).toBeLessThan(freshnessMaxS(middle));
    expect(freshnessMaxS(middle)).toBeLessThan(freshnessMaxS(large));
    expect(freshnessMaxS(large)).toBeGreaterThan(300);
    // Same ingestion and storage; S3 PUTs (one per object) make the difference.
    const cost = (index: number) => result.costs[index];
    const line = (index: number, price: string) => cost(index).lineItems.find((item) => item.price === price)!.monthlyUsd;
    expect(line(0, "firehose.ingest")).toBeCloseTo(line(2, "firehose.ingest"), 6);
    expect(line(0, "s3.standard.putRequests")).toBeGreaterThan(4 * line(1, "s3.standard.putRequests"));
    expect(cost(0).monthlyUsd).toBeGreaterThan(cost(1).monthlyUsd);
    expect(cost(1).monthlyUsd).toBeGreaterThan(cost(2).monthlyUsd);
    // 2 KiB records bill 5 KiB each: the 5 KB rounding is named.
    expect(small.findings.map((finding) => finding.code)).toContain("ingest-rounding");
  });
});

describe("land-events-in-s3", () => {
  // 1,000 events/s of 1 KiB (1 MiB/s) with 60 s / 64 MiB hints: 64 MiB takes 64 s to fill, so both Firehose
  // deliveries flush by interval, an object a minute of ~60 MiB, and records wait up to a minute. The Kinesis
  // source shares each shard with a KCL app polling every 200 ms: 6 calls/s per shard against 5.
  it("Firehose writes an object a minute either way; from Kinesis it shares the read budget and is throttled; Lambda on Kinesis, Kafka and Lambda on SQS land records within seconds", () => {
    const result = runScenario(loadExample("land-events-in-s3.yaml", { durationUs: 10 * 60_000_000 }));
    expectRunAccountingCloses(result);
    const [direct, kdsFirehose, kdsLambda, msk, sqs] = result.systems;
    const directObjects = resultOfKind(direct, "firehose").objectSizeBytes;
    const sourced = kdsFirehose.consumers.find((consumer) => consumer.name === "to-s3")!;
    const sourcedObjects = sourced.firehose!.objectSizeBytes;
    for (const objects of [directObjects, sourcedObjects]) {
      expect(Math.abs(objects.count - 9)).toBeLessThanOrEqual(1);
      expect(Math.abs(objects.mean / (60 * 1000 * 1024) - 1)).toBeLessThan(0.03);
    }
    const codes = kdsFirehose.findings.map((finding) => finding.code);
    expect(codes).toContain("shared-read-budget");
    expect(codes).toContain("read-throttled");
    expect(sourced.readThrottles).toBeGreaterThan(0);
    const p99 = (consumer: { endToEndLatency: { quantile(q: number): number } }) => consumer.endToEndLatency.quantile(0.99) / 1e6;
    expect(p99(direct.consumers[0])).toBeGreaterThan(55);
    expect(p99(sourced)).toBeGreaterThan(55);
    for (const system of [kdsLambda, msk, sqs]) expect(p99(system.consumers[0])).toBeLessThan(5);
    // Both Firehose paths bill 1 KiB events as 5 KB at ingestion; the Kinesis path pays for its shards too.
    for (const index of [0, 1]) expect(result.costs[index].lineItems.find((item) => item.price === "firehose.ingest")).toBeDefined();
    expect(result.costs[1].monthlyUsd).toBeGreaterThan(result.costs[0].monthlyUsd);
  });
});
