// Every chart of a report, in reading order. A chart whose data is empty is left out (never drawn
// empty): no cost chart without cost data, no lag chart without consumers.

import type { ScenarioResult } from "../../sim/run/index.ts";
import { systemCosts } from "../costs.ts";
import type { Summary } from "../summary.ts";
import type { Chart } from "./common.ts";
import { freshnessChart, objectSizeChart } from "../firehose-charts.ts";
import { costChart, costRetention } from "./cost.ts";
import { lagChart } from "./lag.ts";
import { autoscalingChart } from "./autoscaling.ts";
import { flinkChart } from "./flink.ts";
import { lambdaChart } from "./lambda.ts";
import { consumerAutoscalingChart } from "./consumer-autoscaling.ts";
import { latencyCdfChart } from "./latency-cdf.ts";
import { renderSvg } from "./render.ts";
import { throughputChart } from "./throughput.ts";
import { trafficShareChart } from "./traffic-share.ts";
import { writeUtilizationChart } from "./write-utilization.ts";

export type { Chart } from "./common.ts";

export interface RenderedChart {
  chart: Chart;
  svg: string;
}

export function buildCharts(result: ScenarioResult, summary: Summary): Chart[] {
  const systems = result.systems;
  const charts = [
    throughputChart(systems),
    writeUtilizationChart(systems),
    autoscalingChart(systems),
    trafficShareChart(systems),
    lagChart(systems, result.scenario.warmupUs),
    lambdaChart(systems, result.scenario.warmupUs),
    consumerAutoscalingChart(systems, result.scenario.warmupUs),
    flinkChart(systems, result.scenario.warmupUs),
    latencyCdfChart(systems),
    freshnessChart(systems, result.scenario.warmupUs),
    objectSizeChart(systems),
    costChart(systemCosts(summary), summary.systems.map((system) => system.name), costRetention(summary)),
  ];
  return charts.filter((chart): chart is Chart => chart !== null);
}

export async function renderCharts(charts: Chart[]): Promise<RenderedChart[]> {
  const rendered: RenderedChart[] = [];
  for (const chart of charts) rendered.push({ chart, svg: localizeIds(await renderSvg(chart.spec), chart.name) });
  return rendered;
}

/**
 * vega numbers gradient and clip-path ids from counters global to the process, so the same chart
 * rendered twice differs and two charts inlined into one page could collide. Renumbered per chart
 * under its name, the ids are both unique in report.html and the same on every run.
 */
export function localizeIds(svg: string, chartName: string): string {
  const renamed = new Map<string, string>();
  for (const match of svg.matchAll(/\sid="([^"]+)"/g)) {
    if (!renamed.has(match[1])) renamed.set(match[1], `${chartName}-${renamed.size}`);
  }
  return svg
    .replace(/(\sid=")([^"]+)"/g, (_, prefix: string, id: string) => `${prefix}${renamed.get(id)}"`)
    .replace(/url\(#([^)]+)\)/g, (whole, id: string) => (renamed.has(id) ? `url(#${renamed.get(id)})` : whole));
}
