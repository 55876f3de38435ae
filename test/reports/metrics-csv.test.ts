// metrics.csv as a user's tools read it: parsed by a CSV library (arquero's fromCSV, as pandas or DuckDB
// would read it), its columns are the tidy ones docs/results.md lists, every metric is a published name
// or one of ours from the catalogue with its statistic and unit, and the per-second rates are per second:
// MSK's BytesInPerSec is bytes received over the interval's length (docs/reference.md §3.5), so over the
// run it averages to the bytes the brokers accepted over the simulated seconds.

import { readFileSync } from "node:fs";
import * as aq from "arquero";
import { beforeAll, describe, expect, it } from "vitest";
import { metricCatalogue } from "../../reports/metric-catalogue.ts";
import { metricsCsv, metricsCsvHeader } from "../../reports/metrics-csv.ts";
import { resultOfKind } from "../../sim/metrics/index.ts";
import { runScenario, type ScenarioResult } from "../../sim/run/index.ts";
import { loadExample, loadInline } from "../support/scenarios.ts";

type Table = ReturnType<typeof aq.fromCSV>;

/** three-systems (Kinesis, Kafka, SQS) for 150 s: two 60 s report intervals and a partial one of 30 s; no warm-up, so usage counts the whole run. */
function runThreeSystems(start: string | null): ScenarioResult {
  const scenario = loadExample("three-systems.yaml", { durationUs: 150_000_000 });
  return runScenario({ ...scenario, warmupUs: 0, start, startEpochMs: start === null ? scenario.startEpochMs : Date.parse(start) });
}

let result: ScenarioResult;
let table: Table;

beforeAll(() => {
  result = runThreeSystems("2026-03-01T12:00:00Z");
  table = aq.fromCSV(metricsCsv(result));
}, 60_000);

function rows(filter: Record<string, string>): Array<Record<string, unknown>> {
  return table.objects().filter((row) => Object.entries(filter).every(([key, value]) => String((row as Record<string, unknown>)[key]) === value)) as Array<Record<string, unknown>>;
}

describe("metrics.csv is tidy", () => {
  it("parses with a CSV library into exactly the documented columns, one value per row", () => {
    expect(table.columnNames()).toEqual([...metricsCsvHeader]);
    expect(metricsCsvHeader).toEqual(["time", "seconds", "intervalSeconds", "system", "componentKind", "componentId", "consumer", "metric", "statistic", "unit", "value"]);
    expect(table.numRows()).toBeGreaterThan(100);
    for (const row of table.objects() as Array<Record<string, unknown>>) {
      expect(typeof row.seconds).toBe("number");
      expect(typeof row.intervalSeconds).toBe("number");
    }
  });

  it("gives ISO 8601 UTC times when the scenario sets start:, the seconds since the start beside them, and the real length of a partial last interval", () => {
    const incoming = rows({ system: "kds", componentKind: "stream", metric: "IncomingRecords" });
    expect(incoming.map((row) => row.seconds)).toEqual([0, 60, 120]);
    expect(incoming.map((row) => row.intervalSeconds)).toEqual([60, 60, 30]);
    // arquero parses ISO dates into Date objects, as pandas' parse_dates and DuckDB's TIMESTAMP do.
    expect(incoming.map((row) => (row.time as Date).toISOString())).toEqual(["2026-03-01T12:00:00.000Z", "2026-03-01T12:01:00.000Z", "2026-03-01T12:02:00.000Z"]);
    expect(metricsCsv(result)).toContain("\r\n2026-03-01T12:02:00Z,120,30,");
  });

  it("gives times in seconds when the scenario sets no start:", () => {
    const scenario = loadInline(`
name: no-start
duration: 20s
report: { interval: 10s }
workload: [ { producer: p, rate: { recordsPerSecond: 10 }, recordSize: { distribution: fixed, size: 100B }, keys: { distribution: uniform, cardinality: 10 } } ]
systems: [ { name: q, kind: sqs, consumers: [ { name: w } ] } ]
`);
    expect(scenario.start).toBeNull();
    const text = metricsCsv(runScenario(scenario));
    expect(text.split("\r\n")[1]).toMatch(/^0,0,10,q,queue,q,,/);
    expect(text).toContain("\r\n10,10,10,q,queue,q,,");
  });

  it("names every metric as the catalogue does, with its statistic and unit, never a statistic inside the name", () => {
    const byName = new Map(metricCatalogue.map((definition) => [`${definition.metric}|${definition.statistic}|${definition.unit}`, definition]));
    const seen = new Set<string>();
    for (const row of table.objects() as Array<Record<string, string>>) seen.add(`${row.metric}|${row.statistic}|${row.unit}`);
    for (const key of seen) expect(byName.has(key), key).toBe(true);
    for (const key of seen) expect(key).not.toMatch(/\.(max|min|sum|avg|mean)\|/);
    // The names a CloudWatch or JMX dashboard shows for these three systems are all there.
    const metrics = new Set([...seen].map((key) => key.split("|")[0]));
    for (const name of ["IncomingBytes", "OutgoingRecords", "WriteProvisionedThroughputExceeded", "PutRecords.Latency", "GetRecords.IteratorAgeMilliseconds", "IteratorAgeMilliseconds", "BytesInPerSec", "MessagesInPerSec", "UnderReplicatedPartitions", "OfflinePartitionsCount", "records-lag-max", "records-lag", "ApproximateAgeOfOldestMessage", "ApproximateNumberOfMessagesDelayed", "MaxOffsetLag", "EstimatedMaxTimeLag", "lagMs"]) {
      expect(metrics.has(name), name).toBe(true);
    }
  });

  it("puts each consumer's lag metric under its stream or topic and per shard or partition, with the consumer named", () => {
    expect(rows({ system: "kds", componentKind: "stream", componentId: "kds", consumer: "analytics", metric: "GetRecords.IteratorAgeMilliseconds" }).length).toBe(3);
    expect(rows({ system: "kds", componentKind: "shard", componentId: "shardId-000000000000", consumer: "analytics", metric: "IteratorAgeMilliseconds" }).length).toBe(3);
    expect(rows({ system: "msk", componentKind: "topic", componentId: "events", consumer: "analytics", metric: "records-lag-max" }).length).toBe(3);
    expect(rows({ system: "msk", componentKind: "partition", componentId: "events-0", consumer: "analytics", metric: "records-lag" }).length).toBe(3);
  });

  it("gives a consumer group's MSK offset lags, from committed offsets, never below its records-lag-max from its position", () => {
    const of = (metric: string) => rows({ system: "msk", componentKind: "topic", consumer: "analytics", metric }).map((row) => row.value as number);
    const maxOffsetLag = of("MaxOffsetLag");
    expect(maxOffsetLag.length).toBe(3);
    // The group commits every 5 s (auto.commit.interval.ms): its committed offsets trail its position.
    of("records-lag-max").forEach((recordsLag, i) => expect(maxOffsetLag[i]).toBeGreaterThanOrEqual(recordsLag));
    of("SumOffsetLag").forEach((sum, i) => expect(sum).toBeGreaterThanOrEqual(maxOffsetLag[i]!));
    expect(Math.max(...maxOffsetLag)).toBeGreaterThan(0);
    // EstimatedMaxTimeLag, in seconds, is there beside them for every interval, never negative.
    const estimated = of("EstimatedMaxTimeLag");
    expect(estimated.length).toBe(3);
    for (const seconds of estimated) expect(seconds).toBeGreaterThanOrEqual(0);
  });
});

