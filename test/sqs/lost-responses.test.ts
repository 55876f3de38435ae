import { describe, expect, it } from "vitest";
import { resultOfKind } from "../../sim/metrics/index.ts";
import { runScenario } from "../../sim/run/index.ts";
import { loadScenarioText } from "../../sim/scenario/index.ts";

// A send whose answer is lost after SQS stored the messages is retried by the client with the same
// messages (docs/reference.md §4: FIFO drops duplicates within its 5-minute deduplication window; a standard queue
// stores them again, so they are delivered twice).
function run(type: "standard" | "fifo") {
  const yaml = `
name: lost-responses-${type}
seed: 11
duration: 2m
workload:
  - producer: devices
    rate: { recordsPerSecond: 200, arrivals: poisson }
    recordSize: { distribution: fixed, size: 1KiB }
    keys: { distribution: uniform, cardinality: 50, template: "device-{i}" }
systems:
  - name: q
    kind: sqs
    queue: { type: ${type} }
    producer: { batch: { maxMessages: 10, linger: 20ms }, lostResponseProbability: 0.1 }
    consumers:
      - { name: workers, count: 4, maxMessages: 10, waitTime: 20s, processing: { perRecord: 1ms } }
`;
  const loaded = loadScenarioText(yaml, `lost-responses-${type}.yaml`);
  if (!loaded.ok) throw new Error("the scenario does not load");
  return runScenario(loaded.scenario).systems[0]!;
}

describe("lost send responses", () => {
  // ~24,000 messages in ~2,400 calls of ~10: a tenth of the calls (~240, sd ~15) lose their answer,
  // so ~2,400 messages are sent twice, within ±25% (more than 4 standard deviations of the call count).
  const expected = 0.1 * 24_000;

  it("a standard queue stores the retried messages again: the consumers process them twice", () => {
    const system = run("standard");
    const fleet = system.consumers[0]!.records;
    expect(Number(system.facts.storedTwice)).toBeGreaterThan(0.75 * expected);
    expect(Number(system.facts.storedTwice)).toBeLessThan(1.25 * expected);
    // Every copy that reached a consumer is a duplicate; a few may still wait in the queue at the end.
    expect(fleet.duplicates).toBeGreaterThan(0.95 * Number(system.facts.storedTwice));
    expect(fleet.duplicates).toBeLessThanOrEqual(Number(system.facts.storedTwice));
    // Accepted once each: the identities close with the copies apart.
    expect(system.records.accepted + system.records.dropped + system.records.pending).toBe(system.records.produced);
    expect(fleet.consumed + fleet.inFlight + fleet.unread + fleet.expired + fleet.deadLettered + fleet.lost).toBe(system.records.accepted);
  });

  it("a FIFO queue deduplicates them: nothing is processed twice", () => {
    const system = run("fifo");
    const fleet = system.consumers[0]!.records;
    expect(Number(system.facts.deduplicated)).toBeGreaterThan(0.75 * expected);
    expect(Number(system.facts.deduplicated)).toBeLessThan(1.25 * expected);
    expect(Number(system.facts.storedTwice)).toBe(0);
    expect(fleet.duplicates).toBe(0);
    expect(fleet.consumed + fleet.inFlight + fleet.unread + fleet.expired + fleet.deadLettered + fleet.lost).toBe(system.records.accepted);
  });
});

describe("lost send responses under the FIFO send limit", () => {
  // 2,000 single-message sends per second against 300 calls/s: most calls are throttled out of their
  // two attempts, and a third of the answers are lost, so many retries of stored calls are throttled
  // too. Those messages are in the queue: they count as accepted, never as dropped.
  it("a stored call whose retries are throttled out counts as accepted once, and the identities close", () => {
    const yaml = `
name: lost-responses-throttled
seed: 5
duration: 10s
workload:
  - producer: p
    rate: { recordsPerSecond: 2000, arrivals: poisson }
    recordSize: { distribution: fixed, size: 200B }
    keys: { distribution: uniform, cardinality: 100, template: "k-{i}" }
systems:
  - name: q
    kind: sqs
    queue: { type: fifo }
    producer: { batch: { maxMessages: 1 }, lostResponseProbability: 0.3, retry: { maxAttempts: 2, baseDelay: 10ms } }
    consumers:
      - { name: w, count: 20, maxMessages: 10, waitTime: 20s, processing: { perRecord: 1ms } }
`;
    const loaded = loadScenarioText(yaml, "lost-responses-throttled.yaml");
    if (!loaded.ok) throw new Error("the scenario does not load");
    const system = runScenario(loaded.scenario).systems[0]!;
    const r = system.records;
    const fleet = system.consumers[0]!.records;
    expect(r.dropped).toBeGreaterThan(0);
    // Lost answers whose retry was deduplicated are fewer than all lost answers: the rest were given up.
    expect(Number(system.facts.lostSendResponses)).toBeGreaterThan(Number(system.facts.deduplicated));
    expect(r.accepted + r.dropped + r.pending).toBe(r.produced);
    expect(system.producerLatency.count).toBe(r.accepted);
    expect(resultOfKind(system, "sqs").usage.messagesSent).toBe(r.accepted);
    expect(fleet.consumed + fleet.inFlight + fleet.unread + fleet.expired + fleet.deadLettered + fleet.lost).toBe(r.accepted);
  });
});
