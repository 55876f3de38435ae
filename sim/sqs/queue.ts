// The queue: visible messages, the delay line, FIFO message groups and the in-flight count. It
// hands out messages to receives and takes back the ones whose visibility timeout passed; the
// consumer fleets (fleet.ts) hold what is in flight.
//
// Order. A standard queue returns the oldest visible messages first: fresh messages in the order
// they were accepted, and messages whose visibility timeout passed re-enter by their original send
// time (a heap), so a returned message is served before younger fresh ones. A FIFO queue keeps a
// queue of runs per message group; a group with messages in flight yields nothing until they are
// deleted or visible again; groups ready to serve wait in a ready queue (O(1) per receive, whatever
// the number of groups), and a receive fills itself from one group before the next.
//
// High-throughput FIFO (docs/reference.md §4): a group lives on the partition its MessageGroupId
// hashes to, and each partition takes 300 receive transactions per second. A receive takes one
// transaction from each partition whose groups it returns; a ready group on a partition out of
// transactions is passed over (it goes to the back of the ready queue), and a receive that finds
// messages only on such partitions is throttled (ThrottlingException, although messages are there).

import { Deque, invariant, type TokenBucket } from "../engine/index.ts";
import { GaugeSeries, type SeriesOptions } from "../metrics/index.ts";
import type { Batch } from "../workload/index.ts";
import { runSpanUs } from "./limits.ts";
import { PieceHeap, PieceQueue, type FifoGroup, type Piece } from "./pieces.ts";

export interface QueueSettings {
  fifo: boolean;
  delayUs: number;
  retentionUs: number;
  /** Infinity without a dead-letter queue. */
  maxReceiveCount: number;
  inFlightMax: number;
  /** High-throughput FIFO: the partitions message groups hash to (0 otherwise). */
  partitions: number;
}

/** What a receive hands back to the fleet that asked. */
export interface TakeResult {
  count: number;
  /** Receives refused because the in-flight limit was reached. */
  overLimit: boolean;
  /** Messages past maxReceiveCount that this receive moved to the dead-letter queue instead. */
  deadLettered: number;
  /** High-throughput FIFO: nothing taken because every ready group's partition was out of transactions. */
  throttled: boolean;
}

/** A parked long poll: woken when messages may be there (it checks whether it still waits). */
export interface Waiter {
  queued: boolean;
  wake(): void;
}

export class SqsQueue {
  /** Visible messages (ghost copies apart), kept for the gauges; the accounting sums the structures. */
  private visible = 0;
  private inFlight = 0;
  private expiredMessages = 0;
  private outOfOrder = 0;
  /**
   * Messages (ghost copies apart) accepted, deleted and moved to the dead-letter queue so far: with
   * the counts above and the delay line, every accepted message is somewhere exactly once.
   */
  private acceptedTotal = 0;
  private deletedTotal = 0;
  private deadLetteredTotal = 0;
  readonly visibleGauge: GaugeSeries;
  readonly notVisibleGauge: GaugeSeries;
  /** Messages in the delay line (ApproximateNumberOfMessagesDelayed): accepted, not visible until their delay is over. */
  readonly delayedGauge: GaugeSeries;
  private readonly fresh = new PieceQueue();
  private readonly returned = new PieceHeap();
  private readonly delayLine = new PieceQueue();
  /** FIFO message groups by MessageGroupId: producers sending the same key share its group. */
  readonly groups = new Map<string, FifoGroup>();
  /** FIFO groups unlocked with messages visible, in the order they became so. */
  private readonly ready = new Deque<FifoGroup>();
  /** The group a receive is filling from (FIFO), during take(). */
  private filling: FifoGroup | null = null;
  /** During take(): the receive's partition limits (high-throughput FIFO, else null), the partitions it took a transaction from, and the groups it passed over. */
  private receiveLimits: TokenBucket[] | null = null;
  private readonly touched: number[] = [];
  private passedOver = 0;
  private takeUs = 0;
  /** Long-polling receives parked until messages arrive, in the order they parked (each at most once). */
  private readonly waiters = new Deque<Waiter>();

  constructor(
    readonly settings: QueueSettings,
    seriesOptions: SeriesOptions,
  ) {
    this.visibleGauge = new GaugeSeries(seriesOptions);
    this.notVisibleGauge = new GaugeSeries(seriesOptions);
    this.delayedGauge = new GaugeSeries(seriesOptions);
    this.visibleGauge.set(0, 0);
    this.notVisibleGauge.set(0, 0);
    this.delayedGauge.set(0, 0);
  }

