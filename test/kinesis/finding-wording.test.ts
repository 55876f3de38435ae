// The Kinesis findings' judgement and wording on the figures a new user questioned: a drop of one
// record in millions (a warning, not the run's verdict; docs/results.md), "1 record" in the singular,
// and the advice of no-headroom on an autoscaled or resharded stream.

import { describe, expect, it } from "vitest";
import { droppedSeverity } from "../../sim/metrics/index.ts";
import { kinesisMessages as say } from "../../sim/kinesis/messages.ts";

describe("records-dropped", () => {
  it("is critical from 0.01% of the records produced, a warning below", () => {
    // kinesis-autoscaling-daily's tuned stream: 1 record of 19.9 M.
    expect(droppedSeverity(1, 19_900_000)).toBe("warning");
    expect(droppedSeverity(99, 1_000_000)).toBe("warning");
    expect(droppedSeverity(100, 1_000_000)).toBe("critical");
    expect(droppedSeverity(324_113, 3_600_000)).toBe("critical");
  });

  it("says '1 record ... was', and a share under 0.01% with the digits it needs", () => {
    expect(say.dropped(1, 19_900_000, 30_000, false)).toMatch(/^1 record \(<0\.0001% of those produced\) was dropped when/);
    expect(say.dropped(20, 19_900_000, null, false)).toMatch(/^20 records \(0\.0001% of those produced\) were dropped after/);
    expect(say.dropped(324_113, 3_600_000, null, false)).toMatch(/^324,113 records \(9\.00% of those produced\) were dropped/);
  });
});

describe("no-headroom", () => {
  it("points an autoscaled stream at its policy, not at a manual UpdateShardCount", () => {
    const text = say.noHeadroom(1.173, 8, false, false, { initial: 8, final: 64 }, true);
    expect(text).toContain("of the write capacity of the 8 shards open in its busiest report interval (before retries; those are the count then, not the stream's: it had 8 at the start and 64 at the end)");
    expect(text).toContain("the stream autoscales");
    expect(text).toContain("scaling-too-late");
    expect(text).not.toContain("UpdateShardCount");
  });

  it("keeps the manual advice and the plain count for a stream never resharded", () => {
    const text = say.noHeadroom(1.2, 10, false, false);
    expect(text).toContain("of the write capacity of the 10 open shards in its busiest report interval (before retries), so the stream is saturated");
    expect(text).toContain("add shards (UpdateShardCount) until the mean stays under 80%.");
  });
});
