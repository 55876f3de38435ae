// Runs a scenario: build -> run -> collect. Until the system models land, a run simulates the
// workload alone; the systems are validated and listed as not simulated.

import { RandomStreams, Simulation } from "../engine/index.ts";
import { KafkaModel } from "../kafka/index.ts";
import { KinesisModel } from "../kinesis/index.ts";
import type { SystemResult } from "../metrics/index.ts";
import type { Scenario } from "../scenario/types.ts";
import { ProducerStream } from "../workload/index.ts";
import { WorkloadMeter, type ProducerResult } from "./workload-meter.ts";

export interface RunOptions {
  /** Events the run may execute before it stops with an error (a runaway guard). */
  eventBudget?: number;
  /** Called now and then with simulated time and events executed (for a progress display). */
  onProgress?: (nowUs: number, eventCount: number) => void;
}

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
  notes: RunNote[];
}

export const defaultEventBudget = 2_000_000_000;

export function runScenario(scenario: Scenario, options: RunOptions = {}): ScenarioResult {
  // build
  const sim = new Simulation();
  const streams = new RandomStreams(scenario.seed);
  const context = { sim, streams, durationUs: scenario.durationUs, warmupUs: scenario.warmupUs, reportIntervalUs: scenario.reportIntervalUs };
  // Each system replays its own copy of the workload, drawn from the same named streams (common random numbers).
  const workloadCopies: ProducerStream[][] = [];
  const models = scenario.systems.flatMap((system) => {
    if (system.kind === "sqs") return [];
    const copy = scenario.producers.map((spec) => new ProducerStream(spec, scenario, streams));
    workloadCopies.push(copy);
    return [system.kind === "kinesis" ? new KinesisModel(system, copy, context) : new KafkaModel(system, copy, context)];
  });
  // The workload is measured on the first system's copy, or on a copy of its own when no system draws one.
  const meters = scenario.producers.map((spec, index) => {
    const drawn = workloadCopies[0]?.[index];
    const meter = new WorkloadMeter(drawn ?? new ProducerStream(spec, scenario, streams), scenario);
    if (drawn !== undefined) meter.tap();
    else meter.start(sim);
    return meter;
  });
  for (const model of models) model.start(scenario.timeline);
  // run
  const run = sim.run({
    endUs: scenario.durationUs,
    eventBudget: options.eventBudget ?? defaultEventBudget,
    onProgress: options.onProgress,
  });
  // collect
  return {
    scenario,
    eventCount: run.eventCount,
    producers: meters.map((meter) => meter.finish()),
    systems: models.map((model) => model.collect()),
    notes: notesFor(scenario),
  };
}

function notesFor(scenario: Scenario): RunNote[] {
  const notes: RunNote[] = scenario.adjustments.map((message) => ({ severity: "info", code: "override", message }));
  if (scenario.sweep !== null) {
    notes.push({
      severity: "info",
      code: "sweep-not-run",
      message: `This file has a sweep: block; this is the base scenario alone (seed ${scenario.seed}). streamsim sweep runs the sweep.`,
    });
  }
  const notSimulated = scenario.systems.filter((system) => system.kind === "sqs");
  if (notSimulated.length === 0) return notes;
  const names = notSimulated.map((system) => `${system.name} (${system.kind})`).join(", ");
  notes.push({
    severity: "warning",
    code: "systems-not-simulated",
    message:
      `This version of streamsim simulates Kinesis Data Streams and Kafka; ${names} and their timeline actions were ` +
      `validated but not simulated, so no throughput, lag or cost figures are given for them yet.`,
  });
  return notes;
}
