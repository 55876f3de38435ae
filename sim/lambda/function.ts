// A Lambda function (docs/reference.md §6.1): how long an invocation runs, whether it fails, and the
// execution environments it runs in. An invocation takes a warm environment when one is idle, else a
// new one, which first spends the init duration (a cold start) and counts against the function's
// scaling rate; either way it needs a unit of concurrency, from the function's reserved share or the
// account's unreserved pool. No room: the invocation is throttled and the caller retries later.

import { invariant, TokenBucket, type Uniform } from "../engine/index.ts";
import { GaugeSeries, LogHistogram, type SeriesOptions } from "../metrics/index.ts";
import type { LambdaFunctionSpec } from "../scenario/lambda-schema.ts";
import type { AccountPool } from "./account-pool.ts";
import { billedGbSeconds, invocationUsMin, scalingBurst, scalingPerSecond } from "./limits.ts";

/** What a started invocation will do (one reusable object per caller). */
export interface Invocation {
  /** Time from start to answer, init included for a cold start. */
  durationUs: number;
  /** Offset in the batch of the first record that failed; -1 when the invocation succeeds. */
  failedAt: number;
  timedOut: boolean;
  cold: boolean;
}

export class LambdaFunction {
  invocations = 0;
  failedInvocations = 0;
  timeouts = 0;
  throttles = 0;
  coldStarts = 0;
  /** Invocations and billed GB-seconds from the end of warm-up on (what the bill counts). */
  requestsAfterWarmup = 0;
  gbSecondsAfterWarmup = 0;
  readonly concurrency: GaugeSeries;
  readonly duration = new LogHistogram();
  private running = 0;
  peakConcurrency = 0;
  /** Concurrency x time after warm-up, for the mean. */
  private concurrencyUsAfterWarmup = 0;
  private changedUs = 0;
  /** When each idle environment was last released, oldest first (reuse takes the newest). */
  private idleSinceUs: number[] = [];
  private idleHead = 0;
  private readonly scaling: TokenBucket;

  constructor(
    readonly name: string,
    readonly spec: LambdaFunctionSpec,
    private readonly pool: AccountPool,
    private readonly draws: { duration: Uniform; errors: Uniform },
    seriesOptions: SeriesOptions,
    private readonly warmupUs: number,
  ) {
    if (spec.reservedConcurrency !== undefined) pool.reserve(spec.reservedConcurrency);
    this.concurrency = new GaugeSeries(seriesOptions);
    this.concurrency.set(0, 0);
    this.scaling = new TokenBucket(scalingPerSecond, scalingBurst);
  }

  /**
   * Starts an invocation of `records` records at nowUs whose first poison record sits at offset
   * `poisonAt` (Infinity: none); fills `out` and returns true, or returns false when throttled.
   * `partialResponse`: the function reports its failed records and so runs through the whole batch.
   */
  tryStart(nowUs: number, records: number, poisonAt: number, partialResponse: boolean, out: Invocation): boolean {
    const cold = !this.takeWarm(nowUs);
    if (cold && !this.scaling.tryTake(nowUs, 1)) return this.throttled();
    if (!this.acquire()) {
      if (cold) this.scaling.take(-1);
      else this.releaseEnvironment(nowUs);
      return this.throttled();
    }
    this.invocations++;
    if (cold) this.coldStarts++;
    this.changeConcurrency(nowUs, 1);
    const transientAt = this.firstTransientFailure(records);
    const failedAt = Math.min(transientAt, poisonAt);
    const fails = failedAt < records;
    const handledRecords = fails && !partialResponse ? failedAt + 1 : records;
    let handlerUs = this.handlerUs(handledRecords);
    const timeoutUs = this.spec.timeout;
    out.timedOut = handlerUs > timeoutUs;
    if (out.timedOut) handlerUs = timeoutUs;
    const initUs = cold ? this.spec.coldStart.initDuration : 0;
    // An invocation takes at least the 1 ms Lambda bills: a failing batch retried at once cannot loop in no time.
    out.durationUs = Math.max(invocationUsMin, initUs + handlerUs);
    out.failedAt = out.timedOut ? 0 : fails ? failedAt : -1;
    out.cold = cold;
    if (out.failedAt >= 0) this.failedInvocations++;
    if (out.timedOut) this.timeouts++;
    this.duration.add(out.durationUs);
    if (nowUs >= this.warmupUs) {
      this.requestsAfterWarmup++;
      // Duration bills the handler and the init code alike, rounded up to the millisecond (docs/reference.md §6.4).
      this.gbSecondsAfterWarmup += billedGbSeconds(out.durationUs, this.spec.memory);
    }
    return true;
  }

