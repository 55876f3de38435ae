// The examples that compare systems say what they compare: three-systems (Kinesis 24 h, Kafka 7 days, SQS
// 4 days of retention) and kafka-broker-failure (replication factor 3 and acks=all against 1 and acks=1)
// are flagged not like for like on exactly those settings, and the comparison's numbers agree with the
// rest of the same summary: each system's cost at its own retention is its cost, and the sentence's
// ratios are the equal-retention costs' (docs/results.md, "comparison").

import { describe, expect, it } from "vitest";
import type { Summary } from "../../reports/summary.ts";
import { buildSummary } from "../../reports/summary.ts";
import { runScenario } from "../../sim/run/index.ts";
import { loadExample } from "../support/scenarios.ts";

const minuteUs = 60_000_000;

function summaryOf(file: string, durationUs: number): Summary {
  return buildSummary(runScenario(loadExample(file, { durationUs })));
}

/** Each system's cost priced at its own retention is the cost the report gives it. */
function expectOwnRetentionCosts(summary: Summary): void {
  for (const system of summary.systems) {
    const own = summary.comparison!.costAtRetention.find((entry) => entry.retentionSeconds === system.configuration.retentionSeconds);
    expect(own?.systems.find((cost) => cost.system === system.name)?.monthlyUsd, system.name).toBeCloseTo(system.cost!.monthlyUsd, 2);
  }
}

describe("comparisons in the examples", () => {
  it("three-systems: flags 24 h / 7 days / 4 days of retention and gives ratios true of the equal-retention costs", () => {
    const summary = summaryOf("three-systems.yaml", 2 * minuteUs);
    const comparison = summary.comparison!;
    const retention = comparison.notLikeForLike.find((difference) => difference.setting === "retention");
    expect(retention?.values).toEqual([
      { system: "kds", value: "24 h" },
      { system: "msk", value: "7 days" },
      { system: "queue", value: "4 days" },
    ]);
    expect(comparison.notLikeForLike.map((difference) => difference.setting)).not.toContain("replication");
    expect(comparison.costAtRetention.map((entry) => entry.retention)).toEqual(["24 h", "4 days", "7 days"]);
    expectOwnRetentionCosts(summary);
    const usd = (entry: number, name: string) => comparison.costAtRetention[entry].systems.find((cost) => cost.system === name)!.monthlyUsd;
    const ratios = (name: string) => [0, 1, 2].map((entry) => (usd(entry, name) / usd(entry, "kds")).toFixed(1));
    const [m, q] = [ratios("msk"), ratios("queue")];
    expect(comparison.sentence).toContain(
      `kds is the cheapest at equal retention: msk costs ${m[0]}x as much at 24 h, ${m[1]}x at 4 days and ${m[2]}x at 7 days, queue costs ${q[0]}x as much at 24 h, ${q[1]}x at 4 days and ${q[2]}x at 7 days.`,
    );
  });

  it("kafka-broker-failure: flags replication and acknowledgement, and nothing the two clusters share", () => {
    const summary = summaryOf("kafka-broker-failure.yaml", 2 * minuteUs);
    const comparison = summary.comparison!;
    expect(comparison.notLikeForLike.map((difference) => difference.setting)).toEqual(["replication", "acknowledgement"]);
    expect(comparison.notLikeForLike[1].values).toEqual([
      { system: "durable", value: "acks=all" },
      { system: "fragile", value: "acks=1" },
    ]);
    expect(comparison.costAtRetention).toHaveLength(1);
    expectOwnRetentionCosts(summary);
  });
});
