// metrics.csv beside resharding and scaling: a shard has rows only for the intervals it was open in (or
// was still read after it closed), so a closed shard reads as absent, not idle, and the stream's rows
// still add up to its shards'; and the counts report.html charts (open shards, an autoscaled fleet's
// consumers, Lambda concurrency, Flink parallelism and KPUs) are series of their own, with values the
// run's result states.

import * as aq from "arquero";
import { beforeAll, describe, expect, it } from "vitest";
import { metricsCsv } from "../../reports/metrics-csv.ts";
import type { SystemResult } from "../../sim/metrics/index.ts";
import { runScenario } from "../../sim/run/index.ts";
import { loadInline } from "../support/scenarios.ts";

type Row = Record<string, string | number>;

function pick(rows: Row[], filter: Record<string, string>): Row[] {
  // An empty field (no consumer) parses as null.
  return rows.filter((row) => Object.entries(filter).every(([key, value]) => String(row[key] ?? "") === value));
}

const values = (rows: Row[]) => rows.map((row) => row.value as number);

describe("a resharded stream in metrics.csv", () => {
  // 4 shards, then UpdateShardCount to 8 at 3m (landing at 6m: every parent closes as its children open) and a split at 7m:
  // 10 minutes in 1-minute intervals.
  const text = `
name: resharded
seed: 3
duration: 10m
report: { interval: 1m }
workload: [ { producer: p, rate: { recordsPerSecond: 400 }, recordSize: { distribution: fixed, size: 1KB }, keys: { distribution: uniform, cardinality: 5000 } } ]
systems:
  - { name: kds, kind: kinesis, capacity: { mode: provisioned, shards: 4 }, consumers: [ { name: reader, type: polling } ] }
timeline:
  - { at: 3m, system: kds, action: update-shard-count, shards: 8 }
  - { at: 7m, system: kds, action: split-shard, shard: 11 }
`;
  let rows: Row[];
  let kds: SystemResult;
  beforeAll(() => {
    const result = runScenario(loadInline(text));
    rows = aq.fromCSV(metricsCsv(result)).objects() as Row[];
    kds = result.systems[0]!;
  }, 60_000);

  it("writes no row for a shard in an interval it was not open in and not read in", () => {
    const closed = kds.partitions.filter((partition) => partition.closedUs !== null);
    const opened = kds.partitions.filter((partition) => partition.openedUs > 0);
    expect(closed.length).toBeGreaterThan(0);
    expect(opened.length).toBeGreaterThan(0);
    for (const partition of kds.partitions) {
      const shardRows = pick(rows, { componentKind: "shard", componentId: partition.id });
      expect(shardRows.length, partition.id).toBeGreaterThan(0);
      const closedUs = partition.closedUs ?? Infinity;
      const outgoing = partition.outgoing!.records;
      for (const row of shardRows) {
        const startUs = (row.seconds as number) * 1e6;
        const endUs = startUs + (row.intervalSeconds as number) * 1e6;
        const open = startUs < closedUs && endUs > partition.openedUs;
        const interval = Math.round(startUs / 60e6);
        expect(open || outgoing.sumAt(interval) > 0, `${partition.id} ${String(row.metric)} at ${String(row.seconds)} s`).toBe(true);
      }
    }
    // The shards the resharding opened have no row before they opened, the ones it closed none at the end.
    const lastSeconds = 9 * 60;
    for (const partition of opened) {
      expect(pick(rows, { componentKind: "shard", componentId: partition.id, seconds: "0" }), partition.id).toEqual([]);
    }
    for (const partition of closed) {
      expect(pick(rows, { componentKind: "shard", componentId: partition.id, seconds: String(lastSeconds) }), partition.id).toEqual([]);
      // Not a row of zeros, as closed shards once read: its writeUtilization stops.
      expect(pick(rows, { componentKind: "shard", componentId: partition.id, metric: "writeUtilization" }).length).toBeLessThan(10);
    }
  });

  it("keeps the stream's IncomingRecords and OutgoingRecords equal to the sum of its shards' rows, interval by interval", () => {
    for (const metric of ["IncomingRecords", "IncomingBytes", "OutgoingRecords", "OutgoingBytes"]) {
      const stream = pick(rows, { componentKind: "stream", componentId: "kds", consumer: "", metric });
      expect(stream.length).toBe(10);
      for (const row of stream) {
        const shards = pick(rows, { componentKind: "shard", consumer: "", metric, seconds: String(row.seconds) });
        expect(values(shards).reduce((total, value) => total + value, 0), `${metric} at ${String(row.seconds)} s`).toBe(row.value);
      }
    }
    const accepted = values(pick(rows, { componentKind: "shard", metric: "IncomingRecords" })).reduce((total, value) => total + value, 0);
    expect(accepted).toBe(kds.records.accepted);
  });

  it("gives the open shard count per interval, the most at once and the time-weighted mean, as the shards' open times say", () => {
    const most = values(pick(rows, { componentKind: "stream", metric: "openShards", statistic: "Maximum" }));
    const mean = values(pick(rows, { componentKind: "stream", metric: "openShards", statistic: "Average" }));
    expect(most.length).toBe(10);
    expect(most[0]).toBe(4);
    expect(mean[0]).toBe(4);
    expect(most[9]).toBe(9);
    expect(mean[9]).toBe(9);
    expect(kds.findings.map((finding) => finding.code)).not.toContain("reshard-refused");
    // An interval the resharding changed the count in: its most is above its mean.
    expect(most.some((value, i) => value > mean[i]!)).toBe(true);
    for (let i = 0; i < 10; i++) {
      const startUs = i * 60e6;
      const endUs = startUs + 60e6;
      const openUs = kds.partitions.reduce((total, p) => total + Math.max(0, Math.min(p.closedUs ?? Infinity, endUs) - Math.max(p.openedUs, startUs)), 0);
      expect(mean[i]).toBeCloseTo(openUs / 60e6, 12);
      expect(most[i]).toBeGreaterThanOrEqual(mean[i]!);
    }
    expect(pick(rows, { metric: "openShards" }).every((row) => row.unit === "Count")).toBe(true);
  });
});

