// Conservation of messages in the SQS model (docs/design.md "Accounting must close"), as a property over
// random small scenarios: standard and FIFO queues, visibility timeouts shorter and longer than the
// processing, dead-letter queues, delays, retention short enough to expire messages, extra copies
// (at-least-once delivery), FIFO call limits that throttle sends, one or two competing fleets with
// failures, short and long polling, and consumer-fail and consumer-crash actions. Every identity must
// close exactly, each term counted where the model counts it, and a second run must be identical. A
// failure prints the scenario's YAML for replay.

import { describe, expect, it } from "vitest";
import { resultOfKind, type SystemResult } from "../../sim/metrics/index.ts";
import { runScenario } from "../../sim/run/index.ts";
import { loadScenarioText } from "../../sim/scenario/index.ts";
import { expectAccountingCloses, expectCount, sum } from "../support/accounting.ts";
import { replayable, seededDraws, type Draws } from "../support/property.ts";

const scenarioCount = Number(process.env.STREAMSIM_PROPERTY_SCENARIOS ?? 20);
const scenarioTimeoutMs = 30_000;

interface Generated {
  index: number;
  yaml: string;
}

function generateScenario(index: number): Generated {
  const d = seededDraws(`sqs-accounting/${index}`);
  // Retention is at least 60 s: some runs are longer than that so that it deletes messages.
  const durationS = d.pick([15, 30, 75]);
  const lines = [
    `name: sqs-accounting-${index}`,
    `seed: ${d.int(0, 1_000_000)}`,
    `duration: ${durationS}s`,
    `warmup: ${d.int(0, 10)}s`,
    `report: { interval: ${d.pick([1, 5, 10])}s }`,
    "workload:",
    "  - producer: p0",
    `    rate: { recordsPerSecond: ${d.int(20, 800)}, arrivals: ${d.pick(["poisson", "uniform"])} }`,
    `    recordSize: ${d.pick(["{ distribution: fixed, size: 200B }", "{ distribution: lognormal, median: 2KiB, p99: 100KiB, max: 256KiB }"])}`,
    `    keys: ${d.pick(['{ distribution: fixed, key: "only" }', '{ distribution: uniform, cardinality: 5000, template: "k-{i}" }', '{ distribution: zipf, cardinality: 200, exponent: 1.2, template: "z-{i}" }'])}`,
    "systems:",
  ];
  const timeline: string[] = [];
  const systemCount = d.chance(0.3) ? 2 : 1;
  // Lost send answers come from a stream of their own, so that adding them left the other draws as they were.
  const lostDraws = seededDraws(`sqs-accounting/${index}/lost-responses`);
  // Lambda consumers too, from a stream of their own for the same reason.
  const lambdaDraws = seededDraws(`sqs-accounting/${index}/lambda`);
  // Autoscaled fleets, from a stream of their own too.
  const scalingDraws = seededDraws(`sqs-accounting/${index}/autoscaling`);
  // Message timers (standard queues' per-message delay), from a stream of their own too.
  const timerDraws = seededDraws(`sqs-accounting/${index}/message-timers`);
  for (let s = 0; s < systemCount; s++) lines.push(...sqsSystem(d, lostDraws, lambdaDraws, `q${s}`, durationS, timeline, scalingDraws, timerDraws));
  lines.push(timeline.length === 0 ? "timeline: []" : "timeline:", ...timeline);
  return { index, yaml: `${lines.join("\n")}\n` };
}

