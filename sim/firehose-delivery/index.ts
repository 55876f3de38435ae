export { DeliveryBuffers, type BufferSettings, type FlushedObject } from "./buffers.ts";
export { S3Delivery, type DeliverySettings } from "./delivery.ts";
export { DeliveryPipeline, type DeliverySeries, type DeliverySpec } from "./pipeline.ts";
export { billedIngestBytes, errorPartition, ingestBillingUnitBytes, MiB, runSpanUs } from "./limits.ts";
