// Lambda consumers' monthly line items (docs/reference.md §6.4): requests and GB-seconds (x86_64 or arm64),
// counted by the model after warm-up. The stream reads a mapping causes are priced with the stream's
// own lines (GetRecords is free on provisioned streams; enhanced fan-out is not).

import type { ConsumerResult } from "../metrics/index.ts";
import type { PriceBook } from "./price-book.ts";
import type { BillingWindow, LineItem } from "./types.ts";

const lambdaItems = {
  requests: (consumer: string) => `Lambda requests (${consumer})`,
  duration: (consumer: string, architecture: string) => `Lambda duration, GB-seconds ${architecture} (${consumer})`,
  pollers: (consumer: string) => `Lambda provisioned event pollers, EPU-hours (${consumer})`,
} as const;

export const lambdaAssumption =
  "Lambda bills each invocation as a request and its duration (init included on cold starts) rounded up to 1 ms x memory; the account's free tier (1 million requests, 400,000 GB-seconds a month) and the lower rates past 6 billion GB-seconds a month are left out.";

export function lambdaLineItems(consumers: ConsumerResult[], window: BillingWindow, prices: PriceBook): LineItem[] {
  const lineItems: LineItem[] = [];
  for (const consumer of consumers) {
    const stats = consumer.lambda;
    if (stats === undefined) continue;
    const rate = stats.architecture === "arm64" ? "lambda.arm64.gbSecond" : "lambda.x86.gbSecond";
    lineItems.push(prices.item(lambdaItems.requests(consumer.name), "lambda.requests", (stats.requestsAfterWarmup * window.monthlyFactor) / 1e6));
    lineItems.push(prices.item(lambdaItems.duration(consumer.name, stats.architecture), rate, stats.gbSecondsAfterWarmup * window.monthlyFactor));
    // A Kafka mapping in provisioned mode bills its event pollers by the hour (docs/reference.md §6.6); on demand they are free.
    const pollers = stats.pollers;
    if (pollers?.mode === "provisioned") lineItems.push(prices.item(lambdaItems.pollers(consumer.name), "lambda.kafkaEventPollerUnit", (pollers.pollerSecondsAfterWarmup / 3600) * window.monthlyFactor));
  }
  return lineItems;
}
