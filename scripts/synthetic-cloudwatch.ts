// `npx tsx scripts/synthetic-cloudwatch.ts`: writes scenarios/cloudwatch/orders-stream-tuesday.json,
// the synthetic "real" CloudWatch export the replay-cloudwatch and calibrate-orders examples read.
//
// We have no production stream to ship, so the "real" stream is simulated, deliberately NOT with the
// examples' own inputs (docs/calibration.md "The shipped export"):
// - a different seed: 20261124 (the examples use 42);
// - a different rate: the export's traffic comes from the phases below (a morning ramp, a plateau and
//   a decline), while the examples replay the export's IncomingRecords as a rate history;
// - a different consumer: the real billing service spends 2.5 ms per record (the scenario believes
//   0.3 ms), so on the hottest shard it falls behind at the peak; calibrate should say so, naming
//   GetRecords.IteratorAgeMilliseconds.
// The file has the shape `aws cloudwatch get-metric-data` prints: MetricDataResults of Id, Label,
// Timestamps (newest first, the default ScanBy TimestampDescending), Values and StatusCode.

import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { resolveLabel, simulatedPeriodValue } from "../reports/calibration/index.ts";
import { formatIssue, loadScenarioText, runScenario } from "../sim/index.ts";

export const exportPath = "scenarios/cloudwatch/orders-stream-tuesday.json";
export const realSeed = 20261124;

/** The "real" stream's scenario: what production did last Tuesday morning (see the header). */
export function realScenarioText(options: { seed?: number; perRecord?: string; duration?: string } = {}): string {
  return `name: orders-stream-real
seed: ${options.seed ?? realSeed}
start: 2026-11-24T09:00:00Z
duration: ${options.duration ?? "30m"}
report: { interval: 1m }
workload:
  - producer: orders
    rate: { phases: [ { duration: 10m, recordsPerSecond: 600, rampTo: 1400 }, { duration: 10m, recordsPerSecond: 1400 }, { duration: 10m, recordsPerSecond: 1400, rampTo: 800 } ] }
    recordSize: { distribution: lognormal, median: 1KiB, p99: 4KiB, max: 64KiB }
    keys: { distribution: zipf, cardinality: 5000, exponent: 0.9, template: "customer-{i}" }
systems:
  - name: orders-stream
    kind: kinesis
    capacity: { mode: provisioned, shards: 4 }
    consumers:
      - { name: billing, type: polling, pollInterval: 1s, processing: { perRecord: ${options.perRecord ?? "2500us"} } }
`;
}

/** The labels exported: stream-level totals, each shard's bytes, throttling and the iterator age. */
export const exportedLabels = [
  "IncomingRecords",
  "IncomingBytes",
  ...[0, 1, 2, 3].map((shard) => `IncomingBytes shardId-${String(shard).padStart(12, "0")}`),
  "WriteProvisionedThroughputExceeded",
  "GetRecords.IteratorAgeMilliseconds Maximum",
];

/**
 * get-metric-data's JSON for a scenario's run: every label's per-period value (its CloudWatch
 * statistic, as calibrate reads it), one period per report interval, newest first.
 */
export function syntheticExport(scenarioText: string, labels: string[], periodSeconds = 60): object {
  const loaded = loadScenarioText(scenarioText, "synthetic-real.yaml");
  if (!loaded.ok) throw new Error(loaded.issues.map(formatIssue).join("\n"));
  const result = runScenario(loaded.scenario);
  const periodUs = periodSeconds * 1e6;
  const periods = Math.floor(loaded.scenario.durationUs / periodUs);
  const MetricDataResults = labels.map((label, index) => {
    const resolved = resolveLabel(result, { label, statistic: null });
    if (typeof resolved === "string") throw new Error(`${label}: ${resolved}`);
    const timestamps: string[] = [];
    const values: number[] = [];
    for (let k = periods - 1; k >= 0; k--) {
      timestamps.push(new Date(loaded.scenario.startEpochMs + k * periodSeconds * 1000).toISOString().replace(".000Z", "+00:00"));
      values.push(Math.round(simulatedPeriodValue(result, resolved.simulated, resolved.statistic, k * periodUs, periodUs) * 100) / 100);
    }
    return { Id: `m${index}`, Label: label, Timestamps: timestamps, Values: values, StatusCode: "Complete" };
  });
  return { MetricDataResults, Messages: [] };
}

function compactJson(value: object): string {
  // One series per line block, its numbers on one line each: small and still readable in a diff.
  return `${JSON.stringify(value, null, 2).replace(/\[\n\s+([^\]{]*?)\n\s+\]/g, (_, inner: string) => `[${inner.replace(/\s*\n\s*/g, " ")}]`)}\n`;
}

if (process.argv[1]?.endsWith("synthetic-cloudwatch.ts")) {
  mkdirSync(dirname(exportPath), { recursive: true });
  writeFileSync(exportPath, compactJson(syntheticExport(realScenarioText(), exportedLabels)));
  process.stdout.write(`wrote ${exportPath}\n`);
}
