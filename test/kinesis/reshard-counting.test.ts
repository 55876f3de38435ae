// Shards that open or close inside a report interval count for the part of it they were open. A
// provisioned stream of 2 shards is overloaded evenly (3,600 records/s of uniform keys, 1.8 times its
// capacity) and UpdateShardCount to 3 lands at 62 s: the parents close 2 s into the 60-120 s interval,
// the children open for its other 58 s. Every shard takes a fair share beside the shards open with it
// (uniform keys), so the overload is a sizing problem (no-headroom), not a hot shard; the parents ran
// over their limit for the 62 s they were open, not for two whole intervals; and the stream never had
// more than 3 shards open at once, though 5 existed over the run.

import { beforeAll, describe, expect, it } from "vitest";
import { partitionShares } from "../../reports/partition-shares.ts";
import { chartText } from "../../reports/charts/messages.ts";
import { findingClauses } from "../../reports/comparison-messages.ts";
import { mostOpenAtOnce, shardsOverLimitText } from "../../reports/shard-count-words.ts";
import { summaryMarkdown } from "../../reports/summary-md.ts";
import { buildSummary, type Summary } from "../../reports/summary.ts";
import { fairDemandWithin, type SystemResult } from "../../sim/metrics/index.ts";
import { arrivalsPerShard } from "../../sim/kinesis/findings.ts";
import { runScenario } from "../../sim/run/index.ts";
import { loadInline } from "../support/scenarios.ts";

const text = `name: reshard-counting
seed: 1
duration: 3m
warmup: 0s
report: { interval: 1m }
workload:
  - producer: p
    rate: { recordsPerSecond: 3600, arrivals: uniform }
    recordSize: { distribution: fixed, size: 100B }
    keys: { distribution: uniform, cardinality: 50000, template: "k-{i}" }
systems:
  - name: kds
    kind: kinesis
    capacity: { mode: provisioned, shards: 2 }
    resharding: { updateShardCountTime: 32s }
timeline:
  - { at: 30s, system: kds, action: update-shard-count, shards: 3 }
`;

let system: SystemResult;
let summary: Summary;

beforeAll(() => {
  const result = runScenario(loadInline(text, "test/reshard-counting.yaml"));
  system = result.systems[0];
  summary = buildSummary(result);
}, 60_000);

describe("shards opened or closed inside a report interval", () => {
  it("are laid out as the test assumes: 2 parents closed at 62 s, 3 children open from then, all over their limit", () => {
    const spans = system.partitions.map((partition) => [partition.openedUs / 1e6, partition.closedUs === null ? null : partition.closedUs / 1e6]);
    expect(spans).toEqual([[0, 62], [0, 62], [62, null], [62, null], [62, null]]);
    for (const partition of system.partitions) expect(partition.peakWriteUtilization).toBeGreaterThan(1.1);
  });

  it("make no hot shard of an even overload: parents and children each took a fair share of the shards open beside them", () => {
    // Counting the parents as whole shards in 60-120 s gave the children 1.6 times a fair share each;
    // spreading the interval over its 178 shard-seconds gave the parents 1.5 times theirs.
    expect(system.findings.filter((finding) => finding.code === "hot-shard")).toEqual([]);
    expect(system.findings.map((finding) => finding.code)).toContain("no-headroom");
  });

  it("share the interval's writes with the shards open beside them: the parents' 2 s over 2 shards, the children's 58 s over 3", () => {
    // 60-120 s: 3,600 records/s, evenly spread at every instant, so each shard took its fair part.
    const fair = fairDemandWithin(system.partitions, 60e6, 120e6, 216_000);
    expect([...fair]).toEqual([3600, 3600, 69_600, 69_600, 69_600].map((records) => expect.closeTo(records, 6)));
    // Over the run the parents together took the writes of their 62 s, exactly their fair part (evenly
    // spaced arrivals): counting them as a share of 178 shard-seconds in 60-120 s put them at 1.011.
    const shares = [...partitionShares(system.partitions).values()];
    const together = (group: typeof shares) => group.reduce((sum, entry) => sum + entry.shareOfWrites, 0) / group.reduce((sum, entry) => sum + entry.shareOfWrites / entry.fairShareRatio, 0);
    expect(together(shares.slice(0, 2))).toBeCloseTo(1, 3);
    expect(together(shares.slice(2))).toBeCloseTo(1, 3);
  });

  it("count the time over the write limit only while open: the parents' 62 s, not two whole intervals", () => {
    const seconds = summary.systems[0].partitions.map((partition) => partition.secondsOverWriteLimit);
    // Parents: 0-60 s and their 2 s of 60-120 s; children: the other 58 s and 120-180 s.
    expect(seconds).toEqual([62, 62, 118, 118, 118]);
  });

  it("say how many shards were over their limit out of the most open at once, beside the run's count", () => {
    const markdown = summaryMarkdown(summary);
    expect(markdown).toContain("5 shards over their write limit (of at most 3 open at once, 5 over the run)");
    expect(markdown).not.toContain("5 of 5 shards");
    // The comparison's clause for a hot shard counts the same way.
    expect(findingClauses["hot-shard"]("shardId-000000000002", { peakWriteUtilization: 1.2 }, summary.systems[0])).toContain("throttles 5 shards over their write limit (of at most 3 open at once, 5 over the run), the hottest shardId-000000000002");
  });
});

