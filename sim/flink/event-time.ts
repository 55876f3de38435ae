// A record's event time is its creation less a delay (device clocks, network): lognormal from the
// application's median and p99 (docs/reference.md §8.5), drawn by inversion, one uniform per record.
// Windows care about a delay only where it carries a record back across a window boundary, and the
// watermark only about a batch's largest event time. So a record whose uniform is at or below the
// probability of a delay short of its creation window's boundary keeps its creation time's windows
// without its delay being computed (nearly all records, as delays are short beside windows), and a
// run of records created together sets the watermark with the delay of its smallest uniform (the delay
// grows with the uniform). The draws are the same as computing every delay.

import { roundHalfUp, type Uniform } from "../engine/index.ts";
import { normalCdf, normalQuantile, normalQuantile99, type LatencySpec } from "../workload/index.ts";
import { windowBoundaryAtOrBefore, type WindowSettings } from "./windows.ts";

/** Slack on the distribution function's error (about 1.2e-7) and the quantile's: a uniform this close to the boundary computes its delay. */
const boundarySlack = 1e-6;

export class EventTimeDelays {
  private readonly mu: number;
  private readonly sigma: number;

  constructor(
    readonly spec: LatencySpec,
    /** The application's event-time stream: one draw per record read. */
    readonly u: Uniform,
  ) {
    if (!(spec.median >= 0 && spec.p99 >= spec.median)) throw new RangeError(`invalid event-time delay ${JSON.stringify(spec)}`);
    this.mu = spec.median > 0 ? Math.log(spec.median) : 0;
    this.sigma = spec.median > 0 && spec.p99 > spec.median ? Math.log(spec.p99 / spec.median) / normalQuantile99 : 0;
  }

  /** The delay (whole microseconds) of the record that drew v. */
  delayUs(v: number): number {
    if (this.spec.median === 0) return 0;
    if (this.sigma === 0) return this.spec.median;
    return roundHalfUp(Math.exp(this.mu + this.sigma * normalQuantile(v)));
  }

  /** For a run of records created at createMeanUs: a uniform at or below which a record keeps the windows of createMeanUs. */
  shortIn(createMeanUs: number, settings: WindowSettings): number {
    return this.shortBelow(createMeanUs - windowBoundaryAtOrBefore(createMeanUs, settings));
  }

  /** A uniform at or below which the delay is surely at most thresholdUs: -1 when none is. */
  shortBelow(thresholdUs: number): number {
    if (this.spec.median === 0) return 1;
    if (this.sigma === 0) return this.spec.median <= thresholdUs ? 1 : -1;
    // A delay below thresholdUs - 1 rounds to at most thresholdUs.
    if (thresholdUs <= 1) return -1;
    return normalCdf((Math.log(thresholdUs - 1) - this.mu) / this.sigma) - boundarySlack;
  }
}
