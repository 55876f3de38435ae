// Alarm-driven scaling of a provisioned stream against CloudWatch's alarm semantics and
// UpdateShardCount's limits (docs/reference.md §1.10, §1.4). Each block names the figure it checks.
// Replay a failure with the scenario text printed in the assertion message: `streamsim run FILE`.
// Seven runs of 30 minutes to 4 hours of 10 KiB records at a few hundred a second: about 8 s of CPU
// alone, the price of checking the alarm's timing over whole periods and a square wave's full cycles.

import { describe, expect, it } from "vitest";
import { resultOfKind, type KinesisResult } from "../../sim/metrics/index.ts";
import { runScenario } from "../../sim/run/index.ts";
import { loadScenarioText } from "../../sim/scenario/index.ts";

const minuteUs = 60_000_000;

function run(yaml: string): KinesisResult {
  const loaded = loadScenarioText(yaml, "test/validation/inline.yaml");
  if (!loaded.ok) throw new Error(`inline scenario does not load: ${JSON.stringify(loaded.issues)}\n${yaml}`);
  return resultOfKind(runScenario(loaded.scenario).systems[0], "kinesis");
}

/**
 * Phases of uniform arrivals of 10 KiB records: the bytes limit binds, 1 MiB/s or 102.4 records a
 * second a shard, so a few hundred records a second load several shards and the runs stay short.
 */
function scenario(options: { duration: string; shards: number; phases: Array<[duration: string, recordsPerSecond: number]>; autoscaling: string; resharding?: string }): string {
  return [
    "name: autoscaling-validation",
    "seed: 3",
    `duration: ${options.duration}`,
    "warmup: 0s",
    "report: { interval: 1m }",
    "workload:",
    "  - producer: p",
    "    rate:",
    "      arrivals: uniform",
    "      phases:",
    ...options.phases.map(([duration, perSecond]) => `        - { duration: ${duration}, recordsPerSecond: ${perSecond} }`),
    "    recordSize: { distribution: fixed, size: 10KiB }",
    '    keys: { distribution: uniform, cardinality: 100000, template: "k-{i}" }',
    "systems:",
    "  - name: kds",
    "    kind: kinesis",
    `    capacity: { mode: provisioned, shards: ${options.shards} }`,
    "    producer: { retry: { maxAttempts: 2 } }",
    ...(options.resharding === undefined ? [] : [`    resharding: ${options.resharding}`]),
    `    autoscaling: ${options.autoscaling}`,
    "",
  ].join("\n");
}

describe("a step in demand fires the scale-out alarm after M periods plus the publication delay ([CW-ALARM], [K-CW])", () => {
  // CloudWatch puts an alarm in ALARM when M of its last N datapoints breach; a period's datapoint
  // exists once the period has ended and the metric reached CloudWatch (the publication delay); a
  // standard alarm evaluates once a minute. A step at t0 makes every period from t0 on breach, so the
  // alarm fires at the first whole minute at or after t0 + M x period + delay, within one period of it.
  const cases = [
    { name: "1-minute periods, 3 of 3, 1 minute delay, step on a period boundary", period: "1m", periodMin: 1, m: 3, n: 3, delay: "1m", delayMin: 1, stepMin: 20 },
    { name: "5-minute periods, 2 of 3, 2 minutes delay, step inside a period", period: "5m", periodMin: 5, m: 2, n: 3, delay: "2m", delayMin: 2, stepMin: 22 },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const yaml = scenario({
        duration: "60m",
        shards: 4,
        phases: [[`${c.stepMin}m`, 100], [`${60 - c.stepMin}m`, 380]],
        autoscaling: `{ metric: incoming, period: ${c.period}, publicationDelay: ${c.delay}, scaleOut: { threshold: 0.75, evaluationPeriods: ${c.n}, datapointsToAlarm: ${c.m} }, scaleIn: { threshold: 0.1 } }`,
      });
      const stats = run(yaml).autoscaling!;
      expect(stats.scaleOutReactionUs).toBe((c.m * c.periodMin + c.delayMin) * minuteUs);
      const first = stats.actions[0];
      expect(first, yaml).toBeDefined();
      expect(first.direction).toBe("out");
      const earliestUs = c.stepMin * minuteUs + stats.scaleOutReactionUs;
      expect(first.atUs, yaml).toBeGreaterThanOrEqual(earliestUs);
      expect(first.atUs, yaml).toBeLessThanOrEqual(earliestUs + c.periodMin * minuteUs);
      // 380 records/s of 10 KiB on 4 shards is 93% of their bytes: the 100% step doubles the stream.
      expect([first.fromShards, first.toShards]).toEqual([4, 8]);
      // UpdateShardCount takes the default 3 minutes to land ([K-USC]; our reading of "a few minutes").
      expect(first.landedUs).toBe(first.atUs + 3 * minuteUs);
    });
  }
});

