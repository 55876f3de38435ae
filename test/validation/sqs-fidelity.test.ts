// The SQS model against documented SQS behaviour it once differed from (docs/reference.md §4): late
// deletes on a standard queue, failures anywhere in a batch, high-throughput FIFO partitions, and a
// queue nobody reads. Each test names its source and the figure it reproduces.

import { describe, expect, it } from "vitest";
import { verdictLines } from "../../reports/summary-md.ts";
import { buildSummary } from "../../reports/summary.ts";
import { runScenario } from "../../sim/run/index.ts";
import { loadScenarioText } from "../../sim/scenario/index.ts";

const zero = "{ median: 0s, p99: 0s }";

function runAll(name: string, yaml: string) {
  const loaded = loadScenarioText(yaml, `${name}.yaml`);
  if (!loaded.ok) throw new Error(`${name} does not load: ${JSON.stringify(loaded.issues)}`);
  return runScenario(loaded.scenario);
}

function run(name: string, yaml: string) {
  return runAll(name, yaml).systems[0];
}

describe("late deletes (DeleteMessage API reference, docs/reference.md §4 [SQS-DM])", () => {
  // One message every 2 s, one consumer taking 1.5 s per message, visibility timeout 1 s. A standard
  // queue: the delete comes 0.5 s after the timeout, but nobody received the message since, so the
  // receipt handle is still the most recent one and the message is deleted: all 29 consumed, none to
  // the DLQ. A FIFO queue rejects the expired handle: the message is received again and again.
  const scenario = (type: string) => `
name: late-delete
seed: 1
duration: 60s
workload:
  - producer: p
    rate: { recordsPerSecond: 0.5, arrivals: uniform }
    recordSize: { distribution: fixed, size: 100B }
    keys: { distribution: fixed, key: "k" }
systems:
  - name: q
    kind: sqs
    queue: { type: ${type}, visibilityTimeout: 1s, maxReceiveCount: 3 }
    producer: { latency: ${zero} }
    consumers:
      - { name: c, count: 1, maxMessages: 1, waitTime: 20s, processing: { perRecord: 1500ms }, receiveLatency: ${zero}, deleteLatency: ${zero} }
`;

  it("standard: a late delete by the only receiver still deletes", () => {
    const system = run("late-standard", scenario("standard"));
    const r = system.consumers[0].records;
    expect(system.records.accepted).toBe(29);
    expect(r.consumed).toBe(29);
    expect(r.deadLettered).toBe(0);
    expect(system.facts.lateDeletes).toBe(29);
    expect(system.facts.staleDeletes).toBe(0);
    // The finding says what happened here (the late deletes succeeded, nothing twice) and the risk, not
    // that another consumer processed them again.
    const finding = system.findings.find((f) => f.code === "visibility-timeout-too-short");
    expect(finding?.message).toContain("29 late deletes still succeeded and nothing was processed twice");
    expect(finding?.message).not.toContain("deleted nothing");
  });

  it("FIFO: an expired receipt handle deletes nothing, and the messages reach the DLQ", () => {
    const system = run("late-fifo", scenario("fifo"));
    const r = system.consumers[0].records;
    expect(r.consumed).toBe(0);
    expect(r.deadLettered).toBeGreaterThan(0);
    expect(system.facts.lateDeletes).toBe(0);
    expect(Number(system.facts.staleDeletes)).toBeGreaterThan(0);
  });
});

