// Vose's alias method: O(n) construction, O(1) sampling with one uniform draw and no allocation.
//
// Sampling splits a single draw x = u * n into a column i = floor(x) and a fraction x - i that is
// compared with the column's probability. With seedrandom's Alea (32 bits per draw) the fraction
// keeps 32 - log2(n) bits, so each probability is quantised to about n / 2^32 of its column: for
// n = 1e4 that is 2e-6 of a column's mass, well below any sampling noise a run can resolve.

import assert from "node:assert/strict";
import type { Uniform } from "../../engine/index.ts";

/** Largest table the workload builds (12 bytes per entry: about 200 MB at this size). */
export const ALIAS_ENTRIES_MAX = 2 ** 24;

export class AliasTable {
  /** Number of outcomes (indexes 0..size-1). */
  readonly size: number;
  private readonly prob: Float64Array;
  private readonly alias: Int32Array;
  private readonly normalized: Float64Array;

  constructor(weights: Float64Array | readonly number[]) {
    const n = weights.length;
    assert(n >= 1, "alias table needs at least one weight");
    assert(n <= ALIAS_ENTRIES_MAX, `alias table size ${n} exceeds ALIAS_ENTRIES_MAX ${ALIAS_ENTRIES_MAX}`);
    let total = 0;
    for (let i = 0; i < n; i++) {
      const w = weights[i];
      assert(Number.isFinite(w) && w >= 0, `weight ${i} must be finite and non-negative, got ${w}`);
      total += w;
    }
    assert(total > 0 && Number.isFinite(total), `weights must have a positive finite total, got ${total}`);
    this.size = n;
    this.normalized = new Float64Array(n);
    for (let i = 0; i < n; i++) this.normalized[i] = weights[i] / total;
    this.prob = new Float64Array(n);
    this.alias = new Int32Array(n);
    buildVose(this.normalized, this.prob, this.alias);
  }

  /** One outcome index in [0, size). Exactly one call to `u`. */
  sample(u: Uniform): number {
    const x = u() * this.size;
    // IEEE round-to-nearest keeps u * n < n for every u < 1, so i <= n - 1.
    const i = Math.floor(x);
    return x - i < this.prob[i] ? i : this.alias[i];
  }

  /** The normalised input weight of outcome i (its exact share, for analytic comparisons). */
  probability(i: number): number {
    assert(Number.isInteger(i) && i >= 0 && i < this.size, `alias index ${i} out of range [0, ${this.size})`);
    return this.normalized[i];
  }
}

/** Fills prob/alias from normalised probabilities (Vose 1991, numerically stable variant). */
function buildVose(p: Float64Array, prob: Float64Array, alias: Int32Array): void {
  const n = p.length;
  const scaled = new Float64Array(n);
  // Two stacks sharing one array: small ones grow from the front, large ones from the back.
  const work = new Int32Array(n);
  let smallTop = 0;
  let largeBottom = n;
  for (let i = 0; i < n; i++) {
    scaled[i] = p[i] * n;
    if (scaled[i] < 1) work[smallTop++] = i;
    else work[--largeBottom] = i;
  }
  while (smallTop > 0 && largeBottom < n) {
    const small = work[--smallTop];
    const large = work[largeBottom++];
    prob[small] = scaled[small];
    alias[small] = large;
    scaled[large] = scaled[large] + scaled[small] - 1;
    if (scaled[large] < 1) work[smallTop++] = large;
    else work[--largeBottom] = large;
  }
  // Whatever is left is 1 up to rounding error: those columns never use their alias.
  while (largeBottom < n) {
    const i = work[largeBottom++];
    prob[i] = 1;
    alias[i] = i;
  }
  while (smallTop > 0) {
    const i = work[--smallTop];
    prob[i] = 1;
    alias[i] = i;
  }
}
