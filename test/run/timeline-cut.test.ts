// A run that ends before or during a timeline action says so: `--duration 3m` on kafka-broker-failure
// (broker down at 3m for 2m) once reported a tie between the two topics because the outage never ran,
// with nothing in the report to say it was cut off. The run now carries a warning naming the action, its
// time and the run's end, and the comparison sentence points to it.

import { describe, expect, it } from "vitest";
import { buildSummary, summaryMarkdown } from "../../reports/index.ts";
import { runScenario } from "../../sim/run/index.ts";
import { loadScenarioText, type Scenario } from "../../sim/scenario/index.ts";

const text = `
name: cut
duration: 1m
warmup: 5s
workload:
  - producer: app
    rate: { recordsPerSecond: 50 }
    recordSize: { distribution: fixed, size: 500B }
    keys: { distribution: uniform, cardinality: 100 }
systems:
  - { name: durable, kind: kafka, brokers: { count: 3, instanceType: kafka.m5.large }, topic: { partitions: 3 } }
  - { name: fragile, kind: kafka, brokers: { count: 3, instanceType: kafka.m5.large }, topic: { partitions: 3, replicationFactor: 1 }, producer: { acks: 1 } }
timeline:
  - { at: 20s, system: durable, action: broker-down, broker: 1, for: 20s }
  - { at: 20s, system: fragile, action: broker-down, broker: 1, for: 20s }
`;

function load(durationUs?: number): Scenario {
  const loaded = loadScenarioText(text, "test/run/cut.yaml", { durationUs });
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues, null, 2));
  return loaded.scenario;
}

const cutNotes = (scenario: Scenario) => runScenario(scenario).notes.filter((note) => note.code === "timeline-cut");

describe("a timeline cut off by the run's end", () => {
  it("warns when the run ends at the outage's start, naming the action, its time and the run's end", () => {
    const result = runScenario(load(20_000_000));
    const notes = result.notes.filter((note) => note.code === "timeline-cut");
    expect(notes).toEqual([
      {
        severity: "warning",
        code: "timeline-cut",
        message: "broker-down on durable and fragile at 20s for 20s is cut off by the 20s run: the outage is not simulated; run at least 40s",
      },
    ]);
    const summary = buildSummary(result);
    expect(summary.comparison?.sentence).toMatch(/ \(timeline cut off: see notes\)\.$/);
    expect(summaryMarkdown(summary)).toContain("**warning** (timeline-cut): broker-down on durable and fragile at 20s");
  });

  it("warns when the outage outlasts the run, saying how much is missing", () => {
    expect(cutNotes(load(30_000_000)).map((note) => note.message)).toEqual([
      "broker-down on durable and fragile at 20s for 20s is cut off by the 30s run: the outage's last 10s and the recovery are not simulated; run at least 40s",
    ]);
  });

  it("says nothing when the run covers the whole outage", () => {
    const result = runScenario(load());
    expect(result.notes.filter((note) => note.code === "timeline-cut")).toEqual([]);
    expect(buildSummary(result).comparison?.sentence).not.toContain("timeline cut off");
  });
});
