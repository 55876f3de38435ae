// Every line item against a hand computation (arithmetic in the comments). Inputs are hand-built
// SystemResults over a 1-hour window without warm-up, so the monthly factor is 720 h / 1 h = 720.
// Money is compared to 1e-9 USD: the arithmetic is exact up to float rounding, so any real
// disagreement (a wrong unit, a missing factor) is many orders of magnitude larger.

import { describe, expect, it } from "vitest";
import { billingWindow, brokerUnevenness, crossAzReplicaCopies, PriceBook, systemCost, type LineItem, type SystemCost } from "../../sim/cost/index.ts";
import type { KafkaPartitionStorage } from "../../sim/metrics/index.ts";
import { GB, hourUs, minuteUs, onlySystem, partition, result, scenarioWith, type UsageInput } from "./fixtures.ts";

const precision = 9;

function costOf(systemsYaml: string, usage: UsageInput, partitions = [partition(0, 0, null)], extra = "", warmup = "0s"): SystemCost {
  const scenario = scenarioWith(systemsYaml, extra, "1h", warmup);
  const system = onlySystem(scenario);
  return systemCost(system, result(system.name, system.kind, usage, partitions), billingWindow(scenario.warmupUs, scenario.durationUs), new PriceBook(scenario.region, scenario.pricing));
}

/**
 * A topic's logs over the 1 h window: `bytes` appended, spread evenly over `partitions` placed round
 * `brokers` with `rf` replicas; each log stored `storedShare` of its ingest on average (a log filling
 * from empty stores half of it).
 */
function logs(bytes: number, partitions: number, brokers: number, rf: number, storedShare = 0.5): KafkaPartitionStorage[] {
  return Array.from({ length: partitions }, (_, p) => ({
    brokers: Array.from({ length: rf }, (_, k) => (p + k) % brokers),
    storedBytesMean: (storedShare * bytes) / partitions,
    appendedBytes: bytes / partitions,
  }));
}

function line(cost: SystemCost, item: string): LineItem {
  const found = cost.lineItems.find((candidate) => candidate.item === item);
  if (found === undefined) throw new Error(`no line item "${item}" in ${cost.lineItems.map((l) => l.item).join(", ")}`);
  return found;
}

function expectTotal(cost: SystemCost, usd: number): void {
  expect(cost.monthlyUsd).toBeCloseTo(usd, precision);
  expect(cost.lineItems.reduce((sum, item) => sum + item.monthlyUsd, 0)).toBeCloseTo(usd, precision);
}

