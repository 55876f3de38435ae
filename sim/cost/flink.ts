// Flink consumers' monthly line items (docs/reference.md §8.4): KPU-hours, the orchestration KPU included,
// and running application storage, 50 GB per KPU. The reads of its source are priced with the stream's
// or cluster's own lines.

import type { ConsumerResult } from "../metrics/index.ts";
import type { PriceBook } from "./price-book.ts";
import type { BillingWindow, LineItem } from "./types.ts";

/** Running application storage allocated with each KPU (docs/reference.md §8.1). */
const runningStorageGbPerKpu = 50;

const flinkItems = {
  kpuHours: (consumer: string, kpus: number) => `Managed Flink KPU-hours, ${kpus} KPU${kpus === 1 ? "" : "s"} + 1 orchestration (${consumer})`,
  kpuHoursScaled: (consumer: string, peakKpus: number) => `Managed Flink KPU-hours, autoscaled up to ${peakKpus} KPUs + 1 orchestration (${consumer})`,
  storage: (consumer: string) => `Managed Flink running application storage, 50 GB per KPU (${consumer})`,
} as const;

export const flinkAssumption =
  "Managed Flink bills every KPU-hour per second, one orchestration KPU per application included, and 50 GB of running application storage per KPU; durable application backups (snapshots) are optional and left out.";

export function flinkLineItems(consumers: ConsumerResult[], window: BillingWindow, prices: PriceBook): LineItem[] {
  const lineItems: LineItem[] = [];
  for (const consumer of consumers) {
    const stats = consumer.flink;
    if (stats === undefined) continue;
    // Autoscaling: the KPU-hours follow the KPU count over time, and so does the storage allocated with them.
    const scaled = stats.checkpoints.restarts.some((restart) => restart.cause !== "timeline");
    const meanKpus = scaled && window.hours > 0 ? stats.kpuHoursAfterWarmup / window.hours - 1 : stats.kpus;
    const name = scaled ? flinkItems.kpuHoursScaled(consumer.name, stats.peakKpus) : flinkItems.kpuHours(consumer.name, stats.kpus);
    lineItems.push(prices.item(name, "flink.kpuHour", stats.kpuHoursAfterWarmup * window.monthlyFactor));
    lineItems.push(prices.item(flinkItems.storage(consumer.name), "flink.runningStorage", meanKpus * runningStorageGbPerKpu));
  }
  return lineItems;
}
