// The file a sharded sweep writes (sweep-shard-<i>-of-<N>.json: the plan, which shard, its rows; or
// sweep-runs-<list>.json for runs chosen with --runs), and reading a set of them back for `streamsim
// merge`, which checks they are all the runs of one sweep, each once.

import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { isRunList, runsOfPart, type RunRow, type Shard, type SweepPart, type SweepPlan } from "../../sim/sweep/index.ts";
import { sweepReportMessages as say } from "./messages.ts";
import { partFileSchema, shardFileProblems } from "./shard-schema.ts";

const format = "streamsim-sweep-shard/1";

/** sweep-shard-2-of-4.json, or sweep-runs-3_17.json / sweep-runs-0-9_12.json (long lists end in a hash). */
export function shardFileName(part: SweepPart): string {
  if (!isRunList(part)) return `sweep-shard-${part.index}-of-${part.count}.json`;
  const ranges: string[] = [];
  for (let i = 0; i < part.runs.length; ) {
    let j = i;
    while (j + 1 < part.runs.length && part.runs[j + 1] === part.runs[j] + 1) j++;
    ranges.push(j === i ? `${part.runs[i]}` : `${part.runs[i]}-${part.runs[j]}`);
    i = j + 1;
  }
  const list = ranges.join("_");
  if (list.length <= 80) return `sweep-runs-${list}.json`;
  const hash = createHash("sha256").update(part.runs.join(",")).digest("hex").slice(0, 12);
  return `sweep-runs-${part.runs[0]}-to-${part.runs[part.runs.length - 1]}-${part.runs.length}-runs-${hash}.json`;
}

/** The file names merge reads in a folder. */
const partFileName = /^sweep-(shard-\d+-of-\d+|runs-[0-9a-z_-]+)\.json$/;

export function shardFileText(plan: SweepPlan, part: SweepPart, rows: RunRow[]): string {
  return `${JSON.stringify({ format, plan, shard: part, rows: [...rows].sort((a, b) => a.run - b.run) })}\n`;
}

export type MergeResult = { ok: true; plan: SweepPlan; rows: RunRow[] } | { ok: false; problems: string[] };

/** Most bytes a shard file may have: a million rows of a few headline metrics fit well below it. */
const shardFileBytesMax = 1024 * 1024 * 1024;

/** A shard file's plan, shard and rows once every field is checked, or why it cannot be used. */
function readShardFile(file: string): { plan: SweepPlan; shard: SweepPart; rows: RunRow[] } | string {
  let parsed: unknown;
  try {
    const stats = statSync(file);
    if (!stats.isFile()) return "not a regular file";
    if (stats.size > shardFileBytesMax) return `${stats.size} bytes; a shard file may have at most ${shardFileBytesMax}`;
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    return error instanceof SyntaxError ? `not JSON (${error.message})` : ((error as NodeJS.ErrnoException).code ?? (error as Error).message);
  }
  const checked = partFileSchema(parsed).safeParse(parsed);
  if (!checked.success) return `not a valid ${format} file: ${shardFileProblems(checked.error)}`;
  return checked.data;
}

/**
 * The shard files an argument of `streamsim merge` names: a folder (its sweep-shard-*.json and
 * sweep-runs-*.json files), a file, or a glob (`*` and `?` within a path segment, for shells that pass
 * patterns through, or quoted patterns), expanded in name order.
 */
function filesOf(argument: string, problems: string[]): string[] {
  if (/[*?]/.test(argument)) {
    const matches = expandGlob(argument);
    if (matches.length === 0) problems.push(say.mergeNoMatch(argument));
    // A match may be a shard's folder (results/*) or a file (results/*/sweep-*.json).
    return matches.flatMap((match) => filesOf(match, problems));
  }
  let isDirectory: boolean;
  try {
    isDirectory = statSync(argument).isDirectory();
  } catch (error) {
    problems.push(say.mergeNoDirectory(argument, (error as NodeJS.ErrnoException).code ?? (error as Error).message));
    return [];
  }
  if (!isDirectory) return [argument];
  let names: string[];
  try {
    names = readdirSync(argument).filter((name) => partFileName.test(name)).sort();
  } catch (error) {
    problems.push(say.mergeNoDirectory(argument, (error as NodeJS.ErrnoException).code ?? (error as Error).message));
    return [];
  }
  if (names.length === 0) problems.push(say.mergeNoShards(argument));
  return names.map((name) => join(argument, name));
}

/** Most paths a glob may expand to before merge refuses it (a sweep has at most that many runs anyway). */
const globMatchesMax = 100_000;

