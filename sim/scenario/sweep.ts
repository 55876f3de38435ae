// The sweep block resolved against its scenario: parameter names become document paths (list entries
// addressed by their name, e.g. systems.kds -> systems[0]), the grid is expanded, the goal is checked.
// Bad names are issues placed on the sweep block; values are checked in load.ts by loading the
// scenario with each value applied, so a bad value reads like the same mistake made in the scenario.

import { closest } from "./didyoumean.ts";
import { knownFieldsAt } from "./known-fields.ts";
import { formatPath, messages, type PathSegment } from "./messages.ts";
import type { PathIssue } from "./checks.ts";
import { sweepRunsMax, type ParameterValue, type SweepInput } from "./sweep-schema.ts";
import { metricPathProblem } from "./sweep-metrics.ts";

export type { ParameterValue };

export interface SweepParameter {
  /** As the user wrote it: systems.kds.capacity.shards. */
  name: string;
  /** Where it points in the scenario document: ["systems", 0, "capacity", "shards"]. */
  path: PathSegment[];
}

export interface SweepGoal {
  /** A system name, then a path into that system's summary.json entry (consumers and partitions by name or id). */
  metric: string;
  bound: "below" | "above";
  limit: number;
  direction: "minimise" | "maximise";
  parameter: string;
}

export interface SweepSpec {
  parameters: SweepParameter[];
  /** One value per parameter, in parameter order; a grid is expanded with the first parameter varying slowest. */
  combinations: ParameterValue[][];
  /** Whether the combinations are the full grid of `parameters:` (else listed under `combinations:`). */
  grid: boolean;
  replications: number;
  goal: SweepGoal | null;
}

/** A value put into the scenario document before it is validated. */
export interface ParameterEdit {
  path: PathSegment[];
  value: ParameterValue;
}

/**
 * `spec` is null when there is any issue; `valuesSpec` is the spec whenever the parameters and
 * combinations resolved (a goal issue aside), so that every value can still be checked and all
 * problems reported at once.
 */
export function resolveSweep(sweep: SweepInput, document: unknown): { spec: SweepSpec | null; valuesSpec?: SweepSpec; issues: PathIssue[] } {
  const issues: PathIssue[] = [];
  if (sweep.parameters !== undefined && sweep.combinations !== undefined) {
    return { spec: null, issues: [{ path: ["sweep", "combinations"], message: messages.sweepBothForms, atKey: true }] };
  }
  const grid = sweep.combinations === undefined;
  const names = grid ? Object.keys(sweep.parameters ?? {}) : firstSeenKeys(sweep.combinations!);
  const parameters: SweepParameter[] = [];
  for (const name of names) {
    const at = grid ? ["sweep", "parameters", name] : ["sweep", "combinations", sweep.combinations!.findIndex((c) => name in c), name];
    const resolved = resolveParameterPath(name, document);
    if (typeof resolved === "string") issues.push({ path: at, message: resolved, atKey: true });
    else parameters.push({ name, path: resolved });
  }
  // Counted before anything is expanded: 30 values of 5 parameters is 24.3 million combinations.
  const lists = grid ? names.map((name) => sweep.parameters![name]) : [];
  const runCount = (grid ? lists.reduce((product, values) => product * values.length, 1) : sweep.combinations!.length) * sweep.replications;
  if (runCount > sweepRunsMax) {
    const at = grid ? ["sweep", "parameters"] : ["sweep", "combinations"];
    return { spec: null, issues: [...issues, { path: at, message: messages.sweepTooManyRuns(runCount, sweepRunsMax), atKey: true }] };
  }
  let combinations: ParameterValue[][];
  if (grid) combinations = gridOf(lists);
  else {
    combinations = sweep.combinations!.map((combination, index) => {
      for (const name of names) {
        if (!(name in combination)) issues.push({ path: ["sweep", "combinations", index], message: messages.sweepMissingInCombination(name) });
      }
      return names.map((name) => combination[name]);
    });
  }
  const valuesCheckable = issues.length === 0;
  const unresolved = names.length - parameters.length;
  const goal = sweep.goal === undefined ? null : resolveGoal(sweep.goal, names, combinations, document, issues, unresolved);
  const spec = { parameters, combinations, grid, replications: sweep.replications, goal };
  if (issues.length > 0) return { spec: null, valuesSpec: valuesCheckable ? { ...spec, goal: null } : undefined, issues };
  return { spec, issues };
}

/** The edits that set one combination's values. */
export function editsFor(spec: SweepSpec, combination: number): ParameterEdit[] {
  return spec.parameters.map((parameter, index) => ({ path: parameter.path, value: spec.combinations[combination][index] }));
}

/**
 * Checks every value by loading the scenario with it applied (`issuesWith` returns that load's issues).
 * Grid values are checked one at a time (a combination invalid only together becomes a failed run);
 * listed combinations are checked whole.
 */
export function checkSweepValues(
  spec: SweepSpec,
  issuesWith: (edits: ParameterEdit[]) => PathIssue[],
  sweep: SweepInput,
): PathIssue[] {
  const issues: PathIssue[] = [];
  const place = (edits: ParameterEdit[], at: (index: number) => PathSegment[]) => {
    for (const issue of issuesWith(edits)) {
      const index = spec.parameters.findIndex((parameter) => formatPath(parameter.path) === formatPath(issue.path));
      const path = index >= 0 ? at(index) : at(-1);
      const message = index >= 0 ? issue.message : messages.sweepValueElsewhere(formatPath(issue.path), issue.message);
      issues.push({ path, message });
    }
  };
  if (spec.grid) {
    for (const parameter of spec.parameters) {
      sweep.parameters![parameter.name].forEach((value, valueIndex) => {
        place([{ path: parameter.path, value }], () => ["sweep", "parameters", parameter.name, valueIndex]);
      });
    }
  } else {
    spec.combinations.forEach((_, combination) => {
      place(editsFor(spec, combination), (index) =>
        index >= 0 ? ["sweep", "combinations", combination, spec.parameters[index].name] : ["sweep", "combinations", combination],
      );
    });
  }
  return issues;
}

