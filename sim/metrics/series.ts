/**
 * Time-bucketed series kept per report interval (memory = number of intervals, never records or
 * seconds). See intervals.ts for the layout: the last interval may be partial, and its real length is
 * reported beside it.
 */

import { IntervalLayout, type SeriesOptions } from "./intervals.ts";

export interface CounterSeriesArrays {
  startUs: Float64Array;
  durationUs: Float64Array;
  sum: Float64Array;
  peakPerSecond: Float64Array;
}

/**
 * A counter (IncomingRecords, IncomingBytes, throttled attempts): per interval the sum of the amounts
 * added and the largest total of any one simulated second inside it (a partial last second counts its
 * total as is, not scaled up).
 *
 * Order rule: adds may come in any order within a second, but the second of successive adds must not
 * decrease (an add in an earlier second than a previous add is a programmer error and throws). The
 * running second's total is folded into the peaks by finish(), and the accessors already include it.
 */
export class CounterSeries {
  private readonly layout: IntervalLayout;
  private readonly sums: Float64Array;
  private readonly peaks: Float64Array;
  private secondCurrent = 0;
  private secondCurrentSum = 0;
  private totalSum = 0;
  /**
   * The running second's interval, and the series' end: most adds fall in the second of the add
   * before, and take the short path (the same second, so the same sums, as the long one).
   */
  private intervalCurrent = 0;
  private readonly endUsLast: number;
  /**
   * Times surely in the running second and the series (a microsecond short of the next second, so
   * that no rounding of timeUs / 1e6 can put them in it): two compares instead of a division. The
   * times between take the long path, which gives the same sums.
   */
  private fastFromUs = 0;
  private fastUntilUs = 0;

  constructor(options: SeriesOptions) {
    this.layout = new IntervalLayout(options, "CounterSeries");
    this.sums = new Float64Array(this.layout.intervalCount);
    this.peaks = new Float64Array(this.layout.intervalCount);
    this.endUsLast = this.layout.endUs;
    this.setFastRange(0);
  }

  private setFastRange(second: number): void {
    this.fastFromUs = second * 1e6;
    this.fastUntilUs = Math.min((second + 1) * 1e6 - 1, this.endUsLast);
  }

  /** Adds `amount` (finite, >= 0) at timeUs in [0, endUs]. O(1), allocation-free. */
  add(timeUs: number, amount: number): void {
    if (timeUs >= this.fastFromUs && timeUs < this.fastUntilUs && amount >= 0 && amount < Infinity) {
      this.secondCurrentSum += amount;
      this.sums[this.intervalCurrent] += amount;
      this.totalSum += amount;
      return;
    }
    this.layout.assertTime(timeUs, "CounterSeries.add");
    if (!(amount >= 0 && amount < Infinity)) {
      throw new RangeError(`CounterSeries.add: amount ${amount} is not a finite number >= 0`);
    }
    const second = this.layout.secondOf(timeUs);
    if (second !== this.secondCurrent) this.startSecond(second, timeUs);
    this.secondCurrentSum += amount;
    this.sums[this.layout.intervalOfSecond(second)] += amount;
    this.totalSum += amount;
  }

  /** Folds the running second into its interval's peak. Idempotent; adds may continue afterwards. */
  finish(): void {
    const interval = this.layout.intervalOfSecond(this.secondCurrent);
    if (this.secondCurrentSum > this.peaks[interval]!) this.peaks[interval] = this.secondCurrentSum;
  }

  get intervalUs(): number {
    return this.layout.intervalUs;
  }

  get endUs(): number {
    return this.layout.endUs;
  }

  get intervalCount(): number {
    return this.layout.intervalCount;
  }

  /** Sum of every amount added. */
  get total(): number {
    return this.totalSum;
  }

  startUsAt(interval: number): number {
    this.layout.assertInterval(interval, "CounterSeries.startUsAt");
    return this.layout.startUsAt(interval);
  }

  durationUsAt(interval: number): number {
    this.layout.assertInterval(interval, "CounterSeries.durationUsAt");
    return this.layout.durationUsAt(interval);
  }

  sumAt(interval: number): number {
    this.layout.assertInterval(interval, "CounterSeries.sumAt");
    return this.sums[interval]!;
  }

  /** Largest one-second total within the interval (0 if nothing was added in it). */
  peakPerSecondAt(interval: number): number {
    this.layout.assertInterval(interval, "CounterSeries.peakPerSecondAt");
    const peak = this.peaks[interval]!;
    if (interval !== this.layout.intervalOfSecond(this.secondCurrent)) return peak;
    return Math.max(peak, this.secondCurrentSum);
  }

  /** Copies of the per-interval values (the running second included). */
  toArrays(): CounterSeriesArrays {
    const peakPerSecond = new Float64Array(this.layout.intervalCount);
    for (let i = 0; i < peakPerSecond.length; i++) peakPerSecond[i] = this.peakPerSecondAt(i);
    return {
      startUs: this.layout.startUsArray(),
      durationUs: this.layout.durationUsArray(),
      sum: this.sums.slice(),
      peakPerSecond,
    };
  }

  private startSecond(second: number, timeUs: number): void {
    if (second < this.secondCurrent) {
      throw new Error(
        `CounterSeries.add: time ${timeUs} us is in second ${second}, before second ${this.secondCurrent} ` +
          "of an earlier add; seconds of successive adds must not decrease",
      );
    }
    this.finish();
    this.secondCurrent = second;
    this.secondCurrentSum = 0;
    this.intervalCurrent = this.layout.intervalOfSecond(second);
    this.setFastRange(second);
  }
}

