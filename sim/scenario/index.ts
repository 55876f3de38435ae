export { loadScenarioFile, loadScenarioText, type LoadOptions, type LoadResult } from "./load.ts";
export { formatIssue, type ScenarioIssue } from "./issues.ts";
export { scenarioJsonSchema } from "./json-schema.ts";
export { recordCapWithoutSystemsBytes } from "./normalize.ts";
export type * from "./types.ts";
export { editsFor, type ParameterEdit, type ParameterValue, type SweepGoal, type SweepParameter, type SweepSpec } from "./sweep.ts";
