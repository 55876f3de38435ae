// Scenario loading, in named phases: read -> parse YAML -> validate (schema) -> check (cross-field)
// -> load key files -> override -> normalise. Every problem of a file is collected and returned
// together; nothing is thrown for bad input.

import { createHash } from "node:crypto";
import { readFileSync, realpathSync, statSync } from "node:fs";
import { dirname, isAbsolute, relative, resolve, sep } from "node:path";
import { LineCounter, parseDocument, type Node, type YAMLError } from "yaml";
import { formatDurationUs, scaleDurationUs } from "../units/index.ts";
import { readKeyFile } from "../workload/keys/index.ts";
import { scanTrace, type TraceFormat } from "../workload/trace/index.ts";
import { copiesMax, parseIsoUs } from "../workload/trace/index.ts";
import { checkRecordSizes, checkScenario } from "./checks.ts";
import { expectedText, fromZodIssue, sortIssues, SourceMap, type ScenarioIssue } from "./issues.ts";
import { messages } from "./messages.ts";
import { nestingDepthMax, treeProblems } from "./yaml-checks.ts";
import { checkRunLimits } from "./limits.ts";
import { historySpanUs, readHistory, historyMessages, type LoadedHistory } from "./history.ts";
import { defaultStart, normalizeScenario } from "./normalize.ts";
import { scenarioSchema, type ScenarioInput } from "./schema.ts";
import type { KeysSpec, Scenario, TraceKeysSpec, TraceSpec } from "./types.ts";
import { checkSweepValues, resolveSweep, type ParameterEdit, type SweepSpec } from "./sweep.ts";
import type { PathIssue } from "./checks.ts";

export interface LoadOptions {
  /** Replaces the scenario's duration (tests and quick looks shorten long scenarios). */
  durationUs?: number;
  /** Replaces the scenario's seed. */
  seed?: number;
  /**
   * The values of one sweep combination, put into the document before it is validated, so a run of a
   * sweep is exactly the run of a file with those values written in. The sweep block is then not
   * checked again and the scenario's sweep is null.
   */
  edits?: ParameterEdit[];
  /**
   * Reads key files named by an absolute path or lying outside the scenario's folder (the CLI's
   * --allow-outside-key-files). Off by default: a scenario is data and may not read the machine.
   */
  allowOutsideKeyFiles?: boolean;
}

export type LoadResult = { ok: true; scenario: Scenario } | { ok: false; issues: ScenarioIssue[] };

/** Largest scenario file read: real ones are a few kilobytes; a runaway or binary file is refused unread. */
export const scenarioBytesMax = 16 * 1024 * 1024;

/** The file name that stands for standard input, and how issues name it; key files are then relative to the working directory. */
export const standardInputFile = "-";
export const standardInputName = "<stdin>";

export function loadScenarioFile(file: string, options: LoadOptions = {}): LoadResult {
  if (file === standardInputFile) return loadStandardInput(options);
  let text: string;
  try {
    const stats = statSync(file);
    if (stats.isFile() && stats.size > scenarioBytesMax) {
      return { ok: false, issues: [{ file, line: 0, column: 0, path: [], message: messages.scenarioTooBig(stats.size, scenarioBytesMax) }] };
    }
    if (!stats.isFile() && !stats.isDirectory()) return { ok: false, issues: [{ file, line: 0, column: 0, path: [], message: messages.notReadable("not a regular file") }] };
    text = readFileSync(file, "utf8");
  } catch (error) {
    return { ok: false, issues: [{ file, line: 0, column: 0, path: [], message: messages.notReadable(readFailure(error)) }] };
  }
  return loadScenarioText(text, file, options);
}

/** A scenario piped in (`streamsim run -`): read whole, up to scenarioBytesMax. */
function loadStandardInput(options: LoadOptions): LoadResult {
  const file = standardInputName;
  let text: string;
  try {
    text = readFileSync(0, "utf8");
  } catch (error) {
    return { ok: false, issues: [{ file, line: 0, column: 0, path: [], message: messages.notReadable(readFailure(error)) }] };
  }
  const bytes = Buffer.byteLength(text, "utf8");
  if (bytes > scenarioBytesMax) return { ok: false, issues: [{ file, line: 0, column: 0, path: [], message: messages.scenarioTooBig(bytes, scenarioBytesMax) }] };
  return loadScenarioText(text, file, options);
}

