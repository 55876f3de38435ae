// The Flink example shows what its README line says (docs/design.md "Tests and examples"), and the
// accounting of every system in it closes.

import { describe, expect, it } from "vitest";
import type { SystemResult } from "../../sim/metrics/index.ts";
import { runScenario } from "../../sim/run/index.ts";
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
      expect(kds!.findings.some((f) => f.code === "flink-late-data-dropped")).toBe(true);
    },
    runTimeoutMs,
  );
});
