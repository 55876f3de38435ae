// The SQS model against queueing theory (M/M/1, Little's law) and SQS's documented semantics
// (docs/reference.md §4): the dead-letter queue after maxReceiveCount
// receives, FIFO order within a message group and one batch of a group in flight at a time, and
// conservation of messages. Each tolerance says which error it covers. Latencies are set to zero
// wherever the analytic result has none. A failing check prints the command that replays it.

import { mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, onTestFailed } from "vitest";
import { buildSummary, summaryJson } from "../../reports/summary.ts";
import { resultOfKind, type GaugeSeries, type SystemResult } from "../../sim/metrics/index.ts";
import { runScenario } from "../../sim/run/index.ts";
import { loadScenarioText } from "../../sim/scenario/index.ts";

const secondUs = 1_000_000;
const zero = "{ median: 0s, p99: 0s }";

function load(name: string, yaml: string) {
  const loaded = loadScenarioText(yaml, `${name}.yaml`);
  if (!loaded.ok) throw new Error(`${name} does not load: ${JSON.stringify(loaded.issues)}`);
  onTestFailed(() => {
    const directory = join(tmpdir(), "streamsim-validation");
    mkdirSync(directory, { recursive: true });
    const file = join(directory, `${name}.yaml`);
    writeFileSync(file, yaml);
    console.error(`replay: npx streamsim run ${file}`);
  });
  return loaded.scenario;
}

