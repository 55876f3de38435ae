// Standard normal draws by Marsaglia's polar method: two per accepted pair, the second kept for
// the next call.

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
