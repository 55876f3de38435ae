// Array-job sharding: shard i of N runs the runs whose number is i modulo N, so N machines each
// run a deterministic slice and `streamsim merge` puts the slices back together. Shards are numbered
// from 0, like Kubernetes Indexed Jobs' and AWS Batch array jobs' indexes; `auto/N` reads the index
// from the array-job engine's environment.

import { sweepMessages } from "./messages.ts";

export interface Shard {
  index: number;
  count: number;
}

/** Runs chosen by number (`--runs 3,17` or `--runs 0-9`), for schedulers that hand out their own work lists. */
export interface RunList {
  runs: number[];
}

/** The slice of a sweep one process runs: shard i of N, or listed runs. */
export type SweepPart = Shard | RunList;

export const isRunList = (part: SweepPart): part is RunList => "runs" in part;

/** Most runs `--runs` may list in one go (a sweep plans at most this many runs in all). */
const runListTextMax = 1_000_000;

/**
 * Parses `--runs 3,17` or `--runs 0-9,12` (run numbers from 0, ranges inclusive) against a sweep of
 * `runCount` runs; returns the runs in ascending order, or the message saying what is wrong.
 */
export function parseRuns(text: string, runCount: number): number[] | string {
  if (text.length > runListTextMax) return sweepMessages.runsTooLong(runListTextMax);
  const runs: number[] = [];
  const seen = new Set<number>();
  for (const item of text.split(",")) {
    const match = /^\s*(\d{1,15})(?:\s*-\s*(\d{1,15}))?\s*$/.exec(item);
    if (match === null) return sweepMessages.runsForm(item);
    const from = Number(match[1]);
    const to = match[2] === undefined ? from : Number(match[2]);
    if (to < from) return sweepMessages.runsBackwards(item.trim());
    if (to >= runCount) return sweepMessages.runsOutOfRange(to, runCount);
    for (let run = from; run <= to; run++) {
      if (seen.has(run)) return sweepMessages.runsRepeated(run);
      seen.add(run);
      runs.push(run);
    }
  }
  return runs.sort((a, b) => a - b);
}

/** The runs a part owns, in order. */
export function runsOfPart(runCount: number, part: SweepPart): number[] {
  return isRunList(part) ? [...part.runs] : runsOfShard(runCount, part);
}

/** Environment variables holding the array index, in the order they are looked for. */
export const shardIndexVariables = ["JOB_COMPLETION_INDEX", "AWS_BATCH_JOB_ARRAY_INDEX", "SLURM_ARRAY_TASK_ID"] as const;

/** Parses `i/N` or `auto/N`; returns the shard or the message saying what is wrong. */
export function parseShard(text: string, env: Record<string, string | undefined>): Shard | string {
  const match = /^(\d{1,15}|auto)\/(\d{1,15})$/.exec(text.trim());
  if (match === null) return sweepMessages.shardForm(text);
  const count = Number(match[2]);
  if (!Number.isSafeInteger(count) || count < 1) return sweepMessages.shardForm(text);
  let index: number;
  if (match[1] === "auto") {
    const variable = shardIndexVariables.find((name) => env[name] !== undefined && env[name] !== "");
    if (variable === undefined) return sweepMessages.shardNoEnvironment([...shardIndexVariables]);
    // Whole decimal numbers only: Number() would also take " ", "0x1" and "1.0".
    const value = env[variable]!;
    if (!/^\d{1,15}$/.test(value)) return sweepMessages.shardBadEnvironment(variable, value);
    index = Number(value);
    // Slurm arrays may start at 1 (--array=1-N): count from the array's first index.
    const first = env.SLURM_ARRAY_TASK_MIN;
    if (variable === "SLURM_ARRAY_TASK_ID" && first !== undefined) {
      if (!/^\d{1,15}$/.test(first)) return sweepMessages.shardBadEnvironment("SLURM_ARRAY_TASK_MIN", first);
      index -= Number(first);
    }
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
