// Keys built from independent fields: template "{region}-{tier}-{i}" with, per placeholder, a
// list of values (optionally weighted) or an integer range (uniform, or zipf with `lo` the most
// frequent value). Each field takes one draw from the stream per sample.
//
// Index order: mixed radix over the fields in order of first appearance in the template, the first
// field most significant (radix = field size). For fields (a, b, c) with sizes (A, B, C):
// index = (a * B + b) * C + c, where a field's digit is its value's position in `values`
// or (value - lo) for a range. So index order is the template's lexicographic value order.

import assert from "node:assert/strict";
import type { Uniform } from "../../engine/index.ts";
import { ALIAS_ENTRIES_MAX, AliasTable } from "./alias.ts";
import { assertIndex } from "./checks.ts";
import type { KeySpace } from "./keyspace.ts";
import { distinctNames, parseTemplate } from "./template.ts";

export type CompositeField =
  | { values: readonly string[]; weights?: readonly number[] }
  | { range: readonly [number, number]; distribution?: "uniform" | "zipf"; exponent?: number };

export interface CompositeKeysOptions {
  template: string;
  fields: Readonly<Record<string, CompositeField>>;
}

/** A field ready to sample: `table` null means uniform over `size` digits. */
interface FieldSampler {
  size: number;
  table: AliasTable | null;
  valueAt: (digit: number) => string;
}

const INDEX_LIMIT = 2 ** 53;

export function compositeKeys(opts: CompositeKeysOptions): KeySpace {
  const template = parseTemplate(opts.template);
  const names = distinctNames(template);
  assert(names.length >= 1, `composite template ${JSON.stringify(opts.template)} has no placeholders`);
  for (const name of Object.keys(opts.fields)) {
    assert(names.includes(name), `field ${name} does not appear in template ${JSON.stringify(opts.template)}`);
  }
  const fields = names.map((name) => {
    const spec = opts.fields[name];
    assert(spec !== undefined, `template placeholder {${name}} has no field`);
    return buildField(name, spec);
  });
  let cardinality = 1;
  for (const field of fields) cardinality *= field.size;
  assert(cardinality <= INDEX_LIMIT, `composite cardinality ${cardinality} exceeds 2^53`);
  const slotField = template.names.map((name) => names.indexOf(name));
  return new CompositeKeySpace(fields, template.literals, slotField, cardinality, opts.template);
}

class CompositeKeySpace implements KeySpace {
  readonly description: string;
  private readonly sizes: Float64Array;
  private readonly tables: (AliasTable | null)[];

  constructor(
    private readonly fields: readonly FieldSampler[],
    private readonly literals: readonly string[],
    private readonly slotField: readonly number[],
    readonly cardinality: number,
    template: string,
  ) {
    this.sizes = Float64Array.from(fields, (f) => f.size);
    this.tables = fields.map((f) => f.table);
    this.description = `composite(template=${JSON.stringify(template)}, cardinality=${cardinality})`;
  }

  sample(u: Uniform): number {
    const { sizes, tables } = this;
    let index = 0;
    for (let f = 0; f < sizes.length; f++) {
      const table = tables[f];
      const digit = table === null ? Math.floor(u() * sizes[f]) : table.sample(u);
      index = index * sizes[f] + digit;
    }
    return index;
  }

  keyAt(index: number): string {
    const digits = this.digits(index);
    let key = this.literals[0];
    for (let s = 0; s < this.slotField.length; s++) {
      const f = this.slotField[s];
      key += this.fields[f].valueAt(digits[f]) + this.literals[s + 1];
    }
    return key;
  }

  probability(index: number): number {
    const digits = this.digits(index);
    let p = 1;
    for (let f = 0; f < this.fields.length; f++) {
      const table = this.fields[f].table;
      p *= table === null ? 1 / this.fields[f].size : table.probability(digits[f]);
    }
    return p;
  }

  /** Per-field digits of an index (all values < 2^53, so % and / are exact). */
  digits(index: number): number[] {
    assertIndex(index, this.cardinality);
    const digits = new Array<number>(this.fields.length);
    let rest = index;
    for (let f = this.fields.length - 1; f >= 0; f--) {
      const size = this.sizes[f];
      const digit = rest % size;
      digits[f] = digit;
      rest = (rest - digit) / size;
    }
    return digits;
  }
}

function buildField(name: string, spec: CompositeField): FieldSampler {
  if ("values" in spec) {
    const { values, weights } = spec;
    assert(values.length >= 1, `field ${name}: values must not be empty`);
    assert(new Set(values).size === values.length, `field ${name}: values must be distinct`);
    assert(weights === undefined || weights.length === values.length, `field ${name}: one weight per value`);
    const copy = values.slice();
    return {
      size: copy.length,
      table: weights === undefined ? null : new AliasTable(weights),
      valueAt: (digit) => copy[digit],
    };
  }
  const [lo, hi] = spec.range;
  const { distribution = "uniform", exponent } = spec;
  assert(Number.isSafeInteger(lo) && Number.isSafeInteger(hi) && lo <= hi, `field ${name}: range [${lo}, ${hi}] is not an integer range`);
  const size = hi - lo + 1;
  assert(Number.isSafeInteger(size), `field ${name}: range too wide`);
  const valueAt = (digit: number): string => String(lo + digit);
  if (distribution === "uniform") {
    assert(exponent === undefined, `field ${name}: exponent applies to zipf ranges only`);
    return { size, table: null, valueAt };
  }
  assert(distribution === "zipf", `field ${name}: unknown distribution ${String(distribution)}`);
  assert(exponent !== undefined && Number.isFinite(exponent) && exponent >= 0, `field ${name}: zipf needs an exponent >= 0`);
  assert(size <= ALIAS_ENTRIES_MAX, `field ${name}: zipf range of ${size} values exceeds ${ALIAS_ENTRIES_MAX}`);
  const weights = new Float64Array(size);
  for (let d = 0; d < size; d++) weights[d] = Math.pow(d + 1, -exponent);
  return { size, table: new AliasTable(weights), valueAt };
}
