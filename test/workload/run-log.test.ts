// The retention and trimming steps every log shares (Kinesis shards and Kafka partitions).

import { describe, expect, it } from "vitest";
import { RunLog } from "../../sim/workload/run-log.ts";

/** Runs of 3 records arriving at 0, 10, 20, ... us (sequence numbers 0-2, 3-5, ...). */
function logOf(runs: number): RunLog {
  const log = new RunLog();
  for (let r = 0; r < runs; r++) log.appendRun(r * 10, 3, 300, r * 10, 3 * r * 10);
  return log;
}

describe("RunLog retention and trimming", () => {
  it("firstRunArrivedFrom: the first run at or after the horizon, the end when none", () => {
    const log = logOf(100); // enough to wrap the ring buffer's first capacity
    expect(log.firstRunArrivedFrom(0, 0)).toBe(0);
    expect(log.firstRunArrivedFrom(0, 25)).toBe(3);
    expect(log.firstRunArrivedFrom(0, 30)).toBe(3);
    expect(log.firstRunArrivedFrom(5, 25)).toBe(5); // never moves back
    expect(log.firstRunArrivedFrom(0, 10_000)).toBe(log.tailRun);
    expect(log.seqAtRun(3)).toBe(9);
    expect(log.seqAtRun(log.tailRun)).toBe(log.tailSeq);
  });

  it("dropBefore: drops whole runs entirely before seq, keeps a run seq falls inside", () => {
    const log = logOf(100);
    log.dropBefore(7);
    expect(log.headRun).toBe(2);
    expect(log.headSeq).toBe(6);
    log.dropBefore(9);
    expect(log.headSeq).toBe(9);
    log.dropBefore(Infinity);
    expect(log.retainedRuns).toBe(0);
    expect(log.headSeq).toBe(log.tailSeq);
  });
});
