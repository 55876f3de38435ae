// The `workload:` block: what is produced (arrivals, rates, record sizes, partition keys).
// How each system's client sends it lives in that system's `producer:` block (systems-schema.ts).

import { z } from "zod";
import { parseIsoUs } from "../workload/trace/time.ts";
import {
  duration,
  fraction,
  name,
  nonNegativeNumber,
  positiveInt,
  positiveNumber,
  size,
} from "./fields.ts";

/** Distinct keys a generated key space may hold: its alias table and counters are arrays this long. */
export const keyCardinalityMax = 10_000_000;

const phase = z.strictObject({
  duration: duration().refine((valueUs) => valueUs > 0, { error: "a duration above zero" }),
  recordsPerSecond: nonNegativeNumber(),
  rampTo: nonNegativeNumber().optional().describe("records/s at the end of the phase (linear ramp)"),
});

const dailyCycle = z
  .strictObject({
    amplitude: fraction().describe("rate swings by +-amplitude around the mean over a day"),
    peakAt: duration()
      .refine((valueUs) => valueUs < 86_400_000_000, { error: "a time of day below 24h" })
      .prefault("12h")
      .describe("time of day (UTC, from the scenario start date) of the daily peak"),
  })
  .describe("a sinusoidal daily cycle multiplying the rate");

// A rate taken from a recorded series (docs/scenarios.md "Rate histories"): CloudWatch JSON of
// get-metric-data or get-metric-statistics, or a two-column CSV; each value is the period's total.
const history = z
  .strictObject({
    path: z.string().min(1, { error: "a file path" }).describe("relative to the scenario file: .json (CloudWatch) or .csv (time,value)"),
    metric: z.string().min(1, { error: "a label or id" }).optional().describe("the series' Label or Id, when the file holds several"),
    values: z.enum(["records", "bytes"]).optional().describe("what each period's total counts; default: bytes when the label names bytes (IncomingBytes), else records"),
    interpolation: z.enum(["step", "linear"]).prefault("step").describe("step: each period's rate held through it; linear: between period midpoints"),
    period: duration()
      .refine((valueUs) => valueUs >= 1_000_000 && valueUs % 1_000_000 === 0, { error: "a whole number of seconds, at least 1s" })
      .optional()
      .describe("the recorded period; default: the smallest step between points"),
    scale: positiveNumber().prefault(1).describe("multiplies every value (2 = twice last Tuesday's traffic)"),
  })
  .describe("the rate of a recorded series; sim time 0 is the scenario's start");

const rate = z
  .strictObject({
    recordsPerSecond: nonNegativeNumber().optional(),
    phases: z.array(phase, { error: "a list of phases" }).min(1, { error: "at least one phase" }).optional(),
    history: history.optional(),
    arrivals: z.enum(["poisson", "uniform"]).prefault("poisson"),
    dailyCycle: dailyCycle.optional(),
  })
  .superRefine((value, ctx) => {
    const given = Number(value.recordsPerSecond !== undefined) + Number(value.phases !== undefined) + Number(value.history !== undefined);
    if (given !== 1) {
      const found = given === 0 ? "none" : "more than one";
      ctx.addIssue({ code: "custom", message: "exactly one of recordsPerSecond, phases or history", input: value, params: { found } });
    }
  });

const sizeWeight = z.strictObject({ size: size(), weight: positiveNumber() });

const recordSize = z.discriminatedUnion("distribution", [
  z.strictObject({ distribution: z.literal("fixed"), size: size() }),
  z
    .strictObject({ distribution: z.literal("uniform"), min: size(), max: size() })
    .refine((value) => value.max >= value.min, { error: "a max not below min", path: ["max"] }),
  z
    .strictObject({ distribution: z.literal("lognormal"), median: size(), p99: size(), max: size().optional() })
    .refine((value) => value.median >= 1, { error: "a median of at least 1B", path: ["median"] })
    .refine((value) => value.p99 >= value.median, { error: "a p99 not below the median", path: ["p99"] }),
  z.strictObject({
    distribution: z.literal("weighted"),
    sizes: z.array(sizeWeight, { error: "a list of { size, weight }" }).min(1, { error: "at least one size" }),
  }),
]);

const template = (example: string) =>
  z
    .string({ error: `a key template such as "${example}"` })
    .min(1, { error: "a non-empty template" })
    .describe("key text; {i} is replaced by the key index");

const cardinality = () => positiveInt(keyCardinalityMax);

const fieldValues = z.union(
  [
    z.strictObject({
      values: z.array(z.string(), { error: "a list of strings" }).min(1, { error: "at least one value" }),
      weights: z.array(positiveNumber()).optional(),
    }),
    z.strictObject({
      range: z.tuple([z.number().int(), z.number().int()], { error: "a pair of integers [low, high]" }),
      distribution: z.enum(["uniform", "zipf"]).prefault("uniform"),
      exponent: positiveNumber().optional(),
    }),
  ],
  { error: "either { values: [...], weights: [...] } or { range: [low, high] }" },
);

