// How a system's producer client receives its copy of the workload: the workload is known ahead of
// simulated time, so a client takes it a window at a time (every record created before the window's
// end), closes the batches that are due by then, and once the workload is over closes the rest.
// One event per window per client, whatever the record rate.

import type { Simulation } from "../engine/index.ts";
import type { ProducerStream } from "./producer.ts";

/** How far ahead of simulated time clients take records (one event per window). */
export const feedWindowUs = 100_000;

export interface FedClient {
  /** Takes every record created before untilUs. */
  take(untilUs: number): void;
  /** Closes what is due before untilUs (all records before it were taken). */
  flushUntil(untilUs: number): void;
  /** The workload is over: closes everything still open, by untilUs. */
  finish(untilUs: number): void;
}

/** Starts feeding `client` at time 0, one window after another, until the workload is over. */
export function feedAhead(sim: Simulation, workload: ProducerStream, client: FedClient): void {
  const feed = (): void => {
    const untilUs = sim.nowUs + feedWindowUs;
    client.take(untilUs);
    client.flushUntil(untilUs);
    if (workload.peekTimeUs() !== Infinity) sim.after(feedWindowUs, feed);
    else client.finish(untilUs);
  };
  sim.at(0, feed);
}
