// A group member's fetcher, as the Java consumer's (docs/reference.md §3.4): fetches are sized in bytes
// (max.partition.fetch.bytes per partition, fetch.max.bytes per request to a broker), answered by the
// broker once they hold fetch.min.bytes or have waited fetch.max.wait, and kept as completed fetches
// in the member's buffer. poll() hands the application at most max.poll.records from that buffer and
// sends the next fetch for the partitions with nothing buffered, so the member fetches while its
// application processes. Fetched data are ranges of offsets (Piece), never records.

import { roundHalfUp, invariant, truncate, type Simulation } from "../engine/index.ts";
import type { LatencySampler, ReadMeasure } from "../workload/index.ts";
import type { Broker } from "./broker.ts";
import type { Cursor } from "./cursor.ts";
import type { Partition } from "./partition.ts";

const emptyPollMinUs = 1000;

/** Records [startSeq, endSeq) of one partition, fetched or being processed. */
export interface Piece {
  partition: Partition;
  startSeq: number;
  endSeq: number;
}

/** idle: inside poll(), waiting for data; joining: stopped for an eager rebalance. */
export type MemberState = "idle" | "processing" | "joining" | "dead";

/** none: no fetch out; parked: held at the brokers (long poll); waking: data arrived, about to look again; inflight: answered, on its way. */
type FetchState = "none" | "parked" | "waking" | "inflight";

export class Member {
  partitions: Partition[] = [];
  state: MemberState = "idle";
  /** Left the group when a poll's processing outlasted max.poll.interval.ms; rejoins at its next poll. */
  evicted = false;
  /** What the last poll handed the application. */
  processing: Piece[] = [];
  /** Completed fetches not handed out yet, oldest first; at most one per partition. */
  buffered: Piece[] = [];
  /** The fetch answered and on its way back. */
  inflight: Piece[] = [];
  fetchState: FetchState = "none";
  /** When the fetch held at the brokers began (waiting for fetch.min.bytes); -1 when none is. */
  fetchStartUs = -1;
  rotation = 0;
  lastCommitUs = 0;
  /** Valid tokens of the application's next step and of the fetcher's next step. */
  token = 0;
  fetchToken = 0;
  /** The latest fetch.max.wait deadline: its time, its reserved place in the event order, its token. */
  deadlineUs = -1;
  deadlineReservation = -1;
  deadlineToken = -1;
  /** The reservation of the deadline event in the queue; -1 when none is. */
  deadlineQueued = -1;
  constructor(
    readonly id: string,
    readonly index: number,
  ) {}

  /** Every piece the member holds: handed out, buffered or on its way. */
  *pieces(): Generator<Piece> {
    yield* this.processing;
    yield* this.buffered;
    yield* this.inflight;
  }
}


/**
 * Drops what the member fetched and has not handed out for partitions it no longer owns (all of them
 * when `keep` is null). Partitions kept keep their buffered and in-flight data; a partition dropped is
 * fetched again from its committed offset by its next owner.
 */
export function dropFetched(member: Member, cursors: Cursor[], keep: ((partition: Partition) => boolean) | null): void {
  const kept = (piece: Piece) => keep !== null && keep(piece.partition);
  for (const piece of member.buffered) if (!kept(piece)) cursors[piece.partition.index].held = false;
  member.buffered = member.buffered.filter(kept);
  member.inflight = member.inflight.filter(kept);
  // A fetch held at the brokers looks at the member's partitions of the moment when it is answered.
  if (keep !== null || member.fetchState === "none") return;
  member.fetchState = "none";
  member.fetchStartUs = -1;
  member.fetchToken++;
}

export interface FetchSettings {
  fetchMinBytes: number;
  fetchMaxWaitUs: number;
  fetchMaxBytes: number;
  maxPartitionFetchBytes: number;
  roundTrip: LatencySampler;
  endUs: number;
}

interface FetchTicket {
  member: Member;
  token: number;
  step: "look" | "answered";
}

/** Sends members' fetches and brings the answers back into their buffers. */
export class Fetcher {
  /** Scratch: bytes a fetch takes from each broker, sent in one response per broker. */
  private readonly fetchBytes: Float64Array;
  private readonly measure: ReadMeasure = { count: 0, bytes: 0, lastArrivalUs: -1 };
  private readonly spareTickets: FetchTicket[] = [];
  private readonly sparePieces: Piece[] = [];
  /** Scratch: partitions of the last gather with nothing buffered. */
  private fetchable = 0;

