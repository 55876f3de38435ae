// The goal's answer, read off the grid: the combinations whose metric stays below (or above) the
// bound in every replication, and among them the one with the smallest (or largest) value of the
// goal's parameter. A combination with a failed run, or a run without the metric, does not meet it.

import type { ParameterValue, SweepGoal } from "../scenario/index.ts";
import type { RunRow, SweepPlan } from "./plan.ts";

export interface CombinationVerdict {
  combination: number;
  meets: boolean;
  /** The replication value furthest on the wrong side of the bound (max for below, min for above). */
  worst: number | null;
  failedRuns: number;
  missingRuns: number;
}

export interface GoalAnswer {
  goal: SweepGoal;
  /** The chosen combination, or null when none meets the goal. */
  combination: number | null;
  value: ParameterValue | null;
  replications: number;
  verdicts: CombinationVerdict[];
}

export function evaluateGoal(plan: SweepPlan, rows: RunRow[]): GoalAnswer | null {
  const goal = plan.goal;
  if (goal === null) return null;
  const parameterIndex = plan.parameters.indexOf(goal.parameter);
  const verdicts = plan.combinations.map((_, combination) => verdictOf(goal, combination, rows.filter((row) => row.combination === combination), plan.replications));
  let chosen: number | null = null;
  for (const verdict of verdicts) {
    if (!verdict.meets) continue;
    if (chosen === null) chosen = verdict.combination;
    else {
      const candidate = plan.combinations[verdict.combination][parameterIndex] as number;
      const best = plan.combinations[chosen][parameterIndex] as number;
      if (goal.direction === "minimise" ? candidate < best : candidate > best) chosen = verdict.combination;
    }
  }
  return {
    goal,
    combination: chosen,
    value: chosen === null ? null : plan.combinations[chosen][parameterIndex],
    replications: plan.replications,
    verdicts,
  };
}

function verdictOf(goal: SweepGoal, combination: number, rows: RunRow[], replications: number): CombinationVerdict {
  const failedRuns = rows.filter((row) => row.status === "failed").length;
  const values = rows.filter((row) => row.status === "ok").map((row) => row.metrics[goal.metric] ?? null);
  const present = values.filter((value): value is number => value !== null);
  const missingRuns = replications - failedRuns - present.length;
  const worst = present.length === 0 ? null : goal.bound === "below" ? Math.max(...present) : Math.min(...present);
  const within = (value: number) => (goal.bound === "below" ? value < goal.limit : value > goal.limit);
  const meets = failedRuns === 0 && missingRuns === 0 && present.every(within);
  return { combination, meets, worst, failedRuns, missingRuns };
}