describe("shard counts of a stream that resharded", () => {
  const spans = [
    ...Array.from({ length: 4 }, () => ({ opened: 0, closed: 902 })),
    ...Array.from({ length: 5 }, () => ({ opened: 902, closed: 1501 })),
    ...Array.from({ length: 3 }, () => ({ opened: 1501, closed: null })),
  ];

  it("count the most open at once, parents closing the instant their children open", () => {
    expect(mostOpenAtOnce(spans)).toBe(5);
    expect(shardsOverLimitText(3, spans)).toBe("3 shards over their write limit (of at most 5 open at once, 12 over the run)");
    expect(shardsOverLimitText(3, spans.slice(0, 4).map((span) => ({ ...span, closed: null })))).toBe("3 of 4 shards over their write limit");
  });

  it("say both counts in the heatmap's and the traffic share's captions", () => {
    const heatmap = chartText.writeUtilization.caption([{ system: "kds", kafka: false, shown: 40, total: 120, mostOpen: 64 }], { kinesis: null, kafka: null });
    expect(heatmap).toContain("kds: 40 of the run's 120 shards (at most 64 open at once) shown");
    const share = chartText.trafficShare.caption([{ system: "kds", coefficientOfVariation: 0.1, shown: 40, total: 120, mostOpen: 64 }]);
    expect(share).toContain("kds: the 40 busiest of the run's 120 shards (at most 64 open at once) shown.");
    expect(chartText.trafficShare.caption([{ system: "msk", coefficientOfVariation: 0.1, shown: 40, total: 120, mostOpen: null }])).toContain("msk: the 40 busiest of 120 shown.");
  });
});

describe("fair parts of an interval's writes", () => {
  it("are 1/n of n partitions open throughout, and none for a partition closed before it", () => {
    const span = (openedUs: number, closedUs: number | null) => ({ openedUs, closedUs });
    expect([...fairDemandWithin([span(0, null), span(0, null), span(0, null)], 0, 60e6, 300)]).toEqual([100, 100, 100]);
    expect([...fairDemandWithin([span(0, 10e6), span(10e6, null), span(10e6, null)], 60e6, 120e6, 300)]).toEqual([0, 150, 150]);
  });
});

describe("arrivals per shard", () => {
  it("count each shard for the time it was open: 2 shards for 62 s, then 3 for 118 s, over a 3-minute run", () => {
    const partition = (openedUs: number, closedUs: number | null) => ({ openedUs, closedUs }) as SystemResult["partitions"][number];
    const partitions = [partition(0, 62e6), partition(0, 62e6), partition(62e6, null), partition(62e6, null), partition(62e6, null)];
    // 2 x 62 + 3 x 118 = 478 shard-seconds; 478,000 records accepted: 1,000 a shard-second. Dividing by
    // the 3 shards open at the end, as before, gave 478,000 / 180 / 3 = 885.
    expect(arrivalsPerShard({ partitions, records: { accepted: 478_000 } as SystemResult["records"] }, { durationUs: 180e6 })).toBeCloseTo(1000, 9);
  });
});
