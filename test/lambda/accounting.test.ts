// Conservation of records through Lambda consumers (docs/design.md "Accounting must close"), as a
// property over random small scenarios: batch sizes, windows, parallelization factors, enhanced fan-out,
// transient errors and poison records, retries, bisection, partial batch responses, maximumRecordAge,
// destinations, timeouts, reserved and account concurrency small enough to throttle, and resharding.
// For every consumer: accepted = consumed + in flight + unread + expired + sent to the destination
// (deadLettered) + discarded (lost), each term counted where it happens. A run repeated gives the same
// counts. A failure prints the scenario to replay.

import { describe, expect, it } from "vitest";
import { runScenario } from "../../sim/run/index.ts";
import { loadScenarioText } from "../../sim/scenario/index.ts";
import { expectRunAccountingCloses } from "../support/accounting.ts";
import { keys, rate, recordSize, replayable, seededDraws, type Draws } from "../support/property.ts";

const scenarioCount = Number(process.env.STREAMSIM_PROPERTY_SCENARIOS ?? 20);
const scenarioTimeoutMs = 60_000;

function generate(index: number): { index: number; yaml: string } {
  const d = seededDraws(`lambda-accounting/${index}`);
  const durationS = d.int(30, 150);
  const shards = d.int(1, 4);
  const limit = d.pick([2, 5, 1000]);
  const lines = [
    `name: lambda-accounting-${index}`,
    `seed: ${d.int(0, 1_000_000)}`,
    `duration: ${durationS}s`,
    `warmup: ${d.int(0, 10)}s`,
    "report: { interval: 10s }",
    "workload:",
    "  - producer: p",
    `    rate: ${rate(d, 1, { low: 50, high: 3000 })}`,
    `    recordSize: ${recordSize(d)}`,
    `    keys: ${keys(d)}`,
    "systems:",
    "  - name: kds",
    "    kind: kinesis",
    `    capacity: { mode: provisioned, shards: ${shards} }`,
    "    resharding: { updateShardCountTime: 5s }",
    `    lambdaAccount: { concurrencyLimit: ${limit} }`,
    "    consumers:",
    ...Array.from({ length: d.int(1, 2) }, (_, c) => consumer(d, c, limit)),
  ];
  const timeline = d.chance(0.3) ? [`  - { at: ${d.int(5, durationS - 5)}s, system: kds, action: update-shard-count, shards: ${shards * 2} }`] : [];
  lines.push(timeline.length === 0 ? "timeline: []" : "timeline:", ...timeline);
  return { index, yaml: `${lines.join("\n")}\n` };
}

function consumer(d: Draws, c: number, limit: number): string {
  const retries = d.pick([-1, 0, 1, 3]);
  const age = d.chance(0.3) ? `maximumRecordAge: ${d.pick([60, 90])}s, ` : "";
  const fn =
    `function: { duration: { perBatch: ${d.pick([0, 5, 50, 200])}ms, perRecord: ${d.pick([0, 100, 1000, 5000])}us, distribution: ${d.pick(["fixed", "exponential"])} }, ` +
    `timeout: ${d.pick([1, 3, 60])}s, ` +
    `errors: { probability: ${d.pick([0, 0, 0.0005, 0.01])}, poisonRecords: ${d.pick([0, 0, 0.0001, 0.002])}, poisonKeys: ${d.pick([0, 0, 0.001, 0.05])} }` +
    // Reserved concurrency must leave 100 of the limit unreserved: only the 1,000 limit allows it.
    `${limit === 1000 && d.chance(0.3) ? `, reservedConcurrency: ${d.int(1, 2)}` : ""} }`;
  return (
    `      - { name: f${c}, type: lambda, efo: ${d.chance(0.25)}, batchSize: ${d.pick([1, 10, 100, 1000, 10000])}, ` +
    `maximumBatchingWindow: ${d.pick([0, 0, 1, 5])}s, parallelizationFactor: ${d.int(1, 10)}, maximumRetryAttempts: ${retries}, ${age}` +
    `bisectBatchOnFunctionError: ${d.chance(0.4)}, reportBatchItemFailures: ${d.chance(0.3)}, onFailureDestination: ${d.chance(0.5)}, ${fn} }`
  );
}

function run(yaml: string, index: number) {
  const loaded = loadScenarioText(yaml, `test/lambda/accounting-${index}.yaml`);
  if (!loaded.ok) throw new Error(`generated scenario does not load: ${JSON.stringify(loaded.issues)}`);
  return runScenario(loaded.scenario);
}

describe("Lambda consumers' accounting (property)", () => {
  for (let index = 0; index < scenarioCount; index++) {
    it(
      `closes for random scenario ${index} and repeats exactly`,
      () => {
        const generated = generate(index);
        replayable(generated, () => {
          const first = run(generated.yaml, index);
          expectRunAccountingCloses(first);
          for (const system of first.systems) {
            for (const consumer of system.consumers) {
              const stats = consumer.lambda!;
              expect(consumer.records.deadLettered, `${consumer.name}: sent to destination`).toBe(stats.recordsSentToDestination);
              expect(consumer.records.lost, `${consumer.name}: discarded`).toBe(stats.recordsDiscarded);
              expect(stats.peakConcurrency).toBeLessThanOrEqual(stats.accountConcurrencyLimit);
              expect(stats.accountPeakConcurrency).toBeLessThanOrEqual(stats.accountConcurrencyLimit);
            }
          }
          const again = run(generated.yaml, index);
          expect(again.systems.map((system) => system.consumers.map((consumer) => consumer.records))).toEqual(first.systems.map((system) => system.consumers.map((consumer) => consumer.records)));
        });
      },
      scenarioTimeoutMs,
    );
  }
});
