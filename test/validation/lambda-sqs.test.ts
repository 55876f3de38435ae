// Lambda consumers of an SQS queue checked against the published scaling and error semantics
// (docs/reference.md §6.5): the mapping starts with 5 concurrent batches and adds up to 300 a minute
// while messages wait, up to 1,250 (the developer guide's current figure, in the version that
// describes provisioned mode; older copies said 1,000), maximumConcurrency, or the concurrency the
// function can get;
// throttled invocations return their messages to the queue with their receive count grown, so a
// function short of concurrency sends messages to the dead-letter queue without ever failing; and
// every message accepted is accounted for.
//
// Tolerances: the ramp adds 5 pollers a simulated second; with zero latencies and a backlog every
// poller is invoking, so concurrency at a time is the target within one second's step (5).

import { describe, expect, it } from "vitest";
import { resultOfKind } from "../../sim/metrics/index.ts";
import { runScenario } from "../../sim/run/index.ts";
import { expectRunAccountingCloses } from "../support/accounting.ts";
import { loadInline } from "../support/scenarios.ts";

const runTimeoutMs = 180_000;

function scenario(options: { recordsPerSecond: number; duration: string; queue?: string; consumer: string; account?: string; keys?: string }): string {
  return `name: lambda-sqs-validation
seed: 3
duration: ${options.duration}
warmup: 0s
report: { interval: 10s }
workload:
  - producer: p
    rate: { recordsPerSecond: ${options.recordsPerSecond}, arrivals: uniform }
    recordSize: { distribution: fixed, size: 200B }
    keys: ${options.keys ?? '{ distribution: uniform, cardinality: 100000, template: "k-{i}" }'}
systems:
  - name: q
    kind: sqs
    queue: ${options.queue ?? "{ type: standard, visibilityTimeout: 5m }"}
    producer: { batch: { maxMessages: 10, linger: 5ms }, latency: { median: 0s, p99: 0s } }
${options.account ?? ""}
    consumers:
      - ${options.consumer}
`;
}

function run(text: string) {
  const result = runScenario(loadInline(text));
  expectRunAccountingCloses(result);
  return resultOfKind(result.systems[0], "sqs");
}

const zeroLatency = "receiveLatency: { median: 0s, p99: 0s }";

/** The function's concurrency at the end of the report interval that ends at `timeUs`. */
function concurrencyAt(system: ReturnType<typeof run>, timeUs: number): number {
  const series = system.consumers[0].lambda!.concurrency;
  return series.toArrays().last[Math.round(timeUs / series.intervalUs) - 1];
}

describe("SQS mapping scaling", () => {
  it(
    "concurrency after t minutes is min(5 + 300 t, 1,250): 305, 605, 905, 1,205, then 1,250",
    () => {
      // 20,000 messages/s in batches of 10 taking 2 s each need 4,000 at once: the ramp never catches up.
      const system = run(scenario({ recordsPerSecond: 20_000, duration: "6m", consumer: `{ name: fn, type: lambda, ${zeroLatency}, function: { duration: { perBatch: 2s }, timeout: 10s, coldStart: { initDuration: 0s } } }`, account: "    lambdaAccount: { concurrencyLimit: 5000 }" }));
      for (const minutes of [1, 2, 3, 4, 5]) expect(Math.abs(concurrencyAt(system, minutes * 60e6) - Math.min(5 + 300 * minutes, 1250))).toBeLessThanOrEqual(5);
    },
    runTimeoutMs,
  );

  it(
    "maximumConcurrency caps the ramp, and the account's limit holds it through throttles",
    () => {
      const consumer = (extra: string) => `{ name: fn, type: lambda, ${zeroLatency}, ${extra} function: { duration: { perBatch: 2s }, timeout: 10s, coldStart: { initDuration: 0s } } }`;
      const capped = run(scenario({ recordsPerSecond: 5000, duration: "3m", consumer: consumer("maximumConcurrency: 100,") }));
      expect(concurrencyAt(capped, 60e6)).toBe(100);
      expect(capped.consumers[0].lambda!.throttles).toBe(0);
      const limited = run(scenario({ recordsPerSecond: 5000, duration: "3m", consumer: consumer(""), account: "    lambdaAccount: { concurrencyLimit: 150 }" }));
      for (const minutes of [1, 2, 3]) expect(Math.abs(concurrencyAt(limited, minutes * 60e6) - 150)).toBeLessThanOrEqual(5);
      expect(limited.consumers[0].lambda!.throttles).toBeGreaterThan(0);
    },
    runTimeoutMs,
  );
});

