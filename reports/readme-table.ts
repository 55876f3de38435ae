// The README's comparison table of the systems that land events in S3, made from a run's results, never
// typed by hand (scripts/readme-table.ts writes it; test/docs/readme-table.test.ts checks it is current):
// per system, its kind, the end-to-end p99 of the consumer that writes to S3, the S3 objects written in
// the run (Firehose; a count, not a rate: the first minute writes none, so a short run's hourly rate read
// 54 for a steady 60), the GetRecords calls throttled, and the monthly cost.

import type { ScenarioResult } from "../sim/run/index.ts";
import type { ConsumerResult, SystemResult } from "../sim/metrics/index.ts";
import { grouped, secondsText } from "./numbers.ts";

/** The consumer that writes to S3: named `to-s3` in the example, or a Firehose stream's `s3` delivery. */
function landing(system: SystemResult): ConsumerResult | undefined {
  return system.consumers.find((consumer) => consumer.name === "to-s3" || consumer.name === "s3");
}

function objectsWritten(system: SystemResult, consumer: ConsumerResult | undefined): string {
  const sizes = system.kind === "firehose" ? system.objectSizeBytes : consumer?.firehose?.objectSizeBytes;
  return sizes === undefined ? "-" : grouped(sizes.count);
}

export function readmeTable(result: ScenarioResult): string {
  const minutes = result.scenario.durationUs / 60e6;
  const rows = result.systems.map((system, index) => {
    const consumer = landing(system);
    const throttles = system.consumers.reduce((sum, reader) => sum + reader.readThrottles, 0);
    const cost = result.costs[index]!.monthlyUsd;
    return `| ${system.name} | ${system.kind} | ${secondsText(consumer === undefined ? null : consumer.endToEndLatency.quantile(0.99) / 1000)} | ${objectsWritten(system, consumer)} | ${grouped(throttles)} | ${grouped(cost)} |`;
  });
  return [`| system | kind | end-to-end p99 | S3 objects in ${grouped(minutes)} min | reads throttled | $/month |`, "|---|---|---|---|---|---|", ...rows].join("\n");
}
