export { runScenario, defaultEventBudget, projectedRecords, WorkBudgetError, timelineCutCode, type RunOptions, type RunNote, type ScenarioResult } from "./run.ts";
export type { ProducerResult } from "./workload-meter.ts";
export { buildModel, configurationRegistry, modelRegistry, systemConfiguration, type ConfigurationOf, type ModelFactory, type ModelOf, type SystemKind, type SystemSpecOf } from "./registry.ts";
export { projectRun, projectionWarning, type Projection } from "./projection.ts";
