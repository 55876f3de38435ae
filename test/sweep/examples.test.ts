// The example sweeps answer their questions (shortened runs, in this thread; the answers match the
// full-length sweeps, which `npx streamsim sweep scenarios/<file>` runs in about 20 s and 80 s).

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { evaluateGoal } from "../../sim/sweep/index.ts";
import { sweepInProcess } from "../support/sweep.ts";

function shortened(file: string, duration: string) {
  const text = readFileSync(file, "utf8").replace(/^duration: .*$/m, `duration: ${duration}`).replace(/^warmup: .*$/m, "warmup: 5s");
  return sweepInProcess(file, text);
}

describe("example sweeps", { timeout: 60_000 }, () => {
  it("sweep-shards: 24 shards keep the zipf workload's producer p99 under 200 ms; 16 do not", () => {
    const { plan, rows } = shortened("scenarios/sweep-shards.yaml", "1m");
    const answer = evaluateGoal(plan, rows)!;
    expect(answer.value).toBe(24);
    expect(answer.verdicts.find((verdict) => plan.combinations[verdict.combination][0] === 16)!.meets).toBe(false);
    expect(rows.every((row) => row.status === "ok")).toBe(true);
  });

  it("sweep-kafka-partitions: 6 partitions keep the group's p99 lag under 5 s; 3 leave it behind", () => {
    // 40 s: with fetches that overlap processing, the busiest of 3 partitions needs longer than 20 s for
    // its lag to pass 5 s (its backlog grows by ~0.3 s per second).
    const { plan, rows } = shortened("scenarios/sweep-kafka-partitions.yaml", "40s");
    const answer = evaluateGoal(plan, rows)!;
    expect(answer.value).toBe(6);
    expect(answer.verdicts.filter((verdict) => !verdict.meets).map((verdict) => plan.combinations[verdict.combination])).toEqual([[3, 3], [3, 6]]);
  });
});
