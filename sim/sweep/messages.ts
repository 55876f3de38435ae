// Every user-facing word of sim/sweep.

export const sweepMessages = {
  seedRule: (seed: number) =>
    `replication r (counted from 0) runs with seed ${seed} + r; replication 0 is the run streamsim run does with the file's seed ${seed}`,
  shardForm: (found: string) => `--shard: expected i/N (shards numbered from 0 to N-1) or auto/N, found ${JSON.stringify(found)}`,
  shardNoEnvironment: (variables: string[]) => `--shard auto/N: none of ${variables.join(", ")} is set; expected the array job's index in one of them`,
  shardBadEnvironment: (variable: string, value: string) => `--shard auto/N: ${variable} is ${JSON.stringify(value)}; expected a whole number`,
  shardOutOfRange: (index: number, count: number) => `--shard: expected a shard index from 0 to ${count - 1}, found ${index}`,
  workerCrashed: (message: string) => `the worker running this run stopped: ${message}`,
} as const;