/** Expands `*` and `?` segment by segment (no `**`), in name order: the files and folders it names. */
function expandGlob(pattern: string): string[] {
  const absolute = pattern.startsWith("/");
  const segments = pattern.split("/").filter((segment, index) => segment !== "" || index === 0);
  let paths = [absolute ? "/" : "."];
  const start = absolute ? 1 : 0;
  for (let i = start; i < segments.length; i++) {
    const segment = segments[i];
    const last = i === segments.length - 1;
    if (segment === "**") return [];
    const next: string[] = [];
    for (const base of paths) {
      if (!/[*?]/.test(segment)) {
        next.push(base === "." && !absolute && i === start ? segment : join(base, segment));
        continue;
      }
      const matcher = new RegExp(`^${segment.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, "[^/]*").replace(/\?/g, "[^/]")}$`);
      let names: string[];
      try {
        names = readdirSync(base).sort();
      } catch {
        continue;
      }
      for (const name of names) if (!name.startsWith(".") && matcher.test(name)) next.push(base === "." && !absolute ? name : join(base, name));
      if (next.length > globMatchesMax) return next.slice(0, globMatchesMax);
    }
    paths = last ? next : next.filter((path) => isDirectoryPath(path));
  }
  return paths.filter((path) => {
    try {
      const stats = statSync(path);
      return stats.isFile() || stats.isDirectory();
    } catch {
      return false;
    }
  });
}

const isDirectoryPath = (path: string): boolean => {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
};

/**
 * Reads every shard file the arguments name (folders, files or globs) and checks they make one whole
 * sweep: one plan, every run exactly once.
 */
export function readShards(paths: string[]): MergeResult {
  const problems: string[] = [];
  const parts: Array<{ file: string; plan: SweepPlan; shard: SweepPart; rows: RunRow[] }> = [];
  const seenFiles = new Set<string>();
  for (const path of paths) {
    for (const file of filesOf(path, problems)) {
      if (seenFiles.has(file)) continue;
      seenFiles.add(file);
      const read = readShardFile(file);
      if (typeof read === "string") problems.push(say.mergeUnreadable(file, read));
      else parts.push({ file, ...read });
    }
  }
  if (problems.length > 0 || parts.length === 0) return { ok: false, problems };
  const first = parts[0];
  // The same sweep whatever path each shard was started with (scenarios/x.yaml, /home/me/sweeps/scenarios/x.yaml):
  // its bytes (scenarioSha256), values, seeds and duration decide; the merged outputs name the first's path.
  const samePlan = (plan: SweepPlan) => JSON.stringify({ ...plan, file: "" });
  for (const part of parts) if (samePlan(part.plan) !== samePlan(first.plan)) problems.push(say.mergeDifferentPlans(part.file, first.file));
  if (problems.length > 0) return { ok: false, problems };
  const shards = parts.filter((part): part is (typeof parts)[number] & { shard: Shard } => !isRunList(part.shard));
  if (shards.length === parts.length) {
    // All --shard files: say which shards are missing or repeated.
    const seen = new Set<number>();
    for (const shard of shards) {
      if (shard.shard.count !== shards[0].shard.count) problems.push(say.mergeCounts(shard.file, shard.shard.count, shards[0].shard.count));
      else if (seen.has(shard.shard.index)) problems.push(say.mergeDuplicate(shard.shard.index, shard.shard.count));
      seen.add(shard.shard.index);
    }
    if (problems.length > 0) return { ok: false, problems };
    const count = shards[0].shard.count;
    const missing = Array.from({ length: count }, (_, index) => index).filter((index) => !seen.has(index));
    if (missing.length > 0) problems.push(say.mergeMissing(missing, count));
  } else {
    // --runs files (or a mix): say which runs are missing or repeated.
    const owner = new Map<number, string>();
    for (const part of parts) {
      for (const run of runsOfPart(first.plan.runCount, part.shard)) {
        const other = owner.get(run);
        if (other !== undefined) {
          problems.push(say.mergeRunTwice(run, other, part.file));
          return { ok: false, problems };
        }
        owner.set(run, part.file);
      }
    }
    const missing: number[] = [];
    for (let run = 0; run < first.plan.runCount; run++) if (!owner.has(run)) missing.push(run);
    if (missing.length > 0) problems.push(say.mergeMissingRuns(missing, first.plan.runCount));
  }
  if (problems.length > 0) return { ok: false, problems };
  const rows = parts.flatMap((part) => part.rows).sort((a, b) => a.run - b.run);
  return { ok: true, plan: first.plan, rows };
}
