// The file a sharded sweep writes (sweep-shard-<i>-of-<N>.json: the plan, which shard, its rows), and
// reading a set of them back for `streamsim merge`, which checks they are all the shards of one sweep.

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { RunRow, Shard, SweepPlan } from "../../sim/sweep/index.ts";
import { sweepReportMessages as say } from "./messages.ts";

const format = "streamsim-sweep-shard/1";

export function shardFileName(shard: Shard): string {
  return `sweep-shard-${shard.index}-of-${shard.count}.json`;
}

export function shardFileText(plan: SweepPlan, shard: Shard, rows: RunRow[]): string {
  return `${JSON.stringify({ format, plan, shard, rows: [...rows].sort((a, b) => a.run - b.run) })}\n`;
}

export type MergeResult = { ok: true; plan: SweepPlan; rows: RunRow[] } | { ok: false; problems: string[] };

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
      try {
        const parsed = JSON.parse(readFileSync(file, "utf8"));
        if (parsed.format !== format) throw new Error(`expected format ${format}, found ${JSON.stringify(parsed.format)}`);
        shards.push({ file, plan: parsed.plan, shard: parsed.shard, rows: parsed.rows });
      } catch (error) {
        problems.push(say.mergeUnreadable(file, (error as Error).message));
      }
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
  const missing = Array.from({ length: first.shard.count }, (_, index) => index).filter((index) => !seen.has(index));
  if (missing.length > 0) problems.push(say.mergeMissing(missing, first.shard.count));
  if (problems.length > 0) return { ok: false, problems };
  const rows = shards.flatMap((shard) => shard.rows).sort((a, b) => a.run - b.run);
  return { ok: true, plan: first.plan, rows };
}