describe("scaling is never faster than UpdateShardCount allows ([K-USC])", () => {
  // Demand twice the stream's capacity, a policy that asks for 1,000 times the shards at once: each
  // call is held to double the current count, the next waits until the stream is ACTIVE again, and
  // after 10 calls in 24 hours the service refuses the rest (LimitExceededException).
  it("at most double per call, one call per UPDATING, at most 10 per rolling 24 hours", () => {
    const yaml = scenario({
      duration: "80m",
      shards: 1,
      phases: [["80m", 200]],
      resharding: "{ updateShardCountTime: 4m }",
      autoscaling: "{ metric: incoming, period: 1m, publicationDelay: 1m, scaleOut: { threshold: 0.001, targetUtilization: 0.0001, evaluationPeriods: 1, datapointsToAlarm: 1, cooldown: 0s }, scaleIn: { threshold: 0.0001 } }",
    });
    const result = run(yaml);
    const stats = result.autoscaling!;
    const done = stats.actions.filter((action) => action.outcome === "done");
    expect(done.length, yaml).toBe(10);
    for (const action of done) expect(action.toShards).toBeLessThanOrEqual(2 * action.fromShards);
    for (let i = 1; i < done.length; i++) expect(done[i].atUs - done[i - 1].atUs).toBeGreaterThanOrEqual(4 * minuteUs);
    // 1 -> 2 -> ... -> 1,024 shards (at 1,024, 2 MiB/s is still 0.2% of capacity, above the 0.1%
    // threshold): the 11th call is refused for the daily budget.
    expect(done.at(-1)!.toShards).toBe(1024);
    expect(stats.refusedForBudget).toBeGreaterThan(0);
    expect(result.findings.map((finding) => finding.code)).toContain("scaling-budget-exhausted");
  });
});

describe("a square wave faster than the cooldowns makes the policy oscillate; a slower one does not", () => {
  // Oscillation: a scale-in and a scale-out less than the two cooldowns apart (scale-out cooldown plus
  // scale-in cooldown, here 10 + 10 minutes). Alarms of 2 one-minute datapoints and a 1-minute delay
  // follow each half-wave within about 3 minutes, and UpdateShardCount lands 3 minutes later.
  const policy = "{ metric: incoming, period: 1m, publicationDelay: 1m, minShards: 2, maxShards: 8, scaleOut: { threshold: 0.7, evaluationPeriods: 2, datapointsToAlarm: 2, cooldown: 10m }, scaleIn: { threshold: 0.3, evaluationPeriods: 2, datapointsToAlarm: 2, cooldown: 10m } }";
  const wave = (halfMin: number, cycles: number): Array<[string, number]> =>
    Array.from({ length: 2 * cycles }, (_, i): [string, number] => [`${halfMin}m`, i % 2 === 0 ? 50 : 360]);

  it("half-waves of 15 minutes (under the 20-minute window): the oscillation finding", () => {
    const yaml = scenario({ duration: "2h", shards: 2, phases: wave(15, 4), autoscaling: policy });
    const result = run(yaml);
    const codes = result.findings.map((finding) => finding.code);
    expect(codes, yaml).toContain("scaling-oscillation");
  });

  it("half-waves of 60 minutes (3 times the window): no oscillation finding, yet the stream follows the wave", () => {
    const yaml = scenario({ duration: "4h", shards: 2, phases: wave(60, 2), autoscaling: policy });
    const result = run(yaml);
    const stats = result.autoscaling!;
    expect(stats.actions.filter((action) => action.outcome === "done" && action.direction === "out").length, yaml).toBeGreaterThanOrEqual(2);
    expect(stats.actions.filter((action) => action.outcome === "done" && action.direction === "in").length, yaml).toBeGreaterThanOrEqual(1);
    expect(result.findings.map((finding) => finding.code), yaml).not.toContain("scaling-oscillation");
  });
});

