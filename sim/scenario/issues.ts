// Scenario issues: every problem found in a file, each placed at file:line:col with its field path.
// Validation collects all of them (zod style: {path, message}); this module places and words them.

import { isMap, isPair, isScalar, type Document, type LineCounter, type Node } from "yaml";
import type { z } from "zod";
import { closest } from "./didyoumean.ts";
import { knownFieldsAt } from "./known-fields.ts";
import {
  describeFound,
  expectedFound,
  formatPath,
  missingField,
  oneOf,
  typeNames,
  unknownField,
  withSuggestion,
  messages,
  type PathSegment,
} from "./messages.ts";

export interface ScenarioIssue {
  file: string;
  line: number;
  column: number;
  path: PathSegment[];
  message: string;
}

export function formatIssue(issue: ScenarioIssue): string {
  const message = printable(issue.message);
  if (issue.line === 0) return `${printable(issue.file)}: ${message}`;
  const where = `${printable(issue.file)}:${issue.line}:${issue.column}`;
  return issue.path.length === 0 ? `${where} ${message}` : `${where} ${printable(formatPath(issue.path))}: ${message}`;
}

/** An issue as `validate --json` writes it: where, which field, what was expected and what was found. */
export interface IssueJson {
  file: string;
  /** 1-based; 0 when the problem is the file itself (unreadable, too big). */
  line: number;
  column: number;
  /** The field's path, as keys and list indexes; [] for the whole document. */
  path: PathSegment[];
  /** The same path as the messages print it (`systems[0].producer.linger`); "" for the whole document. */
  field: string;
  /** What the format expects there, as the message words it; null when the message states no expectation. */
  expected: string | null;
  /** What the file has there, as the message words it (a quoted value, "nothing" when missing); null when not stated. */
  found: string | null;
  /** A suggestion the message ends with ("did you mean ...", "add a unit ..."); null without one. */
  hint: string | null;
  message: string;
}

/**
 * The structured form of an issue. Every message is worded by messages.ts helpers, "expected E, found F"
 * (expectedFound), "missing; expected E" (missingField) or "unknown field "K"; ... expected one of: ..."
 * (unknownField), so the two parts are read back from the wording they were written with.
 */
export function issueJson(issue: ScenarioIssue): IssueJson {
  const { file, line, column, path, message } = issue;
  return { file, line, column, path, field: formatPath(path), ...expectedAndFound(message), message };
}

function expectedAndFound(message: string): { expected: string | null; found: string | null; hint: string | null } {
  const missing = /^missing; expected (.+)$/s.exec(message);
  if (missing !== null) return { expected: missing[1], found: "nothing", hint: null };
  const unknown = /^unknown field ("(?:[^"\\]|\\.)*"); (?:(did you mean "[^"]*"\?) )?expected (one of: .+)$/s.exec(message);
  if (unknown !== null) return { expected: unknown[3], found: `the field ${unknown[1]}`, hint: unknown[2] ?? null };
  const pair = /(?:^|; |: )expected (.+?), found (.+?)(?: \(((?:did you mean|add a unit)[^()]*)\))?$/s.exec(message);
  if (pair !== null) return { expected: pair[1], found: pair[2], hint: pair[3] ?? null };
  const expectedOnly = /(?:^|; |: )expected (.+)$/s.exec(message);
  return { expected: expectedOnly?.[1] ?? null, found: null, hint: null };
}

/** Longest issue message printed; a longer one (a token of binary junk, a huge value) is cut with a count. */
const printedMessageCharsMax = 2000;

/**
 * A message as it is safe to print on a terminal: control characters from the user's file (escape
 * sequences could recolour the screen or retitle the window) are shown as \xNN, and an overlong
 * message is cut, saying how much was left out.
 */
