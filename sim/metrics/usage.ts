// Billable quantities (SystemResult.usage), counted the same way by every model: where they happen,
// from the end of warm-up on (an event at exactly the end of warm-up counts). Never a whole-run total
// minus a snapshot, so a quantity means the same whichever model counts it.

export class UsageCounter {
  /** By name, in the order the names were first given (the constructor's, then first adds). */
  readonly totals: Record<string, number> = {};

  constructor(
    private readonly warmupUs: number,
    names: readonly string[] = [],
  ) {
    for (const name of names) this.totals[name] = 0;
  }

  /** Whether what happens at nowUs is billed. */
  counts(nowUs: number): boolean {
    return nowUs >= this.warmupUs;
  }

  /** Adds `amount` of `name` if nowUs is after warm-up. */
  add(nowUs: number, name: string, amount: number): void {
    if (nowUs >= this.warmupUs) this.totals[name] = (this.totals[name] ?? 0) + amount;
  }
}
