// The autoscaling chart and table of an autoscaled run: the chart draws one line per count it shows
// (working and asked for; Kafka's idle members when there are some) and one lag line per consumer, and
// is left out of runs without autoscaling; the table lists the count asked for over time, Kafka's idle
// members with the member count, and the recovery time as the finding writes it.

import { describe, expect, it } from "vitest";
import { consumerAutoscalingChart } from "../../reports/charts/consumer-autoscaling.ts";
import { renderSvg } from "../../reports/charts/render.ts";
import { consumerAutoscalingTable, idleText } from "../../reports/consumer-autoscaling-table.ts";
import { autoscalingMessages } from "../../sim/autoscaling/index.ts";
import { buildSummary } from "../../reports/summary.ts";
import { runScenario } from "../../sim/run/index.ts";
import { loadExample } from "../support/scenarios.ts";
import { axisTitles, chartTitles, drawnMarks } from "./headline.ts";

const minuteUs = 60_000_000;

describe("autoscaling chart and table", () => {
  it("draw the fleet's count (working, asked for) above its lag, and list the count over time", async () => {
    const result = runScenario(loadExample("sqs-fleet-target-tracking.yaml", { durationUs: 12 * minuteUs }));
    const chart = consumerAutoscalingChart(result.systems, result.scenario.warmupUs)!;
    expect(chart.marks).toEqual({ markClass: "mark-line", count: 3 });
    const svg = await renderSvg(chart.spec);
    expect(chartTitles(svg)).toContain(chart.spec.title);
    for (const title of ["consumers", "lag (s)", "time since start (min)"]) expect(axisTitles(svg)).toContain(title);
    expect(drawnMarks(svg, "mark-line")).toBe(3);
    expect(svg).not.toContain("idle beyond partitions");
    const table = consumerAutoscalingTable(buildSummary(result).systems)!.objects() as Array<Record<string, string>>;
    // The activities' counts are what the policy asked for (the first consumer works only at 540 s): the header says so.
    expect(table[0]["consumers asked for over time (s: count)"]).toBe("0: 6, 480: 40");
    expect(Object.keys(table[0]).some((header) => /^count over time/.test(header))).toBe(false);
  });

  it("say the idle members with the member count, and the recovery time as the finding writes it", () => {
    const autoscaling = {
      policy: "keda", target: 3000, metric: "lag per replica", initial: 2, peak: 12, final: 2, min: 2, max: 12,
      activities: [{ atSeconds: 30, to: 3 }, { atSeconds: 270, to: 12 }], scaleOuts: 2, scaleIns: 0, oscillations: 0,
      partitions: 4, peakIdle: 8, rebalances: 3, consumerHours: 2.62,
      recovery: { lagThresholdSeconds: 60, longestSeconds: 335.7, recovered: true, episodes: [{ startSeconds: 354.8, endSeconds: 690.5 }] },
    };
    const systems = [{ name: "idle-allowed", consumers: [{ name: "sessions", autoscaling }] }] as unknown as Parameters<typeof consumerAutoscalingTable>[0];
    const row = (consumerAutoscalingTable(systems)!.objects() as Array<Record<string, string>>)[0];
    expect(row["idle beyond partitions (peak)"]).toBe("8 idle (12 members on 4 partitions)");
    expect(row["recovery time (lag under 60 s)"]).toBe("335.7 s");
    expect(autoscalingMessages.recovered("sessions", 1, 335.7, 354.8, 60, 153.1)).toContain("recovery time 335.7 s");
    expect(idleText(0, 4)).toBe("none (4 partitions)");
  });

  it("are left out of a run without autoscaled consumers", () => {
    const result = runScenario(loadExample("sqs-standard-uniform.yaml", { durationUs: minuteUs }));
    expect(consumerAutoscalingChart(result.systems, result.scenario.warmupUs)).toBeNull();
    expect(consumerAutoscalingTable(buildSummary(result).systems)).toBeNull();
  });
});