describe("published rates and sums", () => {
  it("BytesInPerSec is bytes per second: the brokers' mean over the run is the bytes they accepted over the simulated seconds", () => {
    const msk = resultOfKind(result.systems.find((system) => system.name === "msk")!, "kafka");
    const bytesIn = rows({ system: "msk", componentKind: "broker", metric: "BytesInPerSec" });
    expect(bytesIn.length).toBe(3 * 3);
    // Rate x interval length gives back each interval's bytes, so the total is the bytes received.
    const received = bytesIn.reduce((total, row) => total + (row.value as number) * (row.intervalSeconds as number), 0);
    const seconds = 150;
    // usage.logBytes: the record batches the leaders appended (keys and framing included), the whole run
    // (no warm-up). Batches sent in the run's last moments are received and not yet appended: a few KB.
    expect(received / seconds).toBeCloseTo(msk.usage.logBytes / seconds, -3);
    expect(Math.abs(received - msk.usage.logBytes) / msk.usage.logBytes).toBeLessThan(1e-3);
    // About 2,000 records/s of 1,000 B with their keys: far from the bytes per 60 s interval (~120 MB) the column once held.
    const perSecond = msk.bytes.accepted / seconds;
    expect(received / seconds).toBeGreaterThan(perSecond);
    expect(received / seconds).toBeLessThan(perSecond * 1.1);
  });

  it("MessagesInPerSec is records per second, adding up to the records the topic accepted", () => {
    const msk = result.systems.find((system) => system.name === "msk")!;
    const messages = rows({ system: "msk", componentKind: "broker", metric: "MessagesInPerSec" });
    const received = messages.reduce((total, row) => total + (row.value as number) * (row.intervalSeconds as number), 0);
    expect(Math.abs(received - msk.records.accepted) / msk.records.accepted).toBeLessThan(1e-3);
  });

  it("leaves replication out of BytesInPerSec and BytesOutPerSec (ReplicationBytes*PerSec hold it)", () => {
    const total = (metric: string) => rows({ system: "msk", metric }).reduce((sum, row) => sum + (row.value as number) * (row.intervalSeconds as number), 0);
    // Replication factor 3: each byte in is copied to two followers.
    expect(total("ReplicationBytesInPerSec") / total("BytesInPerSec")).toBeCloseTo(2, 1);
    expect(total("ReplicationBytesOutPerSec")).toBeCloseTo(total("ReplicationBytesInPerSec"), -3);
  });

  it("IncomingRecords adds up to the stream's accepted records, and OutgoingRecords of a caught-up polling consumer to nearly as many", () => {
    const kds = result.systems.find((system) => system.name === "kds")!;
    const total = (metric: string, componentKind: string) => rows({ system: "kds", componentKind, metric }).reduce((sum, row) => sum + (row.value as number), 0);
    expect(total("IncomingRecords", "stream")).toBe(kds.records.accepted);
    expect(total("IncomingRecords", "shard")).toBe(kds.records.accepted);
    expect(total("OutgoingRecords", "shard")).toBe(total("OutgoingRecords", "stream"));
    const consumer = kds.consumers[0]!;
    expect(total("OutgoingRecords", "stream")).toBe(consumer.records.consumed + consumer.records.inFlight);
  });

  it("names an enhanced fan-out consumer's lag SubscribeToShardEvent.MillisBehindLatest, not GetRecords' iterator age", () => {
    const scenario = loadInline(`
name: efo
duration: 20s
report: { interval: 10s }
workload: [ { producer: p, rate: { recordsPerSecond: 100 }, recordSize: { distribution: fixed, size: 100B }, keys: { distribution: uniform, cardinality: 10 } } ]
systems: [ { name: s, kind: kinesis, capacity: { mode: provisioned, shards: 2 }, consumers: [ { name: fan, type: enhanced-fan-out } ] } ]
`);
    const text = metricsCsv(runScenario(scenario));
    expect(text).toContain(",s,stream,s,fan,SubscribeToShardEvent.MillisBehindLatest,Maximum,Milliseconds,");
    expect(text).toContain(",s,shard,shardId-000000000001,fan,MillisBehindLatest,Maximum,Milliseconds,");
    expect(text).not.toContain("IteratorAge");
  });
});

