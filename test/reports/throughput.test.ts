// The throughput chart's offered line is the workload's demand: every system fed by one workload is
// offered the same records per second (first attempts, each record once, at its creation), drawn as
// one line for all of them; the records a system sent again are their own line, equal to its attempts
// less its first attempts (counted independently by each Kinesis shard: every attempt, and first
// attempts only).

import { renderCharts } from "../../reports/charts/index.ts";
import { beforeAll, describe, expect, it } from "vitest";
import { throughputChart } from "../../reports/charts/throughput.ts";
import { chartText } from "../../reports/charts/messages.ts";
import type { SystemResult } from "../../sim/metrics/index.ts";
import { runScenario, type ScenarioResult } from "../../sim/run/index.ts";
import { loadScenarioFile } from "../../sim/scenario/index.ts";
import { runHeadline } from "./headline.ts";

interface Row {
  system: string;
  measure: string;
  minute: number;
  recordsPerSecond: number;
}

function chartRows(result: ScenarioResult): Row[] {
  const chart = throughputChart(result.systems)!;
  return (chart.spec as { data: { values: Row[] } }).data.values;
}

function line(rows: Row[], system: string, measure: string): Array<[number, number]> {
  return rows.filter((row) => row.system === system && row.measure === measure).map((row) => [row.minute, row.recordsPerSecond]);
}

describe("throughput chart: offered is demand, retries apart", () => {
  let threeSystems: ScenarioResult;
  let headline: ScenarioResult;

  beforeAll(() => {
    const loaded = loadScenarioFile("scenarios/three-systems.yaml", { durationUs: 180_000_000 });
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues));
    threeSystems = runScenario(loaded.scenario);
    headline = runHeadline();
  }, 120_000);

  it("offers Kinesis, Kafka and SQS fed by one workload the same records per second, drawn as one line", () => {
    const [kds, msk, queue] = threeSystems.systems;
    const perInterval = (system: SystemResult) => Array.from({ length: system.series.ProducedRecords.intervalCount }, (_, i) => system.series.ProducedRecords.sumAt(i));
    expect(perInterval(kds).length).toBe(3);
    expect(perInterval(msk)).toEqual(perInterval(kds));
    expect(perInterval(queue)).toEqual(perInterval(kds));
    for (const system of threeSystems.systems) expect(system.series.ProducedRecords.total).toBe(system.records.produced);
    const rows = chartRows(threeSystems);
    expect(rows.filter((row) => row.measure === "offered").map((row) => row.system)).toEqual(Array(4).fill(chartText.throughput.everySystem));
    expect(line(rows, chartText.throughput.everySystem, "offered").slice(0, 3).map(([, perSecond]) => perSecond * 60)).toEqual(perInterval(kds));
    // Every system accepted all it was offered and nothing was throttled: the caption says which lines hide which.
    expect(throughputChart(threeSystems.systems)!.caption).toBe(
      chartText.throughput.caption(true, true, true) +
        " Within 1% of the chart's height, the accepted lines of kds, msk and queue lie on one another and on the offered line; at zero throughout: retries of kds, msk and queue, throttled of kds and msk.",
    );
  });

  it("offers a throttled Kinesis stream and an unthrottled Kafka topic the same records (retries left out)", () => {
    const [kds, msk] = headline.systems;
    expect(kds.records.throttledAttempts).toBeGreaterThan(0);
    for (let i = 0; i < 2; i++) expect(msk.series.ProducedRecords.sumAt(i)).toBe(kds.series.ProducedRecords.sumAt(i));
    expect(line(chartRows(headline), chartText.throughput.everySystem, "offered")).toHaveLength(3);
  });

  it("gives throttled attempts a panel of their own on a symlog axis, so a few a second show beside thousands", () => {
    const chart = throughputChart(headline.systems)!;
    const [records, throttled] = (chart.spec as unknown as { vconcat: Array<{ transform: Array<{ filter: string }>; encoding: { y: { title: unknown; scale?: { type: string; domain: number[] }; axis?: { values: number[] } } } }> }).vconcat;
    expect(records.transform[0].filter).toBe("datum.measure !== 'throttled'");
    expect(records.encoding.y.scale).toBeUndefined();
    expect(throttled.transform[0].filter).toBe("datum.measure === 'throttled'");
    expect(throttled.encoding.y.scale!.type).toBe("symlog");
    // kds throttles ~2,500 attempts a second in the headline: the axis reaches the next power of ten, ticked at each.
    expect(throttled.encoding.y.scale!.domain).toEqual([0, 10_000]);
    expect(throttled.encoding.y.axis!.values).toEqual([0, 1, 10, 100, 1_000, 10_000]);
    expect(chart.caption).toContain("Throttled attempts have the lower panel to themselves, on a symlog axis");
  });

  it("draws every line at its true values, coinciding lines told apart by width and dash phase, never by a pixel offset", async () => {
    // three-systems: kds, msk and queue accept all they are offered, so their accepted lines have equal values.
    const chart = throughputChart(threeSystems.systems)!;
    type Mark = { yOffset?: number; strokeWidth: number; strokeDashOffset: number };
    const [records] = (chart.spec as unknown as { vconcat: Array<{ layer: Array<{ transform: Array<{ filter: { equal: string } }>; mark: Mark }> }> }).vconcat;
    expect(records.layer.map((layer) => layer.transform[0].filter.equal)).toEqual([chartText.throughput.everySystem, "kds", "msk", "queue"]);
    // An offset of even 2 px moves a line off its value (at zero it draws below the axis).
    expect(records.layer.map((layer) => layer.mark.yOffset)).toEqual([undefined, undefined, undefined, undefined]);
    const widths = records.layer.map((layer) => layer.mark.strokeWidth);
    expect([...widths].sort((a, b) => b - a)).toEqual(widths);
    expect(new Set(widths).size).toBe(4);
    expect(new Set(records.layer.map((layer) => layer.mark.strokeDashOffset)).size).toBe(4);
    expect(chart.caption).toContain("Every line is drawn at its true values");
    expect(chart.caption).not.toContain("pixel");
    // Rendered, no line is translated off its values.
    const svg = (await renderCharts([chart]))[0].svg;
    expect(svg).not.toMatch(/class="mark-line[^"]*"[^>]*transform="translate\(0,\s*-?\d/);
  });

  it("draws retries as their own line: the shards' attempts less their first attempts", () => {
    const rows = chartRows(headline);
    const kds = headline.systems.find((system) => system.name === "kds")!;
    const retries = line(rows, "kds", "retries");
    // Two 60 s columns (the third point repeats the last to end the step line).
    expect(retries).toHaveLength(3);
    for (let i = 0; i < 2; i++) {
      const attempts = kds.partitions.reduce((sum, partition) => sum + partition.series.offeredRecords.sumAt(i), 0);
      const firstAttempts = kds.partitions.reduce((sum, partition) => sum + partition.series.demandRecords.sumAt(i), 0);
      expect(attempts - firstAttempts).toBeGreaterThan(0);
      expect(retries[i][1] * 60).toBeCloseTo(attempts - firstAttempts, 6);
    }
    // Kafka took every record on the first attempt here: its retries line is flat at zero.
    expect(line(rows, "msk", "retries").every(([, perSecond]) => perSecond === 0)).toBe(true);
  });
});
