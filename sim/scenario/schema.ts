// The scenario format: workload + systems + timeline (docs/design.md, "Scenario files").

import { z } from "zod";
import { duration, name, nonNegativeInt, positiveInt } from "./fields.ts";
import { workloadEntrySchema } from "./workload-schema.ts";
import { systemSchema } from "./systems-schema.ts";
import { defaultRegion, pricedRegions } from "./price-table.ts";
import { messages } from "./messages.ts";
import { sweepSchema } from "./sweep-schema.ts";

const at = () => duration().describe("simulated time of the action, from the start of the run");
const target = () => z.string({ error: "the name of a system in this scenario" });

const timelineAction = z.discriminatedUnion("action", [
  z.strictObject({ at: at(), system: target(), action: z.literal("update-shard-count"), shards: positiveInt(10_000) }),
  z.strictObject({
    at: at(),
    system: target(),
    action: z.literal("split-shard"),
    shard: nonNegativeInt(),
    newStartingHashKey: z
      .string()
      .regex(/^(0|[1-9]\d{0,38})$/, { error: "a decimal hash key from 0 to 2^128-1" })
      .optional()
      .describe("default: the midpoint of the shard's hash range"),
  }),
  z.strictObject({
    at: at(),
    system: target(),
    action: z.literal("merge-shards"),
    shards: z.tuple([nonNegativeInt(), nonNegativeInt()], { error: "two adjacent shard indexes [a, b]" }),
  }),
  z.strictObject({ at: at(), system: target(), action: z.literal("broker-down"), broker: nonNegativeInt(), for: duration() }),
  z.strictObject({
    at: at(),
    system: target(),
    action: z.literal("add-partitions"),
    partitions: positiveInt(100_000).describe("the topic's new partition count (partitions can only be added)"),
  }),
  z.strictObject({
    at: at(),
    system: target(),
    action: z.literal("consumer-crash"),
    consumer: z.union([z.string(), nonNegativeInt()], { error: "a consumer name, or a consumer index within a group" }),
    group: z.string().optional().describe("Kafka: the consumer group; consumer is then the member index"),
  }),
  z.strictObject({
    at: at(),
    system: target(),
    action: z.literal("flink-restart"),
    application: z.string({ error: "the name of a Flink application (type: flink) of the system" }).describe("the Flink application that restarts from its last checkpoint"),
  }),
  z.strictObject({
    at: at(),
    system: target(),
    action: z.literal("consumer-fail"),
    consumer: z.string({ error: "a consumer name" }),
    for: duration(),
  }),
]);

export const scenarioSchema = z.strictObject({
  name: name(),
  description: z.string().optional(),
  seed: nonNegativeInt().prefault(1),
  duration: duration().refine((valueUs) => valueUs >= 1_000_000, { error: "a duration of at least 1s" }),
  warmup: duration().prefault("0s").describe("excluded from latency and lag statistics, not from record counts"),
  start: z
    .string({ error: "a UTC timestamp such as 2026-01-01T00:00:00Z" })
    .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/, { error: "a UTC timestamp such as 2026-01-01T00:00:00Z" })
    // Date.parse rolls 2026-02-30 over into March; a real date prints back as itself.
    .refine((text) => !Number.isNaN(Date.parse(text)) && new Date(Date.parse(text)).toISOString() === text.replace("Z", ".000Z"), {
      error: "a valid calendar date and time",
    })
    .optional()
    .describe("calendar time of simulated time 0, ISO 8601 UTC (daily keys, daily cycles, metrics.csv timestamps); left out: 2026-01-01T00:00:00Z for the calendar, and metrics.csv times in seconds"),
  report: z
    .strictObject({
      interval: duration()
        .refine((valueUs) => valueUs >= 1_000_000 && valueUs % 1_000_000 === 0, { error: "a whole number of seconds, at least 1s" })
        .prefault("1m"),
    })
    .prefault({}),
  // Regions with a price table (sim/cost/prices/); a zod enum, so a misspelt region gets a did-you-mean.
  region: z
    .enum(pricedRegions() as [string, ...string[]], { error: messages.pricedRegion(pricedRegions()) })
    .prefault(defaultRegion)
    .describe("AWS region whose prices the cost model uses"),
  pricing: z
    .record(
      z.string(),
      z.number({ error: "a price in USD per the price's unit (a number >= 0)" }).min(0, { error: "a price in USD per the price's unit (a number >= 0)" }),
    )
    .prefault({})
    .describe("unit prices replacing the region's, by price name (sim/cost/prices/<region>.yaml, instance.<type>)"),
  workload: z.array(workloadEntrySchema, { error: "a list of producers" }).min(1, { error: "at least one producer" }),
  systems: z.array(systemSchema, { error: "a list of systems" }).prefault([]),
  timeline: z.array(timelineAction, { error: "a list of timeline actions" }).prefault([]),
  sweep: sweepSchema,
});

export type ScenarioInput = z.output<typeof scenarioSchema>;
export type TimelineAction = ScenarioInput["timeline"][number];
