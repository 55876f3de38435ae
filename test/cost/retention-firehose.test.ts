// A Firehose stream keeps no log: its S3 objects' retention is the landed data's life, not a stream's
// retention, so it sets no row of the cost at equal retention and is priced as configured in every row.
// The audit case (land-events-in-s3): fh-direct's S3 storage was re-priced to 24 h in the 24 h row
// ($361) while kds-firehose's Firehose consumer kept its 30 days ($475), the same landing priced two ways.

import { describe, expect, it } from "vitest";
import { runScenario } from "../../sim/run/index.ts";
import { loadInline } from "../support/scenarios.ts";

const head = `seed: 3
duration: 3m
warmup: 1m
workload:
  - producer: clicks
    rate: { recordsPerSecond: 200 }
    recordSize: { distribution: fixed, size: 1KiB }
    keys: { distribution: uniform, cardinality: 1000 }
systems:
  - name: fh
    kind: firehose
    buffering: { size: 64MiB, interval: 60s }
`;

describe("cost at equal retention beside a Firehose stream", () => {
  it("prices the Firehose stream as configured in every row, and only the other systems' retentions make rows", () => {
    const result = runScenario(
      loadInline(`name: fh-and-streams
${head}  - name: kds
    kind: kinesis
    capacity: { mode: provisioned, shards: 1 }
    consumers:
      - { name: to-s3, type: firehose, buffering: { size: 64MiB, interval: 60s } }
  - name: msk
    kind: kafka
    brokers: { count: 3, instanceType: kafka.m5.large }
    topic: { partitions: 3, replicationFactor: 3 }
`),
    );
    const rows = result.retentionCosts;
    expect(rows.map((row) => row.retentionUs! / 3_600_000_000)).toEqual([24, 168]);
    const fh = rows.map((row) => row.systems.find((cost) => cost.system === "fh")!);
    expect(fh.map((cost) => cost.pricedRetentionUs)).toEqual([null, null]);
    expect(fh[0].monthlyUsd).toBe(fh[1].monthlyUsd);
    const own = result.costs.find((entry) => entry.system === "fh")!.monthlyUsd;
    expect(fh[0].monthlyUsd).toBeCloseTo(own, 9);
  }, 60_000);

  it("with Firehose streams alone, one entry prices each as configured", () => {
    const result = runScenario(
      loadInline(`name: fh-only
${head}  - name: fh-small
    kind: firehose
    buffering: { size: 1MiB, interval: 60s }
`),
    );
    expect(result.retentionCosts).toHaveLength(1);
    expect(result.retentionCosts[0].retentionUs).toBeNull();
    expect(result.retentionCosts[0].systems.map((cost) => cost.pricedRetentionUs)).toEqual([null, null]);
  }, 60_000);
});
