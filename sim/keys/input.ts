// The keys a lab run analyses: distinct keys with their traffic weights, from a key file (the
// workload's one parser) or enumerated exactly from a composite-key template (no sampling: each
// key's weight is its analytic probability).

import { distinctNames, parseTemplate, compositeKeys, readKeyFile, KEY_CHARS_MAX, keyFileMessages } from "../workload/keys/index.ts";
import type { CompositeField, KeyFileIssue } from "../workload/keys/index.ts";
import { inputMessages } from "./messages.ts";
import { scanTrace, type TimeFormat, type TraceSecond } from "../workload/trace/index.ts";

/** Distinct keys in first-appearance order and their weights (counts, or probabilities for a template). */
export interface KeySet {
  readonly keys: readonly string[];
  readonly weights: Float64Array;
  readonly source: string;
  /** "template" when the weights are a template's probabilities rather than counts or ones. */
  readonly origin?: "template";
  /** Rows the file reader skipped (empty, over-long, malformed), with 1-based lines. */
  readonly skipped: readonly KeyFileIssue[];
  /** For a key file: the index in `keys` of every accepted row, in input order (duplicates repeat). */
  readonly rowKeyIndexes?: Int32Array;
  /** For a trace: whether the weights are each key's records or bytes, and what the trace says of the load. */
  readonly countedBy?: "records" | "bytes";
  readonly trace?: TraceTotals;
}

export type KeySetResult = { ok: true; keySet: KeySet } | { ok: false; errors: string[]; skipped: readonly KeyFileIssue[] };

/** Distinct keys a template may make: each is hashed and kept in memory. */
export const TEMPLATE_KEYS_MAX = 2_000_000;

export interface FileOptions {
  format?: "csv" | "lines";
  /** True when Kinesis is analysed: keys over its 256-character limit are skipped (docs/reference.md §1.2). */
  kinesisKeyLimit: boolean;
}

/**
 * Reads a key file. Rows the reader rejects are skipped and returned in `skipped`; the file as a
 * whole fails (ok: false) only when it is not UTF-8 or leaves no key with a positive count.
 */
export function keySetFromFile(path: string, options: FileOptions): KeySetResult {
  const keyCharsMax = options.kinesisKeyLimit ? KEY_CHARS_MAX : Number.POSITIVE_INFINITY;
  const file = readKeyFile(path, { format: options.format, keyCharsMax });
  const fatalMessages = new Set([keyFileMessages.invalidUtf8(), keyFileMessages.noKeys(), keyFileMessages.zeroTotal()]);
  const isFatal = (issue: KeyFileIssue) => issue.header === true || fatalMessages.has(issue.message);
  // An unusable header is why the file holds no keys: say that alone.
  const headerBad = file.issues.some((issue) => issue.header === true);
  const fatal = file.issues.filter((issue) => isFatal(issue) && !(headerBad && issue.message === keyFileMessages.noKeys()));
  const skipped = file.issues.filter((issue) => !isFatal(issue));
  if (fatal.length > 0) return { ok: false, errors: fatal.map((issue) => `${path}:${issue.line}: ${issue.message}`), skipped };
  const weights = file.counts ?? new Float64Array(file.keys.length).fill(1);
  return { ok: true, keySet: { keys: file.keys, weights, source: path, skipped, rowKeyIndexes: file.rowKeyIndexes } };
}

export interface TraceOptions {
  format: "csv" | "jsonl";
  keyColumn: string;
  /** Weigh each key by its records, or by its bytes (the size column, or the UTF-8 length of the value column). */
  countBy: "records" | "bytes";
  /** Record sizes: this column's bytes, or the UTF-8 length of valueColumn; neither: the column `size` if the trace has a usable one. */
  sizeColumn: string | null;
  valueColumn: string | null;
  /** Timestamps (for the trace's own rate): this column; null: the column `timestamp` if the trace has a usable one. */
  timeColumn?: string | null;
  /** Default iso8601. */
  timeFormat?: TimeFormat;
  kinesisKeyLimit: boolean;
}