export interface GaugeSeriesArrays {
  startUs: Float64Array;
  durationUs: Float64Array;
  /** Value in effect at the end of the interval (NaN if the gauge was never set by then). */
  last: Float64Array;
  min: Float64Array;
  max: Float64Array;
  /** Time-weighted mean over the part of the interval where the gauge was set. */
  mean: Float64Array;
}

/**
 * A piecewise-constant gauge (queue length, iterator age, lag): set(timeUs, value) holds the value until
 * the next set. Per interval: last, min, max and the time-weighted mean.
 *
 * - Before the first set the gauge is undefined: that time is not part of any mean, and intervals it
 *   never covered report NaN (set(0, 0) at construction when the natural start is zero).
 * - min/max include every value set in the interval, even one replaced at the same instant, and the
 *   value carried in from an earlier interval when it held for some time in this one.
 * - Times of successive sets must not decrease (programmer error otherwise). The time between the last
 *   set and the end is only accounted for by finish(endUs), so read results after finish().
 *
 * set() is O(1) amortised and allocation-free: it walks each interval it crosses once.
 */
export class GaugeSeries {
  private readonly layout: IntervalLayout;
  private readonly lasts: Float64Array;
  private readonly mins: Float64Array;
  private readonly maxs: Float64Array;
  private readonly integrals: Float64Array;
  private readonly coveredUs: Float64Array;
  private valueCurrent = NaN;
  private timeUsCurrent = 0;

  constructor(options: SeriesOptions) {
    this.layout = new IntervalLayout(options, "GaugeSeries");
    const count = this.layout.intervalCount;
    this.lasts = new Float64Array(count).fill(NaN);
    this.mins = new Float64Array(count).fill(NaN);
    this.maxs = new Float64Array(count).fill(NaN);
    this.integrals = new Float64Array(count);
    this.coveredUs = new Float64Array(count);
  }

  /** Sets the gauge to `value` (finite) from timeUs in [0, endUs] on. */
  set(timeUs: number, value: number): void {
    this.layout.assertTime(timeUs, "GaugeSeries.set");
    if (!Number.isFinite(value)) throw new RangeError(`GaugeSeries.set: value ${value} is not finite`);
    this.advanceTo(timeUs, "GaugeSeries.set");
    this.observe(this.layout.intervalOf(timeUs), value);
    this.valueCurrent = value;
  }

  /** Accounts for the current value up to endUs (default: the series' end). Idempotent. */
  finish(endUs: number = this.layout.endUs): void {
    this.layout.assertTime(endUs, "GaugeSeries.finish");
    this.advanceTo(endUs, "GaugeSeries.finish");
  }

  get intervalUs(): number {
    return this.layout.intervalUs;
  }

  get endUs(): number {
    return this.layout.endUs;
  }

  get intervalCount(): number {
    return this.layout.intervalCount;
  }

  startUsAt(interval: number): number {
    this.layout.assertInterval(interval, "GaugeSeries.startUsAt");
    return this.layout.startUsAt(interval);
  }

  durationUsAt(interval: number): number {
    this.layout.assertInterval(interval, "GaugeSeries.durationUsAt");
    return this.layout.durationUsAt(interval);
  }

  lastAt(interval: number): number {
    this.layout.assertInterval(interval, "GaugeSeries.lastAt");
    return this.lasts[interval]!;
  }

  minAt(interval: number): number {
    this.layout.assertInterval(interval, "GaugeSeries.minAt");
    return this.mins[interval]!;
  }

  maxAt(interval: number): number {
    this.layout.assertInterval(interval, "GaugeSeries.maxAt");
    return this.maxs[interval]!;
  }

  /** Time-weighted mean over the covered part of the interval; NaN if it covered no time. */
  meanAt(interval: number): number {
    this.layout.assertInterval(interval, "GaugeSeries.meanAt");
    return this.integrals[interval]! / this.coveredUs[interval]!;
  }

  toArrays(): GaugeSeriesArrays {
    const mean = new Float64Array(this.layout.intervalCount);
    for (let i = 0; i < mean.length; i++) mean[i] = this.integrals[i]! / this.coveredUs[i]!;
    return {
      startUs: this.layout.startUsArray(),
      durationUs: this.layout.durationUsArray(),
      last: this.lasts.slice(),
      min: this.mins.slice(),
      max: this.maxs.slice(),
      mean,
    };
  }

  /** Integrates the current value from the current time to timeUs, interval by interval. */
  private advanceTo(timeUs: number, owner: string): void {
    if (timeUs < this.timeUsCurrent) {
      throw new Error(`${owner}: time ${timeUs} us is before the previous time ${this.timeUsCurrent} us`);
    }
    if (Number.isNaN(this.valueCurrent)) {
      this.timeUsCurrent = timeUs;
      return;
    }
    const value = this.valueCurrent;
    let interval = this.layout.intervalOf(this.timeUsCurrent);
    while (this.timeUsCurrent < timeUs) {
      const intervalEndUs = this.layout.startUsAt(interval) + this.layout.durationUsAt(interval);
      const stepEndUs = Math.min(intervalEndUs, timeUs);
      const stepUs = stepEndUs - this.timeUsCurrent;
      this.integrals[interval] += value * stepUs;
      this.coveredUs[interval] += stepUs;
      this.observe(interval, value);
      this.timeUsCurrent = stepEndUs;
      interval++;
    }
  }

  private observe(interval: number, value: number): void {
    this.lasts[interval] = value;
    if (!(this.mins[interval]! <= value)) this.mins[interval] = value;
    if (!(this.maxs[interval]! >= value)) this.maxs[interval] = value;
  }
}
