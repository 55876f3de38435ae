// The billing window (after warm-up to the end of the run) and its projection to a 30-day month.

import type { PartitionResult } from "../metrics/index.ts";
import type { BillingWindow } from "./types.ts";

/** A billing month is 720 hours, 30 days (docs/reference.md §0, units). */
export const monthHours = 720;
export const hourUs = 3_600_000_000;
/** AWS bills data in GB of 1,024^3 bytes (docs/reference.md §0, units: on-demand counts 1 KB = 1,024 B). */
export const bytesPerGB = 1024 ** 3;

export function billingWindow(warmupUs: number, durationUs: number): BillingWindow {
  if (!(durationUs > warmupUs)) throw new Error(`billing window: the run (${durationUs} us) must outlast its warm-up (${warmupUs} us)`);
  const hours = (durationUs - warmupUs) / hourUs;
  return { startUs: warmupUs, endUs: durationUs, hours, seconds: (durationUs - warmupUs) / 1e6, monthlyFactor: monthHours / hours };
}

/**
 * Hours the partitions were open inside the window, summed: the integral of the open shard count over
 * time, so resharding mid-run counts each shard for exactly the time it was open.
 */
export function openHours(partitions: readonly PartitionResult[], window: BillingWindow): number {
  let us = 0;
  for (const partition of partitions) {
    const fromUs = Math.max(partition.openedUs, window.startUs);
    const toUs = Math.min(partition.closedUs ?? window.endUs, window.endUs);
    if (toUs > fromUs) us += toUs - fromUs;
  }
  return us / hourUs;
}