  constructor(
    private readonly settings: FetchSettings,
    private readonly sim: Simulation,
    private readonly brokers: Broker[],
    private readonly cursors: Cursor[],
    /** Called before a partition is read whose position retention deleted (auto.offset.reset); false: not now. */
    private readonly beforeRead: (partition: Partition, cursor: Cursor, readableSeq: number) => boolean,
    /** A fetch's answer reached the member's buffer. */
    private readonly answered: (member: Member) => void,
  ) {
    this.fetchBytes = new Float64Array(brokers.length);
  }

  /** Hands the application up to maxRecords from the member's buffer, oldest fetch first; returns how many. */
  take(member: Member, maxRecords: number): number {
    truncate(member.processing, 0);
    let budget = maxRecords;
    while (budget > 0 && member.buffered.length > 0) {
      const head = member.buffered[0];
      const count = Math.min(budget, head.endSeq - head.startSeq);
      member.processing.push(this.piece(head.partition, head.startSeq, head.startSeq + count));
      head.startSeq += count;
      budget -= count;
      if (head.startSeq === head.endSeq) {
        member.buffered.shift();
        this.cursors[head.partition.index].held = false;
        this.sparePieces.push(head);
      }
    }
    return maxRecords - budget;
  }

  /** The application is done with these pieces (processed): they serve again (a busy member allocates none per poll). */
  recycle(pieces: Piece[]): void {
    for (let i = 0; i < pieces.length; i++) this.sparePieces.push(pieces[i]);
    truncate(pieces, 0);
  }

  private piece(partition: Partition, startSeq: number, endSeq: number): Piece {
    const piece = this.sparePieces.pop();
    if (piece === undefined) return { partition, startSeq, endSeq };
    piece.partition = partition;
    piece.startSeq = startSeq;
    piece.endSeq = endSeq;
    return piece;
  }

  /** Sends a fetch for the partitions with nothing buffered, unless one is out already. */
  send(member: Member): void {
    if (member.fetchState === "none") this.look(member);
  }

  /** One of the member's partitions received records: a fetch held at the brokers looks again. */
  wake(member: Member): void {
    if (member.fetchState !== "parked") return;
    member.fetchState = "waking";
    this.schedule(member, 0, "look");
  }

  /**
   * The brokers look at what the fetch would return now: it is answered once it holds fetch.min.bytes
   * or has waited fetch.max.wait, else held (looked at again when records arrive or the wait ends).
   */
  private look(member: Member): void {
    const now = this.sim.nowUs;
    const bytes = this.gather(member, now);
    if (this.fetchable === 0) {
      member.fetchState = "none";
      member.fetchStartUs = -1;
      return;
    }
    const waitedEnough = member.fetchStartUs >= 0 && now >= member.fetchStartUs + this.settings.fetchMaxWaitUs;
    if (member.inflight.length === 0 || (bytes < this.settings.fetchMinBytes && !waitedEnough)) {
      truncate(member.inflight, 0);
      // Long poll: answered when data arrive or after fetch.max.wait (at least a millisecond, so that an
      // empty fetch with a zero wait does not spin in place); an empty answer is followed by a new fetch.
      if (member.fetchStartUs < 0 || waitedEnough) member.fetchStartUs = now;
      member.fetchState = "parked";
      const deadlineUs = member.fetchStartUs + Math.max(this.settings.fetchMaxWaitUs, emptyPollMinUs);
      return this.scheduleDeadline(member, deadlineUs);
    }
    member.fetchStartUs = -1;
    for (const piece of member.inflight) this.cursors[piece.partition.index].fetched(piece.endSeq);
    // Each leader sends its partitions' data in one response when it gets to it; the request and the
    // response each take half a round trip.
    const roundTripUs = this.settings.roundTrip.sampleUs();
    const fetchBytes = this.fetchBytes;
    let responseUs = now;
    for (let broker = 0; broker < fetchBytes.length; broker++) {
      if (fetchBytes[broker] === 0) continue;
      responseUs = Math.max(responseUs, this.brokers[broker].send(now, fetchBytes[broker], this.settings.endUs) + roundTripUs);
    }
    member.rotation = (member.rotation + 1) % member.partitions.length;
    member.fetchState = "inflight";
    this.schedule(member, roundHalfUp(responseUs) - now, "answered");
  }

