// Each chart of the headline example: its title, axis titles with units, and exactly as many drawn
// marks as the run's data makes (counted by hand from the scenario, not from the chart's own data),
// so a chart that draws nothing, or draws the wrong thing, fails. Cost charts from a fixture.

import { beforeAll, describe, expect, it } from "vitest";
import { buildCharts, renderCharts, type RenderedChart } from "../../reports/charts/index.ts";
import { durationUnit, intervalsPerColumn, logTicks, systemShades, timeColumnsMax, timeX } from "../../reports/charts/common.ts";
import { axisTopUsd, costChart, placeTickLabels } from "../../reports/charts/cost.ts";
import { cdfRows, latencyCdfChart } from "../../reports/charts/latency-cdf.ts";
import { lagChart } from "../../reports/charts/lag.ts";
import { throughputChart } from "../../reports/charts/throughput.ts";
import { fairShares, trafficShareChart, trafficSharePartitionsMax } from "../../reports/charts/traffic-share.ts";
import { CounterSeries, GaugeSeries, LogHistogram, type SystemResult } from "../../sim/metrics/index.ts";
import { heatmapPartitionsMax, writeUtilizationChart } from "../../reports/charts/write-utilization.ts";
import { renderSvg } from "../../reports/charts/render.ts";
import { dejaVuWidthPx } from "../../reports/charts/text-width.ts";
import { buildSummary, type Summary } from "../../reports/summary.ts";
import type { ScenarioResult } from "../../sim/run/index.ts";
import { axisTitles, chartTitles, drawnMarks, runHeadline } from "./headline.ts";
import { costFixture } from "./cost-fixture.ts";
import { monthlyUsdText } from "../../reports/costs.ts";
import { round, utilizationText } from "../../reports/numbers.ts";

let result: ScenarioResult;
let summary: Summary;
let charts: RenderedChart[];
const byName = (name: string) => {
  const found = charts.find((chart) => chart.chart.name === name);
  if (found === undefined) throw new Error(`no ${name} chart among ${charts.map((chart) => chart.chart.name).join(", ")}`);
  return found;
};

beforeAll(async () => {
  result = runHeadline();
  summary = buildSummary(result);
  charts = await renderCharts(buildCharts(result, summary));
}, 60_000);

// iot-zipf-keys: kds has 10 shards and one consumer, msk 12 partitions and one group; 2 min at 1 min
// report intervals gives 2 time columns.
const kdsShards = 10;
const mskPartitions = 12;
const intervals = 2;

