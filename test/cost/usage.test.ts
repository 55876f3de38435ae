// The billing units and the usage the models count while they run, priced end to end: PUT payload
// units and 1 KB rounding per record, SQS request chunks, shard-hours across resharding, and what
// Kafka counts after warm-up. Runs are short (tens of simulated seconds to 10 minutes at low rates).

import { describe, expect, it } from "vitest";
import { billedRequests, scenarioCosts } from "../../sim/cost/index.ts";
import { onDemandBilledBytes, putPayloadUnits } from "../../sim/kinesis/limits.ts";
import { resultOfKind } from "../../sim/metrics/index.ts";
import { runScenario } from "../../sim/run/index.ts";
import { formatIssue, loadScenarioText } from "../../sim/scenario/index.ts";
import { loadInline } from "../support/scenarios.ts";

function load(text: string) {
  return loadInline(text, "test/cost/inline.yaml");
}

describe("billing units", () => {
  it("PUT payload units: each 25 KB (25,600 B) of a record, rounded up (docs/reference.md §2: 5 KB -> 1, 45 KB -> 2, 1 MB -> 40)", () => {
    expect(putPayloadUnits(5 * 1024)).toBe(1);
    expect(putPayloadUnits(30 * 1024)).toBe(2);
    expect(putPayloadUnits(45 * 1024)).toBe(2);
    expect(putPayloadUnits(25_600)).toBe(1);
    expect(putPayloadUnits(25_601)).toBe(2);
    // AWS's "1 MB -> 40" is 1,000 KB of 1,024 B; a full MiB is 40.96 units -> 41.
    expect(putPayloadUnits(1000 * 1024)).toBe(40);
    expect(putPayloadUnits(1024 * 1024)).toBe(41);
  });

  it("on-demand ingest rounds each record up to 1 KB (docs/reference.md §2: 4.5 KB -> 5 KB)", () => {
    expect(onDemandBilledBytes(4608)).toBe(5120);
    expect(onDemandBilledBytes(1)).toBe(1024);
    expect(onDemandBilledBytes(1024)).toBe(1024);
  });

  it("SQS bills each 64 KB chunk of a call's payload, at least one: a 200 KB message is 4 requests, 1 MiB is 16, an empty receive 1", () => {
    expect(billedRequests(200 * 1024)).toBe(4);
    expect(billedRequests(1024 * 1024)).toBe(16);
    expect(billedRequests(0)).toBe(1);
    expect(billedRequests(64 * 1024)).toBe(1);
    expect(billedRequests(64 * 1024 + 1)).toBe(2);
  });
});