const keys = z.discriminatedUnion("distribution", [
  z.strictObject({ distribution: z.literal("uniform"), cardinality: cardinality(), template: template("key-{i}").prefault("key-{i}") }),
  z.strictObject({
    distribution: z.literal("zipf"),
    cardinality: cardinality(),
    exponent: positiveNumber(),
    template: template("key-{i}").prefault("key-{i}"),
  }),
  z.strictObject({
    distribution: z.literal("hotspot"),
    cardinality: cardinality(),
    hotKeys: positiveInt(keyCardinalityMax),
    hotShare: fraction(),
    template: template("key-{i}").prefault("key-{i}"),
  }),
  z.strictObject({ distribution: z.literal("fixed"), key: z.string().min(1, { error: "a non-empty key" }) }),
  z.strictObject({
    distribution: z.literal("weighted"),
    keys: z
      .array(z.strictObject({ key: z.string().min(1, { error: "a non-empty key" }), weight: positiveNumber() }))
      .min(1, { error: "at least one key" }),
  }),
  z.strictObject({ distribution: z.literal("daily") }).describe("one key per UTC calendar day of event time (YYYY-MM-DD)"),
  z.strictObject({ distribution: z.literal("uuid") }).describe("a random UUID per record"),
  z
    .strictObject({ distribution: z.literal("none") })
    .describe("records without a key: Kafka's sticky partitioner spreads them; Kinesis and SQS FIFO need a key"),
  z.strictObject({
    distribution: z.literal("composite"),
    template: template("{region}-{tier}-{i}"),
    fields: z.record(z.string(), fieldValues, { error: "a map from placeholder name to its values" }),
  }),
  z.strictObject({
    distribution: z.literal("file"),
    path: z.string().min(1, { error: "a file path" }).describe("relative to the scenario file"),
    format: z.enum(["csv", "lines"]).optional().describe("default: csv for .csv files, else one key per line"),
  }),
]);

export const producerSchema = z.strictObject({
  producer: name(),
  rate,
  recordSize,
  keys,
});

const traceTime = () =>
  z
    .string({ error: "an ISO 8601 time such as 2026-12-06T10:00:00Z" })
    .refine((text) => !Number.isNaN(parseIsoUs(text)), { error: "an ISO 8601 time such as 2026-12-06T10:00:00Z" });

const columnName = (example: string) => z.string({ error: `a column name such as "${example}"` }).min(1, { error: "a non-empty column name" });

const trace = z
  .strictObject({
    path: z.string({ error: "a file path" }).min(1, { error: "a file path" }).describe("CSV or JSON Lines, optionally gzip; relative to the scenario file"),
    format: z.enum(["csv", "jsonl"]).optional().describe("default: jsonl for .jsonl/.ndjson (optionally .gz), else csv"),
    columns: z
      .strictObject({
        time: columnName("timestamp").prefault("timestamp"),
        key: columnName("key").prefault("key"),
        size: columnName("size").optional().describe("record size in bytes (default column: size)"),
        value: columnName("value").optional().describe("instead of size: the value, whose UTF-8 length is the size"),
        hashKey: columnName("explicit_hash_key").optional().describe("Kinesis ExplicitHashKey (a decimal below 2^128; blank: route by the key)"),
        group: columnName("message_group").optional().describe("SQS FIFO MessageGroupId, when it is not the key"),
      })
      .refine((value) => value.size === undefined || value.value === undefined, { error: "either size or value, not both", path: ["value"] })
      .prefault({})
      .describe("names of the trace's columns (CSV header) or fields (JSON Lines)"),
    timeFormat: z.enum(["iso8601", "epoch-ms", "epoch-us"]).prefault("iso8601"),
    reorderWindow: duration().prefault("0s").describe("how far a timestamp may fall behind an earlier row's; such rows are sorted, later ones are errors"),
    speed: positiveNumber().prefault(1).describe("2 replays twice as fast (double the rate, half the time)"),
    loop: z.boolean({ error: "true or false" }).prefault(false).describe("replay the window again and again until the run ends"),
    start: traceTime().optional().describe("trace time replayed at simulated time 0 (default: the first row's)"),
    end: traceTime().optional().describe("rows at or after this trace time are left out; with loop, the period is end - start"),
    scale: positiveNumber().prefault(1).describe("2 doubles the traffic with twin keys of the same distribution; 0.5 keeps half the rows"),
  })
  .refine((value) => value.start === undefined || value.end === undefined || parseIsoUs(value.end) > parseIsoUs(value.start), {
    error: "an end after start",
    path: ["end"],
  });

/** A producer that replays a recorded trace instead of drawing rates, sizes and keys. */
export const traceProducerSchema = z.strictObject({
  producer: name(),
  trace,
});

/** A workload entry: a synthetic producer, or (with a trace: field) a trace replay. */
export const workloadEntrySchema = z.union([producerSchema, traceProducerSchema], { error: "a producer" });

export type TraceProducerInput = z.output<typeof traceProducerSchema>;
export type TraceInput = TraceProducerInput["trace"];
export type WorkloadEntryInput = z.output<typeof workloadEntrySchema>;
export type ProducerInput = z.output<typeof producerSchema>;
export type RecordSizeInput = ProducerInput["recordSize"];
export type KeysInput = ProducerInput["keys"];
export type RateInput = ProducerInput["rate"];
export type HistoryInput = NonNullable<RateInput["history"]>;
