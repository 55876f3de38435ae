// What a sweep-shard file must hold before `streamsim merge` uses any of it. The file is input like a
// scenario: it may be hand-edited, truncated or crafted, and its plan's scenario name becomes a
// folder name, so every field is checked here and cross-checked against the others.

import { z } from "zod";
import { sweepRunsMax } from "../../sim/scenario/sweep-schema.ts";
import { isRunList, runsOfPart, type RunRow, type SweepPart, type SweepPlan } from "../../sim/sweep/index.ts";

/** Most runs a sweep may plan (the loader refuses bigger grids); a shard count cannot pass it. */
export const shardRunsMax = sweepRunsMax;

// The same rule as a scenario's `name:`: no path separators, no leading dot.
const scenarioName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, "a scenario name of 1 to 64 letters, digits, '.', '_' or '-'");
const count = (max: number) => z.number().int().min(0).max(max);
const parameterValue = z.union([z.number(), z.string(), z.boolean()]);

const goal = z.strictObject({
  metric: z.string(),
  bound: z.enum(["below", "above"]),
  limit: z.number(),
  direction: z.enum(["minimise", "maximise"]),
  parameter: z.string(),
});

const plan = z.strictObject({
  scenario: scenarioName,
  file: z.string(),
  scenarioSha256: z.string().regex(/^[0-9a-f]{64}$/, "a sha256 in hex"),
  baseSeed: count(Number.MAX_SAFE_INTEGER),
  durationOverrideUs: z.number().int().positive().max(Number.MAX_SAFE_INTEGER).nullable(),
  eventBudget: z.number().int().positive().max(Number.MAX_SAFE_INTEGER).nullable(),
  parameters: z.array(z.string()).max(1000),
  combinations: z.array(z.array(parameterValue)).max(shardRunsMax),
  grid: z.boolean(),
  replications: z.number().int().min(1).max(1000),
  goal: goal.nullable(),
  runCount: z.number().int().min(1).max(shardRunsMax),
  seedRule: z.string(),
});

const row = z.strictObject({
  run: count(shardRunsMax),
  combination: count(shardRunsMax),
  replication: count(1000),
  seed: count(Number.MAX_SAFE_INTEGER),
  status: z.enum(["ok", "failed"]),
  error: z.string().nullable(),
  metrics: z.record(z.string(), z.number().nullable()),
});

const shardPart = z.strictObject({ index: count(shardRunsMax), count: z.number().int().min(1).max(shardRunsMax) });
const runsPart = z.strictObject({ runs: z.array(count(shardRunsMax)).min(1).max(shardRunsMax) });

const fileSchema = (part: typeof shardPart | typeof runsPart) =>
  z
    .strictObject({ format: z.literal("streamsim-sweep-shard/1"), plan, shard: part, rows: z.array(row) })
    .superRefine((file, ctx) => {
      const problem = consistencyProblem(file.plan, file.shard, file.rows);
      if (problem !== undefined) ctx.addIssue({ code: "custom", message: problem });
    });

/** A shard file of `--shard i/N`: `shard` is { index, count }. */
export const shardFileSchema = fileSchema(shardPart);
/** A file of `--runs`: `shard` is { runs: [...] }. */
export const runsFileSchema = fileSchema(runsPart);

/** The schema for a parsed file: a `shard` naming `runs` is a --runs file, anything else is checked as a shard. */
export const partFileSchema = (parsed: unknown) => {
  const part = typeof parsed === "object" && parsed !== null ? (parsed as { shard?: unknown }).shard : undefined;
  return typeof part === "object" && part !== null && "runs" in part ? runsFileSchema : shardFileSchema;
};

/** A plan, part and rows that parse but do not fit together (another shard's rows, a wrong count). */
function consistencyProblem(plan: SweepPlan, part: SweepPart, rows: RunRow[]): string | undefined {
  if (plan.combinations.length * plan.replications !== plan.runCount) return `plan.runCount ${plan.runCount} is not combinations x replications`;
  if (plan.combinations.some((values) => values.length !== plan.parameters.length)) return "a combination does not give one value per parameter";
  let what: string;
  if (isRunList(part)) {
    for (const [position, run] of part.runs.entries()) {
      if (run >= plan.runCount) return `shard.runs[${position}] is run ${run}; the plan has runs 0 to ${plan.runCount - 1}`;
      if (position > 0 && run <= part.runs[position - 1]) return `shard.runs[${position}] is run ${run}; expected runs in ascending order, each once`;
    }
    what = `the listed runs`;
  } else {
    if (part.index >= part.count) return `shard.index ${part.index} is not below shard.count ${part.count}`;
    what = `shard ${part.index}/${part.count}`;
  }
  const expected = runsOfPart(plan.runCount, part);
  if (rows.length !== expected.length) return `expected ${expected.length} rows for ${what} of ${plan.runCount} runs, found ${rows.length}`;
  for (const [position, row] of rows.entries()) {
    const run = expected[position];
    if (row.run !== run) return `rows[${position}] is run ${row.run}; expected run ${run} (this ${isRunList(part) ? "file" : "shard"}'s runs in order)`;
    if (row.combination !== Math.floor(run / plan.replications) || row.replication !== run % plan.replications) {
      return `rows[${position}] (run ${run}) names combination ${row.combination}, replication ${row.replication}; expected ${Math.floor(run / plan.replications)}, ${run % plan.replications}`;
    }
  }
  return undefined;
}

/** The first few problems of a shard file that does not match, as one line. */
export function shardFileProblems(error: z.ZodError): string {
  const shown = error.issues.slice(0, 3).map((issue) => `${issue.path.length > 0 ? `${issue.path.join(".")}: ` : ""}${issue.message}`);
  const more = error.issues.length - shown.length;
  return `${shown.join("; ")}${more > 0 ? `; and ${more} more` : ""}`;
}
