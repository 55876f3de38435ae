// What every stream event source mapping does with a batch (docs/reference.md §6.2): invoke the function
// with it; on success checkpoint past it; on a function error retry it, split in two when
// bisectBatchOnFunctionError is on (splitting uses no retry), resume after the records the function
// reported as done when reportBatchItemFailures is on, and give it up (to the on-failure destination,
// or discarded) after maximumRetryAttempts retries or once its records are older than
// maximumRecordAge. A throttled invocation is retried later and uses no retry either.
//
// A lane is one of a partition's concurrent batches (parallelizationFactor lanes per shard). It holds
// a stack of sequence ranges: the batch, or after bisection the halves still to be sent, in order.

import { invariant, type Simulation } from "../engine/index.ts";
import type { Invocation, LambdaFunction } from "./function.ts";

export interface MappingSettings {
  batchSize: number;
  batchingWindowUs: number;
  /** -1: retry until the records expire. */
  maximumRetryAttempts: number;
  /** Infinity: no limit. */
  maximumRecordAgeUs: number;
  bisect: boolean;
  reportBatchItemFailures: boolean;
  onFailureDestination: boolean;
  /** How long a throttled invocation waits before the mapping tries again. */
  throttleRetryUs: number;
}

/** What a lane needs from the partition it reads. */
export interface LaneSource {
  readonly settings: MappingSettings;
  readonly fn: LambdaFunction;
  /** Records before this were removed by retention. */
  retainedFromSeq(): number;
  /** The first sequence number at or after fromSeq (before endSeq) that arrived at or after horizonUs. */
  arrivedFromSeq(fromSeq: number, endSeq: number, horizonUs: number): number;
  /** The first poison record in [startSeq, endSeq), Infinity when none. */
  poisonIn(startSeq: number, endSeq: number): number;
  /** An invocation of [startSeq, endSeq) starts now (iterator age). */
  onInvoke(startSeq: number, endSeq: number): void;
  onSucceeded(startSeq: number, endSeq: number): void;
  /** Records given up: sent to the on-failure destination, or discarded without one. */
  onGivenUp(records: number): void;
  onExpired(records: number): void;
  /** Records the function ran before it failed, which it will be sent again. */
  onRerun(records: number): void;
  onLaneIdle(lane: BatchLane): void;
}

/** Deepest bisection: a batch of 10,000 records halves to one record in 14 steps. */
const stackMax = 32;

export class BatchLane {
  retries = 0;
  bisections = 0;
  /** The longest the lane kept retrying one range, up to its last retry (microseconds). */
  longestStuckUs = 0;
  /** Retries of the range on top of the stack (reset when it is done or given up). */
  private attempts = 0;
  private readonly starts = new Float64Array(stackMax);
  private readonly ends = new Float64Array(stackMax);
  private depth = 0;
  private running = false;
  /** When the range on top was first sent (how long the lane has been stuck on it). */
  private firstTriedUs = -1;
  private readonly invocation: Invocation = { durationUs: 0, failedAt: -1, timedOut: false, cold: false };
  private token = 0;
  private readonly handle = (token: number): void => {
    if (token !== this.token) return;
    if (this.running) this.complete();
    else this.invoke();
  };

  constructor(
    private readonly sim: Simulation,
    private readonly source: LaneSource,
  ) {}

  get idle(): boolean {
    return this.depth === 0;
  }

  /** Records the lane holds and has not resolved. */
  get holding(): number {
    let records = 0;
    for (let i = 0; i < this.depth; i++) records += this.ends[i] - this.starts[i];
    return records;
  }

  /** The oldest record the lane holds, Infinity when idle. */
  get oldestSeq(): number {
    let oldest = Infinity;
    for (let i = 0; i < this.depth; i++) oldest = Math.min(oldest, this.starts[i]);
    return oldest;
  }

  /** How long the lane has been retrying the range it holds (0 when not retrying). */
  stuckUs(nowUs: number): number {
    return this.attempts > 0 && this.firstTriedUs >= 0 ? nowUs - this.firstTriedUs : 0;
  }

  /**
   * The source's log was cut back to endSeq (a Kafka leader elected without the records past it): the
   * ranges the lane holds end there at most; a range left empty resolves when its invocation returns.
   */
  cutTo(endSeq: number): void {
    for (let i = 0; i < this.depth; i++) {
      this.ends[i] = Math.min(this.ends[i], endSeq);
      this.starts[i] = Math.min(this.starts[i], this.ends[i]);
    }
  }

