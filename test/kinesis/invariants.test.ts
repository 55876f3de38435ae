// Shards and their logs check their own state: each test breaks one rule directly on the component and
// expects the InvariantError naming it.

import { describe, expect, it } from "vitest";
import { InvariantError } from "../../sim/engine/index.ts";
import { evenHashRanges } from "../../sim/kinesis/hash.ts";
import { Shard } from "../../sim/kinesis/shard.ts";
import { RunLog } from "../../sim/workload/index.ts";

const seriesOptions = { intervalUs: 1_000_000, endUs: 60_000_000 };
const shardOf = (): Shard => new Shard(0, evenHashRanges(1)[0], [], 0, 1_048_576, seriesOptions);

describe("Kinesis shard", () => {
  it("appends, flushes and wakes its readers once per request", () => {
    const shard = shardOf();
    let woken = 0;
    shard.appendListeners.push(() => woken++);
    expect(shard.touch(1)).toBe(true);
    expect(shard.touch(1)).toBe(false);
    expect(shard.offerWrite(1_000, 100)).toBe(true);
    shard.append(1, 1_000, 100, 900, 1_000);
    shard.append(1, 1_000, 100, 950, 1_000);
    shard.flushRequest(1_000);
    expect(woken).toBe(1);
    expect(shard.acceptedRecords).toBe(2);
    expect(shard.log.retainedRuns).toBe(1);
  });

  it("is closed once, wakes its readers, and then refuses writes", () => {
    const shard = shardOf();
    let woken = 0;
    shard.appendListeners.push(() => woken++);
    shard.close(5_000);
    expect(shard.closedUs).toBe(5_000);
    expect(woken).toBe(1);
    expect(() => shard.close(6_000)).toThrow(/a shard is closed once/);
    expect(() => shard.offerWrite(6_000, 100)).toThrow(/a closed shard takes no writes/);
  });

  it("finds a record written to its log behind its back", () => {
    const shard = shardOf();
    shard.log.append(1_000, 100, 900);
    shard.touch(1);
    expect(() => shard.flushRequest(1_000)).toThrow(/every record a shard accepted is in its log/);
  });

  it("moves retention forward", () => {
    const shard = shardOf();
    shard.append(1, 1_000, 100, 900, 0);
    shard.append(2, 5_000, 100, 4_900, 0);
    shard.expire(2_000);
    expect(shard.expiredSeq).toBe(1);
    shard.expire(1_000);
    expect(shard.expiredSeq).toBe(1);
  });
});

describe("run log", () => {
  it("refuses records out of arrival order, a record with no run to join, and a cut below what it retains", () => {
    const log = new RunLog();
    expect(() => log.extend(10, 0)).toThrow(/joins the newest run of a log that has one/);
    log.append(2_000, 10, 1_900);
    expect(() => log.append(1_000, 10, 900)).toThrow(/a log takes runs in arrival order/);
    log.append(3_000, 10, 2_900);
    log.dropBefore(1);
    expect(log.headSeq).toBe(1);
    expect(() => log.truncateTo(0)).toThrow(InvariantError);
    log.truncateTo(1);
    expect(log.tailSeq).toBe(1);
  });

  it("drops only runs wholly before the position", () => {
    const log = new RunLog();
    log.appendRun(1_000, 3, 30, 900, 2_700);
    log.appendRun(2_000, 3, 30, 1_900, 5_700);
    log.dropBefore(4);
    expect(log.headSeq).toBe(3);
    log.dropBefore(100);
    expect(log.retainedRuns).toBe(0);
    expect(log.headSeq).toBe(6);
  });
});
