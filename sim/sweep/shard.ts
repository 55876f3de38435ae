// Array-job sharding: shard i of N runs the runs whose number is i modulo N, so N machines each
// run a deterministic slice and `streamsim merge` puts the slices back together. Shards are numbered
// from 0, like Kubernetes Indexed Jobs' and AWS Batch array jobs' indexes; `auto/N` reads the index
// from the array-job engine's environment.

import { sweepMessages } from "./messages.ts";

export interface Shard {
  index: number;
  count: number;
}

/** Environment variables holding the array index, in the order they are looked for. */
export const shardIndexVariables = ["JOB_COMPLETION_INDEX", "AWS_BATCH_JOB_ARRAY_INDEX", "SLURM_ARRAY_TASK_ID"] as const;

/** Parses `i/N` or `auto/N`; returns the shard or the message saying what is wrong. */
export function parseShard(text: string, env: Record<string, string | undefined>): Shard | string {
  const match = /^(\d+|auto)\/(\d+)$/.exec(text.trim());
  if (match === null) return sweepMessages.shardForm(text);
  const count = Number(match[2]);
  if (!Number.isSafeInteger(count) || count < 1) return sweepMessages.shardForm(text);
  let index: number;
  if (match[1] === "auto") {
    const variable = shardIndexVariables.find((name) => env[name] !== undefined && env[name] !== "");
    if (variable === undefined) return sweepMessages.shardNoEnvironment([...shardIndexVariables]);
    index = Number(env[variable]);
    // Slurm arrays may start at 1 (--array=1-N): count from the array's first index.
    if (variable === "SLURM_ARRAY_TASK_ID" && env.SLURM_ARRAY_TASK_MIN !== undefined) index -= Number(env.SLURM_ARRAY_TASK_MIN);
    if (!Number.isSafeInteger(index)) return sweepMessages.shardBadEnvironment(variable, env[variable]!);
  } else index = Number(match[1]);
  if (index < 0 || index >= count) return sweepMessages.shardOutOfRange(index, count);
  return { index, count };
}

/** The run numbers shard `shard` owns, in order. */
export function runsOfShard(runCount: number, shard: Shard): number[] {
  const runs: number[] = [];
  for (let run = shard.index; run < runCount; run += shard.count) runs.push(run);
  return runs;
}
