// Scenario loading, in named phases: read -> parse YAML -> validate (schema) -> check (cross-field)
// -> load key files -> override -> normalise. Every problem of a file is collected and returned
// together; nothing is thrown for bad input.

import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { LineCounter, parseDocument } from "yaml";
import { formatDurationUs } from "../units/index.ts";
import { readKeyFile } from "../workload/keys/index.ts";
import { checkScenario } from "./checks.ts";
import { expectedText, fromZodIssue, sortIssues, SourceMap, type ScenarioIssue } from "./issues.ts";
import { messages } from "./messages.ts";
import { normalizeScenario } from "./normalize.ts";
import { scenarioSchema, type ScenarioInput } from "./schema.ts";
import type { KeysSpec, Scenario } from "./types.ts";

export interface LoadOptions {
  /** Replaces the scenario's duration (tests and quick looks shorten long scenarios). */
  durationUs?: number;
  /** Replaces the scenario's seed. */
  seed?: number;
}

export type LoadResult = { ok: true; scenario: Scenario } | { ok: false; issues: ScenarioIssue[] };

export function loadScenarioFile(file: string, options: LoadOptions = {}): LoadResult {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : String((error as Error).message);
    return { ok: false, issues: [{ file, line: 0, column: 0, path: [], message: messages.notReadable(reason) }] };
  }
  return loadScenarioText(text, file, options);
}

/** Loads scenario text; `file` names it in messages and anchors relative key-file paths. */
export function loadScenarioText(text: string, file: string, options: LoadOptions = {}): LoadResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const source = new SourceMap(file, doc, lineCounter);
  if (doc.errors.length > 0) {
    return fail(doc.errors.map((error) => source.issueAtOffset(error.pos[0], messages.yamlSyntax(firstLine(error.message)))));
  }
  if (doc.contents === null) return fail([source.issue([], messages.emptyFile)]);

  const parsed = scenarioSchema.safeParse(doc.toJS({ maxAliasCount: 1000 }), {
    reportInput: true,
    error: (issue) => expectedText(issue),
  });
  if (!parsed.success) return fail(parsed.error.issues.flatMap((issue) => fromZodIssue(issue, source)));

  const input = parsed.data;
  const issues = checkScenario(input).map((issue) => source.issue(issue.path, issue.message, { atKey: issue.atKey }));
  const keyFiles = loadKeyFiles(input, file, source, issues);
  if (issues.length > 0) return fail(issues);
  const adjustments = applyOverrides(input, options);

  const sha256 = createHash("sha256").update(text).digest("hex");
  const scenario = normalizeScenario(input, (index) => keyFiles.get(index) ?? (input.workload[index].keys as KeysSpec), { file, sha256 }, adjustments);
  return { ok: true, scenario };
}

function fail(issues: ScenarioIssue[]): LoadResult {
  return { ok: false, issues: sortIssues(issues) };
}

function firstLine(text: string): string {
  return text.split("\n")[0].trim();
}

function loadKeyFiles(input: ScenarioInput, file: string, source: SourceMap, issues: ScenarioIssue[]): Map<number, KeysSpec> {
  const loaded = new Map<number, KeysSpec>();
  input.workload.forEach((producer, index) => {
    const keys = producer.keys;
    if (keys.distribution !== "file") return;
    const path: Array<string | number> = ["workload", index, "keys", "path"];
    const keyFilePath = resolve(dirname(file), keys.path);
    let parsed;
    try {
      parsed = readKeyFile(keyFilePath, keys.format === undefined ? {} : { format: keys.format });
    } catch (error) {
      issues.push(source.issue(path, messages.keyFileUnreadable(keys.path, (error as NodeJS.ErrnoException).code ?? String(error))));
      return;
    }
    for (const problem of parsed.issues) issues.push(source.issue(path, messages.keyFileIssue(keys.path, problem.line, problem.message)));
    if (parsed.issues.length === 0 && parsed.keys.length === 0) issues.push(source.issue(path, messages.keyFileEmpty(keys.path)));
    loaded.set(index, { distribution: "file", path: keys.path, keys: parsed.keys, counts: parsed.counts });
  });
  return loaded;
}

/**
 * Command-line overrides replace the file's values. A shortened run keeps its warm-up when it fits;
 * otherwise the warm-up shrinks in proportion, and the result says so.
 */
function applyOverrides(input: ScenarioInput, options: LoadOptions): string[] {
  const adjustments: string[] = [];
  if (options.seed !== undefined) {
    adjustments.push(messages.seedOverridden(input.seed, options.seed));
    input.seed = options.seed;
  }
  if (options.durationUs !== undefined) {
    const fromUs = input.duration;
    adjustments.push(messages.durationOverridden(formatDurationUs(fromUs), formatDurationUs(options.durationUs)));
    if (input.warmup >= options.durationUs) {
      const warmupUs = Math.floor((input.warmup * options.durationUs) / fromUs);
      adjustments.push(messages.warmupScaled(formatDurationUs(input.warmup), formatDurationUs(warmupUs)));
      input.warmup = warmupUs;
    }
    input.duration = options.durationUs;
  }
  return adjustments;
}
