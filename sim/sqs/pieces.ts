// Messages as runs, never one object per message: a piece is messages accepted together (or within
// runSpanUs of each other) that share a receive count. A piece lives in a queue, in a receive in
// flight, or in the delay line; splitting one takes a share of its bytes and creation-time sum.

import { Deque, invariant } from "../engine/index.ts";
import { runSpanUs } from "./limits.ts";

export interface Piece {
  count: number;
  bytes: number;
  /** Earliest creation time by the workload, and the sum of creation times (means are sum / count). */
  createMinUs: number;
  createSumUs: number;
  /** When SQS accepted the first of them (SentTimestamp): retention and the queue's order use it. */
  sentUs: number;
  /** Sum of their send times (the queue wait is measured from each message's own). */
  sentSumUs: number;
  /** Times these messages were received so far (ApproximateReceiveCount). */
  receiveCount: number;
  /** An extra copy of messages already deleted (standard queues' at-least-once delivery). */
  ghost: boolean;
  /** FIFO message group (null for standard queues). */
  group: FifoGroup | null;
  /** In the queue's heap of returned messages (a late delete on a standard queue may still reach it). */
  inHeap: boolean;
}

/** A FIFO message group: its messages in order, and whether any of them is in flight. */
export interface FifoGroup {
  /** The producer's partition key (MessageGroupId). */
  key: string;
  queue: PieceQueue;
  /** Messages of the group in flight: while any is, the group yields nothing (docs/reference.md §4). */
  inFlightMessages: number;
  /** Whether it sits in the ready-groups queue (unlocked with messages visible). */
  ready: boolean;
  /** First deliveries' latest send time, to check order within the group. */
  lastFirstSentUs: number;
  /** Forgotten by the queue (idle): a producer holding it must look the key up again. */
  swept: boolean;
  /** High-throughput FIFO: the partition its MessageGroupId hashes to (-1 in other queues). */
  partition: number;
}

/**
 * A copy of a piece, written out field by field: every piece then has the one shape the heap and the
 * queues are optimised for (object spreads made pieces of other shapes and slowed every heap
 * operation: a receive-heavy run took 6.8 s instead of 3.6 s, with the heap's swap below).
 */
export function copyPiece(piece: Piece): Piece {
  const { count, bytes, createMinUs, createSumUs, sentUs, sentSumUs, receiveCount, ghost, group, inHeap } = piece;
  return { count, bytes, createMinUs, createSumUs, sentUs, sentSumUs, receiveCount, ghost, group, inHeap };
}

/** Takes `take` (< piece.count) messages off the front of a piece into a new piece. */
export function splitFront(piece: Piece, take: number): Piece {
  invariant(take > 0 && take < piece.count, "a piece is split into two non-empty parts");
  const share = take / piece.count;
  const front = copyPiece(piece);
  front.count = take;
  front.bytes = piece.bytes * share;
  front.createSumUs = piece.createSumUs * share;
  front.sentSumUs = piece.sentSumUs * share;
  piece.count -= take;
  piece.bytes -= front.bytes;
  piece.createSumUs -= front.createSumUs;
  piece.sentSumUs -= front.sentSumUs;
  return front;
}

/** A queue of pieces, oldest first, that keeps the count of messages it holds. */
export class PieceQueue {
  private readonly items = new Deque<Piece>();
  private held = 0;

  /** Messages held (ghosts included). */
  get count(): number {
    return this.held;
  }

  get length(): number {
    return this.items.length;
  }

  peek(): Piece | undefined {
    return this.items.peek();
  }

  last(): Piece | undefined {
    return this.items.peekLast();
  }

  push(piece: Piece): void {
    this.items.push(piece);
    this.held += piece.count;
  }

  unshift(piece: Piece): void {
    this.items.unshift(piece);
    this.held += piece.count;
  }

  shift(): Piece | undefined {
    const piece = this.items.shift();
    if (piece !== undefined) this.held -= piece.count;
    return piece;
  }

  /**
   * Adds messages to the last piece (the caller checked they may join it): their count, bytes,
   * earliest creation time and the sums of their creation and send times.
   */
  extendLast(count: number, bytes: number, createMinUs: number, createSumUs: number, sentSumUs: number): void {
    const tail = this.items.peekLast();
    invariant(tail !== undefined, "messages join the last piece of an empty queue");
    tail.count += count;
    tail.bytes += bytes;
    if (createMinUs < tail.createMinUs) tail.createMinUs = createMinUs;
    tail.createSumUs += createSumUs;
    tail.sentSumUs += sentSumUs;
    this.held += count;
  }

  /**
   * Adds `count` messages of `group` sent at sentUs: they join the last piece when it holds first
   * deliveries of the same group sent within runSpanUs before; otherwise they start a piece.
   */
  addSent(sentUs: number, count: number, bytes: number, createMinUs: number, createSumUs: number, group: FifoGroup | null): void {
    const tail = this.items.peekLast();
    if (tail !== undefined && tail.receiveCount === 0 && !tail.ghost && tail.group === group && sentUs - tail.sentUs <= runSpanUs) {
      return this.extendLast(count, bytes, createMinUs, createSumUs, sentUs * count);
    }
    this.push({ count, bytes, createMinUs, createSumUs, sentUs, sentSumUs: sentUs * count, receiveCount: 0, ghost: false, group, inHeap: false });
  }

