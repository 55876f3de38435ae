// The ends of long polls, in the order they fall due. A fleet has one wait time, so polls parked in
// time order end in that order: one event at a time waits for the first end that still matters,
// instead of one event per poll. A woken poll's end (nearly every one when the queue keeps up) is
// dropped unseen rather than kept for up to 20 s in the simulation's queue, whose every operation it
// slowed. Each end keeps the place in the event order it would have had as an event of its own (a
// reservation), so the run is the same event for event.
//
// Entries live in parallel ring arrays (no object per poll): the waiter, its token at parking (a
// waiter whose token moved on has been woken or restarted, for good), the end's time and reservation.

import type { Simulation } from "../engine/index.ts";

/** What the line needs of a waiter: a token that changes whenever its poll is answered or abandoned. */
export interface Tokened {
  token: number;
}

const initialCapacity = 64;

export class WaitLine<W extends Tokened> {
  private waiters: (W | undefined)[] = new Array<W | undefined>(initialCapacity).fill(undefined);
  private tokens = new Float64Array(initialCapacity);
  private timesUs = new Float64Array(initialCapacity);
  private reservations = new Float64Array(initialCapacity);
  private mask = initialCapacity - 1;
  private head = 0;
  private size = 0;
  /** Whether the front entry's event is scheduled. */
  private scheduled = false;
  private readonly dueHandler = (): void => this.due();

  /** `end` is called at an entry's time if its waiter still holds the token it parked with. */
  constructor(
    private readonly sim: Simulation,
    private readonly end: (waiter: W) => void,
  ) {}

  /** A poll parked now by `waiter` (with its current token) ends at endUs, no earlier than those already added. */
  add(waiter: W, endUs: number): void {
    const reservation = this.sim.reserve(endUs);
    if (this.size > this.mask) this.grow();
    const slot = (this.head + this.size) & this.mask;
    this.waiters[slot] = waiter;
    this.tokens[slot] = waiter.token;
    this.timesUs[slot] = endUs;
    this.reservations[slot] = reservation;
    this.size++;
    if (!this.scheduled) this.scheduleFront();
  }

  /** The front entry's time came: its waiter is told if still parked with that token; then the next one that matters is awaited. */
  private due(): void {
    const head = this.head;
    const waiter = this.waiters[head]!;
    const token = this.tokens[head];
    this.shift();
    this.scheduled = false;
    if (waiter.token === token) this.end(waiter);
    this.scheduleFront();
  }

  /** Drops entries whose waiter moved on, and schedules the front one in its reserved place. */
  private scheduleFront(): void {
    while (this.size > 0 && this.waiters[this.head]!.token !== this.tokens[this.head]) this.shift();
    if (this.size === 0) return;
    this.scheduled = true;
    this.sim.atReserved(this.timesUs[this.head], this.reservations[this.head], this.dueHandler, undefined);
  }

  private shift(): void {
    this.waiters[this.head] = undefined;
    this.head = (this.head + 1) & this.mask;
    this.size--;
  }

  private grow(): void {
    const capacity = (this.mask + 1) * 2;
    const waiters = new Array<W | undefined>(capacity).fill(undefined);
    const tokens = new Float64Array(capacity);
    const timesUs = new Float64Array(capacity);
    const reservations = new Float64Array(capacity);
    for (let i = 0; i < this.size; i++) {
      const from = (this.head + i) & this.mask;
      waiters[i] = this.waiters[from];
      tokens[i] = this.tokens[from];
      timesUs[i] = this.timesUs[from];
      reservations[i] = this.reservations[from];
    }
    this.waiters = waiters;
    this.tokens = tokens;
    this.timesUs = timesUs;
    this.reservations = reservations;
    this.mask = capacity - 1;
    this.head = 0;
  }
}