describe("Kinesis provisioned", () => {
  const yaml = `
  - name: kds
    kind: kinesis
    capacity: { mode: provisioned, shards: 2 }
    retention: 240h
    consumers:
      - { name: poll, type: polling }
      - { name: fan, type: enhanced-fan-out }`;
  // Shard 0 open all hour, shard 1 closed at 30 min, shards 2 and 3 opened at 30 min:
  // 1 + 0.5 + 0.5 + 0.5 = 2.5 shard-hours in the hour -> x720 = 1,800 shard-hours a month.
  const shards = [partition(0, 0, null), partition(1, 0, 30 * minuteUs), partition(2, 30 * minuteUs, null), partition(3, 30 * minuteUs, null)];
  const usage = { putPayloadUnits: 1_000_000, bytesWritten: 36 * GB, bytesReadByConsumer: { poll: 5 * GB, fan: 2 * GB } };
  const cost = costOf(yaml, usage, shards);

  it("shard-hours integrate the open shards: 1,800 x $0.015 = $27.00", () => {
    expect(line(cost, "shard-hours").quantity).toBeCloseTo(1800, precision);
    expect(line(cost, "shard-hours").monthlyUsd).toBeCloseTo(27, precision);
  });

  it("PUT payload units: 1 M a hour x 720 = 720 M x $0.014 = $10.08", () => {
    const item = line(cost, "PUT payload units (25 KB each)");
    expect(item.quantity).toBeCloseTo(720, precision);
    expect(item.monthlyUsd).toBeCloseTo(10.08, precision);
  });

  it("extended retention bills every shard-hour: 1,800 x $0.020 = $36.00", () => {
    expect(line(cost, "extended retention (24 h to 7 d)").monthlyUsd).toBeCloseTo(36, precision);
  });

  it("enhanced fan-out: 1,800 consumer-shard-hours x $0.015 = $27.00; 2 GB x 720 = 1,440 GB x $0.013 = $18.72", () => {
    expect(line(cost, "enhanced fan-out consumer-shard-hours (fan)").monthlyUsd).toBeCloseTo(27, precision);
    expect(line(cost, "enhanced fan-out data retrieval (fan)").quantity).toBeCloseTo(1440, precision);
    expect(line(cost, "enhanced fan-out data retrieval (fan)").monthlyUsd).toBeCloseTo(18.72, precision);
    // Polling reads are not billed on provisioned streams.
    expect(cost.lineItems.some((item) => item.item.includes("(poll)"))).toBe(false);
  });

  it("long-term retention: 36 GB/h = 0.01 GB/s held 240 - 168 = 72 h = 259,200 s -> 2,592 GB-month x $0.023 = $59.616", () => {
    const item = line(cost, "long-term retention (beyond 7 d)");
    expect(item.quantity).toBeCloseTo(2592, precision);
    expect(item.monthlyUsd).toBeCloseTo(59.616, precision);
  });

  it("totals 27 + 10.08 + 36 + 27 + 18.72 + 59.616 = $178.416", () => {
    expectTotal(cost, 178.416);
    expect(cost.assumptions[0]).toMatch(/720 hours/);
  });

  it("a 24 h stream has no retention lines, and warm-up is cut from the window", () => {
    // Warm-up 30 min: the window is 0.5 h, the factor 1,440; shard 0 counts 0.5 h -> 720 shard-hours.
    const short = costOf(`
  - { name: kds, kind: kinesis, capacity: { mode: provisioned, shards: 1 } }`, { putPayloadUnits: 0 }, [partition(0, 0, null)], "", "30m");
    expect(short.lineItems.map((item) => item.item)).toEqual(["shard-hours", "PUT payload units (25 KB each)"]);
    expect(line(short, "shard-hours").quantity).toBeCloseTo(720, precision);
  });

  it("a pricing override replaces the unit price and the assumptions say so: 1,800 x $0.03 = $54", () => {
    const overridden = costOf(yaml, usage, shards, "pricing: { kinesis.provisioned.shardHour: 0.03 }");
    expect(line(overridden, "shard-hours").unitPriceUsd).toBe(0.03);
    expect(line(overridden, "shard-hours").monthlyUsd).toBeCloseTo(54, precision);
    expectTotal(overridden, 178.416 + 27);
    expect(overridden.assumptions.join("\n")).toContain("Prices set by the scenario: kinesis.provisioned.shardHour");
  });
});

describe("Kinesis on-demand", () => {
  const yaml = (billing: string) => `
  - name: kds
    kind: kinesis
    capacity: { mode: on-demand, billing: ${billing} }
    retention: 72h
    consumers:
      - { name: poll, type: polling }
      - { name: fan, type: enhanced-fan-out }`;
  const usage = { bytesWritten: 9 * GB, billedBytesWritten: 10 * GB, bytesReadByConsumer: { poll: 20 * GB, fan: 10 * GB } };
  // Extended retention: 9 GB/h = 0.0025 GB/s held 72 - 24 = 48 h = 172,800 s -> 432 GB-month.

  it("Standard: 720 stream-hours x $0.04 = $28.80; 7,200 GB in x $0.08 = $576; 14,400 GB polled x $0.04 = $576; 7,200 GB EFO x $0.05 = $360; 432 GB-month x $0.10 = $43.20", () => {
    const cost = costOf(yaml("standard"), usage, [partition(0, 0, null), partition(1, 0, null)]);
    expect(line(cost, "stream-hours").monthlyUsd).toBeCloseTo(28.8, precision);
    expect(line(cost, "data ingested (records rounded up to 1 KB)").quantity).toBeCloseTo(7200, precision);
    expect(line(cost, "data ingested (records rounded up to 1 KB)").monthlyUsd).toBeCloseTo(576, precision);
    expect(line(cost, "data retrieval (poll)").monthlyUsd).toBeCloseTo(576, precision);
    expect(line(cost, "enhanced fan-out data retrieval (fan)").monthlyUsd).toBeCloseTo(360, precision);
    expect(line(cost, "extended retention (24 h to 7 d)").quantity).toBeCloseTo(432, precision);
    expect(line(cost, "extended retention (24 h to 7 d)").monthlyUsd).toBeCloseTo(43.2, precision);
    // On-demand bills no shard-hours, however many shards it ran.
    expect(cost.lineItems.some((item) => item.item === "shard-hours")).toBe(false);
    expectTotal(cost, 28.8 + 576 + 576 + 360 + 43.2);
  });

  it("Advantage: no stream-hours; 7,200 x $0.032 = $230.40; 14,400 x $0.016 = $230.40; 7,200 x $0.02 = $144; 432 x $0.04 = $17.28, marked estimated", () => {
    const cost = costOf(yaml("advantage"), usage);
    expect(cost.lineItems.some((item) => item.item === "stream-hours")).toBe(false);
    expect(line(cost, "data ingested (records rounded up to 1 KB)").monthlyUsd).toBeCloseTo(230.4, precision);
    expect(line(cost, "data retrieval (poll)").monthlyUsd).toBeCloseTo(230.4, precision);
    expect(line(cost, "enhanced fan-out data retrieval (fan)").monthlyUsd).toBeCloseTo(144, precision);
    expect(line(cost, "extended retention (24 h to 7 d)").monthlyUsd).toBeCloseTo(17.28, precision);
    expectTotal(cost, 230.4 + 230.4 + 144 + 17.28);
    expect(cost.assumptions.join("\n")).toMatch(/Estimated prices .*kinesis\.onDemandAdvantage\.ingest/);
  });
});