  /** Messages visible now (ghost copies apart). */
  get visibleCount(): number {
    return this.visible;
  }

  /** Messages accepted and still in their delay (delay queues and message timers). */
  get delayedCount(): number {
    return this.delayLine.count;
  }

  /** Messages received and neither deleted nor visible again (ghost copies apart). */
  get inFlightCount(): number {
    return this.inFlight;
  }

  /** Messages deleted by retention before anyone deleted them. */
  get expired(): number {
    return this.expiredMessages;
  }

  /** FIFO deliveries that left an older message of their group waiting. */
  get orderViolations(): number {
    return this.outOfOrder;
  }

  /**
   * A send call's messages, all accepted by SQS at nowUs: a FIFO queue takes each into its message
   * group (`groupOf` a key index); a standard queue takes the call's messages as one run. The
   * visible gauge sees the first and the last count at this instant, the same minimum, maximum and
   * last value as one change per message.
   */
  acceptBatch(nowUs: number, batch: Batch, groupOf: (keyIndex: number) => FifoGroup): void {
    const visibleBefore = this.visible;
    if (this.settings.fifo) for (let i = 0; i < batch.count; i++) this.accept(nowUs, batch.timeUs[i], batch.sizeBytes[i], groupOf(batch.keyIndex[i]));
    else {
      let bytes = 0;
      let createMinUs = Infinity;
      let createSumUs = 0;
      for (let i = 0; i < batch.count; i++) {
        const createUs = batch.timeUs[i];
        bytes += batch.sizeBytes[i];
        createSumUs += createUs;
        if (createUs < createMinUs) createMinUs = createUs;
      }
      this.acceptCall(nowUs, batch.count, bytes, createMinUs, createSumUs);
    }
    this.acceptedTotal += batch.count;
    this.acceptedAt(nowUs, visibleBefore);
    // The delay line only grows here, so one change at this instant has the per-message minimum, maximum and last.
    if (this.settings.delayUs > 0) this.delayedGauge.set(nowUs, this.delayLine.count);
    this.checkConserved();
  }

  /** One message accepted by SQS at nowUs (it joins the delay line first when the queue delays). */
  private accept(nowUs: number, createUs: number, sizeBytes: number, group: FifoGroup | null): void {
    if (this.settings.delayUs > 0) return this.delayLine.addSent(nowUs, 1, sizeBytes, createUs, createUs, group);
    this.enqueueFresh(nowUs, createUs, sizeBytes, group);
  }

  /**
   * A standard queue's send call: its messages, all accepted at nowUs, join one run, as they would one
   * by one through accept (sums of integers, so the same numbers).
   */
  private acceptCall(nowUs: number, count: number, bytes: number, createMinUs: number, createSumUs: number): void {
    const target = this.settings.delayUs > 0 ? this.delayLine : this.fresh;
    target.addSent(nowUs, count, bytes, createMinUs, createSumUs, null);
    if (target === this.fresh) this.visible += count;
  }

  /** Moves delayed messages whose delay is over into the queue. */
  releaseDelayed(nowUs: number): void {
    for (let piece = this.delayLine.peek(); piece !== undefined && piece.sentUs + this.settings.delayUs <= nowUs; piece = this.delayLine.peek()) {
      this.delayLine.shift();
      this.enqueuePiece(piece, nowUs);
    }
    this.delayedGauge.set(nowUs, this.delayLine.count);
    this.checkConserved();
    this.notify();
  }

  private enqueueFresh(nowUs: number, createUs: number, sizeBytes: number, group: FifoGroup | null): void {
    const target = group === null ? this.fresh : group.queue;
    target.addSent(nowUs, 1, sizeBytes, createUs, createUs, group);
    this.visible++;
    if (group !== null) this.makeReady(group);
  }

  /** A send call's messages are in (visible was `visibleBefore`): see acceptBatch. */
  private acceptedAt(nowUs: number, visibleBefore: number): void {
    if (this.visible === visibleBefore) return;
    if (this.visible > visibleBefore + 1) this.visibleGauge.set(nowUs, visibleBefore + 1);
    this.visibleGauge.set(nowUs, this.visible);
  }