/** What a trace tells about the load besides its keys: records, sizes and time span. */
export interface TraceTotals {
  readonly records: number;
  /** Records of each distinct key (in key-set order). */
  readonly recordsByKey: Float64Array;
  /** Data bytes of each distinct key, and what they were read from ("size column size"); null when the trace gives no sizes. */
  readonly bytesByKey: Float64Array | null;
  readonly sizeFrom: string | null;
  /** From the earliest to the latest timestamp (µs), and the column read; null without timestamps. */
  readonly spanUs: number | null;
  readonly timeColumn: string | null;
  /** The whole seconds of trace time with the most records and with the most data bytes; null without timestamps. */
  readonly busiestByRecords: TraceSecond | null;
  readonly busiestByBytes: TraceSecond | null;
}

/** A column the lab reads only when the trace has it: its default name, used only if no row objects to it. */
const OPTIONAL_SIZE_COLUMN = "size";
const OPTIONAL_TIME_COLUMN = "timestamp";

/**
 * Reads the keys of a trace (the same file a scenario's trace: replays), streamed: each distinct key
 * weighted by its records or bytes, with the records, sizes and time span the load defaults come from.
 * Bad rows are skipped and returned in `skipped`; a header without a named column, invalid UTF-8 or no
 * rows at all fail the file. An optional column (size or timestamp, not named by the user) that is
 * missing or unreadable on any row is left out rather than costing rows: the file is read again without it.
 */
export function keySetFromTrace(path: string, options: TraceOptions): KeySetResult {
  const bytes = options.countBy === "bytes";
  const sizeNamed = options.sizeColumn !== null || options.valueColumn !== null || bytes;
  const timeNamed = options.timeColumn != null;
  const timeFormat = options.timeFormat ?? "iso8601";
  let columns: { time: string | null; key: string; size: string | null; value: string | null } = {
    time: options.timeColumn ?? OPTIONAL_TIME_COLUMN,
    key: options.keyColumn,
    size: options.valueColumn === null ? (options.sizeColumn ?? OPTIONAL_SIZE_COLUMN) : null,
    value: options.valueColumn,
  };
  const keyCharsMax = options.kinesisKeyLimit ? KEY_CHARS_MAX : Number.POSITIVE_INFINITY;
  const window = { startUs: null, endUs: null, reorderWindowUs: Number.POSITIVE_INFINITY };
  const scanWith = () => scanTrace(path, { format: options.format, columns, timeFormat, keyCharsMax }, window, { perSecond: true });
  let scan = scanWith();
  // A row stops at its first bad field, so dropping one optional column can reveal the other: at most three reads.
  for (let read = 1; read < 3; read++) {
    const timeOptional = !timeNamed && columns.time !== null && scan.issues.some((issue) => objectsTo(issue.message, "time"));
    const sizeOptional = !sizeNamed && columns.size !== null && scan.issues.some((issue) => objectsTo(issue.message, "size"));
    if (!timeOptional && !sizeOptional) break;
    columns = { ...columns, time: timeOptional ? null : columns.time, size: sizeOptional ? null : columns.size };
    scan = scanWith();
  }
  const fatal = scan.issues.filter((issue) => issue.fatal === true || scan.records === 0);
  const skipped = scan.issues.filter((issue) => !fatal.includes(issue));
  if (fatal.length > 0) return { ok: false, errors: fatal.map((issue) => `${path}:${issue.line}: ${issue.message}`), skipped };
  const sizeFrom = columns.value !== null ? `UTF-8 length of column ${columns.value}` : columns.size === null ? null : `size column ${columns.size}`;
  const weights = bytes ? scan.bytesByKey : scan.recordsByKey;
  const counted = bytes ? `bytes (${sizeFrom})` : "records";
  const trace: TraceTotals = {
    records: scan.records,
    recordsByKey: scan.recordsByKey,
    bytesByKey: sizeFrom === null ? null : scan.bytesByKey,
    sizeFrom,
    spanUs: columns.time === null ? null : scan.lastUs - scan.firstUs,
    timeColumn: columns.time,
    busiestByRecords: scan.busiestByRecords,
    busiestByBytes: sizeFrom === null ? null : scan.busiestByBytes,
  };
  const source = `${path} (trace: key column ${options.keyColumn}, weighted by ${counted})`;
  return { ok: true, keySet: { keys: scan.keys, weights, source, countedBy: options.countBy, trace, skipped } };
}

