export { DeliveryBuffers, type BufferSettings, type FlushedObject } from "./buffers.ts";
export { S3Delivery, type DeliverySettings } from "./delivery.ts";
export { DeliveryPipeline, type DeliverySeries, type DeliverySpec } from "./pipeline.ts";
export { billedIngestBytes, errorPartition, ingestBillingUnitBytes, kinesisSourcePollIntervalUs, MiB, runSpanUs } from "./limits.ts";
export { backedUpFinding, freshnessFinding, ingestRoundingFinding, smallObjectsFinding, type DeliveryView } from "./findings.ts";
