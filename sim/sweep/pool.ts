// A small pool of worker threads running sweep jobs. Each worker takes the next job when it finishes
// one; results are kept by run number, so their order never depends on which worker finished first.
// A worker that dies fails the run it held (reported like any failed run) and is replaced.

import { Worker } from "node:worker_threads";
import { sweepMessages } from "./messages.ts";
import type { RunJob, RunRow } from "./plan.ts";

export interface PoolOptions {
  workers: number;
  /** The worker entry: a module that answers each RunJob message with a RunRow message. */
  workerUrl: URL;
  /** Called as each run finishes, in finishing order (for progress only). */
  onRow?: (row: RunRow) => void;
}

export function runPool(jobs: RunJob[], options: PoolOptions): Promise<RunRow[]> {
  const rows = new Map<number, RunRow>();
  let next = 0;
  return new Promise((resolve, reject) => {
    if (jobs.length === 0) return resolve([]);
    const finish = (row: RunRow) => {
      rows.set(row.run, row);
      options.onRow?.(row);
      if (rows.size === jobs.length) resolve(jobs.map((job) => rows.get(job.run)!));
    };
    const start = () => {
      const worker = new Worker(options.workerUrl);
      let current: RunJob | undefined;
      const feed = () => {
        current = next < jobs.length ? jobs[next++] : undefined;
        if (current === undefined) void worker.terminate();
        else worker.postMessage(current);
      };
      worker.on("message", (row: RunRow) => {
        finish(row);
        feed();
      });
      worker.on("error", (error) => {
        const job = current;
        current = undefined;
        if (job === undefined) return reject(error);
        const row: RunRow = { run: job.run, combination: job.combination, replication: job.replication, seed: job.seed, status: "failed", error: sweepMessages.workerCrashed(error.message), metrics: {} };
        finish(row);
        if (next < jobs.length) start();
      });
      feed();
    };
    for (let i = 0; i < Math.min(options.workers, jobs.length); i++) start();
  });
}
