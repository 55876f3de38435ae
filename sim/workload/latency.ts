// A latency distribution given by its median and 99th percentile: lognormal between them, a
// constant when they are equal (zero included, which analytic validation needs).

import { roundHalfUp, type Uniform } from "../engine/index.ts";
import { normalQuantile99, StandardNormal } from "./normal.ts";

export interface LatencySpec {
  median: number;
  p99: number;
}

/** Draws integer microsecond latencies; one normal draw (two uniforms, polar method) per sample. */
export class LatencySampler {
  private readonly mu: number;
  private readonly sigma: number;
  private readonly normal = new StandardNormal();

  constructor(
    readonly spec: LatencySpec,
    private readonly u: Uniform,
  ) {
    if (!(spec.median >= 0 && spec.p99 >= spec.median)) throw new RangeError(`invalid latency ${JSON.stringify(spec)}`);
    this.mu = spec.median > 0 ? Math.log(spec.median) : 0;
    this.sigma = spec.median > 0 && spec.p99 > spec.median ? Math.log(spec.p99 / spec.median) / normalQuantile99 : 0;
  }

  /** Mean of the distribution (for analytic checks). */
  get meanUs(): number {
    return this.spec.median === 0 ? 0 : Math.exp(this.mu + (this.sigma * this.sigma) / 2);
  }

  sampleUs(): number {
    if (this.spec.median === 0) return 0;
    if (this.sigma === 0) return this.spec.median;
    return roundHalfUp(Math.exp(this.mu + this.sigma * this.normal.next(this.u)));
  }
}
