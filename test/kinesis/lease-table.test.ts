// The KCL lease table component (sim/kinesis/lease-table.ts, docs/reference.md §1.9): the renewal and
// taker intervals the KCL derives from failoverTimeMillis, and a provisioned table's write capacity as
// a bucket holding at most 300 s of unused capacity.

import { describe, expect, it } from "vitest";
import { LeaseTable, leaseRenewalIntervalUs, leaseTakerIntervalUs, type LeaseTableSettings } from "../../sim/kinesis/lease-table.ts";

const secondUs = 1_000_000;
const settings = (overrides: Partial<LeaseTableSettings> = {}): LeaseTableSettings => ({
  billing: "provisioned",
  writeCapacity: 10,
  readCapacity: 10,
  failoverTimeUs: 10 * secondUs,
  checkpointIntervalUs: 60 * secondUs,
  workers: null,
  warmupUs: 0,
  ...overrides,
});

describe("lease table", () => {
  it("renews every failoverTime / 3 - 25 ms and takes every (failoverTime + 25 ms) x 2", () => {
    expect(leaseRenewalIntervalUs(10 * secondUs)).toBe(3_308_333);
    expect(leaseTakerIntervalUs(10 * secondUs)).toBe(20_050_000);
  });

  it("a provisioned table stores at most 300 s of unused write capacity", () => {
    const table = new LeaseTable(settings());
    let landed = 0;
    // 1,000 s idle at 10 WCU: 3,000 units stored (not 10,000); every checkpoint at once uses them.
    for (let i = 0; i < 3100; i++) if (table.checkpoint(1000 * secondUs)) landed++;
    expect(landed).toBe(3000);
    expect(table.usage(1000 * secondUs).throttledCheckpoints).toBe(100);
  });

  it("renewals beyond the capacity are throttled; a SHARD_END checkpoint lands anyway", () => {
    const table = new LeaseTable(settings({ writeCapacity: 1 }));
    table.addShard(0); // a create and a take: 2 units against 1 in the bucket
    for (let i = 0; i < 9; i++) table.take(0, 1);
    // The create and 10 takes land (the KCL retries them), leaving the bucket 10 units in debt; then
    // 10 leases renew ~3.02 writes/s against 1 WCU for 100 s: 302 renewals, 100 - 10 units for them.
    const usage = table.usage(100 * secondUs);
    expect(usage.throttledRenewals).toBeCloseTo((10 * 100) / 3.308333 - (100 - 10), 3);
    expect(table.checkpoint(100 * secondUs)).toBe(false);
    expect(table.checkpoint(100 * secondUs, true)).toBe(true);
    expect(table.usage(100 * secondUs).checkpointWrites).toBe(1);
  });

  it("an on-demand table is never throttled and counts every write after warm-up", () => {
    const table = new LeaseTable(settings({ billing: "on-demand", warmupUs: 10 * secondUs }));
    table.addShard(0);
    table.addShard(0);
    for (let i = 0; i < 50; i++) expect(table.checkpoint(20 * secondUs)).toBe(true);
    const usage = table.usage(110 * secondUs);
    expect(usage.takeWrites).toBe(0);
    expect(usage.checkpointWrites).toBe(50);
    expect(usage.renewalWrites).toBeCloseTo((2 * 100) / 3.308333, 3);
  });
});