  /** Takes a batch [startSeq, endSeq) and invokes the function with it. */
  take(startSeq: number, endSeq: number): void {
    invariant(this.depth === 0 && endSeq > startSeq, "a lane takes a batch when it holds none");
    this.push(startSeq, endSeq);
    this.invoke();
  }

  private push(startSeq: number, endSeq: number): void {
    invariant(this.depth < stackMax, "bisection stays within the lane's stack");
    this.starts[this.depth] = startSeq;
    this.ends[this.depth] = endSeq;
    this.depth++;
  }

  private pop(): void {
    this.depth--;
    this.attempts = 0;
    this.firstTriedUs = -1;
  }

  /** Sends the range on top: what retention or maximumRecordAge took goes first; throttled, tries again later. */
  private invoke(): void {
    const source = this.source;
    const settings = source.settings;
    const now = this.sim.nowUs;
    while (this.depth > 0) {
      const top = this.depth - 1;
      let start = this.starts[top];
      const end = this.ends[top];
      const retained = Math.min(end, Math.max(start, source.retainedFromSeq()));
      if (retained > start) source.onExpired(retained - start);
      start = retained;
      if (settings.maximumRecordAgeUs !== Infinity && start < end) {
        const young = source.arrivedFromSeq(start, end, now - settings.maximumRecordAgeUs);
        if (young > start) source.onGivenUp(young - start);
        start = young;
      }
      this.starts[top] = start;
      if (start < end) break;
      this.pop();
    }
    if (this.depth === 0) return source.onLaneIdle(this);
    const top = this.depth - 1;
    const start = this.starts[top];
    const end = this.ends[top];
    const poison = source.poisonIn(start, end);
    const out = this.invocation;
    if (!source.fn.tryStart(now, end - start, poison === Infinity ? Infinity : poison - start, settings.reportBatchItemFailures, out)) {
      this.sim.after(settings.throttleRetryUs, this.handle, ++this.token);
      return;
    }
    if (this.firstTriedUs < 0) this.firstTriedUs = now;
    source.onInvoke(start, end);
    this.running = true;
    this.sim.after(out.durationUs, this.handle, ++this.token);
  }

  private complete(): void {
    const source = this.source;
    this.running = false;
    source.fn.finish(this.sim.nowUs);
    const top = this.depth - 1;
    const start = this.starts[top];
    const end = this.ends[top];
    const failedAt = this.invocation.failedAt;
    // A range cut back while its invocation ran (cutTo) keeps only what is left of it: the failing record may be gone.
    if (failedAt < 0 || failedAt >= end - start) {
      source.onSucceeded(start, end);
      this.pop();
      return this.invoke();
    }
    this.failed(start, end, failedAt);
    this.invoke();
  }

  /** A function error at offset failedAt of [start, end) (a timeout fails the whole batch). */
  private failed(start: number, end: number, failedAt: number): void {
    const settings = this.source.settings;
    const top = this.depth - 1;
    let from = start;
    // A function that reports its failed records returns normally: the mapping checkpoints before the
    // first of them and retries from there. Only an invocation that fails outright (an error it does
    // not report, or a timeout) is bisected (docs/reference.md §6.2).
    const partialResponse = settings.reportBatchItemFailures && !this.invocation.timedOut;
    if (partialResponse && failedAt > 0) {
      this.source.onSucceeded(start, start + failedAt);
      from = start + failedAt;
      this.starts[top] = from;
    } else if (!partialResponse && failedAt > 0) {
      this.source.onRerun(failedAt);
    }
    if (settings.bisect && !partialResponse && end - from > 1) {
      const middle = from + Math.ceil((end - from) / 2);
      this.bisections++;
      this.pop();
      this.push(middle, end);
      this.push(from, middle);
      return;
    }
    this.attempts++;
    if (settings.maximumRetryAttempts >= 0 && this.attempts > settings.maximumRetryAttempts) {
      this.source.onGivenUp(end - from);
      this.pop();
      return;
    }
    this.retries++;
    this.longestStuckUs = Math.max(this.longestStuckUs, this.sim.nowUs - this.firstTriedUs);
  }
}

/** A batch's end: at most batchSize records from startSeq, within what is available. */
export function batchEnd(startSeq: number, availableEndSeq: number, batchSize: number): number {
  return Math.min(availableEndSeq, startSeq + batchSize);
}
