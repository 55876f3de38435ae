// reports/calibration: labels to simulated series (the metric table), alignment by calendar time and
// report interval, the error figures, and what is skipped with a reason.

import { describe, expect, it } from "vitest";
import { calibrate, resolveLabel, simulatedPeriodValue } from "../../reports/calibration/index.ts";
import type { RecordedSeries } from "../../sim/metrics/index.ts";
import { runScenario } from "../../sim/run/index.ts";
import { loadInline } from "../support/scenarios.ts";

const startMs = Date.parse("2026-11-24T09:00:00Z");
const result = runScenario(
  loadInline(`name: tiny
seed: 5
start: 2026-11-24T09:00:00Z
duration: 5m
warmup: 1m
report: { interval: 1m }
workload:
  - producer: p
    rate: { recordsPerSecond: 200 }
    recordSize: { distribution: fixed, size: 500B }
    keys: { distribution: uniform, cardinality: 1000 }
systems:
  - name: kds
    kind: kinesis
    capacity: { mode: provisioned, shards: 2 }
    consumers:
      - { name: app, type: polling, pollInterval: 1s }
`),
);

function series(label: string, values: (minute: number) => number, minutes = [0, 1, 2, 3, 4], statistic: RecordedSeries["statistic"] = null): RecordedSeries {
  return { label, id: null, statistic, timeBase: "epoch", timesMs: minutes.map((m) => startMs + m * 60_000), values: minutes.map(values), periodMs: 60_000, line: 1 };
}

function simulated(label: string, minute: number): number {
  const resolved = resolveLabel(result, { label, statistic: null });
  if (typeof resolved === "string") throw new Error(resolved);
  return simulatedPeriodValue(result, resolved.simulated, resolved.statistic, minute * 60e6, 60e6);
}

describe("calibration figures", () => {
  it("compares the periods after warm-up; a model 1/1.2 of reality has MAPE and bias of exactly 1/6", () => {
    const recorded = series("IncomingRecords", (minute) => 1.2 * simulated("IncomingRecords", minute));
    const [metric] = calibrate(result, [{ file: "f.json", series: recorded }]).metrics;
    expect(metric.points.map((point) => point.timeSeconds)).toEqual([60, 120, 180, 240]);
    expect(metric.mapeFraction!).toBeCloseTo(1 / 6, 12);
    expect(metric.biasFraction!).toBeCloseTo(-1 / 6, 12);
    expect(metric.agrees).toBe(false);
    expect(metric.unit).toBe("records");
  });

  it("reads shards from the label, stream-level and shard-level iterator age alike, and a statistic at its end", () => {
    const shard = "shardId-000000000001";
    expect(simulated(`IncomingBytes ${shard}`, 2)).toBe(result.systems[0].partitions[1].series.acceptedBytes.sumAt(2));
    const perShard = resolveLabel(result, { label: `IteratorAgeMilliseconds ${shard} Average`, statistic: null });
    expect(typeof perShard === "string" ? perShard : [perShard.dimension, perShard.statistic]).toEqual([{ kind: "shard", value: shard }, "Average"]);
    const stream = resolveLabel(result, { label: "GetRecords.IteratorAgeMilliseconds", statistic: null });
    expect(typeof stream === "string" ? stream : stream.statistic).toBe("Maximum");
  });

  it("skips, with the reason, what it cannot compare", () => {
    const skipped = calibrate(result, [
      { file: "f.json", series: series("OutgoingBytes", () => 1) },
      { file: "f.json", series: series("IncomingBytes Average", () => 1) },
      { file: "f.json", series: series("IncomingBytes shardId-000000000007", () => 1) },
      { file: "f.json", series: series("MaxOffsetLag", () => 1) },
      { file: "f.json", series: { ...series("IncomingBytes", () => 1), timesMs: [startMs + 90_000, startMs + 150_000] } },
      { file: "f.json", series: series("IncomingBytes", () => 1, [10, 11]) },
    ]).skipped.map((one) => one.reason);
    expect(skipped).toEqual([
      expect.stringContaining('metric "OutgoingBytes" is not one calibration compares'),
      "the Average statistic is not comparable for this metric; export Sum (end the label with the statistic's name)",
      'system "kds" has nothing named shardId-000000000007 to compare with',
      "the scenario has no kafka system to compare with",
      expect.stringContaining("the report interval (60s) must divide the recorded period (60s) and its start"),
      expect.stringContaining("no recorded period lies within the run after warm-up"),
    ]);
  });

  it("treats a healthy lag within the floor as agreement, and nothing recorded against something simulated as disagreement", () => {
    const age = calibrate(result, [{ file: "f.json", series: series("GetRecords.IteratorAgeMilliseconds", (minute) => simulated("GetRecords.IteratorAgeMilliseconds", minute) + 300) }]);
    expect(age.metrics[0].mapeFraction!).toBeLessThan(0.31);
    const throttled = calibrate(result, [{ file: "f.json", series: series("IncomingRecords", () => 0) }]);
    expect(throttled.metrics[0]).toMatchObject({ mapeFraction: null, biasFraction: null, agrees: false });
    expect(throttled.findings[0].message).toContain("nothing was recorded but the model shows some");
  });
});
