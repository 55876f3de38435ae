export { openTraceBytes, TraceFileRefused, traceByteMessages, TRACE_READ_BYTES, type ByteSource } from "./bytes.ts";
export { TraceRows, traceRowMessages, TRACE_LINE_CHARS_MAX, type TraceColumns, type TraceFormat, type TraceIssue } from "./rows.ts";
export { scanTrace, rowIdentity, hasExtras, traceScanMessages, type TraceScan, type TraceWindow, type TraceSecond, TRACE_SECONDS_COUNTED_MAX } from "./scan.ts";
export { TraceReplay, twinKey, copiesMax, TRACE_REORDER_ROWS_MAX, type TraceReplaySpec } from "./replay.ts";
export { traceKeys, type TraceKeysOptions } from "./keys.ts";
export { parseTraceTime, parseIsoUs, type TimeFormat } from "./time.ts";
