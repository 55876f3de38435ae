// A cost in the shape the cost model gives each system in summary.json (docs/design.md "Results"), for
// testing the cost chart and table before and apart from the cost model.

import type { SystemCost } from "../../reports/costs.ts";
import type { Summary } from "../../reports/summary.ts";

export function costFixture(): SystemCost[] {
  return [
    {
      system: "kds",
      cost: {
        monthlyUsd: 792.4,
        lineItems: [
          { item: "shard hours", quantity: 7300, unit: "shard-hour", unitPriceUsd: 0.015, monthlyUsd: 109.5, price: "fixture.price" },
          { item: "PUT payload units", quantity: 15_552, unit: "million units", unitPriceUsd: 0.014, monthlyUsd: 217.73, price: "fixture.price" },
          { item: "enhanced fan-out", quantity: 1, unit: "consumer", unitPriceUsd: 465.17, monthlyUsd: 465.17, price: "fixture.price" },
        ],
        assumptions: ["a fixture assumption"],
      },
    },
    {
      system: "msk",
      cost: {
        monthlyUsd: 680,
        lineItems: [
          { item: "broker hours", quantity: 2190, unit: "broker-hour", unitPriceUsd: 0.21, monthlyUsd: 459.9, price: "fixture.price" },
          { item: "storage", quantity: 2200, unit: "GB-month", unitPriceUsd: 0.1, monthlyUsd: 220.1, price: "fixture.price" },
          { item: "data transfer in", quantity: 100, unit: "GB", unitPriceUsd: 0, monthlyUsd: 0, price: "fixture.price" },
        ],
        assumptions: ["a fixture assumption"],
      },
    },
  ];
}

/** The summary with the fixture's costs put where the cost model puts them. */
export function withCosts(summary: Summary): Summary {
  const costs = new Map(costFixture().map((entry) => [entry.system, entry.cost]));
  return { ...summary, systems: summary.systems.map((system) => ({ ...system, cost: costs.get(system.name) ?? null })) } as Summary;
}
