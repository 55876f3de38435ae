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

/** What the rule needs besides the samples: the consumer's own cycle and its accounting at the end. */
export interface ConsumerCycle {
  /** The longest the consumer waits between reads of one partition (poll interval, fetch wait): its sawtooth's period. */
  cycleUs: number;
  /** Records accepted and not yet processed at the end. */
  unread: number;
  /** Records processed per second over the window after warm-up. */
  consumedPerSecond: number;
}

export interface LagTrend {
  /** The last sample's lag. */
  finalLagMs: number;
  /** Theil-Sen slope of the lag's block peaks over the whole window after warm-up. */
  growthMsPerSecond: number;
  /** Seconds of the window the samples span. */
  spanSeconds: number;
  /** Kendall's tau of the block peaks against time: 1 when every peak is above all earlier ones. */
  peaksRising: number;
  /** Unread records at the end over the consumption rate: seconds of work waiting. */
  backlogSeconds: number;
}

/**
 * Minimum evidence (docs/models.md "Falling behind"): at least 30 samples (seconds), and at least 4
 * blocks of one cycle each (so 4 poll periods); peaks that rise in at least 3 of every 4 pairs
 * (Kendall's tau >= 0.5) by a Theil-Sen slope of at least 10 ms per second (1% of elapsed time);
 * a lag at the end above twice the cycle and above 10 s; and more unread at the end than one cycle of
 * consumption takes.
 */
export const fallingBehindEvidence = {
  samplesMin: 30,
  blocksMin: 4,
  blocksMax: 200,
  blockUsMin: 5_000_000,
  tauMin: 0.5,
  growthMsPerSecondMin: 10,
  finalLagMsMin: 10_000,
  finalLagCycles: 2,
} as const;

/**
 * The lag's trend over the whole window after warm-up. The samples are cut into blocks at least one
 * cycle long and each block's peak is kept: a consumer that polls every T holds a sawtooth whose peak
 * (~T) every block sees, so the peaks of one that keeps up do not rise, while a trough-to-peak slope
 * would. Blocks grow past a cycle so that there are at most 200 (the Theil-Sen median over all pairs
 * stays bounded for any run length and deterministic). Null when the evidence minimum is not met.
 */
export function lagTrend(samples: LagSamples, window: { warmupUs: number; durationUs: number }, cycle: ConsumerCycle): LagTrend | null {
  const first = samples.firstAtOrAfter(window.warmupUs);
  const last = samples.count - 1;
  const evidence = fallingBehindEvidence;
  if (last - first + 1 < evidence.samplesMin) return null;
  const startUs = samples.timeUsAt(first);
  const spanUs = samples.timeUsAt(last) - startUs + 1_000_000;
  const blockUs = Math.max(cycle.cycleUs, evidence.blockUsMin, spanUs / evidence.blocksMax);
  const blocks = Math.floor(spanUs / blockUs);
  if (blocks < evidence.blocksMin) return null;
  const peaks = blockPeaks(samples, first, last, startUs, blockUs, blocks);
  const { slope, tau } = theilSen(peaks, blockUs / 1e6);
  const rate = cycle.consumedPerSecond;
  return {
    finalLagMs: samples.lagUsAt(last) / 1000,
    growthMsPerSecond: slope / 1000,
    spanSeconds: spanUs / 1e6,
    peaksRising: tau,
    backlogSeconds: cycle.unread === 0 ? 0 : rate > 0 ? cycle.unread / rate : Number.POSITIVE_INFINITY,
  };
}

/** The highest lag in each full block of blockUs from startUs (a partial last block is left out). */
function blockPeaks(samples: LagSamples, first: number, last: number, startUs: number, blockUs: number, blocks: number): Float64Array {
  const peaks = new Float64Array(blocks).fill(Number.NEGATIVE_INFINITY);
  for (let i = first; i <= last; i++) {
    const block = Math.floor((samples.timeUsAt(i) - startUs) / blockUs);
    if (block >= blocks) break;
    peaks[block] = Math.max(peaks[block]!, samples.lagUsAt(i));
  }
  // A block with no sample (none can be: blocks are at least 5 s and samples 1 s apart) takes the one before.
  for (let b = 1; b < blocks; b++) if (peaks[b] === Number.NEGATIVE_INFINITY) peaks[b] = peaks[b - 1]!;
  return peaks;
}

/** Theil-Sen slope (lag units per second) of values spaced stepSeconds apart, and Kendall's tau. */
function theilSen(values: Float64Array, stepSeconds: number): { slope: number; tau: number } {
  const slopes: number[] = [];
  let concordant = 0;
  for (let a = 0; a < values.length; a++) {
    for (let b = a + 1; b < values.length; b++) {
      const rise = values[b]! - values[a]!;
      slopes.push(rise / ((b - a) * stepSeconds));
      concordant += Math.sign(rise);
    }
  }
  slopes.sort((x, y) => x - y);
  const mid = slopes.length >> 1;
  const slope = slopes.length % 2 === 1 ? slopes[mid]! : (slopes[mid - 1]! + slopes[mid]!) / 2;
  return { slope, tau: concordant / slopes.length };
}

/**
 * The falling-behind rule, the same for every system: over the whole window after warm-up the lag's
 * peaks keep rising (fallingBehindEvidence), it ends well above the consumer's own cycle, and more is
 * unread than one cycle consumes. Returns the trend as evidence, or null.
 */
export function fallingBehind(samples: LagSamples, window: { warmupUs: number; durationUs: number }, cycle: ConsumerCycle): LagTrend | null {
  const trend = lagTrend(samples, window, cycle);
  if (trend === null) return null;
  const e = fallingBehindEvidence;
  const cycleMs = cycle.cycleUs / 1000;
  const rising = trend.peaksRising >= e.tauMin && trend.growthMsPerSecond >= e.growthMsPerSecondMin;
  const farBehind = trend.finalLagMs > Math.max(e.finalLagMsMin, e.finalLagCycles * cycleMs);
  const backlogged = trend.backlogSeconds * 1000 > cycleMs;
  return rising && farBehind && backlogged ? trend : null;
}
