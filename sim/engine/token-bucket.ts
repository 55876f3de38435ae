// A token bucket refilled continuously at a fixed rate and holding at most `capacity` tokens: the
// shape of every write limit in the models (docs/design.md: a bucket holds one second of the limit unless
// the service documents otherwise). Refill is computed lazily from the time of the last use.

export class TokenBucket {
  private tokensHeld: number;
  private refilledAtUs: number;

  constructor(
    readonly ratePerSecond: number,
    readonly capacity: number,
    startUs = 0,
  ) {
    if (!(ratePerSecond >= 0 && capacity > 0)) throw new RangeError(`invalid token bucket: rate ${ratePerSecond}, capacity ${capacity}`);
    this.tokensHeld = capacity;
    this.refilledAtUs = startUs;
  }

  /** Tokens available at `nowUs` (times must not go backwards). */
  tokensAt(nowUs: number): number {
    if (nowUs > this.refilledAtUs) {
      this.tokensHeld = Math.min(this.capacity, this.tokensHeld + ((nowUs - this.refilledAtUs) * this.ratePerSecond) / 1e6);
      this.refilledAtUs = nowUs;
    }
    return this.tokensHeld;
  }

  /** Takes `amount` tokens at `nowUs` if that many are available; returns whether it did. */
  tryTake(nowUs: number, amount: number): boolean {
    if (this.tokensAt(nowUs) < amount) return false;
    this.tokensHeld -= amount;
    return true;
  }

  /** Takes tokens already checked with tokensAt at the same time (the hot path checks two buckets first). */
  take(amount: number): void {
    this.tokensHeld -= amount;
  }
}