// A 20-second run of 20 records/s of 30 KiB, evenly spaced, into one system of each kind, and its line
// items against the price table (sim/cost/prices/us-east-1.yaml, sim/cost/instances.yaml) by hand.
// The monthly factor is 720 h / 20 s = 129,600. What a run leaves in flight at the end (a record or
// two) is not accepted, so the per-record lines are written in terms of the records accepted.
describe("line items of a small run, by hand from the price table", () => {
  const scenario = load(`
name: priced-run
duration: 20s
workload:
  - producer: app
    rate: { recordsPerSecond: 20, arrivals: uniform }
    recordSize: { distribution: fixed, size: 30KiB }
    keys: { distribution: uniform, cardinality: 10, template: "k{i}" }
systems:
  - { name: kds, kind: kinesis, capacity: { mode: provisioned, shards: 10 } }
  - { name: msk, kind: kafka, brokers: { count: 3, instanceType: kafka.m5.large }, topic: { partitions: 3 } }
  - { name: queue, kind: sqs, producer: { batch: { maxMessages: 1 } } }
`);
  const result = runScenario(scenario);
  const item = (system: number, name: string) => {
    const found = result.costs[system].lineItems.find((line) => line.item === name);
    if (found === undefined) throw new Error(`no line item "${name}" for ${result.systems[system].name}`);
    return found;
  };
  const accepted = (system: number): number => result.systems[system].records.accepted;

  it("offers 400 records and accepts all but the last few in flight", () => {
    for (const system of [0, 1, 2]) {
      expect(result.systems[system].records.produced).toBe(400);
      expect(accepted(system)).toBeGreaterThanOrEqual(395);
    }
  });

  it("Kinesis: 10 shards x 720 h = 7,200 shard-hours x $0.015 (kinesis.provisioned.shardHour) = $108", () => {
    expect(item(0, "shard-hours").quantity).toBe(7200);
    expect(item(0, "shard-hours").unitPriceUsd).toBe(0.015);
    expect(item(0, "shard-hours").monthlyUsd).toBeCloseTo(108, 9);
  });

  it("Kinesis: 2 PUT payload units a record (30,722 B over 25,600 B) x 129,600 / 1e6 x $0.014 (kinesis.provisioned.putPayloadUnits)", () => {
    // 398 records accepted: 796 units x 129,600 = 103.1616 M units x $0.014 = $1.4442624.
    const millions = (accepted(0) * 2 * 129_600) / 1e6;
    expect(item(0, "PUT payload units (25 KB each)").quantity).toBeCloseTo(millions, 9);
    expect(item(0, "PUT payload units (25 KB each)").monthlyUsd).toBeCloseTo(millions * 0.014, 9);
  });

  it("Kinesis usage: a 30 KB record is 2 PUT payload units and 31 KB of on-demand ingest (its 2-byte key included)", () => {
    const usage = resultOfKind(result.systems[0], "kinesis").usage;
    expect(usage.recordsWritten).toBe(accepted(0));
    expect(usage.putPayloadUnits).toBe(2 * usage.recordsWritten);
    // 30,720 B of data + 2 B of key = 30,722 B -> 31 KB = 31,744 B billed per record.
    expect(usage.bytesWritten).toBe(30_722 * usage.recordsWritten);
    expect(usage.billedBytesWritten).toBe(31_744 * usage.recordsWritten);
  });

  it("Kafka: 3 brokers x 720 h = 2,160 broker-hours x $0.21 (instance.kafka.m5.large) = $453.60", () => {
    expect(item(1, "broker-hours (kafka.m5.large)").quantity).toBe(2160);
    expect(item(1, "broker-hours (kafka.m5.large)").monthlyUsd).toBeCloseTo(453.6, 9);
  });

  it("SQS: one send request a message (30 KiB is one 64 KB chunk, batches of 1) x 129,600 / 1e6 x $0.40 (sqs.standard.requests)", () => {
    // 399 messages accepted: 51.7104 M requests x $0.40 = $20.68416.
    const millions = (accepted(2) * 129_600) / 1e6;
    expect(item(2, "requests: send").quantity).toBeCloseTo(millions, 9);
    expect(item(2, "requests: send").monthlyUsd).toBeCloseTo(millions * 0.4, 9);
    // No consumers: no receives, deletes or empty receives are billed.
    for (const name of ["requests: receive (with messages)", "requests: empty receives", "requests: delete"]) expect(item(2, name).quantity).toBe(0);
  });
});

describe("Kinesis usage from a run", () => {
  it("with KPL aggregation, PUT payload units count the aggregates sent, not the user records", () => {
    const scenario = load(`
name: aggregated
duration: 20s
workload:
  - producer: app
    rate: { recordsPerSecond: 2000, arrivals: uniform }
    recordSize: { distribution: fixed, size: 500B }
    keys: { distribution: uniform, cardinality: 1000, template: "k{i}" }
systems:
  - name: kds
    kind: kinesis
    capacity: { mode: provisioned, shards: 2 }
    producer: { aggregation: { enabled: true } }
`);
    const system = resultOfKind(runScenario(scenario).systems[0], "kinesis");
    const usage = system.usage;
    // Records of 500 B pack ~90 to an aggregate of at most 51,200 B: far fewer Kinesis records than user records.
    expect(usage.recordsWritten).toBeLessThan(system.records.accepted / 10);
    // Each aggregate is 1 or 2 units (51,200 B = 2 x 25,600), and the units cover the bytes written.
    expect(usage.putPayloadUnits).toBeLessThanOrEqual(2 * usage.recordsWritten);
    expect(usage.putPayloadUnits).toBeGreaterThanOrEqual(Math.ceil(usage.bytesWritten / 25_600));
    // Unaggregated, every user record would be at least one unit: aggregation cuts the PUT bill.
    expect(usage.putPayloadUnits).toBeLessThan(system.records.accepted / 10);
  });

  it("resharding mid-run changes shard-hours by the exact integral of the open shard count", () => {
    const scenario = load(`
name: reshard-cost
duration: 10m
warmup: 1m
report: { interval: 1m }
workload:
  - producer: app
    rate: { recordsPerSecond: 50 }
    recordSize: { distribution: fixed, size: 1KiB }
    keys: { distribution: uniform, cardinality: 100 }
systems:
  - name: kds
    kind: kinesis
    capacity: { mode: provisioned, shards: 2 }
    resharding: { updateShardCountTime: 1m, splitMergeTime: 30s }
timeline:
  - { at: 3m, system: kds, action: update-shard-count, shards: 4 }
  - { at: 6m, system: kds, action: split-shard, shard: 2 }
`);
    const result = runScenario(scenario);
    // 2 shards open 0-4 min (the update lands at 3 + 1 min), then shards 2-5 from 4 min; shard 2 splits
    // at 6 + 0.5 min into 6 and 7. Inside the billed window [1, 10) min:
    //   shards 0, 1: 3 min each = 6; shard 2: 2.5; shards 3-5: 6 each = 18; shards 6, 7: 3.5 each = 7
    //   -> 33.5 shard-minutes = 0.558333 h; x (720 h / 0.15 h = 4,800) = 2,680 shard-hours.
    const shardHours = result.costs[0].lineItems.find((item) => item.item === "shard-hours")!;
    expect(result.systems[0].partitions.length).toBe(8);
    expect(shardHours.quantity).toBeCloseTo(2680, 9);
    expect(shardHours.monthlyUsd).toBeCloseTo(2680 * 0.015, 9);
    // Without resharding the same window bills 2 x 9 min = 0.3 h x 4,800 = 1,440 shard-hours.
    const flat = runScenario(load(flatText));
    expect(flat.costs[0].lineItems.find((item) => item.item === "shard-hours")!.quantity).toBeCloseTo(1440, 9);
  });

  it("consumers' reads are counted after warm-up: a polling consumer reads what was written in the window, to a second's worth", () => {
    const scenario = load(`
name: reads
duration: 40s
warmup: 10s
workload:
  - producer: app
    rate: { recordsPerSecond: 100, arrivals: uniform }
    recordSize: { distribution: fixed, size: 1000B }
    keys: { distribution: uniform, cardinality: 10, template: "k{i}" }
systems:
  - name: kds
    kind: kinesis
    capacity: { mode: on-demand }
    consumers: [ { name: poll, type: polling }, { name: fan, type: enhanced-fan-out } ]
`);
    const usage = resultOfKind(runScenario(scenario).systems[0], "kinesis").usage;
    // 30 s x 100 records x 1,002 B = 3,006,000 B written after warm-up (to a record or two at each edge).
    expect(Math.abs(usage.bytesWritten - 3_006_000)).toBeLessThanOrEqual(5 * 1002);
    // A poller reads once a second: at each edge of the window up to ~1 s of records (100 x 1,002 B) shift.
    for (const consumer of ["poll", "fan"]) expect(Math.abs(usage.bytesReadByConsumer[consumer] - usage.bytesWritten)).toBeLessThanOrEqual(2 * 100 * 1002);
  });
});

