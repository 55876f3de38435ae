// Engine throughput: each event reschedules itself at a pseudo-random future time, so the number
// of pending events stays constant while schedule + dispatch pairs are counted.

import { Simulation } from "../sim/engine/index.ts";
import { RandomStreams } from "../sim/engine/random.ts";

export interface EngineBenchResult {
  pending: number;
  events: number;
  seconds: number;
  eventsPerSecond: number;
}

export function benchEngine(pending: number, events: number): EngineBenchResult {
  const uniform = new RandomStreams(1).stream("bench/engine");
  // Precomputed delays keep random-number generation out of the measurement.
  const delaysUs = new Float64Array(1 << 16);
  for (let i = 0; i < delaysUs.length; i++) delaysUs[i] = 1 + Math.floor(uniform() * 1_000_000);
  const sim = new Simulation();
  let cursor = 0;
  let toSchedule = events - pending;
  const handler = (): void => {
    if (toSchedule-- > 0) sim.after(delaysUs[cursor++ & 0xffff], handler);
  };
  for (let i = 0; i < pending; i++) sim.after(delaysUs[cursor++ & 0xffff], handler);
  const startNs = process.hrtime.bigint();
  sim.run({ endUs: Number.MAX_SAFE_INTEGER, eventBudget: events });
  const seconds = Number(process.hrtime.bigint() - startNs) / 1e9;
  return { pending, events, seconds, eventsPerSecond: events / seconds };
}
