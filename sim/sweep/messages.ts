// Every user-facing word of sim/sweep.

export const sweepMessages = {
  seedRule: (seed: number) =>
    `replication r (counted from 0) runs with seed ${seed} + r; replication 0 is the run streamsim run does with the file's seed ${seed}`,
  shardForm: (found: string) => `--shard: expected i/N (shards numbered from 0 to N-1) or auto/N, found ${JSON.stringify(found)}`,
  shardNoEnvironment: (variables: string[]) => `--shard auto/N: none of ${variables.join(", ")} is set; expected the array job's index in one of them`,
  shardBadEnvironment: (variable: string, value: string) => `--shard auto/N: ${variable} is ${JSON.stringify(value)}; expected a whole number`,
  shardOutOfRange: (index: number, count: number) => `--shard: expected a shard index from 0 to ${count - 1}, found ${index}`,
  runsForm: (found: string) => `--runs: expected run numbers from 0 and ranges separated by commas (3,17 or 0-9,12), found ${JSON.stringify(found)}`,
  runsBackwards: (found: string) => `--runs: the range ${found} ends before it starts; expected FROM-TO with FROM <= TO`,
  runsOutOfRange: (run: number, count: number) => `--runs: this sweep has runs 0 to ${count - 1}, found ${run}; \`streamsim sweep FILE --plan\` lists them`,
  runsRepeated: (run: number) => `--runs: run ${run} is listed more than once; expected each run once`,
  runsTooLong: (max: number) => `--runs: the list is longer than ${max.toLocaleString("en-US")} characters; expected ranges (0-9999) for long lists`,
  /** " (this run's sweep values: systems[1].topic.replicationFactor = 6; ...)", after a failed load's issues. */
  runValues: (values: string[]) => ` (this run's sweep values: ${values.join(", ")}; the line and column point at the scenario's own entry for the field)`,
  workerCrashed: (message: string) => `the worker running this run stopped: ${message}`,
} as const;
