// The "Lambda consumers" table of summary.md and report.html: per function behind a mapping, what it
// ran, what failed or was throttled, what was given up, and how many executions ran at once.

import * as aq from "arquero";
import { grouped } from "./numbers.ts";
import type { Summary } from "./summary.ts";

export const lambdaTableHeading = "Lambda consumers";

export function lambdaTable(systems: Summary["systems"]): aq.ColumnTable | null {
  const rows = systems.flatMap((system) =>
    system.consumers.flatMap((consumer) => {
      const l = consumer.lambda;
      if (l === undefined) return [];
      return [
        {
          system: system.name,
          consumer: consumer.name,
          // The parallelization factor is a Kinesis mapping's setting; Kafka and SQS mappings have none.
          "batch (x factor)": system.kind === "kinesis" ? `${grouped(l.batchSize)} x ${l.parallelizationFactor}` : grouped(l.batchSize),
          invocations: grouped(l.invocations),
          "records / invocation": l.recordsPerInvocation === null ? "-" : String(l.recordsPerInvocation),
          "duration p50 / p99": `${ms(l.durationMs.p50)} / ${ms(l.durationMs.p99)}`,
          "failed / retries / bisections": `${grouped(l.failedInvocations)} / ${grouped(l.retries)} / ${grouped(l.bisections)}`,
          throttles: grouped(l.throttles),
          "to destination / discarded": `${grouped(l.recordsSentToDestination)} / ${grouped(l.recordsDiscarded)}`,
          "concurrency mean / peak (account peak of limit)": `${l.concurrency.mean ?? "-"} / ${grouped(l.concurrency.peak)} (${grouped(l.concurrency.accountPeak)} of ${grouped(l.concurrency.accountLimit)})`,
          "cold starts": grouped(l.coldStarts),
        },
      ];
    }),
  );
  return rows.length === 0 ? null : aq.from(rows);
}

function ms(value: number | null): string {
  return value === null ? "-" : `${value.toLocaleString("en-US", { maximumFractionDigits: 1 })} ms`;
}
