// The public library API, for users who script comparisons from TypeScript:
//   const loaded = loadScenarioFile("scenarios/iot-zipf-keys.yaml", { durationUs: 60_000_000 });
//   if (loaded.ok) await writeReport(runScenario(loaded.scenario), "out/x");   // writeReport from reports/index.ts

export { loadScenarioFile, loadScenarioText, formatIssue, scenarioJsonSchema } from "./scenario/index.ts";
export type { LoadOptions, LoadResult, ScenarioIssue, Scenario, ProducerSpec, SystemInput, TimelineAction } from "./scenario/index.ts";
export { runScenario, defaultEventBudget, systemConfiguration } from "./run/index.ts";
export type { RunOptions, RunNote, ScenarioResult, ProducerResult } from "./run/index.ts";
// Results are typed per kind: narrow on `kind` (or with resultOfKind) to read a system's usage and series.
export { resultOfKind } from "./metrics/index.ts";
export type { SystemResult, KinesisResult, KafkaResult, SqsResult, KinesisUsage, KafkaUsage, SqsUsage, SystemConfiguration } from "./metrics/index.ts";
export type { SystemTimelineAction } from "./scenario/index.ts";
export { EventBudgetError } from "./engine/index.ts";
export { costsAtRetentions, scenarioCosts } from "./cost/index.ts";
export type { LineItem, RetentionCost, SystemCost } from "./cost/index.ts";
// The partition-key lab: analyse where keys land (writeKeysReport / writeAssignments from reports/index.ts render it).
export { analyseKeys, keySetFromFile, keySetFromTemplate, parseFieldFlags } from "./keys/index.ts";
export type { KeyAnalysis, KeySet, LabOptions } from "./keys/index.ts";
