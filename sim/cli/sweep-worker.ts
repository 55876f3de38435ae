// A sweep worker thread: answers each RunJob with its RunRow. It lives in the CLI layer because a
// run's headline metrics come from reports/' summary builder, which sim/sweep may not import.

import { parentPort } from "node:worker_threads";
import { headlineMetrics } from "../../reports/sweep/index.ts";
import { runOne, type RunJob } from "../sweep/index.ts";

const port = parentPort;
if (port === null) throw new Error("sweep-worker.ts runs as a worker thread");
port.on("message", (job: RunJob) => {
  port.postMessage(runOne(job, headlineMetrics));
});