/** Whether a trace issue comes from the column of this role: absent from the header or a row, or a value that does not parse. */
function objectsTo(message: string, role: "time" | "size"): boolean {
  const value = role === "time" ? "timestamp " : "size ";
  return message.startsWith(`CSV header has no ${role} column `) || message.startsWith(`no ${role} field `) || message.startsWith(value);
}

/** Enumerates every key of a template with its probability. */
export function keySetFromTemplate(template: string, fields: Record<string, CompositeField>, kinesisKeyLimit: boolean): KeySetResult {
  const names = distinctNames(parseTemplate(template));
  const errors: string[] = [];
  if (names.length === 0) errors.push(inputMessages.templateNoPlaceholder(template));
  for (const name of Object.keys(fields)) if (!names.includes(name)) errors.push(inputMessages.fieldUnused(name, template));
  for (const name of names) if (!Object.hasOwn(fields, name)) errors.push(inputMessages.fieldMissing(name));
  if (errors.length > 0) return { ok: false, errors, skipped: [] };
  let keyCount = 1;
  for (const name of names) keyCount *= fieldSize(fields[name]);
  if (keyCount > TEMPLATE_KEYS_MAX) return { ok: false, errors: [inputMessages.templateTooLarge(keyCount, TEMPLATE_KEYS_MAX)], skipped: [] };
  const space = compositeKeys({ template, fields });
  const keys: string[] = new Array(keyCount);
  const weights = new Float64Array(keyCount);
  const seen = new Set<string>();
  for (let i = 0; i < keyCount; i++) {
    keys[i] = space.keyAt(i);
    weights[i] = space.probability!(i);
    seen.add(keys[i]);
  }
  // "{a}{b}" with a=1,11 and b=1,11 makes "111" twice: merge so each key is counted once.
  const merged = seen.size === keyCount ? { keys, weights } : mergeDuplicates(keys, weights);
  const tooLong = kinesisKeyLimit ? merged.keys.find((key) => [...key].length > KEY_CHARS_MAX) : undefined;
  if (tooLong !== undefined) return { ok: false, errors: [inputMessages.templateKeyTooLong(tooLong, KEY_CHARS_MAX)], skipped: [] };
  const described = names.map((name) => `${name}: ${fieldSize(fields[name])} values`).join(", ");
  return { ok: true, keySet: { ...merged, source: `template ${JSON.stringify(template)} (${described})`, origin: "template", skipped: [] } };
}

function fieldSize(field: CompositeField): number {
  return "values" in field ? field.values.length : field.range[1] - field.range[0] + 1;
}

function mergeDuplicates(keys: readonly string[], weights: Float64Array): { keys: string[]; weights: Float64Array } {
  const indexByKey = new Map<string, number>();
  const outKeys: string[] = [];
  const outWeights: number[] = [];
  for (let i = 0; i < keys.length; i++) {
    const index = indexByKey.get(keys[i]);
    if (index === undefined) {
      indexByKey.set(keys[i], outKeys.length);
      outKeys.push(keys[i]);
      outWeights.push(weights[i]);
    } else outWeights[index] += weights[i];
  }
  return { keys: outKeys, weights: Float64Array.from(outWeights) };
}
