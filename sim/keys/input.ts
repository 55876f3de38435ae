// The keys a lab run analyses: distinct keys with their traffic weights, from a key file (the
// workload's one parser) or enumerated exactly from a composite-key template (no sampling: each
// key's weight is its analytic probability).

import { distinctNames, parseTemplate, compositeKeys, readKeyFile, KEY_CHARS_MAX, keyFileMessages } from "../workload/keys/index.ts";
import type { CompositeField, KeyFileIssue } from "../workload/keys/index.ts";
import { inputMessages } from "./messages.ts";
import { scanTrace } from "../workload/trace/index.ts";

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
  sizeColumn: string | null;
  valueColumn: string | null;
  kinesisKeyLimit: boolean;
}

/**
 * Reads the keys of a trace (the same file a scenario's trace: replays), streamed: each distinct key
 * weighted by its records or bytes. Bad rows are skipped and returned in `skipped`; a header without
 * the named columns, invalid UTF-8 or no rows at all fail the file.
 */
export function keySetFromTrace(path: string, options: TraceOptions): KeySetResult {
  const bytes = options.countBy === "bytes";
  const columns = { time: null, key: options.keyColumn, size: bytes && options.valueColumn === null ? (options.sizeColumn ?? "size") : null, value: bytes ? options.valueColumn : null };
  const keyCharsMax = options.kinesisKeyLimit ? KEY_CHARS_MAX : Number.POSITIVE_INFINITY;
  const scan = scanTrace(path, { format: options.format, columns, timeFormat: "iso8601", keyCharsMax }, { startUs: null, endUs: null, reorderWindowUs: 0 });
  const fatal = scan.issues.filter((issue) => issue.fatal === true || scan.records === 0);
  const skipped = scan.issues.filter((issue) => !fatal.includes(issue));
  if (fatal.length > 0) return { ok: false, errors: fatal.map((issue) => `${path}:${issue.line}: ${issue.message}`), skipped };
  const weights = bytes ? scan.bytesByKey : scan.recordsByKey;
  const counted = bytes ? `bytes (${columns.value !== null ? `UTF-8 length of ${columns.value}` : columns.size})` : "records";
  return { ok: true, keySet: { keys: scan.keys, weights, source: `${path} (trace: key column ${options.keyColumn}, weighted by ${counted})`, skipped } };
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
