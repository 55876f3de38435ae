// Kafka findings name the cause the run's evidence shows, and fixes that address it
// (docs/reference.md §3.3: unclean leader election, MSK's default true [KF-LOG] [MSK-CONF];
// min.insync.replicas and NotEnoughReplicas for acks=all).
// - Unclean election: 3 brokers, RF 2, min ISR 1, acks=all. Broker 1 leaves at 30 s; broker 2, the
//   only in-sync replica left of the partitions they share, leaves at 60 s; broker 1 returns at 90 s
//   and, out of sync, becomes leader: what broker 2 alone held is lost. acks was all, so the finding
//   must blame the unclean election and not acks=1.
// - Rebalance time: 200 records/s on 6 partitions, 3 members processing 50 ms a record with
//   max.poll.interval.ms 10 s: 500-record polls outlast it, members are evicted, and each rebalance
//   waits for a member still inside its long poll until it polls or is evicted (the classic protocol's
//   rebalance timeout is max.poll.interval.ms, docs/reference.md §3.4). JoinGroup and SyncGroup are a
//   round trip each (~2 ms median here): under 1 s over the run's rebalances, however long the wait.
// - Outage: RF 3, min.insync.replicas 2, acks=all (MSK defaults), two of three brokers down for 40 s at
//   200 records/s (busiest broker a few % busy): every partition loses its ISR quorum (NotEnoughReplicas)
//   and those whose leader went also wait out an election; the producer's 1 MiB buffer fills in ~5 s
//   and send() fails after a 5 s max.block.ms. The findings must name the outage (and min ISR, not
//   "no leader" alone), not capacity, and must not suggest RF 3 when RF is already 3.
// - Poll deadline: Java's poll timer expires when now >= its deadline (org.apache.kafka.common.utils.Timer
//   isExpired, docs/reference.md §3.4). 200 records at 50 ms take exactly max.poll.interval.ms 10 s: the
//   member is evicted, and the advice is at most 199; 199 records (9.95 s) are never evicted.
// - Lag wording: a consumer at half the arrival rate whose position retention deletes (retention 1 m,
//   checked every 5 min, auto.offset.reset latest) jumps to the log end at 5.5 min: its lag at the end
//   is far below its maximum (the summary table's lag max), and the finding says both.

import { describe, expect, it } from "vitest";
import { runScenario } from "../../sim/run/index.ts";
import { loadScenarioText } from "../../sim/scenario/index.ts";

function run(text: string) {
  const loaded = loadScenarioText(text, "test/validation/kafka-findings-causes.yaml");
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues));
  return runScenario(loaded.scenario).systems[0]!;
}

const finding = (system: ReturnType<typeof run>, code: string) => system.findings.find((f) => f.code === code);