/** Loads scenario text; `file` names it in messages and anchors relative key-file paths. */
export function loadScenarioText(original: string, file: string, options: LoadOptions = {}): LoadResult {
  // A file with old Mac line endings (CR alone) is read as lines, not as one long line.
  const text = original.includes("\n") ? original : original.replace(/\r/g, "\n");
  const lineCounter = new LineCounter();
  // Duplicate keys are found by treeProblems (linear), not by the parser (quadratic in a mapping's size).
  const doc = parseDocument(text, { lineCounter, uniqueKeys: false, prettyErrors: false, merge: true });
  const source = new SourceMap(file, doc, lineCounter);
  const tree = treeProblems(doc.contents as Node | null).map((problem) =>
    source.issueAtOffset(problem.offset, problem.kind === "duplicate" ? messages.duplicateKey(problem.key!) : messages.nestingTooDeep(nestingDepthMax)),
  );
  if (doc.errors.length > 0 || tree.length > 0) {
    // The parser runs out of stack on very deep nesting; the depth message says it once.
    const tooDeep = (error: YAMLError) => error.message.includes("Maximum call stack size exceeded");
    const errors = tree.length > 0 ? doc.errors.filter((error) => !tooDeep(error)) : doc.errors;
    return fail([...errors.map((error) => source.issueAtOffset(error.pos[0], tooDeep(error) ? messages.nestingTooDeep(nestingDepthMax) : yamlErrorMessage(error))), ...tree]);
  }
  if (doc.contents === null) return fail([source.issue([], messages.emptyFile)]);
  for (const edit of options.edits ?? []) doc.setIn(edit.path, edit.value);

  let document: unknown;
  try {
    document = doc.toJS({ maxAliasCount: 1000 });
  } catch (error) {
    // Unresolved aliases and alias bombs surface only when the document is built.
    const message = (error as Error).message;
    if (error instanceof RangeError && message.includes("call stack")) return fail([source.issue([], messages.nestingTooDeep(nestingDepthMax))]);
    return fail([source.issue([], messages.yamlSyntax(firstLine(message)))]);
  }
  const parsed = scenarioSchema.safeParse(document, { reportInput: true, error: (issue) => expectedText(issue) });
  if (!parsed.success) return fail(parsed.error.issues.flatMap((issue) => fromZodIssue(issue, source, document)));

  const input = parsed.data;
  const issues = checkScenario(input).map((issue) => source.issue(issue.path, issue.message, { atKey: issue.atKey }));
  const keyFiles = loadKeyFiles(input, file, source, issues, options.allowOutsideKeyFiles ?? false);
  const traces = loadTraces(input, file, source, issues, options.allowOutsideKeyFiles ?? false);
  const keysOf = (index: number): KeysSpec => {
    const entry = input.workload[index];
    return "trace" in entry ? (traces.get(index)?.keys ?? emptyTraceKeys) : (keyFiles.get(index) ?? (entry.keys as KeysSpec));
  };
  const histories = loadHistories(input, file, source, issues, options.allowOutsideKeyFiles ?? false);
  if (issues.length === 0) issues.push(...checkRecordSizes(input, keysOf).map((issue) => source.issue(issue.path, issue.message)));
  const sweep = options.edits === undefined ? checkSweep(input, document, issues.length === 0, text, file, options.allowOutsideKeyFiles) : { spec: null, issues: [] };
  issues.push(...sweep.issues.map((issue) => source.issue(issue.path, issue.message, { atKey: issue.atKey })));
  if (issues.length > 0) return fail(issues);
  const adjustments = applyOverrides(input, options);
  const coverage = historyCoverage(input, histories);
  if (coverage.length > 0) return fail(coverage.map((issue) => source.issue(issue.path, issue.message)));
  const limits = checkRunLimits(input);
  if (limits.length > 0) return fail(limits.map((issue) => source.issue(issue.path, issue.message)));

  const sha256 = createHash("sha256").update(original).digest("hex");
  const scenario = { ...normalizeScenario(input, keysOf, { file, sha256 }, adjustments, (index) => traces.get(index)?.trace, (index) => histories.get(index)), sweep: sweep.spec };
  return { ok: true, scenario };
}

