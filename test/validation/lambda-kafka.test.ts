// Lambda consumers of a Kafka topic checked against theory and the published semantics (docs/reference.md
// §6.6): Lambda runs one batch per partition at a time, so with a backlog the mapping processes
// partitions x batchSize / duration records per second, and the age of the oldest unprocessed record
// then grows at (1 - capacity / arrivals) seconds per second (the fluid limit of a saturated server); on
// demand, the mapping starts with one event poller (5 concurrent invocations) and adds pollers after
// each minute's evaluation of the offset lag, up to one invocation per partition; every record is
// accounted for.
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
