// The SQS Lambda mapping's receipts (docs/reference.md §6.5): each ReceiveMessage call's messages from the
// receive to their delete, or to the end of their visibility timeout, when copies of what is still in
// flight go back to the queue. One visibility timeout per queue, so receipts expire in the order they
// were made: one event at a time waits for the first still in flight.

import type { Simulation } from "../engine/index.ts";
import { activeReceive, ExpiryQueue } from "./expiry.ts";
import type { ConsumerMeter, CounterSeries } from "../metrics/index.ts";
import { copyPiece, countBits, lowBits, splitByMask, type Piece } from "./pieces.ts";
import type { SqsQueue } from "./queue.ts";

const active = activeReceive;
const expired = 1;
const done = 2;

/** One ReceiveMessage call's messages (at most 10), from the receive to their delete or the end of their visibility. */
export interface MappingReceive {
  pieces: Piece[];
  count: number;
  expireUs: number;
  state: number;
  /** Never reused (sim/sqs/expiry.ts): always 0. */
  generation: number;
  /** Standard queues, after the visibility timeout: the copies made visible again (a late delete may still reach them). */
  copies: Piece[] | null;
}

export class MappingReceipts {
  /** Stale completions: the visibility timeout passed while the function still ran. */
  staleBatches = 0;
  private readonly inFlight = new Set<MappingReceive>();
  private readonly expiring: ExpiryQueue<MappingReceive>;

  constructor(
    private readonly sim: Simulation,
    private readonly queue: SqsQueue,
    private readonly deletedSeries: CounterSeries,
    private readonly meter: ConsumerMeter,
    private readonly visibilityTimeoutUs: number,
  ) {
    this.expiring = new ExpiryQueue(sim, (receive) => this.expire(receive));
  }

  /** Messages received at nowUs: in flight until deleted or until their visibility timeout passes. */
  received(pieces: Piece[], count: number, nowUs: number): MappingReceive {
    // A visibility timeout of 0 still lets a delete made at the same instant count: it ends a microsecond later.
    const receive: MappingReceive = { pieces, count, expireUs: nowUs + Math.max(1, this.visibilityTimeoutUs), state: active, generation: 0, copies: null };
    this.inFlight.add(receive);
    this.expiring.add(receive);
    return receive;
  }

  /** Whether the receipt is still current (its messages in flight, not yet visible again). */
  current(receive: MappingReceive): boolean {
    return receive.state === active;
  }

  /** One receive's messages after the invocation: the ok ones deleted (if its receipt is still current). Returns how many. */
  settle(receive: MappingReceive, okMask: number, now: number): number {
    if (receive.state !== active) return this.settleLate(receive, okMask, now);
    if (okMask === 0) return 0;
    let ok: Piece[];
    if (okMask === lowBits(receive.count)) {
      ok = receive.pieces;
      receive.pieces = [];
    } else {
      ok = [];
      receive.pieces = splitByMask(receive.pieces, okMask, ok);
    }
    let real = 0;
    let ghosts = 0;
    for (const piece of ok) {
      if (piece.ghost) ghosts += piece.count;
      else {
        real += piece.count;
        if (this.meter.afterWarmup(now)) this.meter.endToEnd(Math.max(0, now - piece.createSumUs / piece.count), piece.count);
      }
    }
    receive.count -= real + ghosts;
    this.queue.deleted(ok, now);
    this.meter.processed(now, real, ghosts);
    this.deletedSeries.add(now, real);
    if (receive.pieces.length === 0) {
      receive.state = done;
      this.inFlight.delete(receive);
    }
    return real + ghosts;
  }

  /**
   * The visibility timeout passed while the function ran: the messages were back in the queue. A FIFO
   * queue rejects the stale receipt handle; a standard queue still deletes the messages nobody received
   * since (docs/reference.md §4), as a consumer fleet's late delete does. The rest will be processed
   * again: duplicates.
   */
  private settleLate(receive: MappingReceive, okMask: number, now: number): number {
    this.staleBatches++;
    let real = 0;
    let position = 0;
    for (const piece of receive.pieces) {
      for (let i = 0; i < piece.count; i++) if (!piece.ghost && (okMask >> (position + i)) & 1) real++;
      position += piece.count;
    }
    let late = 0;
    const copies = receive.copies;
    if (copies !== null) {
      let offset = 0;
      for (let j = 0; j < copies.length; j++) {
        const count = receive.pieces[j].count;
        const copy = copies[j];
        const waiting = copy.inHeap ? copy.count : 0;
        const ok = countBits(okMask, offset + count - waiting, offset + count);
        if (ok > 0) late += this.queue.deleteReturned(copy, ok, now);
        offset += count;
      }
      receive.copies = null;
    }
    if (late > 0) {
      this.meter.processed(now, late, 0);
      this.deletedSeries.add(now, late);
    }
    this.meter.processed(now, 0, real - late);
    return late;
  }

  /** The visibility timeout passed: copies of what is still in flight become visible again (FIFO: in send order). */
  private expire(receive: MappingReceive): void {
    receive.state = expired;
    this.inFlight.delete(receive);
    const back = receive.pieces.map(copyPiece);
    if (this.queue.settings.fifo) back.sort((a, b) => a.sentUs - b.sentUs);
    else receive.copies = back;
    this.queue.returnPieces(back, this.sim.nowUs);
  }

  /** Messages in flight at this mapping now. */
  inFlightCount(): number {
    let count = 0;
    for (const receive of this.inFlight) for (const piece of receive.pieces) if (!piece.ghost) count += piece.count;
    return count;
  }

  /** Oldest creation and send time among messages in flight at this mapping. */
  oldestInFlight(out: { createMinUs: number; sentUs: number }): void {
    for (const receive of this.inFlight) {
      for (const piece of receive.pieces) {
        if (piece.ghost) continue;
        if (piece.createMinUs < out.createMinUs) out.createMinUs = piece.createMinUs;
        if (piece.sentUs < out.sentUs) out.sentUs = piece.sentUs;
      }
    }
  }

}