describe("what scales, as series", () => {
  it("writes an autoscaled SQS fleet's consumersDesired and consumersWorking from its scaling", () => {
    const text = `
name: fleet
seed: 5
duration: 6m
report: { interval: 1m }
workload:
  - producer: p
    rate: { phases: [ { duration: 1m, recordsPerSecond: 20 }, { duration: 5m, recordsPerSecond: 600 } ] }
    recordSize: { distribution: fixed, size: 1KB }
    keys: { distribution: uniform, cardinality: 1000 }
systems:
  - name: q
    kind: sqs
    consumers: [ { name: workers, count: 2, processing: { perRecord: 20ms }, autoscaling: { targetBacklogPerConsumer: 50, minConsumers: 2, maxConsumers: 30 } } ]
`;
    const result = runScenario(loadInline(text));
    const rows = aq.fromCSV(metricsCsv(result)).objects() as Row[];
    const scaling = result.systems[0]!.consumers[0]!.autoscaling!;
    const of = (metric: string, statistic: string) => values(pick(rows, { system: "q", componentKind: "queue", consumer: "workers", metric, statistic }));
    expect(of("consumersDesired", "Maximum")).toEqual(Array.from({ length: 6 }, (_, i) => scaling.desired.maxAt(i)));
    expect(of("consumersWorking", "Average")).toEqual(Array.from({ length: 6 }, (_, i) => scaling.running.meanAt(i)));
    expect(of("consumersWorking", "Maximum")[0]).toBe(2);
    expect(Math.max(...of("consumersDesired", "Maximum"))).toBe(scaling.peak);
    expect(scaling.peak).toBeGreaterThan(2);
    expect(Math.max(...of("consumersWorking", "Maximum"))).toBeGreaterThan(2);
    // The queue's other consumers (none here) and systems without autoscaling write none.
    expect(pick(rows, { metric: "lambdaConcurrency" })).toEqual([]);
    expect(pick(rows, { metric: "openShards" })).toEqual([]);
  });

  it("writes a Lambda consumer's concurrency: the most executions at once and the mean", () => {
    const result = runScenario(loadInline(`
name: fn
seed: 2
duration: 3m
report: { interval: 1m }
workload: [ { producer: p, rate: { recordsPerSecond: 100 }, recordSize: { distribution: fixed, size: 200B }, keys: { distribution: uniform, cardinality: 100 } } ]
systems:
  - name: q
    kind: sqs
    consumers: [ { name: handler, type: lambda, batchSize: 10, function: { duration: { perBatch: 200ms, perRecord: 20ms }, memory: 512 } } ]
`));
    const rows = aq.fromCSV(metricsCsv(result)).objects() as Row[];
    const lambda = result.systems[0]!.consumers[0]!.lambda!;
    const most = pick(rows, { system: "q", consumer: "handler", metric: "lambdaConcurrency", statistic: "Maximum" });
    const mean = pick(rows, { system: "q", consumer: "handler", metric: "lambdaConcurrency", statistic: "Average" });
    expect(most.length).toBe(3);
    expect(mean.length).toBe(3);
    expect(most.every((row) => row.unit === "Count" && row.componentKind === "queue")).toBe(true);
    expect(values(most)).toEqual([0, 1, 2].map((i) => lambda.concurrency.maxAt(i)));
    expect(values(mean)).toEqual([0, 1, 2].map((i) => lambda.concurrency.meanAt(i)));
    expect(Math.max(...values(most))).toBe(lambda.peakConcurrency);
    // Little's law: the mean executions at once are the invocations' total duration over the run's length.
    const meanOverRun = values(mean).reduce((total, value) => total + value * 60, 0) / 180;
    const busySeconds = lambda.duration.sum / 1e6;
    expect(meanOverRun).toBeCloseTo(busySeconds / 180, 0);
    expect(meanOverRun).toBeGreaterThan(1);
    values(most).forEach((value, i) => expect(value).toBeGreaterThanOrEqual(mean[i]!.value as number));
  });

  it("writes a Flink application's parallelism and billed KPUs, changing at its scaling restart", () => {
    // flink-autoscaling's rule (test/validation/flink-autoscaling.test.ts): 80% CPU for 15 minutes scales 1 -> 2 at 900 s.
    const text = `
name: flink-scaled
seed: 11
duration: 1200s
report: { interval: 5m }
workload: [ { producer: p, rate: { recordsPerSecond: 400, arrivals: uniform }, recordSize: { distribution: fixed, size: 100B }, keys: { distribution: uniform, cardinality: 1000, template: "k-{i}" } } ]
systems:
  - name: kds
    kind: kinesis
    capacity: { mode: provisioned, shards: 1 }
    consumers: [ { name: app, type: flink, parallelism: 1, processing: { perRecord: 2ms }, autoscaling: { maxKpus: 8 } } ]
`;
    const result = runScenario(loadInline(text));
    const flink = result.systems[0]!.consumers[0]!.flink!;
    expect(flink.checkpoints.restarts).toEqual([{ atUs: 900e6, cause: "scale-up", parallelism: 2 }]);
    const rows = aq.fromCSV(metricsCsv(result)).objects() as Row[];
    const of = (metric: string, statistic: string) => values(pick(rows, { system: "kds", componentKind: "stream", consumer: "app", metric, statistic }));
    // KPUs billed from the restart on, the orchestration KPU included: 1 + 1, then 2 + 1.
    expect(of("flinkKpus", "Maximum")).toEqual([2, 2, 2, 3]);
    expect(of("flinkKpus", "Average")).toEqual([2, 2, 2, 3]);
    // Two subtasks once the job resumes, after the restart's downtime.
    expect(of("flinkParallelism", "Maximum")).toEqual([1, 1, 1, 2]);
    const parallelism = of("flinkParallelism", "Average");
    expect(parallelism.slice(0, 3)).toEqual([1, 1, 1]);
    // One subtask through the restart's downtime, two after it.
    const downtimeUs = flink.checkpoints.restartDowntimeUs;
    expect(downtimeUs).toBeGreaterThan(0);
    expect(parallelism[3]).toBeCloseTo((1 * downtimeUs + 2 * (300e6 - downtimeUs)) / 300e6, 12);
  });
});
