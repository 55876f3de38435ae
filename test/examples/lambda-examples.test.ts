// The Lambda examples show what their README lines say (docs/design.md "Tests and examples"), and the
// accounting of every system in them closes.

import { describe, expect, it } from "vitest";
import { lambdaChart } from "../../reports/charts/lambda.ts";
import { resultOfKind, type KinesisResult } from "../../sim/metrics/index.ts";
import { runScenario } from "../../sim/run/index.ts";
import { expectRunAccountingCloses } from "../support/accounting.ts";
import { loadExample } from "../support/scenarios.ts";

const runTimeoutMs = 180_000;
const minuteUs = 60_000_000;

function run(file: string, durationUs: number): Map<string, KinesisResult> {
  const result = runScenario(loadExample(file, { durationUs }));
  expectRunAccountingCloses(result);
  return new Map(result.systems.map((system) => [system.name, resultOfKind(system, "kinesis")]));
}

const codes = (system: KinesisResult) => system.findings.map((finding) => finding.code);

describe("lambda-kinesis-parallelization", () => {
  it(
    "falls behind at parallelizationFactor 1 (IteratorAge +0.24 s per second, factor 2 advised) and keeps up at 4",
    () => {
      const systems = run("lambda-kinesis-parallelization.yaml", 5 * minuteUs);
      const one = systems.get("factor-1")!;
      const four = systems.get("factor-4")!;
      const behind = one.findings.find((finding) => finding.code === "lambda-falling-behind");
      expect(behind, JSON.stringify(one.findings)).toBeDefined();
      // 600 records/s per shard against 100 / 0.22 s = 455: 1 - 455/600 = 0.242 s per second.
      expect(Number(behind!.evidence.lagGrowthMsPerSecond)).toBeGreaterThan(220);
      expect(Number(behind!.evidence.lagGrowthMsPerSecond)).toBeLessThan(265);
      expect(behind!.evidence.parallelizationFactorNeeded).toBe(2);
      expect(codes(four)).not.toContain("lambda-falling-behind");
      expect(four.consumers[0].lag.quantile(0.99) / 1e6).toBeLessThan(3);
      // Factor 1 runs exactly one batch per shard at a time; factor 4 more than one.
      expect(one.consumers[0].lambda!.peakConcurrency).toBe(4);
      expect(four.consumers[0].lambda!.meanConcurrency).toBeGreaterThan(4);
    },
    runTimeoutMs,
  );
});

describe("lambda-kinesis-poison-record", () => {
  it(
    "with the defaults a poison record blocks its shard until it expires; with bisect and bounds only that record goes to the destination",
    () => {
      const systems = run("lambda-kinesis-poison-record.yaml", 15 * minuteUs);
      const defaults = systems.get("defaults")!;
      const bounded = systems.get("bisect-and-bound")!;
      const blocked = defaults.findings.find((finding) => finding.code === "lambda-shard-blocked");
      expect(blocked, JSON.stringify(defaults.findings)).toBeDefined();
      expect(blocked!.evidence.retriesUntilExpiry).toBe(1);
      expect(blocked!.message).toContain("24.0 h");
      expect(defaults.consumers[0].records.unread).toBeGreaterThan(10_000);
      const stats = bounded.consumers[0].lambda!;
      expect(codes(bounded)).not.toContain("lambda-shard-blocked");
      expect(codes(bounded)).not.toContain("lambda-falling-behind");
      expect(stats.bisections).toBeGreaterThan(0);
      // Each poison record, and nothing else, is set aside.
      expect(stats.recordsSentToDestination).toBeGreaterThanOrEqual(1);
      expect(stats.recordsSentToDestination).toBeLessThanOrEqual(5);
      expect(stats.recordsDiscarded).toBe(0);
      expect(codes(bounded)).toContain("lambda-records-to-destination");
    },
    runTimeoutMs,
  );
});

describe("lambda-kafka-pollers", () => {
  it(
    "on demand the lag climbs past a minute while Lambda adds the second poller; provisioned pollers keep up; batches of 20 fall behind, capped by the partitions",
    () => {
      const result = runScenario(loadExample("lambda-kafka-pollers.yaml", { durationUs: 6 * minuteUs }));
      expectRunAccountingCloses(result);
      const msk = resultOfKind(result.systems[0], "kafka");
      const consumer = (name: string) => msk.consumers.find((c) => c.name === name)!;
      const finding = (code: string, subject: string) => msk.findings.find((f) => f.code === code && f.subject === subject);
      // One poller (5 invocations) handles 5 x 667 = 3,333 of 5,000 records/s until the second arrives (4 min).
      const onDemand = consumer("on-demand");
      expect(onDemand.lambda!.pollers!.peak).toBe(2);
      expect(onDemand.lambda!.pollers!.peakAtUs).toBe(4 * minuteUs);
      expect(onDemand.lag.max / 1e6).toBeGreaterThan(60);
      expect(finding("lambda-pollers-ramp", "on-demand"), JSON.stringify(msk.findings)).toBeDefined();
      // Two provisioned pollers from the start: the lag stays near the 500 ms batching window.
      expect(consumer("provisioned").lag.quantile(0.99) / 1e6).toBeLessThan(2);
      expect(finding("lambda-falling-behind", "provisioned")).toBeUndefined();
      // 20 records per 120 ms is 167 records/s per partition against 500: the partitions cap it.
      const behind = finding("lambda-falling-behind", "small-batches");
      expect(behind?.evidence.cause).toBe("partitions");
      // Provisioned pollers are billed; on-demand ones are not.
      const items = result.costs[0].lineItems.filter((item) => item.price === "lambda.kafkaEventPollerUnit").map((item) => item.item);
      expect(items).toEqual(["Lambda provisioned event pollers, EPU-hours (provisioned)", "Lambda provisioned event pollers, EPU-hours (small-batches)"]);
    },
    runTimeoutMs,
  );
});

