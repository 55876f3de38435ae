// kcl-checkpoint-cost exists to show what checkpointing after every batch costs in lease-table writes
// and what it buys (no replay after a crash) against checkpointing every 10 s (docs/reference.md §1.9).

import { describe, expect, it } from "vitest";
import { runScenario } from "../../sim/run/index.ts";
import { expectRunAccountingCloses } from "../support/accounting.ts";
import { loadExample } from "../support/scenarios.ts";

describe("kcl-checkpoint-cost", () => {
  it("checkpointing every batch costs many times the lease-table writes; every 10 s replays duplicates after a crash", () => {
    const result = runScenario(loadExample("kcl-checkpoint-cost.yaml"));
    expectRunAccountingCloses(result);
    const system = result.systems[0];
    const consumer = (name: string) => system.consumers.find((candidate) => candidate.name === name)!;
    expect(consumer("every-batch").records.duplicates).toBe(0);
    // A crash replays what was processed since the last checkpoint: about 5 s of 4,000 records/s on average, at most 10 s.
    expect(consumer("every-10s").records.duplicates).toBeGreaterThan(4000);
    expect(consumer("every-10s").records.duplicates).toBeLessThan(45_000);
    const writes = (name: string) => result.costs[0].lineItems.find((line) => line.price === "dynamodb.onDemand.writeRequestUnits" && line.item.includes(`(${name})`))!.monthlyUsd;
    expect(writes("every-batch") / writes("every-10s")).toBeGreaterThan(10);
    const codes = system.findings.filter((finding) => finding.code === "kcl-checkpoint-frequent").map((finding) => finding.subject);
    expect(codes).toEqual(["every-batch"]);
  }, 180_000);
});