describe("failures at random positions in a batch (dead-letter queue, docs/reference.md §4)", () => {
  // Each receive fails a message with probability p independently; a message is dead-lettered after
  // k receives without a delete, so a share p^k of the messages (0.5^3 = 0.125) whatever the batch
  // size. 20,000 messages over 200 s, then 20 s with none so that every message is settled: the
  // share's binomial standard error is sqrt(0.125 x 0.875 / 20,000) = 0.0023; 4 of them is 0.0094.
  // 40 ms per batch: ten consumers of one message, or one consumer of ten, whose batches then hold ~7
  // messages, returned ones (older) first: with the failures at a batch's end, as once modelled, the
  // returned messages failed less often and only 0.7% were dead-lettered.
  const p = 0.5;
  const k = 3;
  const n = 20_000;
  const scenario = (maxMessages: number) => `
name: dlq-share
seed: 7
duration: 220s
workload:
  - producer: p
    rate: { phases: [{ duration: 200s, recordsPerSecond: 100 }, { duration: 20s, recordsPerSecond: 0 }], arrivals: poisson }
    recordSize: { distribution: fixed, size: 100B }
    keys: { distribution: fixed, key: "k" }
systems:
  - name: q
    kind: sqs
    queue: { type: standard, visibilityTimeout: 1s, maxReceiveCount: ${k} }
    producer: { latency: ${zero} }
    consumers:
      - { name: c, count: ${maxMessages === 1 ? 10 : 1}, maxMessages: ${maxMessages}, waitTime: 20s, failureProbability: ${p}, processing: { perBatch: 40ms }, receiveLatency: ${zero}, deleteLatency: ${zero} }
`;
  for (const maxMessages of [1, 10]) {
    it(`maxMessages ${maxMessages}: ~p^k of the messages are dead-lettered`, () => {
      const system = run(`dlq-share-${maxMessages}`, scenario(maxMessages));
      const r = system.consumers[0].records;
      const accepted = system.records.accepted;
      expect(Math.abs(accepted / n - 1)).toBeLessThan(0.03);
      expect(r.unread + r.inFlight).toBe(0);
      const standardError = Math.sqrt((p ** k * (1 - p ** k)) / accepted);
      expect(Math.abs(r.deadLettered / accepted - p ** k)).toBeLessThan(4 * standardError);
    });
  }
});

describe("a queue with no consumers (retention, docs/reference.md §4)", () => {
  // 10 messages/s evenly spaced (k x 100 ms, k = 0..2,999), retention 60 s, nobody receiving.
  // Retention runs every second: at 300 s it has deleted every message sent before 240 s, k =
  // 0..2,399; the 600 sent from 240 s on wait. The books close on the queue's own counts, with no consumer to carry them.
  it("reports the expired messages, their finding, and the messages waiting", () => {
    const result = runAll(
      "no-consumers",
      `
name: no-consumers
seed: 1
duration: 5m
workload:
  - producer: p
    rate: { recordsPerSecond: 10, arrivals: uniform }
    recordSize: { distribution: fixed, size: 100B }
    keys: { distribution: fixed, key: "k" }
systems:
  - name: q
    kind: sqs
    queue: { type: standard, retention: 60s }
    producer: { latency: ${zero} }
`,
    );
    const system = result.systems[0];
    expect(system.records.accepted).toBe(3000);
    expect(system.facts.messagesExpired).toBe(2400);
    expect(system.facts.messagesWaiting).toBe(600);
    const finding = system.findings.find((candidate) => candidate.code === "records-expired");
    expect(finding?.evidence.expired).toBe(2400);
    const verdict = verdictLines(buildSummary(result)).join("\n");
    expect(verdict).toContain("600 messages waiting at the end");
    expect(verdict).toContain("2,400 messages expired");
  });
});

