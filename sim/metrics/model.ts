// The one contract every system model meets (docs/design.md "One model contract"). A model is built from
// (its resolved system spec, its copy of the workloads, the ModelContext) by its entry in
// sim/run/registry.ts; sim/run then knows it only through these three methods.

import type { Finding } from "./system-result.ts";

export interface SystemModel<Action, Result> {
  /** Schedules producers, consumers, this system's timeline actions and its upkeep on the simulation. */
  start(timeline: readonly Action[]): void;
  /**
   * The system's result at the end of the run, findings included. Idempotent: it reads the model's
   * state and changes none of it, so calling it twice gives equal results.
   */
  collect(): Result;
  /** The problems the model detects in a result it collected, with what it knows of its own limits. */
  findings(result: Result): Finding[];
}
