// Sliding event-time windows (docs/reference.md §8.5) against Flink's assignment: a window of size S
// starts at every multiple of the slide L (SlidingEventTimeWindows.assignWindows with offset 0, window
// starts from TimeWindow.getWindowStartWithOffset(t, 0, L) down while start > t - S), so a record is in
// exactly S / L windows when L divides S; a window fires when the watermark passes its end - 1 ms, as a
// tumbling one does; a record is dropped only when every one of its windows is late.

import { describe, expect, it } from "vitest";
import { assignWindows, type WindowCounts } from "../../sim/flink/windows.ts";
import { runScenario } from "../../sim/run/index.ts";
import { expectRunAccountingCloses } from "../support/accounting.ts";
import { loadInline } from "../support/scenarios.ts";

const s = 1_000_000;
const sliding = { sizeUs: 10 * s, slideUs: 5 * s, outOfOrdernessUs: 0, allowedLatenessUs: 0 };

describe("sliding window assignment (SlidingEventTimeWindows)", () => {
  it("puts a record in every window [k L, k L + S) holding it: t = 12 s, S = 10 s, L = 5 s is in [10, 20) and [5, 15)", () => {
    const list: WindowCounts = [];
    expect(assignWindows(12 * s, -Infinity, sliding, list)).toBe(true);
    expect(list).toEqual([2, 1, 1, 1]);
    // On a window's start: t = 10 s is in [10, 20) and [5, 15), not in [0, 10).
    const onStart: WindowCounts = [];
    assignWindows(10 * s, -Infinity, sliding, onStart);
    expect(onStart).toEqual([2, 1, 1, 1]);
    // Negative event times (a record from before the run's start): t = -1 s is in [-5, 5) and [-10, 0).
    const negative: WindowCounts = [];
    assignWindows(-1 * s, -Infinity, sliding, negative);
    expect(negative).toEqual([-1, 1, -2, 1]);
  });

  it("ends for an event time so far back that its window indexes lose their units (-1e36 us: dropped as late)", () => {
    const uneven = { ...sliding, slideUs: 3 * s };
    expect(assignWindows(-1e36, -Infinity, uneven, [])).toBe(false);
    // A slide that does not divide the size: t = 12 s is in [12, 22), [9, 19), [6, 16) and [3, 13): ceil(10 / 3) = 4, the most.
    const list: WindowCounts = [];
    assignWindows(12 * s, -Infinity, uneven, list);
    expect(list).toEqual([4, 1, 3, 1, 2, 1, 1, 1]);
  });

  it("tumbling is the slide equal to the size: one window, floor(t / S)", () => {
    const list: WindowCounts = [];
    assignWindows(12 * s, -Infinity, { ...sliding, slideUs: 10 * s }, list);
    expect(list).toEqual([1, 1]);
  });

  it("drops a record only when all of its windows are late; a late window is left out of the others", () => {
    // Watermark 14.999 s: [5, 15) has fired (its max timestamp 14.999 s <= watermark), [10, 20) has not.
    const partly: WindowCounts = [];
    expect(assignWindows(12 * s, 14_999_000, sliding, partly)).toBe(true);
    expect(partly).toEqual([2, 1]);
    const all: WindowCounts = [];
    expect(assignWindows(12 * s, 19_999_000, sliding, all)).toBe(false);
    expect(all).toEqual([]);
  });
});

describe("sliding windows in a run", () => {
  it.each(["kinesis", "kafka"])("from %s: every record processed counts in S / L = 5 windows, which fire as tumbling ones do", (source) => {
    const application = "name: app, type: flink, parallelism: 4, processing: { perRecord: 100us }, window: { size: 10s, slide: 2s, outOfOrderness: 1s }";
    const system =
      source === "kinesis"
        ? `  - name: sut
    kind: kinesis
    capacity: { mode: provisioned, shards: 2 }
    producer: { batch: { linger: 0s }, latency: { median: 0s, p99: 0s } }
    consumers:
      - { ${application}, efo: true, latency: { median: 0s, p99: 0s } }`
        : `  - name: sut
    kind: kafka
    brokers: { count: 3, instanceType: kafka.m5.large, interBrokerLatency: { median: 0s, p99: 0s } }
    topic: { partitions: 2 }
    producer: { linger: 0s, latency: { median: 0s, p99: 0s } }
    flinkApplications:
      - { ${application} }`;
    const result = runScenario(
      loadInline(`name: flink-sliding
seed: 3
duration: 3m
warmup: 30s
report: { interval: 30s }
workload:
  - producer: p
    rate: { recordsPerSecond: 500, arrivals: uniform }
    recordSize: { distribution: fixed, size: 100B }
    keys: { distribution: uniform, cardinality: 1000, template: "k-{i}" }
systems:
${system}
`),
    );
    expectRunAccountingCloses(result);
    const consumer = result.systems[0]!.consumers[0]!;
    const windows = consumer.flink!.windows!;
    // Event time is creation time and every shard is read in order: no record is late.
    expect(windows.lateRecords).toBe(0);
    // Each processed record is in exactly 5 windows, fired or still open at the end (an exact identity).
    expect(windows.recordsInFiredWindows + windows.recordsInOpenWindows).toBe(5 * consumer.records.consumed);
    // A window fires when the watermark (1 s behind the newest event time) passes its end: ~1 s after it.
    expect(windows.outputLatency.mean / 1e6).toBeGreaterThan(1);
    expect(windows.outputLatency.mean / 1e6).toBeLessThan(1.1);
    // A window ends every 2 s on each of the 4 subtasks (each holds records of every window): ~88 a subtask in 3 minutes.
    expect(windows.windowsFired).toBeGreaterThan(4 * 85);
    expect(windows.windowsFired).toBeLessThanOrEqual(4 * 95);
  });
});