describe("Kafka findings say what caused the loss or outage", () => {
  it("records-lost after an unclean election blames the election, not acks=1", () => {
    const system = run(`name: unclean
seed: 1
duration: 2m
warmup: 0s
workload:
  - producer: p
    rate: { recordsPerSecond: 100, arrivals: uniform }
    recordSize: { distribution: fixed, size: 1KB }
    keys: { distribution: uniform, cardinality: 100 }
systems:
  - name: msk
    kind: kafka
    brokers: { count: 3, instanceType: kafka.m5.large }
    topic: { partitions: 3, replicationFactor: 2, minInsyncReplicas: 1 }
    producer: { acks: all }
    consumerGroups: [ { name: g1, consumers: 3 } ]
timeline:
  - { at: 30s, system: msk, action: broker-down, broker: 1, for: 60s }
  - { at: 60s, system: msk, action: broker-down, broker: 2, for: 50s }
`);
    const lost = finding(system, "records-lost");
    expect(lost).toBeDefined();
    expect(Number(lost!.evidence.uncleanElection)).toBeGreaterThan(0);
    expect(lost!.evidence.failover).toBe(0);
    expect(lost!.message).toMatch(/unclean leader election/);
    expect(lost!.message).toMatch(/uncleanLeaderElection: false/);
    expect(lost!.message).toMatch(/replication factor 3/);
    expect(lost!.message).not.toMatch(/acks=1/);
  });

  it("rebalance time spent waiting for a member in a long poll is not labelled JoinGroup/SyncGroup", () => {
    const system = run(`name: poll
seed: 1
duration: 90s
warmup: 0s
workload:
  - producer: p
    rate: { recordsPerSecond: 200, arrivals: uniform }
    recordSize: { distribution: fixed, size: 1KB }
    keys: { distribution: uniform, cardinality: 1000 }
systems:
  - name: msk
    kind: kafka
    brokers: { count: 3, instanceType: kafka.m5.large }
    topic: { partitions: 6 }
    consumerGroups: [ { name: g, consumers: 3, maxPollInterval: 10s, processing: { perRecord: 50ms } } ]
`);
    const rebalanced = finding(system, "rebalance-reprocessed");
    expect(rebalanced).toBeDefined();
    const e = rebalanced!.evidence;
    console.info(`kafka rebalance pause: ${JSON.stringify(e)}`);
    expect(Number(e.protocolSeconds)).toBeLessThan(1);
    expect(Number(e.waitingSeconds)).toBeGreaterThan(10);
    expect(e.mostly).toBe("waiting");
    expect(rebalanced!.message).toMatch(/waiting for a member still processing its poll/);
  });

  it("outage findings name the outage and what bounds it, not capacity", () => {
    const system = run(`name: buf
seed: 1
duration: 70s
warmup: 0s
workload:
  - producer: p
    rate: { recordsPerSecond: 200, arrivals: uniform }
    recordSize: { distribution: fixed, size: 1KB }
    keys: { distribution: uniform, cardinality: 1000 }
systems:
  - name: msk
    kind: kafka
    brokers: { count: 3, instanceType: kafka.m5.large }
    topic: { partitions: 6 }
    producer: { bufferMemory: 1MiB, maxBlock: 5s, deliveryTimeout: 20s }
    consumerGroups: [ { name: g1, consumers: 3 } ]
timeline:
  - { at: 10s, system: msk, action: broker-down, broker: 1, for: 40s }
  - { at: 10s, system: msk, action: broker-down, broker: 2, for: 40s }
`);
    const exhausted = finding(system, "buffer-exhausted");
    expect(exhausted).toBeDefined();
    expect(exhausted!.evidence.cause).toBe("outage");
    expect(exhausted!.message).not.toMatch(/add brokers or partitions/);
    expect(exhausted!.message).toMatch(/min\.insync\.replicas 2/);
    const unavailable = finding(system, "partitions-unavailable");
    expect(unavailable).toBeDefined();
    expect(Number(unavailable!.evidence.belowMinIsrSeconds)).toBeGreaterThan(20);
    expect(unavailable!.message).not.toMatch(/replication factor of 3/);
    expect(unavailable!.message).toMatch(/2 of its 3 replicas/);
    console.info(`kafka outage findings: ${system.findings.map((f) => f.code).join(", ")}`);
    const dropped = finding(system, "records-dropped");
    expect(dropped).toBeDefined();
    expect(dropped!.message).toMatch(/fewer in-sync replicas than min\.insync\.replicas/);
  });

  const deadline = (maxPollRecords: number) => `name: deadline
seed: 1
duration: 60s
warmup: 0s
workload:
  - producer: p
    rate: { recordsPerSecond: 400, arrivals: uniform }
    recordSize: { distribution: fixed, size: 1KB }
    keys: { distribution: uniform, cardinality: 100 }
systems:
  - name: msk
    kind: kafka
    brokers: { count: 3, instanceType: kafka.m5.large }
    topic: { partitions: 1 }
    consumerGroups: [ { name: g, consumers: 1, maxPollRecords: ${maxPollRecords}, maxPollInterval: 10s, processing: { perRecord: 50ms } } ]
`;

  it("a poll taking exactly max.poll.interval.ms is evicted, and the advice is strictly fewer records", () => {
    const exact = finding(run(deadline(200)), "poll-interval-exceeded");
    expect(exact).toBeDefined();
    expect(exact!.evidence.maxPollRecordsThatFit).toBe(199);
    expect(exact!.message).toMatch(/at most 199 /);
    expect(finding(run(deadline(199)), "poll-interval-exceeded")).toBeUndefined();
  });

  it("consumer-falling-behind gives the lag at the end and its maximum, as the summary table does", () => {
    const system = run(`name: ret
seed: 1
duration: 6m
warmup: 0s
workload:
  - producer: p
    rate: { recordsPerSecond: 200, arrivals: uniform }
    recordSize: { distribution: fixed, size: 1KB }
    keys: { distribution: uniform, cardinality: 1000 }
systems:
  - name: latest
    kind: kafka
    brokers: { count: 3, instanceType: kafka.m5.large }
    topic: { partitions: 3, retention: 1m, segmentBytes: 1MB }
    consumerGroups: [ { name: slow, consumers: 1, processing: { perRecord: 10ms } } ]
`);
    const behind = finding(system, "consumer-falling-behind");
    expect(behind).toBeDefined();
    const e = behind!.evidence;
    console.info(`kafka lag: final ${e.finalLagMs} ms, max ${e.maxLagMs} ms`);
    expect(Number(e.maxLagMs)).toBeCloseTo(system.consumers[0]!.lag.max / 1000, 0);
    expect(Number(e.maxLagMs)).toBeGreaterThan(1.5 * Number(e.finalLagMs));
    expect(behind!.message).toMatch(/its lag was [\d.]+ s at the end \([\d.]+ min at most\)/);
  });
});
