// The event source mapping's error handling on one lane, against the Lambda developer guide's
// semantics (docs/reference.md §6.2): bisection isolates a poison record in ceil(log2(n)) + 1 failed
// invocations and uses no retries; retries stop at maximumRetryAttempts; partial batch responses
// checkpoint before the first failed record; maximumRecordAge gives old records up unsent.

import { describe, expect, it } from "vitest";
import { RandomStreams, Simulation } from "../../sim/engine/index.ts";
import { AccountPool, BatchLane, LambdaFunction, type LaneSource, type MappingSettings } from "../../sim/lambda/index.ts";
import { lambdaFunction } from "../../sim/scenario/lambda-schema.ts";

const seriesOptions = { intervalUs: 60_000_000, endUs: 3_600_000_000 };

interface Outcome {
  succeeded: number;
  givenUp: number;
  expired: number;
  reruns: number;
  invocations: number;
  failed: number;
  lane: BatchLane;
}

/** One lane over records [0, records) with a poison record at `poisonSeq`, run to the end. */
function runLane(records: number, poisonSeq: number, overrides: Partial<MappingSettings>, arrivalUsOf = (_seq: number) => 0): Outcome {
  const sim = new Simulation();
  const streams = new RandomStreams(1);
  const spec = lambdaFunction.parse({ duration: { perBatch: "10ms", perRecord: "1ms" } });
  const fn = new LambdaFunction("fn", spec, new AccountPool(1000), { duration: streams.stream("d"), errors: streams.stream("e") }, seriesOptions, 0);
  const settings: MappingSettings = {
    batchSize: records,
    batchingWindowUs: 0,
    maximumRetryAttempts: -1,
    maximumRecordAgeUs: Infinity,
    bisect: false,
    reportBatchItemFailures: false,
    onFailureDestination: true,
    throttleRetryUs: 1_000_000,
    ...overrides,
  };
  const outcome = { succeeded: 0, givenUp: 0, expired: 0, reruns: 0, invocations: 0, failed: 0 };
  const source: LaneSource = {
    settings,
    fn,
    retainedFromSeq: () => 0,
    arrivedFromSeq: (from, end, horizonUs) => {
      let seq = from;
      while (seq < end && arrivalUsOf(seq) < horizonUs) seq++;
      return seq;
    },
    poisonIn: (start, end) => (poisonSeq >= start && poisonSeq < end ? poisonSeq : Infinity),
    onInvoke: () => {},
    onSucceeded: (start, end) => (outcome.succeeded += end - start),
    onGivenUp: (count) => (outcome.givenUp += count),
    onExpired: (count) => (outcome.expired += count),
    onRerun: (count) => (outcome.reruns += count),
    onLaneIdle: () => {},
  };
  const lane = new BatchLane(sim, source);
  sim.at(0, () => lane.take(0, records));
  sim.run({ endUs: 3_600_000_000, eventBudget: 10_000_000 });
  return { ...outcome, invocations: fn.invocations, failed: fn.failedInvocations, lane };
}

describe("bisectBatchOnFunctionError", () => {
  for (const poisonSeq of [0, 37, 99]) {
    it(`isolates one poison record (at ${poisonSeq}) in a batch of 100 within ceil(log2(100)) + 1 = 8 failed invocations, using no retries to split`, () => {
      const outcome = runLane(100, poisonSeq, { bisect: true, maximumRetryAttempts: 0 });
      expect(outcome.failed).toBeLessThanOrEqual(Math.ceil(Math.log2(100)) + 1);
      expect(outcome.lane.retries).toBe(0);
      expect(outcome.givenUp).toBe(1);
      expect(outcome.succeeded).toBe(99);
      expect(outcome.lane.idle).toBe(true);
    });
  }
});

describe("retries", () => {
  it("retries a failing batch maximumRetryAttempts times, then gives all of it up", () => {
    const outcome = runLane(100, 50, { maximumRetryAttempts: 3 });
    expect(outcome.invocations).toBe(4);
    expect(outcome.lane.retries).toBe(3);
    expect(outcome.givenUp).toBe(100);
    expect(outcome.succeeded).toBe(0);
    // Each failed attempt ran the 50 records before the poison one: they will be sent again.
    expect(outcome.reruns).toBe(4 * 50);
  });

  it("with a partial batch response checkpoints before the first failed record and retries from it", () => {
    const outcome = runLane(100, 50, { maximumRetryAttempts: 2, reportBatchItemFailures: true });
    expect(outcome.succeeded).toBe(50);
    expect(outcome.givenUp).toBe(50);
    expect(outcome.reruns).toBe(0);
  });

  it("gives up records older than maximumRecordAge before sending them again", () => {
    // Records arrived at 0; after 60 s of retries they are too old and go unsent.
    const outcome = runLane(100, 10, { maximumRecordAgeUs: 60_000_000 });
    expect(outcome.givenUp).toBe(100);
    expect(outcome.lane.longestStuckUs).toBeGreaterThan(59_000_000);
    // The last attempt starts before the 60 s mark and fails at most one invocation (110 ms) later.
    expect(outcome.lane.longestStuckUs).toBeLessThanOrEqual(60_110_000);
  });
});

describe("partial batch responses with bisection", () => {
  it("retries from the reported record without halving: only a batch that fails outright is bisected", () => {
    const outcome = runLane(100, 50, { maximumRetryAttempts: 1, reportBatchItemFailures: true, bisect: true });
    expect(outcome.lane.bisections).toBe(0);
    expect(outcome.succeeded).toBe(50);
    // The poison record heads the remainder on every retry: after one retry the remainder is given up.
    expect(outcome.givenUp).toBe(50);
    expect(outcome.invocations).toBe(2);
  });
});