function sqsSystem(d: Draws, lostDraws: Draws, lambdaDraws: Draws, name: string, durationS: number, timeline: string[], scalingDraws: Draws, timerDraws: Draws): string[] {
  const fifo = d.chance(0.4);
  const latency = (): string => d.pick(["{ median: 0s, p99: 0s }", "{ median: 10ms, p99: 40ms }", "{ median: 2ms, p99: 200ms }"]);
  const queue = [
    `type: ${fifo ? "fifo" : "standard"}`,
    `visibilityTimeout: ${d.pick(["0s", "200ms", "1s", "5s", "30s"])}`,
    d.chance(0.6) ? `maxReceiveCount: ${d.int(1, 4)}` : null,
    d.chance(0.2) ? `delay: ${d.int(1, 5)}s` : null,
    d.chance(0.3) ? "retention: 60s" : null,
    !fifo && d.chance(0.3) ? `duplicateDeliveryProbability: ${d.pick([0.01, 0.2])}` : null,
    fifo && d.chance(0.3) ? "highThroughput: true" : null,
  ].filter((field) => field !== null);
  const lost = lostDraws.pick([0, 0, 0.05, 0.3]);
  // FIFO queues take no message timers (docs/reference.md §4); a timer overrides the queue's delay.
  const timer = timerDraws.pick(["", "", "", ", delay: 500ms", ", delay: 3s", ", delay: 0s"]);
  const visibilityS = Number.parseFloat(queue[1].slice("visibilityTimeout: ".length)) / (queue[1].endsWith("ms") ? 1000 : 1);
  const lines = [
    `  - name: ${name}`,
    "    kind: sqs",
    `    queue: { ${queue.join(", ")} }`,
    `    producer: { batch: { maxMessages: ${d.pick([1, 5, 10])}, linger: ${d.pick([0, 5, 50])}ms }, latency: ${latency()}, retry: { maxAttempts: ${d.int(1, 4)}, baseDelay: 10ms }, lostResponseProbability: ${lost}${fifo ? "" : timer} }`,
  ];
  const fleets = d.int(1, 2);
  lines.push("    consumers:");
  for (let f = 0; f < fleets; f++) {
    const count = d.pick([1, 2, 5, 20]);
    lines.push(
      `      - { name: f${f}, count: ${count}${fleetAutoscaling(scalingDraws, count)}, maxMessages: ${d.pick([1, 10])}, waitTime: ${d.pick(["0s", "1s", "20s"])}, ` +
        `failureProbability: ${d.pick([0, 0, 0.05, 0.5])}, processing: { perRecord: ${d.pick([0, 1, 5, 50, 700])}ms, perBatch: ${d.pick([0, 2])}ms, distribution: ${d.pick(["fixed", "exponential"])} }, ` +
        `receiveLatency: ${latency()}, deleteLatency: ${latency()} }`,
    );
    if (d.chance(0.25)) timeline.push(`  - { at: ${d.int(1, durationS - 1)}s, system: ${name}, action: consumer-fail, consumer: f${f}, for: ${d.int(1, 10)}s }`);
    if (d.chance(0.2)) timeline.push(`  - { at: ${d.int(1, durationS - 1)}s, system: ${name}, action: consumer-crash, consumer: f${f} }`);
  }
  // A Lambda function's timeout is at most the visibility timeout, and at least 1 s (docs/reference.md §6.5).
  const withLambda = visibilityS >= 1 && lambdaDraws.chance(0.6);
  if (withLambda) {
    const consumer = lambdaConsumer(lambdaDraws, fifo, visibilityS);
    lines.push(consumer, ...lambdaAccount(lambdaDraws, consumer.includes("reservedConcurrency")));
  }
  if (withLambda && lambdaDraws.chance(0.2)) timeline.push(`  - { at: ${lambdaDraws.int(1, durationS - 1)}s, system: ${name}, action: consumer-fail, consumer: fn, for: ${lambdaDraws.int(1, 10)}s }`);
  return lines;
}

/**
 * Target tracking that acts within these short runs: 10 s datapoints, 1 to 3 of them, short cooldowns
 * and start-ups, a target low enough to scale out and back in (consumers added and retired mid-batch).
 */
function fleetAutoscaling(d: Draws, count: number): string {
  if (!d.chance(0.4)) return "";
  const fields = [
    `targetBacklogPerConsumer: ${d.pick([1, 10, 200])}`,
    `minConsumers: ${d.int(1, count)}`,
    `maxConsumers: ${count + d.pick([0, 3, 20])}`,
    "metricPeriod: 10s",
    `scaleOutDatapoints: ${d.int(1, 3)}`,
    `scaleInDatapoints: ${d.int(1, 3)}`,
    `scaleOutCooldown: ${d.pick([0, 10, 30])}s`,
    `scaleInCooldown: ${d.pick([0, 10, 30])}s`,
    `startupDelay: ${d.pick(["0s", "2s", "15s"])}`,
    `recoveryLag: ${d.pick(["1s", "10s"])}`,
  ];
  return `, autoscaling: { ${fields.join(", ")} }`;
}

