// Rows of a trace file, one at a time, streamed: CSV with a header row, or JSON Lines (one object per
// line); either may be gzip. A row's fields land in the reader's own members (timeUs, key, sizeBytes,
// line), so reading allocates no object per record (the key string aside, which the caller looks up).
//
// A record is one line: a quoted CSV field may hold commas and "" but not a line break. Lines are
// bounded (TRACE_LINE_CHARS_MAX). A bad row becomes an issue with its 1-based line and is skipped;
// a bad header, invalid UTF-8 or an over-long line ends the file (a `fatal` issue).

import { KEY_CHARS_MAX, KEY_FILE_ISSUES_MAX, keyFileMessages } from "../keys/index.ts";
import { openTraceBytes, type ByteSource } from "./bytes.ts";
import { epochNumberUs, parseIsoRange, parseTraceTime, type TimeFormat } from "./time.ts";

/** Longest line read (characters); a trace row is a timestamp, a key and a size, or a value. */
export const TRACE_LINE_CHARS_MAX = 1024 * 1024;

export interface TraceColumns {
  /** Column of the timestamp; null when only keys are wanted (the key lab). */
  time: string | null;
  key: string;
  /** Column of the record size in bytes; null when `value` gives it (or neither: sizes read as 0). */
  size: string | null;
  /** Column of the value, whose UTF-8 length is the size; null when `size` gives it. */
  value: string | null;
  /** Column of an explicit hash key (Kinesis ExplicitHashKey, a decimal below 2^128; blank: none). */
  hashKey?: string | null;
  /** Column of the message group (SQS FIFO MessageGroupId), when it is not the key. */
  group?: string | null;
}

export interface TraceFormat {
  format: "csv" | "jsonl";
  columns: TraceColumns;
  timeFormat: TimeFormat;
  /** Longest key, in Unicode code points (Kinesis's 256 unless the caller says otherwise). */
  keyCharsMax?: number;
}

export interface TraceIssue {
  line: number;
  message: string;
  /** The rest of the file cannot be read (bad header, invalid UTF-8, an over-long line). */
  fatal?: true;
}

