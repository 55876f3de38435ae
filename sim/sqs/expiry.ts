// Receives in the order their visibility timeouts pass. A queue has one visibility timeout, so receives
// expire in the order they were made: one event at a time waits for the first that is still active,
// instead of one per receive, which kept tens of thousands of events, nearly all for receives long
// deleted, in the simulation's queue. Shared by the worker fleet and the Lambda mapping.

import { Deque, type Simulation } from "../engine/index.ts";

/** What the expiry queue needs of a receive: when its timeout passes, and whether it is still active. */
export interface Expiring {
  expireUs: number;
  state: number;
}

/** The state of a receive whose messages are still in flight. */
export const activeReceive = 0;

export class ExpiryQueue<R extends Expiring> {
  private readonly pending = new Deque<R>();
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
    this.pending.push(receive);
    if (this.eventUs < 0) {
      this.eventUs = receive.expireUs;
      this.sim.at(receive.expireUs, this.dueHandler);
    }
  }

  /** Expires the receives whose timeout is now, forgets those done, and waits for the next active one. */
  private due(): void {
    const now = this.sim.nowUs;
    const pending = this.pending;
    for (let receive = pending.peek(); receive !== undefined && (receive.expireUs <= now || receive.state !== activeReceive); receive = pending.peek()) {
      pending.shift();
      if (receive.state === activeReceive) this.expire(receive);
    }
    const next = pending.peek();
    this.eventUs = next === undefined ? -1 : next.expireUs;
    if (next !== undefined) this.sim.at(next.expireUs, this.dueHandler);
  }
}
