// The autoscaling chart and table of an autoscaled run: the chart draws one line per count it shows
// (working and asked for; Kafka's idle members when there are some) and one lag line per consumer, and
// is left out of runs without autoscaling; the table lists the count over time.

import { describe, expect, it } from "vitest";
import { consumerAutoscalingChart } from "../../reports/charts/consumer-autoscaling.ts";
import { renderSvg } from "../../reports/charts/render.ts";
import { consumerAutoscalingTable } from "../../reports/consumer-autoscaling-table.ts";
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
    expect(table[0]["count over time (s: consumers)"]).toBe("0: 6, 480: 40");
  });

  it("are left out of a run without autoscaled consumers", () => {
    const result = runScenario(loadExample("sqs-standard-uniform.yaml", { durationUs: minuteUs }));
    expect(consumerAutoscalingChart(result.systems, result.scenario.warmupUs)).toBeNull();
    expect(consumerAutoscalingTable(buildSummary(result).systems)).toBeNull();
  });
});
