// Costs at equal retention (docs/cost.md "At equal retention"), against a hand computation from the
// us-east-1 price table (sim/cost/prices/us-east-1.yaml) and the instance catalogue. The window is 1 hour
// without warm-up, so the monthly factor is 720. Inputs: a 2-shard Kinesis stream writing 1 MB/s
// (3.6e9 B and 3.6e6 PUT payload units in the hour) and a 3-broker kafka.m5.large MSK cluster (replication
// factor 3 by MSK's default) whose log takes the same 1e6 B/s, evenly over its brokers, with no consumers.
//
// Kinesis at 24 h: 2 shards x 720 h x $0.015 = $21.60 shard-hours + 3.6e6 x 720 / 1e6 = 2,592 million
//   units x $0.014 = $36.288 -> $57.888.
// Kinesis at 7 days: + extended retention on every shard-hour, 1,440 x $0.020 = $28.80 -> $86.688.
// MSK brokers: 3 x 720 h x $0.21 = $453.60. Cross-AZ produce: 3.6e9 x 720 / 2^30 GB x 2/3 x $0.02 = $32.1865.
// MSK storage at 7 days: 1e6 B/s x 604,800 s x RF 3 / 2^30 = 1,689.79 GB x $0.10 = $168.979 -> $654.766.
// MSK storage at 24 h: 1e6 x 86,400 x 3 / 2^30 = 241.399 GB x $0.10 = $24.140 -> $509.926.
// So MSK costs 8.8x the stream at 24 h and 7.6x at 7 days.

import { describe, expect, it } from "vitest";
import { costsAtRetentions } from "../../sim/cost/index.ts";
import type { SystemResult } from "../../sim/metrics/index.ts";
import { hourUs, partition, result, scenarioWith } from "./fixtures.ts";

const kinesis = `
  - name: kds
    kind: kinesis
    capacity: { mode: provisioned, shards: 2 }`;
const msk = (retention: string) => `
  - name: msk
    kind: kafka
    brokers: { count: 3, instanceType: kafka.m5.large }
    topic: { partitions: 6, retention: ${retention} }`;
const queue = `
  - name: queue
    kind: sqs`;

const kdsResult = (): SystemResult => result("kds", "kinesis", { bytesWritten: 3.6e9, putPayloadUnits: 3.6e6 }, [partition(0, 0, null), partition(1, 0, null)]);
// Six partitions, each on all three brokers (RF 3), each appending a sixth of the log; a one-hour run keeps
// less than either retention, so each is billed its steady state: its ingest rate x retention.
const mskStorage = Array.from({ length: 6 }, () => ({ brokers: [0, 1, 2], storedBytesMean: 0, appendedBytes: 3.6e9 / 6 }));
const mskResult = (): SystemResult => result("msk", "kafka", { logBytes: 3.6e9, replicatedBytesByBroker: [1, 1, 1], storageByPartition: mskStorage });
const queueResult = (): SystemResult => result("queue", "sqs", { sendRequests: 1e6 });

describe("costs at equal retention", () => {
  it("prices a 24-hour stream and a 7-day topic at each other's retention (hand-computed above)", () => {
    const scenario = scenarioWith(kinesis + msk("168h"));
    const [at24h, at7d] = costsAtRetentions(scenario, [kdsResult(), mskResult()]);
    expect(at24h.retentionUs).toBe(24 * hourUs);
    expect(at7d.retentionUs).toBe(168 * hourUs);
    const usd = (entry: typeof at24h, name: string) => entry.systems.find((cost) => cost.system === name)!.monthlyUsd;
    expect(usd(at24h, "kds")).toBeCloseTo(57.888, 6);
    expect(usd(at7d, "kds")).toBeCloseTo(86.688, 6);
    expect(usd(at24h, "msk")).toBeCloseTo(509.9264, 3);
    expect(usd(at7d, "msk")).toBeCloseTo(654.7657, 3);
    expect(usd(at24h, "msk") / usd(at24h, "kds")).toBeCloseTo(8.81, 2);
    expect(usd(at7d, "msk") / usd(at7d, "kds")).toBeCloseTo(7.55, 2);
  });

  it("prices each service at the nearest retention it allows: Kinesis at no less than 24 h, SQS at no more than 14 days", () => {
    const short = costsAtRetentions(scenarioWith(kinesis + msk("12h")), [kdsResult(), mskResult()]);
    expect(short.map((entry) => entry.retentionUs! / hourUs)).toEqual([12, 24]);
    const kdsAt12h = short[0].systems.find((cost) => cost.system === "kds")!;
    expect(kdsAt12h.pricedRetentionUs).toBe(24 * hourUs);
    expect(kdsAt12h.monthlyUsd).toBeCloseTo(57.888, 6);

    const long = costsAtRetentions(scenarioWith(queue + msk("720h")), [queueResult(), mskResult()]);
    expect(long.map((entry) => entry.retentionUs! / hourUs)).toEqual([96, 720]);
    const queueCosts = long.map((entry) => entry.systems.find((cost) => cost.system === "queue")!);
    expect(queueCosts[1].pricedRetentionUs).toBe(14 * 24 * hourUs);
    // SQS bills requests, not storage: 1e6 sends x 720 = 720 million requests x $0.40 = $288 at any retention.
    expect(queueCosts.map((cost) => cost.monthlyUsd)).toEqual([288, 288].map((usd) => expect.closeTo(usd, 6)));
  });

  it("has nothing to compare for a single system", () => {
    expect(costsAtRetentions(scenarioWith(kinesis), [kdsResult()])).toEqual([]);
  });
});
