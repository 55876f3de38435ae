// Billable quantities (SystemResult.usage), counted the same way by every model: where they happen,
// from the end of warm-up on (an event at exactly the end of warm-up counts). Never a whole-run total
// minus a snapshot, so a quantity means the same whichever model counts it. Names are the fields of
// the kind's typed usage (system-kinds.ts), so a misspelt one is a compile error.

export class UsageCounter<Name extends string> {
  /** By name, in the order the constructor was given them. */
  readonly totals: Record<Name, number>;

  constructor(
    private readonly warmupUs: number,
    names: readonly Name[],
  ) {
    const totals: Partial<Record<Name, number>> = {};
    for (const name of names) totals[name] = 0;
    this.totals = totals as Record<Name, number>;
  }

  /** Whether what happens at nowUs is billed. */
  counts(nowUs: number): boolean {
    return nowUs >= this.warmupUs;
  }

  /** Adds `amount` of `name` if nowUs is after warm-up. */
  add(nowUs: number, name: Name, amount: number): void {
    if (nowUs >= this.warmupUs) this.totals[name] += amount;
  }
}
