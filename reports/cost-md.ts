// The cost part of summary.md and of `streamsim cost`: per system, its monthly line items as a table
// (arquero) and the assumptions behind them.

import * as aq from "arquero";
import type { SystemSummary } from "./system-summary.ts";

type CostSummary = NonNullable<SystemSummary["cost"]>;

/** "$1,234.56"; small amounts keep a significant digit or two. */
export function usd(value: number | null): string {
  if (value === null) return "-";
  const magnitude = Math.abs(value);
  const digits = magnitude === 0 || magnitude >= 1 ? 2 : magnitude >= 0.01 ? 3 : 4;
  const [whole, fraction] = Math.abs(value).toFixed(digits).split(".");
  return `${value < 0 ? "-" : ""}$${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",")}.${fraction}`;
}

/** "1,234", "12.35", "0.0123"; zero is "0" (a line with no usage, such as empty receives on a busy queue). */
export function quantity(value: number | null): string {
  if (value === null) return "-";
  if (value === 0) return "0";
  const magnitude = Math.abs(value);
  const digits = magnitude >= 100 ? 0 : magnitude >= 1 ? 2 : 4;
  const [whole, fraction] = value.toFixed(digits).split(".");
  return fraction === undefined ? whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",") : `${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",")}.${fraction}`;
}

/** The line items of one system's month, with a total row. */
export function costTable(cost: CostSummary): string {
  const rows = cost.lineItems.map((line) => ({
    item: line.item,
    quantity: quantity(line.quantity),
    unit: line.unit,
    "unit price": usd(line.unitPriceUsd),
    "per month": usd(line.monthlyUsd),
    price: `\`${line.price}\``,
  }));
  rows.push({ item: "**total**", quantity: "", unit: "", "unit price": "", "per month": `**${usd(cost.monthlyUsd)}**`, price: "" });
  return aq.from(rows).toMarkdown().trimEnd();
}
