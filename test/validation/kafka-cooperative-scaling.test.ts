// A lag-autoscaled Kafka group scaling with no failure reads no record twice, under either protocol
// (docs/reference.md §3.4, §11.2), and a crash does re-deliver what was not committed.
//
// Cooperative-sticky (KIP-429): CooperativeStickyAssignor.adjustAssignment removes every partition that
// changes owner from its new owner's assignment, and ConsumerCoordinator.validateCooperativeAssignment
// refuses an assignment that hands a member a partition another still owns. The owner learns of the
// revocation in ConsumerCoordinator.onJoinComplete, which runs inside its poll(), after the application
// has processed the records of the previous poll; onPartitionsRevoked is where "it is recommended that
// offsets should be committed ... to prevent duplicate data" (ConsumerRebalanceListener), and the member
// then rejoins ("need to revoke partitions and re-join"): the new owner gets the partition in that
// follow-up rebalance and starts at the committed offset, just past the last record processed.
//
// Eager (range): ConsumerCoordinator.onJoinPrepare auto-commits every consumed position before it
// revokes all partitions, and marks them pending revocation so that no fetched record reaches the
// application after that commit ("This can cause duplicate consumption. To prevent this ..."): a scale-up
// re-delivers nothing either, but every member stops until the new assignment.
//
// A crashed member commits nothing (onPartitionsLost: "users would not be able to commit"): what it
// processed since its last auto-commit is processed again by the partition's next owner, under both.

import { describe, expect, it } from "vitest";
import { RandomStreams, Simulation } from "../../sim/engine/index.ts";
import { KafkaModel } from "../../sim/kafka/index.ts";
import type { KafkaResult } from "../../sim/metrics/index.ts";
import { actionsFor } from "../../sim/scenario/index.ts";
import type { KafkaSystem } from "../../sim/scenario/types.ts";
import { ProducerStream } from "../../sim/workload/index.ts";
import { loadInline } from "../support/scenarios.ts";

/**
 * 4 partitions, 2 members scaled by KEDA on lag (lagThreshold 3,000) between 2 and 4: the burst of
 * 6,000 records/s against 2,000/s of processing (1 ms per record, 500 records per poll, so each poll
 * holds a member for half a second) scales the group out, and the quiet end scales it back in. With
 * cooperative-sticky each scale-out moves partitions away from members busy processing them.
 */
function run(assignment: string, crashAtS: number | null): { result: KafkaResult; group: KafkaModel["groups"][number] } {
  const scenario = loadInline(`name: cooperative-scaling
seed: 9
duration: 8m
warmup: 30s
workload:
  - producer: p
    rate: { phases: [ { duration: 1m, recordsPerSecond: 1500 }, { duration: 2m, recordsPerSecond: 6000 }, { duration: 5m, recordsPerSecond: 1000 } ] }
    recordSize: { distribution: fixed, size: 200B }
    keys: { distribution: uniform, cardinality: 5000 }
systems:
  - name: msk
    kind: kafka
    brokers: { count: 3 }
    topic: { partitions: 4, replicationFactor: 3, minInsyncReplicas: 2 }
    consumerGroups:
      - { name: g, consumers: 2, assignment: ${assignment}, processing: { perRecord: 1ms }, autoscaling: { lagThreshold: 3000, minReplicaCount: 2, maxReplicaCount: 4, stabilizationWindow: 60s } }
timeline: ${crashAtS === null ? "[]" : `\n  - { at: ${crashAtS}s, system: msk, action: consumer-crash, group: g, consumer: 1 }`}
`);
  const system = scenario.systems[0] as KafkaSystem;
  const sim = new Simulation();
  const streams = new RandomStreams(scenario.seed);
  const workloads = scenario.producers.map((spec) => new ProducerStream(spec, scenario, streams));
  const model = new KafkaModel(system, workloads, { sim, streams, durationUs: scenario.durationUs, warmupUs: scenario.warmupUs, reportIntervalUs: scenario.reportIntervalUs });
  model.start(actionsFor(scenario.timeline, "kafka", system.name));
  sim.run({ endUs: scenario.durationUs, eventBudget: 1e9 });
  return { result: model.collect(), group: model.groups[0]! };
}

describe("a lag-autoscaled group scaling with no failure", () => {
  it("cooperative-sticky moves partitions in two rebalances and reads no record twice", () => {
    const { result, group } = run("cooperative-sticky", null);
    const consumer = result.consumers[0]!;
    const stats = consumer.autoscaling!;
    expect(stats.scaleOuts).toBeGreaterThan(0);
    expect(stats.scaleIns).toBeGreaterThan(0);
    expect(consumer.records.duplicates).toBe(0);
    // Scale-outs move partitions away from busy owners; each move takes a follow-up rebalance.
    expect(group.partitionsRevoked).toBeGreaterThan(0);
    expect(group.followUpRebalances).toBeGreaterThan(0);
    expect(stats.rebalances).toBe(stats.scaleOuts + stats.scaleIns + group.followUpRebalances);
    // The group never stops whole.
    expect(group.rebalanceStopUs).toBe(0);
  });

  it("eager commits before it revokes: no record read twice, but the whole group stops", () => {
    const { result, group } = run("range", null);
    const consumer = result.consumers[0]!;
    const stats = consumer.autoscaling!;
    expect(stats.scaleOuts).toBeGreaterThan(0);
    expect(group.followUpRebalances).toBe(0);
    expect(stats.rebalances).toBe(stats.scaleOuts + stats.scaleIns);
    expect(group.partitionsRevoked).toBe(4 * group.rebalances);
    expect(group.rebalanceStopUs).toBeGreaterThan(0);
    expect(consumer.records.duplicates).toBe(0);
  });
});

describe("a crash in the same group", () => {
  it.each(["cooperative-sticky", "range"])("%s re-delivers what the crashed member processed and had not committed", (assignment) => {
    // At 100 s, in the burst, member 1 stops without committing; the auto-commit every 5 s leaves at
    // most 5 s of its processing uncommitted (5,000 records at 1 ms each), plus the poll in hand.
    const { result } = run(assignment, 100);
    const duplicates = result.consumers[0]!.records.duplicates;
    expect(duplicates).toBeGreaterThan(0);
    expect(duplicates).toBeLessThanOrEqual(5_000 + 500);
  });
});
