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
  /**
   * What the slope is measured on: "peaks" (block peaks, at least 4 cycles in the window) or
   * "troughs" (fewer cycles: the lowest lag of the last cycle against the cycle before it).
   */
  basis: "peaks" | "troughs";
  /** The last sample's lag. */
  finalLagMs: number;
  /** Theil-Sen slope of the lag's block peaks over the whole window after warm-up (basis troughs: of the two troughs). */
  growthMsPerSecond: number;
  /** Seconds of the window the samples span. */
  spanSeconds: number;
  /** Kendall's tau of the block peaks against time: 1 when every peak is above all earlier ones (basis troughs: 1 or -1). */
  peaksRising: number;
  /** basis troughs: the lowest lag over the last cycle (the consumer's best since its last poll began); else 0. */
  lastTroughMs: number;
  /** Unread records at the end over the consumption rate: seconds of work waiting. */
  backlogSeconds: number;
}

/**
 * Minimum evidence (docs/models.md "Falling behind"): at least 30 samples (seconds), and at least 4
 * blocks of one cycle each (so 4 poll periods) for the peaks, else two cycles for the troughs; peaks that rise in at least 3 of every 4 pairs
 * (Kendall's tau >= 0.5) by a Theil-Sen slope of at least 10 ms per second (1% of elapsed time);
 * a lag at the end above twice the cycle and above 10 s; and more unread at the end than one cycle of
 * consumption takes. With fewer than 4 cycles: the lowest lag over the last cycle above half a cycle
 * and 10 s, and above the lowest of the cycle before by a quarter of a cycle and 10 s.
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
  troughCycleShare: 0.5,
  troughRiseCycleShare: 0.25,
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
  const rate = cycle.consumedPerSecond;
  const common = {
    finalLagMs: samples.lagUsAt(last) / 1000,
    spanSeconds: spanUs / 1e6,
    backlogSeconds: cycle.unread === 0 ? 0 : rate > 0 ? cycle.unread / rate : Number.POSITIVE_INFINITY,
  };
  if (blocks < evidence.blocksMin) {
    const troughs = lastTwoTroughs(samples, first, last, cycle.cycleUs);
    if (troughs === null) return null;
    const growthMsPerSecond = (troughs.lastUs - troughs.previousUs) / cycle.cycleUs * 1000;
    return { basis: "troughs", ...common, growthMsPerSecond, peaksRising: Math.sign(growthMsPerSecond), lastTroughMs: troughs.lastUs / 1000 };
  }
  const peaks = blockPeaks(samples, first, last, startUs, blockUs, blocks);
  const { slope, tau } = theilSen(peaks, blockUs / 1e6);
  return { basis: "peaks", ...common, growthMsPerSecond: slope / 1000, peaksRising: tau, lastTroughMs: 0 };
}

/**
 * The lowest lag over the last cycle of samples and over the cycle before it (from the window's start
 * when less than a full cycle is left), or null when the samples hold no full last cycle and a sample
 * before it. Every poll of a consumer that keeps up brings its lag near zero, so its lowest lag over
 * any full cycle is near zero; one that falls behind is still far behind right after its polls.
 */
function lastTwoTroughs(samples: LagSamples, first: number, last: number, cycleUs: number): { lastUs: number; previousUs: number } | null {
  if (cycleUs <= 0) return null;
  const lastStartUs = samples.timeUsAt(last) - cycleUs;
  const split = samples.firstAtOrAfter(lastStartUs);
  if (split <= first || split > last) return null;
  let lastUs = Number.POSITIVE_INFINITY;
  let previousUs = Number.POSITIVE_INFINITY;
  const previousStartUs = lastStartUs - cycleUs;
  for (let i = first; i <= last; i++) {
    const lagUs = samples.lagUsAt(i);
    if (i >= split) lastUs = Math.min(lastUs, lagUs);
    else if (samples.timeUsAt(i) >= previousStartUs) previousUs = Math.min(previousUs, lagUs);
  }
  return { lastUs, previousUs };
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
 * unread than one cycle consumes. With fewer than 4 cycles in the window, the troughs stand in for
 * the peaks: even right after its reads the consumer stays far behind (the lowest lag over the last
 * cycle), and further than in the cycle before. Returns the trend as evidence, or null.
 */
export function fallingBehind(samples: LagSamples, window: { warmupUs: number; durationUs: number }, cycle: ConsumerCycle): LagTrend | null {
  const trend = lagTrend(samples, window, cycle);
  if (trend === null) return null;
  const e = fallingBehindEvidence;
  const cycleMs = cycle.cycleUs / 1000;
  const backlogged = trend.backlogSeconds * 1000 > cycleMs;
  if (trend.basis === "troughs") {
    const behindAfterPolls = trend.lastTroughMs > Math.max(e.finalLagMsMin, e.troughCycleShare * cycleMs);
    const troughRiseMs = (trend.growthMsPerSecond * cycleMs) / 1000;
    return behindAfterPolls && troughRiseMs > Math.max(e.finalLagMsMin, e.troughRiseCycleShare * cycleMs) && backlogged ? trend : null;
  }
  const rising = trend.peaksRising >= e.tauMin && trend.growthMsPerSecond >= e.growthMsPerSecondMin;
  const farBehind = trend.finalLagMs > Math.max(e.finalLagMsMin, e.finalLagCycles * cycleMs);
  return rising && farBehind && backlogged ? trend : null;
}

/** A consumer's largest lag over the run in ms (the summary table's lag max), 0 with no samples. */
export function maxLagMs(consumer: { lag: { max: number } }): number {
  const max = consumer.lag.max;
  return Number.isNaN(max) ? 0 : max / 1000;
}
