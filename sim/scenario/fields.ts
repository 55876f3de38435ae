// Field schemas shared by every block of the scenario format. Each schema's error text is the
// "expected ..." half of a message; issues.ts adds the location and what was found.
//
// Human units are converted here, once: a duration field's output is integer microseconds, a size
// field's output is integer bytes. Defaults are written in human units with prefault(), so they go
// through the same conversion and the JSON Schema shows them as a user would write them.

import { z } from "zod";
import { EXPECTED, parseDurationUs, parseRate, parseSizeBytes, UnitError } from "../units/index.ts";

/** Turns a unit parser into a zod transform that reports its UnitError as a custom issue. */
function unitField(parse: (text: string) => number, expected: string, description: string) {
  return z
    .union([z.string(), z.literal(0)], { error: expected })
    .transform((value, ctx) => {
      if (value === 0) return 0;
      try {
        return parse(value);
      } catch (error) {
        if (!(error instanceof UnitError)) throw error;
        ctx.addIssue({ code: "custom", message: error.expected, input: value, ...(error.suggestion === undefined ? {} : { params: { suggestion: error.suggestion } }) });
        return z.NEVER;
      }
    })
    .describe(description);
}


/** A duration in human units; output: integer microseconds. */
export const duration = () => unitField(parseDurationUs, EXPECTED.duration, "duration, e.g. 200ms, 1.5s, 1h");

/** A size in human units; output: integer bytes. */
export const size = () => unitField(parseSizeBytes, EXPECTED.size, "size, e.g. 512B, 64KiB, 1MB");

/** A byte rate such as "10MB/s"; output: bytes per second. */
export const byteRate = () =>
  unitField(
    (text) => {
      const rate = parseRate(text);
      if (rate.kind !== "bytes") throw new UnitError('a byte rate such as "10MB/s" or "4MiB/s"', JSON.stringify(text));
      return rate.bytesPerSecond;
    },
    EXPECTED.rate,
    "byte rate, e.g. 10MB/s",
  );

/** A duration bounded to [minUs, maxUs]; the bound names the service limit it comes from. */
export function durationBetween(minUs: number, maxUs: number, minText: string, maxText: string) {
  return duration().refine((valueUs) => valueUs >= minUs && valueUs <= maxUs, {
    error: `a duration from ${minText} to ${maxText}`,
  });
}

export function sizeBetween(minBytes: number, maxBytes: number, minText: string, maxText: string) {
  return size().refine((valueBytes) => valueBytes >= minBytes && valueBytes <= maxBytes, {
    error: `a size from ${minText} to ${maxText}`,
  });
}

export const positiveInt = (max = Number.MAX_SAFE_INTEGER) =>
  z
    .number({ error: "a positive integer" })
    .int({ error: "a positive integer" })
    .min(1, { error: "a positive integer" })
    .max(max, { error: `an integer from 1 to ${max}` });

export const nonNegativeInt = (max = Number.MAX_SAFE_INTEGER) =>
  z
    .number({ error: "a non-negative integer" })
    .int({ error: "a non-negative integer" })
    .min(0, { error: "a non-negative integer" })
    .max(max, { error: `an integer from 0 to ${max}` });

export const intBetween = (min: number, max: number) =>
  z
    .number({ error: `an integer from ${min} to ${max}` })
    .int({ error: `an integer from ${min} to ${max}` })
    .min(min, { error: `an integer from ${min} to ${max}` })
    .max(max, { error: `an integer from ${min} to ${max}` });

export const positiveNumber = () =>
  z
    .number({ error: "a positive number" })
    .refine((value) => Number.isFinite(value) && value > 0, { error: "a positive number" });

export const nonNegativeNumber = () =>
  z
    .number({ error: "a non-negative number" })
    .refine((value) => Number.isFinite(value) && value >= 0, { error: "a non-negative number" });

/** A fraction in [0, 1]. */
export const fraction = () =>
  z.number({ error: "a number from 0 to 1" }).min(0, { error: "a number from 0 to 1" }).max(1, { error: "a number from 0 to 1" });

/** A name used in file names, ids and report headings. */
export const name = () =>
  z
    .string({ error: "a name" })
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, {
      error: "a name of 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit",
    });

/** A latency distribution given by its median and 99th percentile (both may be zero). */
export const latency = (medianDefault: string, p99Default: string) =>
  z
    .strictObject({
      median: duration().prefault(medianDefault),
      p99: duration().prefault(p99Default),
    })
    .refine((value) => value.p99 >= value.median, { error: "a p99 not below the median", path: ["p99"] })
    .prefault({});

/** Per-record and per-batch processing time of a consumer (both default to zero). */
export const processing = () =>
  z
    .strictObject({
      perRecord: duration().prefault("0s"),
      perBatch: duration().prefault("0s"),
    })
    .prefault({});