/** A Lambda consumer of the queue: batches, windows, failures, partial responses, throttling by reserved concurrency. */
function lambdaConsumer(d: Draws, fifo: boolean, visibilityS: number): string {
  const batchSize = fifo ? d.pick([1, 10]) : d.pick([1, 10, 100, 2000]);
  const window = batchSize > 10 ? d.pick(["1s", "3s"]) : fifo ? "0s" : d.pick(["0s", "0s", "2s"]);
  const timeoutS = Math.min(visibilityS, d.pick([1, 3, 10]));
  const fn = [
    `duration: { perBatch: ${d.pick([0, 10, 500, 3000])}ms, perRecord: ${d.pick([0, 1])}ms, distribution: ${d.pick(["fixed", "exponential"])} }`,
    `timeout: ${timeoutS}s`,
    `errors: { probability: ${d.pick([0, 0, 0.05, 0.5])} }`,
    `coldStart: { initDuration: ${d.pick([0, 250])}ms }`,
    d.chance(0.3) ? `reservedConcurrency: ${d.pick([0, 1, 3])}` : null,
  ].filter((field) => field !== null);
  const mapping = [
    "name: fn",
    "type: lambda",
    `batchSize: ${batchSize}`,
    `maximumBatchingWindow: ${window}`,
    d.chance(0.3) ? `maximumConcurrency: ${d.pick([2, 50])}` : null,
    `reportBatchItemFailures: ${d.chance(0.5)}`,
    `receiveLatency: ${d.pick(["{ median: 0s, p99: 0s }", "{ median: 10ms, p99: 40ms }"])}`,
    `function: { ${fn.join(", ")} }`,
  ].filter((field) => field !== null);
  return `      - { ${mapping.join(", ")} }`;
}

/** A small account limit throttles; reserved concurrency needs 100 of the limit left unreserved. */
function lambdaAccount(d: Draws, reserved: boolean): string[] {
  const limit = d.pick([2, 10, 1000]);
  return d.chance(0.3) && !reserved ? [`    lambdaAccount: { concurrencyLimit: ${limit} }`] : [];
}

function run(generated: Generated) {
  const loaded = loadScenarioText(generated.yaml, `test/sqs/accounting-${generated.index}.yaml`);
  if (!loaded.ok) throw new Error(`generated scenario does not load: ${JSON.stringify(loaded.issues)}`);
  return runScenario(loaded.scenario, { eventBudget: 20_000_000 });
}

/** The identities an SQS system closes. */
export function checkSqs(system: SystemResult, producedByWorkload: number): void {
  expectAccountingCloses(system, producedByWorkload);
  const { accepted } = system.records;
  const sqs = resultOfKind(system, "sqs");
  const series = (name: "NumberOfMessagesSent" | "NumberOfMessagesDeleted") => sqs.series[name];
  expect(series("NumberOfMessagesSent").total, `${system.name}: NumberOfMessagesSent = accepted`).toBe(accepted);
  for (const consumer of system.consumers) {
    expect(consumer.records.lost, `${system.name}/${consumer.name}: SQS loses nothing it acknowledged`).toBe(0);
    expect(consumer.native.name).toBe("ageOfOldestMessageMs");
  }
  // Delayed messages are unread (sent, not yet visible): the queue's gauges at the end add up to the unread term.
  const last = (gauge: (typeof sqs.series)["ApproximateNumberOfMessagesDelayed"]) => gauge.lastAt(gauge.intervalCount - 1);
  expect(last(sqs.series.ApproximateNumberOfMessagesVisible) + last(sqs.series.ApproximateNumberOfMessagesDelayed), `${system.name}: visible + delayed = unread at the end`).toBe(
    sum(system.consumers.map((c) => c.records.unread)),
  );
  expect(series("NumberOfMessagesDeleted").total, `${system.name}: NumberOfMessagesDeleted = consumed`).toBe(sum(system.consumers.map((c) => c.records.consumed)));
  for (const [name, value] of Object.entries(sqs.usage)) expectCount(value, `${system.name} usage.${name}`);
  // A billed send carries at least one message, and at most 10 (64 KB chunks can add requests).
  expect(sqs.usage.messagesSent).toBeLessThanOrEqual(accepted);
  expect(sqs.usage.changeVisibilityRequests).toBe(0);
}

function fingerprint(systems: SystemResult[]) {
  return systems.map((system) => ({
    records: system.records,
    usage: system.usage,
    consumers: system.consumers.map((consumer) => ({ records: consumer.records, lag: [consumer.lag.count, consumer.lag.sum], e2e: [consumer.endToEndLatency.count, consumer.endToEndLatency.sum], scaling: consumer.autoscaling?.activities })),
    findings: system.findings.map((finding) => [finding.code, finding.subject, finding.evidence]),
    facts: system.facts,
  }));
}

const scenarios = Array.from({ length: scenarioCount }, (_, index) => generateScenario(index));
const reached = { runs: 0, lostResponses: 0, fifo: 0, deadLettered: 0, expired: 0, duplicates: 0, dropped: 0, pending: 0, inFlight: 0, twoFleets: 0, stale: 0, lambda: 0, lambdaThrottled: 0, scaledOut: 0, scaledIn: 0, lambdaDeadLettered: 0, lambdaStale: 0, delayed: 0 };

