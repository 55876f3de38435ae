export { FirehoseModel } from "./model.ts";
export { firehoseConfiguration } from "./configuration.ts";
export { billedIngestBytes, ingestBillingUnitBytes } from "../firehose-delivery/index.ts";
