// The file a sharded sweep writes (sweep-shard-<i>-of-<N>.json: the plan, which shard, its rows), and
// reading a set of them back for `streamsim merge`, which checks they are all the shards of one sweep.

import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import type { RunRow, Shard, SweepPlan } from "../../sim/sweep/index.ts";
import { sweepReportMessages as say } from "./messages.ts";
import { shardFileProblems, shardFileSchema } from "./shard-schema.ts";

const format = "streamsim-sweep-shard/1";

export function shardFileName(shard: Shard): string {
  return `sweep-shard-${shard.index}-of-${shard.count}.json`;
}

export function shardFileText(plan: SweepPlan, shard: Shard, rows: RunRow[]): string {
  return `${JSON.stringify({ format, plan, shard, rows: [...rows].sort((a, b) => a.run - b.run) })}\n`;
}

export type MergeResult = { ok: true; plan: SweepPlan; rows: RunRow[] } | { ok: false; problems: string[] };

/** Most bytes a shard file may have: a million rows of a few headline metrics fit well below it. */
const shardFileBytesMax = 1024 * 1024 * 1024;

/** A shard file's plan, shard and rows once every field is checked, or why it cannot be used. */
function readShardFile(file: string): { plan: SweepPlan; shard: Shard; rows: RunRow[] } | string {
  let parsed: unknown;
  try {
    const stats = statSync(file);
    if (!stats.isFile()) return "not a regular file";
    if (stats.size > shardFileBytesMax) return `${stats.size} bytes; a shard file may have at most ${shardFileBytesMax}`;
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    return error instanceof SyntaxError ? `not JSON (${error.message})` : ((error as NodeJS.ErrnoException).code ?? (error as Error).message);
  }
  const checked = shardFileSchema.safeParse(parsed);
  if (!checked.success) return `not a valid ${format} file: ${shardFileProblems(checked.error)}`;
  return checked.data;
}

/** Reads every shard file in the directories and checks they make one whole sweep. */
export function readShards(directories: string[]): MergeResult {
  const problems: string[] = [];
  const shards: Array<{ file: string; plan: SweepPlan; shard: Shard; rows: RunRow[] }> = [];
  for (const directory of directories) {
    let names: string[];
    try {
      names = readdirSync(directory).filter((name) => /^sweep-shard-\d+-of-\d+\.json$/.test(name)).sort();
    } catch (error) {
      problems.push(say.mergeNoDirectory(directory, (error as NodeJS.ErrnoException).code ?? (error as Error).message));
      continue;
    }
    if (names.length === 0) problems.push(say.mergeNoShards(directory));
    for (const name of names) {
      const file = join(directory, name);
      const read = readShardFile(file);
      if (typeof read === "string") problems.push(say.mergeUnreadable(file, read));
      else shards.push({ file, ...read });
    }
  }
  if (problems.length > 0 || shards.length === 0) return { ok: false, problems };
  const first = shards[0];
  const seen = new Set<number>();
  for (const shard of shards) {
    if (JSON.stringify(shard.plan) !== JSON.stringify(first.plan)) problems.push(say.mergeDifferentPlans(shard.file, first.file));
    else if (shard.shard.count !== first.shard.count) problems.push(say.mergeCounts(shard.file, shard.shard.count, first.shard.count));
    else if (seen.has(shard.shard.index)) problems.push(say.mergeDuplicate(shard.shard.index, shard.shard.count));
    seen.add(shard.shard.index);
  }
  if (problems.length > 0) return { ok: false, problems };
  const missing = Array.from({ length: first.shard.count }, (_, index) => index).filter((index) => !seen.has(index));
  if (missing.length > 0) problems.push(say.mergeMissing(missing, first.shard.count));
  if (problems.length > 0) return { ok: false, problems };
  const rows = shards.flatMap((shard) => shard.rows).sort((a, b) => a.run - b.run);
  return { ok: true, plan: first.plan, rows };
}
