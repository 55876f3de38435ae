// Flink checkpoints and restarts (docs/reference.md §8.6) against the analytic replay: a job that
// checkpoints every C seconds and restarts at a moment uniformly spread over the checkpoint cycle
// re-reads, on average, C/2 seconds of input. The barrier follows the records handed on when the
// checkpoint triggers; with zero latencies and a light load (10 us a record at 1,000 records/s) it
// completes within milliseconds, so every record handed on after the trigger and processed before the
// restart is processed again. Restart i comes 2C + (i + 0.5)/N x C after the previous resume (a
// restart re-arms the checkpoint timer at resume), so its phase is (i + 0.5)/N x C exactly and the
// phases' mean is C/2: with 20 restarts and C = 10 s, 5,000 records each on average. What remains is
// the delivery granularity (a record in flight at the restart is not yet processed: ~1 record), far
// below the 5% bound. An at-least-once sink counts every reprocessed record as a duplicate; an
// exactly-once sink none, while the work is the same.

import { describe, expect, it } from "vitest";
import { runScenario } from "../../sim/run/index.ts";
import { expectRunAccountingCloses } from "../support/accounting.ts";
import { loadInline } from "../support/scenarios.ts";

const runTimeoutMs = 120_000;
const intervalS = 10;
const downtimeS = 1;
const restarts = 20;
const recordsPerSecond = 1000;

function restartTimes(): number[] {
  const times: number[] = [];
  let resumeS = 0; // the job starts at 0: its first checkpoint is at C
  for (let i = 0; i < restarts; i++) {
    const atS = resumeS + 2 * intervalS + ((i + 0.5) / restarts) * intervalS;
    times.push(atS);
    resumeS = atS + downtimeS;
  }
  return times;
}

function scenario(source: "kinesis" | "kafka", sink: string): string {
  const application = `name: app, type: flink, parallelism: 2, processing: { perRecord: 10us }, checkpoints: { interval: ${intervalS}s }, restartDowntime: ${downtimeS}s, sink: ${sink}`;
  const system =
    source === "kinesis"
      ? `  - name: sut
    kind: kinesis
    capacity: { mode: provisioned, shards: 1 }
    producer: { batch: { linger: 0s }, latency: { median: 0s, p99: 0s } }
    consumers:
      - { ${application}, efo: true, latency: { median: 0s, p99: 0s } }`
      : `  - name: sut
    kind: kafka
    brokers: { count: 3, instanceType: kafka.m5.large, interBrokerLatency: { median: 0s, p99: 0s } }
    topic: { partitions: 1 }
    producer: { linger: 0s, latency: { median: 0s, p99: 0s } }
    flinkApplications:
      - { ${application} }`;
  const times = restartTimes();
  const durationS = Math.ceil(times[times.length - 1]! + 30);
  return `name: flink-restarts
seed: 5
duration: ${durationS}s
report: { interval: 10s }
workload:
  - producer: p
    rate: { recordsPerSecond: ${recordsPerSecond}, arrivals: uniform }
    recordSize: { distribution: fixed, size: 100B }
    keys: { distribution: uniform, cardinality: 100, template: "k-{i}" }
systems:
${system}
timeline:
${times.map((atS) => `  - { at: ${Math.round(atS * 1000)}ms, system: sut, action: flink-restart, application: app }`).join("\n")}
`;
}

describe("Flink restart from a checkpoint every C s reprocesses C/2 s of input on average", () => {
  it.each([
    ["kinesis", "at-least-once"],
    ["kafka", "exactly-once"],
  ] as const)("from %s with an %s sink: within 5% of C/2 x rate per restart", (source, sink) => {
    const text = scenario(source, sink);
    const result = runScenario(loadInline(text));
    expectRunAccountingCloses(result);
    const consumer = result.systems[0]!.consumers[0]!;
    const checkpoints = consumer.flink!.checkpoints;
    expect(checkpoints.restarts.length).toBe(restarts);
    expect(checkpoints.completed).toBeGreaterThanOrEqual(2 * restarts);
    const perRestart = checkpoints.reprocessedRecords / restarts;
    const expected = (intervalS / 2) * recordsPerSecond;
    expect(Math.abs(perRestart - expected) / expected, `reprocessed ${perRestart} per restart; replay: ${text}`).toBeLessThan(0.05);
    expect(consumer.records.duplicates).toBe(sink === "exactly-once" ? 0 : checkpoints.reprocessedRecords);
    // Downtime stops the job; it catches up after each restart: nothing is left behind at the end.
    expect(checkpoints.downtimeUs).toBe(restarts * downtimeS * 1e6);
    expect(consumer.records.unread + consumer.records.inFlight).toBeLessThan(recordsPerSecond);
  }, runTimeoutMs);
});
