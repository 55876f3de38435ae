// User-facing words of the sweep and merge commands.

export const cliMessages = {
  noSweep: (file: string) => `${file}: no sweep: block; expected one (parameters or combinations, replications, goal) for streamsim sweep; streamsim run runs a single scenario`,
  sweepHeader: (version: string, name: string, runs: number, workers: number, sha: string) =>
    `streamsim ${version}: sweep ${name}: ${runs} run${runs === 1 ? "" : "s"} on ${workers} worker${workers === 1 ? "" : "s"} (scenario sha256 ${sha.slice(0, 12)})`,
  seeds: (rule: string) => `seeds: ${rule}`,
  workersCapped: (asked: number, cores: number) =>
    `note: --workers ${asked} is more than the ${cores} CPUs this process may use; using ${cores} (runs are CPU-bound: more workers add memory, not speed)`,
  manyRuns: (runs: number, records: number) =>
    `warning: this sweep has ${runs.toLocaleString("en-US")} runs (about ${records.toPrecision(2)} records in all); check the grid is what you meant`,
  shardHeader: (index: number, count: number, runs: number, total: number) => `shard ${index}/${count}: ${runs} of the sweep's ${total} runs (run k belongs to shard k mod ${count})`,
  runsHeader: (runs: number, total: number) => `--runs: ${runs} of the sweep's ${total} runs`,
  shardAndRuns: "--shard and --runs both choose runs; expected one of them",
  jsonWithoutPlan: "--json goes with --plan (the run list as JSON lines); a sweep's results are in sweep.csv",
  partFailedRuns: (failed: number, total: number, file: string) =>
    `${failed} of ${total} runs failed; they are recorded in ${file}, and streamsim merge lists them and exits 1 (this process exits 0: the runs are deterministic, so a retry would fail them again)`,
  failedRuns: (failed: number, total: number) => `${failed} of ${total} runs failed; they are listed in sweep.csv and summary.md`,
  shardWritten: (file: string) => `shard rows: ${file} (combine all shards with streamsim merge)`,
  mergeProblem: (problem: string) => `streamsim merge: ${problem}`,
  mergeHeader: (runs: number, name: string) => `merged ${runs} runs of sweep ${name}`,
} as const;
