// A client retry policy: up to maxAttempts attempts in all, exponential backoff from baseDelay
// doubling per retry and capped at maxDelay, with jitter "none", "full" (uniform in [0, backoff])
// or "equal" (half fixed, half uniform) as in the AWS SDKs' retry strategies.

import type { Uniform } from "../engine/index.ts";

export interface RetrySettings {
  maxAttempts: number;
  baseDelayUs: number;
  maxDelayUs: number;
  jitter: "none" | "full" | "equal";
}

export class RetryPolicy {
  constructor(readonly settings: RetrySettings) {
    if (!(settings.maxAttempts >= 1 && settings.baseDelayUs >= 0 && settings.maxDelayUs >= settings.baseDelayUs)) {
      throw new RangeError(`invalid retry settings ${JSON.stringify(settings)}`);
    }
  }

  /** Whether a record that has been attempted `attempts` times may be tried again. */
  canRetry(attempts: number): boolean {
    return attempts < this.settings.maxAttempts;
  }

  /** Integer delay before the next attempt, after `attempts` failed attempts (attempts >= 1). */
  delayUs(attempts: number, u: Uniform): number {
    const { baseDelayUs, maxDelayUs, jitter } = this.settings;
    const backoffUs = Math.min(maxDelayUs, baseDelayUs * 2 ** Math.min(attempts - 1, 52));
    switch (jitter) {
      case "none":
        return Math.floor(backoffUs);
      case "full":
        return Math.floor(u() * backoffUs);
      case "equal":
        return Math.floor(backoffUs / 2 + u() * (backoffUs / 2));
    }
  }
}
