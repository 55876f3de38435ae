// One pass over a trace before anything runs: every row is checked (bad rows and timestamps out of
// order beyond the stated bound become issues with their line), the distinct keys are collected in
// first-appearance order with their record and byte counts, and the window's span is measured.
// Memory grows with the distinct keys, never with the rows.

import { KEY_FILE_DISTINCT_KEYS_MAX, KEY_FILE_ISSUES_MAX } from "../keys/index.ts";
import { TraceRows, type TraceFormat, type TraceIssue } from "./rows.ts";
import { formatDurationUs } from "../../units/index.ts";

export interface TraceWindow {
  /** Rows before this trace time (µs since the epoch) are left out; null: from the first row. */
  startUs: number | null;
  /** Rows at or after this trace time are left out; null: to the last row. */
  endUs: number | null;
  /** How far (µs) a row's timestamp may fall behind the latest one read before; further is an issue. */
  reorderWindowUs: number;
}

/** The dictionary entry of a row: its partition key, and with hash-key or group columns those too. */
export function rowIdentity(rows: TraceRows, extras: boolean): string {
  return extras ? `${rows.key}\u0000${rows.hashKey}\u0000${rows.group}` : rows.key;
}

/** Whether a trace format reads an explicit hash key or a message group (then they are part of a row's identity). */
export function hasExtras(format: TraceFormat): boolean {
  return Boolean(format.columns.hashKey) || Boolean(format.columns.group);
}

/** Distinct whole seconds of trace time counted per second (records and bytes); past it, no busiest second is measured. */
export const TRACE_SECONDS_COUNTED_MAX = 1_000_000;

/** A whole second of trace time, [startUs, startUs + 1 s), and what the trace holds in it. */
export interface TraceSecond {
  startUs: number;
  records: number;
  bytes: number;
}

export interface ScanOptions {
  /** Also count records and bytes per whole second of trace time, for the busiest second (the key lab's peak). */
  perSecond?: boolean;
}

export interface TraceScan {
  /** The partition key of each dictionary entry (an entry is a key, or a key with its hash key and group). */
  keys: string[];
  /** Explicit hash key ("" none) and message group of each entry, when those columns are read. */
  hashKeys: string[] | null;
  groups: string[] | null;
  indexByKey: Map<string, number>;
  /** Records and bytes per distinct key, within the window. */
  recordsByKey: Float64Array;
  bytesByKey: Float64Array;
  records: number;
  bytes: number;
  /** Earliest and latest timestamps within the window (NaN without records). */
  firstUs: number;
  lastUs: number;
  maxSizeBytes: number;
  /**
   * With `perSecond`, a timed trace and at most TRACE_SECONDS_COUNTED_MAX distinct seconds: the second with
   * the most records and the one with the most bytes (the earliest on a tie); otherwise null.
   */
  busiestByRecords: TraceSecond | null;
  busiestByBytes: TraceSecond | null;
  /** Longest key in UTF-8 bytes. */
  maxKeyBytes: number;
  lines: number;
  gzip: boolean;
  issues: TraceIssue[];
}

export const traceScanMessages = {
  outOfOrder: (behindUs: number, line: number, windowUs: number) =>
    `timestamp is ${formatDurationUs(behindUs)} before the one on line ${line}, beyond the reorder window of ${formatDurationUs(windowUs)} (raise trace.reorderWindow or sort the trace)`,
  tooManyKeys: () => `more than ${KEY_FILE_DISTINCT_KEYS_MAX.toLocaleString("en-US")} distinct keys (the limit); the file was read no further`,
  noRecords: () => "no records in the trace (within start and end, if given)",
  moreIssues: (count: number) => `${count} more issues not shown`,
} as const;

