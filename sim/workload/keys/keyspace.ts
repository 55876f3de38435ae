// Partition-key distributions. A record's key is an integer *key index* into a key space; the
// string is built only on demand by keyAt(index), and downstream models cache what they derive
// from it (hash, shard, partition) per index. sample() is O(1) and allocates nothing.
//
// Parameters are validated by assertions: scenario/ turns user input into issues before this.

import assert from "node:assert/strict";
import type { Uniform } from "../../engine/index.ts";
import { ALIAS_ENTRIES_MAX, AliasTable } from "./alias.ts";
import { assertCardinality, assertIndex } from "./checks.ts";
import { indexFormatter } from "./template.ts";

export { dailyKeys, type DailyKeysOptions } from "./daily.ts";
export { uuidKeys, type UuidKeysOptions } from "./uuid.ts";
export { compositeKeys, type CompositeKeysOptions, type CompositeField } from "./composite.ts";

export interface KeySpace {
  /** Number of distinct key indexes; Infinity for per-record UUIDs (and open-ended daily keys). */
  readonly cardinality: number;
  /** A key index in [0, cardinality). */
  sample(u: Uniform): number;
  /** The key string of an index (built on each call; callers cache). */
  keyAt(index: number): string;
  /** The analytic share of an index, when the distribution knows it. */
  probability?(index: number): number;
  /** When present, the key depends on the record's event time and is used instead of sample(). */
  keyForTime?(timeUs: number): number;
  /** Records carry no key (Kafka's null key): systems that route by key choose another way or refuse. */
  readonly keyless?: boolean;
  /** Kinesis: the record's explicit hash key when it has one (it routes instead of the key's MD5); traces only. */
  hashKeyAt?(index: number): bigint | null;
  /** SQS FIFO: the record's message group when it is not the key itself; traces only. */
  groupAt?(index: number): string;
  /** When present, sampling has state (a counter) that a fresh replay must reset. */
  reset?(): void;
  readonly description: string;
}

export const DEFAULT_TEMPLATE = "key-{i}";

/**
 * Every key equally likely; index i is the template with {i} = i. Above 2^32 keys, Alea's 32-bit
 * draws reach only 2^32 of the indexes, spread evenly over the range.
 */
export function uniformKeys(opts: { cardinality: number; template?: string }): KeySpace {
  const { cardinality, template = DEFAULT_TEMPLATE } = opts;
  assertCardinality(cardinality);
  const format = indexFormatter(template, cardinality);
  return {
    cardinality,
    description: `uniform(cardinality=${cardinality}, template=${JSON.stringify(template)})`,
    sample: (u) => Math.floor(u() * cardinality),
    keyAt(index) {
      assertIndex(index, cardinality);
      return format(index);
    },
    probability(index) {
      assertIndex(index, cardinality);
      return 1 / cardinality;
    },
  };
}

/** P(i) proportional to 1/(i+1)^exponent: index 0 is the most frequent key, then 1, 2, ... */
export function zipfKeys(opts: { cardinality: number; exponent: number; template?: string }): KeySpace {
  const { cardinality, exponent, template = DEFAULT_TEMPLATE } = opts;
  assertCardinality(cardinality);
  assert(cardinality <= ALIAS_ENTRIES_MAX, `zipf cardinality ${cardinality} exceeds ${ALIAS_ENTRIES_MAX}`);
  assert(Number.isFinite(exponent) && exponent >= 0, `zipf exponent must be finite and >= 0, got ${exponent}`);
  const weights = new Float64Array(cardinality);
  for (let i = 0; i < cardinality; i++) weights[i] = Math.pow(i + 1, -exponent);
  const description = `zipf(cardinality=${cardinality}, exponent=${exponent}, template=${JSON.stringify(template)})`;
  return new AliasKeySpace(new AliasTable(weights), indexFormatter(template, cardinality), description);
}

/**
 * `hotShare` of the traffic spread evenly over indexes 0..hotKeys-1, the rest evenly over
 * hotKeys..cardinality-1. One draw per sample.
 */
