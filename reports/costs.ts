// Each priced system's cost from the summary (the cost model's `cost`, null when there is none), for
// tables and charts.

import type { CostSummary } from "./summary-schema.ts";
import type { Summary } from "./summary.ts";

export interface SystemCost {
  system: string;
  cost: CostSummary;
}

export function systemCosts(summary: Summary): SystemCost[] {
  return summary.systems.flatMap((system) => (system.cost === null ? [] : [{ system: system.name, cost: system.cost }]));
}

/** "$792/month", "$1,250/month", "$0.42/month". */
export function monthlyUsdText(monthlyUsd: number): string {
  const digits = monthlyUsd < 10 ? 2 : 0;
  const [whole, cents] = monthlyUsd.toFixed(digits).split(".");
  return `$${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",")}${cents === undefined ? "" : `.${cents}`}/month`;
}
