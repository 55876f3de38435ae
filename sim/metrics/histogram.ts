/**
 * A mergeable, deterministic log-bucket histogram (the DDSketch layout) for non-negative values in
 * microseconds: latencies, ages, lags.
 *
 * Layout. A value v > 0 goes to bucket i = ceil(log(v) / log(gamma)), which holds (gamma^(i-1), gamma^i].
 * Every bucket is reported as 2 * gamma^i / (gamma + 1), which is within alpha = (gamma-1)/(gamma+1)
 * of every value in it. With gamma = 1.02, alpha = 0.0099: any quantile estimate is within 0.99% of the
 * exact quantile of the added values. Zero has a bucket of its own and is reported exactly.
 *
 * The layout is one fixed module-level table shared by all instances, so merging is adding counts, and a
 * histogram's content depends only on the multiset of values added (never on the order or on merges).
 *
 * Memory. Counts live in one Float64Array of BUCKET_SLOT_COUNT (1747) slots, about 14 KB, allocated in
 * full at construction: no growth, no reallocation on the hot path, and merge is a plain loop. Float64
 * counts are exact up to 2^53 records (Uint32 would overflow at 4e9).
 *
 * Range. 0 and (0, 1e15] (1e15 us is ~31.7 years). Values in (0, 1) are below the resolution of virtual
 * time: they share the bucket of 1, so their quantiles are exact to 1 us absolute, not 1% relative
 * (quantiles are clamped to [min, max], so an all-sub-microsecond histogram still reports within range).
 * Negative, NaN, infinite and above-range values are programmer errors and throw a RangeError.
 */

/** Growth factor of consecutive bucket bounds. */
const GAMMA = 1.02;
const LOG_GAMMA = Math.log(GAMMA);

/** Largest relative error of any quantile estimate, (gamma - 1) / (gamma + 1) = 0.0099. */
export const HISTOGRAM_RELATIVE_ERROR_MAX = (GAMMA - 1) / (GAMMA + 1);

/** Largest value a histogram accepts (microseconds, ~31.7 years). */
export const HISTOGRAM_VALUE_US_MAX = 1e15;

/** Slot of a value by definition: slot 0 holds zero, slot i + 1 holds bucket i. The rule slotOf must agree with. */
export function slotByLog(value: number): number {
  if (value === 0) return 0;
  if (value <= 1) return 1;
  return Math.ceil(Math.log(value) / LOG_GAMMA) + 1;
}

// slotOf without a logarithm per value (it runs once per record). A value's exponent and first 7
// mantissa bits pick a cell at most 1/128 of its value wide, narrower than a bucket (2%), so a cell
// holds at most one bucket bound: values below it take the cell's slot, values above the next one.
// Values within 1e-9 (relative) of a bound, and cells with a bound that close to their edge, are
// left to slotByLog: away from bounds the logarithm's rounding (~1e-13 on log(v) / log(gamma))
// cannot move a value across one, so both give the same slot for every value.
const CELL_BITS = 7;
const CELL_FIRST = 1023 << CELL_BITS; // the cell of 1.0 (biased exponent 1023, mantissa 0)
const CELL_COUNT = 50 << CELL_BITS; // exponents 0 .. 49: [1, 2^50), past HISTOGRAM_VALUE_US_MAX
const BOUND_MARGIN = 1e-9;
const cellValue = new Float64Array(1);
const cellWords = new Uint32Array(cellValue.buffer);
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
/** Per cell: its slot below the bound; values below cellBelow take it, values above cellAbove the next one. */
const cellSlot = new Int32Array(CELL_COUNT);
const cellBelow = new Float64Array(CELL_COUNT);
const cellAbove = new Float64Array(CELL_COUNT);
buildCells();

function buildCells(): void {
  for (let cell = 0; cell < CELL_COUNT; cell++) {
    const exponent = cell >> CELL_BITS;
    const lowUs = Math.pow(2, exponent) * (1 + (cell & ((1 << CELL_BITS) - 1)) / (1 << CELL_BITS));
    const highUs = Math.pow(2, exponent) * (1 + ((cell & ((1 << CELL_BITS) - 1)) + 1) / (1 << CELL_BITS));
    // Bucket bounds gamma^i near the cell, the closest within the margin of its edges included.
    const bounds: number[] = [];
    for (let i = Math.floor(Math.log(lowUs) / LOG_GAMMA) - 2; i <= Math.ceil(Math.log(highUs) / LOG_GAMMA) + 2; i++) {
      const boundUs = Math.pow(GAMMA, i);
      if (boundUs >= lowUs * (1 - BOUND_MARGIN) && boundUs <= highUs * (1 + BOUND_MARGIN)) bounds.push(i);
    }
    const inside = bounds.length === 1 && Math.pow(GAMMA, bounds[0]) > lowUs * (1 + BOUND_MARGIN) && Math.pow(GAMMA, bounds[0]) < highUs * (1 - BOUND_MARGIN);
    if (bounds.length === 0) {
      cellSlot[cell] = slotByLog((lowUs + highUs) / 2);
      cellBelow[cell] = Infinity;
      cellAbove[cell] = Infinity;
    } else if (inside) {
      // Bucket i holds (gamma^(i-1), gamma^i]: slot i + 1 up to the bound, i + 2 above it.
      const boundUs = Math.pow(GAMMA, bounds[0]);
      cellSlot[cell] = bounds[0] + 1;
      cellBelow[cell] = boundUs * (1 - BOUND_MARGIN);
      cellAbove[cell] = boundUs * (1 + BOUND_MARGIN);
    } else {
      cellSlot[cell] = 0;
      cellBelow[cell] = -Infinity;
      cellAbove[cell] = Infinity;
    }
  }
}

