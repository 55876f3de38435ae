// Consumer autoscaling against what the sources say it does (docs/reference.md §11).
//
// SQS target tracking (Application Auto Scaling, "backlog per instance"): the capacity the policy asks
// for is current x metric / target = ceil(ApproximateNumberOfMessagesVisible / TargetValue), between
// MinCapacity and MaxCapacity; so with a backlog that stays put it converges to that and stops.
//
// KEDA's Kafka scaler (keda.sh, apache-kafka scaler): "if there are more number of consumers than the
// number of partitions in a topic, then extra consumer will have to sit idle", which is why it never
// scales past the partitions unless allowIdleConsumers; Kafka gives each partition to one member of a
// group, so the extra members lower no lag. Each member joining or leaving rebalances the group: eager
// assignors revoke every partition, cooperative-sticky only those that move (docs/reference.md §3.4).

import { describe, expect, it } from "vitest";
import { RandomStreams, Simulation } from "../../sim/engine/index.ts";
import { KafkaModel } from "../../sim/kafka/index.ts";
import { resultOfKind, type ConsumerAutoscalingStats, type KafkaResult } from "../../sim/metrics/index.ts";
import { runScenario } from "../../sim/run/index.ts";
import { actionsFor } from "../../sim/scenario/index.ts";
import type { KafkaSystem, Scenario } from "../../sim/scenario/types.ts";
import { ProducerStream } from "../../sim/workload/index.ts";
import { loadInline } from "../support/scenarios.ts";

const minuteUs = 60_000_000;

/**
 * 10,000 messages sent in the first 10 s, then nothing; each consumer takes one message and works on it
 * for 10 hours (visibility 12 h), so the visible backlog is 10,000 less the consumers working: it stays
 * put while the policy acts.
 */
function backlogScenario(autoscaling: string, count: number): Scenario {
  return loadInline(`name: tt-converge
seed: 3
duration: 30m
warmup: 0s
workload:
  - producer: p
    rate: { arrivals: uniform, phases: [ { duration: 10s, recordsPerSecond: 1000 }, { duration: 30m, recordsPerSecond: 0 } ] }
    recordSize: { distribution: fixed, size: 100B }
    keys: { distribution: uniform, cardinality: 100 }
systems:
  - name: q
    kind: sqs
    queue: { type: standard, visibilityTimeout: 12h, retention: 14d }
    consumers:
      - { name: w, count: ${count}, maxMessages: 1, waitTime: 20s, processing: { perRecord: 10h }, autoscaling: ${autoscaling} }
timeline: []
`);
}

function sqsStats(scenario: Scenario): { stats: ConsumerAutoscalingStats; visible: number } {
  const system = resultOfKind(runScenario(scenario).systems[0]!, "sqs");
  const consumer = system.consumers[0]!;
  return { stats: consumer.autoscaling!, visible: consumer.records.unread };
}

describe("SQS target tracking on backlog per consumer", () => {
  it.each([
    // [target B, min, max, start]: the fixed point c = clamp(ceil((10,000 - c) / B)).
    [1000, 1, 40, 1],
    [300, 1, 100, 2],
    [1000, 1, 5, 1],
    [1000, 12, 40, 12],
  ])("B = %i between %i and %i converges to ceil(visible / B) within the bounds", (target, min, max, start) => {
    const { stats, visible } = sqsStats(backlogScenario(`{ targetBacklogPerConsumer: ${target}, minConsumers: ${min}, maxConsumers: ${max} }`, start));
    const expected = Math.min(max, Math.max(min, Math.ceil(visible / target)));
    expect(visible).toBe(10_000 - stats.final);
    expect(stats.final).toBe(expected);
    // It got there and stayed: no activity in the last 10 minutes, and consumers in service match.
    const last = stats.activities[stats.activities.length - 1];
    if (last !== undefined) expect(last.atUs).toBeLessThan(20 * minuteUs);
    expect(stats.running.toArrays().last.at(-1)).toBe(expected);
  });

  it("scales out only after 3 one-minute datapoints above the target, and the new consumers work 60 s later", () => {
    const { stats } = sqsStats(backlogScenario("{ targetBacklogPerConsumer: 1000, minConsumers: 1, maxConsumers: 40 }", 1));
    // The metric is evaluated at 1, 2 and 3 minutes: the third datapoint above the target acts.
    expect(stats.activities[0]).toEqual({ atUs: 3 * minuteUs, from: 1, to: 10 });
    const running = stats.running.toArrays();
    const minute = (us: number) => Math.floor(us / running.durationUs[0]!);
    expect(running.last[minute(3 * minuteUs + 30_000_000)]).toBe(1);
    expect(running.last[minute(4 * minuteUs + 30_000_000)]).toBe(10);
  });
});

const kafkaBurst = (allowIdle: boolean, assignment: string, max: number) => `
  - name: ${allowIdle ? "idle-allowed" : "capped"}-${assignment}
    kind: kafka
    brokers: { count: 3 }
    topic: { partitions: 4, replicationFactor: 3, minInsyncReplicas: 2 }
    consumerGroups:
      - { name: g, consumers: 2, assignment: ${assignment}, processing: { perRecord: 1ms }, autoscaling: { lagThreshold: 3000, minReplicaCount: 2, maxReplicaCount: ${max}, allowIdleConsumers: ${allowIdle} } }`;

