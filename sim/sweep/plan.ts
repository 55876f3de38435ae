// A sweep's plan: every (combination, replication) pair as a numbered run, its seed, and the slice of
// runs a shard owns. Runs are numbered combination-major (run = combination x replications +
// replication), and every output is ordered by that number, so results never depend on how many
// workers or machines ran them, nor on the order they finished in.

import { editsFor, type ParameterEdit, type ParameterValue, type Scenario, type SweepGoal } from "../scenario/index.ts";
import { sweepMessages } from "./messages.ts";

export interface SweepPlan {
  scenario: string;
  file: string;
  scenarioSha256: string;
  baseSeed: number;
  /** The --duration override every run uses, if any (microseconds). */
  durationOverrideUs: number | null;
  eventBudget: number | null;
  parameters: string[];
  combinations: ParameterValue[][];
  grid: boolean;
  replications: number;
  goal: SweepGoal | null;
  runCount: number;
  /** How each run's seed is derived, in words, for the outputs. */
  seedRule: string;
}

/** What a worker needs to do one run: the scenario text, the values to put in, the seed. */
export interface RunJob {
  run: number;
  combination: number;
  replication: number;
  seed: number;
  file: string;
  text: string;
  edits: ParameterEdit[];
  durationUs: number | null;
  eventBudget: number | null;
  /** Metric paths to report beside the headline metrics (the goal's). */
  metricPaths: string[];
  /** The sweep's --allow-outside-key-files (absent: key files must lie in the scenario's folder). */
  allowOutsideKeyFiles?: boolean;
}

export interface RunRow {
  run: number;
  combination: number;
  replication: number;
  seed: number;
  status: "ok" | "failed";
  /** Why a failed run failed, in words; null for a run that finished. */
  error: string | null;
  /** Headline metrics by path (kds.consumers.analytics.lagMs.p99); null where the run has no value. */
  metrics: Record<string, number | null>;
}

export interface PlanOptions {
  durationUs?: number;
  eventBudget?: number;
}

/** The plan of the sweep in a loaded scenario (which must have a sweep block). */
export function planSweep(scenario: Scenario, options: PlanOptions = {}): SweepPlan {
  const sweep = scenario.sweep;
  if (sweep === null) throw new Error("planSweep needs a scenario with a sweep block");
  return {
    scenario: scenario.name,
    file: scenario.source.file,
    scenarioSha256: scenario.source.sha256,
    baseSeed: scenario.seed,
    durationOverrideUs: options.durationUs ?? null,
    eventBudget: options.eventBudget ?? null,
    parameters: sweep.parameters.map((parameter) => parameter.name),
    combinations: sweep.combinations,
    grid: sweep.grid,
    replications: sweep.replications,
    goal: sweep.goal,
    runCount: sweep.combinations.length * sweep.replications,
    seedRule: sweepMessages.seedRule(scenario.seed),
  };
}

/**
 * The seed of replication r: the scenario's seed plus r. Replication 0 is the run `streamsim run`
 * does; replication r is `streamsim run --seed <seed + r>` with the combination's values written in.
 * Every random stream is seeded from (seed, stream name) through a hash (engine/random.ts), so
 * neighbouring seeds give unrelated streams.
 */
export function replicationSeed(baseSeed: number, replication: number): number {
  // The loader refuses a sweep whose last seed would pass 2^53 - 1, so this never wraps or collides.
  const seed = baseSeed + replication;
  if (!Number.isSafeInteger(seed)) throw new RangeError(`replication seed ${baseSeed} + ${replication} is not a safe integer`);
  return seed;
}

/** The jobs of the given runs (all runs when `runs` is left out). */
export function jobsFor(plan: SweepPlan, scenario: Scenario, text: string, runs?: number[]): RunJob[] {
  const numbers = runs ?? Array.from({ length: plan.runCount }, (_, run) => run);
  const metricPaths = plan.goal === null ? [] : [plan.goal.metric];
  return numbers.map((run) => {
    const combination = Math.floor(run / plan.replications);
    const replication = run % plan.replications;
    return {
      run,
      combination,
      replication,
      seed: replicationSeed(plan.baseSeed, replication),
      file: plan.file,
      text,
      edits: editsFor(scenario.sweep!, combination),
      durationUs: plan.durationOverrideUs,
      eventBudget: plan.eventBudget,
      metricPaths,
    };
  });
}

/** Sorts rows into run order (the order of every output). */
export function inRunOrder(rows: RunRow[]): RunRow[] {
  return [...rows].sort((a, b) => a.run - b.run);
}