describe("headline charts", () => {
  it("are the six charts that have data, in reading order (the headline run is priced, so cost is one)", () => {
    expect(charts.map((chart) => chart.chart.name)).toEqual(["throughput", "write-utilization", "traffic-share", "lag", "latency-cdf", "cost"]);
  });

  it.each([
    // One offered line both systems share (one workload), and per system retries, accepted, throttled.
    // A 2-minute run reads its time in seconds.
    ["throughput", "mark-line", 1 + 2 * 3, ["time since start (s)", "records per second"]],
    ["write-utilization", "mark-rect", (kdsShards + mskPartitions) * intervals, ["time since start (s)", "shard / partition"]],
    ["traffic-share", "mark-rect", kdsShards + mskPartitions, ["shard / partition (busiest first)", "share of records sent"]],
    ["lag", "mark-line", 2, ["time since start (s)", "lag (s)"]],
    ["latency-cdf", "mark-line", 2, ["fraction of records produced"]],
  ] as const)("%s draws %s x %i with its title and axis titles", (name, markClass, expected, titles) => {
    const { chart, svg } = byName(name);
    expect(chartTitles(svg)).toContain(chart.spec.title);
    for (const title of titles) expect(axisTitles(svg)).toContain(title);
    expect(chart.marks).toEqual({ markClass, count: expected });
    expect(drawnMarks(svg, markClass)).toBe(expected);
  });

  it("names each panel's system above it, upright and in bold, in the heatmap and the traffic shares", () => {
    for (const name of ["write-utilization", "traffic-share"]) {
      for (const system of ["kds", "msk"]) {
        const label = byName(name).svg.match(new RegExp(`<text[^>]*>${system}</text>`))?.[0] ?? "";
        expect(label, `${name} ${system}`).toContain('font-weight="bold"');
        expect(label, `${name} ${system}`).not.toContain("rotate");
      }
    }
  });

  it("gives each system the same colour in every chart", () => {
    // kds is the first system, so the first palette colour; msk the second.
    for (const name of ["throughput", "traffic-share", "lag", "latency-cdf"]) {
      expect(byName(name).svg, name).toContain("#4c78a8");
      expect(byName(name).svg, name).toContain("#f58518");
    }
  });

  it("throughput: accepted records per second over the run add up to each system's accepted count", () => {
    const chart = throughputChart(result.systems)!;
    const values = (chart.spec as { data: { values: Array<{ system: string; measure: string; minute: number; recordsPerSecond: number }> } }).data.values;
    for (const system of result.systems) {
      // Two 60 s columns, at minutes 0 and 1 (minute 2 repeats the last one to end the step line):
      // rate x 60 s summed is the count (exact up to float rounding).
      const rows = values.filter((row) => row.system === system.name && row.measure === "accepted");
      expect(rows.map((row) => row.minute)).toEqual([0, 1, 2]);
      expect(rows[2].recordsPerSecond).toBe(rows[1].recordsPerSecond);
      const accepted = rows.slice(0, 2).reduce((sum, row) => sum + row.recordsPerSecond * 60, 0);
      expect(accepted).toBeCloseTo(system.records.accepted, 3);
    }
  });

  it("throughput: a queue's legend lists only the measures it draws (no throttled line)", async () => {
    const kds = result.systems.find((system) => system.name === "kds")!;
    // A queue as the SQS model reports one: no partitions, the sent messages and the producer series as system series.
    const series = { NumberOfMessagesSent: kds.partitions[0].series.acceptedRecords, ProducedRecords: kds.series.ProducedRecords, RetriedRecords: kds.series.RetriedRecords };
    const queue = { ...kds, name: "queue", kind: "sqs", partitions: [], series } as unknown as SystemResult;
    const chart = throughputChart([queue])!;
    const svg = (await renderCharts([chart]))[0].svg;
    expect(drawnMarks(svg, "mark-line")).toBe(3);
    for (const measure of ["offered", "retries", "accepted"]) expect(svg).toContain(`>${measure}<`);
    expect(svg).not.toContain(">throttled<");
  });

  it("latency CDF: ends at 1 and crosses 0.5 at the median the histogram reports", () => {
    for (const system of result.systems) {
      const histogram = system.consumers[0].endToEndLatency;
      const rows = cdfRows(histogram);
      expect(rows.at(-1)!.fraction).toBe(1);
      // The first point at or above one half sits at the p50 bucket's upper edge: the histogram's
      // quantile lies inside that bucket, so they agree within a bucket's width (about 2%).
      const median = rows.find((row) => row.fraction >= 0.5)!;
      expect(Math.abs(median.latencyMs * 1000 - histogram.quantile(0.5)) / histogram.quantile(0.5)).toBeLessThan(0.03);
      expect(rows.length).toBeLessThanOrEqual(301);
    }
  });

  it("latency CDF: reads in a unit fitted to the latencies' range, on round ticks, with the unit in the axis title (once ms up to '1,000,000')", async () => {
    // Milliseconds below 2 s, seconds to 5 min, minutes to 3 h; one unit smaller while the shortest would need more than 2 decimals.
    expect(durationUnit(20, 1500).name).toBe("ms");
    expect(durationUnit(10, 420_000).name).toBe("s");
    expect(durationUnit(250, 120_000).name).toBe("s");
    expect(durationUnit(5_000, 1_800_000).name).toBe("min");
    expect(durationUnit(60_000, 36_000_000).name).toBe("h");
    // 0.26 s to 7 min: 1, 2, 5 per decade would be 11 ticks, so 1 and 3.
    expect(logTicks(0.262, 420)).toEqual({ values: [0.1, 0.3, 1, 3, 10, 30, 100, 300, 1000], domain: [0.1, 1000] });
    expect(logTicks(20, 1500).values).toEqual([20, 50, 100, 200, 500, 1000, 2000]);
    // The headline's CDF, its latencies stretched a thousandfold (as a backlog stretches them): no longer milliseconds.
    const kds = result.systems.find((system) => system.name === "kds")!;
    const chart = latencyCdfChart([kds])!;
    const x = (spec: unknown) => (spec as { encoding: { x: { title: string; axis: { values: number[] }; scale: { domain: number[] } } } }).encoding.x;
    const rows = (chart.spec.data as { values: Array<{ latency: number }> }).values;
    const unit = x(chart.spec).title.match(/\((\w+), log scale\)/)![1];
    expect(["ms", "s"]).toContain(unit);
    expect(x(chart.spec).scale.domain[0]).toBeLessThanOrEqual(Math.min(...rows.map((row) => row.latency)));
    expect(x(chart.spec).scale.domain[1]).toBeGreaterThanOrEqual(Math.max(...rows.map((row) => row.latency)));
    const slow = { ...kds, consumers: kds.consumers.map((consumer) => ({ ...consumer, endToEndLatency: stretched(consumer.endToEndLatency, 1000) })) } as SystemResult;
    const slowChart = latencyCdfChart([slow])!;
    expect(x(slowChart.spec).title).toMatch(/^end-to-end latency \((s|min), log scale\)$/);
    const svg = (await renderCharts([slowChart]))[0].svg;
    const labels = [...svg.matchAll(/<g class="mark-text role-axis-label"[^>]*>(.*?)<\/g>/gs)].flatMap((group) => [...group[1].matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((text) => text[1]));
    for (const value of x(slowChart.spec).axis.values) expect(labels).toContain(value.toLocaleString("en-US", { maximumFractionDigits: 6 }));
    expect(labels.every((label) => label.replace(/,/g, "").length <= 5)).toBe(true);
  });

  it("write-utilization: titled for what it shows when every row is Kafka (share over fair share, not utilization)", () => {
    const msk = result.systems.find((system) => system.kind === "kafka")!;
    expect(writeUtilizationChart([msk])!.spec.title).toBe("Share of writes over the fair share per partition over time");
    expect(writeUtilizationChart(result.systems)!.spec.title).toBe("Write utilization per shard / partition over time");
  });

  it("latency CDF: a fraction of the records produced, so a system that dropped records tops out at the share it delivered", () => {
    const kds = result.systems.find((system) => system.name === "kds")!;
    // The same system as if it had dropped 14.8% of what it was given (the new-user review's run).
    const lossy = { ...kds, records: { ...kds.records, dropped: Math.round(kds.records.produced * 0.148) } } as SystemResult;
    const rows = (latencyCdfChart([lossy])!.spec.data as { values: Array<{ fraction: number }> }).values;
    expect(Math.max(...rows.map((row) => row.fraction))).toBeCloseTo(0.852, 3);
    expect(latencyCdfChart([lossy])!.caption).toContain("tops out at the share it delivered");
  });

  it("renders all charts of the headline example in a few seconds", async () => {
    const started = performance.now();
    await renderCharts(buildCharts(result, summary));
    // About 0.4 s alone on this machine; 5 s leaves room for a busy 2-core machine.
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});

describe("chart legends", () => {
  it("never cut a label short: a long 'system · consumer' reads whole (once 'cooperative · ses…')", async () => {
    const long = "sessions-of-the-cooperative-sticky-group";
    const systems = result.systems.map((system) => ({ ...system, consumers: system.consumers.map((consumer) => ({ ...consumer, name: long })) })) as SystemResult[];
    const svg = (await renderCharts([lagChart(systems)!]))[0].svg;
    const legendTexts = [...svg.matchAll(/<g class="mark-text role-legend-label"[^>]*>(.*?)<\/g>/gs)].flatMap((group) => [...group[1].matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((text) => text[1]));
    expect(legendTexts).toContain(`kds · ${long}`);
    expect(legendTexts.join(" ")).not.toContain("…");
  });
});

describe("charts with no data", () => {
  it("are left out rather than drawn empty", () => {
    expect(throughputChart([])).toBeNull();
    expect(writeUtilizationChart([])).toBeNull();
    expect(trafficShareChart([])).toBeNull();
    expect(lagChart([])).toBeNull();
    expect(latencyCdfChart([])).toBeNull();
    expect(costChart([])).toBeNull();
  });

  it("a render error fails instead of giving an empty chart", async () => {
    await expect(renderSvg({ title: "broken", data: { values: [{ a: 1 }] }, mark: "point", encoding: { x: { field: "a", type: "quantitative" } }, transform: [{ calculate: "nosuchfunction(datum.a)", as: "b" }] })).rejects.toThrow();
  });
});

describe("long runs", () => {
  it("merge report intervals so a chart has at most 200 time columns", () => {
    expect(intervalsPerColumn(200)).toBe(1);
    expect(intervalsPerColumn(201)).toBe(2);
    expect(intervalsPerColumn(86_400)).toBe(432);
    expect(Math.ceil(86_400 / intervalsPerColumn(86_400))).toBeLessThanOrEqual(timeColumnsMax);
  });

  it("tick time on round values of a unit fitted to the run: seconds up to 3 min, then minutes (a 5-min run once read 0, 0.4, 0.8 ... min)", async () => {
    const axis = (rows: Array<{ minute: number; minuteEnd?: number }>) => timeX(rows) as { title: string; axis: { values: number[]; labelExpr: string }; scale: { domain: number[] } };
    // 5 min: every 30 s, labelled in minutes.
    const five = axis([{ minute: 0 }, { minute: 4.975 }]);
    expect(five.title).toBe("time since start (min)");
    expect(five.axis.values).toEqual(Array.from({ length: 11 }, (_, index) => index * 0.5));
    expect(five.scale.domain).toEqual([0, 5]);
    // 2 min: every 10 s, labelled in seconds; 40 min every 5 min; 2 h every 10 min.
    const two = axis([{ minute: 0, minuteEnd: 2 }]);
    expect(two.title).toBe("time since start (s)");
    expect(two.axis.values.map((minute) => Math.round(minute * 60))).toEqual(Array.from({ length: 13 }, (_, index) => index * 10));
    expect(axis([{ minute: 0, minuteEnd: 40 }]).axis.values).toEqual([0, 5, 10, 15, 20, 25, 30, 35, 40]);
    expect(axis([{ minute: 0, minuteEnd: 120 }]).axis.values).toEqual(Array.from({ length: 13 }, (_, index) => index * 10));
    // The rendered labels are the round values themselves.
    const svg = await renderSvg({ width: 300, height: 40, data: { values: [{ minute: 0 }, { minute: 2 }] }, mark: "point", encoding: { x: two as never } });
    const labels = [...svg.matchAll(/<g class="mark-text role-axis-label"[^>]*>(.*?)<\/g>/gs)].flatMap((group) => [...group[1].matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((text) => text[1]));
    expect(labels).toEqual(["0", "10", "20", "30", "40", "50", "60", "70", "80", "90", "100", "110", "120"]);
  });

  it("over 3 hours read time in hours, on whole hours, ending at the run's end (a day once ran to 1600 min)", async () => {
    expect(timeX([{ minute: 0 }, { minute: 180 }]).title).toBe("time since start (min)");
    const day = timeX([{ minute: 0 }, { minute: 1430, minuteEnd: 1440 }]);
    expect(day).toMatchObject({ title: "time since start (h)", scale: { domain: [0, 1440], nice: false } });
    // 24 h: a tick every 2 h, at 0, 120, ... 1440 minutes, labelled 0, 2, ... 24.
    expect((day as { axis: { values: number[] } }).axis.values).toEqual(Array.from({ length: 13 }, (_, index) => index * 120));
    // Every time chart takes its axis from timeX: the lag chart of a day's run reads in hours.
    const kds = result.systems.find((system) => system.name === "kds")!;
    const lagSeries = new GaugeSeries({ intervalUs: 60_000_000, endUs: 1440 * 60_000_000 });
    lagSeries.set(0, 1000);
    lagSeries.finish();
    const long = { ...kds.consumers[0], lagSeries } as unknown as SystemResult["consumers"][number];
    const chart = lagChart([{ ...kds, consumers: [long] } as SystemResult])!;
    const svg = await renderSvg(chart.spec);
    expect(axisTitles(svg)).toContain("time since start (h)");
    expect(svg).toContain(">24</text>");
    // A lag of a second reads in seconds; one of hours in hours, from the same lagSeconds data.
    expect(axisTitles(svg)).toContain("lag (s)");
    const hours = new GaugeSeries({ intervalUs: 60_000_000, endUs: 1440 * 60_000_000 });
    for (let minute = 0; minute < 1440; minute++) hours.set(minute * 60_000_000, minute * 60_000 * 0.5);
    hours.finish();
    const behind = { ...kds.consumers[0], lagSeries: hours } as unknown as SystemResult["consumers"][number];
    const hoursChart = lagChart([{ ...kds, consumers: [behind] } as SystemResult])!;
    expect(axisTitles(await renderSvg(hoursChart.spec))).toContain("lag (h)");
    expect((hoursChart.spec.data as { values: Array<{ lagSeconds: number }> }).values.at(-1)!.lagSeconds).toBeGreaterThan(40_000);
  });
});

describe("cost chart", () => {
  it("stacks one segment per priced line item, one bar per system", async () => {
    const costs = costFixture();
    const chart = costChart(costs)!;
    const svg = (await renderCharts([chart]))[0].svg;
    // The fixture has 3 + 2 line items with a positive monthly cost and one free one (not drawn).
    expect(chart.marks).toEqual({ markClass: "mark-rect", count: 5 });
    expect(drawnMarks(svg, "mark-rect")).toBe(5);
    expect(chartTitles(svg)).toContain("Monthly cost per system by line item");
    expect(axisTitles(svg)).toEqual(expect.arrayContaining(["system", "monthly cost (USD)"]));
  });

  it("colours each system's line items in shades of that system's colour, listed system by system", async () => {
    const chart = costChart(costFixture(), ["kds", "msk"])!;
    const color = (chart.spec as unknown as { layer: Array<{ encoding: { color: { scale: { domain: string[]; range: string[] } } } }> }).layer[0].encoding.color.scale;
    expect(color.domain).toEqual(["kds · shard hours", "kds · PUT payload units", "kds · enhanced fan-out", "msk · broker hours", "msk · storage"]);
    const kdsShades = color.range.slice(0, 3);
    const mskShades = color.range.slice(3);
    // kds is the first system (#4c78a8, blue), msk the second (#f58518, orange), as in every other chart.
    for (const shade of kdsShades) expect(Math.abs(hue(shade) - hue("#4c78a8"))).toBeLessThan(3);
    for (const shade of mskShades) expect(Math.abs(hue(shade) - hue("#f58518"))).toBeLessThan(3);
    expect(new Set(color.range).size).toBe(5);
    const svg = (await renderCharts([chart]))[0].svg;
    const fills = new Set([...svg.matchAll(/<path[^>]*fill="(#[0-9a-f]{6})"/g)].map((match) => match[1]));
    for (const shade of color.range) expect(fills).toContain(shade);
  });

  it("says what retention each bar assumes, and marks each system's cost at the other's retention", () => {
    // The headline: kds keeps 24 h, msk 7 days; the comparison prices each at the other's retention too.
    const { chart, svg } = byName("cost");
    // Under each bar: the system's name, and its retention on a second line.
    expect(svg).toContain(">24 h retention<");
    expect(svg).toContain(">7 days retention<");
    const atRetention = summary.comparison!.costAtRetention;
    const kdsAt7d = atRetention.find((entry) => entry.retention === "7 days")!.systems.find((cost) => cost.system === "kds")!.monthlyUsd;
    const mskAt24h = atRetention.find((entry) => entry.retention === "24 h")!.systems.find((cost) => cost.system === "msk")!.monthlyUsd;
    expect(chart.caption).toContain("Each bar is priced at its own system's retention (kds 24 h, msk 7 days), so the bars are not like for like");
    expect(chart.caption).toContain(`kds at 7 days: ${monthlyUsdText(kdsAt7d)}, msk at 24 h: ${monthlyUsdText(mskAt24h)}`);
    expect(svg).toContain(`at 7 days: ${monthlyUsdText(kdsAt7d).replace("/month", "")}<`);
    // The line items' segments and one tick per system.
    const segments = summary.systems.reduce((sum, system) => sum + system.cost!.lineItems.filter((line) => line.monthlyUsd > 0).length, 0);
    expect(chart.marks).toEqual({ markClass: "mark-rect", count: segments + 2 });
    expect(drawnMarks(svg, "mark-rect")).toBe(segments + 2);
  });

  it("draws one tick, labelled with both retentions, where a system costs the same at two others' retentions", async () => {
    const three = { own: { kds: "24 h", msk: "4 days" }, other: [{ system: "kds", retention: "4 days", monthlyUsd: 173.2 }, { system: "kds", retention: "7 days", monthlyUsd: 173.4 }, { system: "msk", retention: "24 h", monthlyUsd: 600 }] };
    const chart = costChart(costFixture(), ["kds", "msk"], three)!;
    expect(chart.caption).toContain("kds at 4 days and 7 days: $173/month, msk at 24 h: $600/month");
    const svg = (await renderCharts([chart]))[0].svg;
    expect(svg).toContain("at 4 days, 7 days: $173<");
    expect(drawnMarks(svg, "mark-rect")).toBe(5 + 2);
  });

  it("draws each tick label on a white halo, so it reads on a dark bar as on a pale one", async () => {
    const three = { own: { kds: "24 h", msk: "4 days" }, other: [{ system: "kds", retention: "4 days", monthlyUsd: 173.2 }, { system: "msk", retention: "24 h", monthlyUsd: 600 }] };
    const svg = (await renderCharts([costChart(costFixture(), ["kds", "msk"], three)!]))[0].svg;
    // The label twice: first stroked in white (the halo), then in black on top.
    const label = [...svg.matchAll(/<text([^>]*)>at 4 days: \$173<\/text>/g)].map((match) => match[1]);
    expect(label).toHaveLength(2);
    expect(label[0]).toMatch(/stroke="#fff"/);
    expect(label[0]).toMatch(/stroke-width="3"/);
    expect(label[1]).toMatch(/fill="#000"/);
    expect(label[1]).not.toMatch(/stroke=/);
  });

  it("labels only the ticks that clear each other on a bar, and names every tick in the caption", async () => {
    // Four systems' retentions put three ticks a few dollars apart on kds: their labels would overprint.
    const four = {
      own: { kds: "24 h", msk: "7 days" },
      other: [
        { system: "kds", retention: "4 days", monthlyUsd: 360 },
        { system: "kds", retention: "7 days", monthlyUsd: 365 },
        { system: "kds", retention: "30 days", monthlyUsd: 371 },
        { system: "msk", retention: "24 h", monthlyUsd: 600 },
      ],
    };
    const chart = costChart(costFixture(), ["kds", "msk"], four)!;
    for (const text of ["kds at 4 days: $360/month", "kds at 7 days: $365/month", "kds at 30 days: $371/month", "msk at 24 h: $600/month"]) expect(chart.caption).toContain(text);
    const svg = (await renderCharts([chart]))[0].svg;
    expect(drawnMarks(svg, "mark-rect")).toBe(5 + 4);
    expect(svg).toContain("at 30 days: $371<");
    expect(svg).toContain("at 24 h: $600<");
    expect(svg).not.toContain("at 7 days: $365<");
    expect(svg).not.toContain("at 4 days: $360<");
  });

  it("keeps two ticks' labels apart on one bar: the upper above its tick, the lower under its own (once 'at 24 h: $946' ran into 'at 4 days: $1,021')", () => {
    // lambda-three-systems: msk's bar reaches $1,100, its ticks are $75 (15 px) apart on a $1,200 axis.
    expect(axisTopUsd(1100)).toBe(1200);
    expect(axisTopUsd(800)).toBe(800);
    const placed = placeTickLabels([{ system: "msk", monthlyUsd: 946 }, { system: "msk", monthlyUsd: 1021 }, { system: "kds", monthlyUsd: 316 }], 1200);
    expect(placed.map((tick) => tick.monthlyUsd)).toEqual([946, 1021, 316]);
    const pxPerUsd = 240 / 1200;
    const [lower, upper, kds] = placed.map((tick) => ({ middlePx: tick.labelUsd * pxPerUsd, tickPx: tick.monthlyUsd * pxPerUsd }));
    expect(upper.middlePx).toBeGreaterThan(upper.tickPx);
    expect(kds.middlePx).toBeGreaterThan(kds.tickPx);
    expect(lower.middlePx).toBeLessThan(lower.tickPx);
    // 13-pixel labels that overlap neither each other nor the other tick.
    expect(upper.middlePx - 6.5 - (lower.middlePx + 6.5)).toBeGreaterThan(0);
    expect(lower.middlePx + 6.5).toBeLessThan(lower.tickPx);
  });

  it("lists every line item whole in its legend, however long (once 'KCL lease table writes: renewals, checkpoints, takes…')", async () => {
    const costs = costFixture();
    const long = "KCL lease table writes: renewals, checkpoints, takes (fulfilment-consumer-with-a-long-name)";
    costs[0].cost.lineItems[0].item = long;
    const chart = costChart(costs)!;
    const legend = (chart.spec as unknown as { layer: Array<{ encoding: { color: { legend: { labelLimit: number } } } }> }).layer[0].encoding.color.legend;
    expect(legend.labelLimit).toBe(0);
    const svg = (await renderCharts([chart]))[0].svg;
    expect(svg).toContain(`>kds · ${long}<`);
    expect(svg).not.toContain("…");
  });

  it("says when every system is priced at the same retention, and draws no tick", () => {
    const sameRetention = { own: { kds: "7 days", msk: "7 days" }, other: [] };
    const chart = costChart(costFixture(), ["kds", "msk"], sameRetention)!;
    expect(chart.caption).toContain("Every system is priced at the same retention, 7 days: like for like on retention.");
    expect((chart.spec as unknown as { layer: unknown[] }).layer.length).toBe(1);
  });

  it("keeps a system's colour when a system before it has no cost", () => {
    const mskOnly = costFixture().filter((entry) => entry.system === "msk");
    const chart = costChart(mskOnly, ["kds", "msk"])!;
    const range = (chart.spec as unknown as { layer: Array<{ encoding: { color: { scale: { range: string[] } } } }> }).layer[0].encoding.color.scale.range;
    expect(range).toEqual(systemShades("#f58518", 2));
  });
});

describe("lag chart", () => {
  it("starts at the end of warm-up, like the lag quantiles, so its peak is the consumers table's max", () => {
    // The headline run: 1 min of warm-up, then one 1-minute interval measured.
    const { chart } = byName("lag");
    const values = (chart.spec as { data: { values: Array<{ system: string; minute: number; lagSeconds: number }> } }).data.values;
    for (const system of summary.systems) {
      const rows = values.filter((row) => row.system === system.name);
      expect(rows.map((row) => row.minute)).toEqual([1, 2]);
      const peakMs = Math.max(...rows.map((row) => row.lagSeconds * 1000));
      expect(peakMs).toBeCloseTo(system.consumers[0].lagMs.max!, 0);
    }
  });

});

/** The hue of a #rrggbb colour in degrees. */
function hue(color: string): number {
  const [r, g, b] = [1, 3, 5].map((offset) => Number.parseInt(color.slice(offset, offset + 2), 16) / 255);
  const max = Math.max(r, g, b);
  const delta = max - Math.min(r, g, b);
  if (delta === 0) return 0;
  const sector = max === r ? ((g - b) / delta) % 6 : max === g ? (b - r) / delta + 2 : (r - g) / delta + 4;
  return (sector * 60 + 360) % 360;
}

describe("traffic share chart", () => {
  it("shows what the keys send to each shard (first attempts), so throttling does not hide a hot shard", () => {
    const kds = result.systems.find((system) => system.name === "kds")!;
    const chart = trafficShareChart([kds])!;
    const values = (chart.spec as { data: { values: Array<{ partition: string; share: number }> } }).data.values;
    const hottest = kds.partitions.find((partition) => partition.id === values[0].partition)!;
    const sent = kds.partitions.reduce((sum, partition) => sum + partition.series.demandRecords.total, 0);
    expect(values[0].share).toBeCloseTo(hottest.series.demandRecords.total / sent, 12);
    // The hot shard throttles: its share of what was accepted is smaller than its share of what was sent.
    expect(values[0].share).toBeGreaterThan(hottest.acceptedRecords / kds.records.accepted + 0.02);
  });

  it("lists in its legend only the systems that have bars, each in its colour of every other chart (a queue once showed)", async () => {
    const queue = { ...result.systems[0], name: "queue", kind: "sqs", partitions: [] } as unknown as SystemResult;
    const chart = trafficShareChart([queue, ...result.systems])!;
    const color = (chart.spec as unknown as { spec: { layer: Array<{ encoding: { color: { scale: { domain: string[]; range: string[] } } } }> } }).spec.layer[0].encoding.color;
    // queue is the first system, so kds and msk keep the second and third palette colours.
    expect(color.scale).toEqual({ domain: ["kds", "msk"], range: ["#f58518", "#54a24b"] });
    const svg = (await renderCharts([chart]))[0].svg;
    const legendTexts = [...svg.matchAll(/<g class="mark-text role-legend-label"[^>]*>(.*?)<\/g>/gs)].flatMap((group) => [...group[1].matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((text) => text[1]));
    expect(legendTexts).toEqual(["kds", "msk"]);
  });

  it("draws the fair share as 1/n when every shard was open all along", () => {
    for (const system of result.systems) {
      for (const share of fairShares(system).values()) expect(share).toBeCloseTo(1 / system.partitions.length, 12);
    }
  });

  it("gives a resharded stream each shard's fair share for the time it was open", () => {
    // Two 60 s intervals: A open all along, B closed and C opened at 60 s (a split, in effect).
    // Interval 0: A 50, B 50 records; interval 1: A 150, C 150. Spread evenly over the open shards,
    // A would take 50 + 150, B 50 and C 150 of the 400.
    const options = { intervalUs: 60_000_000, endUs: 120_000_000 };
    const shard = (id: string, openedUs: number, closedUs: number | null, first: number, second: number) => {
      const demandRecords = new CounterSeries(options);
      if (first > 0) demandRecords.add(1_000_000, first);
      if (second > 0) demandRecords.add(61_000_000, second);
      return { id, openedUs, closedUs, acceptedRecords: first + second, series: { demandRecords } };
    };
    const system = { partitions: [shard("A", 0, null, 50, 150), shard("B", 0, 60_000_000, 50, 0), shard("C", 60_000_000, null, 0, 150)] } as unknown as SystemResult;
    const fair = fairShares(system);
    expect(fair.get("A")).toBeCloseTo(0.5, 12);
    expect(fair.get("B")).toBeCloseTo(0.125, 12);
    expect(fair.get("C")).toBeCloseTo(0.375, 12);
  });

  it("draws a fair-share tick on each bar of a resharded stream instead of the 1/n rule", async () => {
    const kds = result.systems.find((system) => system.name === "kds")!;
    // The headline's shards, the last of them opened a minute in (as a split's child would be).
    const partitions = kds.partitions.map((partition, index) => (index === kds.partitions.length - 1 ? { ...partition, openedUs: 60_000_000 } : partition));
    const chart = trafficShareChart([{ ...kds, partitions } as SystemResult])!;
    const svg = (await renderCharts([chart]))[0].svg;
    expect(chart.marks.count).toBe(2 * kdsShards);
    expect(drawnMarks(svg, "mark-rect")).toBe(2 * kdsShards);
    expect(drawnMarks(svg, "mark-rule")).toBe(0);
  });

  it("labels the share axis with the decimals its tick step needs (0.5%, not a second 1%), and the bars start at the axis", async () => {
    const kds = result.systems.find((system) => system.name === "kds")!;
    // 100 shards with 1..100 records each: the busiest takes 100/5050, about 2%, so ticks fall every 0.5%.
    const partitions = Array.from({ length: 100 }, (_, index) => {
      const series = new CounterSeries({ intervalUs: 60_000_000, endUs: 120_000_000 });
      series.add(1_000_000, index + 1);
      return { ...kds.partitions[0], id: `shardId-${String(index).padStart(12, "0")}`, series: { ...kds.partitions[0].series, demandRecords: series } };
    });
    const chart = trafficShareChart([{ ...kds, partitions } as SystemResult])!;
    const svg = (await renderCharts([chart]))[0].svg;
    const axisLabels = [...svg.matchAll(/<g class="mark-text role-axis-label"[^>]*>(.*?)<\/g>/gs)].flatMap((group) => [...group[1].matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((text) => text[1]));
    const percents = axisLabels.filter((text) => text.endsWith("%"));
    expect(percents).toEqual(["0%", "0.5%", "1%", "1.5%", "2%"]);
    // Names upright: a -45° name reached left past the panel and pushed the share axis away from the bars.
    const x = (chart.spec as { spec: { layer: Array<{ encoding: { x?: { axis?: { labelAngle: number } } } }> } }).spec.layer[0].encoding.x!;
    expect(x.axis?.labelAngle).toBe(-90);
  });

  it("draws at most the 40 busiest shards of a big stream, and says so under the chart", async () => {
    const kds = result.systems.find((system) => system.name === "kds")!;
    // 120 copies of the headline's shards, with counts 1..120: the busiest 40 are counts 81..120.
    const sent = (records: number) => {
      const series = new CounterSeries({ intervalUs: 60_000_000, endUs: 120_000_000 });
      series.add(1_000_000, records);
      return series;
    };
    const partitions = Array.from({ length: 120 }, (_, index) => {
      const partition = kds.partitions[index % kds.partitions.length];
      return { ...partition, id: `shardId-${String(index).padStart(12, "0")}`, acceptedRecords: index + 1, series: { ...partition.series, demandRecords: sent(index + 1) } };
    });
    const big = { ...kds, partitions, records: { ...kds.records, accepted: (120 * 121) / 2 } } as SystemResult;
    const chart = trafficShareChart([big])!;
    expect(trafficSharePartitionsMax).toBe(40);
    expect(chart.marks.count).toBe(40);
    const svg = (await renderCharts([chart]))[0].svg;
    expect(drawnMarks(svg, "mark-rect")).toBe(40);
    expect(chart.caption).toContain("kds: the 40 busiest of 120 shown.");
    const values = (chart.spec as { data: { values: Array<{ partition: string; share: number }> } }).data.values;
    expect(values[0]).toMatchObject({ partition: "shardId-000000000119", share: 120 / 7260 });
  });
});

describe("write-utilization heatmap", () => {
  /** The headline's kds with 3 shards over `intervals` one-second intervals, shard i running at utilization(i, interval). */
  const kdsOver = (intervals: number, utilization: (shard: number, interval: number) => number) => {
    const kds = result.systems.find((system) => system.name === "kds")!;
    const offeredRecords = new CounterSeries({ intervalUs: 1_000_000, endUs: intervals * 1_000_000 });
    const partitions = [0, 1, 2].map((index) => ({
      ...kds.partitions[index],
      openedUs: 0,
      closedUs: null,
      series: { ...kds.partitions[index].series, offeredRecords },
      writeUtilization: Float64Array.from({ length: intervals }, (_, interval) => utilization(index, interval)),
    }));
    return { ...kds, partitions } as SystemResult;
  };
  const textsOf = (svg: string) => [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((match) => match[1]);

  it("labels each cell at or above 100% with its value when columns are wide enough, the hot cells below the clamp too", async () => {
    // 4 columns of 160 px: shard 0 at 383% then 250%, shard 1 at 155% (a throttling shard below the
    // 200% clamp, once left unlabelled) then 100%, shard 2 at 37% then 99%.
    const chart = writeUtilizationChart([kdsOver(4, (shard, interval) => [interval === 0 ? 3.83 : 2.5, interval < 2 ? 1.55 : 1, interval < 2 ? 0.37 : 0.99][shard])])!;
    const texts = textsOf((await renderCharts([chart]))[0].svg);
    // Two text layers (halo and text) draw each label.
    expect(texts.filter((text) => text === "383%")).toHaveLength(2);
    expect(texts.filter((text) => text === "250%")).toHaveLength(2 * 3);
    expect(texts.filter((text) => text === "155%")).toHaveLength(2 * 2);
    // ... and the legend's own "100%".
    expect(texts.filter((text) => text === "100%")).toHaveLength(2 * 2 + 1);
    expect(texts).not.toContain("37%");
    expect(texts).not.toContain("99%");
    expect(chart.caption).toContain("cells at or above 100% carry their value");
  });

  it("writes a cell's value as the summary's tables do: rounded to summary.json's 3 decimals, then to the percent", async () => {
    // 1.51454 is 1.515 in summary.json, "152%" in the hottest table; Math.round of the raw value said "151%".
    const chart = writeUtilizationChart([kdsOver(4, (shard) => [1.51454, 0.5, 0.5][shard])])!;
    const texts = textsOf((await renderCharts([chart]))[0].svg);
    expect(texts.filter((text) => text === "152%")).toHaveLength(2 * 4);
    expect(texts).not.toContain("151%");
    expect(utilizationText(round(1.51454) ?? 0)).toBe("152%");
  });

  it("labels each row's peak at or above 100% when cells are too narrow for a label, and says how to read the rest", async () => {
    // 120 one-second columns of about 5 px: shard 0 peaks at 383% in second 60, shard 1 at 214%.
    const chart = writeUtilizationChart([kdsOver(120, (shard, interval) => [interval === 60 ? 3.83 : 2.5, 2.14, 0.37][shard])])!;
    const texts = textsOf((await renderCharts([chart]))[0].svg);
    // Two text layers (halo and text) draw each label.
    expect(texts.filter((text) => text === "383%")).toHaveLength(2);
    expect(texts.filter((text) => text === "214%")).toHaveLength(2);
    expect(texts.filter((text) => text === "250%")).toHaveLength(0);
    expect(chart.caption).toContain("carries its peak value");
    expect(chart.caption).toContain("the colour scale reads the rest");
  });

  it("gives every panel its own time axis, so the top panel of a tall chart reads alone (the upper of two once had no time labels)", async () => {
    const kds = result.systems.find((system) => system.name === "kds")!;
    const chart = writeUtilizationChart([kds, { ...kds, name: "kds-tuned" } as SystemResult])!;
    const svg = (await renderCharts([chart]))[0].svg;
    expect(axisTitles(svg).filter((title) => title === "time since start (s)")).toHaveLength(2);
    const labels = [...svg.matchAll(/<g class="mark-text role-axis-label"[^>]*>(.*?)<\/g>/gs)].map((group) => [...group[1].matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((text) => text[1]));
    expect(labels.filter((texts) => texts.includes("0") && texts.includes("60"))).toHaveLength(2);
  });

  it("makes each heatmap panel at least as tall as its legend, so no gap opens above a few shards' rows", () => {
    // iot-zipf-keys: 10 shards at 12 px would be 120 px beside a 260 px legend; 12 partitions beside a 220 px one.
    const chart = writeUtilizationChart(result.systems)!;
    const panels = (chart.spec as unknown as { vconcat: Array<{ spec: { height: number } }> }).vconcat;
    expect(panels.map((panel) => panel.spec.height)).toEqual([260, 220]);
  });

  it("shows Kafka partitions as their share of the topic's writes over the fair share, so the hot one stands out", () => {
    // iot-zipf-keys: msk's events-6 takes about 19.9% of the records over 12 partitions, 2.4x its fair share.
    const chart = writeUtilizationChart(result.systems)!;
    const [kinesisPanel, kafkaPanel] = (chart.spec as unknown as { vconcat: Array<{ data: { values: Array<{ system: string; partition: string; column: number; value: number }> } }> }).vconcat;
    expect(new Set(kinesisPanel.data.values.map((row) => row.system))).toEqual(new Set(["kds"]));
    const cells = kafkaPanel.data.values;
    expect(new Set(cells.map((row) => row.system))).toEqual(new Set(["msk"]));
    const hottest = cells.reduce((a, b) => (b.value > a.value ? b : a));
    expect(hottest.partition).toBe("events-6");
    expect(hottest.value).toBeGreaterThan(2.2);
    expect(hottest.value).toBeLessThan(2.6);
    // Shares over the fair share average 1 in every column: the partitions' shares add up to the topic.
    for (const column of new Set(cells.map((row) => row.column))) {
      const values = cells.filter((row) => row.column === column).map((row) => row.value);
      expect(values.reduce((sum, value) => sum + value, 0) / values.length).toBeCloseTo(1, 9);
    }
    expect(chart.caption).toContain("Kafka: each partition's share of the topic's writes");
    expect(chart.caption).toContain("1× = even");
  });

  it("of a stream resharded through generations, shows each generation's hottest shards over the whole run, and says which", async () => {
    // 3 generations of 30 shards, each open for 20 of the 60 one-second intervals: the first at 120-149%
    // (throttling before the scale-up), the second at 60-89%, the third at 30-59%. The highest peaks
    // alone were the first 30 and 10 of the second: the third was missing and the axis ended at 40 s.
    const kds = result.systems.find((system) => system.name === "kds")!;
    const offeredRecords = new CounterSeries({ intervalUs: 1_000_000, endUs: 60_000_000 });
    const partitions = Array.from({ length: 90 }, (_, index) => {
      const generation = Math.floor(index / 30);
      const level = [1.2, 0.6, 0.3][generation] + (index % 30) / 100;
      return {
        ...kds.partitions[0],
        id: `shardId-${String(index).padStart(12, "0")}`,
        openedUs: generation * 20_000_000,
        closedUs: generation === 2 ? null : (generation + 1) * 20_000_000,
        peakWriteUtilization: level,
        series: { ...kds.partitions[0].series, offeredRecords },
        writeUtilization: Float64Array.from({ length: 60 }, (_, interval) => (Math.floor(interval / 20) === generation ? level : 0)),
      };
    });
    const chart = writeUtilizationChart([{ ...kds, partitions } as SystemResult])!;
    const spec = chart.spec as { data: { values: Array<{ partition: string; minuteEnd: number }> }; spec: { layer: Array<{ encoding: { x: { scale?: { domain: number[] } } } }> } };
    const shown = [...new Set(spec.data.values.map((row) => row.partition))];
    expect(shown).toHaveLength(heatmapPartitionsMax);
    const perGeneration = [0, 1, 2].map((generation) => shown.filter((id) => Math.floor(Number(id.slice(-3)) / 30) === generation).length);
    expect(Math.min(...perGeneration)).toBeGreaterThanOrEqual(13);
    // Each generation's hottest are among those shown: shard 29 of the first, 59 of the second, 89 of the third.
    expect(shown).toEqual(expect.arrayContaining(["shardId-000000000029", "shardId-000000000059", "shardId-000000000089"]));
    expect(Math.max(...spec.data.values.map((row) => row.minuteEnd))).toBe(1);
    expect(spec.spec.layer[0].encoding.x.scale?.domain).toEqual([0, 1]);
    expect(chart.caption).toContain("kds: 40 of the run's 90 shards (at most 30 open at once) shown, the hottest of every part of the run");
    expect(chart.caption).toContain("traffic share's 40 busiest");
  });

  it("of a big Kafka topic, whose partitions share their broker's busy share, shows the busiest partitions by records", () => {
    const msk = result.systems.find((system) => system.name === "msk")!;
    // 60 partitions on one broker (one busy share for all), partition i with i + 1 records.
    const partitions = Array.from({ length: 60 }, (_, index) => ({ ...msk.partitions[0], id: `events-${index}`, acceptedRecords: index + 1, peakWriteUtilization: 0.3 }));
    const chart = writeUtilizationChart([{ ...msk, partitions } as SystemResult])!;
    const shown = new Set((chart.spec as { data: { values: Array<{ partition: string }> } }).data.values.map((row) => row.partition));
    expect(shown.size).toBe(heatmapPartitionsMax);
    expect([...shown].sort()).toEqual(Array.from({ length: heatmapPartitionsMax }, (_, index) => `events-${59 - index}`).sort());
  });
});

describe("text layout", () => {
  it("measures text by DejaVu Sans's own widths, so a rotated shard id leaves no gap before the axis title", async () => {
    // "0" is 1303/2048 em in DejaVu Sans; vega's headless guess of 0.8 em made "shardId-000000000000" 176 px at 11 px, not its 129.
    expect(dejaVuWidthPx("0", 11)).toBeCloseTo((1303 * 11) / 2048, 9);
    expect(dejaVuWidthPx("shardId-000000000000", 11)).toBeCloseTo(129.1, 1);
    expect(dejaVuWidthPx("kds", 13, true)).toBeGreaterThan(dejaVuWidthPx("kds", 13));
    const svg = await renderSvg({
      width: 100,
      height: 50,
      data: { values: [{ id: "shardId-000000000000", share: 1 }] },
      mark: "bar",
      encoding: { x: { field: "id", type: "nominal", title: null, axis: { labelAngle: -90, labelLimit: 0 } }, y: { field: "share", type: "quantitative", title: null } },
    });
    const heightPx = Number(svg.match(/<svg[^>]*height="([\d.]+)"/)![1]);
    // The plot, the label's width, the tick and padding: not the 176 px guess.
    expect(heightPx).toBeGreaterThan(50 + 129);
    expect(heightPx).toBeLessThan(50 + 129 + 25);
  });
});

/** A histogram of the same records with every latency `factor` times as long (at each bucket's upper edge). */
function stretched(histogram: LogHistogram, factor: number): LogHistogram {
  const longer = new LogHistogram();
  for (const bucket of histogram.toBuckets()) longer.add(bucket.upperUs * factor, bucket.count);
  return longer;
}