function run(name: string, yaml: string) {
  return runScenario(load(name, yaml));
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

function mean(histogram: { sum: number; count: number }): number {
  return histogram.sum / histogram.count;
}

describe("M/M/1: Poisson arrivals, one consumer taking one message at a time, exponential processing", () => {
  // lambda = 80/s, mu = 100/s (mean processing 10 ms), rho = 0.8: Wq = rho / (mu - lambda) = 40 ms,
  // W = 1 / (mu - lambda) = 50 ms. 6,000 s after a 100 s warm-up is ~470,000 messages. At rho 0.8 the
  // waits are strongly correlated: the asymptotic variance of the mean sojourn time is about
  // rho (2 + 5 rho - 4 rho^2 + rho^3) / (mu^2 (1 - rho)^4) per message (Whitt), i.e. a standard
  // deviation of 0.44 s per message, so the run's mean has a standard error of ~0.65 ms (1.3% of W,
  // similar for Wq): 5% is about 4 standard errors, a real disagreement and not noise.
  const warmupS = 100;
  const durationS = 6100;
  const result = (() => {
    let cached: ReturnType<typeof run> | null = null;
    return () =>
      (cached ??= run(
        "sqs-mm1",
        `
name: sqs-mm1
seed: 3
duration: ${durationS}s
warmup: ${warmupS}s
report: { interval: ${warmupS}s }
workload:
  - producer: p
    rate: { recordsPerSecond: 80, arrivals: poisson }
    recordSize: { distribution: fixed, size: 100B }
    keys: { distribution: fixed, key: "k" }
systems:
  - name: q
    kind: sqs
    queue: { visibilityTimeout: 12h }
    producer: { latency: ${zero} }
    consumers:
      - { name: c, count: 1, maxMessages: 1, waitTime: 20s, processing: { perRecord: 10ms, distribution: exponential }, receiveLatency: ${zero}, deleteLatency: ${zero} }
`,
      ));
  })();

  it("the mean queue wait is Wq = rho / (mu - lambda) = 40 ms within 5%, the mean end-to-end latency W = 1 / (mu - lambda) = 50 ms within 5%", { timeout: 60_000 }, () => {
    const consumer = result().systems[0].consumers[0];
    expect(mean(consumer.queueWait!) / 1000).toBeGreaterThan(40 * 0.95);
    expect(mean(consumer.queueWait!) / 1000).toBeLessThan(40 * 1.05);
    expect(mean(consumer.endToEndLatency) / 1000).toBeGreaterThan(50 * 0.95);
    expect(mean(consumer.endToEndLatency) / 1000).toBeLessThan(50 * 1.05);
  });

  it("Little's law: the time-averaged number of visible messages = arrival rate x mean queue wait, within 2%", { timeout: 60_000 }, () => {
    // Both sides come from the same run, so sampling noise cancels: what is left is the warm-up
    // boundary (messages waiting across it, a few in ~470,000) and the queue-wait histogram's
    // exact sum. 2% would catch a gauge not updated at some change, or a wait measured from the wrong time.
    const system = result().systems[0];
    const consumer = system.consumers[0];
    const visible = timeMean(resultOfKind(system, "sqs").series.ApproximateNumberOfMessagesVisible, 1);
    const arrivalsPerSecond = consumer.queueWait!.count / (durationS - warmupS);
    const littleL = (arrivalsPerSecond * mean(consumer.queueWait!)) / secondUs;
    expect(visible).toBeGreaterThan(3); // rho^2 / (1 - rho) = 3.2: the queue was really loaded
    expect(Math.abs(visible / littleL - 1)).toBeLessThan(0.02);
  });
});

describe("dead-letter queue", () => {
  it("every message failing: exactly those received maxReceiveCount times move to the DLQ, at their next receive", () => {
    // 10 messages/s evenly spaced from 0.1 s (k = 1..300, at k x 100 ms), one consumer that fails
    // everything, visibility 1 s, maxReceiveCount 3, zero latencies: a message sent at t is received at
    // t, t+1 s, t+2 s and moved to the DLQ at t+3 s. The run ends at 30.05 s (no event on a boundary).
    const durationUs = 30_050_000;
    const [system] = run(
      "sqs-dlq",
      `
name: sqs-dlq
seed: 1
duration: 30050ms
workload:
  - producer: p
    rate: { recordsPerSecond: 10, arrivals: uniform }
    recordSize: { distribution: fixed, size: 100B }
    keys: { distribution: fixed, key: "k" }
systems:
  - name: q
    kind: sqs
    queue: { visibilityTimeout: 1s, maxReceiveCount: 3 }
    producer: { latency: ${zero} }
    consumers:
      - { name: c, count: 1, maxMessages: 1, waitTime: 20s, failureProbability: 1, receiveLatency: ${zero}, deleteLatency: ${zero} }
`,
    ).systems;
    let expectedDead = 0;
    let expectedReceives = 0;
    for (let k = 1; k * 100_000 < durationUs; k++) {
      const sentUs = k * 100_000;
      if (sentUs + 3 * secondUs <= durationUs) expectedDead++;
      for (let receive = 0; receive < 3; receive++) if (sentUs + receive * secondUs <= durationUs) expectedReceives++;
    }
    const r = system.consumers[0].records;
    expect(expectedDead).toBe(270);
    expect(r.deadLettered).toBe(expectedDead);
    expect(r.consumed).toBe(0);
    expect(Number(system.facts.receiveCalls) - Number(system.facts.emptyReceiveCalls)).toBe(expectedReceives);
    expect(system.facts.failedMessages).toBe(expectedReceives);
    expect(r.deadLettered + r.inFlight + r.unread).toBe(system.records.accepted);
    expect(system.findings.map((finding) => finding.code)).toContain("dead-lettered");
  });
});

describe("FIFO queues", () => {
  it("a single hot group is served one batch at a time: maxMessages / (receive latency + processing + delete latency)", () => {
    // One key, 1,000 messages/s (far above the bound) sent 10 per call (100 calls/s, under the FIFO
    // limit of 300: with linger 0 every message would be a call of its own, and throttled), 10 consumers long-polling, 10 messages per
    // receive, receive and delete 10 ms each, 1 ms per message: a cycle is 10 + 10 + 10 = 30 ms, so at
    // most 333.3 messages/s. The first batch is there at 9 ms and deletes land every 30 ms after, so
    // 60 s give (60,000 - 9) / 30 = 1,999 full cycles = 19,990 messages: 1% covers that edge and
    // nothing else, since every duration here is fixed.
    const [system] = run(
      "sqs-fifo-hot",
      `
name: sqs-fifo-hot
seed: 1
duration: 60s
workload:
  - producer: p
    rate: { recordsPerSecond: 1000, arrivals: uniform }
    recordSize: { distribution: fixed, size: 100B }
    keys: { distribution: fixed, key: "device-0" }
systems:
  - name: q
    kind: sqs
    queue: { type: fifo, visibilityTimeout: 30s }
    producer: { batch: { maxMessages: 10, linger: 10ms }, latency: ${zero} }
    consumers:
      - { name: c, count: 10, maxMessages: 10, waitTime: 20s, processing: { perRecord: 1ms }, receiveLatency: { median: 10ms, p99: 10ms }, deleteLatency: { median: 10ms, p99: 10ms } }
`,
    ).systems;
    expect(system.records.throttledAttempts).toBe(0);
    const bound = (10 / 0.03) * 60;
    const consumed = system.consumers[0].records.consumed;
    expect(consumed).toBeLessThanOrEqual(bound);
    expect(consumed).toBeGreaterThan(bound * 0.99);
    const hot = system.findings.find((finding) => finding.code === "hot-fifo-group");
    expect(hot?.subject).toBe("device-0");
    expect(Number(hot?.evidence.boundMessagesPerSecond)).toBeCloseTo(333.333, 2);
  });

  it("order within each group is kept, also when failed messages come back", () => {
    const [system] = run(
      "sqs-fifo-order",
      `
name: sqs-fifo-order
seed: 5
duration: 60s
workload:
  - producer: p
    rate: { recordsPerSecond: 500, arrivals: poisson }
    recordSize: { distribution: fixed, size: 100B }
    keys: { distribution: zipf, cardinality: 50, exponent: 1.1, template: "g-{i}" }
systems:
  - name: q
    kind: sqs
    queue: { type: fifo, visibilityTimeout: 2s, maxReceiveCount: 5 }
    producer: { batch: { maxMessages: 10, linger: 10ms } }
    consumers:
      - { name: c, count: 8, maxMessages: 10, waitTime: 5s, failureProbability: 0.05, processing: { perRecord: 1ms } }
`,
    ).systems;
    expect(Number(system.facts.failedMessages)).toBeGreaterThan(100);
    expect(system.facts.fifoOrderViolations).toBe(0);
    expect(system.consumers[0].records.duplicates).toBe(0);
  });
});

describe("visibility timeout shorter than processing", () => {
  it("messages are processed again by another consumer, counted as duplicates; a late delete deletes only what nobody received since", () => {
    // 2 messages/s, 4 consumers, 1.5 s of processing per message, visibility 1 s, zero latencies:
    // a message received at t is visible again at t+1 s and taken by an idle consumer, if one is
    // idle; then the first delete (t+1.5 s) carries a receipt handle that is no longer the most recent
    // and deletes nothing (a duplicate). When no consumer was idle, the message still waits at t+1.5 s
    // and the late delete removes it (the DeleteMessage API reference, docs/reference.md §4). Every
    // delete here is late, so every message consumed was consumed by a late delete.
    const [system] = run(
      "sqs-visibility",
      `
name: sqs-visibility
seed: 1
duration: 20s
workload:
  - producer: p
    rate: { recordsPerSecond: 2, arrivals: uniform }
    recordSize: { distribution: fixed, size: 100B }
    keys: { distribution: fixed, key: "k" }
systems:
  - name: q
    kind: sqs
    queue: { visibilityTimeout: 1s }
    producer: { latency: ${zero} }
    consumers:
      - { name: c, count: 4, maxMessages: 1, waitTime: 20s, processing: { perRecord: 1500ms }, receiveLatency: ${zero}, deleteLatency: ${zero} }
`,
    ).systems;
    const r = system.consumers[0].records;
    expect(r.consumed).toBeGreaterThan(0);
    expect(system.facts.lateDeletes).toBe(r.consumed);
    expect(r.duplicates).toBeGreaterThan(0);
    expect(system.facts.staleDeletes).toBe(r.duplicates);
    expect(system.findings.map((finding) => finding.code)).toContain("visibility-timeout-too-short");
    expect(r.consumed + r.inFlight + r.unread + r.expired + r.deadLettered).toBe(system.records.accepted);
  });
});

describe("in-flight limit", () => {
  it("a standard queue holds at most 120,000 messages in flight; receives beyond it return nothing", () => {
    // 2,000 messages/s for 80 s, every processing fails and the visibility timeout is 12 h, so nothing
    // leaves flight: it fills to exactly the limit (docs/reference.md §4) after 60 s, and the rest waits visible.
    const [system] = run(
      "sqs-in-flight",
      `
name: sqs-in-flight
seed: 4
duration: 80s
workload:
  - producer: p
    rate: { recordsPerSecond: 2000, arrivals: uniform }
    recordSize: { distribution: fixed, size: 100B }
    keys: { distribution: fixed, key: "k" }
systems:
  - name: q
    kind: sqs
    queue: { visibilityTimeout: 12h }
    producer: { batch: { maxMessages: 10, linger: 10ms } }
    consumers: [ { name: c, count: 20, maxMessages: 10, waitTime: 20s, failureProbability: 1 } ]
`,
    ).systems;
    const r = system.consumers[0].records;
    expect(r.inFlight).toBe(120_000);
    expect(r.unread).toBeGreaterThan(30_000);
    expect(r.inFlight + r.unread).toBe(system.records.accepted);
    expect(system.findings.map((finding) => finding.code)).toContain("in-flight-limit");
  });
});

describe("long polling", () => {
  it("100 consumers long-polling a near-empty queue each wait out their 20 s: no event per consumer per instant", () => {
    // 1 message/s for 10 min: each arrival wakes one parked consumer; the others' polls end empty
    // after 20 s. So at most 100 x 600 s / 20 s = 3,000 empty receives, and the ~600 woken polls
    // are not empty: a consumer woken too early or spinning would show as far more, and as events.
    const result = run(
      "sqs-long-poll",
      `
name: sqs-long-poll
seed: 2
duration: 10m
workload:
  - producer: p
    rate: { recordsPerSecond: 1, arrivals: poisson }
    recordSize: { distribution: fixed, size: 100B }
    keys: { distribution: fixed, key: "k" }
systems:
  - name: q
    kind: sqs
    consumers: [ { name: c, count: 100, maxMessages: 10, waitTime: 20s } ]
`,
    );
    const system = result.systems[0];
    const empty = Number(system.facts.emptyReceiveCalls);
    expect(empty).toBeLessThanOrEqual(3000);
    expect(empty).toBeGreaterThan(3000 - 700);
    expect(result.eventCount).toBeLessThan(30_000);
    expect(resultOfKind(system, "sqs").usage.emptyReceiveRequests).toBe(empty);
    // Most calls are empty, and each is billed: worth an (info) word on cost.
    expect(system.findings.find((finding) => finding.code === "empty-receives")?.severity).toBe("info");
  });
});

describe("determinism", () => {
  it("the same scenario gives a byte-identical summary.json", () => {
    const yaml = `
name: sqs-determinism
seed: 9
duration: 20s
workload:
  - producer: p
    rate: { recordsPerSecond: 500, arrivals: poisson }
    recordSize: { distribution: lognormal, median: 1KiB, p99: 8KiB, max: 64KiB }
    keys: { distribution: zipf, cardinality: 1000, exponent: 1.0 }
systems:
  - name: std
    kind: sqs
    queue: { visibilityTimeout: 2s, maxReceiveCount: 3, duplicateDeliveryProbability: 0.01 }
    producer: { batch: { maxMessages: 10, linger: 20ms } }
    consumers: [ { name: c, count: 3, maxMessages: 10, waitTime: 1s, failureProbability: 0.1, processing: { perRecord: 1ms, distribution: exponential } } ]
  - name: fifo
    kind: sqs
    queue: { type: fifo, visibilityTimeout: 2s, maxReceiveCount: 3 }
    producer: { batch: { maxMessages: 10, linger: 20ms } }
    consumers: [ { name: c, count: 3, maxMessages: 10, waitTime: 1s, failureProbability: 0.1, processing: { perRecord: 1ms } } ]
`;
    const text = () => summaryJson(buildSummary(run("sqs-determinism", yaml)));
    const first = text();
    expect(text()).toBe(first);
    const summary = JSON.parse(first) as { systems: Array<{ consumers: Array<{ records: SystemResult["consumers"][number]["records"] }> }> };
    expect(summary.systems[0].consumers[0].records.duplicates).toBeGreaterThan(0);
  });
});
