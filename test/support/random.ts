/** Test-only deterministic random numbers (mulberry32) and the distributions the metrics tests draw from. */

export type Uniform = () => number;

/** Uniform in [0, 1) from a 32-bit seed. */
export function mulberry32(seed: number): Uniform {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function exponential(uniform: Uniform, mean: number): number {
  return -mean * Math.log(1 - uniform());
}

/** Standard normal by Box-Muller (one of the pair; simplicity over speed). */
export function normal(uniform: Uniform): number {
  const u1 = 1 - uniform();
  const u2 = uniform();
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

export function lognormal(uniform: Uniform, median: number, sigma: number): number {
  return median * Math.exp(sigma * normal(uniform));
}

/** Integer uniform in [low, high]. */
export function integerBetween(uniform: Uniform, low: number, high: number): number {
  return low + Math.floor(uniform() * (high - low + 1));
}

/** Log-uniform in [low, high]: every decade equally likely. */
export function logUniform(uniform: Uniform, low: number, high: number): number {
  return low * Math.pow(high / low, uniform());
}