  /** The invocation started at tryStart ended at nowUs: its environment becomes idle, warm. */
  finish(nowUs: number): void {
    invariant(this.running > 0, "an invocation ends once");
    if (this.spec.reservedConcurrency === undefined) this.pool.releaseUnreserved();
    else this.pool.releaseReserved();
    this.changeConcurrency(nowUs, -1);
    this.releaseEnvironment(nowUs);
  }

  /** Mean concurrency over the window after warm-up (Little's law: invocation rate x mean duration). */
  meanConcurrency(endUs: number): number {
    const spanUs = endUs - this.warmupUs;
    if (spanUs <= 0) return 0;
    const tailUs = Math.max(0, endUs - Math.max(this.changedUs, this.warmupUs));
    return (this.concurrencyUsAfterWarmup + this.running * tailUs) / spanUs;
  }

  private throttled(): false {
    this.throttles++;
    return false;
  }

  private acquire(): boolean {
    const reserved = this.spec.reservedConcurrency;
    if (reserved === undefined) return this.pool.tryAcquireUnreserved();
    if (this.running >= reserved) return false;
    this.pool.startedReserved();
    return true;
  }

  /** Takes the most recently used environment still warm at nowUs; drops those idle past keepWarm. */
  private takeWarm(nowUs: number): boolean {
    const keepWarmUs = this.spec.coldStart.keepWarm;
    while (this.idleHead < this.idleSinceUs.length && nowUs - this.idleSinceUs[this.idleHead] > keepWarmUs) this.idleHead++;
    if (this.idleHead > 1024 && this.idleHead * 2 > this.idleSinceUs.length) {
      this.idleSinceUs = this.idleSinceUs.slice(this.idleHead);
      this.idleHead = 0;
    }
    if (this.idleHead === this.idleSinceUs.length) return false;
    this.idleSinceUs.pop();
    return true;
  }

  private releaseEnvironment(nowUs: number): void {
    this.idleSinceUs.push(nowUs);
  }

  private changeConcurrency(nowUs: number, delta: number): void {
    if (nowUs > this.warmupUs) this.concurrencyUsAfterWarmup += this.running * (nowUs - Math.max(this.changedUs, this.warmupUs));
    this.changedUs = nowUs;
    this.running += delta;
    if (this.running > this.peakConcurrency) this.peakConcurrency = this.running;
    this.concurrency.set(nowUs, this.running);
  }

  /** Handler time for `records` records: perBatch + perRecord x records, fixed or exponential with that mean. */
  private handlerUs(records: number): number {
    const d = this.spec.duration;
    const meanUs = d.perBatch + d.perRecord * records;
    if (d.distribution === "fixed" || meanUs === 0) return meanUs;
    return Math.round(-Math.log(1 - this.draws.duration()) * meanUs);
  }

  /** Offset of the first record that fails by chance (geometric), or Infinity: one draw per invocation. */
  private firstTransientFailure(records: number): number {
    const p = this.spec.errors.probability;
    if (p === 0) return Infinity;
    if (p >= 1) return 0;
    const at = Math.floor(Math.log(1 - this.draws.errors()) / Math.log(1 - p));
    return at < records ? at : Infinity;
  }
}
