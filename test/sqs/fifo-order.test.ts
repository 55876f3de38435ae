import { describe, expect, it } from "vitest";
import { runScenario } from "../../sim/run/index.ts";
import { loadScenarioText } from "../../sim/scenario/index.ts";

// A FIFO group's messages are delivered in order, a redelivery included (docs/reference.md §4: strict order per
// MessageGroupId). The hard case: a batch partly fails, its delete for the rest is on its way when the
// visibility timeout passes (processing 0.9 s, delete 0.2 s, timeout 1 s), so both the failed messages
// and those being deleted return to the group: they must go back in their send order.
describe("FIFO order when a partly failed batch returns", () => {
  it("messages whose visibility timeout passed return to their group's front in send order", () => {
    const yaml = `
name: fifo-order-return
seed: 7
duration: 60s
workload:
  - producer: p
    rate: { recordsPerSecond: 20, arrivals: poisson }
    recordSize: { distribution: fixed, size: 200B }
    keys: { distribution: fixed, key: "only" }
systems:
  - name: q
    kind: sqs
    queue: { type: fifo, visibilityTimeout: 1s }
    producer: { latency: { median: 0s, p99: 0s } }
    consumers:
      - { name: w, count: 1, maxMessages: 10, waitTime: 1s, failureProbability: 0.3, processing: { perRecord: 90ms },
          receiveLatency: { median: 0s, p99: 0s }, deleteLatency: { median: 200ms, p99: 200ms } }
`;
    const loaded = loadScenarioText(yaml, "fifo-order-return.yaml");
    if (!loaded.ok) throw new Error("the scenario does not load");
    const system = runScenario(loaded.scenario).systems[0]!;
    // The case happened: late deletes with a stale receipt, after partial failures.
    expect(Number(system.facts.staleDeletes)).toBeGreaterThan(0);
    expect(Number(system.facts.failedMessages)).toBeGreaterThan(0);
    expect(system.facts.fifoOrderViolations).toBe(0);
  });
});

// The MessageGroupId is the key: two producers sending the same key share one group, served one
// batch at a time. One message per receive taking exactly 50 ms (no call latencies) serves a group at
// 20 messages/s: ~1,200 in 60 s for the shared group (two separate groups would get ~2,400).
describe("FIFO groups are keyed by MessageGroupId", () => {
  it("producers sending the same key share its group", () => {
    const yaml = `
name: fifo-shared-group
seed: 3
duration: 60s
workload:
  - producer: web
    rate: { recordsPerSecond: 100, arrivals: poisson }
    recordSize: { distribution: fixed, size: 200B }
    keys: { distribution: fixed, key: "order-1" }
  - producer: mobile
    rate: { recordsPerSecond: 100, arrivals: poisson }
    recordSize: { distribution: fixed, size: 200B }
    keys: { distribution: fixed, key: "order-1" }
systems:
  - name: q
    kind: sqs
    queue: { type: fifo }
    producer: { latency: { median: 0s, p99: 0s } }
    consumers:
      - { name: w, count: 20, maxMessages: 1, waitTime: 20s, processing: { perRecord: 50ms },
          receiveLatency: { median: 0s, p99: 0s }, deleteLatency: { median: 0s, p99: 0s } }
`;
    const loaded = loadScenarioText(yaml, "fifo-shared-group.yaml");
    if (!loaded.ok) throw new Error("the scenario does not load");
    const system = runScenario(loaded.scenario).systems[0]!;
    const consumed = system.consumers[0]!.records.consumed;
    expect(consumed).toBeGreaterThan(1150);
    expect(consumed).toBeLessThanOrEqual(1201);
    expect(system.facts.fifoOrderViolations).toBe(0);
  });
});
