// Each SQS example scenario exists to show something (docs/design.md "Tests and examples"): these tests
// run it shortened where the effect allows and assert that it shows it, and that its messages are
// all accounted for.

import { describe, expect, it } from "vitest";
import { buildSummary } from "../../reports/summary.ts";
import { summaryMarkdown } from "../../reports/summary-md.ts";
import { resultOfKind, type SystemResult } from "../../sim/metrics/index.ts";
import { runScenario } from "../../sim/run/index.ts";
import { expectRunAccountingCloses } from "../support/accounting.ts";
import { loadExample } from "../support/scenarios.ts";

const minuteUs = 60_000_000;

function run(file: string, durationUs?: number) {
  const result = runScenario(loadExample(file, { durationUs }));
  expectRunAccountingCloses(result);
  return result;
}

const codes = (system: SystemResult): string[] => system.findings.map((finding) => finding.code);

describe("SQS examples", () => {
  it("sqs-standard-uniform: the fleet keeps up with 6,000 messages/s: queue near empty, no findings", () => {
    const [queue] = run("sqs-standard-uniform.yaml", 2 * minuteUs).systems;
    expect(queue.findings).toEqual([]);
    // 40 consumers x 10 messages per ~40 ms cycle is ~10,000/s of capacity for 6,000/s: a message
    // waits for a consumer to come back from its cycle, well under a second.
    expect(queue.consumers[0].lag.quantile(0.99)).toBeLessThan(1_000_000);
    expect(queue.consumers[0].records.unread).toBeLessThan(6000);
    // Batches of 10 x 1 KB are one 64 KB chunk each: about one billed send per 10 messages after warm-up.
    const usage = resultOfKind(queue, "sqs").usage;
    expect(usage.sendRequests).toBeLessThan(usage.messagesSent / 9);
  });

  it("sqs-fifo-hot-group: the hot device's group is named, served one batch at a time, and its backlog grows", () => {
    const [fifo] = run("sqs-fifo-hot-group.yaml", 5 * minuteUs).systems;
    const hot = fifo.findings.find((finding) => finding.code === "hot-fifo-group");
    expect(hot?.subject).toBe("device-0");
    expect(codes(fifo)).toContain("queue-falling-behind");
    expect(fifo.facts.fifoOrderViolations).toBe(0);
    // Waiting at the end: the hot group's excess, 300/s offered against its ~135/s bound over 4 min
    // after the first minute, tens of thousands; other groups are not held up.
    expect(fifo.consumers[0].records.unread).toBeGreaterThan(20_000);
  });

  it("sqs-poison-dlq: the failing deploy's messages end in the DLQ after 3 receives", () => {
    const [queue] = run("sqs-poison-dlq.yaml", 4 * minuteUs).systems;
    const r = queue.consumers[0].records;
    // Messages received during the 2-minute failure window fail 3 times (visibility 10 s) and go to the
    // DLQ: on the order of 200/s x 2 min; the 1% background failure adds only 1%^3 of the rest.
    expect(r.deadLettered).toBeGreaterThan(15_000);
    expect(r.deadLettered).toBeLessThan(30_000);
    expect(codes(queue)).toContain("dead-lettered");
    expect(Number(queue.facts.failedMessages)).toBeGreaterThanOrEqual(3 * r.deadLettered);
  });

  it("three-systems: Kinesis, Kafka and SQS see the same records, side by side in summary.md", () => {
    const result = run("three-systems.yaml", 1.5 * minuteUs);
    const [kds, msk, queue] = result.systems;
    expect([kds.kind, msk.kind, queue.kind]).toEqual(["kinesis", "kafka", "sqs"]);
    expect(msk.records.produced).toBe(kds.records.produced);
    expect(queue.records.produced).toBe(kds.records.produced);
    expect(queue.findings).toEqual([]);
    const markdown = summaryMarkdown(buildSummary(result));
    expect(markdown).toContain("**queue** (sqs standard");
    expect(markdown).toMatch(/\|kind\|kinesis\|kafka\|sqs\|/);
  });

  it("clickstream-ramp-daily: its SQS queue is simulated, keeps up with the ramp and accounts for every message", () => {
    const result = run("clickstream-ramp-daily.yaml", 8 * minuteUs);
    const queue = result.systems.find((system) => system.kind === "sqs")!;
    expect(queue.name).toBe("click-queue");
    expect(result.notes.map((note) => note.code)).not.toContain("systems-not-simulated");
    expect(queue.records.accepted).toBeGreaterThan(0);
    // 8 consumers x 10 messages per ~45 ms (2 ms each) is ~1,800/s: more than the ramp reaches in 8 min.
    expect(queue.consumers[0].records.consumed).toBeGreaterThan(0.99 * queue.records.accepted - 5000);
    expect(codes(queue)).not.toContain("queue-falling-behind");
  });
});