describe("Kafka usage from a run", () => {
  it("accepted and consumed bytes are counted after warm-up only", () => {
    const scenario = load(`
name: kafka-usage
duration: 30s
warmup: 10s
workload:
  - producer: app
    rate: { recordsPerSecond: 100, arrivals: uniform }
    recordSize: { distribution: fixed, size: 1KiB }
    keys: { distribution: uniform, cardinality: 10 }
systems:
  - name: msk
    kind: kafka
    brokers: { count: 3 }
    topic: { partitions: 3, replicationFactor: 3 }
    consumerGroups: [ { name: g } ]
`);
    const usage = resultOfKind(runScenario(scenario).systems[0], "kafka").usage;
    // 20 s x 100 records x 1,024 B = 2,048,000 B, give or take the few records in flight at the warm-up edge.
    expect(Math.abs(usage.bytesAccepted - 2_048_000)).toBeLessThanOrEqual(5 * 1024);
    // Consumed bytes are the log's: 2,000 records less what is still unread, at the mean stored record size.
    expect(Math.abs(usage.bytesConsumedByGroup.g - usage.logBytes)).toBeLessThanOrEqual(100 * 1100);
  });

  it("log bytes, which storage and client traffic are priced on, carry each record's key and framing and each batch's header", () => {
    // Keys "key-0".."key-9" are 5 B, framing 8 B a record, a batch header 61 B. At 100 records/s over 3
    // partitions a 5 ms linger closes most batches with one record, so each record stores 1,024 + 5 + 8 B
    // and up to 61 B of header: 2,000 records -> between 2,000 x 13 and 2,000 x 74 B above the values.
    const scenario = load(`
name: kafka-log-bytes
duration: 30s
warmup: 10s
workload:
  - producer: app
    rate: { recordsPerSecond: 100, arrivals: uniform }
    recordSize: { distribution: fixed, size: 1KiB }
    keys: { distribution: uniform, cardinality: 10 }
systems:
  - { name: msk, kind: kafka, brokers: { count: 3 }, topic: { partitions: 3, replicationFactor: 3, retention: 1h } }
`);
    const system = resultOfKind(runScenario(scenario).systems[0], "kafka");
    const records = system.usage.recordsAccepted;
    const overhead = system.usage.logBytes - system.usage.bytesAccepted;
    expect(records).toBeGreaterThan(1990);
    expect(overhead).toBeGreaterThanOrEqual(records * 13);
    expect(overhead).toBeLessThanOrEqual(records * 74);
    // With RF 3 on 3 brokers every broker holds every partition: each broker's replica bytes are all of them.
    const perBroker = [0, 1, 2].map((broker) => system.usage.replicatedBytesByBroker[broker]);
    for (const bytes of perBroker) expect(bytes).toBe(perBroker[0]);
    expect(perBroker[0]).toBeGreaterThan(system.usage.bytesAccepted);
    // Storage holds 1 h of the log at its rate x RF 3, so the overhead is stored too: 2,000 records in the
    // 20 s window, each 1,024 + 13 B at least and + 74 B at most, is 100 records/s x 3,600 s x 3 copies
    // = 1,080,000 records of 1,037 to 1,098 B: 1.0430 to 1.1044 GB (GB of 2^30 B), x $0.10 (msk.storage).
    // Values alone (1,024 B) would be 1.0300 GB, below the range.
    const [cost] = scenarioCosts(scenario, [system]);
    const storage = cost.lineItems.find((item) => item.item === "broker storage")!;
    expect(storage.quantity).toBeGreaterThanOrEqual((1_080_000 * 1037 * (records / 2000)) / 1024 ** 3);
    expect(storage.quantity).toBeLessThanOrEqual((1_080_000 * 1098) / 1024 ** 3);
    expect(storage.monthlyUsd).toBeCloseTo(storage.quantity * 0.1, 9);
  });
});