describe("throttled receives back off (AWS SDK standard retry mode, docs/reference.md §4)", () => {
  // A FIFO queue allows 300 receives/s; C consumers short-poll an empty queue with zero latencies, so
  // the bucket is always drained: 300 calls/s get through, every other attempt is throttled. The SDK
  // retries a throttled call after U x 500 ms, then U x 1 s, and after the third attempt the error
  // reaches the application, which calls again (1 ms); a call that gets through answers empty and the
  // consumer calls again 1 ms later. If each attempt gets through with probability q whatever its
  // stage, the stages 1, 2, 3 occur in proportion 1 : (1-q) : (1-q)^2, and the mean wait after an
  // attempt is E(q) = sum of stage share x (q x 1 ms + (1-q) x backoff mean), backoff means 250 ms,
  // 500 ms, 1 ms. Then C / E(q) attempts/s, of which 300 get through: q solves C q / E(q) = 300.
  // For C = 200 that is 1,030 attempts/s. (All consumers retrying when the next call is allowed,
  // as once modelled, made ~300,000 throttled attempts/s for 1,000 consumers: 75 times a real fleet.)
  function expectedAttemptsPerSecond(consumers: number, allowedPerSecond: number): number {
    const meanWait = (q: number): number => {
      const shares = [1, 1 - q, (1 - q) ** 2];
      const backoff = [0.25, 0.5, 0.001];
      const total = shares[0] + shares[1] + shares[2];
      return shares.reduce((sum, share, i) => sum + (share / total) * (q * 0.001 + (1 - q) * backoff[i]), 0);
    };
    let low = 1e-9;
    let high = 1;
    for (let i = 0; i < 100; i++) {
      const q = (low + high) / 2;
      if ((consumers * q) / meanWait(q) > allowedPerSecond) high = q;
      else low = q;
    }
    return allowedPerSecond / low;
  }

  it("a throttled fleet sends the attempts the SDK's jittered backoff gives", () => {
    const consumers = 200;
    const seconds = 30;
    const system = run(
      "throttled-receives",
      `
name: throttled-receives
seed: 3
duration: ${seconds}s
workload:
  - producer: p
    rate: { recordsPerSecond: 0.1, arrivals: uniform }
    recordSize: { distribution: fixed, size: 100B }
    keys: { distribution: fixed, key: "k" }
systems:
  - name: q
    kind: sqs
    queue: { type: fifo }
    producer: { latency: ${zero} }
    consumers:
      - { name: c, count: ${consumers}, maxMessages: 10, waitTime: 0s, receiveLatency: ${zero}, deleteLatency: ${zero} }
`,
    );
    const attempts = Number(system.facts.receiveCalls) + Number(system.facts.receiveThrottles);
    const expected = expectedAttemptsPerSecond(consumers, 300);
    // Through: the bucket's 300 a second plus the 300 it holds at the start.
    expect(Math.abs(Number(system.facts.receiveCalls) - 300 * (seconds + 1))).toBeLessThan(10);
    // 1% covers the independence approximation (0.02% off here, 0.1% at 1,000 consumers) and the start.
    expect(Math.abs(attempts / seconds / expected - 1)).toBeLessThan(0.01);
    expect(system.findings.map((finding) => finding.code)).toContain("calls-throttled");
  });
});

describe("high-throughput FIFO partitions (SQS message quotas, docs/reference.md §4)", () => {
  // High-throughput mode lifts the queue's limit, but each partition still takes 300 transactions per
  // second per action, and a message group lives on one partition. 5,000 messages/s sent 10 per call
  // (500 calls/s): to one group they get 300 calls/s through (3,000 messages/s; the partition's
  // bucket also holds 300 calls at the start: at most 3,000 x (T + 1) in T seconds); spread over 1,000
  // groups they all get through, the queue's quota being far above.
  const seconds = 20;
  const scenario = (keys: string) => `
name: ht-fifo-partitions
seed: 5
duration: ${seconds}s
workload:
  - producer: p
    rate: { recordsPerSecond: 5000, arrivals: uniform }
    recordSize: { distribution: fixed, size: 100B }
    keys: ${keys}
systems:
  - name: q
    kind: sqs
    queue: { type: fifo, highThroughput: true }
    producer: { batch: { maxMessages: 10, linger: 10ms }, latency: ${zero} }
`;
  it("one hot group saturates at its partition's 3,000 messages/s", () => {
    const system = run("ht-fifo-hot", scenario(`{ distribution: fixed, key: "hot" }`));
    const bound = 3000 * (seconds + 1);
    expect(system.records.accepted).toBeLessThanOrEqual(bound);
    expect(system.records.accepted).toBeGreaterThan(0.97 * bound);
    expect(system.records.throttledAttempts).toBeGreaterThan(0);
  });
  it("the same rate over many groups is not limited by one partition", () => {
    const system = run("ht-fifo-spread", scenario(`{ distribution: uniform, cardinality: 1000 }`));
    expect(system.records.throttledAttempts).toBe(0);
    expect(system.records.accepted).toBeGreaterThan(0.99 * 5000 * seconds);
  });
});