/** Slot of a value: slot 0 holds zero, slot i + 1 holds bucket i. The one place values are bucketed. */
export function slotOf(value: number): number {
  if (value <= 1) return value === 0 ? 0 : 1;
  if (!(value < 1125899906842624) || !LITTLE_ENDIAN) return slotByLog(value); // 2^50; NaN too
  cellValue[0] = value;
  const cell = (cellWords[1] >>> (20 - CELL_BITS)) - CELL_FIRST;
  if (value < cellBelow[cell]) return cellSlot[cell];
  if (value > cellAbove[cell]) return cellSlot[cell] + 1;
  return slotByLog(value);
}

/** Number of slots: the zero slot plus buckets 0 .. index(1e15) = 1745. */
export const HISTOGRAM_BUCKET_SLOT_COUNT = slotOf(HISTOGRAM_VALUE_US_MAX) + 1;

/** Reported value of each slot: 0 for the zero slot, 2 * gamma^i / (gamma + 1) for bucket i. */
const SLOT_VALUE_US: Float64Array = buildSlotValues();

function buildSlotValues(): Float64Array {
  const values = new Float64Array(HISTOGRAM_BUCKET_SLOT_COUNT);
  for (let slot = 1; slot < values.length; slot++) {
    values[slot] = (2 * Math.pow(GAMMA, slot - 1)) / (GAMMA + 1);
  }
  return values;
}

/** Inclusive upper bound of a slot's values (the lower bound is the previous slot's upper bound). */
function slotUpperUs(slot: number): number {
  return slot === 0 ? 0 : Math.pow(GAMMA, slot - 1);
}

/**
 * 1-based rank of the q-quantile among `count` samples: ceil(q * count), at least 1. q * count is
 * snapped to the nearest integer when within floating-point noise of it, so that e.g. the p99 of 100
 * samples is the 99th sample whatever rounding the product picked up.
 */
function rankOf(q: number, count: number): number {
  const exact = q * count;
  const nearest = Math.round(exact);
  const rank = Math.abs(exact - nearest) <= 1e-9 * exact ? nearest : Math.ceil(exact);
  return Math.max(1, rank);
}

export interface HistogramSummary {
  count: number;
  min: number;
  max: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
}

/** One non-empty bucket: its count and the range (lowerUs, upperUs] its values lie in ([0, 0] for zero). */
export interface HistogramBucket {
  lowerUs: number;
  upperUs: number;
  count: number;
}

export class LogHistogram {
  private readonly counts = new Float64Array(HISTOGRAM_BUCKET_SLOT_COUNT);
  private countTotal = 0;
  private sumTotal = 0;
  private minValue = Infinity;
  private maxValue = -Infinity;

  /**
   * Adds `count` samples of `value`. O(1), allocation-free. `count` is a positive integer (a run of
   * records sharing one latency is one call).
   */
  add(value: number, count = 1): void {
    if (!(value >= 0 && value <= HISTOGRAM_VALUE_US_MAX)) {
      throw new RangeError(`LogHistogram.add: value ${value} is outside [0, ${HISTOGRAM_VALUE_US_MAX}]`);
    }
    if (!(count >= 1 && Number.isInteger(count))) {
      throw new RangeError(`LogHistogram.add: count ${count} is not a positive integer`);
    }
    this.counts[slotOf(value)] += count;
    this.countTotal += count;
    this.sumTotal += value * count;
    if (value < this.minValue) this.minValue = value;
    if (value > this.maxValue) this.maxValue = value;
  }

  /**
   * Adds one sample per record of a batch: endUs - startUs[i] for i < count, 0 for a start after the
   * end (a batch's latencies, from its records' creation times to one acknowledgement). The same
   * content as `count` calls of add(), in one call.
   */
  addElapsed(endUs: number, startUs: ArrayLike<number>, count: number): void {
    const counts = this.counts;
    let sum = this.sumTotal;
    let min = this.minValue;
    let max = this.maxValue;
    for (let i = 0; i < count; i++) {
      const value = endUs > startUs[i] ? endUs - startUs[i] : 0;
      if (!(value <= HISTOGRAM_VALUE_US_MAX)) {
        throw new RangeError(`LogHistogram.addElapsed: value ${value} is outside [0, ${HISTOGRAM_VALUE_US_MAX}]`);
      }
      counts[slotOf(value)]++;
      sum += value;
      if (value < min) min = value;
      if (value > max) max = value;
    }
    this.countTotal += count;
    this.sumTotal = sum;
    this.minValue = min;
    this.maxValue = max;
  }

