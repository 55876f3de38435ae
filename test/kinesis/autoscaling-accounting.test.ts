// Conservation of records with alarm-driven autoscaling on (docs/design.md "Accounting must close",
// docs/reference.md §1.10), as a property over random small scenarios: demand that rises and falls
// around the stream's capacity, every alarm metric, short periods and cooldowns, UpdateShardCount
// times, polling and enhanced fan-out consumers, and timeline reshards racing the autoscaler. Every
// identity must close, the autoscaler's calls must keep UpdateShardCount's rules, and a scenario run
// twice must give the same result. A failure prints the scenario's YAML to replay with the CLI.
// Records are large (8-64 KiB) and rates low, so minutes of simulated time stay cheap: the 8 scenarios,
// each run twice, take about 4 s alone.

import { describe, expect, it } from "vitest";
import type { KinesisResult } from "../../sim/metrics/index.ts";
import { runScenario } from "../../sim/run/index.ts";
import { loadScenarioText } from "../../sim/scenario/index.ts";
import { expectAccountingCloses, sum } from "../support/accounting.ts";
import { replayable, seededDraws, type Draws } from "../support/property.ts";

const scenarioCount = Number(process.env.STREAMSIM_PROPERTY_SCENARIOS_AUTOSCALING ?? 8);
const scenarioTimeoutMs = 60_000;

interface Generated {
  index: number;
  yaml: string;
}

function generateScenario(index: number): Generated {
  const d = seededDraws(`kinesis-autoscaling-accounting/${index}`);
  const shards = d.int(1, 4);
  const sizeKiB = d.pick([8, 16, 64]);
  // A shard takes 1 MiB/s: records a second that fill `shards` shards at 100%.
  const fullPerSecond = Math.round((shards * 1024) / sizeKiB);
  const phases = Array.from({ length: d.int(2, 4) }, () => `        - { duration: ${d.int(2, 5)}m, recordsPerSecond: ${Math.max(1, Math.round(fullPerSecond * d.pick([0.1, 0.5, 1.5, 3])))} }`);
  const durationMin = phases.reduce((total, line) => total + Number(/duration: (\d+)m/.exec(line)![1]), 0);
  const consumers = consumerLines(d);
  const metric = consumers.some((line) => line.includes("polling")) && d.chance(0.3) ? "iterator-age" : d.pick(["incoming", "incoming-bytes", "incoming-records"]);
  const thresholds = metric === "iterator-age" ? ["5s", "1s"] : [String(d.pick([0.5, 0.75])), String(d.pick([0.1, 0.25]))];
  const step = (direction: "out" | "in") =>
    metric !== "iterator-age" && d.chance(0.4) ? `targetUtilization: ${direction === "out" ? d.pick([0.3, 0.5]) : 0.6}` : `percent: ${d.pick([25, 50, 100])}`;
  const lines = [
    `name: kinesis-autoscaling-accounting-${index}`,
    `seed: ${d.int(0, 1_000_000)}`,
    `duration: ${durationMin}m`,
    `warmup: ${d.int(0, 30)}s`,
    `report: { interval: ${d.pick([10, 30, 60])}s }`,
    "workload:",
    "  - producer: p",
    "    rate:",
    `      arrivals: ${d.pick(["poisson", "uniform"])}`,
    "      phases:",
    ...phases,
    `    recordSize: { distribution: fixed, size: ${sizeKiB}KiB }`,
    `    keys: { distribution: ${d.pick(["uniform", "zipf, exponent: 1.1"])}, cardinality: ${d.pick([50, 5000])}, template: "k-{i}" }`,
    "systems:",
    "  - name: kds",
    "    kind: kinesis",
    `    capacity: { mode: provisioned, shards: ${shards} }`,
    `    resharding: { updateShardCountTime: ${d.int(10, 120)}s }`,
    `    producer: { retry: { maxAttempts: ${d.int(1, 5)} } }`,
    "    autoscaling:",
    `      metric: ${metric}`,
    `      period: ${d.pick([1, 2])}m`,
    `      publicationDelay: ${d.pick([0, 30, 60])}s`,
    `      maxShards: ${d.pick([8, 64])}`,
    `      scaleOut: { threshold: ${thresholds[0]}, evaluationPeriods: 2, datapointsToAlarm: ${d.int(1, 2)}, ${step("out")}, cooldown: ${d.pick([0, 60, 180])}s }`,
    `      scaleIn: { threshold: ${thresholds[1]}, evaluationPeriods: 2, datapointsToAlarm: 2, ${step("in")}, cooldown: ${d.pick([0, 120])}s }`,
    consumers.length === 0 ? "    consumers: []" : "    consumers:",
    ...consumers,
  ];
  // A hand-made reshard now and then, racing the autoscaler for the stream's UPDATING state.
  const timeline = d.chance(0.4) ? [`  - { at: ${d.int(30, durationMin * 60 - 30)}s, system: kds, action: update-shard-count, shards: ${d.int(1, 8)} }`] : [];
  lines.push(timeline.length === 0 ? "timeline: []" : "timeline:", ...timeline);
  return { index, yaml: `${lines.join("\n")}\n` };
}

