// MSK's EstimatedMaxTimeLag, "time estimate (in seconds) to drain MaxOffsetLag" (docs/reference.md §3.4).
// MSK does not publish its estimator, so this is ours (✘ in the reference): the offset lag of the
// partition with MaxOffsetLag over the rate at which the group's committed offset on that partition
// advanced in the last 60 s (the period MSK pushes its metrics to CloudWatch at), or over what was sampled
// in the first minute. With no advance over a whole window the rate is taken as one record per window, so
// a stalled group shows lag x 60 s, large and finite (a gauge holds finite values), rather than no value;
// with none in the first minute (before the first commit) there is no estimate yet.

import { invariant } from "../engine/index.ts";

/** The window the consumption rate is measured over, in seconds. */
export const drainWindowSeconds = 60;

export class DrainEstimate {
  /** The last window + 1 committed offsets of every partition (partition-major), and their sample times. */
  private readonly committed: Float64Array;
  private readonly timesUs: Float64Array;
  private readonly slots: number;
  private samples = 0;

  constructor(
    private readonly partitionCount: number,
    private readonly windowSeconds: number = drainWindowSeconds,
  ) {
    invariant(windowSeconds >= 1 && Number.isInteger(windowSeconds), "the drain window is a whole number of seconds");
    this.slots = windowSeconds + 1;
    this.committed = new Float64Array(partitionCount * this.slots);
    this.timesUs = new Float64Array(this.slots);
  }

  /** One sample (every simulated second): committedSeqs[i] is partition i's committed offset at nowUs. */
  sample(nowUs: number, committedSeqOf: (partitionIndex: number) => number): void {
    const slot = this.samples % this.slots;
    invariant(this.samples === 0 || nowUs > this.timesUs[(this.samples - 1) % this.slots], "drain samples move forward in time");
    this.timesUs[slot] = nowUs;
    for (let p = 0; p < this.partitionCount; p++) this.committed[p * this.slots + slot] = committedSeqOf(p);
    this.samples++;
  }

  /** Records per second partition p's committed offset advanced over the window (as much of it as was sampled); 0 before two samples. */
  ratePerSecond(partitionIndex: number): number {
    if (this.samples < 2) return 0;
    const newest = (this.samples - 1) % this.slots;
    const oldest = (this.samples - Math.min(this.samples, this.slots)) % this.slots;
    const spanS = (this.timesUs[newest] - this.timesUs[oldest]) / 1e6;
    const base = partitionIndex * this.slots;
    return Math.max(0, this.committed[base + newest] - this.committed[base + oldest]) / spanS;
  }

  /**
   * Seconds to drain `lagRecords` on partition p at its recent rate: lag x window when it made no
   * progress over a whole window, null (no estimate yet) when it made none in a first, partial one.
   */
  drainSeconds(partitionIndex: number, lagRecords: number): number | null {
    if (lagRecords <= 0) return 0;
    const rate = this.ratePerSecond(partitionIndex);
    if (rate > 0) return lagRecords / rate;
    return this.samples >= this.slots ? lagRecords * this.windowSeconds : null;
  }
}
