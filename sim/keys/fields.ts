// `--field` values for composite-key templates: the command-line syntax for the workload's
// CompositeField (sim/workload/keys/composite.ts), so the lab and scenarios share one key builder.
//
//   region=us,eu,ap            values, uniform
//   tier=gold:1,silver:3       values with weights (every value or none)
//   user=1..5000               integer range, uniform
//   user=1..5000:zipf=1.1      integer range, zipf with exponent 1.1 (1 the most frequent)
//
// Values cannot contain commas; a value's weight is the number after its last colon.

import type { CompositeField } from "../workload/keys/index.ts";
import { inputMessages } from "./messages.ts";

export type FieldsResult = { ok: true; fields: Record<string, CompositeField> } | { ok: false; errors: string[] };

const FIELD_PATTERN = /^([A-Za-z_][A-Za-z0-9_]*)=(.+)$/s;
const RANGE_PATTERN = /^(-?\d+)\.\.(-?\d+)(?::zipf(?:=(\d+(?:\.\d+)?))?)?$/;
const WEIGHT_PATTERN = /^(.*):(\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)$/s;

/** Parses every --field flag, collecting all errors. */
export function parseFieldFlags(flags: readonly string[]): FieldsResult {
  const fields: Record<string, CompositeField> = {};
  const errors: string[] = [];
  for (const text of flags) {
    const match = FIELD_PATTERN.exec(text);
    if (match === null) {
      errors.push(inputMessages.fieldSyntax(text));
      continue;
    }
    const [, name, spec] = match;
    if (Object.hasOwn(fields, name)) {
      errors.push(inputMessages.fieldTwice(name));
      continue;
    }
    const parsed = RANGE_PATTERN.test(spec) || spec.includes("..") ? parseRange(name, spec) : parseValues(name, spec);
    if (typeof parsed === "string") errors.push(parsed);
    else fields[name] = parsed;
  }
  return errors.length === 0 ? { ok: true, fields } : { ok: false, errors };
}

function parseRange(name: string, spec: string): CompositeField | string {
  const match = RANGE_PATTERN.exec(spec);
  if (match === null) return inputMessages.fieldRange(name, spec);
  const low = Number(match[1]);
  const high = Number(match[2]);
  if (!(Number.isSafeInteger(low) && Number.isSafeInteger(high) && low <= high)) return inputMessages.fieldRange(name, spec);
  if (!spec.includes(":zipf")) return { range: [low, high] };
  return { range: [low, high], distribution: "zipf", exponent: match[3] === undefined ? 1 : Number(match[3]) };
}

function parseValues(name: string, spec: string): CompositeField | string {
  const items = spec.split(",");
  const weighted = items.map((item) => WEIGHT_PATTERN.exec(item));
  const weightCount = weighted.filter((m) => m !== null && m[1] !== "").length;
  if (weightCount !== 0 && weightCount !== items.length) return inputMessages.fieldWeights(name);
  const values = weightCount === 0 ? items : weighted.map((m) => m![1]);
  if (values.some((v) => v === "")) return inputMessages.fieldSyntax(`${name}=${spec}`);
  const seen = new Set<string>();
  for (const value of values) {
    if (seen.has(value)) return inputMessages.fieldDuplicateValue(name, value);
    seen.add(value);
  }
  if (weightCount === 0) return { values };
  const weights = weighted.map((m) => Number(m![2]));
  const bad = weights.findIndex((w) => !(w > 0 && Number.isFinite(w)));
  if (bad >= 0) return inputMessages.fieldWeightPositive(name, values[bad], weighted[bad]![2]);
  return { values, weights };
}
