// The account's Lambda concurrency (docs/reference.md §6.1): one limit shared by every function of the
// account in the region. A function with reserved concurrency owns that share (and may not pass it);
// every other function draws on what is left, the unreserved pool. Each system of a scenario replays
// the workload on its own, so each system builds its own pool: its functions never compete with
// another system's.

import { invariant } from "../engine/index.ts";

export class AccountPool {
  private reservedTotal = 0;
  private unreservedInUse = 0;
  /** Executions running in the account at once, at its highest. */
  peakInUse = 0;
  private inUse = 0;

  constructor(readonly limit: number) {
    invariant(limit >= 1, "an account's concurrency limit is at least 1");
  }

  /** Sets `count` aside for a function's reserved concurrency (checked against the limit by the scenario). */
  reserve(count: number): void {
    this.reservedTotal += count;
    invariant(this.reservedTotal <= this.limit, "reserved concurrency fits in the account's limit");
  }

  /** What functions without reserved concurrency share. */
  get unreservedLimit(): number {
    return this.limit - this.reservedTotal;
  }

  /** An execution of a function without reserved concurrency starts, if the unreserved pool has room. */
  tryAcquireUnreserved(): boolean {
    if (this.unreservedInUse >= this.unreservedLimit) return false;
    this.unreservedInUse++;
    this.started();
    return true;
  }

  releaseUnreserved(): void {
    invariant(this.unreservedInUse > 0, "an execution ends once");
    this.unreservedInUse--;
    this.inUse--;
  }

  /** An execution within a function's own reserved share started (the function checks its share). */
  startedReserved(): void {
    this.started();
  }

  releaseReserved(): void {
    this.inUse--;
  }

  private started(): void {
    this.inUse++;
    if (this.inUse > this.peakInUse) this.peakInUse = this.inUse;
  }
}
