// Rate histories (docs/scenarios.md "Rate histories"): a recorded series becomes the producer's rate.
// Validation: each period of a step history is a Poisson process at that period's mean rate, so the
// count generated in period k is Poisson(value_k): its standard deviation is sqrt(value_k), and a
// correct generator stays within 4 of them in every one of the periods (a wrong one, e.g. a history
// shifted by one period or read newest-first, misses by tens of them).

import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { RandomStreams } from "../../sim/engine/index.ts";
import { formatIssue, loadScenarioText } from "../../sim/scenario/index.ts";
import type { Scenario } from "../../sim/scenario/types.ts";
import { ProducerStream, RecordBlock, expectedArrivals } from "../../sim/workload/index.ts";

const startIso = "2026-11-24T09:00:00Z";
const startMs = Date.parse(startIso);
/** A step series: ten one-minute periods, newest first as get-metric-data prints it, one period missing (09:06). */
const counts = [6000, 12000, 30000, 30000, 3000, 18000, 0, 24000, 9000, 15000];
const present = (k: number) => k !== 6;

function metricDataExport(): string {
  const timestamps: string[] = [];
  const values: number[] = [];
  for (let k = counts.length - 1; k >= 0; k--) {
    if (!present(k)) continue;
    timestamps.push(new Date(startMs + k * 60_000).toISOString().replace(".000Z", "+00:00"));
    values.push(counts[k]);
  }
  return JSON.stringify({ MetricDataResults: [{ Id: "m0", Label: "IncomingRecords", Timestamps: timestamps, Values: values, StatusCode: "Complete" }], Messages: [] });
}

function scenarioText(rate: string, extra = ""): string {
  return `name: history
seed: 3
start: ${startIso}
duration: 10m
${extra}workload:
  - producer: p
    rate: ${rate}
    recordSize: { distribution: fixed, size: 100B }
    keys: { distribution: uniform, cardinality: 10 }
`;
}

function folderWith(files: Record<string, string>): string {
  const folder = mkdtempSync(join(tmpdir(), "streamsim-history-"));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(folder, name), text);
  return folder;
}

function load(folder: string, text: string, options = {}): Scenario {
  const loaded = loadScenarioText(text, join(folder, "scenario.yaml"), options);
  if (!loaded.ok) throw new Error(loaded.issues.map(formatIssue).join("\n"));
  return loaded.scenario;
}

function problems(folder: string, text: string, options = {}): string[] {
  const loaded = loadScenarioText(text, join(folder, "scenario.yaml"), options);
  return loaded.ok ? [] : loaded.issues.map(formatIssue);
}

function countsPerMinute(scenario: Scenario): number[] {
  const stream = new ProducerStream(scenario.producers[0], { startEpochMs: scenario.startEpochMs, durationUs: scenario.durationUs }, new RandomStreams(scenario.seed));
  const block = new RecordBlock(4096);
  const perMinute = new Array<number>(counts.length).fill(0);
  while (stream.fill(Infinity, block) > 0) for (let i = 0; i < block.count; i++) perMinute[Math.floor(block.timeUs[i] / 60e6)]++;
  return perMinute;
}

describe("a step rate history", () => {
  const folder = folderWith({ "export.json": metricDataExport() });

  it("reproduces each period's count within Poisson error (4 standard deviations), a missing period as zero", () => {
    const generated = countsPerMinute(load(folder, scenarioText("{ history: { path: export.json } }")));
    counts.forEach((count, k) => {
      const expected = present(k) ? count : 0;
      expect(Math.abs(generated[k] - expected), `minute ${k}: generated ${generated[k]}, recorded ${expected}`).toBeLessThanOrEqual(4 * Math.sqrt(Math.max(expected, 1)));
    });
  });

  it("is one constant phase per period, the period's total over its seconds, times the scale", () => {
    const scenario = load(folder, scenarioText("{ history: { path: export.json, scale: 2 } }"));
    const phases = scenario.producers[0].rate.phases;
    expect(phases).toHaveLength(10);
    expect(phases[2]).toEqual({ startUs: 120e6, endUs: 180e6, fromPerSecond: 1000, toPerSecond: 1000 });
    expect(phases[6].fromPerSecond).toBe(0);
    // The expected total is exactly the recorded total, scaled.
    expect(expectedArrivals(scenario.producers[0].rate, scenario.durationUs)).toBeCloseTo(2 * counts.reduce((a, b, k) => a + (present(k) ? b : 0), 0), 3);
  });

  it("starts wherever the scenario's start falls inside it", () => {
    const later = load(folder, scenarioText("{ history: { path: export.json } }").replace(startIso, "2026-11-24T09:02:00Z").replace("10m", "8m"));
    expect(later.producers[0].rate.phases[0]).toEqual({ startUs: 0, endUs: 60e6, fromPerSecond: 500, toPerSecond: 500 });
  });
});

