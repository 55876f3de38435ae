// Reads each system's cost from the summary (the cost model's `cost`, null or absent when there is
// none), checked against the summary schema so tables and charts can rely on its shape.

import { costSchema, type CostSummary } from "./summary-schema.ts";
import type { Summary } from "./summary.ts";

export interface SystemCost {
  system: string;
  cost: CostSummary;
}

export function systemCosts(summary: Summary): SystemCost[] {
  return summary.systems.flatMap((system) => {
    const cost = costSchema.nullable().optional().parse((system as { cost?: unknown }).cost);
    return cost === null || cost === undefined ? [] : [{ system: system.name, cost }];
  });
}

/** "$792/month", "$1,250/month", "$0.42/month". */
export function monthlyUsdText(monthlyUsd: number): string {
  const digits = monthlyUsd < 10 ? 2 : 0;
  const [whole, cents] = monthlyUsd.toFixed(digits).split(".");
  return `$${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",")}${cents === undefined ? "" : `.${cents}`}/month`;
}
