// Calibration against recorded CloudWatch metrics (docs/calibration.md). The "real" exports are made by
// scripts/synthetic-cloudwatch.ts with another seed (7; the scenarios use 42), so the two runs share
// settings but no random numbers:
// - settings the scenario matches: every compared metric's MAPE is under 5%. Per-minute counts of
//   ~40,000-84,000 records differ between two Poisson runs by sqrt(2 N) (0.5-0.7%); shard shares by a
//   few per cent of a shard's ~20,000 records at most; iterator age and offset lag are healthy (below
//   their floors: 1 s, 1,000 records), so the gauges agree within the floor.
// - half the consumers (Kafka, 3 members for 6 partitions at 2 ms a record: 600 records/s of work for
//   each member against 500 it can do): the lag grows without bound, and the finding names MaxOffsetLag.
// CPU: five runs of 8-12 simulated minutes at 1,000-1,800 records/s, about 6 s; the two outcomes need
// the ramp to the peak, which shorter runs do not reach.

import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { calibrate } from "../../reports/calibration/index.ts";
import { parseRecordedMetrics } from "../../sim/metrics/index.ts";
import { runScenario } from "../../sim/run/index.ts";
import { formatIssue, loadScenarioText } from "../../sim/scenario/index.ts";
import { exportedLabels, realScenarioText, syntheticExport } from "../../scripts/synthetic-cloudwatch.ts";

/** Runs the scenario (its history, if any, read from the export) once; calibrates it against any export. */
function runAgainst(scenarioText: string, historyExport: object) {
  const folder = mkdtempSync(join(tmpdir(), "streamsim-calibration-"));
  writeFileSync(join(folder, "export.json"), JSON.stringify(historyExport));
  const loaded = loadScenarioText(scenarioText, join(folder, "scenario.yaml"));
  if (!loaded.ok) throw new Error(loaded.issues.map(formatIssue).join("\n"));
  const result = runScenario(loaded.scenario);
  return (exportJson: object) => {
    const parsed = parseRecordedMetrics(JSON.stringify(exportJson), "export.json");
    expect(parsed.issues).toEqual([]);
    return calibrate(result, parsed.series.map((series) => ({ file: "export.json", series })));
  };
}

function calibrationOf(scenarioText: string, exportJson: object) {
  return runAgainst(scenarioText, exportJson)(exportJson);
}

describe("calibration of the Kinesis example against an export with the settings it believes", () => {
  it("gives every metric a MAPE under 5% and no finding", () => {
    // The example scenario as shipped, its history pointing at the export and shortened to 12 minutes.
    const scenario = readFileSync("scenarios/calibrate-orders.yaml", "utf8").replaceAll("cloudwatch/orders-stream-tuesday.json", "export.json").replace("duration: 30m", "duration: 12m");
    const exported = syntheticExport(realScenarioText({ seed: 7, perRecord: "300us", duration: "12m" }), exportedLabels);
    const result = calibrationOf(scenario, exported);
    expect(result.skipped).toEqual([]);
    expect(result.metrics.map((metric) => metric.label)).toEqual(exportedLabels);
    for (const metric of result.metrics) {
      expect(metric.points.length, metric.label).toBe(10);
      if (metric.mapeFraction !== null) expect(metric.mapeFraction, metric.label).toBeLessThan(0.05);
      expect(metric.agrees, metric.label).toBe(true);
    }
    expect(result.findings).toEqual([]);
  });
});

const kafkaScenario = (seed: number, consumers: number) => `name: orders-msk
seed: ${seed}
start: 2026-11-24T09:00:00Z
duration: 8m
warmup: 2m
report: { interval: 1m }
workload:
  - producer: orders
    rate: { phases: [ { duration: 4m, recordsPerSecond: 1000, rampTo: 1800 }, { duration: 4m, recordsPerSecond: 1800 } ] }
    recordSize: { distribution: lognormal, median: 1KiB, p99: 4KiB, max: 64KiB }
    keys: { distribution: uniform, cardinality: 100000, template: "order-{i}" }
systems:
  - name: orders-msk
    kind: kafka
    brokers: { count: 3, instanceType: kafka.m5.large }
    topic: { partitions: 6 }
    consumerGroups:
      - { name: billing, consumers: ${consumers}, processing: { perRecord: 2ms } }
`;
const kafkaLabels = ["BytesInPerSec broker-0", "BytesInPerSec broker-1", "BytesInPerSec broker-2", "MaxOffsetLag billing Maximum"];

describe("calibration of an MSK scenario with six consumers", () => {
  const against = runAgainst(kafkaScenario(42, 6), {});

  it("agrees with an export made with six (MAPE under 5% on every metric)", () => {
    const result = against(syntheticExport(kafkaScenario(7, 6), kafkaLabels));
    expect(result.metrics).toHaveLength(4);
    for (const metric of result.metrics) expect(metric.mapeFraction!, metric.label).toBeLessThan(0.05);
    expect(result.findings).toEqual([]);
  });

  it("flags an export made with half the consumers, naming the lag metric and the consumer settings", () => {
    const result = against(syntheticExport(kafkaScenario(7, 3), kafkaLabels));
    // Traffic still agrees: only the lag tells the two apart.
    expect(result.metrics.filter((metric) => metric.metric === "BytesInPerSec").every((metric) => metric.agrees)).toBe(true);
    expect(result.findings.map((finding) => finding.subject)).toEqual(["MaxOffsetLag billing Maximum"]);
    expect(result.findings[0].message).toContain("MaxOffsetLag");
    expect(result.findings[0].message).toContain("the real consumers fall further behind than the model's: check the consumer settings (fewer consumers");
    expect(result.metrics.find((metric) => metric.metric === "MaxOffsetLag")!.biasFraction!).toBeLessThan(-0.5);
  });
});
