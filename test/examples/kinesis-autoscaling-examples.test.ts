// kinesis-autoscaling-daily exists to show alarm-driven scaling lagging a morning ramp (the AWS
// sample's alarms) beside a tuned policy that keeps ahead of it (docs/reference.md §1.10). Run to
// 08:00, two hours into the ramp (two streams, about 2.6 M records of 64 KiB each: about 4 s of CPU
// alone, the shortest run that holds both of the sample's scale-outs), it must show what its comment
// lines say, with the accounting of both streams closing.

import { beforeAll, describe, expect, it } from "vitest";
import { buildCharts, renderCharts } from "../../reports/charts/index.ts";
import { buildSummary } from "../../reports/summary.ts";
import { resultOfKind, type KinesisResult } from "../../sim/metrics/index.ts";
import { runScenario, type ScenarioResult } from "../../sim/run/index.ts";
import { expectRunAccountingCloses } from "../support/accounting.ts";
import { loadExample } from "../support/scenarios.ts";
import { drawnMarks } from "../reports/headline.ts";

const minuteUs = 60_000_000;
const hourUs = 60 * minuteUs;

let result: ScenarioResult;
let defaults: KinesisResult;
let tuned: KinesisResult;

beforeAll(() => {
  result = runScenario(loadExample("kinesis-autoscaling-daily.yaml", { durationUs: 8 * hourUs }));
  defaults = resultOfKind(result.systems[0], "kinesis");
  tuned = resultOfKind(result.systems[1], "kinesis");
}, 300_000);

const codes = (system: KinesisResult) => system.findings.map((finding) => finding.code);

describe("kinesis-autoscaling-daily", () => {
  it("closes its accounting on both streams", () => {
    expectRunAccountingCloses(result);
  });

  it("defaults: the AWS sample's alarms fire 26 minutes after the ramp passes 75%, and writes throttle meanwhile", () => {
    // 8 shards take 8 MiB/s; 75% of it is 6 MiB/s, 96 records/s of 64 KiB, which the ramp (64 -> 384
    // records/s over 06:00-09:00) passes at 06:18. The 5-minute period 06:15-06:20 averages less; the
    // five periods from 06:20 breach, the last ends at 06:45, and its datapoint arrives a minute later.
    const first = defaults.autoscaling!.actions[0];
    expect([first.direction, first.fromShards, first.toShards, first.outcome]).toEqual(["out", 8, 16, "done"]);
    expect(first.atUs).toBe(6 * hourUs + 46 * minuteUs);
    expect(defaults.autoscaling!.throttledSecondsBeforeAlarm).toBeGreaterThan(10 * 60);
    expect(codes(defaults)).toContain("scaling-too-late");
    // Its no-headroom finding points at the policy (the stream autoscales), not at a manual
    // UpdateShardCount, and gives its 8 shards as the count in that interval, beside the end's.
    const headroom = defaults.findings.find((finding) => finding.code === "no-headroom")!;
    expect(headroom.message).toContain("the stream autoscales");
    expect(headroom.message).not.toContain("UpdateShardCount");
    expect(headroom.message).toContain(`those are the count then, not the stream's: it had 8 at the start and ${defaults.partitions.filter((p) => p.closedUs === null).length} at the end`);
    // Every call doubles (the sample's step), within UpdateShardCount's rule.
    for (const action of defaults.autoscaling!.actions) expect(action.toShards).toBe(2 * action.fromShards);
  });

  it("tuned: 1-minute alarms with a step to 40% keep ahead of the ramp", () => {
    const stats = tuned.autoscaling!;
    expect(stats.scaleOutReactionUs).toBe(4 * minuteUs);
    expect(stats.throttledSecondsBeforeAlarm).toBeLessThan(60);
    expect(codes(tuned)).not.toContain("scaling-too-late");
    expect(stats.actions.every((action) => action.outcome === "done" && action.direction === "out")).toBe(true);
    // It calls sooner and more often than the sample's alarms, yet within the day's 10 calls.
    expect(stats.actions[0].atUs).toBeLessThan(defaults.autoscaling!.actions[0].atUs);
    expect(stats.actions.length).toBeGreaterThan(defaults.autoscaling!.actions.length);
    expect(stats.actions.length).toBeLessThanOrEqual(10);
    expect(tuned.records.throttledAttempts).toBeLessThan(defaults.records.throttledAttempts / 100);
  });

  it("summary.json carries each stream's calls and open shards over time; the report charts shards against demand", async () => {
    const summary = buildSummary(result);
    const [a, b] = summary.systems.map((system) => system.autoscaling!);
    expect(a.shardCount[0]).toEqual({ atSeconds: 0, openShards: 8 });
    expect(a.shardCount.map((step) => step.openShards)).toEqual([8, 16, 32]);
    expect(b.scaleOuts).toBe(tuned.autoscaling!.actions.length);
    // Shard-hours follow the scaling: the open count integrated over the priced window (after warm-up),
    // projected to a 720-hour month, is the shard-hours line of each stream's cost.
    const windowStartS = 5 * 60;
    const endS = 8 * 3600;
    for (const system of summary.systems) {
      const steps = system.autoscaling!.shardCount;
      let shardSeconds = 0;
      steps.forEach((step, i) => {
        const from = Math.max(step.atSeconds, windowStartS);
        const to = i + 1 < steps.length ? steps[i + 1].atSeconds : endS;
        if (to > from) shardSeconds += step.openShards * (to - from);
      });
      const monthly = (shardSeconds / 3600) * (720 / ((endS - windowStartS) / 3600));
      const line = system.cost!.lineItems.find((item) => item.item === "shard-hours");
      expect(line!.quantity, system.name).toBeCloseTo(monthly, 3);
    }
    const chart = buildCharts(result, summary).find((candidate) => candidate.name === "autoscaling");
    expect(chart).toBeDefined();
    // Two streams, each an open-shards line and a demand line.
    expect(chart!.marks).toEqual({ markClass: "mark-line", count: 4 });
    const [rendered] = await renderCharts([chart!]);
    expect(drawnMarks(rendered.svg, "mark-line")).toBe(4);
  }, 120_000);
});
