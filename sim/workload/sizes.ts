// Record sizes: fixed, uniform, lognormal (from median and p99), weighted list; every draw is
// clipped to the spec's cap and the clipped draws are counted (docs/design.md).

import { roundHalfUp, type Uniform } from "../engine/index.ts";
import type { RecordSizeSpec } from "../scenario/types.ts";
import { AliasTable } from "./keys/index.ts";
import { normalQuantile99, StandardNormal } from "./normal.ts";

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

/** ln(size) ~ Normal(mu, sigma) with exp(mu) = median and exp(mu + z99 sigma) = p99. */
class LognormalSizes implements SizeSampler {
  clippedCount = 0;
  readonly meanBytes: number;
  private readonly mu: number;
  private readonly sigma: number;
  private readonly normal = new StandardNormal();

  constructor(medianBytes: number, p99Bytes: number, private readonly capBytes: number) {
    this.mu = Math.log(medianBytes);
    this.sigma = Math.log(p99Bytes / medianBytes) / normalQuantile99;
    this.meanBytes = Math.exp(this.mu + (this.sigma * this.sigma) / 2);
  }

  sample(u: Uniform): number {
    const size = roundHalfUp(Math.exp(this.mu + this.sigma * this.normal.next(u)));
    if (size > this.capBytes) {
      this.clippedCount++;
      return this.capBytes;
    }
    return size < 1 ? 1 : size;
  }
}