  /** Takes up to `max` messages off the front (splitting a piece if needed). */
  takeFront(max: number): Piece | undefined {
    const piece = this.peek();
    if (piece === undefined) return undefined;
    if (piece.count <= max) return this.shift();
    this.held -= max;
    return splitFront(piece, max);
  }

  forEach(visit: (piece: Piece) => void): void {
    this.items.forEach(visit);
  }
}

/** A min-heap of pieces by send time (ties by insertion order): returned messages, oldest first. */
export class PieceHeap {
  private readonly items: Piece[] = [];
  private readonly order: number[] = [];
  private nextOrder = 0;
  private held = 0;

  /** Messages held (ghosts included). */
  get count(): number {
    return this.held;
  }

  get length(): number {
    return this.items.length;
  }

  /** The oldest piece; pieces emptied by a late delete leave the heap when they reach its top. */
  peek(): Piece | undefined {
    while (this.items.length > 0 && this.items[0].count === 0) this.pop();
    return this.items[0];
  }

  push(piece: Piece): void {
    piece.inHeap = true;
    this.items.push(piece);
    this.order.push(this.nextOrder++);
    this.held += piece.count;
    let i = this.items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(i, parent)) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  pop(): Piece | undefined {
    const top = this.items[0];
    if (top === undefined) return undefined;
    const lastPiece = this.items.pop()!;
    const lastOrder = this.order.pop()!;
    this.held -= top.count;
    top.inHeap = false;
    if (this.items.length > 0) {
      this.items[0] = lastPiece;
      this.order[0] = lastOrder;
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        const right = left + 1;
        let smallest = i;
        if (left < this.items.length && this.less(left, smallest)) smallest = left;
        if (right < this.items.length && this.less(right, smallest)) smallest = right;
        if (smallest === i) break;
        this.swap(i, smallest);
        i = smallest;
      }
    }
    return top;
  }

  /** Takes up to `max` messages off the top (splitting it if needed; the rest keeps its place). */
  takeTop(max: number): Piece | undefined {
    const top = this.peek();
    if (top === undefined) return undefined;
    if (top.count <= max) return this.pop();
    this.held -= max;
    const front = splitFront(top, max);
    front.inHeap = false;
    return front;
  }

  /**
   * Removes `count` of a piece's messages where it lies (a late delete): an emptied piece stays until
   * it reaches the top (peek drops it), so that removal costs no search.
   */
  withdraw(piece: Piece, count: number): void {
    invariant(piece.inHeap === true && count > 0 && count <= piece.count, "a late delete removes messages the heap holds");
    this.held -= count;
    if (count < piece.count) {
      splitFront(piece, count);
      return;
    }
    piece.count = 0;
    piece.bytes = 0;
    piece.createSumUs = 0;
    piece.sentSumUs = 0;
  }

  forEach(visit: (piece: Piece) => void): void {
    for (const piece of this.items) visit(piece);
  }

  private less(a: number, b: number): boolean {
    const pa = this.items[a];
    const pb = this.items[b];
    return pa.sentUs < pb.sentUs || (pa.sentUs === pb.sentUs && this.order[a] < this.order[b]);
  }

  /** Swaps in place (a destructuring swap allocated two arrays per step on the hot path). */
  private swap(a: number, b: number): void {
    const items = this.items;
    const order = this.order;
    const piece = items[a];
    items[a] = items[b];
    items[b] = piece;
    const rank = order[a];
    order[a] = order[b];
    order[b] = rank;
  }
}

/** The lowest `count` bits set (count <= 10: a receive's messages). */
export function lowBits(count: number): number {
  return (1 << count) - 1;
}

/** Bits set in `mask` at positions from..to-1. */
export function countBits(mask: number, from: number, to: number): number {
  let bits = 0;
  for (let i = from; i < to; i++) if ((mask >> i) & 1) bits++;
  return bits;
}

/**
 * Splits a batch's pieces into runs of messages that succeeded (bit set in okMask, pushed to `ok`)
 * and that failed (returned), in the batch's order: at most one piece per message, never more.
 */
export function splitByMask(pieces: Piece[], okMask: number, ok: Piece[]): Piece[] {
  const failed: Piece[] = [];
  let position = 0;
  for (const piece of pieces) {
    const end = position + piece.count;
    while (position < end) {
      const bit = (okMask >> position) & 1;
      let run = 1;
      while (position + run < end && ((okMask >> (position + run)) & 1) === bit) run++;
      const part = position + run === end ? piece : splitFront(piece, run);
      (bit === 1 ? ok : failed).push(part);
      position += run;
    }
  }
  return failed;
}