/** A parameter name as a document path, or the message saying why it names no field. */
export function resolveParameterPath(name: string, document: unknown): PathSegment[] | string {
  const segments = name.split(".");
  if (segments.some((segment) => segment === "") || ["sweep", "name", "seed"].includes(segments[0])) return messages.sweepNotAField(name);
  const path: PathSegment[] = [];
  let node: unknown = document;
  for (const [depth, segment] of segments.entries()) {
    const at = segments.slice(0, depth).join(".") || "(scenario)";
    if (Array.isArray(node)) {
      const entryNames = node.map(entryName);
      const index = /^\d+$/.test(segment) ? Number(segment) : entryNames.indexOf(segment);
      if (index < 0 || index >= node.length) {
        const known = entryNames.filter((entry): entry is string => entry !== undefined);
        return messages.sweepNoItem(at, segment, known, closest(segment, known));
      }
      path.push(index);
      node = node[index];
      continue;
    }
    if (node !== undefined && !isRecord(node)) return messages.sweepNoFields(at, segment);
    const known = knownFieldsAt(path, document).filter((field) => !(path.length === 0 && field === "sweep"));
    if (!known.includes(segment)) {
      if (known.length === 0) return messages.sweepNoFields(at, segment);
      return messages.sweepUnknownField(at, segment, closest(segment, known), known);
    }
    path.push(segment);
    node = isRecord(node) ? node[segment] : undefined;
  }
  if (isRecord(node) || Array.isArray(node)) return messages.sweepNotAValue(name);
  return path;
}

function resolveGoal(
  goal: NonNullable<SweepInput["goal"]>,
  names: string[],
  combinations: ParameterValue[][],
  document: unknown,
  issues: PathIssue[],
  unresolvedParameters: number,
): SweepGoal | null {
  const before = issues.length;
  if ((goal.below === undefined) === (goal.above === undefined)) issues.push({ path: ["sweep", "goal"], message: messages.goalOneBound });
  if ((goal.minimise === undefined) === (goal.maximise === undefined)) issues.push({ path: ["sweep", "goal"], message: messages.goalOneDirection });
  const direction = goal.minimise !== undefined ? "minimise" : "maximise";
  const parameter = goal.minimise ?? goal.maximise ?? "";
  const index = names.indexOf(parameter);
  // A goal naming a real field while a swept name is misspelt is that misspelling again: say it once, there.
  const misspeltParameter = unresolvedParameters > 0 && typeof resolveParameterPath(parameter, document) !== "string";
  if (parameter !== "" && index < 0 && !misspeltParameter) {
    issues.push({ path: ["sweep", "goal", direction], message: messages.goalNotParameter(parameter, names, closest(parameter, names)) });
  } else if (index >= 0 && combinations.some((combination) => typeof combination[index] !== "number")) {
    issues.push({ path: ["sweep", "goal", direction], message: messages.goalNotNumeric(parameter) });
  }
  const metricIssue = checkMetricPath(goal.metric, document);
  if (metricIssue !== undefined) issues.push({ path: ["sweep", "goal", "metric"], message: metricIssue });
  if (issues.length > before) return null;
  const bound = goal.below !== undefined ? "below" : "above";
  return { metric: goal.metric, bound, limit: (goal.below ?? goal.above)!, direction, parameter };
}

/** A metric path must name a system (and consumer) of the scenario, then lead to a number of its summary.json entry. */
function checkMetricPath(metric: string, document: unknown): string | undefined {
  const [systemName, ...segments] = metric.split(".");
  const [section, consumerName] = segments;
  const systems = (isRecord(document) && Array.isArray(document.systems) ? document.systems : []) as unknown[];
  const systemNames = systems.map(entryName).filter((name): name is string => name !== undefined);
  const system = systems[systemNames.indexOf(systemName)];
  if (system === undefined) return messages.goalUnknownSystem(systemName, systemNames, closest(systemName, systemNames));
  const record = system as Record<string, unknown>;
  if (section === "consumers" && consumerName !== undefined) {
    const list = (Array.isArray(record.consumers) ? record.consumers : Array.isArray(record.consumerGroups) ? record.consumerGroups : []) as unknown[];
    const consumers = list.map(entryName).filter((name): name is string => name !== undefined);
    if (!consumers.includes(consumerName)) return messages.goalUnknownConsumer(consumerName, systemName, consumers, closest(consumerName, consumers));
  }
  return metricPathProblem(systemName, typeof record.kind === "string" ? record.kind : "", segments);
}

/** A list entry's name: systems and consumers have `name`, producers `producer`. */
function entryName(entry: unknown): string | undefined {
  if (!isRecord(entry)) return undefined;
  const name = entry.name ?? entry.producer;
  return typeof name === "string" ? name : undefined;
}

function firstSeenKeys(combinations: Array<Record<string, ParameterValue>>): string[] {
  const names: string[] = [];
  for (const combination of combinations) for (const name of Object.keys(combination)) if (!names.includes(name)) names.push(name);
  return names;
}

/** Every combination of the lists' values, the first list varying slowest. */
function gridOf(lists: ParameterValue[][]): ParameterValue[][] {
  let combinations: ParameterValue[][] = [[]];
  for (const values of lists) combinations = combinations.flatMap((prefix) => values.map((value) => [...prefix, value]));
  return combinations;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