/** Resolves the sweep block; when the base scenario is valid, also checks every value it sets. */
function checkSweep(input: ScenarioInput, document: unknown, baseValid: boolean, text: string, file: string, allowOutsideKeyFiles?: boolean) {
  if (input.sweep === undefined) return { spec: null as SweepSpec | null, issues: [] as PathIssue[] };
  // Replication r runs with seed + r: past 2^53 - 1 two replications would share a seed.
  // (Compared without adding: seed + r rounds above 2^53.)
  if (input.seed > Number.MAX_SAFE_INTEGER - (input.sweep.replications - 1)) {
    return { spec: null, issues: [{ path: ["sweep", "replications"], message: messages.sweepSeedsOverflow(input.seed, input.sweep.replications) }] };
  }
  const resolved = resolveSweep(input.sweep, document);
  const checkable = resolved.spec ?? resolved.valuesSpec;
  if (checkable === undefined || !baseValid) return resolved;
  const issuesWith = (edits: ParameterEdit[]): PathIssue[] => {
    const loaded = loadScenarioText(text, file, { edits, allowOutsideKeyFiles });
    return loaded.ok ? [] : loaded.issues.map((issue) => ({ path: issue.path, message: issue.message }));
  };
  const issues = [...resolved.issues, ...checkSweepValues(checkable, issuesWith, input.sweep)];
  return { spec: issues.length > 0 ? null : resolved.spec, issues };
}

/** Why a file could not be read, in words; `lookedFor` names where a derived path pointed. */
function readFailure(error: unknown, lookedFor?: string): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ENOENT") return lookedFor === undefined ? "no such file" : `no such file (looked for ${relative(".", lookedFor)})`;
  if (code === "EISDIR") return "it is a directory, not a file";
  if (code === "EACCES") return "permission denied";
  return (error as Error).message;
}

function fail(issues: ScenarioIssue[]): LoadResult {
  return { ok: false, issues: sortIssues(issues) };
}

function firstLine(text: string): string {
  return text.split("\n")[0].trim();
}

/** The parser's message in the user's terms (it drops hints meant for programmers). */
function yamlErrorMessage(error: YAMLError): string {
  if (error.code === "MULTIPLE_DOCS") return messages.multipleDocuments;
  return messages.yamlSyntax(firstLine(error.message).split("; please use")[0]);
}

/** Stands in for a trace's keys until it is read (only reached when loading has already failed). */
const emptyTraceKeys: KeysSpec = { distribution: "trace", path: "", keys: [], counts: new Float64Array(0), copies: 1, hashKeys: null, groups: null };

function loadKeyFiles(input: ScenarioInput, file: string, source: SourceMap, issues: ScenarioIssue[], allowOutside: boolean): Map<number, KeysSpec> {
  const loaded = new Map<number, KeysSpec>();
  input.workload.forEach((producer, index) => {
    if ("trace" in producer) return;
    const keys = producer.keys;
    if (keys.distribution !== "file") return;
    const path: Array<string | number> = ["workload", index, "keys", "path"];
    if (keys.path.includes("\0")) {
      issues.push(source.issue(path, messages.keyFilePathNul));
      return;
    }
    const keyFilePath = resolve(dirname(file), keys.path);
    const outside = allowOutside ? undefined : outsideScenarioFolder(keys.path, keyFilePath, file);
    if (outside !== undefined) {
      issues.push(source.issue(path, messages.keyFileOutside(keys.path, outside)));
      return;
    }
    let parsed;
    try {
      parsed = readKeyFile(keyFilePath, keys.format === undefined ? {} : { format: keys.format });
    } catch (error) {
      issues.push(source.issue(path, messages.keyFileUnreadable(keys.path, readFailure(error, keyFilePath))));
      return;
    }
    for (const problem of parsed.issues) issues.push(source.issue(path, messages.keyFileIssue(keys.path, problem.line, problem.message)));
    if (parsed.issues.length === 0 && parsed.keys.length === 0) issues.push(source.issue(path, messages.keyFileEmpty(keys.path)));
    loaded.set(index, { distribution: "file", path: keys.path, keys: parsed.keys, counts: parsed.counts });
  });
  return loaded;
}