export function hotspotKeys(opts: { cardinality: number; hotKeys: number; hotShare: number; template?: string }): KeySpace {
  const { cardinality, hotKeys, hotShare, template = DEFAULT_TEMPLATE } = opts;
  assertCardinality(cardinality);
  assert(Number.isSafeInteger(hotKeys) && hotKeys >= 1 && hotKeys <= cardinality, `hotKeys must be in [1, cardinality], got ${hotKeys}`);
  assert(hotShare >= 0 && hotShare <= 1, `hotShare must be in [0, 1], got ${hotShare}`);
  const coldKeys = cardinality - hotKeys;
  assert(coldKeys > 0 || hotShare === 1, "hotKeys === cardinality leaves no cold keys: hotShare must be 1");
  const format = indexFormatter(template, cardinality);
  const hotScale = hotShare > 0 ? hotKeys / hotShare : 0;
  const coldScale = hotShare < 1 ? coldKeys / (1 - hotShare) : 0;
  const hotLast = hotKeys - 1;
  const last = cardinality - 1;
  return {
    cardinality,
    description: `hotspot(cardinality=${cardinality}, hotKeys=${hotKeys}, hotShare=${hotShare}, template=${JSON.stringify(template)})`,
    // Math.min guards against the scaled draw rounding up onto the next region's first index.
    sample(u) {
      const x = u();
      if (x < hotShare) return Math.min(Math.floor(x * hotScale), hotLast);
      return Math.min(hotKeys + Math.floor((x - hotShare) * coldScale), last);
    },
    keyAt(index) {
      assertIndex(index, cardinality);
      return format(index);
    },
    probability(index) {
      assertIndex(index, cardinality);
      return index < hotKeys ? hotShare / hotKeys : (1 - hotShare) / coldKeys;
    },
  };
}

/** One key, index 0. sample() draws nothing. */
/** Records without a key: one index whose key is empty, flagged so systems do not route by it. */
export function noKeys(): KeySpace {
  return {
    cardinality: 1,
    keyless: true,
    description: "none (records without a key)",
    sample: () => 0,
    keyAt(index) {
      assertIndex(index, 1);
      return "";
    },
    probability(index) {
      assertIndex(index, 1);
      return 1;
    },
  };
}

export function fixedKey(opts: { key: string }): KeySpace {
  const { key } = opts;
  assert(key.length > 0, "fixed key must not be empty");
  return {
    cardinality: 1,
    description: `fixed(key=${JSON.stringify(key)})`,
    sample: () => 0,
    keyAt(index) {
      assertIndex(index, 1);
      return key;
    },
    probability(index) {
      assertIndex(index, 1);
      return 1;
    },
  };
}

/** An explicit list of distinct keys with weights; index i is keys[i]. */
export function weightedKeys(opts: { keys: readonly string[]; weights: readonly number[] }): KeySpace {
  const { keys, weights } = opts;
  assert(keys.length === weights.length, `${keys.length} keys but ${weights.length} weights`);
  assertDistinctKeys(keys);
  return new AliasKeySpace(new AliasTable(weights), listLookup(keys), `weighted(keys=${keys.length})`);
}

/**
 * Keys from parseKeyFile: index i is keys[i] (first-appearance order in the file), weighted by
 * counts[i], or uniform over the distinct keys when counts is null.
 */
export function fileKeys(opts: { keys: readonly string[]; counts: Float64Array | null }): KeySpace {
  const { keys, counts } = opts;
  assertDistinctKeys(keys);
  if (counts !== null) {
    assert(counts.length === keys.length, `${keys.length} keys but ${counts.length} counts`);
    return new AliasKeySpace(new AliasTable(counts), listLookup(keys), `file(keys=${keys.length}, weighted)`);
  }
  const cardinality = keys.length;
  assert(cardinality <= ALIAS_ENTRIES_MAX, `file holds ${cardinality} keys, more than ${ALIAS_ENTRIES_MAX}`);
  return {
    cardinality,
    description: `file(keys=${cardinality}, uniform)`,
    sample: (u) => Math.floor(u() * cardinality),
    keyAt: listLookup(keys),
    probability(index) {
      assertIndex(index, cardinality);
      return 1 / cardinality;
    },
  };
}

class AliasKeySpace implements KeySpace {
  readonly cardinality: number;

  constructor(
    private readonly table: AliasTable,
    private readonly format: (index: number) => string,
    readonly description: string,
  ) {
    this.cardinality = table.size;
  }

  sample(u: Uniform): number {
    return this.table.sample(u);
  }

  keyAt(index: number): string {
    assertIndex(index, this.cardinality);
    return this.format(index);
  }

  probability(index: number): number {
    return this.table.probability(index);
  }
}

function assertDistinctKeys(keys: readonly string[]): void {
  assert(keys.length >= 1, "key list must not be empty");
  const seen = new Set<string>();
  for (const key of keys) {
    assert(key.length > 0, "keys must not be empty");
    assert(!seen.has(key), `duplicate key ${JSON.stringify(key)}`);
    seen.add(key);
  }
}

function listLookup(keys: readonly string[]): (index: number) => string {
  const copy = keys.slice();
  return (index) => {
    assertIndex(index, copy.length);
    return copy[index];
  };
}
