// Record sizes: fixed, uniform, lognormal (from median and p99), weighted list; every draw is
// clipped to the spec's cap and the clipped draws are counted (docs/design.md).

import { roundHalfUp, type Uniform } from "../engine/index.ts";
import type { RecordSizeSpec } from "../scenario/types.ts";
import { AliasTable } from "./keys/index.ts";
import { normalQuantile, normalQuantile99 } from "./normal.ts";

export interface SizeSampler {
  /** A size in whole bytes, at least 1 and at most the cap. */
  sample(u: Uniform): number;
  /** Draws that exceeded the cap and were clipped to it. */
  readonly clippedCount: number;
  /** The distribution's mean before clipping, when known in closed form (for validation). */
  readonly meanBytes: number;
}

export function sizeSampler(spec: RecordSizeSpec): SizeSampler {
  switch (spec.distribution) {
    case "fixed":
      return { sample: () => spec.size, clippedCount: 0, meanBytes: spec.size };
    case "uniform": {
      const span = spec.max - spec.min + 1;
      return { sample: (u) => spec.min + Math.floor(u() * span), clippedCount: 0, meanBytes: (spec.min + spec.max) / 2 };
    }
    case "weighted": {
      const table = new AliasTable(spec.sizes.map((entry) => entry.weight));
      const sizes = spec.sizes.map((entry) => entry.size);
      const meanBytes = sizes.reduce((sum, size, i) => sum + size * table.probability(i), 0);
      return { sample: (u) => sizes[table.sample(u)], clippedCount: 0, meanBytes };
    }
    case "lognormal":
      return new LognormalSizes(spec.median, spec.p99, spec.capBytes);
    case "trace":
      // A trace's sizes are read from it (sim/workload/trace); nothing is drawn.
      return { sample: () => 1, clippedCount: 0, meanBytes: Number.NaN };
  }
}

/** Buckets of the uniform in LognormalSizes' guide (a power of two, so bucket ends are exact). */
const guideBuckets = 65536;

/**
 * ln(size) ~ Normal(mu, sigma) with exp(mu) = median and exp(mu + z99 sigma) = p99, drawn by inversion
 * (one uniform per record). The size grows with the uniform, so a guide of the sizes at the ends of
 * equal buckets of the uniform answers every draw in a bucket whose ends give the same size (most of
 * them) without the quantile and exponential a draw costs otherwise: the same sizes, a fifth of the time.
 */
class LognormalSizes implements SizeSampler {
  clippedCount = 0;
  readonly meanBytes: number;
  private readonly mu: number;
  private readonly sigma: number;
  /** The size at j / guideBuckets, j = 0 .. guideBuckets (before clipping). */
  private readonly guide = new Float64Array(guideBuckets + 1);

  constructor(medianBytes: number, p99Bytes: number, private readonly capBytes: number) {
    this.mu = Math.log(medianBytes);
    this.sigma = Math.log(p99Bytes / medianBytes) / normalQuantile99;
    this.meanBytes = Math.exp(this.mu + (this.sigma * this.sigma) / 2);
    for (let j = 0; j <= guideBuckets; j++) this.guide[j] = this.sizeAt(j / guideBuckets);
  }

  sample(u: Uniform): number {
    const v = u();
    const bucket = Math.floor(v * guideBuckets);
    const low = this.guide[bucket]!;
    const size = low === this.guide[bucket + 1] ? low : this.sizeAt(v);
    if (size > this.capBytes) {
      this.clippedCount++;
      return this.capBytes;
    }
    return size < 1 ? 1 : size;
  }

  /** The size (whole bytes, before clipping) of the uniform v. */
  private sizeAt(v: number): number {
    // A p99 equal to the median is one size (0 x the quantile's infinity at 0 would be NaN).
    if (this.sigma === 0) return roundHalfUp(Math.exp(this.mu));
    return roundHalfUp(Math.exp(this.mu + this.sigma * normalQuantile(v)));
  }
}
