// The simulation clock and run loop. Knows nothing of any domain: components schedule callbacks
// with at()/after() and the loop runs them in (time, schedule order), see queue.ts.

import { EventQueue, type Handler } from "./queue.ts";

export interface RunLimits {
  /** The run stops before the first event later than this (events at exactly endUs still run). */
  endUs: number;
  /** Maximum number of events the run may execute; reaching it is an EventBudgetError. */
  eventBudget: number;
  /** Called every `progressEveryEvents` events and once at the end (for a progress display). */
  onProgress?: (nowUs: number, eventCount: number) => void;
  progressEveryEvents?: number;
}

export interface RunResult {
  eventCount: number;
  endUs: number;
}

export const defaultPendingMax = 50_000_000;

export class Simulation {
  private readonly queue: EventQueue;
  private currentUs = 0;
  private executed = 0;

  constructor(pendingMax = defaultPendingMax) {
    this.queue = new EventQueue(pendingMax);
  }

  get nowUs(): number {
    return this.currentUs;
  }

  get eventCount(): number {
    return this.executed;
  }

  get pendingCount(): number {
    return this.queue.size;
  }

  /**
   * Whether no event is pending at or before now: an event scheduled now for now would run next. A
   * component finishing an event may then do that event's work in place, in the same order, sparing it.
   */
  get idleNow(): boolean {
    return this.queue.peekTimeUs() > this.currentUs;
  }

  /** Schedules handler(arg) at absolute time timeUs (an integer, not in the past). */
  at<T>(timeUs: number, handler: Handler<T>, arg: T): void;
  at(timeUs: number, handler: Handler<undefined>): void;
  at<T>(timeUs: number, handler: Handler<T>, arg?: T): void {
    this.checkTime(timeUs);
    this.queue.push(timeUs, handler, arg as T);
  }

  private checkTime(timeUs: number): void {
    // Written as one range test and one floor test: this runs once per scheduled event.
    if (!(timeUs >= this.currentUs && timeUs <= Number.MAX_SAFE_INTEGER && Math.floor(timeUs) === timeUs)) {
      throw new RangeError(`event time ${timeUs}us must be an integer not before now (${this.currentUs}us)`);
    }
  }

  /** Schedules handler(arg) delayUs microseconds from now. */
  after<T>(delayUs: number, handler: Handler<T>, arg: T): void;
  after(delayUs: number, handler: Handler<undefined>): void;
  after<T>(delayUs: number, handler: Handler<T>, arg?: T): void {
    this.at(this.currentUs + delayUs, handler, arg as T);
  }

  /**
   * Reserves the place in the order of an event at timeUs scheduled now, without scheduling it: a
   * component that only needs to know whether such an event would have run yet (hasRun) spares the
   * event; if it turns out to need it, atReserved schedules it in that same place. Returns the
   * reservation (the seq the event gets).
   */
  reserve(timeUs: number): number {
    this.checkTime(timeUs);
    return this.queue.reserveSeq();
  }

  /** Whether an event reserved at timeUs would have run by now (before the event running now). */
  hasRun(timeUs: number, reservation: number): boolean {
    return timeUs < this.currentUs || (timeUs === this.currentUs && reservation < this.queue.poppedSeq);
  }

  /** Schedules handler(arg) in the place reserved at timeUs (it must not have run yet). */
  atReserved<T>(timeUs: number, reservation: number, handler: Handler<T>, arg: T): void {
    if (this.hasRun(timeUs, reservation)) throw new RangeError(`event reserved at ${timeUs}us would have run already (now ${this.currentUs}us)`);
    this.queue.pushReserved(timeUs, reservation, handler, arg);
  }

  /** Calls handler now and every periodUs after, while the time stays at or before untilUs. */
  every(periodUs: number, untilUs: number, handler: () => void): void {
    const tick = (): void => {
      handler();
      if (this.currentUs + periodUs <= untilUs) this.after(periodUs, tick);
    };
    this.after(0, tick);
  }

  /** Runs events in order until the queue empties or the next event is past limits.endUs. */
  run(limits: RunLimits): RunResult {
    const queue = this.queue;
    const every = limits.progressEveryEvents ?? 1 << 16;
    let untilProgress = every;
    const endUs = limits.endUs;
    const budget = limits.eventBudget;
    let executed = this.executed;
    if (executed >= budget && queue.peekTimeUs() <= endUs) throw new EventBudgetError(budget, this.currentUs);
    // The count lives in a local while the loop runs (written back at every exit and progress call).
    while (queue.popUntil(endUs)) {
      this.currentUs = queue.poppedTimeUs;
      const handler = queue.poppedHandler!;
      handler(queue.poppedArg);
      // Checked before the next pop, so a run stopped by its budget loses no event.
      if (++executed >= budget && queue.peekTimeUs() <= endUs) {
        this.executed = executed;
        throw new EventBudgetError(budget, this.currentUs);
      }
      if (--untilProgress === 0) {
        untilProgress = every;
        this.executed = executed;
        limits.onProgress?.(this.currentUs, executed);
      }
    }
    this.executed = executed;
    this.currentUs = Math.max(this.currentUs, limits.endUs);
    limits.onProgress?.(this.currentUs, this.executed);
    return { eventCount: this.executed, endUs: this.currentUs };
  }
}

export class EventBudgetError extends Error {
  constructor(readonly eventBudget: number, readonly atUs: number) {
    super(
      `the run reached its event budget of ${eventBudget} events at simulated time ${atUs}us before ` +
        `its end; shorten the scenario (--duration), lower its rates, or raise the budget (--event-budget)`,
    );
  }
}