/** Reads and checks every trace a producer replays: the same path rules as key files; each bad row an issue with file:line. */
function loadTraces(input: ScenarioInput, file: string, source: SourceMap, issues: ScenarioIssue[], allowOutside: boolean): Map<number, { keys: TraceKeysSpec; trace: TraceSpec }> {
  const loaded = new Map<number, { keys: TraceKeysSpec; trace: TraceSpec }>();
  input.workload.forEach((producer, index) => {
    if (!("trace" in producer)) return;
    const trace = producer.trace;
    const path: Array<string | number> = ["workload", index, "trace", "path"];
    if (trace.path.includes("\0")) return void issues.push(source.issue(path, messages.keyFilePathNul));
    const tracePath = resolve(dirname(file), trace.path);
    const outside = allowOutside ? undefined : outsideScenarioFolder(trace.path, tracePath, file);
    if (outside !== undefined) return void issues.push(source.issue(path, messages.traceOutside(trace.path, outside)));
    const format: TraceFormat = {
      format: trace.format ?? (/\.(jsonl|ndjson)(\.gz)?$/i.test(trace.path) ? "jsonl" : "csv"),
      columns: {
        time: trace.columns.time,
        key: trace.columns.key,
        size: trace.columns.value === undefined ? (trace.columns.size ?? "size") : null,
        value: trace.columns.value ?? null,
        hashKey: trace.columns.hashKey ?? null,
        group: trace.columns.group ?? null,
      },
      timeFormat: trace.timeFormat,
    };
    const startUs = trace.start === undefined ? null : parseIsoUs(trace.start);
    const endUs = trace.end === undefined ? null : parseIsoUs(trace.end);
    let scan;
    try {
      scan = scanTrace(tracePath, format, { startUs, endUs, reorderWindowUs: trace.reorderWindow });
    } catch (error) {
      return void issues.push(source.issue(path, messages.traceUnreadable(trace.path, readFailure(error, tracePath))));
    }
    for (const problem of scan.issues) issues.push(source.issue(path, messages.keyFileIssue(trace.path, problem.line, problem.message)));
    if (scan.issues.length > 0) return;
    const originUs = startUs ?? scan.firstUs;
    // Without an end, a pass lasts from the origin to the last row plus one mean gap between rows, so the
    // rate across a loop boundary is the trace's mean rate (no gap, no overlap).
    const meanGapUs = scan.records > 1 ? (scan.lastUs - scan.firstUs) / (scan.records - 1) : 1_000_000;
    const periodUs = endUs !== null ? endUs - originUs : Math.max(1, Math.round(scan.lastUs - originUs + meanGapUs));
    const copies = copiesMax(trace.scale);
    const suffixChars = copies > 1 ? 1 + String(copies - 1).length : 0;
    const longest = suffixChars === 0 ? undefined : scan.keys.find((key) => key.length + suffixChars > 256 && [...key].length + suffixChars > 256);
    if (longest !== undefined) return void issues.push(source.issue(["workload", index, "trace", "scale"], messages.traceTwinTooLong(longest, suffixChars)));
    loaded.set(index, {
      keys: { distribution: "trace", path: trace.path, keys: scan.keys, counts: scan.recordsByKey, copies, hashKeys: scan.hashKeys, groups: scan.groups },
      trace: {
        path: trace.path,
        file: tracePath,
        format,
        originUs,
        endUs,
        periodUs,
        loop: trace.loop,
        speed: trace.speed,
        scale: trace.scale,
        reorderWindowUs: trace.reorderWindow,
        indexByKey: scan.indexByKey,
        records: scan.records,
        bytes: scan.bytes,
      },
    });
  });
  return loaded;
}

