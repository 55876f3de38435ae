// The `sweep:` block: which scenario fields vary (addressed by name), over how many seeds, and an
// optional goal. Its paths and values are checked against the scenario in sweep.ts.

import { z } from "zod";
import { positiveInt } from "./fields.ts";

/** Replications per combination; a limit so a typo cannot ask for a million runs. */
export const replicationsMax = 1000;
/** Runs a sweep may plan (combinations x replications): a grid is counted against this before it is expanded. */
export const sweepRunsMax = 1_000_000;
/** Above this many runs a sweep still runs, with a warning giving the projected work first. */
export const sweepRunsWarning = 10_000;

const parameterValue = () =>
  z.union([z.number(), z.string(), z.boolean()], { error: "a number, a string or true/false" });

export const sweepSchema = z
  .strictObject({
    parameters: z
      .record(z.string(), z.array(parameterValue(), { error: "a list of values" }).min(1, { error: "at least one value" }))
      .optional()
      .describe("the full grid: a scenario field (by name, e.g. systems.kds.capacity.shards) -> the values to try"),
    combinations: z
      .array(z.record(z.string(), parameterValue()), { error: "a list of mappings (field -> value)" })
      .min(1, { error: "at least one combination" })
      .optional()
      .describe("listed combinations instead of a grid: each a mapping of scenario field -> value"),
    replications: positiveInt(replicationsMax)
      .prefault(1)
      .describe("runs per combination; replication r (from 0) uses seed + r"),
    goal: z
      .strictObject({
        metric: z.string({ error: "a metric path such as kds.consumers.analytics.lagMs.p99" }),
        below: z.number({ error: "a number" }).optional(),
        above: z.number({ error: "a number" }).optional(),
        minimise: z.string({ error: "the name of a sweep parameter" }).optional(),
        maximise: z.string({ error: "the name of a sweep parameter" }).optional(),
      })
      .optional()
      .describe("the setting of one parameter that keeps a metric below (or above) a bound in every seed"),
  })
  .optional()
  .describe("streamsim sweep: runs the scenario for every combination and seed; streamsim run ignores it");

export type SweepInput = NonNullable<z.output<typeof sweepSchema>>;
export type ParameterValue = number | string | boolean;
