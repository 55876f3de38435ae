export { runScenario, defaultEventBudget, type RunOptions, type RunNote, type ScenarioResult } from "./run.ts";
export type { ProducerResult } from "./workload-meter.ts";