describe("SQS mapping batches", () => {
  it(
    "a batching window of 5 s at 10 messages/s with batchSize 100: each of the 5 pollers fills its own window, ~10 messages an invocation",
    () => {
      // Each poller gathers its own batch (docs/reference.md §6.5): 5 pollers share the 50 messages a
      // window brings, so an invocation holds ~10 of them, and no message waits in a batch past 5 s.
      const system = run(scenario({ recordsPerSecond: 10, duration: "10m", consumer: `{ name: fn, type: lambda, batchSize: 100, maximumBatchingWindow: 5s, ${zeroLatency}, function: { duration: { perBatch: 10ms } } }` }));
      const stats = system.consumers[0].lambda!;
      const perInvocation = system.consumers[0].records.consumed / stats.invocations;
      expect(perInvocation).toBeGreaterThan(8);
      expect(perInvocation).toBeLessThan(13);
      // The window, a cold start's 250 ms init, and the 10 ms invocation.
      expect(system.consumers[0].endToEndLatency.max / 1e6).toBeLessThanOrEqual(5.3);
    },
    runTimeoutMs,
  );

  it(
    "with no window an invocation takes what one receive returns (at most 10), whatever batchSize says",
    () => {
      const system = run(scenario({ recordsPerSecond: 2000, duration: "1m", consumer: `{ name: fn, type: lambda, batchSize: 10, ${zeroLatency}, function: { duration: { perBatch: 100ms } } }` }));
      const stats = system.consumers[0].lambda!;
      expect(system.consumers[0].records.consumed / (stats.invocations - stats.failedInvocations)).toBeLessThanOrEqual(10);
    },
    runTimeoutMs,
  );
});

describe("SQS mapping errors", () => {
  it(
    "throttling alone sends messages to the DLQ: reserved concurrency 1 under the mapping's 5 pollers, visibility 10 s, maxReceiveCount 1",
    () => {
      // Five pollers each hold a batch and one can run: the others retry every second until their
      // visibility timeout passes, then their messages return with receive count 1 and go to the DLQ at
      // the next receive. The function never fails.
      const system = run(scenario({ recordsPerSecond: 200, duration: "3m", queue: "{ type: standard, visibilityTimeout: 10s, maxReceiveCount: 1 }", consumer: `{ name: fn, type: lambda, function: { duration: { perBatch: 500ms }, timeout: 1s, reservedConcurrency: 1 } }` }));
      const consumer = system.consumers[0];
      expect(consumer.lambda!.failedInvocations).toBe(0);
      expect(consumer.lambda!.throttles).toBeGreaterThan(0);
      expect(consumer.records.deadLettered).toBeGreaterThan(0);
      expect(system.findings.map((finding) => finding.code)).toContain("lambda-throttled-to-dlq");
      // The same with maximumConcurrency 2 over reserved 2: nothing is throttled, nothing dead-lettered.
      const capped = run(scenario({ recordsPerSecond: 200, duration: "3m", queue: "{ type: standard, visibilityTimeout: 10s, maxReceiveCount: 1 }", consumer: `{ name: fn, type: lambda, maximumConcurrency: 2, function: { duration: { perBatch: 500ms }, timeout: 1s, reservedConcurrency: 2 } }` }));
      expect(capped.consumers[0].lambda!.throttles).toBe(0);
      expect(capped.consumers[0].records.deadLettered).toBe(0);
    },
    runTimeoutMs,
  );

  it(
    "a failing function: each message is received maxReceiveCount times, then dead-lettered; with partial batch responses only the failed ones return",
    () => {
      const failing = run(scenario({ recordsPerSecond: 50, duration: "3m", queue: "{ type: standard, visibilityTimeout: 5s, maxReceiveCount: 3 }", consumer: `{ name: fn, type: lambda, ${zeroLatency}, function: { duration: { perBatch: 10ms }, timeout: 1s, errors: { probability: 1 } } }` }));
      const consumer = failing.consumers[0];
      expect(consumer.records.consumed).toBe(0);
      // Messages sent by 3 m - 3 x 5 s have been received 3 times and moved at the 4th receive.
      expect(consumer.records.deadLettered).toBeGreaterThan(50 * (180 - 20));
      expect(failing.findings.map((finding) => finding.code)).toContain("dead-lettered");
      // 10% of messages fail on their own draw each time: with partial responses 90% are deleted at the
      // first invocation; full batches of 10 (a 1 s window fills them) fail whole with probability 1 - 0.9^10 = 65%.
      const mapping = (partialResponse: boolean) =>
        `{ name: fn, type: lambda, batchSize: 10, maximumBatchingWindow: 1s, reportBatchItemFailures: ${partialResponse}, ${zeroLatency}, function: { duration: { perBatch: 10ms }, timeout: 1s, errors: { probability: 0.1 } } }`;
      const partial = run(scenario({ recordsPerSecond: 200, duration: "2m", queue: "{ type: standard, visibilityTimeout: 5s, maxReceiveCount: 5 }", consumer: mapping(true) }));
      const whole = run(scenario({ recordsPerSecond: 200, duration: "2m", queue: "{ type: standard, visibilityTimeout: 5s, maxReceiveCount: 5 }", consumer: mapping(false) }));
      const received = (system: ReturnType<typeof run>) => system.series.NumberOfMessagesReceived.total;
      const accepted = partial.records.accepted;
      // Receives per message: ~1 / 0.9 with partial responses; ~1 / 0.35 with whole batches (up to maxReceiveCount 5).
      expect(received(partial) / accepted).toBeGreaterThan(1.05);
      expect(received(partial) / accepted).toBeLessThan(1.2);
      expect(received(whole) / accepted).toBeGreaterThan(2);
    },
    runTimeoutMs,
  );

  it(
    "a visibility timeout under 6x the function timeout is flagged",
    () => {
      const system = run(scenario({ recordsPerSecond: 50, duration: "1m", queue: "{ type: standard, visibilityTimeout: 10s }", consumer: `{ name: fn, type: lambda, function: { duration: { perBatch: 10ms }, timeout: 5s } }` }));
      const finding = system.findings.find((f) => f.code === "lambda-visibility-timeout");
      expect(finding?.evidence.advisedSeconds).toBe(30);
    },
    runTimeoutMs,
  );
});

