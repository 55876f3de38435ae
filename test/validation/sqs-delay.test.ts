// SQS delay queues and message timers against Little's law (docs/reference.md §4): a message sent to a
// queue with delay D is invisible for D, so at a constant send rate r the queue holds r x D delayed
// messages on average (ApproximateNumberOfMessagesDelayed, an M/D/infinity count), and every message's
// end-to-end latency grows by D. A message timer (producer.delay, DelaySeconds on each message)
// overrides the queue's delay. The same offered records (common random numbers) go to every system, so
// the systems differ only by their delay. A failing check prints the command that replays it.

import { mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, onTestFailed } from "vitest";
import { resultOfKind, type GaugeSeries, type SystemResult } from "../../sim/metrics/index.ts";
import { runScenario } from "../../sim/run/index.ts";
import { loadScenarioText } from "../../sim/scenario/index.ts";

const ratePerSecond = 200;
const delayS = 5;
const warmupS = 20;
const durationS = 320;
const zero = "{ median: 0s, p99: 0s }";
const consumers = `consumers: [ { name: c, count: 4, maxMessages: 10, waitTime: 20s, processing: { perRecord: 1ms }, receiveLatency: ${zero}, deleteLatency: ${zero} } ]`;
const yaml = `
name: sqs-delay
seed: 11
duration: ${durationS}s
warmup: ${warmupS}s
report: { interval: ${warmupS}s }
workload:
  - producer: p
    rate: { recordsPerSecond: ${ratePerSecond}, arrivals: poisson }
    recordSize: { distribution: fixed, size: 100B }
    keys: { distribution: uniform, cardinality: 100 }
systems:
  - { name: none, kind: sqs, producer: { latency: ${zero} }, ${consumers} }
  - { name: queue-delay, kind: sqs, queue: { delay: ${delayS}s }, producer: { latency: ${zero} }, ${consumers} }
  - { name: timer, kind: sqs, queue: { delay: 15m }, producer: { latency: ${zero}, delay: ${delayS}s }, ${consumers} }
`;

const result = (() => {
  let cached: SystemResult[] | null = null;
  return () => {
    if (cached !== null) return cached;
    const loaded = loadScenarioText(yaml, "sqs-delay.yaml");
    if (!loaded.ok) throw new Error(`sqs-delay does not load: ${JSON.stringify(loaded.issues)}`);
    return (cached = runScenario(loaded.scenario).systems);
  };
})();

function replayOnFailure(): void {
  onTestFailed(() => {
    const directory = join(tmpdir(), "streamsim-validation");
    mkdirSync(directory, { recursive: true });
    const file = join(directory, "sqs-delay.yaml");
    writeFileSync(file, yaml);
    console.error(`replay: npx streamsim run ${file}`);
  });
}

/** Time-weighted mean of a gauge over the report intervals from `fromInterval` on. */
function timeMean(gauge: GaugeSeries, fromInterval: number): number {
  let integral = 0;
  let coveredUs = 0;
  for (let i = fromInterval; i < gauge.intervalCount; i++) {
    integral += gauge.meanAt(i) * gauge.durationUsAt(i);
    coveredUs += gauge.durationUsAt(i);
  }
  return integral / coveredUs;
}

const delayedMean = (system: SystemResult) => timeMean(resultOfKind(system, "sqs").series.ApproximateNumberOfMessagesDelayed, 1);
const meanE2eMs = (system: SystemResult) => system.consumers[0].endToEndLatency.sum / system.consumers[0].endToEndLatency.count / 1000;

describe("delay queues and message timers (Little's law)", () => {
  it(`ApproximateNumberOfMessagesDelayed averages r x D = ${ratePerSecond * delayS} within 3%, and 1% of the run's own arrival rate x D`, { timeout: 60_000 }, () => {
    replayOnFailure();
    const [none, queueDelay] = result();
    // The count in delay is an M/D/infinity population: Poisson(rD = 1,000) at an instant, with
    // autocovariance r (D - |tau|), so its mean over T = 300 s has a variance of r D^2 / T = 16.7 (s.d. 4,
    // 0.4%). The nominal rate adds the Poisson error of the arrivals (60,000 over the window: 0.4%):
    // 3% is over 5 standard deviations. Against the run's own arrival rate only the first error is left
    // (and the 1 ms over which messages share a run, released with its first): 1%.
    const delayed = delayedMean(queueDelay);
    expect(Math.abs(delayed / (ratePerSecond * delayS) - 1)).toBeLessThan(0.03);
    const sent = resultOfKind(queueDelay, "sqs").series.NumberOfMessagesSent;
    let sentAfterWarmup = 0;
    for (let i = 1; i < sent.intervalCount; i++) sentAfterWarmup += sent.sumAt(i);
    const arrivalsPerSecond = sentAfterWarmup / (durationS - warmupS);
    expect(Math.abs(delayed / (arrivalsPerSecond * delayS) - 1)).toBeLessThan(0.01);
    // Without a delay nothing is ever delayed.
    const gauge = resultOfKind(none, "sqs").series.ApproximateNumberOfMessagesDelayed;
    for (let i = 0; i < gauge.intervalCount; i++) expect(gauge.maxAt(i)).toBe(0);
  });

  it(`end-to-end latency grows by D = ${delayS} s (mean within 5 ms, the same messages with and without the delay)`, { timeout: 60_000 }, () => {
    replayOnFailure();
    const [none, queueDelay] = result();
    // Consumers far from saturation (4 x 1,000 messages/s against 200): a message waits little either way,
    // so the delay adds itself. 5 ms covers the 1 ms runs and the slightly different batching of receives.
    expect(Math.abs(meanE2eMs(queueDelay) - meanE2eMs(none) - delayS * 1000)).toBeLessThan(5);
    expect(queueDelay.consumers[0].endToEndLatency.count).toBeGreaterThan(50_000);
  });

  it("a message timer overrides the queue's delay: a 5 s timer on a 15 min delay queue is a 5 s delay queue", { timeout: 60_000 }, () => {
    replayOnFailure();
    const [, queueDelay, timer] = result();
    expect(timer.consumers[0].records).toEqual(queueDelay.consumers[0].records);
    expect(delayedMean(timer)).toBe(delayedMean(queueDelay));
    expect(meanE2eMs(timer)).toBe(meanE2eMs(queueDelay));
  });
});
