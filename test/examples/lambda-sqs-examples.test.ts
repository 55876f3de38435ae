// The SQS Lambda example shows what its README line says (docs/design.md "Tests and examples"): the
// mapping's ramp absorbs the burst; reserved concurrency below the mapping's pollers throttles and sends
// messages to the DLQ, while maximumConcurrency at the same figure does not; a hot FIFO group bounds
// the mapping. The accounting of every system closes.

import { describe, expect, it } from "vitest";
import { resultOfKind, type SqsResult } from "../../sim/metrics/index.ts";
import { runScenario } from "../../sim/run/index.ts";
import { expectRunAccountingCloses } from "../support/accounting.ts";
import { loadExample } from "../support/scenarios.ts";

const runTimeoutMs = 180_000;
const minuteUs = 60_000_000;
const codes = (system: SqsResult) => system.findings.map((finding) => finding.code);

describe("lambda-sqs-scaling", () => {
  it(
    "the ramp keeps up; reserved concurrency alone throttles into the DLQ, with maximumConcurrency it does not; a hot FIFO group bounds the mapping",
    () => {
      // 7 minutes: the burst (minutes 2 to 6) and one minute after it.
      const result = runScenario(loadExample("lambda-sqs-scaling.yaml", { durationUs: 7 * minuteUs }));
      expectRunAccountingCloses(result);
      const systems = new Map(result.systems.map((system) => [system.name, resultOfKind(system, "sqs")]));
      const ramp = systems.get("ramp")!;
      const reservedOnly = systems.get("reserved-only")!;
      const withMax = systems.get("reserved-and-max")!;
      const fifo = systems.get("fifo-hot-group")!;
      // The burst needs 3,000 / 10 x 0.4 s = 120 invocations at once; the ramp gets there and drains the backlog.
      expect(ramp.findings).toEqual([]);
      expect(ramp.consumers[0].lambda!.peakConcurrency).toBeGreaterThanOrEqual(120);
      expect(ramp.consumers[0].lag.quantile(0.99) / 1e6).toBeLessThan(15);
      const trap = reservedOnly.findings.find((finding) => finding.code === "lambda-throttled-to-dlq");
      expect(trap, JSON.stringify(reservedOnly.findings)).toBeDefined();
      expect(reservedOnly.consumers[0].records.deadLettered).toBeGreaterThan(0);
      expect(reservedOnly.consumers[0].lambda!.failedInvocations).toBe(0);
      expect(withMax.consumers[0].lambda!.throttles).toBe(0);
      expect(withMax.consumers[0].records.deadLettered).toBe(0);
      expect(codes(withMax)).not.toContain("lambda-throttled");
      // Throttled pollers hold batches the function could have run: the capped mapping processes more.
      expect(withMax.consumers[0].records.consumed).toBeGreaterThan(reservedOnly.consumers[0].records.consumed);
      expect(withMax.findings.find((finding) => finding.code === "queue-falling-behind")?.message).toContain("maximumConcurrency of 3");
      expect(fifo.findings.find((finding) => finding.code === "queue-falling-behind")?.message).toContain("one batch per message group");
    },
    runTimeoutMs,
  );
});