describe("a hot key no shard count fixes ([K-USC]: uniform scaling spreads the hash space evenly)", () => {
  // One key asks 150 records/s of 10 KiB, 1.5 MiB/s: more than the 1 MiB/s a shard takes. Whatever
  // UpdateShardCount does, that key's hash lands in one shard, so its shard throttles at any count.
  it("names the key and says scaling adds cost, not capacity, for it", () => {
    const yaml = scenario({
      duration: "30m",
      shards: 4,
      phases: [["30m", 250]],
      autoscaling: "{ metric: incoming, period: 1m, publicationDelay: 1m, maxShards: 16, scaleOut: { threshold: 0.3, evaluationPeriods: 2, datapointsToAlarm: 2 } }",
    }).replace('keys: { distribution: uniform, cardinality: 100000, template: "k-{i}" }', 'keys: { distribution: hotspot, cardinality: 1000, hotKeys: 1, hotShare: 0.6, template: "k-{i}" }');
    const result = run(yaml);
    const hot = result.findings.filter((finding) => finding.code === "scaling-cannot-fix-hot-key");
    // One finding per shard that held the key: the shard before the scaling, and its child after.
    expect(hot.length, yaml).toBeGreaterThanOrEqual(1);
    expect(new Set(hot.map((finding) => finding.evidence.topKey)).size).toBe(1);
    for (const finding of hot) {
      expect(finding.severity).toBe("critical");
      expect(finding.message).toContain(String(finding.evidence.topKey));
    }
    // The stream scaled out (the alarm sees 2.5 MiB/s on 4 shards) and the key's shard throttles still.
    expect(result.autoscaling!.actions.some((action) => action.direction === "out" && action.outcome === "done")).toBe(true);
    const last = result.partitions.filter((partition) => partition.closedUs === null);
    expect(last.some((partition) => partition.throttledAttempts > 0)).toBe(true);
  });
});

describe("an iterator-age alarm scales out a stream whose reader falls behind ([K-CW] GetRecords.IteratorAgeMilliseconds)", () => {
  // A KCL reader runs one worker per shard; at 20 ms a record a worker takes 50 records/s, so 2 shards
  // read 100 of the 150 records/s and the iterator age climbs. At 30 s for 2 one-minute datapoints the
  // alarm doubles the shards to 4, then 8 (200 and 400 records/s of workers), and the age falls again.
  it("doubles the shards until the workers keep up", () => {
    const yaml = `${scenario({
      duration: "30m",
      shards: 2,
      phases: [["30m", 150]],
      autoscaling: "{ metric: iterator-age, consumer: reader, period: 1m, publicationDelay: 1m, maxShards: 8, scaleOut: { threshold: 30s, evaluationPeriods: 2, datapointsToAlarm: 2, cooldown: 3m } }",
    })}    consumers:\n      - { name: reader, type: polling, pollInterval: 1s, processing: { perRecord: 20ms } }\n`;
    const result = run(yaml);
    const outs = result.autoscaling!.actions.filter((action) => action.direction === "out" && action.outcome === "done");
    expect(outs.length, yaml).toBeGreaterThanOrEqual(1);
    expect(outs[0].fromShards).toBe(2);
    expect(outs[0].datapoint, "the iterator age (ms) that fired it").toBeGreaterThanOrEqual(30_000);
    expect(Number(result.facts.finalOpenShards)).toBeGreaterThanOrEqual(4);
  });
});
