// The Flink example shows what its README line says (docs/design.md "Tests and examples"), and the
// accounting of every system in it closes.

import { describe, expect, it } from "vitest";
import type { SystemResult } from "../../sim/metrics/index.ts";
import { runScenario } from "../../sim/run/index.ts";
import { flinkSummary } from "../../reports/flink-summary.ts";
import { expectRunAccountingCloses } from "../support/accounting.ts";
import { loadExample } from "../support/scenarios.ts";

const runTimeoutMs = 180_000;
const minuteUs = 60_000_000;

function hotSubtask(system: SystemResult, consumer: string) {
  return system.findings.find((finding) => finding.code === "flink-hot-subtask" && finding.subject.startsWith(`${consumer} `));
}

describe("flink-windowed-aggregation", () => {
  it(
    "the busiest user's key group overloads one subtask at parallelism 4 and still at 16, from Kinesis and from Kafka: no parallelism helps",
    () => {
      const result = runScenario(loadExample("flink-windowed-aggregation.yaml", { durationUs: 4 * minuteUs }));
      expectRunAccountingCloses(result);
      const [kds, msk] = result.systems;
      for (const [system, consumer] of [[kds!, "counts-p4"], [kds!, "counts-p16"], [msk!, "counts-p16"]] as const) {
        const finding = hotSubtask(system, consumer);
        expect(finding, `${system.name} ${consumer}: ${JSON.stringify(system.findings.map((f) => f.code))}`).toBeDefined();
        // "user-0" carries 15% of 4,000 clicks/s at 2 ms each: 121% of one subtask, at any parallelism.
        expect(finding!.evidence.key).toBe("user-0");
        expect(finding!.evidence.keyGroup).toBe(8);
        expect(Number(finding!.evidence.keyLoad)).toBeGreaterThan(1.1);
        expect(finding!.evidence.parallelismHelps).toBe("no");
        expect(system.findings.some((f) => f.code === "consumer-falling-behind" && f.subject === consumer)).toBe(true);
      }
      const p16 = kds!.consumers.find((consumer) => consumer.name === "counts-p16")!.flink!;
      expect(p16.billedKpus).toBe(17);
      expect(p16.backpressuredShare).toBeGreaterThan(0.9);
      // Per-minute windows: results come minutes late (the source is behind), and the clicks delayed past 5 s are dropped late.
      expect(p16.windows!.windowsFired).toBeGreaterThan(0);
      expect(p16.windows!.lateRecords).toBeGreaterThan(0);
      const late = kds!.findings.find((f) => f.code === "flink-late-data-dropped" && f.subject === "counts-p16");
      expect(late).toBeDefined();
      // Its evidence carries the share it fired on (0.05% here), never rounded to 0.
      const read = kds!.consumers.find((consumer) => consumer.name === "counts-p16")!.records;
      expect(Number(late!.evidence.lateShare)).toBeCloseTo(p16.windows!.lateRecords / (read.consumed + read.inFlight), 6);
      expect(Number(late!.evidence.lateShare)).toBeGreaterThan(0);
    },
    runTimeoutMs,
  );
});

describe("flink-autoscaling", () => {
  it(
    "the morning ramp drives two subtasks past 75% CPU for 15 minutes: the service doubles the parallelism (a restart), and the autoscaled application bills fewer KPU-hours than the one sized for the peak",
    () => {
      // 80 minutes from 08:00: the ramp reaches 375 clicks/s (75% of two subtasks at 4 ms each) at 08:45.
      const result = runScenario(loadExample("flink-autoscaling.yaml", { durationUs: 80 * minuteUs }));
      expectRunAccountingCloses(result);
      const kds = result.systems[0]!;
      const [autoscaled, fixed] = kds.consumers;
      const restarts = autoscaled!.flink!.checkpoints.restarts;
      expect(restarts.map((restart) => [restart.cause, restart.parallelism])).toEqual([["scale-up", 4]]);
      expect(restarts[0]!.atUs).toBeGreaterThan(55 * minuteUs);
      expect(restarts[0]!.atUs).toBeLessThan(62 * minuteUs);
      expect(fixed!.flink!.checkpoints.restarts).toEqual([]);
      // The restart is 30 s without processing: the autoscaled application's lag peaks past that, the fixed one's stays near a poll.
      expect(autoscaled!.lag.max / 1e6).toBeGreaterThan(30);
      expect(fixed!.lag.max / 1e6).toBeLessThan(5);
      expect(autoscaled!.flink!.kpuHoursAfterWarmup).toBeLessThan(fixed!.flink!.kpuHoursAfterWarmup);
      expect(kds.findings.some((finding) => finding.code === "flink-restarts" && finding.subject === "autoscaled")).toBe(true);
    },
    runTimeoutMs,
  );
});

