// Everything a run would refuse is refused at load, with line:col: cases a fuzzing audit found passing
// `validate` and then failing inside the run (issue 17, items 1 to 4).

import { describe, expect, it } from "vitest";
import { SERIES_INTERVAL_COUNT_MAX } from "../../sim/metrics/intervals.ts";
import { runScenario, WorkBudgetError } from "../../sim/run/run.ts";
import { formatIssue, loadScenarioFile, loadScenarioText, type Scenario } from "../../sim/scenario/index.ts";
import { formatDurationUs, parseDurationUs } from "../../sim/units/index.ts";
import { buildSummary } from "../../reports/index.ts";
import { headerLine } from "../../reports/summary-md.ts";

function scenarioWith(keys: string, extra: { duration?: string; interval?: string; rate?: string } = {}): string {
  return [
    "name: hostile",
    "seed: 1",
    `duration: ${extra.duration ?? "5s"}`,
    `report: { interval: ${extra.interval ?? "1s"} }`,
    "workload:",
    "  - producer: p",
    `    rate: { recordsPerSecond: ${extra.rate ?? "100"} }`,
    "    recordSize: { distribution: fixed, size: 1KB }",
    `    keys: ${keys}`,
    "systems:",
    "  - name: kds",
    "    kind: kinesis",
    "    capacity: { mode: provisioned, shards: 2 }",
    "",
  ].join("\n");
}

function issuesOf(text: string, options = {}): string[] {
  const loaded = loadScenarioText(text, "x.yaml", options);
  if (loaded.ok) throw new Error("expected the scenario to be refused");
  return loaded.issues.map(formatIssue);
}

function loaded(text: string, options = {}): Scenario {
  const result = loadScenarioText(text, "x.yaml", options);
  if (!result.ok) throw new Error(result.issues.map(formatIssue).join("\n"));
  return result.scenario;
}

describe("keys a run would refuse are refused at load (item 1)", () => {
  it("weighted keys with a duplicate key", () => {
    expect(issuesOf(scenarioWith("{ distribution: weighted, keys: [ {key: a, weight: 1}, {key: a, weight: 2} ] }"))).toEqual([
      'x.yaml:9:72 workload[0].keys.keys[1].key: expected distinct entries, found "a" again (first at index 0)',
    ]);
  });

  it("hotspot keys where every key is hot but hotShare is below 1", () => {
    const [issue] = issuesOf(scenarioWith("{ distribution: hotspot, cardinality: 10, hotKeys: 10, hotShare: 0.5 }"));
    expect(issue).toMatch(/^x\.yaml:9:76 workload\[0\]\.keys\.hotShare: expected hotShare 1 when every key is hot/);
    // hotShare 1 with every key hot is a valid (uniform) key space and runs.
    const scenario = loaded(scenarioWith("{ distribution: hotspot, cardinality: 10, hotKeys: 10, hotShare: 1 }"));
    expect(runScenario(scenario).eventCount).toBeGreaterThan(0);
  });

  it("a composite range with an exponent but no zipf distribution", () => {
    expect(issuesOf(scenarioWith('{ distribution: composite, template: "{u}", fields: { u: { range: [1, 10], exponent: 1.2 } } }'))).toEqual([
      "x.yaml:9:86 workload[0].keys.fields.u.exponent: exponent applies to zipf ranges only; add distribution: zipf or remove the exponent",
    ]);
  });

  it("composite values repeated, and a composite template without placeholders", () => {
    expect(issuesOf(scenarioWith('{ distribution: composite, template: "{u}", fields: { u: { values: [a, a] } } }'))[0]).toContain(
      'fields.u.values[1]: expected distinct entries, found "a" again',
    );
    expect(issuesOf(scenarioWith('{ distribution: composite, template: "x", fields: {} }'))[0]).toContain(
      "keys.template: expected a template with at least one {field} placeholder",
    );
  });
});

describe("durations stay whole microseconds (item 2)", () => {
  it("--duration 41s on the quick-start scenario scales the warm-up to 4.1s and reports it", () => {
    const result = loadScenarioFile("scenarios/iot-zipf-keys.yaml", { durationUs: parseDurationUs("41s") });
    if (!result.ok) throw new Error("the example should load");
    expect(result.scenario.warmupUs).toBe(4_100_000);
    const summary = buildSummary(runScenario({ ...result.scenario, durationUs: 5_000_000, warmupUs: 4_100_000 }));
    expect(headerLine({ ...summary, simulatedSeconds: 41, warmupSeconds: 4.1 })).toContain("41s simulated (warm-up 4.1s)");
  });

  it("formatDurationUs takes a time that went through seconds back to its microsecond", () => {
    expect(formatDurationUs(4.1 * 1e6)).toBe("4.1s");
    expect(formatDurationUs(4099999.9999999995)).toBe("4.1s");
    expect(() => formatDurationUs(0.5)).toThrow(/not a whole number/);
    expect(() => formatDurationUs(Number.NaN)).toThrow();
    expect(() => formatDurationUs(-1)).toThrow();
  });

  it("a warm-up scaled for a duration near 2^53 microseconds stays exact", () => {
    const text = scenarioWith('{ distribution: uniform, cardinality: 2 }', { duration: "10s", interval: "1s" }).replace("seed: 1", "seed: 1\nwarmup: 9s");
    const scenario = loaded(text, { durationUs: 3_000_000 });
    expect(scenario.warmupUs).toBe(2_700_000);
  });
});

describe("report intervals above the series cap (item 3)", () => {
  for (const [duration, interval, intervals] of [["12d", "1s", "1,036,800"], ["2000d", "1m", "2,880,000"]] as const) {
    it(`duration ${duration} at ${interval} is refused naming the limit`, () => {
      const [issue] = issuesOf(scenarioWith("{ distribution: uniform, cardinality: 2 }", { duration, interval, rate: "0.001" }));
      expect(issue).toContain(`report.interval: expected at most ${SERIES_INTERVAL_COUNT_MAX.toLocaleString("en-US")} report intervals per run`);
      expect(issue).toContain(`found ${intervals}`);
      expect(issue).toMatch(/^x\.yaml:4:21 /);
    });
  }

  it("--duration 9007199254740991us is refused at load, not in the run", () => {
    const [issue] = issuesOf(scenarioWith("{ distribution: uniform, cardinality: 2 }"), { durationUs: Number.MAX_SAFE_INTEGER });
    expect(issue).toContain("report intervals per run");
  });
});

describe("a workload far above the event budget stops before it fills memory (item 4)", () => {
  for (const rate of ["1e300", "1000000000"]) {
    it(`recordsPerSecond: ${rate}`, () => {
      const scenario = loaded(scenarioWith("{ distribution: uniform, cardinality: 10 }", { rate }));
      expect(() => runScenario(scenario)).toThrow(WorkBudgetError);
      expect(() => runScenario(scenario)).toThrow(/more than its event budget of 2000000000/);
    });
  }

  it("a small budget stops an ordinary workload the same way", () => {
    const scenario = loaded(scenarioWith("{ distribution: uniform, cardinality: 10 }"));
    expect(() => runScenario(scenario, { eventBudget: 100 })).toThrow(/about 500 records/);
  });
});
