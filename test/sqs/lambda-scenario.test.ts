// The SQS Lambda consumer's block: defaults from Lambda's documentation, and the rules that depend on
// the queue, each reported at its field (docs/reference.md §6.5).

import { describe, expect, it } from "vitest";
import { formatIssue, loadScenarioText } from "../../sim/scenario/index.ts";

function scenario(queue: string, consumer: string, extra = ""): string {
  return `name: lambda-sqs-scenario
duration: 1m
workload:
  - producer: p
    rate: { recordsPerSecond: 10 }
    recordSize: { distribution: fixed, size: 100B }
    keys: { distribution: uniform, cardinality: 10, template: "k-{i}" }
systems:
  - name: q
    kind: sqs
    queue: ${queue}
${extra}    consumers:
      - ${consumer}
`;
}

function issuesOf(text: string): string[] {
  const loaded = loadScenarioText(text, "test/sqs/inline.yaml");
  return loaded.ok ? [] : loaded.issues.map(formatIssue);
}

describe("SQS Lambda consumer block", () => {
  it("defaults: batches of 10, no window, no maximumConcurrency, whole-batch failures; the account's 1,000", () => {
    const loaded = loadScenarioText(scenario("{ type: standard }", "{ name: fn, type: lambda }"), "test/sqs/inline.yaml");
    if (!loaded.ok) throw new Error(loaded.issues.map(formatIssue).join("\n"));
    const system = loaded.scenario.systems[0];
    if (system.kind !== "sqs") throw new Error("expected an SQS system");
    const consumer = system.consumers[0];
    if (consumer.type !== "lambda") throw new Error("expected a Lambda consumer");
    expect(consumer).toMatchObject({ batchSize: 10, maximumBatchingWindow: 0, reportBatchItemFailures: false });
    expect(consumer.maximumConcurrency).toBeUndefined();
    expect(system.lambdaAccount.concurrencyLimit).toBe(1000);
  });

  it("a fleet entry needs no type, and keeps its own fields", () => {
    expect(issuesOf(scenario("{ type: standard }", "{ name: workers, count: 3 }"))).toEqual([]);
    expect(issuesOf(scenario("{ type: standard }", "{ name: workers, type: fleet, count: 3 }"))).toEqual([]);
  });

  it("refuses a batch above 10 without a 1 s window, a FIFO batch above 10 or a FIFO window, and a timeout above the visibility timeout", () => {
    expect(issuesOf(scenario("{ type: standard }", "{ name: fn, type: lambda, batchSize: 100 }"))[0]).toContain("maximumBatchingWindow of at least 1s");
    expect(issuesOf(scenario("{ type: standard }", "{ name: fn, type: lambda, batchSize: 100, maximumBatchingWindow: 1s }"))).toEqual([]);
    expect(issuesOf(scenario("{ type: fifo }", "{ name: fn, type: lambda, batchSize: 20, maximumBatchingWindow: 1s }")).join("\n")).toContain("batchSize of at most 10 on a FIFO queue");
    expect(issuesOf(scenario("{ type: fifo }", "{ name: fn, type: lambda, maximumBatchingWindow: 2s }"))[0]).toContain("no batching window for FIFO queues");
    const timeout = issuesOf(scenario("{ type: standard, visibilityTimeout: 10s }", "{ name: fn, type: lambda, function: { timeout: 20s } }"));
    expect(timeout[0]).toContain("consumers[0].function.timeout");
    expect(timeout[0]).toContain("at most the queue's visibility timeout (10s)");
  });

  it("refuses maximumConcurrency outside 2-1,000, and poison records (a stream mapping's notion)", () => {
    expect(issuesOf(scenario("{ type: standard }", "{ name: fn, type: lambda, maximumConcurrency: 1 }"))).toHaveLength(1);
    expect(issuesOf(scenario("{ type: standard }", "{ name: fn, type: lambda, maximumConcurrency: 1001 }"))).toHaveLength(1);
    expect(issuesOf(scenario("{ type: standard }", "{ name: fn, type: lambda, function: { errors: { poisonRecords: 0.01 } } }"))[0]).toContain("poison records are modelled on stream mappings only");
  });

  it("counts reserved concurrency against the account, leaving 100 unreserved", () => {
    const issues = issuesOf(scenario("{ type: standard }", "{ name: fn, type: lambda, function: { reservedConcurrency: 950 } }"));
    expect(issues[0]).toContain("total at most 900");
    expect(issuesOf(scenario("{ type: standard }", "{ name: fn, type: lambda, function: { reservedConcurrency: 950 } }", "    lambdaAccount: { concurrencyLimit: 2000 }\n"))).toEqual([]);
  });
});
