// Firehose (Direct PUT, or a Kinesis stream as source, to S3) monthly line items (docs/reference.md §7.3): ingestion per GB with each record
// rounded up to 5 KB, format conversion per GB (same rounding), dynamic partitioning per GB delivered and
// per 1,000 objects, S3 PUT requests per object, and S3 storage for the retention the scenario states.

import type { FirehoseResult, FirehoseUsage } from "../metrics/index.ts";
import type { FirehoseSystem } from "../scenario/index.ts";
import { firehoseAssumptions, firehoseItems } from "./firehose-messages.ts";
import type { PriceBook } from "./price-book.ts";
import type { BillingWindow, LineItem } from "./types.ts";
import { bytesPerGB } from "./window.ts";

const dayUs = 86_400_000_000;

export function firehoseLineItems(system: FirehoseSystem, result: FirehoseResult, window: BillingWindow, prices: PriceBook): { lineItems: LineItem[]; assumptions: string[] } {
  return firehoseDeliveryLineItems(system, result.usage, window, prices, null);
}

/**
 * The line items of one Firehose delivery, a Direct PUT stream's or a Kinesis stream's Firehose consumer's
 * (`label`, its name, prefixes each item then): ingestion bills the same for both sources (docs/reference.md §7.3).
 */
export function firehoseDeliveryLineItems(
  spec: Pick<FirehoseSystem, "formatConversion" | "s3"> & { dynamicPartitioning: { enabled: boolean } },
  usage: FirehoseUsage,
  window: BillingWindow,
  prices: PriceBook,
  label: string | null,
): { lineItems: LineItem[]; assumptions: string[] } {
  const monthly = (quantity: number): number => quantity * window.monthlyFactor;
  const named = (item: string): string => (label === null ? item : `${label}: ${item}`);
  const lineItems: LineItem[] = [prices.item(named(firehoseItems.ingest), "firehose.ingest", monthly(usage.billedIngestBytes) / bytesPerGB)];
  if (spec.formatConversion.enabled) lineItems.push(prices.item(named(firehoseItems.formatConversion), "firehose.formatConversion", monthly(usage.convertedBilledBytes) / bytesPerGB));
  if (spec.dynamicPartitioning.enabled) {
    lineItems.push(prices.item(named(firehoseItems.partitionedData), "firehose.dynamicPartitioning.data", monthly(usage.partitionedBytes) / bytesPerGB));
    lineItems.push(prices.item(named(firehoseItems.partitionedObjects), "firehose.dynamicPartitioning.objects", monthly(usage.partitionedObjects) / 1000));
  }
  lineItems.push(prices.item(named(firehoseItems.s3Puts), "s3.standard.putRequests", monthly(usage.s3PutRequests) / 1000));
  // Steady state: S3 holds what the stream takes in (as written: after conversion) times the retention (GB
  // held all month = GB-month); what a long buffer still holds at the end of the run is written later.
  const retentionDays = spec.s3.retention / dayUs;
  const sizeRatio = spec.formatConversion.enabled ? spec.formatConversion.sizeRatio : 1;
  const heldBytes = window.seconds > 0 ? ((usage.bytesIngested * sizeRatio) / window.seconds) * (spec.s3.retention / 1e6) : 0;
  lineItems.push(prices.item(named(firehoseItems.s3Storage(retentionDays)), "s3.standard.storage", heldBytes / bytesPerGB));
  return { lineItems, assumptions: [label === null ? firehoseAssumptions.ingest : firehoseAssumptions.kinesisSourceIngest, firehoseAssumptions.storage(retentionDays)] };
}

/** A Kinesis-sourced Firehose's source record backup: an S3 PUT per backup object and S3 storage of what it wrote (docs/reference.md §7.5). */
export function firehoseBackupLineItems(
  spec: Pick<FirehoseSystem, "formatConversion" | "s3">,
  backup: { s3PutRequests: number; bytesIngested: number },
  window: BillingWindow,
  prices: PriceBook,
  label: string,
): LineItem[] {
  const retentionDays = spec.s3.retention / dayUs;
  // The backup holds the records as read, before any format conversion.
  const heldBytes = window.seconds > 0 ? (backup.bytesIngested / window.seconds) * (spec.s3.retention / 1e6) : 0;
  return [
    prices.item(`${label} backup: ${firehoseItems.s3Puts}`, "s3.standard.putRequests", (backup.s3PutRequests * window.monthlyFactor) / 1000),
    prices.item(`${label} backup: ${firehoseItems.s3Storage(retentionDays)}`, "s3.standard.storage", heldBytes / bytesPerGB),
  ];
}
