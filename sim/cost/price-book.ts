// Unit prices of a region (sim/cost/prices/<region>.yaml and the instance catalogue's prices, read
// through scenario/) with the scenario's overrides applied, and the line items priced with them.

import { priceTable, type Price } from "../scenario/index.ts";
import type { LineItem } from "./types.ts";

export class PriceBook {
  private readonly table: ReadonlyMap<string, Price>;

  constructor(
    readonly region: string,
    private readonly overrides: Readonly<Record<string, number>> = {},
  ) {
    this.table = priceTable(region);
  }

  /** A price by name, overridden if the scenario says so; throws for a name the table lacks (validated earlier). */
  price(name: string): Price {
    const entry = this.table.get(name);
    if (entry === undefined) throw new Error(`no price "${name}" in the ${this.region} price table`);
    const override = this.overrides[name];
    return override === undefined ? entry : { ...entry, value: override, source: "scenario pricing override", estimated: false };
  }

  isOverridden(name: string): boolean {
    return this.overrides[name] !== undefined;
  }

  /** A line item of `quantity` in the price's own unit (e.g. million requests, GB-month). */
  item(item: string, name: string, quantity: number): LineItem {
    const price = this.price(name);
    return { item, price: name, quantity, unit: price.unit, unitPriceUsd: price.value, monthlyUsd: quantity * price.value };
  }
}
