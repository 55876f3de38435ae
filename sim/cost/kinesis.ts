// Kinesis Data Streams monthly line items (docs/reference.md §2): provisioned (shard-hours, PUT payload units,
// retention, enhanced fan-out) and on-demand Standard or Advantage (stream-hours, GB in, GB out per
// consumer, retention), from the stream's open shards and the usage the model counted after warm-up.

import type { KinesisResult } from "../metrics/index.ts";
import type { KinesisSystem } from "../scenario/index.ts";
import { firehoseBackupLineItems, firehoseDeliveryLineItems } from "./firehose.ts";
import { flinkAssumption, flinkLineItems } from "./flink.ts";
import { leaseTableAssumption, leaseTableLineItems } from "./kcl-lease-table.ts";
import { lambdaAssumption, lambdaLineItems } from "./lambda.ts";
import { assumptions, items } from "./messages.ts";
import type { PriceBook } from "./price-book.ts";
import type { BillingWindow, LineItem } from "./types.ts";
import { bytesPerGB, hourUs, openHours } from "./window.ts";

/** Retention included in the base price, and where long-term retention starts (docs/reference.md §2). */
const baseRetentionHours = 24;
const longTermFromHours = 7 * 24;

export function kinesisLineItems(system: KinesisSystem, result: KinesisResult, window: BillingWindow, prices: PriceBook): { lineItems: LineItem[]; assumptions: string[] } {
  const monthly = (quantity: number) => quantity * window.monthlyFactor;
  const usage = result.usage;
  const bytesRead = (consumer: string) => usage.bytesReadByConsumer[consumer] ?? 0;
  const retentionHours = system.retention / hourUs;
  const notes: string[] = [assumptions.kinesisWrites];
  const lineItems: LineItem[] = [];
  // Steady-state bytes held for an age range of retention, in GB-months: write rate x hours held.
  const storedGB = (fromHours: number, toHours: number) =>
    ((usage.bytesWritten / window.seconds) * Math.max(0, Math.min(retentionHours, toHours) - fromHours) * 3600) / bytesPerGB;
  const consumers = system.consumers;
  // A Lambda mapping reads like a polling consumer unless it uses enhanced fan-out.
  const efo = (consumer: KinesisSystem["consumers"][number]) => consumer.type === "enhanced-fan-out" || ((consumer.type === "lambda" || consumer.type === "flink") && consumer.efo);
  if (system.capacity.mode === "provisioned") {
    const shardHours = monthly(openHours(result.partitions, window));
    lineItems.push(prices.item(items.shardHours, "kinesis.provisioned.shardHour", shardHours));
    lineItems.push(prices.item(items.putPayloadUnits, "kinesis.provisioned.putPayloadUnits", monthly(usage.putPayloadUnits) / 1e6));
    if (retentionHours > baseRetentionHours) lineItems.push(prices.item(items.extendedRetention, "kinesis.provisioned.extendedRetentionShardHour", shardHours));
    for (const consumer of consumers) {
      if (!efo(consumer)) continue;
      lineItems.push(prices.item(items.efoShardHours(consumer.name), "kinesis.provisioned.efoConsumerShardHour", shardHours));
      lineItems.push(prices.item(items.efoRetrieval(consumer.name), "kinesis.provisioned.efoRetrieval", monthly(bytesRead(consumer.name)) / bytesPerGB));
    }
    notes.push(assumptions.kinesisShardHours);
    if (consumers.some((consumer) => !efo(consumer))) notes.push(assumptions.kinesisPollingProvisioned);
  } else {
    const advantage = system.capacity.billing === "advantage";
    const tier = advantage ? "kinesis.onDemandAdvantage" : "kinesis.onDemand";
    if (!advantage) lineItems.push(prices.item(items.streamHours, "kinesis.onDemand.streamHour", monthly(window.hours)));
    lineItems.push(prices.item(items.ingest, `${tier}.ingest`, monthly(usage.billedBytesWritten) / bytesPerGB));
    for (const consumer of consumers) {
      const gb = monthly(bytesRead(consumer.name)) / bytesPerGB;
      if (!efo(consumer)) lineItems.push(prices.item(items.retrieval(consumer.name), `${tier}.retrieval`, gb));
      else lineItems.push(prices.item(items.efoRetrieval(consumer.name), `${tier}.efoRetrieval`, gb));
    }
    if (retentionHours > baseRetentionHours) {
      lineItems.push(prices.item(items.extendedRetention, `${tier}.extendedRetention`, storedGB(baseRetentionHours, longTermFromHours)));
    }
    if (advantage) notes.push(assumptions.kinesisAdvantage);
  }
  if (retentionHours > longTermFromHours) {
    lineItems.push(prices.item(items.longTermRetention, "kinesis.longTermRetention", storedGB(longTermFromHours, Infinity)));
  }
  if (retentionHours > baseRetentionHours) notes.push(assumptions.kinesisRetention(retentionHours));
  const leaseTables = leaseTableLineItems(usage, window, prices);
  if (leaseTables.length > 0) {
    lineItems.push(...leaseTables);
    notes.push(leaseTableAssumption);
  }
  const lambda = lambdaLineItems(result.consumers, window, prices);
  if (lambda.length > 0) {
    lineItems.push(...lambda);
    notes.push(lambdaAssumption);
  }
  for (const consumer of consumers) {
    const stats = result.consumers.find((candidate) => candidate.name === consumer.name)?.firehose;
    if (consumer.type !== "firehose" || stats === undefined) continue;
    const firehose = firehoseDeliveryLineItems({ ...consumer, dynamicPartitioning: { enabled: false } }, stats.usage, window, prices, consumer.name);
    lineItems.push(...firehose.lineItems);
    if (stats.sourceRecordBackup !== null) lineItems.push(...firehoseBackupLineItems(consumer, stats.sourceRecordBackup, window, prices, consumer.name));
    for (const note of firehose.assumptions) if (!notes.includes(note)) notes.push(note);
  }
  const flink = flinkLineItems(result.consumers, window, prices);
  if (flink.length > 0) {
    lineItems.push(...flink);
    notes.push(flinkAssumption);
  }
  return { lineItems, assumptions: notes };
}
