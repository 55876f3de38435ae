// The consumer autoscaling examples (docs/design.md "Tests and examples"): each runs shortened to just
// past its burst and recovery, and must show what its header says, with every record accounted for and
// the same bytes on a second run.

import { describe, expect, it } from "vitest";
import { buildSummary, summaryJson } from "../../reports/summary.ts";
import { summaryMarkdown } from "../../reports/summary-md.ts";
import type { SystemResult } from "../../sim/metrics/index.ts";
import { runScenario } from "../../sim/run/index.ts";
import { expectRunAccountingCloses } from "../support/accounting.ts";
import { loadExample } from "../support/scenarios.ts";

const minuteUs = 60_000_000;

function run(file: string, durationUs: number) {
  const result = runScenario(loadExample(file, { durationUs }));
  expectRunAccountingCloses(result);
  return result;
}

const codes = (system: SystemResult): string[] => system.findings.map((finding) => finding.code);

describe("autoscaling examples", () => {
  it("sqs-fleet-target-tracking: the burst is drained by scaling out late, and the recovery time is reported", () => {
    // 17 minutes: the burst (5-8 min), the backlog drained by about 15 min.
    const result = run("sqs-fleet-target-tracking.yaml", 17 * minuteUs);
    const [queue] = result.systems;
    const stats = queue.consumers[0].autoscaling!;
    // The burst begins at 300 s; one-minute datapoints at 360, 420 and 480 s are above 200 per consumer:
    // the third scales out, to the maximum (the backlog asks for more), and they work 60 s later.
    expect(stats.activities[0]).toEqual({ atUs: 8 * minuteUs, from: 6, to: 40 });
    expect(stats.cappedAtMax).toBeGreaterThan(0);
    expect(stats.oscillations).toBe(0);
    const [episode] = stats.episodes;
    expect(episode.firstAddedUs).toBe(9 * minuteUs);
    // Recovery: 270,000 messages over 3 minutes, drained by 40 consumers (about 800/s) less the 100/s
    // still arriving: the lag is back under 60 s roughly 9 minutes after it passed it.
    expect(episode.endUs).toBeGreaterThan(0);
    expect((episode.endUs - episode.startUs) / 1e6).toBeGreaterThan(400);
    expect((episode.endUs - episode.startUs) / 1e6).toBeLessThan(700);
    expect(codes(queue)).toEqual(expect.arrayContaining(["autoscaling-late", "autoscaling-recovery"]));
    expect(codes(queue)).not.toContain("autoscaling-not-recovered");
    const summary = buildSummary(result);
    const markdown = summaryMarkdown(summary);
    expect(markdown).toContain("## Consumer autoscaling");
    expect(markdown).toContain("0: 6, 480: 40");
    expect(summary.systems[0].consumers[0].autoscaling?.recovery.recovered).toBe(true);
    // Determinism with autoscaling on: the same bytes again.
    expect(summaryJson(buildSummary(run("sqs-fleet-target-tracking.yaml", 17 * minuteUs)))).toBe(summaryJson(summary));
  });

  it("kafka-keda-lag: replicas past the 4 partitions sit idle and drain the burst no faster", () => {
    // 13 minutes: the burst (4-8 min) and its recovery (by about 11.5 min).
    const [capped, idle] = run("kafka-keda-lag.yaml", 13 * minuteUs).systems;
    const cappedStats = capped.consumers[0].autoscaling!;
    const idleStats = idle.consumers[0].autoscaling!;
    expect(cappedStats.peak).toBe(4);
    expect(idleStats.peak).toBe(12);
    expect(idleStats.peakIdle).toBe(8);
    expect(codes(idle)).toContain("autoscaling-idle-replicas");
    expect(codes(capped)).not.toContain("autoscaling-idle-replicas");
    // The same lag and the same recovery time (within 2%), for more than twice the consumer time and at
    // least as many rebalances (the HPA's 15 s scale-up steps take it from 3 to 12 in one poll).
    const lagMax = (system: SystemResult) => system.consumers[0].lag.max;
    expect(lagMax(idle) / lagMax(capped)).toBeGreaterThan(0.98);
    expect(lagMax(idle) / lagMax(capped)).toBeLessThan(1.02);
    const recovery = (stats: typeof cappedStats) => stats.episodes[0].endUs - stats.episodes[0].startUs;
    expect(recovery(idleStats) / recovery(cappedStats)).toBeGreaterThan(0.98);
    expect(recovery(idleStats) / recovery(cappedStats)).toBeLessThan(1.02);
    expect(idleStats.consumerSecondsAfterWarmup).toBeGreaterThan(2 * cappedStats.consumerSecondsAfterWarmup);
    expect(idleStats.rebalances!).toBeGreaterThanOrEqual(cappedStats.rebalances!);
  });
});