/** Rate histories named by the workload, read relative to the scenario like key files (and under the same folder rule). */
function loadHistories(input: ScenarioInput, file: string, source: SourceMap, issues: ScenarioIssue[], allowOutside: boolean): Map<number, LoadedHistory> {
  const loaded = new Map<number, LoadedHistory>();
  input.workload.forEach((producer, index) => {
    if ("trace" in producer) return;
    const history = producer.rate.history;
    if (history === undefined) return;
    const path: Array<string | number> = ["workload", index, "rate", "history", "path"];
    if (history.path.includes("\0")) return issues.push(source.issue(path, messages.keyFilePathNul));
    const historyPath = resolve(dirname(file), history.path);
    const outside = allowOutside ? undefined : outsideScenarioFolder(history.path, historyPath, file);
    if (outside !== undefined) return issues.push(source.issue(path, messages.historyOutside(history.path, outside)));
    let read;
    try {
      read = readHistory(historyPath, history);
    } catch (error) {
      return issues.push(source.issue(path, messages.historyUnreadable(history.path, readFailure(error, historyPath))));
    }
    if (Array.isArray(read)) return issues.push(...read.map((message) => source.issue(path, message)));
    loaded.set(index, read);
  });
  return loaded;
}

/** A history must cover the run: start inside it, and the run (after a --duration override) no longer than what follows. */
function historyCoverage(input: ScenarioInput, histories: Map<number, LoadedHistory>): PathIssue[] {
  const issues: PathIssue[] = [];
  const start = input.start ?? defaultStart;
  const startEpochMs = Date.parse(start);
  for (const [index, history] of histories) {
    const { fromUs, toUs } = historySpanUs(history, startEpochMs);
    const path = ["workload", index, "rate", "history", "path"];
    if (history.series.timeBase === "epoch" && (fromUs > 0 || toUs <= 0)) {
      const iso = (us: number) => new Date(startEpochMs + us / 1000).toISOString().replace(".000Z", "Z");
      issues.push({ path: ["start"], message: historyMessages.startOutside(history.path, start, iso(fromUs), iso(toUs)) });
    } else if (toUs < input.duration) {
      issues.push({ path, message: historyMessages.runPastEnd(history.path, formatDurationUs(Math.max(0, toUs)), formatDurationUs(input.duration)) });
    }
  }
  return issues;
}

/**
 * Why a key file may not be read without the opt-in: an absolute path, or one that leaves the
 * scenario's folder (by "..", or by a symbolic link pointing out of it); undefined when it is inside.
 */
function outsideScenarioFolder(written: string, resolved: string, scenarioFile: string): string | undefined {
  if (isAbsolute(written)) return "an absolute path";
  const folder = realOrSelf(resolve(dirname(scenarioFile)));
  const target = realOrSelf(resolved);
  const inside = relative(folder, target);
  if (inside === ".." || inside.startsWith(`..${sep}`) || isAbsolute(inside)) return "a path outside the scenario's folder";
  return undefined;
}

function realOrSelf(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/**
 * Command-line overrides replace the file's values. A shortened run keeps its warm-up when it fits;
 * otherwise the warm-up shrinks in proportion, and the result says so.
 */
function applyOverrides(input: ScenarioInput, options: LoadOptions): string[] {
  const adjustments: string[] = [];
  if (options.seed !== undefined && options.seed !== input.seed) {
    adjustments.push(messages.seedOverridden(input.seed, options.seed));
    input.seed = options.seed;
  }
  if (options.durationUs !== undefined) {
    const fromUs = input.duration;
    adjustments.push(messages.durationOverridden(formatDurationUs(fromUs), formatDurationUs(options.durationUs)));
    if (input.warmup >= options.durationUs) {
      const warmupUs = scaleDurationUs(input.warmup, options.durationUs, fromUs);
      adjustments.push(messages.warmupScaled(formatDurationUs(input.warmup), formatDurationUs(warmupUs)));
      input.warmup = warmupUs;
    }
    input.duration = options.durationUs;
  }
  return adjustments;
}
