// The lanes by partition key of a Lambda mapping's shard reader (docs/reference.md §6.2): a key's lane
// is a fixed hash of the key, the same in every run; a lane sees the shard only through its own
// records, so poison marks, retention and lane-local positions translate to and from the shard's
// sequence numbers without mixing lanes.

import { describe, expect, it } from "vitest";
import { Simulation } from "../../sim/engine/index.ts";
import { KeyLane, laneOfKey, WrittenLanes, type KeyLaneHost } from "../../sim/kinesis/lambda-key-lanes.ts";
import type { LambdaFunction, MappingSettings } from "../../sim/lambda/index.ts";
import { RunLog } from "../../sim/workload/index.ts";

describe("laneOfKey", () => {
  it("gives a key the same lane every time, with known values that must not drift between versions", () => {
    // Pinned: a change of hash would move keys between lanes and change every run with a factor above 1.
    expect(["device-1", "device-2", "device-3", "hot-device"].map((key) => laneOfKey(key, 4))).toEqual([1, 0, 3, 1]);
    expect(laneOfKey("", 4)).toBe(0x811c9dc5 % 4);
    // FNV-1a of "a": 0xe40c292c.
    expect(laneOfKey("a", 10)).toBe(0xe40c292c % 10);
  });

  it("spreads 40,000 keys evenly over 4 lanes (each within 2% of a quarter: binomial sd 0.2%)", () => {
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 40_000; i++) counts[laneOfKey(`k-${i}`, 4)]++;
    for (const count of counts) expect(Math.abs(count / 10_000 - 1), counts.join(",")).toBeLessThan(0.02);
  });
});

describe("WrittenLanes", () => {
  it("keeps each written record's lane until the reader takes it", () => {
    const written = new WrittenLanes();
    for (let seq = 0; seq < 3000; seq++) written.written(seq, seq % 3);
    expect(written.laneAt(2999)).toBe(2);
    written.dropBefore(2000);
    expect(written.laneAt(2000)).toBe(2000 % 3);
    expect(() => written.laneAt(1999)).toThrow();
  });
});

/** A lane holding the shard records `seqs` (the lane's share of seq 0..99, one record per run), with poison at `poison`. */
function laneOver(seqs: number[], poison: number[], expiredSeq = 0) {
  const log = new RunLog();
  for (let seq = 0; seq < 100; seq++) log.append(seq * 1000, 100, seq * 1000);
  const counted = { expired: 0 };
  const host: KeyLaneHost = {
    settings: {} as MappingSettings,
    fn: {} as LambdaFunction,
    log,
    warmupUs: 0,
    retainedFromSeq: () => expiredSeq,
    poisonIn: (start, end) => poison.find((seq) => seq >= start && seq < end) ?? Infinity,
    invoked: () => {},
    succeeded: () => {},
    latency: () => {},
    onGivenUp: () => {},
    onExpired: (records) => (counted.expired += records),
    onRerun: () => {},
    onLaneIdle: () => {},
  };
  const lane = new KeyLane(new Simulation(), host);
  for (const seq of seqs) lane.push(seq);
  return { lane, counted };
}

describe("KeyLane", () => {
  const seqs = [1, 4, 7, 10, 13, 16];

  it("finds its own poison record by lane-local position and skips other lanes' poison", () => {
    expect(laneOver(seqs, [5, 8, 13]).lane.poisonIn(0, 6)).toBe(4);
    expect(laneOver(seqs, [5, 8, 13]).lane.poisonIn(0, 4)).toBe(Infinity);
    expect(laneOver(seqs, [2, 3, 5, 6, 8, 9, 11]).lane.poisonIn(0, 6)).toBe(Infinity);
    expect(laneOver(seqs, [1]).lane.poisonIn(1, 6)).toBe(Infinity);
  });

  it("translates retention and record age into lane-local positions", () => {
    expect(laneOver(seqs, [], 8).lane.retainedFromSeq()).toBe(3);
    expect(laneOver(seqs, [], 100).lane.retainedFromSeq()).toBe(6);
    // Record seq arrived at seq x 1 ms: those from 9 ms on start at the lane's record 10, position 3.
    expect(laneOver(seqs, []).lane.arrivedFromSeq(0, 6, 9000)).toBe(3);
  });

  it("counts waiting records retention took as expired and never sends them", () => {
    const { lane, counted } = laneOver(seqs, []);
    lane.expireWaiting(11);
    expect(counted.expired).toBe(4);
    expect(lane.buffered).toBe(2);
    expect(lane.oldestSeq()).toBe(13);
  });

  it("measures a batch by its own records' bytes, at least one record", () => {
    const { lane } = laneOver(seqs, []);
    const out = { count: 0, bytes: 0, lastArrivalUs: -1 };
    // Far below the limit, the bytes of the runs the batch spans (seq 1 to 10) bound it.
    expect(lane.measureBatch(4, 1e9, out)).toEqual({ count: 4, bytes: 1000, lastArrivalUs: 10_000 });
    expect(lane.measureBatch(4, 400, out)).toEqual({ count: 4, bytes: 400, lastArrivalUs: 10_000 });
    expect(lane.measureBatch(4, 250, out).count).toBe(2);
    expect(lane.measureBatch(4, 50, out).count).toBe(1);
  });
});
