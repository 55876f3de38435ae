// Whether a consumer falls behind, for every system by one rule over the same input: the per-second
// lag samples its ConsumerMeter took after warm-up. The samples are kept whole (one pair of numbers
// per simulated second, never per record) so that a rule over the whole window (a robust slope, an
// evidence minimum) can replace the two-point rule below without changing what the models feed.

/** The per-second lag samples taken after warm-up, in time order. */
export class LagSamples {
  private timesUs: Float64Array;
  private lagsUs: Float64Array;
  private size = 0;

  /** `capacity`: samples expected (one per simulated second); the arrays grow if more come. */
  constructor(capacity: number) {
    this.timesUs = new Float64Array(Math.max(1, capacity));
    this.lagsUs = new Float64Array(Math.max(1, capacity));
  }

  add(timeUs: number, lagUs: number): void {
    if (this.size > 0 && timeUs < this.timesUs[this.size - 1]!) {
      throw new Error(`LagSamples.add: time ${timeUs} us is before the previous sample ${this.timesUs[this.size - 1]} us`);
    }
    if (this.size === this.timesUs.length) this.grow();
    this.timesUs[this.size] = timeUs;
    this.lagsUs[this.size] = lagUs;
    this.size++;
  }

  get count(): number {
    return this.size;
  }

  timeUsAt(index: number): number {
    return this.timesUs[index]!;
  }

  lagUsAt(index: number): number {
    return this.lagsUs[index]!;
  }

  /** Index of the first sample at or after timeUs; count when none. */
  firstAtOrAfter(timeUs: number): number {
    let low = 0;
    let high = this.size;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (this.timesUs[mid]! < timeUs) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  private grow(): void {
    const times = new Float64Array(this.timesUs.length * 2);
    const lags = new Float64Array(this.lagsUs.length * 2);
    times.set(this.timesUs);
    lags.set(this.lagsUs);
    this.timesUs = times;
    this.lagsUs = lags;
  }
}

export interface LagTrend {
  /** The last sample's lag. */
  finalLagMs: number;
  /** Change of the lag per second, from the first sample of the run's second half to the last sample. */
  growthMsPerSecond: number;
}

/** A consumer whose lag ends above this and still grows has fallen behind without recovering. */
export const fallingBehindLagMsMin = 60_000;

/**
 * The lag trend over the second half of the run after warm-up (from (warmup + end) / 2): the change
 * from the first sample at or after that time to the last sample. Null when fewer than two samples
 * fall in that window.
 */
export function lagTrend(samples: LagSamples, window: { warmupUs: number; durationUs: number }): LagTrend | null {
  const first = samples.firstAtOrAfter((window.warmupUs + window.durationUs) / 2);
  const last = samples.count - 1;
  if (first >= last) return null;
  const finalLagMs = samples.lagUsAt(last) / 1000;
  const spanSeconds = (samples.timeUsAt(last) - samples.timeUsAt(first)) / 1e6;
  return { finalLagMs, growthMsPerSecond: (finalLagMs - samples.lagUsAt(first) / 1000) / spanSeconds };
}

/**
 * The falling-behind rule, the same for every system: over the second half of the run the lag still
 * grows and ends above a minute. Returns the trend as evidence, or null.
 */
export function fallingBehind(samples: LagSamples, window: { warmupUs: number; durationUs: number }): LagTrend | null {
  const trend = lagTrend(samples, window);
  return trend !== null && trend.finalLagMs > fallingBehindLagMsMin && trend.growthMsPerSecond > 0 ? trend : null;
}