  /** addElapsed for the records i < count with selected[i] === 1 only (the accepted records of a call). */
  addElapsedWhere(endUs: number, startUs: ArrayLike<number>, selected: Uint8Array, count: number): void {
    const counts = this.counts;
    let sum = this.sumTotal;
    let min = this.minValue;
    let max = this.maxValue;
    let added = 0;
    for (let i = 0; i < count; i++) {
      if (selected[i] !== 1) continue;
      const value = endUs > startUs[i] ? endUs - startUs[i] : 0;
      if (!(value <= HISTOGRAM_VALUE_US_MAX)) {
        throw new RangeError(`LogHistogram.addElapsedWhere: value ${value} is outside [0, ${HISTOGRAM_VALUE_US_MAX}]`);
      }
      counts[slotOf(value)]++;
      sum += value;
      if (value < min) min = value;
      if (value > max) max = value;
      added++;
    }
    this.countTotal += added;
    this.sumTotal = sum;
    this.minValue = min;
    this.maxValue = max;
  }

  /** Number of samples (exact up to 2^53). */
  get count(): number {
    return this.countTotal;
  }

  /**
   * Sum of the added values, accumulated as value * count per add (and summed on merge): exact while the
   * values are integers and the sum stays below 2^53; otherwise rounded per operation.
   */
  get sum(): number {
    return this.sumTotal;
  }

  /** sum / count; NaN when empty. */
  get mean(): number {
    return this.countTotal === 0 ? NaN : this.sumTotal / this.countTotal;
  }

  /** Smallest added value, exact; NaN when empty. */
  get min(): number {
    return this.countTotal === 0 ? NaN : this.minValue;
  }

  /** Largest added value, exact; NaN when empty. */
  get max(): number {
    return this.countTotal === 0 ? NaN : this.maxValue;
  }

  /** Number of count slots; fixed for the life of the histogram (memory does not grow with samples). */
  get bucketSlotCount(): number {
    return this.counts.length;
  }

  /**
   * The q-quantile, q in [0, 1], by the "lower" rank convention: the smallest value v such that at least
   * ceil(q * count) samples are <= v. q = 0 returns the exact min and q = 1 the exact max; otherwise the
   * bucket holding that sample is reported (within HISTOGRAM_RELATIVE_ERROR_MAX of it), clamped to
   * [min, max]. Empty histogram: NaN (callers print null). O(number of buckets in [min, max]).
   */
  quantile(q: number): number {
    if (!(q >= 0 && q <= 1)) throw new RangeError(`LogHistogram.quantile: q ${q} is outside [0, 1]`);
    if (this.countTotal === 0) return NaN;
    if (q === 0) return this.minValue;
    if (q === 1) return this.maxValue;
    const rank = rankOf(q, this.countTotal);
    const slotLast = slotOf(this.maxValue);
    let seen = 0;
    for (let slot = slotOf(this.minValue); slot <= slotLast; slot++) {
      seen += this.counts[slot]!;
      if (seen >= rank) return Math.min(this.maxValue, Math.max(this.minValue, SLOT_VALUE_US[slot]!));
    }
    return this.maxValue; // unreachable: the slots in [min, max] hold every sample
  }

  /** Adds every sample of `other` to this histogram; `other` is unchanged. */
  merge(other: LogHistogram): void {
    if (other.countTotal === 0) return;
    const slotLast = slotOf(other.maxValue);
    for (let slot = slotOf(other.minValue); slot <= slotLast; slot++) {
      this.counts[slot] += other.counts[slot]!;
    }
    this.countTotal += other.countTotal;
    this.sumTotal += other.sumTotal;
    if (other.minValue < this.minValue) this.minValue = other.minValue;
    if (other.maxValue > this.maxValue) this.maxValue = other.maxValue;
  }

  clone(): LogHistogram {
    const copy = new LogHistogram();
    copy.merge(this); // exact: every field starts at its identity (0, +inf, -inf)
    return copy;
  }

  reset(): void {
    this.counts.fill(0);
    this.countTotal = 0;
    this.sumTotal = 0;
    this.minValue = Infinity;
    this.maxValue = -Infinity;
  }

  summary(): HistogramSummary {
    return {
      count: this.countTotal,
      min: this.min,
      max: this.max,
      mean: this.mean,
      p50: this.quantile(0.5),
      p90: this.quantile(0.9),
      p99: this.quantile(0.99),
      p999: this.quantile(0.999),
    };
  }

  /** The non-empty buckets in increasing order of value (for charts and for exact comparisons). */
  toBuckets(): HistogramBucket[] {
    const buckets: HistogramBucket[] = [];
    if (this.countTotal === 0) return buckets;
    const slotLast = slotOf(this.maxValue);
    for (let slot = slotOf(this.minValue); slot <= slotLast; slot++) {
      const count = this.counts[slot]!;
      if (count === 0) continue;
      const lowerUs = slot <= 1 ? 0 : slotUpperUs(slot - 1);
      buckets.push({ lowerUs, upperUs: slotUpperUs(slot), count });
    }
    return buckets;
  }
}
