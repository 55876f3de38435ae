// Receives in the order their visibility timeouts pass. A queue has one visibility timeout, so receives
// expire in the order they were made: one event at a time waits for the first that is still active,
// instead of one per receive, which kept tens of thousands of events, nearly all for receives long
// deleted, in the simulation's queue. Shared by the worker fleet and the Lambda mapping.
//
// A receive finished with may be reused for a later one: each entry keeps the receive's generation
// and timeout as they were when added (parallel ring arrays, no object per entry), so an entry of an
// earlier use is recognised and dropped.

import type { Simulation } from "../engine/index.ts";

/** What the expiry queue needs of a receive: when its timeout passes, whether it is still active, and its use. */
export interface Expiring {
  expireUs: number;
  state: number;
  /** Changed whenever the receive object is reused for another receive. */
  generation: number;
}

/** The state of a receive whose messages are still in flight. */
export const activeReceive = 0;

const initialCapacity = 64;

export class ExpiryQueue<R extends Expiring> {
  private receives: (R | undefined)[] = new Array<R | undefined>(initialCapacity).fill(undefined);
  private generations = new Float64Array(initialCapacity);
  private expiresUs = new Float64Array(initialCapacity);
  private mask = initialCapacity - 1;
  private head = 0;
  private size = 0;
  /** When the pending expiry event fires (-1: none). */
  private eventUs = -1;
  private readonly dueHandler = (): void => this.due();

  /** `expire` is called for each receive still active when its timeout passes. */
  constructor(
    private readonly sim: Simulation,
    private readonly expire: (receive: R) => void,
  ) {}

  /** A new receive; its timeout is no earlier than those already added. */
  add(receive: R): void {
    if (this.size > this.mask) this.grow();
    const slot = (this.head + this.size) & this.mask;
    this.receives[slot] = receive;
    this.generations[slot] = receive.generation;
    this.expiresUs[slot] = receive.expireUs;
    this.size++;
    if (this.eventUs < 0) {
      this.eventUs = receive.expireUs;
      this.sim.at(receive.expireUs, this.dueHandler);
    }
  }

  /** Expires the receives whose timeout is now, forgets those done, and waits for the next active one. */
  private due(): void {
    const now = this.sim.nowUs;
    while (this.size > 0) {
      const head = this.head;
      const receive = this.receives[head]!;
      const current = receive.generation === this.generations[head] && receive.state === activeReceive;
      if (current && this.expiresUs[head] > now) break;
      this.receives[head] = undefined;
      this.head = (head + 1) & this.mask;
      this.size--;
      if (current) this.expire(receive);
    }
    this.eventUs = this.size === 0 ? -1 : this.expiresUs[this.head];
    if (this.size > 0) this.sim.at(this.eventUs, this.dueHandler);
  }

  private grow(): void {
    const capacity = (this.mask + 1) * 2;
    const receives = new Array<R | undefined>(capacity).fill(undefined);
    const generations = new Float64Array(capacity);
    const expiresUs = new Float64Array(capacity);
    for (let i = 0; i < this.size; i++) {
      const from = (this.head + i) & this.mask;
      receives[i] = this.receives[from];
      generations[i] = this.generations[from];
      expiresUs[i] = this.expiresUs[from];
    }
    this.receives = receives;
    this.generations = generations;
    this.expiresUs = expiresUs;
    this.mask = capacity - 1;
    this.head = 0;
  }
}