export const traceRowMessages = {
  missingColumn: (role: string, name: string, found: string[]) =>
    `CSV header has no ${role} column ${JSON.stringify(name)} (found ${found.map((h) => JSON.stringify(h)).join(", ")})`,
  emptyHeader: () => "the trace is empty (a CSV trace starts with a header row)",
  fieldCount: (expected: number, found: number) => `expected ${expected} fields, found ${found}`,
  unterminatedQuote: () => "quoted field is not closed on its line (a trace record is one line)",
  textAfterQuote: () => "unexpected text after a closing quote (quotes inside a field are written \"\")",
  notJson: (reason: string) => `not a JSON object: ${reason}`,
  missingField: (role: string, name: string) => `no ${role} field ${JSON.stringify(name)}`,
  badTime: (text: string, format: TimeFormat) =>
    `timestamp ${JSON.stringify(text)} is not ${format === "iso8601" ? "an ISO 8601 time such as 2026-12-06T10:00:00.123456Z" : format === "epoch-ms" ? "epoch milliseconds" : "epoch microseconds"}`,
  badSize: (text: string) => `size ${JSON.stringify(text)} is not a whole number of bytes of at least 1`,
  emptyValue: () => "empty value: a record has at least 1 byte",
  badHashKey: (text: string) => `explicit hash key ${JSON.stringify(text)} is not a whole number from 0 to 2^128 - 1 (digits, no leading zeros)`,
  badGroup: (text: string) =>
    `message group ${JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}...` : text)} (${text.length} characters) is not 1 to 128 letters, digits and punctuation`,
  badKey: (text: string) => `key ${text} is not a string or a number`,
  lineTooLong: (charsMax: number) => `line is longer than ${charsMax} characters; the file was read no further`,
  invalidUtf8: () => "file is not valid UTF-8; the file was read no further",
} as const;

const SIZE_PATTERN = /^\d{1,15}$/;
/** ExplicitHashKey's pattern, 0|([1-9]\d{0,38}) (docs/reference.md §1.2). */
const HASH_KEY_PATTERN = /^(0|[1-9]\d{0,38})$/;
/** MessageGroupId: 1 to 128 alphanumeric and punctuation characters (docs/reference.md §4). */
const GROUP_PATTERN = /^[A-Za-z0-9!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]{1,128}$/;

export class TraceRows {
  /** Fields of the current row (after next() returned true). */
  timeUs = 0;
  key = "";
  sizeBytes = 0;
  /** The explicit hash key ("" for none) and message group ("" for none) of the row, when those columns are read. */
  hashKey = "";
  group = "";
  line = 0;
  /** Lines read so far (rows, header and blank lines). */
  linesRead = 0;
  /** Problems found, in file order, until the caller takes them. */
  readonly issues: TraceIssue[] = [];
  /** Issues past KEY_FILE_ISSUES_MAX not yet taken, counted instead of kept (a file of bad rows stays bounded). */
  overflowIssues = 0;
  firstOverflowLine = 0;
  private readonly bytes: ByteSource;
  private readonly decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });
  private text = "";
  private pos = 0;
  private ended = false;
  private stopped = false;
  private readonly keyCharsMax: number;
  // CSV column positions (from the header).
  private fieldCount = 0;
  private timeColumn = -1;
  private keyColumn = -1;
  private sizeColumn = -1;
  private valueColumn = -1;
  private hashKeyColumn = -1;
  private groupColumn = -1;
  private readonly fields: string[] = [];
  private readonly fieldStarts = new Int32Array(64);
  private readonly fieldEnds = new Int32Array(64);
  private lineStart = 0;
  private lineEnd = 0;
  /** Where the next quote is in the text (-1: not looked for since the last refill). */
  private quoteAt = -1;

  constructor(
    path: string,
    private readonly spec: TraceFormat,
  ) {
    this.keyCharsMax = spec.keyCharsMax ?? KEY_CHARS_MAX;
    this.bytes = openTraceBytes(path);
    if (spec.format === "csv") this.readHeader();
  }

  get gzip(): boolean {
    return this.bytes.gzip;
  }

  close(): void {
    this.bytes.close();
  }

  /** Moves to the next good row; false at the end of the file (or after a fatal issue). */
  next(): boolean {
    for (;;) {
      if (!this.nextLineRange()) return false;
      const { lineStart, lineEnd } = this;
      let ok: boolean;
      if (this.spec.format === "csv") {
        // The common row: no quote, fields found in place (no line string, no field array).
        if (this.quoteAt < lineStart) this.quoteAt = this.findQuote(lineStart);
        ok = this.quoteAt >= lineEnd ? this.parsePlainCsv(lineStart, lineEnd) : this.parseCsvRow(this.text.slice(lineStart, lineEnd));
      } else {
        const line = this.text.slice(lineStart, lineEnd);
        if (isBlank(line)) continue;
        ok = this.parseJsonRow(line);
      }
      if (ok) return true;
    }
  }

  /** Position of the next quote at or after `from` in the text (Infinity when none). */
  private findQuote(from: number): number {
    const at = this.text.indexOf('"', from);
    return at === -1 ? Infinity : at;
  }

  /** A CSV row without quotes, at text[start, end): blank rows are skipped (false without an issue). */
  private parsePlainCsv(start: number, end: number): boolean {
    const text = this.text;
    if (start === end) return false;
    const starts = this.fieldStarts;
    const ends = this.fieldEnds;
    let count = 0;
    let from = start;
    for (;;) {
      let comma = text.indexOf(",", from);
      if (comma === -1 || comma > end) comma = end;
      if (count < starts.length) {
        starts[count] = from;
        ends[count] = comma;
      }
      count++;
      if (comma === end) break;
      from = comma + 1;
    }
    if (count !== this.fieldCount) {
      if (count === 1 && isBlank(text.slice(start, end))) return false;
      return this.fail(traceRowMessages.fieldCount(this.fieldCount, count));
    }
    if (count > starts.length) return this.parseCsvRow(text.slice(start, end));
    if (this.timeColumn !== -1) {
      const ts = starts[this.timeColumn];
      const te = ends[this.timeColumn];
      this.timeUs = this.spec.timeFormat === "iso8601" ? parseIsoRange(text, ts, te) : parseTraceTime(text.slice(ts, te), this.spec.timeFormat);
      if (Number.isNaN(this.timeUs)) return this.fail(traceRowMessages.badTime(text.slice(ts, te), this.spec.timeFormat));
    } else this.timeUs = 0;
    if (!this.takeKey(text.slice(starts[this.keyColumn], ends[this.keyColumn]))) return false;
    if (!this.plainSize(text, starts, ends)) return false;
    if (this.hashKeyColumn === -1 && this.groupColumn === -1) return true;
    const field = (column: number) => (column === -1 ? null : text.slice(starts[column], ends[column]));
    return this.takeExtras(field(this.hashKeyColumn), field(this.groupColumn));
  }

  private plainSize(text: string, starts: Int32Array, ends: Int32Array): boolean {
    if (this.sizeColumn !== -1) {
      const ss = starts[this.sizeColumn];
      const se = ends[this.sizeColumn];
      let size = 0;
      for (let i = ss; i < se; i++) {
        const d = text.charCodeAt(i) - 48;
        if (d < 0 || d > 9) return this.takeSize(text.slice(ss, se));
        size = size * 10 + d;
      }
      if (se - ss > 15 || size < 1) return this.takeSize(text.slice(ss, se));
      this.sizeBytes = size;
      return true;
    }
    return this.valueColumn !== -1 ? this.takeValue(text.slice(starts[this.valueColumn], ends[this.valueColumn])) : this.noSize();
  }

  /** The explicit hash key and message group of the row (null: the column is not read). */
  private takeExtras(hashKey: string | null, group: string | null): boolean {
    this.hashKey = hashKey ?? "";
    this.group = group ?? "";
    if (this.hashKey !== "" && !(HASH_KEY_PATTERN.test(this.hashKey) && BigInt(this.hashKey) < 2n ** 128n)) return this.fail(traceRowMessages.badHashKey(this.hashKey));
    if (group !== null && !GROUP_PATTERN.test(group)) return this.fail(traceRowMessages.badGroup(group));
    return true;
  }

  private issue(line: number, message: string, fatal = false): void {
    if (!fatal && this.issues.length >= KEY_FILE_ISSUES_MAX) {
      if (this.overflowIssues++ === 0) this.firstOverflowLine = line;
      return;
    }
    this.issues.push(fatal ? { line, message, fatal } : { line, message });
    if (fatal) this.stopped = true;
  }

  /** The next line without its terminator, or null at the end. */
  private nextLine(): string | null {
    return this.nextLineRange() ? this.text.slice(this.lineStart, this.lineEnd) : null;
  }

  /** Finds the next line: text[lineStart, lineEnd) without its terminator; false at the end. */
  private nextLineRange(): boolean {
    if (this.stopped) return false;
    for (;;) {
      const newline = this.text.indexOf("\n", this.pos);
      if (newline !== -1) {
        const end = newline > this.pos && this.text.charCodeAt(newline - 1) === 13 ? newline - 1 : newline;
        return this.counted(this.pos, end, newline + 1);
      }
      if (this.text.length - this.pos > TRACE_LINE_CHARS_MAX) {
        this.issue(this.linesRead + 1, traceRowMessages.lineTooLong(TRACE_LINE_CHARS_MAX), true);
        return false;
      }
      if (this.ended) {
        if (this.pos >= this.text.length) return false;
        const end = this.text.charCodeAt(this.text.length - 1) === 13 ? this.text.length - 1 : this.text.length;
        return this.counted(this.pos, end, this.text.length);
      }
      this.refill();
    }
  }

  private counted(start: number, end: number, next: number): boolean {
    this.linesRead++;
    this.line = this.linesRead;
    this.pos = next;
    if (end - start > TRACE_LINE_CHARS_MAX) {
      this.issue(this.line, traceRowMessages.lineTooLong(TRACE_LINE_CHARS_MAX), true);
      return false;
    }
    this.lineStart = start;
    this.lineEnd = end;
    return true;
  }

  private refill(): void {
    const rest = this.text.slice(this.pos);
    const chunk = this.bytes.next();
    let decoded: string;
    try {
      decoded = chunk === null ? this.decoder.decode() : this.decoder.decode(chunk, { stream: true });
    } catch {
      // The line of the first bad byte: the lines before it in the text not yet split, and in the chunk.
      const lossy = rest + new TextDecoder("utf-8").decode(chunk ?? new Uint8Array(0));
      const bad = lossy.indexOf("\ufffd");
      let line = this.linesRead + 1;
      for (let i = lossy.indexOf("\n"); i !== -1 && i < bad; i = lossy.indexOf("\n", i + 1)) line++;
      this.issue(line, traceRowMessages.invalidUtf8(), true);
      this.text = rest;
      this.pos = 0;
      this.quoteAt = -1;
      this.ended = true;
      return;
    }
    if (chunk === null) this.ended = true;
    this.text = rest + decoded;
    this.pos = 0;
    this.quoteAt = -1;
  }

  private readHeader(): void {
    let header: string | null = null;
    while (header === null || isBlank(header)) {
      header = this.nextLine();
      if (header === null) {
        if (!this.stopped) this.issue(1, traceRowMessages.emptyHeader(), true);
        return;
      }
    }
    const names = splitCsv(header, this.fields) === null ? this.fields.slice() : [header];
    this.fieldCount = names.length;
    const { columns } = this.spec;
    const find = (role: string, name: string | null): number => {
      if (name === null) return -1;
      const index = names.indexOf(name);
      if (index === -1) this.issue(this.line, traceRowMessages.missingColumn(role, name, names), true);
      return index;
    };
    this.timeColumn = find("time", columns.time);
    this.keyColumn = find("key", columns.key);
    this.sizeColumn = find("size", columns.size);
    this.valueColumn = find("value", columns.value);
    this.hashKeyColumn = find("hash key", columns.hashKey ?? null);
    this.groupColumn = find("group", columns.group ?? null);
  }

  private parseCsvRow(text: string): boolean {
    const fields = this.fields;
    const problem = splitCsv(text, fields);
    if (problem !== null) {
      this.issue(this.line, problem);
      return false;
    }
    if (fields.length !== this.fieldCount) {
      this.issue(this.line, traceRowMessages.fieldCount(this.fieldCount, fields.length));
      return false;
    }
    return (
      this.takeTime(this.timeColumn === -1 ? null : fields[this.timeColumn]) &&
      this.takeKey(fields[this.keyColumn]) &&
      (this.sizeColumn !== -1 ? this.takeSize(fields[this.sizeColumn]) : this.valueColumn !== -1 ? this.takeValue(fields[this.valueColumn]) : this.noSize()) &&
      (this.hashKeyColumn === -1 && this.groupColumn === -1
        ? true
        : this.takeExtras(this.hashKeyColumn === -1 ? null : fields[this.hashKeyColumn], this.groupColumn === -1 ? null : fields[this.groupColumn]))
    );
  }

  private parseJsonRow(text: string): boolean {
    let row: unknown;
    try {
      row = JSON.parse(text);
    } catch (error) {
      this.issue(this.line, traceRowMessages.notJson((error as Error).message));
      return false;
    }
    if (typeof row !== "object" || row === null || Array.isArray(row)) {
      this.issue(this.line, traceRowMessages.notJson(`found ${Array.isArray(row) ? "an array" : JSON.stringify(row)}`));
      return false;
    }
    const record = row as Record<string, unknown>;
    const { columns } = this.spec;
    const field = (role: string, name: string): unknown => {
      const value = Object.hasOwn(record, name) ? record[name] : undefined;
      if (value === undefined) this.issue(this.line, traceRowMessages.missingField(role, name));
      return value;
    };
    if (columns.time !== null) {
      const time = field("time", columns.time);
      if (time === undefined) return false;
      if (typeof time === "number" && this.spec.timeFormat !== "iso8601") {
        this.timeUs = epochNumberUs(time, this.spec.timeFormat);
        if (Number.isNaN(this.timeUs)) return this.fail(traceRowMessages.badTime(String(time), this.spec.timeFormat));
      } else if (!this.takeTime(typeof time === "string" ? time : JSON.stringify(time))) return false;
    }
    const key = field("key", columns.key);
    if (key === undefined) return false;
    if (typeof key !== "string" && typeof key !== "number") return this.fail(traceRowMessages.badKey(JSON.stringify(key)));
    if (!this.takeKey(String(key))) return false;
    if (!this.jsonSize(columns, field)) return false;
    if (!columns.hashKey && !columns.group) return true;
    const extra = (name: string | null | undefined): string | null => {
      if (!name) return null;
      const value = Object.hasOwn(record, name) ? record[name] : undefined;
      return value === undefined || value === null ? "" : typeof value === "string" ? value : JSON.stringify(value);
    };
    return this.takeExtras(extra(columns.hashKey), extra(columns.group));
  }

  private jsonSize(columns: TraceColumns, field: (role: string, name: string) => unknown): boolean {
    if (columns.size !== null) {
      const size = field("size", columns.size);
      if (size === undefined) return false;
      return this.takeSize(typeof size === "number" ? String(size) : JSON.stringify(size));
    }
    if (columns.value === null) return this.noSize();
    const value = field("value", columns.value);
    if (value === undefined) return false;
    return this.takeValue(typeof value === "string" ? value : JSON.stringify(value));
  }

  private fail(message: string): false {
    this.issue(this.line, message);
    return false;
  }

  private takeTime(text: string | null): boolean {
    if (text === null) {
      this.timeUs = 0;
      return true;
    }
    this.timeUs = parseTraceTime(text, this.spec.timeFormat);
    return Number.isNaN(this.timeUs) ? this.fail(traceRowMessages.badTime(text, this.spec.timeFormat)) : true;
  }

  private takeKey(key: string): boolean {
    if (key.length === 0) return this.fail(keyFileMessages.emptyKey());
    if (key.length > this.keyCharsMax) {
      const chars = [...key].length;
      if (chars > this.keyCharsMax) return this.fail(keyFileMessages.keyTooLong(chars, this.keyCharsMax));
    }
    this.key = key;
    return true;
  }

  private takeSize(text: string): boolean {
    if (!SIZE_PATTERN.test(text)) return this.fail(traceRowMessages.badSize(text));
    const size = Number(text);
    if (size < 1) return this.fail(traceRowMessages.badSize(text));
    this.sizeBytes = size;
    return true;
  }

  /** Neither size nor value is read (the key lab counting records). */
  private noSize(): true {
    this.sizeBytes = 0;
    return true;
  }

  private takeValue(value: string): boolean {
    if (value.length === 0) return this.fail(traceRowMessages.emptyValue());
    this.sizeBytes = Buffer.byteLength(value, "utf8");
    return true;
  }
}

function isBlank(text: string): boolean {
  return text.length === 0 || text.trim().length === 0;
}

/**
 * Splits one CSV line into `fields` (cleared first): commas separate fields; a field starting with a
 * quote runs to its closing quote, with "" for a quote. Returns a problem, or null.
 */
function splitCsv(text: string, fields: string[]): string | null {
  fields.length = 0;
  if (text.indexOf('"') === -1) {
    let start = 0;
    for (let comma = text.indexOf(","); comma !== -1; comma = text.indexOf(",", start)) {
      fields.push(text.slice(start, comma));
      start = comma + 1;
    }
    fields.push(text.slice(start));
    return null;
  }
  let i = 0;
  for (;;) {
    if (text.charCodeAt(i) === 34) {
      let value = "";
      let chunk = i + 1;
      let j = chunk;
      for (;;) {
        const close = text.indexOf('"', j);
        if (close === -1) return traceRowMessages.unterminatedQuote();
        if (text.charCodeAt(close + 1) === 34) {
          value += text.slice(chunk, close + 1);
          j = close + 2;
          chunk = j;
          continue;
        }
        value += text.slice(chunk, close);
        i = close + 1;
        break;
      }
      fields.push(value);
      if (i < text.length && text.charCodeAt(i) !== 44) return traceRowMessages.textAfterQuote();
    } else {
      const comma = text.indexOf(",", i);
      const end = comma === -1 ? text.length : comma;
      fields.push(text.slice(i, end));
      i = end;
    }
    if (i >= text.length) return null;
    i++; // the comma
    if (i === text.length) {
      fields.push("");
      return null;
    }
  }
}