describe("Kafka", () => {
  // 1 GB of record batches (0.9 GB of values; keys and framing the rest) accepted in the hour -> 720 GB
  // a month; storage holds 24 h of 1 GB/h x RF 3 = 72 GB. Storage and traffic follow the log bytes.
  it("MSK: 2,160 broker-hours x $0.21 = $453.60; 72 GB-month x $0.10 = $7.20; 2/3 of 720 GB produced and fetched cross AZs x $0.02", () => {
    const cost = costOf(`
  - name: msk
    kind: kafka
    brokers: { count: 3, instanceType: kafka.m5.large }
    topic: { partitions: 6, replicationFactor: 3, retention: 24h }
    consumerGroups: [ { name: a }, { name: b } ]`, { bytesAccepted: 0.9 * GB, logBytes: GB, bytesConsumedByGroup: { a: GB, b: 0.5 * GB }, storageByPartition: logs(GB, 6, 3, 3) });
    expect(line(cost, "broker-hours (kafka.m5.large)").quantity).toBe(2160);
    expect(line(cost, "broker-hours (kafka.m5.large)").monthlyUsd).toBeCloseTo(453.6, precision);
    expect(line(cost, "broker storage").quantity).toBeCloseTo(72, precision);
    expect(line(cost, "broker storage").monthlyUsd).toBeCloseTo(7.2, precision);
    // 720 GB x 2/3 = 480 GB x $0.02 = $9.60; group b read half: $4.80.
    expect(line(cost, "cross-AZ traffic: producers to leaders").quantity).toBeCloseTo(480, precision);
    expect(line(cost, "cross-AZ traffic: producers to leaders").monthlyUsd).toBeCloseTo(9.6, precision);
    expect(line(cost, "cross-AZ traffic: fetches (a)").monthlyUsd).toBeCloseTo(9.6, precision);
    expect(line(cost, "cross-AZ traffic: fetches (b)").monthlyUsd).toBeCloseTo(4.8, precision);
    expect(cost.assumptions.join("\n")).not.toContain("KRaft controllers");
    // MSK does not bill replication.
    expect(cost.lineItems.some((item) => item.item.includes("replication"))).toBe(false);
    expectTotal(cost, 453.6 + 7.2 + 9.6 + 9.6 + 4.8);
    expect(cost.assumptions.join("\n")).toMatch(/3 Availability Zones/);
  });

  it("self-managed on EC2: 2,160 instance-hours x $0.192 = $414.72; 72 GB-month gp3 x $0.08 = $5.76; replication 720 GB x 2 copies x $0.02 = $28.80", () => {
    const cost = costOf(`
  - name: ec2
    kind: kafka
    brokers: { count: 3, instanceType: m5.xlarge }
    topic: { partitions: 6, replicationFactor: 3, retention: 24h }
    consumerGroups: [ { name: a } ]`, { bytesAccepted: 0.9 * GB, logBytes: GB, bytesConsumedByGroup: { a: GB }, storageByPartition: logs(GB, 6, 3, 3) });
    expect(line(cost, "instance-hours (m5.xlarge)").monthlyUsd).toBeCloseTo(414.72, precision);
    expect(line(cost, "EBS gp3 log volumes").monthlyUsd).toBeCloseTo(5.76, precision);
    expect(line(cost, "cross-AZ traffic: replication").quantity).toBeCloseTo(1440, precision);
    expect(line(cost, "cross-AZ traffic: replication").monthlyUsd).toBeCloseTo(28.8, precision);
    expectTotal(cost, 414.72 + 5.76 + 9.6 + 9.6 + 28.8);
    // No controller instances are priced, and the assumptions say so (MSK runs its controllers itself).
    expect(cost.assumptions.join("\n")).toContain("Self-managed brokers are also the KRaft controllers (combined mode)");
  });

  it("says how the storage was derived, how much of the retention the run filled, and the cross-AZ rate it used", () => {
    const yaml = `
  - { name: msk, kind: kafka, brokers: { count: 3 }, topic: { partitions: 3, retention: 24h } }`;
    const usage = { logBytes: GB, storageByPartition: logs(GB, 3, 3, 3) };
    const notes = costOf(yaml, usage).assumptions.join("\n");
    // A 1 h window of a 24 h retention: 1/24 = 4.2% of the steady-state log, which is what is billed.
    expect(notes).toContain("Broker storage is the bytes the logs kept, x replication factor 3, held all month");
    expect(notes).toContain("the 1 h simulated fill 4.2% of the 24.0 h retention, the steady state: the simulated ingest rate x the retention");
    expect(notes).toContain("each GB moved between AZs costs $0.02");
    // A scenario that prices cross-AZ bytes differently reads its own rate in the assumption.
    const overridden = costOf(yaml, usage, undefined, "pricing: { dataTransfer.crossAz: 0.01 }").assumptions.join("\n");
    expect(overridden).toContain("each GB moved between AZs costs $0.01");
    // A run longer than the retention measured what the logs kept (here 0.6 of an hour's ingest
    // against 30 min of retention, 0.5): that is billed, and there is nothing to project.
    const long = costOf(`
  - { name: msk, kind: kafka, brokers: { count: 3 }, topic: { partitions: 3, retention: 30m } }`, { logBytes: GB, storageByPartition: logs(GB, 3, 3, 3, 0.6) });
    expect(long.assumptions.join("\n")).not.toContain("simulated fill");
    // 0.6 GB kept x 3 replicas = 1.8 GB held all month.
    expect(line(long, "broker storage").quantity).toBeCloseTo(1.8, precision);
  });

  it("bills what retention.bytes lets a partition keep: 1 GB/h for 24 h capped at 2 GB a partition", () => {
    // 3 partitions take 1 GB in the hour (1/3 GB each, 8 GB each over 24 h); retention.bytes 2 GiB caps each
    // at 2 GB: 6 GB x 3 replicas = 18 GB-month x $0.10 = $1.80.
    const cost = costOf(`
  - { name: msk, kind: kafka, brokers: { count: 3 }, topic: { partitions: 3, retention: 24h, retentionBytes: 2GiB } }`, { logBytes: GB, storageByPartition: logs(GB, 3, 3, 3) });
    expect(line(cost, "broker storage").quantity).toBeCloseTo(18, precision);
    expect(line(cost, "broker storage").monthlyUsd).toBeCloseTo(1.8, precision);
    expect(cost.assumptions.join("\n")).toContain("capped by retention.bytes");
  });

  it("sizes every broker's volume for the fullest broker: RF 1 on 3 brokers holding 2, 1 and 1 GB -> 1.5x the even share", () => {
    // 1 GB of log an hour, 24 h retention, RF 1: 24 GB spread 12, 6, 6 over the brokers; the fullest
    // holds 1.5x its even third, so each of the 3 volumes is 12 GB: 36 GB-month x $0.10 = $3.60.
    const yaml = `
  - { name: msk, kind: kafka, brokers: { count: 3 }, topic: { partitions: 3, replicationFactor: 1, retention: 24h } }`;
    const uneven = [0.5, 0.25, 0.25].map((share, broker) => ({ brokers: [broker], storedBytesMean: (share * GB) / 2, appendedBytes: share * GB }));
    const cost = costOf(yaml, { logBytes: GB, storageByPartition: uneven });
    expect(line(cost, "broker storage").quantity).toBeCloseTo(36, precision);
    expect(line(cost, "broker storage").monthlyUsd).toBeCloseTo(3.6, precision);
    expect(cost.assumptions.join("\n")).toContain("the fullest broker holds 1.50x an even share");
    // Even brokers (or nothing stored) change nothing and add no note.
    const even = costOf(yaml, { logBytes: GB, storageByPartition: logs(GB, 3, 3, 1) });
    expect(line(even, "broker storage").quantity).toBeCloseTo(24, precision);
    expect(even.assumptions.join("\n")).not.toContain("unevenly");
    expect(brokerUnevenness([0, 0, 0])).toBe(1);
  });

  it("follower copies crossing AZs: replica k shares the leader's AZ when k is a multiple of 3", () => {
    // RF 1: none; 2: 1; 3: 2; 4: AZs 1, 2, 0 -> 2; 6: followers 1..5, k = 3 same AZ -> 4.
    expect([1, 2, 3, 4, 5, 6, 7].map((rf) => crossAzReplicaCopies(rf, 3))).toEqual([0, 1, 2, 2, 3, 4, 4]);
  });
});