export function scanTrace(path: string, format: TraceFormat, window: TraceWindow, options: ScanOptions = {}): TraceScan {
  const rows = new TraceRows(path, format);
  const seconds = options.perSecond === true && format.columns.time !== null ? new SecondCounts() : null;
  const keys: string[] = [];
  const extras = hasExtras(format);
  const hashKeys: string[] | null = format.columns.hashKey ? [] : null;
  const groups: string[] | null = format.columns.group ? [] : null;
  const indexByKey = new Map<string, number>();
  let recordsByKey: number[] = [];
  let bytesByKey: number[] = [];
  const issues: TraceIssue[] = [];
  let dropped = 0;
  let firstDroppedLine = 0;
  const take = (): void => {
    for (const issue of rows.issues) {
      if (issues.length < KEY_FILE_ISSUES_MAX || issue.fatal) issues.push(issue);
      else if (dropped++ === 0) firstDroppedLine = issue.line;
    }
    rows.issues.length = 0;
    if (rows.overflowIssues > 0 && dropped === 0) firstDroppedLine = rows.firstOverflowLine;
    dropped += rows.overflowIssues;
    rows.overflowIssues = 0;
  };
  let records = 0;
  let bytes = 0;
  let firstUs = Number.NaN;
  let lastUs = Number.NaN;
  let maxSizeBytes = 0;
  let maxKeyBytes = 0;
  let latestUs = -Infinity;
  let latestLine = 0;
  const timed = format.columns.time !== null;
  try {
    while (rows.next()) {
      const t = rows.timeUs;
      if (timed) {
        if (t < latestUs - window.reorderWindowUs) {
          rows.issues.push({ line: rows.line, message: traceScanMessages.outOfOrder(latestUs - t, latestLine, window.reorderWindowUs) });
          take();
          continue;
        }
        if (t > latestUs) {
          latestUs = t;
          latestLine = rows.line;
        }
        if ((window.startUs !== null && t < window.startUs) || (window.endUs !== null && t >= window.endUs)) continue;
      }
      const identity = rowIdentity(rows, extras);
      let index = indexByKey.get(identity);
      if (index === undefined) {
        if (keys.length >= KEY_FILE_DISTINCT_KEYS_MAX) {
          rows.issues.push({ line: rows.line, message: traceScanMessages.tooManyKeys(), fatal: true });
          break;
        }
        index = keys.length;
        indexByKey.set(identity, index);
        keys.push(rows.key);
        hashKeys?.push(rows.hashKey);
        groups?.push(rows.group);
        recordsByKey.push(0);
        bytesByKey.push(0);
        maxKeyBytes = Math.max(maxKeyBytes, Buffer.byteLength(rows.key, "utf8"));
      }
      const size = rows.sizeBytes;
      recordsByKey[index]++;
      bytesByKey[index] += size;
      records++;
      bytes += size;
      if (size > maxSizeBytes) maxSizeBytes = size;
      if (Number.isNaN(firstUs) || t < firstUs) firstUs = t;
      if (Number.isNaN(lastUs) || t > lastUs) lastUs = t;
      seconds?.add(t, size);
      if (rows.issues.length > 0) take();
    }
    take();
  } finally {
    rows.close();
  }
  if (records === 0 && !issues.some((issue) => issue.fatal)) issues.push({ line: 1, message: traceScanMessages.noRecords() });
  if (dropped > 0) issues.push({ line: firstDroppedLine, message: traceScanMessages.moreIssues(dropped) });
  const result: TraceScan = {
    keys,
    hashKeys,
    groups,
    indexByKey,
    recordsByKey: Float64Array.from(recordsByKey),
    bytesByKey: Float64Array.from(bytesByKey),
    records,
    bytes,
    firstUs,
    lastUs,
    maxSizeBytes,
    busiestByRecords: seconds?.busiest("records") ?? null,
    busiestByBytes: seconds?.busiest("bytes") ?? null,
    maxKeyBytes,
    lines: rows.linesRead,
    gzip: rows.gzip,
    issues,
  };
  recordsByKey = [];
  bytesByKey = [];
  return result;
}

/**
 * Records and bytes per whole second of trace time. Rows need not be in time order, so every second
 * seen is kept: memory grows with the trace's distinct seconds (bounded), never with its rows.
 */
class SecondCounts {
  private readonly slotBySecond = new Map<number, number>();
  private readonly startSeconds: number[] = [];
  private readonly records: number[] = [];
  private readonly bytes: number[] = [];
  private overflow = false;

  add(timeUs: number, sizeBytes: number): void {
    if (this.overflow) return;
    const second = Math.floor(timeUs / 1e6);
    let slot = this.slotBySecond.get(second);
    if (slot === undefined) {
      if (this.startSeconds.length >= TRACE_SECONDS_COUNTED_MAX) {
        this.overflow = true;
        return;
      }
      slot = this.startSeconds.length;
      this.slotBySecond.set(second, slot);
      this.startSeconds.push(second);
      this.records.push(0);
      this.bytes.push(0);
    }
    this.records[slot]++;
    this.bytes[slot] += sizeBytes;
  }

  busiest(by: "records" | "bytes"): TraceSecond | null {
    if (this.overflow || this.startSeconds.length === 0) return null;
    const counts = by === "records" ? this.records : this.bytes;
    let best = 0;
    for (let slot = 1; slot < counts.length; slot++) {
      const more = counts[slot] > counts[best];
      if (more || (counts[slot] === counts[best] && this.startSeconds[slot] < this.startSeconds[best])) best = slot;
    }
    return { startUs: this.startSeconds[best] * 1e6, records: this.records[best], bytes: this.bytes[best] };
  }
}
