// Standard normal draws by Marsaglia's polar method (two per accepted pair, the second kept for the
// next call), and the normal quantile and distribution function for draws by inversion.

import { errorFunction } from "simple-statistics";
import type { Uniform } from "../engine/index.ts";

/** The standard normal quantile at 0.99. */
export const normalQuantile99 = 2.3263478740408408;

export class StandardNormal {
  private spare = 0;
  private hasSpare = false;

  next(u: Uniform): number {
    if (this.hasSpare) {
      this.hasSpare = false;
      return this.spare;
    }
    let x: number;
    let y: number;
    let s: number;
    do {
      x = 2 * u() - 1;
      y = 2 * u() - 1;
      s = x * x + y * y;
    } while (s >= 1 || s === 0);
    const factor = Math.sqrt((-2 * Math.log(s)) / s);
    this.spare = y * factor;
    this.hasSpare = true;
    return x * factor;
  }
}

// Acklam's rational approximation of the standard normal quantile (relative error below 1.15e-9 over
// (0, 1)). simple-statistics' probit is off by about 0.3% at 0.99, too coarse to draw by inversion.
const a0 = -3.969683028665376e1, a1 = 2.209460984245205e2, a2 = -2.759285104469687e2, a3 = 1.38357751867269e2, a4 = -3.066479806614716e1, a5 = 2.506628277459239;
const b0 = -5.447609879822406e1, b1 = 1.615858368580409e2, b2 = -1.556989798598866e2, b3 = 6.680131188771972e1, b4 = -1.328068155288572e1;
const c0 = -7.784894002430293e-3, c1 = -3.223964580411365e-1, c2 = -2.400758277161838, c3 = -2.549732539343734, c4 = 4.374664141464968, c5 = 2.938163982698783;
const d0 = 7.784695709041462e-3, d1 = 3.224671290700398e-1, d2 = 2.445134137142996, d3 = 3.754408661907416;
/** Below it (and above 1 less it) the tail's form applies. */
const centralLow = 0.02425;

/** The standard normal quantile of p in (0, 1); -Infinity at 0 and Infinity at 1. */
export function normalQuantile(p: number): number {
  if (p <= 0) return -Infinity;
  if (p >= 1) return Infinity;
  if (p < centralLow) return tailQuantile(Math.sqrt(-2 * Math.log(p)));
  if (p > 1 - centralLow) return -tailQuantile(Math.sqrt(-2 * Math.log(1 - p)));
  const q = p - 0.5;
  const r = q * q;
  return ((((((a0 * r + a1) * r + a2) * r + a3) * r + a4) * r + a5) * q) / (((((b0 * r + b1) * r + b2) * r + b3) * r + b4) * r + 1);
}

/** The lower tail's quantile from q = sqrt(-2 ln p). */
function tailQuantile(q: number): number {
  return (((((c0 * q + c1) * q + c2) * q + c3) * q + c4) * q + c5) / ((((d0 * q + d1) * q + d2) * q + d3) * q + 1);
}

/** The standard normal distribution function, to within about 1.2e-7 (simple-statistics' error function). */
export function normalCdf(x: number): number {
  return 0.5 * (1 + errorFunction(x / Math.SQRT2));
}
