// A sweep worker thread: answers each RunJob with its RunRow. It lives in the CLI layer because a
// run's headline metrics come from reports/' summary builder, which sim/sweep may not import.

import { parentPort } from "node:worker_threads";
// headline.ts alone: the reports index would also load the chart renderer, slow to start in every worker.
import { headlineMetrics } from "../../reports/sweep/headline.ts";
import { runOne, type RunJob } from "../sweep/index.ts";

const port = parentPort;
if (port === null) throw new Error("sweep-worker.ts runs as a worker thread");
port.on("message", (job: RunJob) => {
  port.postMessage(runOne(job, headlineMetrics));
});
