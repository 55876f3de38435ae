export { writeReport, type ReportOptions, type WrittenReport } from "./write.ts";
export { buildSummary, summaryJson, type Summary } from "./summary.ts";
export { summaryMarkdown, verdictLines } from "./summary-md.ts";
export { summarySchema, summaryJsonSchema, summarySchemaId } from "./summary-schema.ts";
export { metricsCsv } from "./metrics-csv.ts";
export { reportHtml } from "./html.ts";
export { writeKeysReport, writeAssignments, keysSummaryMarkdown, keysAnalysisJson } from "./keys/index.ts";
export { notLikeForLikeLine } from "./comparison-tables.ts";