describe("lambda-three-systems", () => {
  it(
    "holds the hot store to one Kinesis lane (parallelizationFactor 4) and one Kafka partition, both falling behind on it, while SQS standard keeps up",
    () => {
      const result = runScenario(loadExample("lambda-three-systems.yaml", { durationUs: 5 * minuteUs }));
      expectRunAccountingCloses(result);
      const [kds, msk, sqs] = [resultOfKind(result.systems[0], "kinesis"), resultOfKind(result.systems[1], "kafka"), resultOfKind(result.systems[2], "sqs")];
      // Kinesis: store-0 (400 records/s) and a quarter of its shard's other keys share one lane of
      // 100 records per 350 ms (286/s): the shard falls behind for that key, a higher factor would not help.
      const hot = kds.findings.find((finding) => finding.code === "lambda-hot-key-lane");
      expect(hot, JSON.stringify(kds.findings.map((f) => f.code))).toBeDefined();
      expect(hot!.evidence.key).toBe("store-0");
      expect(Number(hot!.evidence.laneRecordsPerSecond)).toBeGreaterThan(270);
      expect(Number(hot!.evidence.laneRecordsPerSecond)).toBeLessThan(300);
      // Larger batches cannot carry the key: 10,000 / (0.05 + 3 ms x 10,000) s = 333 records/s a lane, under its 400.
      expect(hot!.message).toContain("even batches of 10,000 take at most 333 records/s through one lane, so larger batches are not enough");
      expect(hot!.message).not.toContain("faster or larger");
      const kdsBehind = kds.findings.find((finding) => finding.code === "lambda-falling-behind");
      expect(kdsBehind?.evidence.cause).toBe("hot-key");
      // Its capacity is 4 lanes of full batches: 4 x 100 / (50 ms + 3 ms x 100) = 4 x 100 / 0.35 s = 1,143 records/s.
      expect(kdsBehind!.message).toContain("a full batch of 100 records takes 350 ms (50 ms + 3 ms per record), so with 4 at a time a shard's batches process at most 1,143 records/s");
      expect(kdsBehind!.evidence.parallelizationFactorNeeded).toBeUndefined();
      // The chart's caption sends the reader to the findings rather than to a higher factor.
      const caption = lambdaChart(result.systems)!.caption;
      expect(caption).toContain("one hot key holding its lane (more lanes do not help it)");
      expect(caption).not.toMatch(/raise parallelizationFactor/);
      // The three other shards keep up: their lanes processed nearly all they took.
      const lanes = kds.consumers[0].lambda!.keyLanes!;
      for (const partition of kds.partitions.filter((p) => p.id !== hot!.evidence.shard)) {
        const processed = lanes.find((lane) => lane.shard === partition.id)!.records.reduce((sum, records) => sum + records, 0);
        expect(processed / partition.acceptedRecords, partition.id).toBeGreaterThan(0.98);
      }
      // Kafka: one batch per partition at a time; store-0's partition takes about 600 records/s.
      const behind = msk.findings.find((finding) => finding.code === "lambda-falling-behind");
      expect(behind, JSON.stringify(msk.findings.map((f) => f.code))).toBeDefined();
      expect(behind!.evidence.cause).toBe("hot-partition");
      // One full batch at a time: 100 / 0.35 s = 286 records/s.
      expect(behind!.message).toContain("a full batch of 100 records takes 350 ms (50 ms + 3 ms per record), so a partition processes at most 286 records/s");
      // No batchSize is enough for ~600 records/s: 10,000 records take 50 ms + 30 s, 333 records/s.
      expect(behind!.message).toContain("No batch size is enough: even batches of 10,000 process at most 333 records/s there");
      expect(behind!.message).not.toContain("Raise batchSize");
      const busiest = msk.partitions.find((partition) => partition.id === behind!.evidence.busiestPartition)!;
      expect(busiest.topKeys[0].key).toBe("store-0");
      // SQS standard: no order to keep, the mapping scales out and keeps up.
      expect(sqs.findings.map((finding) => finding.code)).not.toContain("lambda-falling-behind");
      expect(sqs.consumers[0].lag.quantile(0.99) / 1e6).toBeLessThan(5);
    },
    runTimeoutMs,
  );
});
