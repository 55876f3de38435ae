// The one parser for partition-key files (scenario `keys: { distribution: file }` and the key lab).
//
// Two formats, chosen by file name or `opts.format`:
// - `.csv`: RFC 4180 with a header row. The key column is `key` (or `partition_key` /
//   `partitionKey`); an optional `count` column weights each key (blank = 1). Fields are taken
//   exactly as written (no trimming); quoted fields may hold commas, `""` and line breaks.
// - anything else: one key per line, byte-exact. Only the terminator (`\n` or `\r\n`) is removed;
//   commas, quotes and spaces belong to the key. A final newline does not make an empty key.
//
// Bad rows become issues (1-based line of the row's first line) and are skipped, so a caller gets
// every problem at once. Duplicate keys are merged in first-appearance order and their counts add
// up (each occurrence counts 1 where there is no count column). `counts` is null when every key
// weighs 1, meaning "uniform over the distinct keys".

import { closeSync, fstatSync, openSync, readSync } from "node:fs";

export interface KeyFileIssue {
  line: number;
  message: string;
  /** The CSV header is unusable (no key column, or two): no row of the file can be read. */
  header?: true;
}

export interface KeyFile {
  keys: string[];
  counts: Float64Array | null;
  /** The distinct-key index of every accepted row, in input order (for per-row output such as the key lab's assignments). */
  rowKeyIndexes: Int32Array;
  issues: KeyFileIssue[];
}

export interface KeyFileOptions {
  format?: "csv" | "lines";
  /**
   * Longest key accepted, in Unicode code points (default KEY_CHARS_MAX, Kinesis's limit). Kafka has
   * no key-length limit of its own, so a Kafka-only caller may pass Infinity.
   */
  keyCharsMax?: number;
}

/** Kinesis accepts partition keys of 1 to 256 Unicode characters. */
export const KEY_CHARS_MAX = 256;
/** Issues beyond this many are summarised by one final issue. */
export const KEY_FILE_ISSUES_MAX = 100;
/** Distinct keys a file may hold (the documented cardinality limit; they become one alias table). */
export const KEY_FILE_DISTINCT_KEYS_MAX = 10_000_000;
/** Largest key file read: 10,000,000 keys of a few dozen bytes fit; a device or a runaway file does not. */
export const KEY_FILE_BYTES_MAX = 512 * 1024 * 1024;

/** A key file that is not read at all (not a regular file, too big); the message says why. */
export class KeyFileRefused extends Error {}

const KEY_COLUMN_NAMES = ["key", "partition_key", "partitionkey"];
const COUNT_PATTERN = /^\s*(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$/;

/** Every user-facing message of this module, kept apart from detection. */
export const keyFileMessages = {
  emptyKey: () => "empty key (partition keys need 1 to 256 characters)",
  keyTooLong: (chars: number, charsMax: number = KEY_CHARS_MAX) => `key has ${chars} characters; partition keys allow at most ${charsMax}`,
  noKeys: () => "file holds no keys",
  zeroTotal: () => "all counts are zero: no key would ever be drawn",
  tooManyKeys: () => `more than ${KEY_FILE_DISTINCT_KEYS_MAX.toLocaleString("en-US")} distinct keys (the limit); the file was read no further`,
  notRegular: () => "not a regular file (devices, pipes and folders are not key files)",
  tooBig: (bytes: number) => `${bytes} bytes; a key file may have at most ${KEY_FILE_BYTES_MAX} bytes`,
  missingKeyColumn: (header: string[]) =>
    `CSV header has no key column (expected "key", "partition_key" or "partitionKey"; found ${header
      .map((h) => JSON.stringify(h))
      .join(", ")})`,
  ambiguousKeyColumn: (names: string[]) => `CSV header has more than one key column: ${names.join(", ")}`,
  badCount: (text: string) => `count ${JSON.stringify(text)} is not a non-negative number`,
  fieldCount: (expected: number, found: number) => `expected ${expected} fields, found ${found}`,
  unterminatedQuote: () => "quoted field is not closed before the end of the file",
  textAfterQuote: () => "unexpected text after a closing quote (quotes inside a field are written \"\")",
  invalidUtf8: () => "file is not valid UTF-8 (invalid bytes were replaced with U+FFFD)",
  moreIssues: (n: number) => `${n} more issues not shown`,
} as const;

/** Parses key-file text (a leading UTF-8 BOM is ignored). */
export function parseKeyFile(text: string, fileName: string, opts: KeyFileOptions = {}): KeyFile {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const csv = opts.format === "csv" || (opts.format === undefined && /\.csv$/i.test(fileName));
  const acc = new Accumulator(opts.keyCharsMax ?? KEY_CHARS_MAX);
  if (csv) parseCsvKeys(body, acc);
  else parseLineKeys(body, acc);
  return acc.finish();
}

/** Reads a key file as UTF-8 (BOM stripped) and parses it; invalid UTF-8 is an issue. */
export function readKeyFile(path: string, opts: KeyFileOptions = {}): KeyFile {
  const bytes = readRegularFile(path);
  let text: string;
  let invalid = false;
  try {
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes);
    invalid = true;
  }
  const result = parseKeyFile(text, path, opts);
  if (invalid) {
    const line = lineOfOffset(text, text.indexOf("\ufffd"));
    result.issues.unshift({ line, message: keyFileMessages.invalidUtf8() });
  }
  return result;
}