  private enqueuePiece(piece: Piece, nowUs: number): void {
    const target = piece.group === null ? this.fresh : piece.group.queue;
    const tail = target.last();
    if (tail !== undefined && tail.receiveCount === 0 && !tail.ghost && piece.sentUs - tail.sentUs <= runSpanUs) {
      target.extendLast(piece.count, piece.bytes, piece.createMinUs, piece.createSumUs, piece.sentSumUs);
    } else target.push(piece);
    this.visible += piece.count;
    this.visibleGauge.set(nowUs, this.visible);
    if (piece.group !== null) this.makeReady(piece.group);
  }

  /** Whether a receive now would find something (FIFO: an unlocked group with messages). */
  hasVisible(): boolean {
    return this.settings.fifo ? this.ready.length > 0 : this.fresh.count + this.returned.count > 0;
  }

  /**
   * Takes up to `max` messages for a receive into `out`; messages past maxReceiveCount go to the DLQ
   * instead. `partitionLimits`: high-throughput FIFO's per-partition receive limits (null otherwise).
   */
  take(max: number, nowUs: number, out: Piece[], result: TakeResult, partitionLimits: TokenBucket[] | null = null): TakeResult {
    result.count = 0;
    result.overLimit = false;
    result.deadLettered = 0;
    result.throttled = false;
    this.receiveLimits = partitionLimits;
    this.takeUs = nowUs;
    this.touched.length = 0;
    this.passedOver = 0;
    let room = Math.min(max, this.settings.inFlightMax - this.inFlight);
    if (room <= 0) {
      result.overLimit = this.hasVisible();
      return result;
    }
    while (room > 0) {
      const piece = this.settings.fifo ? this.nextFifo(room) : this.nextStandard(room);
      if (piece === undefined) break;
      if (!piece.ghost) this.visible -= piece.count;
      // A message received maxReceiveCount times moves to the dead-letter queue at its next receive (docs/reference.md §4).
      if (piece.receiveCount >= this.settings.maxReceiveCount) {
        if (!piece.ghost) {
          result.deadLettered += piece.count;
          this.deadLetteredTotal += piece.count;
        }
        continue;
      }
      if (piece.group !== null) this.delivered(piece);
      piece.receiveCount++;
      out.push(piece);
      room -= piece.count;
      result.count += piece.count;
      if (!piece.ghost) this.inFlight += piece.count;
    }
    if (this.filling !== null) {
      // The group just filled from is locked now: it leaves the ready queue.
      if (this.ready.peek() === this.filling && this.filling.inFlightMessages > 0) this.dropReadyHead();
      this.filling = null;
    }
    result.throttled = result.count === 0 && result.deadLettered === 0 && this.passedOver > 0;
    this.receiveLimits = null;
    invariant(result.count <= max && this.visible >= 0, "a receive takes at most its maximum, and only visible messages");
    this.checkConserved();
    this.visibleGauge.set(nowUs, this.visible);
    this.notVisibleGauge.set(nowUs, this.inFlight);
    return result;
  }

  private nextStandard(room: number): Piece | undefined {
    const fresh = this.fresh.peek();
    const returned = this.returned.peek();
    if (returned !== undefined && (fresh === undefined || returned.sentUs < fresh.sentUs)) return this.returned.takeTop(room);
    return this.fresh.takeFront(room);
  }

  /**
   * The next piece of the group being filled (the ready queue's head), or of the next ready group
   * whose partition can take the receive (high-throughput FIFO). Groups passed over go to the back;
   * after as many as there are partitions (or ready groups) the receive gives up.
   */
  private nextFifo(room: number): Piece | undefined {
    for (let group = this.ready.peek(); group !== undefined; group = this.ready.peek()) {
      if (group.queue.length > 0 && group === this.filling) return group.queue.takeFront(room);
      if (group.queue.length > 0 && group.inFlightMessages === 0) {
        if (this.partitionTakes(group)) {
          this.filling = group;
          return group.queue.takeFront(room);
        }
        this.passedOver++;
        if (this.passedOver >= Math.min(this.settings.partitions, this.ready.length)) return undefined;
        this.ready.push(this.ready.shift()!);
        continue;
      }
      this.dropReadyHead();
    }
    return undefined;
  }

