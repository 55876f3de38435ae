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