export function printable(text: string): string {
  const escaped = text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`);
  if (escaped.length <= printedMessageCharsMax) return escaped;
  return `${escaped.slice(0, printedMessageCharsMax)}... (${(escaped.length - printedMessageCharsMax).toLocaleString("en-US")} more characters)`;
}

/** Most problems printed for one file; the rest are counted in one final line. */
export const printedIssuesMax = 100;

/** The lines to print for a file's issues: at most printedIssuesMax, then how many more there are. */
export function issueLines(issues: readonly ScenarioIssue[], file: string): string[] {
  const lines = issues.slice(0, printedIssuesMax).map(formatIssue);
  const more = issues.length - lines.length;
  if (more > 0) lines.push(`${file}: ${more.toLocaleString("en-US")} more problem${more === 1 ? "" : "s"} not shown`);
  return lines;
}

/** Issues sorted by position in the file, then path, so output is stable and reads top to bottom. */
export function sortIssues(issues: ScenarioIssue[]): ScenarioIssue[] {
  return [...issues].sort(
    (a, b) => a.line - b.line || a.column - b.column || formatPath(a.path).localeCompare(formatPath(b.path)),
  );
}

/** Where a path points in the YAML source: the value's node, or its nearest existing parent. */
export class SourceMap {
  constructor(
    readonly file: string,
    private readonly doc: Document | undefined,
    private readonly lineCounter: LineCounter,
  ) {}

  /**
   * The value the user wrote at `path` when it is a scalar (before any unit conversion), so that
   * "found" quotes the file, not a converted number; `fallback` otherwise.
   */
  writtenValue(path: PathSegment[], fallback: unknown): unknown {
    if (this.doc === undefined) return fallback;
    const node = path.length === 0 ? this.doc.contents : this.doc.getIn(path, true);
    return isScalar(node) ? node.value : fallback;
  }

  issue(path: PathSegment[], message: string, options: { atKey?: boolean } = {}): ScenarioIssue {
    const { line, column } = this.position(path, options.atKey ?? false);
    return { file: this.file, line, column, path, message };
  }

  /** A position from a byte offset (for YAML parser errors). */
  issueAtOffset(offset: number, message: string): ScenarioIssue {
    const { line, col } = this.lineCounter.linePos(offset);
    return { file: this.file, line, column: col, path: [], message };
  }

  private position(path: PathSegment[], atKey: boolean): { line: number; column: number } {
    if (this.doc === undefined) return { line: 0, column: 0 };
    for (let depth = path.length; depth >= 0; depth--) {
      const offset = atKey && depth === path.length ? this.keyOffset(path) : this.valueOffset(path.slice(0, depth));
      if (offset !== undefined) {
        const { line, col } = this.lineCounter.linePos(offset);
        return { line, column: col };
      }
    }
    return { line: 1, column: 1 };
  }

  private valueOffset(path: PathSegment[]): number | undefined {
    const node = path.length === 0 ? this.doc!.contents : this.doc!.getIn(path, true);
    return (node as Node | null | undefined)?.range?.[0];
  }

  private keyOffset(path: PathSegment[]): number | undefined {
    const parent = path.length === 1 ? this.doc!.contents : this.doc!.getIn(path.slice(0, -1), true);
    if (!isMap(parent)) return undefined;
    // One index per mapping, so placing an issue on each of 200,000 unknown keys stays linear.
    let offsets = this.keyOffsets.get(parent);
    if (offsets === undefined) {
      offsets = new Map();
      for (const pair of parent.items) {
        if (isPair(pair) && isScalar(pair.key) && !offsets.has(pair.key.value)) offsets.set(pair.key.value, pair.key.range?.[0]);
      }
      this.keyOffsets.set(parent, offsets);
    }
    return offsets.get(path[path.length - 1]);
  }

  private readonly keyOffsets = new WeakMap<object, Map<unknown, number | undefined>>();
}

/** Words one zod issue (with reportInput on) as one or more scenario issues; `document` is the parsed file. */
export function fromZodIssue(issue: z.core.$ZodIssue, source: SourceMap, document: unknown): ScenarioIssue[] {
  const path = issue.path as PathSegment[];
  if (issue.code === "unrecognized_keys") {
    const known = knownFieldsAt(path, document);
    const traced = isTraceEntry(path, document);
    return issue.keys.map((key) =>
      source.issue([...path, key], traced && syntheticFields.includes(key) ? messages.traceWithSynthetic(key) : unknownField(key, closest(key, known), known), { atKey: true }),
    );
  }
  const input = (issue as { input?: unknown }).input;
  const entry = workloadEntryBranch(issue, input);
  if (entry !== null) return entry.flatMap((inner) => fromZodIssue({ ...inner, path: [...path, ...inner.path] } as z.core.$ZodIssue, source, document));
  if (issue.code === "invalid_union" && "discriminator" in issue && issue.discriminator !== undefined) {
    const options = (issue as { options?: unknown[] }).options ?? [];
    const found = isRecord(input) ? input[issue.discriminator] : undefined;
    const expected = oneOf(options);
    const message =
      found === undefined
        ? missingField(expected)
        : withSuggestion(expectedFound(expected, source.writtenValue(path, found)), closestOption(found, options));
    return [source.issue(path, message)];
  }
  if (input === undefined && (issue.code === "invalid_type" || issue.code === "invalid_union")) {
    return [source.issue(path, missingField(issue.message))];
  }
  const found = source.writtenValue(path, input);
  if (issue.code === "invalid_value") {
    return [source.issue(path, withSuggestion(expectedFound(issue.message, found), closestOption(found, issue.values)))];
  }
  // A check may state what it found in words (e.g. "both") instead of the value.
  const params = issue.code === "custom" ? (issue.params as { found?: string; suggestion?: string } | undefined) : undefined;
  const hint = unitHint(issue.message, found);
  return [source.issue(path, withSuggestion(`expected ${issue.message}, found ${params?.found ?? describeFound(found)}${hint}`, params?.suggestion))];
}

const syntheticFields = ["rate", "recordSize", "keys"];

/** Whether `path` is a workload entry with a trace: field (whose rate, sizes and keys come from the trace). */
function isTraceEntry(path: readonly PathSegment[], document: unknown): boolean {
  if (path.length !== 2 || path[0] !== "workload" || !isRecord(document) || !Array.isArray(document.workload)) return false;
  const entry: unknown = document.workload[path[1] as number];
  return isRecord(entry) && Object.hasOwn(entry, "trace");
}

/**
 * A workload entry is a synthetic producer or, when it has a trace: field, a trace replay: its issues
 * are those of the form it chose (the union's other branch would only add noise). Null for other issues.
 */
function workloadEntryBranch(issue: z.core.$ZodIssue, input: unknown): z.core.$ZodIssue[] | null {
  const path = issue.path;
  if (issue.code !== "invalid_union" || path.length !== 2 || path[0] !== "workload" || !isRecord(input)) return null;
  const errors = (issue as { errors?: z.core.$ZodIssue[][] }).errors;
  if (errors === undefined || errors.length !== 2) return null;
  return errors[Object.hasOwn(input, "trace") ? 1 : 0];
}

/** A bare number where a duration or size is expected most often lacks its unit. */
function unitHint(expected: string, found: unknown): string {
  if (typeof found !== "number") return "";
  if (expected.startsWith("a duration")) return ` (add a unit, e.g. "${found}ms" or "${found}s")`;
  if (expected.startsWith("a size")) return ` (add a unit, e.g. "${found}B")`;
  return "";
}

/** The parse-level error map: "expected ..." texts for checks whose schema gave no wording. */
export function expectedText(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case "invalid_type":
      return typeNames[issue.expected] ?? `a ${issue.expected}`;
    case "invalid_value":
      return oneOf(issue.values);
    case "too_small":
      return issue.origin === "array" ? `at least ${issue.minimum} item(s)` : `a value of at least ${issue.minimum}`;
    case "too_big":
      return issue.origin === "array" ? `at most ${issue.maximum} item(s)` : `a value of at most ${issue.maximum}`;
    case "invalid_union":
      return "one of the accepted forms";
    default:
      return undefined;
  }
}

function closestOption(found: unknown, options: readonly unknown[]): string | undefined {
  if (typeof found !== "string") return undefined;
  return closest(found, options.filter((option): option is string => typeof option === "string"));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
