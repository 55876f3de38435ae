// The work a scenario's workload offers, and the error that refuses a run over its budget before it
// starts. Alone in a module (with the engine's error and the rate profiles only) so `validate` can
// project a run without loading the models.

import { EventBudgetError } from "../engine/simulation.ts";
import type { Scenario } from "../scenario/types.ts";
import { expectedArrivals } from "../workload/rate.ts";

/**
 * Stops a run before it starts when its workload alone would pass the event budget: every record costs
 * each system at least a share of an event, and a rate such as 1e300 records/s would otherwise fill
 * memory with generated records long before the event count grows (a block of records is one event).
 */
export class WorkBudgetError extends EventBudgetError {
  constructor(eventBudget: number, readonly projectedRecords: number) {
    super(eventBudget, 0);
    this.message =
      `the workload offers about ${projectedRecords.toPrecision(3)} records over the run (all producers, once per system), ` +
      `more than its event budget of ${eventBudget}; shorten the scenario (--duration), lower its rates, or raise the budget (--event-budget)`;
  }
}

/** Expected records the systems draw over the run (the workload is drawn once per system, at least once). */
export function projectedRecords(scenario: Scenario): number {
  const perCopy = scenario.producers.reduce((sum, spec) => sum + expectedArrivals(spec.rate, scenario.durationUs), 0);
  return perCopy * Math.max(1, scenario.systems.length);
}
