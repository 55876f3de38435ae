// The CloudWatch examples (docs/calibration.md): replay-cloudwatch replays the export's IncomingRecords
// with order-id keys, calibrate-orders the same traffic with customer-id keys. Each run here is 8
// simulated minutes at 640-1,400 records/s (under a second of CPU each).

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseRecordedMetrics, resultOfKind } from "../../sim/metrics/index.ts";
import { runScenario } from "../../sim/run/index.ts";
import { loadExample } from "../support/scenarios.ts";

const minuteUs = 60_000_000;
const durationUs = 8 * minuteUs;
const recorded = parseRecordedMetrics(readFileSync("scenarios/cloudwatch/orders-stream-tuesday.json", "utf8"), "export.json");
const incomingRecords = recorded.series.find((series) => series.label === "IncomingRecords")!;

function hottestShardShare(file: string): number {
  const stream = resultOfKind(runScenario(loadExample(file, { durationUs })).systems[0], "kinesis");
  const counts = stream.partitions.map((partition) => partition.acceptedRecords);
  return Math.max(...counts) / counts.reduce((a, b) => a + b, 0);
}

describe("replay-cloudwatch", () => {
  it("produces each minute's recorded IncomingRecords within Poisson error (4 standard deviations)", () => {
    const result = runScenario(loadExample("replay-cloudwatch.yaml", { durationUs }));
    const produced = result.producers[0].recordsSeries;
    expect(produced.intervalUs).toBe(minuteUs);
    for (let minute = 0; minute < 8; minute++) {
      const expected = incomingRecords.values[minute];
      expect(Math.abs(produced.sumAt(minute) - expected), `minute ${minute}`).toBeLessThanOrEqual(4 * Math.sqrt(expected));
    }
  });

  it("spreads the same traffic evenly with order-id keys, where customer-id keys make a hot shard", () => {
    // Zipf(0.9) over 5,000 customers puts 31% of the records on one of the 4 shards (measured: 22.6,
    // 21.5, 25.1, 30.9%); a million order ids put a quarter on each (24.9-25.1%).
    expect(hottestShardShare("calibrate-orders.yaml")).toBeGreaterThan(0.3);
    expect(hottestShardShare("replay-cloudwatch.yaml")).toBeLessThan(0.26);
  });
});
