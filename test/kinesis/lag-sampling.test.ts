// Kinesis lag is sampled once in every simulated second at instants no poll period aliases
// (metrics/consumer-meter.ts), so a polling consumer's lag is its whole sawtooth, not the top of it.
//
// Analytic check. A consumer polls every T with zero GetRecords latency and zero processing, records
// arrive evenly. Right after a poll everything that had arrived is processed; the oldest unprocessed
// record is then the first to arrive after the poll, so at a time s after the poll the lag is s (less
// at most one arrival gap). Sampled at instants whose phase is uniform over the period, the lag is
// uniform on [0, T]: median T/2, mean T/2, max T. Sampled on whole seconds (the old way), a 5 s
// poller gave the lags 1, 2, 3, 4, 5 s (median 3 s) and a 1 s poller ~1 s every time.

import { describe, expect, it } from "vitest";
import { runScenario } from "../../sim/run/index.ts";
import { loadScenarioText } from "../../sim/scenario/index.ts";
import { HISTOGRAM_RELATIVE_ERROR_MAX } from "../../sim/metrics/index.ts";

const secondUs = 1_000_000;
const durationS = 1800;
const warmupS = 60;
const recordsPerSecond = 100;

function scenario(pollInterval: string): string {
  return `name: kinesis-lag-sampling
seed: 1
duration: ${durationS}s
warmup: ${warmupS}s
report: { interval: 1m }
workload:
  - producer: p
    rate: { recordsPerSecond: ${recordsPerSecond}, arrivals: uniform }
    recordSize: { distribution: fixed, size: 100B }
    keys: { distribution: fixed, key: k }
systems:
  - name: kds
    kind: kinesis
    capacity: { mode: provisioned, shards: 1 }
    producer: { batch: { linger: 1ms }, latency: { median: 0s, p99: 0s } }
    consumers:
      - { name: c, type: polling, pollInterval: ${pollInterval}, latency: { median: 0s, p99: 0s }, processing: { perRecord: 0s, perBatch: 0s } }
`;
}

function lagOf(pollInterval: string) {
  const loaded = loadScenarioText(scenario(pollInterval), "test/kinesis/lag-sampling.yaml");
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues));
  const consumer = runScenario(loaded.scenario).systems[0]!.consumers[0]!;
  expect(consumer.readThrottles).toBe(0);
  return consumer.lag;
}

describe("Kinesis lag: one sample per simulated second, over the whole poll cycle", () => {
  for (const periodS of [1, 5]) {
    it(`a consumer polling every ${periodS} s has lag uniform on [0, ${periodS} s]`, () => {
      const lag = lagOf(`${periodS}s`);
      const n = durationS - warmupS;
      expect(lag.count).toBe(n);
      const periodUs = periodS * secondUs;
      // Departures from the sawtooth: one arrival gap (10 ms) and the linger (1 ms) shift every sample.
      const shiftUs = secondUs / recordsPerSecond + 1000;
      // Standard errors as if the n sample instants were independent uniform draws (the
      // equidistributed instants do better): mean T / sqrt(12 n); median 0.5 T / sqrt(n) (the
      // density is 1/T). Three of them, plus the shift, plus the histogram's bucket error for the median.
      const meanErrorUs = 3 * (periodUs / Math.sqrt(12 * n)) + shiftUs;
      const medianErrorUs = 3 * ((0.5 * periodUs) / Math.sqrt(n)) + shiftUs + HISTOGRAM_RELATIVE_ERROR_MAX * periodUs;
      expect(Math.abs(lag.mean - periodUs / 2)).toBeLessThan(meanErrorUs);
      expect(Math.abs(lag.quantile(0.5) - periodUs / 2)).toBeLessThan(medianErrorUs);
      // The largest of n uniform draws falls short of T by T/n on average; 5 T/n is missed with
      // probability e^-5. It never exceeds T plus the linger.
      expect(lag.max).toBeGreaterThan(periodUs * (1 - 5 / n) - shiftUs);
      expect(lag.max).toBeLessThanOrEqual(periodUs + 1000);
      expect(lag.min).toBeLessThan(periodUs * (5 / n) + shiftUs);
    });
  }
});