  /**
   * What a fetch would return now, into member.inflight (cursors not moved yet) and the bytes per
   * leader broker into fetchBytes: per partition with nothing buffered, up to max.partition.fetch.bytes,
   * and per broker up to fetch.max.bytes (the first record always, as the broker sends it however large).
   * Returns the bytes; `fetchable` counts the partitions with nothing buffered.
   */
  private gather(member: Member, nowUs: number): number {
    truncate(member.inflight, 0);
    const fetchBytes = this.fetchBytes;
    for (let broker = 0; broker < fetchBytes.length; broker++) fetchBytes[broker] = 0;
    const { fetchMaxBytes, maxPartitionFetchBytes } = this.settings;
    const partitions = member.partitions;
    let fetchable = 0;
    let totalBytes = 0;
    // From the rotation's partition on, wrapping (a rebalance may have left fewer partitions than it).
    for (let k = 0, at = member.rotation % partitions.length; k < partitions.length; k++, at = at + 1 === partitions.length ? 0 : at + 1) {
      const partition = partitions[at];
      const cursor = this.cursors[partition.index];
      if (cursor.held) continue;
      fetchable++;
      // A partition without a live leader serves nothing until one is elected or returns.
      if (partition.leader < 0 || !this.brokers[partition.leader].up) continue;
      // Nothing committed past the position and nothing expired under it: nothing to read, whatever
      // the high watermark (readable is at most committed), which is then not worked out.
      const expired = partition.expiredSeq > cursor.fetchedSeq;
      if (!expired && partition.committedSeq <= cursor.fetchedSeq) continue;
      const readableSeq = partition.readableSeq(nowUs);
      if ((expired && !this.beforeRead(partition, cursor, readableSeq)) || readableSeq <= cursor.fetchedSeq) continue;
      const roomBytes = fetchMaxBytes - this.fetchBytes[partition.leader];
      if (roomBytes <= 0) continue;
      const read = partition.log.measure(cursor.fetchedSeq, readableSeq - cursor.fetchedSeq, Math.min(maxPartitionFetchBytes, roomBytes), this.measure);
      if (read.count === 0) continue;
      member.inflight.push(this.piece(partition, cursor.fetchedSeq, cursor.fetchedSeq + read.count));
      this.fetchBytes[partition.leader] += read.bytes;
      totalBytes += read.bytes;
    }
    this.fetchable = fetchable;
    return totalBytes;
  }

  private schedule(member: Member, delayUs: number, step: FetchTicket["step"]): void {
    const token = ++member.fetchToken;
    const ticket = this.spareTickets.pop() ?? { member, token, step };
    ticket.member = member;
    ticket.token = token;
    ticket.step = step;
    this.sim.after(delayUs, this.ticketHandler, ticket);
  }

  /**
   * The held fetch looks again at deadlineUs unless something else moves the member on first (most
   * deadlines are voided by data arriving). Only one deadline event per member is queued: a deadline
   * set while one is queued reserves its place in the event order, and the queued event, when it
   * comes, puts the latest one there if it is still valid. Deadlines never move earlier (a held fetch
   * keeps its start), so that place is always still ahead: the same order as one event per deadline.
   */
  private scheduleDeadline(member: Member, deadlineUs: number): void {
    invariant(deadlineUs >= member.deadlineUs, "a member's fetch deadlines never move earlier");
    member.deadlineToken = ++member.fetchToken;
    member.deadlineUs = deadlineUs;
    member.deadlineReservation = this.sim.reserve(deadlineUs);
    if (member.deadlineQueued >= 0) return;
    member.deadlineQueued = member.deadlineReservation;
    this.sim.atReserved(deadlineUs, member.deadlineReservation, this.deadlineHandler, member);
  }

  private readonly deadlineHandler = (member: Member): void => {
    const fired = member.deadlineQueued;
    member.deadlineQueued = -1;
    if (member.fetchToken !== member.deadlineToken) return;
    if (fired === member.deadlineReservation) return this.look(member);
    member.deadlineQueued = member.deadlineReservation;
    this.sim.atReserved(member.deadlineUs, member.deadlineReservation, this.deadlineHandler, member);
  };

  private readonly ticketHandler = (ticket: FetchTicket): void => {
    const { member, token, step } = ticket;
    this.spareTickets.push(ticket);
    if (member.fetchToken !== token) return;
    if (step === "look") return this.look(member);
    member.fetchState = "none";
    for (const piece of member.inflight) {
      if (piece.endSeq <= piece.startSeq) continue;
      member.buffered.push(piece);
      this.cursors[piece.partition.index].held = true;
    }
    truncate(member.inflight, 0);
    this.answered(member);
  };
}
