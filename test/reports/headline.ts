// The headline example (scenarios/iot-zipf-keys.yaml: a zipf-keyed Kinesis stream beside a Kafka
// topic) run for two minutes: two 1-minute report intervals, enough for every chart to have data.

import { join } from "node:path";
import { runScenario, type ScenarioResult } from "../../sim/run/index.ts";
import { loadScenarioFile, type Scenario } from "../../sim/scenario/index.ts";

export const headlineFile = join("scenarios", "iot-zipf-keys.yaml");
export const headlineDurationUs = 120_000_000;

export function loadHeadline(): Scenario {
  const loaded = loadScenarioFile(headlineFile, { durationUs: headlineDurationUs });
  if (!loaded.ok) throw new Error(`${headlineFile} does not load: ${JSON.stringify(loaded.issues)}`);
  return loaded.scenario;
}

export function runHeadline(): ScenarioResult {
  return runScenario(loadHeadline());
}

/** Items drawn per vega mark class: vega writes each mark as <g class="mark-TYPE role-mark ..."> holding one <path> per item. */
export function drawnMarks(svg: string, markClass: string): number {
  let count = 0;
  // An empty mark is a self-closing <g .../>: it draws nothing, and must not swallow the next group.
  for (const group of svg.matchAll(/<g class="([a-z-]+) role-mark[^"]*"[^>]*?(\/?)>((?:(?!<g class="[a-z-]+ role-mark).)*?)(?:<\/g>|$)/gs)) {
    if (group[1] === markClass && group[2] !== "/") count += (group[3].match(/<path/g) ?? []).length;
  }
  return count;
}

/** The texts of the axis titles, in drawing order. */
export function axisTitles(svg: string): string[] {
  return [...svg.matchAll(/<g class="mark-text role-axis-title"[^>]*>(.*?)<\/g>/gs)].flatMap((group) =>
    [...group[1].matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((text) => text[1]),
  );
}

/** Texts of the title marks: the chart's title, and a faceted chart's header title too. */
export function chartTitles(svg: string): string[] {
  return [...svg.matchAll(/<g class="mark-text role-title-text"[^>]*>(.*?)<\/g>/gs)].flatMap((group) =>
    [...group[1].matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((text) => text[1]),
  );
}