function kafkaScenario(systems: string): Scenario {
  return loadInline(`name: keda
seed: 5
duration: 6m
warmup: 30s
workload:
  - producer: p
    rate: { phases: [ { duration: 1m, recordsPerSecond: 1500 }, { duration: 2m, recordsPerSecond: 6000 }, { duration: 3m, recordsPerSecond: 1500 } ] }
    recordSize: { distribution: fixed, size: 200B }
    keys: { distribution: uniform, cardinality: 5000 }
systems:${systems}
timeline: []
`);
}

describe("KEDA-style scaling of a Kafka group on its lag", () => {
  it("replicas beyond the partition count sit idle and do not reduce the lag", () => {
    const [capped, idle] = runScenario(kafkaScenario(kafkaBurst(false, "range", 12) + kafkaBurst(true, "range", 12))).systems.map((system) => resultOfKind(system, "kafka"));
    const cappedStats = capped!.consumers[0]!.autoscaling!;
    const idleStats = idle!.consumers[0]!.autoscaling!;
    // The scaler caps the lag at lagThreshold x partitions: never more than 4 replicas.
    expect(cappedStats.peak).toBe(4);
    expect(cappedStats.peakIdle).toBe(0);
    expect(idleStats.peak).toBe(12);
    expect(idleStats.peakIdle).toBe(12 - 4);
    // The same workload (common random numbers) drains at the same 4 partitions' pace: the burst's lag
    // is the same within 3% (the groups rebalance at different polls, 3 -> 12 at once against 3 -> 4, so
    // their pauses fall at different moments of the burst; neither drains faster than 4 partitions).
    const cappedLag = capped!.consumers[0]!.lag.max;
    const idleLag = idle!.consumers[0]!.lag.max;
    expect(idleLag).toBeGreaterThanOrEqual(cappedLag * 0.97);
    expect(idleLag).toBeLessThanOrEqual(cappedLag * 1.02);
    expect(idle!.findings.some((finding) => finding.code === "autoscaling-idle-replicas")).toBe(true);
    expect(capped!.findings.some((finding) => finding.code === "autoscaling-idle-replicas")).toBe(false);
  });

  it("each scaling is a rebalance: eager revokes every partition, cooperative-sticky only those that move", () => {
    const eager = buildKafka(kafkaScenario(kafkaBurst(false, "range", 4)));
    const eagerResult = eager.run();
    const cooperative = buildKafka(kafkaScenario(kafkaBurst(false, "cooperative-sticky", 4)));
    const cooperativeResult = cooperative.run();
    for (const [result, model] of [[eagerResult, eager.model], [cooperativeResult, cooperative.model]] as const) {
      const stats = result.consumers[0]!.autoscaling!;
      const group = model.groups[0]!;
      expect(stats.scaleOuts).toBeGreaterThan(0);
      // Consumers added or removed together join or leave in one rebalance; no crash, no eviction here.
      // A cooperative move takes a follow-up rebalance once the owners revoked (KIP-429), counted too.
      expect(group.scalingRebalances).toBe(stats.scaleOuts + stats.scaleIns + group.followUpRebalances);
      expect(group.rebalances).toBe(group.scalingRebalances);
      expect(stats.rebalances).toBe(group.scalingRebalances);
    }
    const eagerGroup = eager.model.groups[0]!;
    const cooperativeGroup = cooperative.model.groups[0]!;
    // Eager: all 4 partitions change hands (are revoked and assigned anew) at every rebalance.
    expect(eagerGroup.partitionsRevoked).toBe(4 * eagerGroup.rebalances);
    expect(eagerGroup.rebalanceStopUs).toBeGreaterThan(0);
    // Cooperative-sticky: only the partitions that move, and the group never stops whole.
    expect(cooperativeGroup.partitionsRevoked).toBeLessThan(4 * cooperativeGroup.rebalances);
    expect(cooperativeGroup.partitionsRevoked).toBeGreaterThan(0);
    expect(cooperativeGroup.rebalanceStopUs).toBe(0);
    expect(eagerGroup.followUpRebalances).toBe(0);
    expect(cooperativeGroup.followUpRebalances).toBeGreaterThan(0);
  });
});

function buildKafka(scenario: Scenario): { model: KafkaModel; run: () => KafkaResult } {
  const system = scenario.systems[0] as KafkaSystem;
  const sim = new Simulation();
  const streams = new RandomStreams(scenario.seed);
  const workloads = scenario.producers.map((spec) => new ProducerStream(spec, scenario, streams));
  const context = { sim, streams, durationUs: scenario.durationUs, warmupUs: scenario.warmupUs, reportIntervalUs: scenario.reportIntervalUs };
  const model = new KafkaModel(system, workloads, context);
  const run = (): KafkaResult => {
    model.start(actionsFor(scenario.timeline, "kafka", system.name));
    sim.run({ endUs: scenario.durationUs, eventBudget: 1e9 });
    return model.collect();
  };
  return { model, run };
}
