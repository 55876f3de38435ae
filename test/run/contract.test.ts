// The model contract: every kind of system is built through the registry, runs, and collects the
// same result however often it is asked (collect() reads the model's state and changes none of it).

import { describe, expect, it } from "vitest";
import { buildSummary, summaryJson } from "../../reports/index.ts";
import { scenarioCosts } from "../../sim/cost/index.ts";
import { RandomStreams, Simulation } from "../../sim/engine/index.ts";
import type { KinesisUsage, SystemResult } from "../../sim/metrics/index.ts";
import { buildModel, modelRegistry } from "../../sim/run/index.ts";
import { actionsFor, formatIssue, loadScenarioText, type Scenario } from "../../sim/scenario/index.ts";
import { systemSchema } from "../../sim/scenario/systems-schema.ts";
import { ProducerStream } from "../../sim/workload/index.ts";

const workload = `
name: contract
duration: 40s
warmup: 5s
report: { interval: 10s }
workload:
  - producer: app
    rate: { recordsPerSecond: 400, arrivals: poisson }
    recordSize: { distribution: fixed, size: 1KiB }
    keys: { distribution: zipf, cardinality: 50, exponent: 1.2 }
`;

// One small system of each kind, each with a timeline action of its own and consumers that fall
// behind, so that the end-of-run terms collect() computes (unread, in flight, expired) are non-zero.
const systems: Record<string, string> = {
  kinesis: `
systems:
  - name: kds
    kind: kinesis
    capacity: { mode: provisioned, shards: 1 }
    consumers:
      - { name: slow, type: polling, pollInterval: 1s, maxRecords: 100, processing: { perRecord: 5ms } }
      - { name: fan, type: enhanced-fan-out }
timeline:
  - { at: 20s, system: kds, action: consumer-crash, consumer: slow }
`,
  kafka: `
systems:
  - name: msk
    kind: kafka
    brokers: { count: 3 }
    topic: { partitions: 3, replicationFactor: 3, retention: 10s }
    consumerGroups:
      - { name: slow, consumers: 2, processing: { perRecord: 10ms } }
timeline:
  - { at: 15s, system: msk, action: broker-down, broker: 1, for: 10s }
  - { at: 25s, system: msk, action: consumer-crash, group: slow, consumer: 0 }
`,
  sqs: `
systems:
  - name: queue
    kind: sqs
    queue: { type: standard, visibilityTimeout: 2s, maxReceiveCount: 3 }
    consumers:
      - { name: workers, count: 2, maxMessages: 10, waitTime: 1s, processing: { perRecord: 6ms } }
timeline:
  - { at: 15s, system: queue, action: consumer-fail, consumer: workers, for: 5s }
`,
  // Firehose takes no timeline actions; a buffer still open and an object still being written at the end
  // make its unread and in-flight terms non-zero.
  firehose: `
systems:
  - name: stream
    kind: firehose
    buffering: { size: 1MiB, interval: 60s }
    delivery: { latency: { median: 5s, p99: 10s }, failureProbability: 0.2 }
`,
};

function load(text: string): Scenario {
  const loaded = loadScenarioText(text, "contract.yaml");
  if (!loaded.ok) throw new Error(loaded.issues.map(formatIssue).join("\n"));
  return loaded.scenario;
}

/** The one system of a scenario, built through the registry and run to the end; collect is left to the caller. */
function runOne(scenario: Scenario) {
  const sim = new Simulation();
  const streams = new RandomStreams(scenario.seed);
  const context = { sim, streams, durationUs: scenario.durationUs, warmupUs: scenario.warmupUs, reportIntervalUs: scenario.reportIntervalUs };
  const [system] = scenario.systems;
  const workloads = scenario.producers.map((spec) => new ProducerStream(spec, scenario, streams));
  const model = buildModel(system.kind, system, workloads, context);
  model.start(actionsFor(scenario.timeline, system.kind, system.name));
  const run = sim.run({ endUs: scenario.durationUs, eventBudget: 1e8 });
  return { model, eventCount: run.eventCount };
}

function summaryText(scenario: Scenario, eventCount: number, result: SystemResult): string {
  return summaryJson(buildSummary({ scenario, eventCount, producers: [], systems: [result], costs: scenarioCosts(scenario, [result]), retentionCosts: [], notes: [] }));
}

describe("the model contract", () => {
  it.each(Object.keys(systems))("%s: collect() twice gives equal results and the same summary.json", (kind) => {
    const scenario = load(workload + systems[kind]);
    const { model, eventCount } = runOne(scenario);
    const first = model.collect();
    // Copies of the data as it stands now: the results share histograms and series with the model.
    const firstCopy = structuredClone(first);
    const firstSummary = summaryText(scenario, eventCount, first);
    const second = model.collect();
    expect(second.kind).toBe(kind);
    expect(structuredClone(second)).toEqual(firstCopy);
    expect(summaryText(scenario, eventCount, second)).toBe(firstSummary);
    expect(model.findings(second)).toEqual(first.findings);
    // The scenario exercises the end-of-run terms, so a double count would show.
    const terms = first.consumers.map((consumer) => consumer.records.unread + consumer.records.inFlight + consumer.records.expired);
    expect(terms.some((value) => value > 0)).toBe(true);
  });

  it("the compiler holds the registry and the typed results to the kinds (checked by tsc in npm test)", () => {
    // @ts-expect-error -- a registry without one of the schema's kinds does not type-check
    const partial: typeof modelRegistry = { kinesis: modelRegistry.kinesis, kafka: modelRegistry.kafka };
    const usage: KinesisUsage = { putPayloadUnits: 1, recordsWritten: 1, bytesWritten: 1, billedBytesWritten: 1, bytesReadByConsumer: {} };
    // @ts-expect-error -- a misspelt usage name is an error, not a silent zero
    const misspelt: number = usage.putPayloadUnit;
    expect([Object.keys(partial).length, misspelt]).toEqual([2, undefined]);
  });

  it("the registry has one entry for each kind of system the scenario format accepts", () => {
    const schemaKinds = systemSchema.options.map((option) => option.shape.kind.value);
    expect(Object.keys(modelRegistry).sort()).toEqual([...schemaKinds].sort());
    expect(Object.keys(systems).sort()).toEqual([...schemaKinds].sort());
  });
});
