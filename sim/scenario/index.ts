export { loadScenarioFile, loadScenarioText, type LoadOptions, type LoadResult } from "./load.ts";
export { formatIssue, issueLines, printedIssuesMax, type ScenarioIssue } from "./issues.ts";
export { scenarioJsonSchema } from "./json-schema.ts";
export { recordCapWithoutSystemsBytes } from "./normalize.ts";
export type * from "./types.ts";
export { defaultRegion, instancePricePrefix, priceNames, priceTable, pricedRegions, type Price } from "./price-table.ts";
export { instanceType, type InstanceType } from "./instance-catalogue.ts";
export { editsFor, type ParameterEdit, type ParameterValue, type SweepGoal, type SweepParameter, type SweepSpec } from "./sweep.ts";
export { actionsFor, actionsForKind } from "./timeline.ts";