/**
 * The bytes of a regular file of at most KEY_FILE_BYTES_MAX: checked on the open descriptor, so a
 * device such as /dev/zero is never read, and read no further than the limit even if the file grows.
 */
function readRegularFile(path: string): Buffer {
  const fd = openSync(path, "r");
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) throw new KeyFileRefused(keyFileMessages.notRegular());
    if (stats.size > KEY_FILE_BYTES_MAX) throw new KeyFileRefused(keyFileMessages.tooBig(stats.size));
    const buffer = Buffer.alloc(stats.size);
    let filled = 0;
    while (filled < buffer.length) {
      const read = readSync(fd, buffer, filled, buffer.length - filled, filled);
      if (read === 0) break;
      filled += read;
    }
    return buffer.subarray(0, filled);
  } finally {
    closeSync(fd);
  }
}

/** Collects keys (deduplicated, counts summed) and issues. */
class Accumulator {
  private readonly indexByKey = new Map<string, number>();
  private readonly keys: string[] = [];
  private readonly counts: number[] = [];
  private rows = new Int32Array(1024);
  private rowCount = 0;
  private allOnes = true;
  private readonly issues: KeyFileIssue[] = [];
  private issuesDropped = 0;
  private firstDroppedLine = 0;
  private tooManyReported = false;
  /** Set once the distinct-key limit is passed: the parsers stop reading. */
  full = false;

  constructor(private readonly keyCharsMax: number) {}

  issue(line: number, message: string, header = false): void {
    if (this.issues.length < KEY_FILE_ISSUES_MAX) {
      this.issues.push(header ? { line, message, header } : { line, message });
      return;
    }
    if (this.issuesDropped === 0) this.firstDroppedLine = line;
    this.issuesDropped++;
  }

  /** Adds one key row after checking the key; returns false when the row was rejected. */
  add(line: number, key: string, count: number): boolean {
    const problem = keyProblem(key, this.keyCharsMax);
    if (problem !== null) {
      this.issue(line, problem);
      return false;
    }
    if (count !== 1) this.allOnes = false;
    const index = this.indexByKey.get(key);
    if (index !== undefined) {
      this.counts[index] += count;
      this.allOnes = false;
      this.row(index);
      return true;
    }
    if (this.keys.length >= KEY_FILE_DISTINCT_KEYS_MAX) {
      if (!this.tooManyReported) this.issue(line, keyFileMessages.tooManyKeys());
      this.tooManyReported = true;
      this.full = true;
      return false;
    }
    this.indexByKey.set(key, this.keys.length);
    this.row(this.keys.length);
    this.keys.push(key);
    this.counts.push(count);
    return true;
  }

  private row(keyIndex: number): void {
    if (this.rowCount === this.rows.length) {
      const grown = new Int32Array(this.rows.length * 2);
      grown.set(this.rows);
      this.rows = grown;
    }
    this.rows[this.rowCount++] = keyIndex;
  }

  finish(): KeyFile {
    if (this.keys.length === 0) this.issue(1, keyFileMessages.noKeys());
    else if (this.counts.every((c) => c === 0)) this.issue(1, keyFileMessages.zeroTotal());
    const issues = this.issues;
    if (this.issuesDropped > 0) {
      issues.push({ line: this.firstDroppedLine, message: keyFileMessages.moreIssues(this.issuesDropped) });
    }
    const counts = this.allOnes ? null : Float64Array.from(this.counts);
    return { keys: this.keys, counts, rowKeyIndexes: this.rows.slice(0, this.rowCount), issues };
  }
}

/**
 * Null when the key is acceptable. Length is counted in Unicode code points ([...key].length),
 * matching "256 Unicode characters" in the Kinesis PutRecord reference; an astral character
 * (emoji, rare CJK) counts once even though it is two UTF-16 code units.
 */
function keyProblem(key: string, keyCharsMax: number): string | null {
  if (key.length === 0) return keyFileMessages.emptyKey();
  // UTF-16 length is an upper bound on code points: only long strings need counting.
  if (key.length <= keyCharsMax) return null;
  const chars = [...key].length;
  return chars > keyCharsMax ? keyFileMessages.keyTooLong(chars, keyCharsMax) : null;
}

function parseLineKeys(text: string, acc: Accumulator): void {
  let start = 0;
  let line = 1;
  while (start < text.length) {
    const newline = text.indexOf("\n", start);
    const end = newline === -1 ? text.length : newline;
    const stop = newline !== -1 && end > start && text.charCodeAt(end - 1) === 13 ? end - 1 : end;
    acc.add(line, text.slice(start, stop), 1);
    if (newline === -1 || acc.full) break;
    start = newline + 1;
    line++;
  }
}

