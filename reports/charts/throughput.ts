// Throughput over time per system, per second: records offered (what the workload asked for, first
// attempts only, by creation time, so the same for every system fed by one workload), records sent
// again (retries), accepted, and rejected by a write limit. All systems on one set of axes, one colour each.

import * as aq from "arquero";
import type { CounterSeries, SystemResult } from "../../sim/metrics/index.ts";
import { chartWidth, distinctCount, systemColor, timeX, type Chart } from "./common.ts";
import type { ChartSpec } from "./render.ts";
import { columnSums, columnsOf } from "./columns.ts";
import { axisText, chartText, type CoincidingLines } from "./messages.ts";

const measures = ["offered", "retries", "accepted", "throttled"] as const;
type Measure = (typeof measures)[number];

/** One dash per measure, far enough apart to tell at a glance: solid, long dashes, sparse dots, dash-dot. */
const dashes: Record<Measure, number[]> = { offered: [1, 0], accepted: [9, 3], retries: [2, 3], throttled: [6, 2, 1, 2] };

export function throughputChart(systems: SystemResult[]): Chart | null {
  const rows = systems.flatMap(throughputRows);
  if (rows.length === 0) return null;
  const table = aq
    .from(rows)
    .groupby("system", "measure", "minute", "durationSeconds")
    .rollup({ records: aq.op.sum("records") })
    .derive({ recordsPerSecond: aq.escape((row: { records: number; durationSeconds: number }) => row.records / row.durationSeconds) })
    .select("system", "measure", "minute", "recordsPerSecond")
    .orderby("system", "measure", "minute");
  const perSystem = table.objects() as ThroughputRow[];
  // One workload feeds every system: when their offered lines are the same, one line in the workload's
  // colour stands for all of them, rather than one colour hiding the others.
  const alike = systems.length > 1 && offeredAlike(perSystem);
  const values = alike ? oneOfferedLine(perSystem) : perSystem;
  // The legend lists only what is drawn: a queue has no throttled line.
  const drawn = measures.filter((measure) => values.some((row) => row.measure === measure));
  const color = systemColor(systems.map((system) => system.name));
  const x = timeX(values as Array<{ minute: number }>);
  const encoding = {
    color: alike ? { ...color, scale: { domain: [...color.scale.domain, chartText.throughput.everySystem], range: [...color.scale.range, workloadColor] } } : color,
    strokeDash: { field: "measure", type: "nominal", title: axisText.measure, scale: { domain: drawn, range: drawn.map((measure) => dashes[measure]) }, legend: { symbolSize: 900 } },
    detail: [{ field: "system" }, { field: "measure" }],
  };
  // One layer per system at its true values (no pixel offset: a shifted line would misstate its
  // numbers), each narrower than the one before and starting its dashes a little later: lines of one
  // measure that lie on one another show the earlier systems' colours as a border around the later
  // ones', and their dashes interleave, instead of the last hiding the rest.
  const owners = [...new Set(values.map((row) => row.system))];
  const layer = owners.map((owner, index) => ({
    transform: [{ filter: { field: "system", equal: owner } }],
    mark: { type: "line", interpolate: "step-after", strokeDashOffset: index * dashOffsetPx, strokeWidth: lineWidthMinPx + (owners.length - 1 - index) * lineWidthStepPx },
  }));
  const records = {
    width: chartWidth,
    height: 220,
    transform: [{ filter: "datum.measure !== 'throttled'" }],
    layer,
    encoding: { x: { ...x, title: null }, y: { field: "recordsPerSecond", type: "quantitative", title: axisText.recordsPerSecond }, ...encoding },
  };
  // Throttled attempts on their own panel and a symlog axis: 20 throttles a second beside 2,000 would
  // lie on zero on the records' linear axis, and a shard that throttles a little still throttles.
  const throttledMax = Math.max(0, ...values.filter((row) => row.measure === "throttled").map((row) => row.recordsPerSecond));
  const throttled = {
    width: chartWidth,
    height: 120,
    transform: [{ filter: "datum.measure === 'throttled'" }],
    layer,
    encoding: {
      x,
      y: { field: "recordsPerSecond", type: "quantitative", title: axisText.throttledPerSecond, scale: { type: "symlog", domain: [0, symlogTop(throttledMax)] }, axis: { values: symlogTicks(throttledMax), format: ",~d" } },
      ...encoding,
    },
  };
  return {
    name: "throughput",
    caption: chartText.throughput.caption(alike, drawn.includes("throttled"), owners.length > 1) + coincideText(values),
    spec: {
      title: chartText.throughput.title,
      data: { values },
      ...(drawn.includes("throttled") ? { vconcat: [records, throttled], spacing: 8 } : { ...records, transform: [], encoding: { ...records.encoding, x } }),
    } as unknown as ChartSpec,
    marks: { markClass: "mark-line", count: distinctCount(values, ["system", "measure"]) },
  };
}

/** The top of a symlog axis: the next power of ten at or above the largest value (at least 10). */
function symlogTop(max: number): number {
  return 10 ** Math.max(1, Math.ceil(Math.log10(Math.max(1, max))));
}

/** 0 and the powers of ten up to the top: ticks a reader can read on a symlog axis. */
function symlogTicks(max: number): number[] {
  const top = symlogTop(max);
  const ticks = [0];
  for (let tick = 1; tick <= top; tick *= 10) ticks.push(tick);
  return ticks;
}

