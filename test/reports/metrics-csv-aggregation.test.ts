// With KPL aggregation, CloudWatch's IncomingRecords and IncomingBytes count the Kinesis records the
// stream took, the aggregates and their bytes with framing, not the user records inside them
// (docs/reference.md §1.6, §1.7): metrics.csv writes them so, and the alarm-driven autoscaler, which
// reads those metrics, judges the aggregates; user-record counts (records.accepted, partitions'
// acceptedRecords) stay user records.

import * as aq from "arquero";
import { beforeAll, describe, expect, it } from "vitest";
import { metricsCsv } from "../../reports/metrics-csv.ts";
import { resultOfKind, type KinesisResult } from "../../sim/metrics/index.ts";
import { runScenario } from "../../sim/run/index.ts";
import { loadInline } from "../support/scenarios.ts";

type Row = Record<string, string | number>;

const warmupSeconds = 60;

// The kinesis-kpl-aggregation example, shortened: 5,000 records/s of 200 B on 2 shards. Unaggregated,
// the 2,000 records/s limit throttles; aggregated, ~90 records share each ~50 KB aggregate. Both
// streams carry the same alarm on IncomingRecords (1-minute periods, one datapoint at or above 50%).
const text = `
name: kpl-metrics
seed: 4
duration: 4m
warmup: 1m
report: { interval: 1m }
workload:
  - producer: metrics
    rate: { recordsPerSecond: 5000, arrivals: poisson }
    recordSize: { distribution: fixed, size: 200B }
    keys: { distribution: uniform, cardinality: 1000, template: "host-{i}" }
systems:
  - name: plain
    kind: kinesis
    capacity: { mode: provisioned, shards: 2 }
    autoscaling: { metric: incoming-records, period: 1m, publicationDelay: 0s, scaleOut: { threshold: 0.5, evaluationPeriods: 1, datapointsToAlarm: 1 } }
    consumers: [ { name: dashboards, type: polling } ]
  - name: aggregated
    kind: kinesis
    capacity: { mode: provisioned, shards: 2 }
    producer: { aggregation: { enabled: true } }
    autoscaling: { metric: incoming-records, period: 1m, publicationDelay: 0s, scaleOut: { threshold: 0.5, evaluationPeriods: 1, datapointsToAlarm: 1 } }
    consumers: [ { name: dashboards, type: polling } ]
`;

describe("IncomingRecords and IncomingBytes under KPL aggregation", () => {
  let rows: Row[];
  let plain: KinesisResult;
  let aggregated: KinesisResult;
  beforeAll(() => {
    const result = runScenario(loadInline(text));
    rows = aq.fromCSV(metricsCsv(result)).objects() as Row[];
    plain = resultOfKind(result.systems[0]!, "kinesis");
    aggregated = resultOfKind(result.systems[1]!, "kinesis");
  }, 120_000);

  /** The sum of a metric's rows of one system and component kind, from `fromSeconds` on. */
  const total = (system: string, componentKind: string, metric: string, fromSeconds = 0) =>
    rows
      .filter((row) => row.system === system && row.componentKind === componentKind && row.metric === metric && (row.seconds as number) >= fromSeconds)
      .reduce((sum, row) => sum + (row.value as number), 0);

  it("counts the aggregates written after warm-up, and their bytes, as the bill does", () => {
    // usage counts each Kinesis record written after warm-up (the PUT payload units priced): the same records.
    expect(aggregated.usage.recordsWritten).toBeGreaterThan(0);
    expect(total("aggregated", "stream", "IncomingRecords", warmupSeconds)).toBe(aggregated.usage.recordsWritten);
    expect(total("aggregated", "stream", "IncomingBytes", warmupSeconds)).toBe(aggregated.usage.bytesWritten);
    expect(total("aggregated", "shard", "IncomingRecords", warmupSeconds)).toBe(aggregated.usage.recordsWritten);
    expect(total("aggregated", "shard", "IncomingBytes", warmupSeconds)).toBe(aggregated.usage.bytesWritten);
  });

  it("is far below the user records accepted, whose count stays user records", () => {
    const incoming = total("aggregated", "stream", "IncomingRecords");
    // ~50 KB aggregates of ~220 B records: well over 50 user records per aggregate.
    expect(incoming * 50).toBeLessThan(aggregated.records.accepted);
    expect(aggregated.partitions.reduce((sum, partition) => sum + partition.acceptedRecords, 0)).toBe(aggregated.records.accepted);
    // Framing makes the aggregates' bytes a little more than the user records' (data and keys).
    const userBytes = aggregated.partitions.reduce((sum, partition) => sum + partition.acceptedBytes, 0);
    expect(total("aggregated", "stream", "IncomingBytes")).toBeGreaterThan(userBytes);
    expect(total("aggregated", "stream", "IncomingBytes")).toBeLessThan(userBytes * 1.1);
  });

  it("stays the user records where each user record is a Kinesis record", () => {
    expect(total("plain", "stream", "IncomingRecords")).toBe(plain.records.accepted);
    expect(total("plain", "stream", "IncomingRecords", warmupSeconds)).toBe(plain.usage.recordsWritten);
    expect(total("plain", "stream", "IncomingBytes", warmupSeconds)).toBe(plain.usage.bytesWritten);
  });

  it("is what the autoscaler's alarm reads: the throttled plain stream scales out, the aggregated one does not", () => {
    expect(plain.autoscaling!.actions.filter((action) => action.direction === "out").length).toBeGreaterThan(0);
    expect(aggregated.autoscaling!.actions).toEqual([]);
  });

  it("leaves the write utilization judging aggregates against the records limit", () => {
    // Aggregated, each shard takes ~2,500 user records/s but ~15 aggregates/s of ~50 KB: bytes bind, not records.
    for (const partition of aggregated.partitions) {
      expect(partition.peakWriteUtilization, partition.id).toBeLessThan(1);
      expect(partition.peakWriteUtilization, partition.id).toBeGreaterThan(0.3);
    }
    // Unaggregated, its two first shards are asked 2,500 records/s each (its scale-out opened the others).
    for (const partition of plain.partitions.filter((one) => one.openedUs === 0)) expect(partition.peakWriteUtilization, partition.id).toBeGreaterThan(2);
  });
});