describe("SQS accounting over random scenarios", () => {
  it.each(scenarios.map((generated) => [generated.index, generated] as const))("scenario %i: every identity closes and a second run is identical", { timeout: scenarioTimeoutMs }, (_, generated) => {
    replayable(generated, () => {
      const result = run(generated);
      const produced = sum(result.producers.map((producer) => producer.producedRecords));
      for (const system of result.systems) checkSqs(system, produced);
      expect(fingerprint(run(generated).systems), "a second run of the same scenario").toEqual(fingerprint(result.systems));
      reached.runs++;
      for (const system of result.systems) {
        const records = system.consumers.map((consumer) => consumer.records);
        if (system.facts.queueType === "fifo") reached.fifo++;
        if (Number(system.facts.lostSendResponses) > 0) reached.lostResponses++;
        if (records.some((r) => r.deadLettered > 0)) reached.deadLettered++;
        if (records.some((r) => r.expired > 0)) reached.expired++;
        if (records.some((r) => r.duplicates > 0)) reached.duplicates++;
        if (records.some((r) => r.inFlight > 0)) reached.inFlight++;
        if (system.records.dropped > 0) reached.dropped++;
        if (system.records.pending > 0) reached.pending++;
        if (system.consumers.length > 1) reached.twoFleets++;
        const delayed = resultOfKind(system, "sqs").series.ApproximateNumberOfMessagesDelayed;
        if (Array.from({ length: delayed.intervalCount }, (_, i) => delayed.maxAt(i)).some((count) => count > 0)) reached.delayed++;
        if (Number(system.facts.staleDeletes) > 0) reached.stale++;
        const lambda = system.consumers.find((consumer) => consumer.lambda !== undefined);
        if (lambda !== undefined) reached.lambda++;
        if ((lambda?.lambda?.throttles ?? 0) > 0) reached.lambdaThrottled++;
        if ((lambda?.records.deadLettered ?? 0) > 0) reached.lambdaDeadLettered++;
        if (Number(system.facts.lambdaStaleBatches ?? 0) > 0) reached.lambdaStale++;
        if (system.consumers.some((consumer) => (consumer.autoscaling?.scaleOuts ?? 0) > 0)) reached.scaledOut++;
        if (system.consumers.some((consumer) => (consumer.autoscaling?.scaleIns ?? 0) > 0)) reached.scaledIn++;
      }
    });
  });

  // A visibility timeout of 0 with zero latencies and processing: a delete made at the receive's
  // instant must count, or the message is received again at the same instant forever.
  it("visibility timeout 0 with zero latencies and processing: messages are deleted and time advances", () => {
    const generated: Generated = {
      index: -1,
      yaml: `
name: sqs-visibility-zero
seed: 1
duration: 5s
workload:
  - producer: p
    rate: { recordsPerSecond: 10 }
    recordSize: { distribution: fixed, size: 100B }
    keys: { distribution: fixed, key: "k" }
systems:
  - name: q
    kind: sqs
    queue: { visibilityTimeout: 0s }
    producer: { latency: { median: 0s, p99: 0s } }
    consumers: [ { name: c, count: 2, waitTime: 1s, receiveLatency: { median: 0s, p99: 0s }, deleteLatency: { median: 0s, p99: 0s } } ]
`,
    };
    replayable(generated, () => {
      const result = run(generated);
      const system = result.systems[0]!;
      checkSqs(system, sum(result.producers.map((producer) => producer.producedRecords)));
      expect(system.consumers[0].records.consumed).toBe(system.records.accepted);
      expect(result.eventCount).toBeLessThan(10_000);
    });
  });

  it("the scenarios reach FIFO queues, the DLQ, retention, duplicates, drops and competing fleets", () => {
    if (reached.runs < scenarioCount) return;
    console.info(`sqs accounting reached: ${JSON.stringify(reached)}`);
    expect(reached.fifo).toBeGreaterThanOrEqual(3);
    expect(reached.lostResponses).toBeGreaterThanOrEqual(3);
    expect(reached.deadLettered).toBeGreaterThanOrEqual(2);
    expect(reached.expired).toBeGreaterThanOrEqual(1);
    expect(reached.duplicates).toBeGreaterThanOrEqual(2);
    expect(reached.inFlight).toBeGreaterThanOrEqual(3);
    expect(reached.twoFleets).toBeGreaterThanOrEqual(3);
    // Delay queues and message timers: messages counted in ApproximateNumberOfMessagesDelayed.
    expect(reached.delayed).toBeGreaterThanOrEqual(3);
    expect(reached.lambda).toBeGreaterThanOrEqual(3);
    expect(reached.lambdaThrottled).toBeGreaterThanOrEqual(1);
    // Autoscaled consumers that grew and shrank during the run (consumers added and retired mid-batch).
    expect(reached.scaledOut).toBeGreaterThanOrEqual(2);
    expect(reached.scaledIn).toBeGreaterThanOrEqual(2);
  });
});
