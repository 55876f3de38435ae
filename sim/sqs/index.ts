export { SqsModel } from "./model.ts";
export { sqsConfiguration } from "./configuration.ts";