function parseCsvKeys(text: string, acc: Accumulator): void {
  const reader = new CsvReader(text);
  const header = reader.next(acc);
  if (header === null) {
    acc.issue(1, keyFileMessages.missingKeyColumn([]), true);
    return;
  }
  const names = header.fields.map((h) => h.trim().toLowerCase());
  const keyColumns = names.flatMap((n, i) => (KEY_COLUMN_NAMES.includes(n) ? [i] : []));
  if (keyColumns.length === 0) {
    acc.issue(header.line, keyFileMessages.missingKeyColumn(header.fields), true);
    return;
  }
  if (keyColumns.length > 1) {
    acc.issue(header.line, keyFileMessages.ambiguousKeyColumn(keyColumns.map((i) => header.fields[i])), true);
    return;
  }
  const keyColumn = keyColumns[0];
  const countColumn = names.indexOf("count");
  for (let row = reader.next(acc); row !== null && !acc.full; row = reader.next(acc)) {
    if (row.fields.length !== header.fields.length) {
      acc.issue(row.line, keyFileMessages.fieldCount(header.fields.length, row.fields.length));
      continue;
    }
    const count = countColumn === -1 ? 1 : parseCount(row.fields[countColumn]);
    if (Number.isNaN(count)) {
      acc.issue(row.line, keyFileMessages.badCount(row.fields[countColumn]));
      continue;
    }
    acc.add(row.line, row.fields[keyColumn], count);
  }
}

/** A non-negative finite number, 1 for a blank field, NaN when invalid. */
function parseCount(text: string): number {
  if (text.trim() === "") return 1;
  if (!COUNT_PATTERN.test(text)) return Number.NaN;
  const value = Number(text);
  return Number.isFinite(value) ? value : Number.NaN;
}

interface CsvRecord {
  line: number;
  fields: string[];
}

/**
 * RFC 4180 records: fields split by commas, records by CRLF or LF; a quoted field may contain
 * commas, line breaks and "" (one quote). A quote inside an unquoted field is kept literally.
 * Line numbers count physical lines, so rows after an embedded newline keep their true line.
 */
class CsvReader {
  private pos = 0;
  private line = 1;

  constructor(private readonly text: string) {}

  /** The next well-formed record, reporting and skipping malformed ones; null at the end. */
  next(acc: Accumulator): CsvRecord | null {
    while (this.pos < this.text.length) {
      const line = this.line;
      const fields: string[] = [];
      const error = this.readRecord(fields);
      if (error === null) return { line, fields };
      acc.issue(line, error);
    }
    return null;
  }

  /** Reads fields up to and including the record terminator; returns an error message or null. */
  private readRecord(fields: string[]): string | null {
    let error: string | null = null;
    for (;;) {
      const result = this.text.charCodeAt(this.pos) === 34 ? this.readQuoted() : this.readPlain();
      if (typeof result !== "string") {
        error ??= result.error;
        if (result.fatal) return error;
        fields.push("");
      } else fields.push(result);
      const c = this.text.charCodeAt(this.pos);
      if (c === 44) {
        this.pos++;
        continue;
      }
      this.skipTerminator();
      return error;
    }
  }

  /** Plain field: up to a comma, LF, CRLF or the end. */
  private readPlain(): string {
    const text = this.text;
    const start = this.pos;
    let i = start;
    for (; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 44 || c === 10 || (c === 13 && text.charCodeAt(i + 1) === 10)) break;
    }
    this.pos = i;
    return text.slice(start, i);
  }

  /** Quoted field starting at the opening quote. */
  private readQuoted(): string | { error: string; fatal: boolean } {
    const text = this.text;
    let value = "";
    let i = this.pos + 1;
    let chunk = i;
    for (;;) {
      const close = text.indexOf('"', i);
      if (close === -1) {
        this.countLines(this.pos, text.length);
        this.pos = text.length;
        return { error: keyFileMessages.unterminatedQuote(), fatal: true };
      }
      if (text.charCodeAt(close + 1) === 34) {
        value += text.slice(chunk, close + 1);
        i = close + 2;
        chunk = i;
        continue;
      }
      value += text.slice(chunk, close);
      this.countLines(this.pos, close);
      this.pos = close + 1;
      break;
    }
    const c = text.charCodeAt(this.pos);
    const atEnd = this.pos >= text.length || c === 44 || c === 10 || (c === 13 && text.charCodeAt(this.pos + 1) === 10);
    if (atEnd) return value;
    this.readPlain(); // skip the stray text so the next field starts at a separator
    return { error: keyFileMessages.textAfterQuote(), fatal: false };
  }

  private skipTerminator(): void {
    const c = this.text.charCodeAt(this.pos);
    if (c === 13) this.pos += 2;
    else if (c === 10) this.pos += 1;
    else return; // end of text
    this.line++;
  }

  private countLines(from: number, to: number): void {
    for (let i = this.text.indexOf("\n", from); i !== -1 && i < to; i = this.text.indexOf("\n", i + 1)) this.line++;
  }
}

function lineOfOffset(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf("\n"); i !== -1 && i < offset; i = text.indexOf("\n", i + 1)) line++;
  return line;
}
