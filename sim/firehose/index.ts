export { FirehoseModel } from "./model.ts";
export { firehoseConfiguration } from "./configuration.ts";
export { billedIngestBytes, ingestBillingUnitBytes } from "./limits.ts";