  /** Whether the receive may return this group's messages: one transaction on its partition, taken once per receive. */
  private partitionTakes(group: FifoGroup): boolean {
    const limits = this.receiveLimits;
    if (limits === null || this.touched.includes(group.partition)) return true;
    if (!limits[group.partition].tryTake(this.takeUs, 1)) return false;
    this.touched.push(group.partition);
    return true;
  }

  /** The ready queue's head leaves it (exhausted or in flight); it comes back when unlocked with messages. */
  private dropReadyHead(): void {
    this.ready.shift()!.ready = false;
  }

  /**
   * A FIFO piece leaves its group, which is locked while any of its messages is in flight. Order is
   * checked: a first delivery never precedes an earlier one's, and no delivery leaves an older message
   * of its group waiting (a redelivery included).
   */
  private delivered(piece: Piece): void {
    const group = piece.group!;
    if (piece.receiveCount === 0) {
      if (piece.sentUs < group.lastFirstSentUs) this.outOfOrder++;
      group.lastFirstSentUs = piece.sentUs;
    }
    const next = group.queue.peek();
    if (next !== undefined && next.sentUs < piece.sentUs) this.outOfOrder++;
    group.inFlightMessages += piece.count;
  }

  /** Messages deleted from flight: FIFO groups they held are unlocked when nothing of theirs is in flight. */
  deleted(pieces: Piece[], nowUs: number): void {
    for (const piece of pieces) {
      if (!piece.ghost) {
        this.inFlight -= piece.count;
        this.deletedTotal += piece.count;
      }
      if (piece.group !== null) this.unlock(piece.group, piece.count);
    }
    invariant(this.inFlight >= 0, "messages deleted from flight were in flight");
    this.checkConserved();
    this.notVisibleGauge.set(nowUs, this.inFlight);
    this.notify();
  }

  /** Messages whose visibility timeout passed become visible again, by their send time (FIFO: at their group's front). */
  returnPieces(pieces: Piece[], nowUs: number): void {
    for (let i = pieces.length - 1; i >= 0; i--) {
      const piece = pieces[i];
      if (!piece.ghost) {
        this.inFlight -= piece.count;
        this.visible += piece.count;
      }
      if (piece.group === null) this.returned.push(piece);
      else {
        piece.group.queue.unshift(piece);
        this.unlock(piece.group, piece.count);
      }
    }
    invariant(this.inFlight >= 0, "messages made visible again were in flight");
    this.checkConserved();
    this.visibleGauge.set(nowUs, this.visible);
    this.notVisibleGauge.set(nowUs, this.inFlight);
    this.notify();
  }

  /**
   * A late delete on a standard queue (docs/reference.md §4): `count` messages of a returned piece
   * that nobody received since are deleted where they wait. Returns the real (not ghost) messages deleted.
   */
  deleteReturned(piece: Piece, count: number, nowUs: number): number {
    this.returned.withdraw(piece, count);
    if (piece.ghost) return 0;
    this.visible -= count;
    this.deletedTotal += count;
    invariant(this.visible >= 0, "a late delete removes only visible messages");
    this.checkConserved();
    this.visibleGauge.set(nowUs, this.visible);
    return count;
  }

  /** Extra copies of deleted messages (standard at-least-once delivery) become visible. */
  addGhost(piece: Piece): void {
    this.returned.push(piece);
    this.notify();
  }

  private unlock(group: FifoGroup, count: number): void {
    group.inFlightMessages -= count;
    invariant(group.inFlightMessages >= 0, "a FIFO group unlocks messages it had in flight");
    if (group.inFlightMessages === 0) this.makeReady(group);
  }

  private makeReady(group: FifoGroup): void {
    if (group.ready || group.inFlightMessages > 0 || group.queue.length === 0) return;
    group.ready = true;
    this.ready.push(group);
  }

  /** A long-polling receive waits here; wake is called when messages may be there. A waiter already in line keeps its place. */
  park(waiter: Waiter): void {
    if (waiter.queued) return;
    waiter.queued = true;
    this.waiters.push(waiter);
  }

  /** Wakes parked receives in order while there is something to take; those that park again go to the back. */
  notify(): void {
    const waiters = this.waiters;
    let left = waiters.length;
    while (left-- > 0 && this.hasVisible()) {
      const waiter = waiters.shift()!;
      waiter.queued = false;
      waiter.wake();
    }
  }

