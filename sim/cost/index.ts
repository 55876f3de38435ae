export { scenarioCosts, systemCost } from "./cost.ts";
export { costsAtRetentions, retentionOf, withRetention, type RetentionCost } from "./retention.ts";
export { PriceBook } from "./price-book.ts";
export { billedRequests, sqsRequestChunkBytes } from "./sqs.ts";
export { availabilityZones, brokerUnevenness, clientCrossAzShare, crossAzReplicaCopies } from "./kafka.ts";
export { billingWindow, bytesPerGB, monthHours, openHours } from "./window.ts";
export type { BillingWindow, LineItem, SystemCost } from "./types.ts";