describe("SQS", () => {
  const yaml = (type: string) => `
  - name: queue
    kind: sqs
    queue: { type: ${type} }`;
  // Billed requests in the hour (already 64 KB chunks): 4,500 -> x720 = 3,240,000 a month.
  const usage = { sendRequests: 1000, receiveRequests: 500, emptyReceiveRequests: 2000, deleteRequests: 1000, changeVisibilityRequests: 0 };

  it("Standard: 3.24 M requests x $0.40 = $1.296; empty receives alone 1.44 M x $0.40 = $0.576", () => {
    const cost = costOf(yaml("standard"), usage);
    expect(line(cost, "requests: empty receives").quantity).toBeCloseTo(1.44, precision);
    expect(line(cost, "requests: empty receives").monthlyUsd).toBeCloseTo(0.576, precision);
    expect(line(cost, "requests: send").monthlyUsd).toBeCloseTo(0.288, precision);
    expectTotal(cost, 1.296);
  });

  it("FIFO: 3.24 M x $0.50 = $1.62", () => {
    expectTotal(costOf(yaml("fifo"), usage), 1.62);
  });

  it("the free tier is off by default and, when set, takes 1 M requests off: 2.24 M x $0.40 = $0.896", () => {
    expect(costOf(yaml("standard"), usage).lineItems.some((item) => item.item === "free tier")).toBe(false);
    const free = costOf(yaml("standard"), usage, undefined, "pricing: { sqs.freeTierRequests: 1000000 }");
    expect(line(free, "free tier").quantity).toBeCloseTo(-1, precision);
    expectTotal(free, 0.896);
    // A free tier larger than the usage brings the bill to zero, not below.
    expectTotal(costOf(yaml("standard"), usage, undefined, "pricing: { sqs.freeTierRequests: 9000000 }"), 0);
  });
});

describe("billing window", () => {
  it("the projection note names the simulated span as people say it", () => {
    const cost = (warmup: string) => costOf(`
  - { name: kds, kind: kinesis, capacity: { mode: provisioned, shards: 1 } }`, { putPayloadUnits: 0 }, undefined, "", warmup);
    expect(cost("0s").assumptions[0]).toContain("project the 1 h simulated after warm-up to a 30-day month of 720 hours (x720)");
    expect(cost("59m").assumptions[0]).toContain("project the 60 s simulated after warm-up to a 30-day month of 720 hours (x43,200)");
    expect(cost("50m").assumptions[0]).toContain("project the 10 min simulated after warm-up");
  });

  it("projects the post-warm-up window to 720 h", () => {
    expect(billingWindow(0, hourUs).monthlyFactor).toBe(720);
    expect(billingWindow(10 * minuteUs, 40 * minuteUs).monthlyFactor).toBe(1440);
    expect(() => billingWindow(hourUs, hourUs)).toThrow();
  });
});
