export { writeReport, type WrittenReport } from "./write.ts";
export { buildSummary, summaryJson, type Summary } from "./summary.ts";
export { summaryMarkdown } from "./summary-md.ts";
export { writeKeysReport, writeAssignments, keysSummaryMarkdown, keysAnalysisJson } from "./keys/index.ts";