describe("a linear rate history", () => {
  it("moves linearly between period midpoints and holds the end values flat", () => {
    const folder = folderWith({ "h.csv": "time,records\n0,600\n60,1200\n120,600\n" });
    const scenario = load(folder, scenarioText("{ history: { path: h.csv, interpolation: linear } }").replace("10m", "3m"));
    expect(scenario.producers[0].rate.phases).toEqual([
      { startUs: 0, endUs: 30e6, fromPerSecond: 10, toPerSecond: 10 },
      { startUs: 30e6, endUs: 90e6, fromPerSecond: 10, toPerSecond: 20 },
      { startUs: 90e6, endUs: 150e6, fromPerSecond: 20, toPerSecond: 10 },
      { startUs: 150e6, endUs: 180e6, fromPerSecond: 10, toPerSecond: 10 },
    ]);
  });
});

describe("a byte history", () => {
  it("becomes records through the mean record size (IncomingBytes: bytes per period)", () => {
    const folder = folderWith({ "bytes.json": JSON.stringify({ Label: "IncomingBytes", Datapoints: [{ Timestamp: "2026-11-24T09:00:00Z", Sum: 600_000, Unit: "Bytes" }] }) });
    const scenario = load(folder, scenarioText("{ history: { path: bytes.json, period: 10m } }"));
    // 600,000 B over 600 s with fixed 100 B records: 10 records per second.
    expect(scenario.producers[0].rate.phases).toEqual([{ startUs: 0, endUs: 600e6, fromPerSecond: 10, toPerSecond: 10 }]);
  });
});

describe("bad rate histories", () => {
  const folder = folderWith({ "export.json": metricDataExport(), "two.json": JSON.stringify({ MetricDataResults: [
    { Id: "a", Label: "IncomingRecords", Timestamps: ["2026-11-24T09:00:00Z"], Values: [1] },
    { Id: "b", Label: "IncomingBytes", Timestamps: ["2026-11-24T09:00:00Z"], Values: [1] },
  ] }), "bad.csv": "time,value\n0,1\n60,x\n" });

  it("names the file, line and column of a problem inside it, at the scenario's path field", () => {
    expect(problems(folder, scenarioText("{ history: { path: bad.csv } }"))).toEqual([
      `${join(folder, "scenario.yaml")}:7:30 workload[0].rate.history.path: bad.csv:3:4: expected a number, found "x"`,
    ]);
  });

  it("asks which series when the file holds several, and says which there are", () => {
    expect(problems(folder, scenarioText("{ history: { path: two.json } }"))[0]).toContain("holds 2 series; expected metric: naming one of: a, b");
    expect(problems(folder, scenarioText("{ history: { path: two.json, metric: Incoming } }"))[0]).toContain('no series labelled or identified "Incoming"');
  });

  it("refuses a start outside the history and a run longer than it", () => {
    expect(problems(folder, scenarioText("{ history: { path: export.json } }").replace(startIso, "2026-11-25T09:00:00Z"))[0]).toContain(
      "start 2026-11-25T09:00:00Z is outside the history in export.json (2026-11-24T09:00:00Z to 2026-11-24T09:10:00Z)",
    );
    expect(problems(folder, scenarioText("{ history: { path: export.json } }").replace("10m", "11m"))[0]).toContain("covers 10m from the scenario's start; the run lasts 11m");
    // A --duration override that fits is fine.
    expect(problems(folder, scenarioText("{ history: { path: export.json } }").replace("10m", "11m"), { durationUs: 120e6 })).toEqual([]);
  });

  it("refuses a missing file and one outside the scenario's folder", () => {
    expect(problems(folder, scenarioText("{ history: { path: nope.json } }"))[0]).toContain("cannot read rate history nope.json: no such file");
    expect(problems(folder, scenarioText("{ history: { path: ../elsewhere.json } }"))[0]).toContain("a path outside the scenario's folder");
  });

  it("takes exactly one of recordsPerSecond, phases or history", () => {
    expect(problems(folder, scenarioText("{ recordsPerSecond: 5, history: { path: export.json } }"))[0]).toContain("expected exactly one of recordsPerSecond, phases or history, found more than one");
  });
});