  /** Retention (docs/reference.md §4): messages sent longer ago than it are deleted by SQS, visible or delayed. */
  expire(nowUs: number): void {
    const horizonUs = nowUs - this.settings.retentionUs;
    if (horizonUs <= 0) return;
    const before = this.visible;
    const delayedBefore = this.delayLine.count;
    const drop = (piece: Piece, fromVisible: boolean): void => {
      if (piece.ghost) return;
      this.expiredMessages += piece.count;
      if (fromVisible) this.visible -= piece.count;
    };
    while ((this.delayLine.peek()?.sentUs ?? Infinity) < horizonUs) drop(this.delayLine.shift()!, false);
    while ((this.fresh.peek()?.sentUs ?? Infinity) < horizonUs) drop(this.fresh.shift()!, true);
    while ((this.returned.peek()?.sentUs ?? Infinity) < horizonUs) drop(this.returned.pop()!, true);
    for (const group of this.groups.values()) while ((group.queue.peek()?.sentUs ?? Infinity) < horizonUs) drop(group.queue.shift()!, true);
    invariant(this.visible >= 0, "retention deletes only messages the queue holds");
    this.checkConserved();
    if (this.visible !== before) this.visibleGauge.set(nowUs, this.visible);
    if (this.delayLine.count !== delayedBefore) this.delayedGauge.set(nowUs, this.delayLine.count);
  }

  /** Every message accepted is visible, delayed, in flight, deleted, dead-lettered or expired: exactly one of them. */
  private checkConserved(): void {
    const held = this.visible + this.delayLine.count + this.inFlight;
    invariant(this.acceptedTotal === held + this.deletedTotal + this.deadLetteredTotal + this.expiredMessages, "every accepted message is visible, delayed, in flight, deleted, dead-lettered or expired");
  }

  /** Messages visible now, and delayed, counted from the structures that hold them (ghosts apart). */
  unreadCount(): number {
    let count = 0;
    const add = (piece: Piece): void => {
      if (!piece.ghost) count += piece.count;
    };
    this.fresh.forEach(add);
    this.returned.forEach(add);
    this.delayLine.forEach(add);
    for (const group of this.groups.values()) group.queue.forEach(add);
    return count;
  }

  /** Oldest creation and send time among visible and delayed messages (Infinity when none). */
  oldest(out: { createMinUs: number; sentUs: number }): void {
    out.createMinUs = Infinity;
    out.sentUs = Infinity;
    const visit = (piece: Piece | undefined): void => {
      if (piece === undefined || piece.ghost) return;
      if (piece.createMinUs < out.createMinUs) out.createMinUs = piece.createMinUs;
      if (piece.sentUs < out.sentUs) out.sentUs = piece.sentUs;
    };
    visit(this.fresh.peek());
    visit(this.returned.peek());
    const delayed = this.delayLine.peek();
    if (delayed !== undefined && delayed.createMinUs < out.createMinUs) out.createMinUs = delayed.createMinUs;
    for (const group of this.groups.values()) visit(group.queue.peek());
  }

  /** The FIFO group of a MessageGroupId, created on first use. */
  group(key: string): FifoGroup {
    let group = this.groups.get(key);
    if (group === undefined) {
      const partition = this.settings.partitions > 0 ? hashString(key) % this.settings.partitions : -1;
      group = { key, queue: new PieceQueue(), inFlightMessages: 0, ready: false, lastFirstSentUs: -Infinity, swept: false, partition };
      this.groups.set(key, group);
    }
    return group;
  }

  /** Forgets FIFO groups with nothing visible and nothing in flight (keys seen once must not hold memory). */
  sweepGroups(): void {
    for (const [key, group] of this.groups) {
      if (group.queue.length === 0 && group.inFlightMessages === 0 && !group.ready) {
        group.swept = true;
        this.groups.delete(key);
      }
    }
  }

  /** The FIFO group holding the most visible messages, and how many. */
  largestGroup(): { group: FifoGroup | null; count: number } {
    let best: FifoGroup | null = null;
    for (const group of this.groups.values()) if (best === null || group.queue.count > best.queue.count) best = group;
    return { group: best, count: best?.queue.count ?? 0 };
  }
}

/** FNV-1a of a MessageGroupId: which partition its group lives on (the same in every run, docs/reference.md §4). */
function hashString(key: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}
