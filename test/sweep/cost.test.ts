// Monthly cost as a sweep metric: every run reports each system's cost.monthlyUsd, so a sweep can
// compare the price of its settings and a goal can bound it.

import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { sweepDocument } from "../../reports/sweep/index.ts";
import { evaluateGoal } from "../../sim/sweep/index.ts";
import { sweepInProcess } from "../support/sweep.ts";

const tiny = "test/sweep/fixtures/tiny.yaml";

describe("cost in a sweep", () => {
  const { plan, rows } = sweepInProcess(tiny);
  const cost = (combination: number, replication: number) => rows.find((row) => row.combination === combination && row.replication === replication)!.metrics["kds.cost.monthlyUsd"];

  it("reports kds.cost.monthlyUsd for every run: one more provisioned shard adds 720 shard-hours at $0.015 (docs/reference.md §2)", () => {
    for (const row of rows) expect(row.metrics["kds.cost.monthlyUsd"]).toBeGreaterThan(0);
    // 2, 3 and 4 shards accept the same records (nothing throttled away), so their PUT payload units are
    // equal and the difference is the shard-hours, 720 h x $0.015 = $10.80 per shard, plus the KCL lease
    // table's one more lease: renewed every 3.308 s, ~794,000 writes a month at $0.625 per million, about
    // $0.50 (docs/reference.md §1.9), and its reads in the lease takers' scans (cents).
    for (const replication of [0, 1]) {
      expect(rows.filter((row) => row.combination >= 1 && row.replication === replication).map((row) => row.metrics["kds.records.dropped"])).toEqual([0, 0, 0]);
      for (const [more, fewer] of [[2, 1], [3, 2]]) {
        const added = cost(more, replication)! - cost(fewer, replication)!;
        expect(added).toBeGreaterThanOrEqual(10.8 + 0.49);
        expect(added).toBeLessThanOrEqual(10.8 + 0.6);
      }
    }
  });

  it("shows the cost beside the other key metrics in the summary", () => {
    const document = sweepDocument(plan, rows, "test");
    expect(document.metrics).toContain("kds.cost.monthlyUsd");
    expect(document.sections.find((section) => section.title === "All settings")!.tables[0].table.columns).toContain("kds: monthly cost (USD), mean ± 95% CI");
  });

  it("answers a goal on cost: the most shards that stay under a monthly budget", () => {
    const text = readFileSync(tiny, "utf8").replace(
      "goal: { metric: kds.consumers.analytics.lagMs.p99, below: 60000, minimise: systems.kds.capacity.shards }",
      "goal: { metric: kds.cost.monthlyUsd, below: 90, maximise: systems.kds.capacity.shards }",
    );
    const swept = sweepInProcess(tiny, text);
    expect(swept.plan.goal?.metric).toBe("kds.cost.monthlyUsd");
    expect(evaluateGoal(swept.plan, swept.rows)?.value).toBe(3);
  });
});