/**
 * The lines a reader cannot see apart, said in words: per measure, the systems whose lines stay within
 * 1% of the chart's height of each other at every column (one lies on the others), those on the
 * offered line (all they were offered was accepted), and those at zero throughout (no retries, no
 * throttling). Empty when every line shows.
 */
function coincideText(values: ThroughputRow[]): string {
  const tolerance = 0.01 * Math.max(0, ...values.filter((row) => row.measure !== "throttled").map((row) => row.recordsPerSecond));
  const lines = new Map<string, { measure: Measure; system: string; rates: number[] }>();
  for (const row of values) {
    const key = `${row.measure}/${row.system}`;
    if (!lines.has(key)) lines.set(key, { measure: row.measure, system: row.system, rates: [] });
    lines.get(key)!.rates.push(row.recordsPerSecond);
  }
  const offeredOf = (system: string) => (lines.get(`offered/${system}`) ?? lines.get(`offered/${chartText.throughput.everySystem}`))?.rates ?? [];
  const groups: CoincidingLines[] = [];
  const zero: CoincidingLines[] = [];
  for (const measure of measures.filter((one) => one !== "offered")) {
    // Throttled lines have their own symlog panel, where a throttle a second shows: only exactly zero is at zero there.
    const near = measure === "throttled" ? 0 : tolerance;
    const alike = (a: number[], b: number[]) => a.length === b.length && a.every((rate, k) => Math.abs(rate - b[k]) <= near);
    const ofMeasure = [...lines.values()].filter((line) => line.measure === measure);
    const atZero = ofMeasure.filter((line) => line.rates.every((rate) => rate <= near));
    if (atZero.length > 0) zero.push({ measure, systems: atZero.map((line) => line.system), onOffered: false });
    let rest = ofMeasure.filter((line) => !atZero.includes(line));
    while (rest.length > 0) {
      const same = rest.filter((line) => alike(line.rates, rest[0].rates));
      const onOffered = measure !== "throttled" && alike(rest[0].rates, offeredOf(rest[0].system));
      if (same.length > 1 || onOffered) groups.push({ measure, systems: same.map((line) => line.system), onOffered });
      rest = rest.filter((line) => !same.includes(line));
    }
  }
  return chartText.throughput.coincide(groups, zero);
}

/** How much later each system's dashes start than the previous system's, in pixels. */
const dashOffsetPx = 4;

/** The last system's line width, and how much wider each system before it is drawn, so equal lines show each colour. */
const lineWidthMinPx = 1.5;
const lineWidthStepPx = 2;

/** The colour of the line every system shares (the workload's offered records): dark grey, no system's. */
const workloadColor = "#333";

/** The first system's offered rows as the one offered line of every system, first so the systems' lines are drawn over it. */
function oneOfferedLine(values: ThroughputRow[]): ThroughputRow[] {
  const first = values.find((row) => row.measure === "offered")!.system;
  const offered = values.filter((row) => row.measure === "offered" && row.system === first).map((row) => ({ ...row, system: chartText.throughput.everySystem }));
  return [...offered, ...values.filter((row) => row.measure !== "offered")];
}

interface ThroughputRow {
  system: string;
  measure: Measure;
  minute: number;
  recordsPerSecond: number;
}

/** Whether every system's offered line is the same (one workload feeds them all): they then lie on one another. */
function offeredAlike(values: ThroughputRow[]): boolean {
  const bySystem = new Map<string, string>();
  for (const row of values) if (row.measure === "offered") bySystem.set(row.system, `${bySystem.get(row.system) ?? ""}${row.minute}:${row.recordsPerSecond};`);
  return new Set(bySystem.values()).size === 1;
}

function throughputRows(system: SystemResult) {
  const producers: Array<[Measure, CounterSeries[]]> = [
    ["offered", [system.series.ProducedRecords]],
    ["retries", [system.series.RetriedRecords]],
  ];
  const picks: Array<[Measure, CounterSeries[]]> =
    system.partitions.length > 0
      ? [
          ...producers,
          ["accepted", system.partitions.map((partition) => partition.series.acceptedRecords)],
          ["throttled", system.partitions.map((partition) => partition.series.throttledAttempts)],
        ]
      : [...producers, ...queueSeries(system)];
  const first = picks[0]?.[1][0];
  if (first === undefined) return [];
  const columns = columnsOf(first);
  const endMinute = first.endUs / 60e6;
  return picks.flatMap(([measure, series]) =>
    series.flatMap((one) => {
      const rows = columnSums(one, columns).map((records, column) => ({
        system: system.name,
        measure,
        minute: columns.startMinutes[column],
        durationSeconds: columns.durationSeconds[column],
        records,
      }));
      // The last column's value again at the end of the run, so the step line reaches it.
      return [...rows, { ...rows[rows.length - 1], minute: endMinute }];
    }),
  );
}

/** Systems with no partitions (SQS, Firehose) report their accepted (and throttled) records under the CloudWatch names. */
function queueSeries(system: SystemResult): Array<[Measure, CounterSeries[]]> {
  if (system.kind === "firehose") return [["accepted", [system.series.IncomingRecords]], ["throttled", [system.series.ThrottledRecords]]];
  return system.kind === "sqs" ? [["accepted", [system.series.NumberOfMessagesSent]]] : [];
}
