export { AccountPool } from "./account-pool.ts";
export { LambdaFunction, type Invocation } from "./function.ts";
export { BatchLane, type LaneSource, type MappingSettings } from "./mapping.ts";
export { isPoisonKey, PoisonMarks } from "./poison.ts";
export { fullBatch, fullBatchText, type FullBatch } from "./capacity.ts";
export { billedGbSeconds, invocationPayloadBytesMax, scalingBurst, scalingPerSecond } from "./limits.ts";
export { lambdaConsumerStats, type MappingTerms } from "./stats.ts";
export { lambdaFunctionFindings, type LambdaFunctionMessages } from "./findings.ts";
export { lambdaConcurrencyBound } from "./configuration.ts";
