export { writeAssignments, csvField, ASSIGNMENTS_HEADER } from "./assignments.ts";
export { keysCharts, lorenzPoints, type NamedChart } from "./charts.ts";
export { keysAnalysisJson } from "./json.ts";
export { keysReportText } from "./messages.ts";
export { keysSummaryMarkdown } from "./summary-md.ts";
export { writeKeysReport, type KeysReportOptions } from "./write.ts";