function consumerLines(d: Draws): string[] {
  return Array.from({ length: d.int(0, 2) }, (_, c) =>
    d.chance(0.6)
      ? `      - { name: c${c}, type: polling, pollInterval: ${d.pick([200, 1000])}ms, processing: { perRecord: ${d.pick([0, 2000, 20000])}us } }`
      : `      - { name: c${c}, type: enhanced-fan-out, processing: { perRecord: ${d.pick([0, 2000])}us } }`,
  );
}

function run(generated: Generated): { system: KinesisResult; produced: number } {
  const loaded = loadScenarioText(generated.yaml, `test/kinesis/autoscaling-accounting-${generated.index}.yaml`);
  if (!loaded.ok) throw new Error(`generated scenario does not load: ${JSON.stringify(loaded.issues)}`);
  const result = runScenario(loaded.scenario);
  const system = result.systems[0];
  if (system.kind !== "kinesis") throw new Error("expected a Kinesis stream");
  return { system, produced: sum(result.producers.map((producer) => producer.producedRecords)) };
}

/** UpdateShardCount's rules on every call the autoscaler made ([K-USC], docs/reference.md §1.4). */
function checkCalls(system: KinesisResult): void {
  const stats = system.autoscaling!;
  const done = stats.actions.filter((action) => action.outcome === "done");
  for (const action of stats.actions) {
    expect(action.toShards, "at most double").toBeLessThanOrEqual(2 * action.fromShards);
    expect(action.toShards, "at least half").toBeGreaterThanOrEqual(Math.ceil(action.fromShards / 2));
    expect(action.toShards).toBeGreaterThanOrEqual(stats.minShards);
    expect(action.toShards).toBeLessThanOrEqual(stats.maxShards);
    expect(action.calls).toBeGreaterThanOrEqual(1);
    if (action.outcome === "done" && action.landedUs !== null) expect(action.landedUs).toBeGreaterThan(action.atUs);
  }
  expect(done.length, "at most 10 scalings a day").toBeLessThanOrEqual(10);
  expect(stats.refusedCalls).toBe(sum(stats.actions.filter((action) => action.outcome === "refused").map((action) => action.calls)));
  expect(stats.throttledSecondsBeforeAlarm + stats.throttledSecondsWhileUpdating).toBeLessThanOrEqual(stats.throttledSeconds);
  expect(system.partitions.filter((p) => p.closedUs === null).length).toBe(system.facts.finalOpenShards);
}

const scenarios = Array.from({ length: scenarioCount }, (_, index) => generateScenario(index));
const reached = { runs: 0, scaledOut: 0, scaledIn: 0 };

describe("Kinesis accounting with autoscaling on, over random scenarios", () => {
  it.each(scenarios.map((generated) => [generated.index, generated] as const))(
    "scenario %i: every identity closes, every call keeps UpdateShardCount's rules, and a second run is identical",
    { timeout: scenarioTimeoutMs },
    (_, generated) => {
      replayable(generated, () => {
        const first = run(generated);
        expectAccountingCloses(first.system, first.produced);
        checkCalls(first.system);
        const second = run(generated);
        expect(second.system.records).toEqual(first.system.records);
        expect(second.system.autoscaling).toEqual(first.system.autoscaling);
        expect(second.system.findings).toEqual(first.system.findings);
        reached.runs++;
        const done = first.system.autoscaling!.actions.filter((action) => action.outcome === "done");
        if (done.some((action) => action.direction === "out")) reached.scaledOut++;
        if (done.some((action) => action.direction === "in")) reached.scaledIn++;
      });
    },
  );

  it("the scenarios reach scale-outs and scale-ins", () => {
    if (reached.runs < scenarioCount) return;
    expect(reached.scaledOut).toBeGreaterThanOrEqual(3);
    expect(reached.scaledIn).toBeGreaterThanOrEqual(2);
  });
});
