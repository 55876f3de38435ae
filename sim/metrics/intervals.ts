/**
 * The report-interval layout shared by the series: [0, endUs) cut into intervals of intervalUs, the
 * last one shorter when endUs is not a multiple of intervalUs. Intervals are whole seconds, so every
 * simulated second lies inside one interval (the last second may be partial too).
 */

const SECOND_US = 1_000_000;

/** Most intervals a series may hold (8 MB per Float64Array at the limit); the scenario picks intervals. */
export const SERIES_INTERVAL_COUNT_MAX = 1_000_000;

export interface SeriesOptions {
  /** Report interval, a positive whole number of seconds in microseconds. */
  intervalUs: number;
  /** End of the run; times in [0, endUs] are accepted, endUs itself counts in the last interval. */
  endUs: number;
}

export class IntervalLayout {
  readonly intervalUs: number;
  readonly endUs: number;
  readonly intervalCount: number;
  private readonly secondsPerInterval: number;
  private readonly secondLast: number;

  constructor(options: SeriesOptions, owner: string) {
    const { intervalUs, endUs } = options;
    if (!(Number.isSafeInteger(intervalUs) && intervalUs > 0 && intervalUs % SECOND_US === 0)) {
      throw new RangeError(`${owner}: intervalUs ${intervalUs} is not a positive whole number of seconds`);
    }
    if (!(Number.isSafeInteger(endUs) && endUs > 0)) {
      throw new RangeError(`${owner}: endUs ${endUs} is not a positive integer`);
    }
    const intervalCount = Math.ceil(endUs / intervalUs);
    if (intervalCount > SERIES_INTERVAL_COUNT_MAX) {
      throw new RangeError(
        `${owner}: ${intervalCount} intervals exceed SERIES_INTERVAL_COUNT_MAX ${SERIES_INTERVAL_COUNT_MAX}`,
      );
    }
    this.intervalUs = intervalUs;
    this.endUs = endUs;
    this.intervalCount = intervalCount;
    this.secondsPerInterval = intervalUs / SECOND_US;
    this.secondLast = Math.ceil(endUs / SECOND_US) - 1;
  }

  /** Second holding timeUs in [0, endUs]; endUs itself belongs to the last second before it. */
  secondOf(timeUs: number): number {
    return Math.min(Math.floor(timeUs / SECOND_US), this.secondLast);
  }

  intervalOfSecond(second: number): number {
    return Math.floor(second / this.secondsPerInterval);
  }

  /** Interval holding timeUs in [0, endUs]; endUs itself belongs to the last interval. */
  intervalOf(timeUs: number): number {
    return Math.min(Math.floor(timeUs / this.intervalUs), this.intervalCount - 1);
  }

  startUsAt(interval: number): number {
    return interval * this.intervalUs;
  }

  /** Real length of the interval: intervalUs, or less for a partial last interval. */
  durationUsAt(interval: number): number {
    return Math.min(this.intervalUs, this.endUs - interval * this.intervalUs);
  }

  startUsArray(): Float64Array {
    const startUs = new Float64Array(this.intervalCount);
    for (let i = 0; i < startUs.length; i++) startUs[i] = this.startUsAt(i);
    return startUs;
  }

  durationUsArray(): Float64Array {
    const durationUs = new Float64Array(this.intervalCount);
    for (let i = 0; i < durationUs.length; i++) durationUs[i] = this.durationUsAt(i);
    return durationUs;
  }

  /** Programmer error unless 0 <= timeUs <= endUs (NaN fails too). */
  assertTime(timeUs: number, owner: string): void {
    if (!(timeUs >= 0 && timeUs <= this.endUs)) {
      throw new RangeError(`${owner}: time ${timeUs} us is outside [0, ${this.endUs}]`);
    }
  }

  /** Programmer error unless 0 <= interval < intervalCount. */
  assertInterval(interval: number, owner: string): void {
    if (!(Number.isInteger(interval) && interval >= 0 && interval < this.intervalCount)) {
      throw new RangeError(`${owner}: interval ${interval} is outside [0, ${this.intervalCount})`);
    }
  }
}