describe("high-throughput FIFO receives per partition (SQS developer guide, docs/reference.md §4 [SQS-PART] [SQS-THR])", () => {
  // [SQS-PART]: a message's group id is hashed to pick the partition that stores it, and each partition
  // takes up to 300 transactions per second for send, receive and delete (3,000 messages/s batched);
  // [SQS-THR]: over it a call gets ThrottlingException even though messages are available. One group
  // lives on one partition, so 20 consumers receiving one message per call from a single group get at
  // most 300 receives/s (plus the bucket's first second: at most 300 x (T + 1) in T seconds), although
  // the queue's own quota (70,000/s) is far above; the producer's 200 sends/s are within the limit.
  // Over 1,000 groups the same fleet receives all 2,000 messages/s: the groups spread over the
  // partitions (about 9 receives/s each). The lower bound (90% of 300/s) leaves room for the SDK's
  // backoff: a throttled consumer waits up to a second, and the bucket keeps a second of transactions.
  const seconds = 20;
  const scenario = (keys: string) => `
name: ht-fifo-receive-partitions
seed: 7
duration: ${seconds}s
workload:
  - producer: p
    rate: { recordsPerSecond: 2000, arrivals: uniform }
    recordSize: { distribution: fixed, size: 100B }
    keys: ${keys}
systems:
  - name: q
    kind: sqs
    queue: { type: fifo, highThroughput: true }
    producer: { batch: { maxMessages: 10, linger: 5ms }, latency: ${zero} }
    consumers:
      - { name: c, count: 20, maxMessages: 1, waitTime: 20s, processing: { perRecord: 0s }, receiveLatency: ${zero}, deleteLatency: ${zero} }
`;
  it("one group's receives stop at its partition's 300 calls/s", () => {
    const system = run("ht-fifo-receive-hot", scenario(`{ distribution: fixed, key: "hot" }`));
    const consumed = system.consumers[0].records.consumed;
    expect(system.records.throttledAttempts).toBe(0);
    expect(consumed).toBeLessThanOrEqual(300 * (seconds + 1));
    expect(consumed).toBeGreaterThan(0.9 * 300 * seconds);
    expect(Number(system.facts.partitionReceiveThrottles)).toBeGreaterThan(0);
    const finding = system.findings.find((f) => f.code === "calls-throttled");
    expect(finding?.message).toMatch(/partition/);
  });
  it("many groups spread over the partitions receive past one partition's limit", () => {
    const system = run("ht-fifo-receive-spread", scenario(`{ distribution: uniform, cardinality: 1000 }`));
    expect(system.consumers[0].records.consumed).toBeGreaterThan(0.99 * 2000 * seconds);
    expect(system.facts.partitionReceiveThrottles).toBe(0);
  });
});

describe("throttled sends back off like throttled receives (@smithy/util-retry, docs/reference.md §4 [SMITHY-RETRY])", () => {
  // The SDK's standard mode backs off from THROTTLING_RETRY_DELAY_BASE, 500 ms, for any throttling
  // error, SendMessage included: retry 1 after U x 500 ms, retry 2 after U x 1 s (3 attempts). From the
  // 100 ms base of other errors the two waits could add to at most 300 ms. A FIFO queue takes 300
  // SendMessage calls/s; 1,000 single-message sends a second for 5 s throttle most calls, and the
  // accepted messages that waited for a retry waited up to ~1.5 s (zero call latencies).
  const scenario = `
name: fifo-send-throttled
seed: 7
duration: 5s
warmup: 0s
workload:
  - producer: p
    rate: { recordsPerSecond: 1000, arrivals: uniform }
    recordSize: { distribution: fixed, size: 100B }
    keys: { distribution: uniform, cardinality: 100 }
systems:
  - name: q
    kind: sqs
    queue: { type: fifo }
    producer: { batch: { maxMessages: 1 }, latency: ${zero} }
`;
  it("a throttled SendMessage waits from the 500 ms throttling base, not the 100 ms one", () => {
    const system = run("fifo-send-throttled", scenario);
    expect(system.records.throttledAttempts).toBeGreaterThan(1000);
    const maxS = system.producerLatency.max / 1e6;
    expect(maxS).toBeGreaterThan(0.6);
    expect(maxS).toBeLessThan(1.5 + 0.05);
  });
});
