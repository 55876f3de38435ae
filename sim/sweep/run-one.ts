// One run of a sweep: load the scenario with the combination's values and the replication's seed,
// exactly as `streamsim run` would load that file, run it, and reduce the result to headline metrics.
// A run that cannot be loaded or finished becomes a failed row; it never stops the other runs.

import { runScenario, type ScenarioResult } from "../run/index.ts";
import { formatIssue, loadScenarioText, type ParameterEdit } from "../scenario/index.ts";
import { formatPath } from "../scenario/messages.ts";
import { sweepMessages as say } from "./messages.ts";
import type { RunJob, RunRow } from "./plan.ts";

/**
 * Reduces a run's result to numbers by metric path. Summaries are built by reports/, which this
 * layer may not import: the composition root passes this function in.
 */
export type Summarise = (result: ScenarioResult, metricPaths: string[]) => Record<string, number | null>;

export function runOne(job: RunJob, summarise: Summarise): RunRow {
  const row = { run: job.run, combination: job.combination, replication: job.replication, seed: job.seed };
  const loaded = loadScenarioText(job.text, job.file, {
    seed: job.seed,
    durationUs: job.durationUs ?? undefined,
    edits: job.edits,
    allowOutsideKeyFiles: job.allowOutsideKeyFiles,
  });
  if (!loaded.ok) return { ...row, status: "failed", error: loaded.issues.map(formatIssue).join("; ") + sweepValuesText(job.edits), metrics: {} };
  try {
    const result = runScenario(loaded.scenario, { eventBudget: job.eventBudget ?? undefined });
    return { ...row, status: "ok", error: null, metrics: summarise(result, job.metricPaths) };
  } catch (error) {
    return { ...row, status: "failed", error: error instanceof Error ? error.message : String(error), metrics: {} };
  }
}

/** A failed load names the values the sweep put in, which the file's line does not show; "" for a run with none. */
function sweepValuesText(edits: readonly ParameterEdit[]): string {
  return edits.length === 0 ? "" : say.runValues(edits.map((edit) => `${formatPath(edit.path)} = ${JSON.stringify(edit.value)}`));
}
