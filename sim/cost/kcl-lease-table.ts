// The KCL lease table of each polling or enhanced fan-out consumer (docs/reference.md §1.9): on-demand,
// the write and read request units the model counted after warm-up (renewals, checkpoints, lease takes;
// lease-taker scans); provisioned, the capacity units for every hour of the month.

import type { KinesisUsage } from "../metrics/index.ts";
import type { PriceBook } from "./price-book.ts";
import type { BillingWindow, LineItem } from "./types.ts";

const leaseItems = {
  writes: (consumer: string) => `KCL lease table writes: renewals, checkpoints, takes (${consumer})`,
  reads: (consumer: string) => `KCL lease table reads: lease-taker scans (${consumer})`,
  writeCapacity: (consumer: string) => `KCL lease table write capacity (${consumer})`,
  readCapacity: (consumer: string) => `KCL lease table read capacity (${consumer})`,
} as const;

export const leaseTableAssumption =
  "KCL lease tables: one item of under 1 KB per shard (one write unit per renewal, checkpoint or take; scans read 1 KB per item, eventually consistent); storage, backups, the KCL 3.x worker-metrics and coordinator-state tables and the free tier are left out.";

export function leaseTableLineItems(usage: KinesisUsage, window: BillingWindow, prices: PriceBook): LineItem[] {
  const lineItems: LineItem[] = [];
  for (const [consumer, table] of Object.entries(usage.leaseTables ?? {})) {
    if (table.billing === "on-demand") {
      const writes = table.renewalWrites + table.checkpointWrites + table.takeWrites;
      lineItems.push(prices.item(leaseItems.writes(consumer), "dynamodb.onDemand.writeRequestUnits", (writes * window.monthlyFactor) / 1e6));
      lineItems.push(prices.item(leaseItems.reads(consumer), "dynamodb.onDemand.readRequestUnits", (table.readUnits * window.monthlyFactor) / 1e6));
    } else {
      const hours = window.hours * window.monthlyFactor;
      lineItems.push(prices.item(leaseItems.writeCapacity(consumer), "dynamodb.provisioned.wcuHour", table.writeCapacity * hours));
      lineItems.push(prices.item(leaseItems.readCapacity(consumer), "dynamodb.provisioned.rcuHour", table.readCapacity * hours));
    }
  }
  return lineItems;
}