describe("SQS mapping on a FIFO queue", () => {
  it(
    "keeps each group's order and runs at most one batch per group: 3 groups, at most 3 invocations at once",
    () => {
      const system = run(scenario({ recordsPerSecond: 300, duration: "2m", queue: "{ type: fifo, highThroughput: true, visibilityTimeout: 30s }", keys: '{ distribution: uniform, cardinality: 3, template: "g-{i}" }', consumer: `{ name: fn, type: lambda, ${zeroLatency}, function: { duration: { perBatch: 1s } } }` }));
      expect(system.facts.fifoOrderViolations).toBe(0);
      expect(system.consumers[0].lambda!.peakConcurrency).toBe(3);
      expect(system.findings.find((f) => f.code === "queue-falling-behind")?.message).toContain("one batch per message group");
    },
    runTimeoutMs,
  );

  it(
    "one hot group: served one batch of 10 per 1 s invocation, 10 messages/s, whatever the mapping's scale",
    () => {
      const system = run(scenario({ recordsPerSecond: 50, duration: "2m", queue: "{ type: fifo, visibilityTimeout: 30s }", keys: '{ distribution: fixed, key: "tenant-1" }', consumer: `{ name: fn, type: lambda, ${zeroLatency}, function: { duration: { perBatch: 1s }, coldStart: { initDuration: 0s } } }` }));
      const hot = system.findings.find((f) => f.code === "hot-fifo-group");
      expect(hot?.evidence.boundMessagesPerSecond).toBe(10);
      expect(system.consumers[0].lambda!.peakConcurrency).toBe(1);
      // 120 s at 10 messages/s, less the first seconds' batches, taken before 10 messages had arrived.
      expect(system.consumers[0].records.consumed).toBeLessThanOrEqual(1200);
      expect(system.consumers[0].records.consumed).toBeGreaterThan(1170);
    },
    runTimeoutMs,
  );
});

describe("SQS mapping scale-down", () => {
  it(
    "when the queue empties the mapping goes back to 5 long-polling pollers: 5 x 3 empty receives a minute",
    () => {
      // 2 minutes at 2,000 messages/s (batches of 10 taking 1 s: ~200 pollers), then nothing for 4 minutes.
      const text = scenario({ recordsPerSecond: 2000, duration: "6m", consumer: `{ name: fn, type: lambda, ${zeroLatency}, function: { duration: { perBatch: 1s } } }` }).replace(
        "rate: { recordsPerSecond: 2000, arrivals: uniform }",
        "rate: { arrivals: uniform, phases: [ { duration: 2m, recordsPerSecond: 2000 }, { duration: 4m, recordsPerSecond: 0 } ] }",
      );
      const system = run(text);
      expect(Number(system.facts.lambdaPeakBatches)).toBeGreaterThan(150);
      // The last minute: every poller still running long-polls an empty queue, 20 s a call.
      const empty = system.series.NumberOfEmptyReceives.toArrays();
      const lastMinute = Array.from(empty.sum.slice(-6)).reduce((a, b) => a + b, 0);
      expect(lastMinute).toBe(15);
    },
    runTimeoutMs,
  );
});