describe("flink-kinesis-vs-kafka", () => {
  it(
    "the same windows fire 2 s after their end plus what the source adds: a poll for Kinesis polling, a push for enhanced fan-out, a fetch for Kafka",
    () => {
      const result = runScenario(loadExample("flink-kinesis-vs-kafka.yaml", { durationUs: 4 * minuteUs }));
      expectRunAccountingCloses(result);
      const latencyS = (system: SystemResult) => system.consumers[0]!.flink!.windows!.outputLatency.quantile(0.5) / 1e6;
      const [polling, efo, kafka] = result.systems.map(latencyS);
      for (const value of [polling!, efo!, kafka!]) {
        expect(value).toBeGreaterThan(2);
        expect(value).toBeLessThan(2.6);
      }
      // Polling adds about half a poll interval and a round trip more than enhanced fan-out, which adds more than a Kafka fetch.
      expect(polling!).toBeGreaterThan(efo! + 0.1);
      expect(efo!).toBeGreaterThan(kafka! + 0.05);
      // The same records went through each: every application consumed the same count, give or take what is still in flight.
      const consumed = result.systems.map((system) => system.consumers[0]!.records.consumed);
      expect(Math.max(...consumed) - Math.min(...consumed)).toBeLessThan(2000);
    },
    runTimeoutMs,
  );
});

describe("flink-sessions", () => {
  it(
    "sessions of a user's clicks fire the 5 s bound after their end; an exactly-once sink shows them about half the 60 s checkpoint interval later",
    () => {
      const result = runScenario(loadExample("flink-sessions.yaml", { durationUs: 10 * minuteUs }));
      expectRunAccountingCloses(result);
      const [direct, exactlyOnce] = result.systems[0]!.consumers.map((consumer) => consumer.flink!.windows!);
      for (const windows of [direct!, exactlyOnce!]) {
        const sessions = windows.sessions!;
        expect(windows.sessionGapUs).toBe(30_000_000);
        // About one live session per user who clicked in the last 30 s or so, never one per click.
        expect(sessions.activeSessionsPeak).toBeGreaterThan(4000);
        expect(sessions.activeSessionsPeak).toBeLessThanOrEqual(5000 * 1.1);
        expect(sessions.recordsPerSession.mean).toBeGreaterThan(7);
        expect(sessions.recordsPerSession.mean).toBeLessThan(12);
      }
      // summary.json gives a session's records in whole numbers (its quantiles are bucket middles).
      for (const consumer of result.systems[0]!.consumers) {
        const records = flinkSummary(consumer).flink!.windows!.sessions!.recordsPerSession;
        expect(Number.isInteger(records.p50) && Number.isInteger(records.p99), JSON.stringify(records)).toBe(true);
        expect(records.p50!).toBeGreaterThanOrEqual(1);
        expect(records.p99!).toBeGreaterThan(records.p50!);
      }
      const latencyS = (windows: typeof direct) => windows!.outputLatency.mean / 1e6;
      expect(latencyS(direct)).toBeGreaterThan(5);
      expect(latencyS(direct)).toBeLessThan(7);
      expect(latencyS(exactlyOnce) - latencyS(direct)).toBeGreaterThan(20);
      expect(latencyS(exactlyOnce) - latencyS(direct)).toBeLessThan(40);
    },
    runTimeoutMs,
  );
});