describe("Kafka storage on uneven brokers", () => {
  it("a hot key on RF 1 fills its partition's broker: storage is sized for that broker on every broker", () => {
    // Half of all records carry one key, so its partition's broker holds at least half the log with RF 1,
    // 1.5x or more of an even third; the rest spreads over all 6 partitions.
    const scenario = load(`
name: kafka-uneven
duration: 30s
warmup: 5s
workload:
  - producer: app
    rate: { recordsPerSecond: 200, arrivals: uniform }
    recordSize: { distribution: fixed, size: 1KiB }
    keys: { distribution: hotspot, cardinality: 100, hotKeys: 1, hotShare: 0.5 }
systems:
  - { name: msk, kind: kafka, brokers: { count: 3 }, topic: { partitions: 6, replicationFactor: 1, retention: 1h } }
`);
    const system = resultOfKind(runScenario(scenario).systems[0], "kafka");
    const [cost] = scenarioCosts(scenario, [system]);
    const storage = cost.lineItems.find((item) => item.item === "broker storage")!;
    const evenGB = ((system.usage.logBytes / 25) * 3600) / 1024 ** 3;
    expect(storage.quantity / evenGB).toBeGreaterThanOrEqual(1.5);
    expect(storage.quantity / evenGB).toBeLessThanOrEqual(3);
    expect(cost.assumptions.join("\n")).toMatch(/the fullest broker holds [1-3]\.\d\dx an even share/);
  });
});

describe("price overrides and names in the scenario", () => {
  const base = (pricing: string) => `
name: priced
duration: 10s
${pricing}
workload:
  - producer: app
    rate: { recordsPerSecond: 10 }
    recordSize: { distribution: fixed, size: 1KiB }
    keys: { distribution: uniform, cardinality: 10 }
systems:
  - { name: msk, kind: kafka, brokers: { count: 3 }, topic: { partitions: 3 } }
`;

  it("an override of an instance price changes the broker-hours line: 3 x 720 x $1 = $2,160", () => {
    const scenario = load(base("pricing: { instance.kafka.m5.large: 1 }"));
    const costs = scenarioCosts(scenario, runScenario(scenario).systems);
    const brokers = costs[0].lineItems.find((item) => item.price === "instance.kafka.m5.large")!;
    expect(brokers.unitPriceUsd).toBe(1);
    expect(brokers.monthlyUsd).toBe(2160);
  });

  it("an unknown price name is an error at its line:col with the closest name", () => {
    const loaded = loadScenarioText(base("pricing:\n  msk.storag: 0.2"), "test/cost/inline.yaml");
    expect(loaded.ok).toBe(false);
    if (loaded.ok) return;
    expect(loaded.issues.length).toBe(1);
    expect(formatIssue(loaded.issues[0])).toMatch(/^test\/cost\/inline\.yaml:5:3 pricing\.msk\.storag: unknown price name "msk\.storag" for region us-east-1; did you mean "msk\.storage"\?/);
  });

  it("a negative price is an error", () => {
    const loaded = loadScenarioText(base("pricing: { msk.storage: -1 }"), "test/cost/inline.yaml");
    expect(loaded.ok).toBe(false);
  });
});

/** The reshard scenario without its timeline (same shards, same window). */
const flatText = `
name: reshard-cost-flat
duration: 10m
warmup: 1m
workload:
  - producer: app
    rate: { recordsPerSecond: 50 }
    recordSize: { distribution: fixed, size: 1KiB }
    keys: { distribution: uniform, cardinality: 100 }
systems:
  - { name: kds, kind: kinesis, capacity: { mode: provisioned, shards: 2 } }
`;