describe("a broker outage in metrics.csv", () => {
  it("shows UnderReplicatedPartitions on the leaders of a replicated topic and OfflinePartitionsCount on an unreplicated one (docs/reference.md §3.3, §3.5)", () => {
    // 3 brokers, 6 partitions; broker 1 down from 20 s to 50 s (fenced after 9 s, docs/reference.md §3.3). RF 3: every
    // partition has a replica on broker 1, so all 6 are under-replicated, each counted by its leader.
    // RF 1: the 2 partitions broker 1 holds alone have no leader: offline.
    const scenario = loadInline(`
name: outage
duration: 60s
report: { interval: 10s }
workload: [ { producer: p, rate: { recordsPerSecond: 300 }, recordSize: { distribution: fixed, size: 800B }, keys: { distribution: uniform, cardinality: 1000 } } ]
systems:
  - { name: durable, kind: kafka, brokers: { count: 3 }, topic: { partitions: 6, replicationFactor: 3, minInsyncReplicas: 2 }, producer: { acks: all }, consumerGroups: [ { name: g, consumers: 1 } ] }
  - { name: fragile, kind: kafka, brokers: { count: 3 }, topic: { partitions: 6, replicationFactor: 1 }, producer: { acks: 1 }, consumerGroups: [ { name: g, consumers: 1 } ] }
timeline:
  - { at: 20s, system: durable, action: broker-down, broker: 1, for: 30s }
  - { at: 20s, system: fragile, action: broker-down, broker: 1, for: 30s }
`);
    const outage = aq.fromCSV(metricsCsv(runScenario(scenario))).objects() as Array<Record<string, string | number>>;
    const at = (system: string, metric: string, seconds: number) => outage.filter((row) => row.system === system && row.metric === metric && row.seconds === seconds).reduce((sum, row) => sum + (row.value as number), 0);
    expect(at("durable", "UnderReplicatedPartitions", 0)).toBe(0);
    expect(at("durable", "UnderReplicatedPartitions", 40)).toBe(6);
    expect(at("durable", "OfflinePartitionsCount", 40)).toBe(0);
    expect(at("fragile", "OfflinePartitionsCount", 0)).toBe(0);
    expect(at("fragile", "OfflinePartitionsCount", 40)).toBe(2);
    expect(at("fragile", "UnderReplicatedPartitions", 40)).toBe(0);
  });
});

describe("docs/results.md", () => {
  it("lists every metric metrics.csv can write with its source, statistic and unit", () => {
    const docs = readFileSync("docs/results.md", "utf8");
    for (const definition of metricCatalogue) {
      expect(docs, definition.metric).toContain(`| \`${definition.metric}\` | ${definition.source} | ${definition.statistic} | ${definition.unit} |`);
    }
  });
});
