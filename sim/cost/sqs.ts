// SQS monthly line items (docs/reference.md §4): every API call bills one request per 64 KB chunk of its payload
// (at least one), empty receives included, at the Standard or FIFO price; the free tier is optional.

import type { SqsResult } from "../metrics/index.ts";
import type { SqsSystem } from "../scenario/index.ts";
import { lambdaAssumption, lambdaLineItems } from "./lambda.ts";
import { assumptions, items, sqsRequestKinds } from "./messages.ts";
import type { PriceBook } from "./price-book.ts";
import type { BillingWindow, LineItem } from "./types.ts";

/** A billed request is each 64 KB (65,536 B) chunk of a call's payload (docs/reference.md §4: 1 MiB = 16 requests). */
export const sqsRequestChunkBytes = 64 * 1024;

/** Requests one API call with `payloadBytes` of payload bills: a 200 KB message is 4, an empty receive 1. */
export function billedRequests(payloadBytes: number): number {
  return Math.max(1, Math.ceil(payloadBytes / sqsRequestChunkBytes));
}

/**
 * Line items from the SQS model's usage: sendRequests, receiveRequests (receives that returned
 * messages), emptyReceiveRequests, deleteRequests, changeVisibilityRequests, each already in billed
 * requests (calls x 64 KB chunks).
 */
export function sqsLineItems(system: SqsSystem, result: SqsResult, window: BillingWindow, prices: PriceBook): { lineItems: LineItem[]; assumptions: string[] } {
  const priceName = system.queue.type === "fifo" ? "sqs.fifo.requests" : "sqs.standard.requests";
  const lineItems: LineItem[] = [];
  let totalRequests = 0;
  for (const kind of sqsRequestKinds) {
    const requests = result.usage[kind.usage] * window.monthlyFactor;
    totalRequests += requests;
    lineItems.push(prices.item(items.sqsRequests(kind.what), priceName, requests / 1e6));
  }
  const notes: string[] = [assumptions.sqsChunks];
  const freeRequests = prices.price("sqs.freeTierRequests").value;
  if (freeRequests > 0) {
    lineItems.push(prices.item(items.sqsFreeTier, priceName, -Math.min(totalRequests, freeRequests) / 1e6));
    notes.push(assumptions.sqsFreeTier(freeRequests));
  }
  // Lambda consumers: the function's requests and GB-seconds; the receives and deletes their mapping makes are in the request lines above.
  const lambda = lambdaLineItems(result.consumers, window, prices);
  if (lambda.length > 0) {
    lineItems.push(...lambda);
    notes.push(lambdaAssumption);
  }
  return { lineItems, assumptions: notes };
}
