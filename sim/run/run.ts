// Runs a scenario: build -> run -> collect. Every system replays the same workload.

import { costsAtRetentions, scenarioCosts, type RetentionCost, type SystemCost } from "../cost/index.ts";
import { RandomStreams, Simulation } from "../engine/index.ts";
import type { ModelContext, SystemResult } from "../metrics/index.ts";
import { actionsFor, timelineCuts } from "../scenario/index.ts";
import type { Scenario } from "../scenario/types.ts";
import { ProducerStream } from "../workload/index.ts";
import { buildModel, type SystemKind, type SystemSpecOf } from "./registry.ts";
import { WorkloadMeter, type ProducerResult } from "./workload-meter.ts";
import { projectedRecords, WorkBudgetError } from "./work-budget.ts";

export interface RunOptions {
  /** Events the run may execute before it stops with an error (a runaway guard). */
  eventBudget?: number;
  /** Called now and then with simulated time and events executed (for a progress display). */
  onProgress?: (nowUs: number, eventCount: number) => void;
}

/** The note code of a timeline action the run's end cuts off (the comparison sentence points to it). */
export const timelineCutCode = "timeline-cut";

export interface RunNote {
  severity: "info" | "warning";
  code: string;
  message: string;
}

export interface ScenarioResult {
  scenario: Scenario;
  eventCount: number;
  producers: ProducerResult[];
  systems: SystemResult[];
  /** The monthly cost of each system, parallel to `systems`. */
  costs: SystemCost[];
  /** With two systems or more: every system's monthly cost at each retention one of them keeps (equal-retention pricing). */
  retentionCosts: RetentionCost[];
  notes: RunNote[];
}

import { defaultEventBudget } from "./budget.ts";

export { defaultEventBudget, projectedRecords, WorkBudgetError };

export function runScenario(scenario: Scenario, options: RunOptions = {}): ScenarioResult {
  const eventBudget = options.eventBudget ?? defaultEventBudget;
  const projected = projectedRecords(scenario);
  if (!(projected <= eventBudget)) throw new WorkBudgetError(eventBudget, projected);
  // build
  const sim = new Simulation();
  const streams = new RandomStreams(scenario.seed);
  const context = { sim, streams, durationUs: scenario.durationUs, warmupUs: scenario.warmupUs, reportIntervalUs: scenario.reportIntervalUs };
  // Each system replays its own copy of the workload, drawn from the same named streams (common random numbers).
  const workloadCopies: ProducerStream[][] = [];
  const models = scenario.systems.map((system) => {
    const copy = scenario.producers.map((spec) => new ProducerStream(spec, scenario, streams));
    workloadCopies.push(copy);
    return runnable(system.kind, system, copy, context, scenario);
  });
  // The workload is measured on the first system's copy, or on a copy of its own when no system draws one.
  const meters = scenario.producers.map((spec, index) => {
    const drawn = workloadCopies[0]?.[index];
    const meter = new WorkloadMeter(drawn ?? new ProducerStream(spec, scenario, streams), scenario);
    if (drawn !== undefined) meter.tap();
    else meter.start(sim);
    return meter;
  });
  for (const model of models) model.start();
  // run
  const run = sim.run({
    endUs: scenario.durationUs,
    eventBudget,
    onProgress: options.onProgress,
  });
  // collect
  const systems = models.map((model) => model.collect());
  return {
    scenario,
    eventCount: run.eventCount,
    producers: meters.map((meter) => meter.finish()),
    systems,
    costs: scenarioCosts(scenario, systems),
    retentionCosts: costsAtRetentions(scenario, systems),
    notes: notesFor(scenario),
  };
}

/** A model with its own timeline actions bound, so the run handles every kind alike. */
function runnable<K extends SystemKind>(kind: K, spec: SystemSpecOf<K>, workloads: ProducerStream[], context: ModelContext, scenario: Scenario): { start(): void; collect(): SystemResult } {
  const model = buildModel(kind, spec, workloads, context);
  return {
    start: () => model.start(actionsFor(scenario.timeline, kind, spec.name)),
    collect: () => model.collect(),
  };
}

function notesFor(scenario: Scenario): RunNote[] {
  const notes: RunNote[] = scenario.adjustments.map((message) => ({ severity: "info", code: "override", message }));
  for (const cut of timelineCuts(scenario.timeline, scenario.durationUs)) notes.push({ severity: "warning", code: timelineCutCode, message: cut.message });
  if (scenario.sweep !== null) {
    notes.push({
      severity: "info",
      code: "sweep-not-run",
      message: `This file has a sweep: block; this is the base scenario alone (seed ${scenario.seed}). streamsim sweep runs the sweep.`,
    });
  }
  return notes;
}
