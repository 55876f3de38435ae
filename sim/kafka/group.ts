// A consumer group: members with their assigned partitions (range, roundrobin or cooperative-sticky),
// each running the poll loop: fetch what the high watermark allows (long-polling up to
// fetch.max.wait when there is nothing), process up to max.poll.records, auto-commit every
// auto.commit.interval. Positions are kept per partition, so an assignment can move between members.

import { invariant, type Simulation } from "../engine/index.ts";
import { ConsumerMeter, GaugeSeries, type ConsumerResult, type SeriesOptions } from "../metrics/index.ts";
import type { LatencySampler, ReadMeasure } from "../workload/index.ts";
import { cooperativeStickyAssign, idleMembers, rangeAssign, roundRobinAssign, type Assignment } from "./assignment.ts";
import type { Broker } from "./broker.ts";
import { consumerSessionTimeoutUs, partitionFetchBytesMax, rebalanceUs } from "./limits.ts";
import type { Partition, Truncation } from "./partition.ts";

const emptyPollMinUs = 1000;

export interface GroupSettings {
  name: string;
  consumers: number;
  assignment: "range" | "roundrobin" | "cooperative-sticky";
  maxPollRecords: number;
  fetchMaxWaitUs: number;
  fetchMinBytes: number;
  autoCommitIntervalUs: number;
  /** auto.offset.reset: where a position retention deleted goes on (docs/reference.md §3.4). */
  autoOffsetReset: "latest" | "earliest";
  perRecordUs: number;
  perBatchUs: number;
  roundTrip: LatencySampler;
  warmupUs: number;
  endUs: number;
}

/** One partition as this group sees it. Positions move only through its verbs, which check them. */
export class Cursor {
  private fetchedEndSeq = 0;
  private processedEndSeq = 0;
  private committedEndSeq = 0;
  readonly recordsLag: GaugeSeries;

  /** Next offset to fetch. */
  get fetchedSeq(): number {
    return this.fetchedEndSeq;
  }

  /** Every record before it was processed at least once (or expired). */
  get processedSeq(): number {
    return this.processedEndSeq;
  }

  /** The group's committed offset: where a new owner starts. */
  get committedSeq(): number {
    return this.committedEndSeq;
  }

  constructor(seriesOptions: SeriesOptions) {
    this.recordsLag = new GaugeSeries(seriesOptions);
    this.recordsLag.set(0, 0);
  }

  /** A fetch took records up to endSeq (the next fetch starts there). */
  fetched(endSeq: number): void {
    invariant(endSeq > this.fetchedEndSeq, "a fetch moves its position forward");
    this.fetchedEndSeq = endSeq;
  }

  /** A new owner starts fetching from the committed offset (what was fetched after it is fetched again). */
  resumeFromCommitted(): void {
    this.fetchedEndSeq = this.committedEndSeq;
  }

  /** A new leader cut the log back to endSeq: no position may stay beyond it. */
  truncateTo(endSeq: number): void {
    invariant(endSeq >= 0, "a log is cut back to a valid offset");
    this.fetchedEndSeq = Math.min(this.fetchedEndSeq, endSeq);
    this.processedEndSeq = Math.min(this.processedEndSeq, endSeq);
    this.committedEndSeq = Math.min(this.committedEndSeq, endSeq);
  }

  /** Retention deleted everything before expiredSeq: every position moves up to it (none moves back). */
  skipTo(expiredSeq: number): void {
    invariant(expiredSeq > this.fetchedEndSeq, "retention moves a fetch position forward");
    this.fetchedEndSeq = expiredSeq;
    this.processedEndSeq = Math.max(this.processedEndSeq, expiredSeq);
    this.committedEndSeq = Math.max(this.committedEndSeq, expiredSeq);
  }

  /** Records up to endSeq were processed; `tailSeq` is the log's end (nothing past it can be). */
  processed(endSeq: number, tailSeq: number): void {
    invariant(endSeq <= tailSeq, "a consumer processes only records in the log");
    if (endSeq > this.processedEndSeq) this.processedEndSeq = endSeq;
  }

  /** The group commits the position: everything processed so far. */
  commit(): void {
    invariant(this.processedEndSeq >= this.committedEndSeq, "a committed offset only moves forward");
    this.committedEndSeq = this.processedEndSeq;
  }
}

/** A piece of a poll: records [startSeq, endSeq) of one partition. */
interface Piece {
  partition: Partition;
  startSeq: number;
  endSeq: number;
}

type MemberState = "idle" | "waiting" | "processing" | "joining" | "dead";

type Step = "poll" | "processed";

/** A scheduled step of a member, valid while the member's token is unchanged. */
interface Ticket {
  member: Member;
  token: number;
  step: Step;
}

class Member {
  partitions: Partition[] = [];
  state: MemberState = "idle";
  pieces: Piece[] = [];
  rotation = 0;
  lastCommitUs = 0;
  token = 0;
  /** When the fetch now held at the brokers began (waiting for fetch.min.bytes); -1 when none is. */
  fetchStartUs = -1;
  constructor(readonly id: string) {}
}

export class ConsumerGroup {
  /** Records retention took before the group reached them, counted as its cursors find them. */
  expired = 0;
  /** Accepted records an unclean leader election took before this group processed them. */
  lostToUncleanElection = 0;
  /** Records still kept that auto.offset.reset=latest jumped over, and how many times it did. */
  lostToOffsetReset = 0;
  offsetResets = 0;
  /** When auto.offset.reset=latest first jumped a position to the log end; -1 before. */
  firstOffsetResetUs = -1;
  readonly meter: ConsumerMeter;
  readonly members: Member[];
  private readonly cursors: Cursor[];
  private assignment: Assignment = new Map();
  /** The member each partition is assigned to (null when none), to wake only that member. */
  private ownerOf: Array<Member | null> = [];
  /** Scratch: bytes a poll fetches from each broker, sent in one response per broker. */
  private readonly fetchBytes: Float64Array;
  /** An eager rebalance in progress: members stop at their next poll, commit, and wait for the rest. */
  private rebalance: { startUs: number; joined: Set<Member> } | null = null;
  rebalances = 0;
  /** Time every member stood still in eager rebalances (from the rebalance's start to the new assignment). */
  rebalanceStopUs = 0;
  /** Partitions that a rebalance handed to another member (eager: all of them, each time). */
  partitionsRevoked = 0;
  private readonly measure: ReadMeasure = { count: 0, bytes: 0, lastArrivalUs: -1 };
  private readonly spareTickets: Ticket[] = [];

  constructor(
    readonly settings: GroupSettings,
    private readonly sim: Simulation,
    private readonly partitions: Partition[],
    private readonly brokers: Broker[],
    seriesOptions: SeriesOptions,
  ) {
    this.meter = new ConsumerMeter({ name: settings.name, type: "consumer-group", seriesOptions, warmupUs: settings.warmupUs, native: { name: "recordsLag", unit: "records" } });
    const width = String(Math.max(0, settings.consumers - 1)).length;
    this.members = Array.from({ length: settings.consumers }, (_, i) => new Member(`consumer-${String(i).padStart(width, "0")}`));
    this.cursors = partitions.map(() => new Cursor(seriesOptions));
    this.fetchBytes = new Float64Array(brokers.length);
    for (const partition of partitions) partition.listeners.push(() => this.wakeWaiting(partition));
  }

  get idleMemberIds(): string[] {
    return idleMembers(this.assignment);
  }

  /** Members without partitions in the initial assignment (consumers beyond the partition count). */
  initialIdle = 0;

  start(): void {
    this.assign();
    this.initialIdle = this.idleMemberIds.length;
    for (const member of this.members) this.poll(member);
  }

  private get alive(): Member[] {
    return this.members.filter((member) => member.state !== "dead");
  }

  private assign(): void {
    const ids = this.alive.map((member) => member.id);
    const count = this.partitions.length;
    this.assignment =
      this.settings.assignment === "range"
        ? rangeAssign(ids, count)
        : this.settings.assignment === "roundrobin"
          ? roundRobinAssign(ids, count)
          : cooperativeStickyAssign(ids, count, this.assignment).assignment;
    for (const member of this.members) member.partitions = (this.assignment.get(member.id) ?? []).map((index) => this.partitions[index]);
    this.ownerOf = this.partitions.map(() => null);
    for (const member of this.members) for (const partition of member.partitions) this.ownerOf[partition.index] = member;
  }

  /** add-partitions: the group learns of the new partitions at its next metadata refresh and rebalances. */
  partitionsAdded(seriesOptions: SeriesOptions): void {
    for (let index = this.cursors.length; index < this.partitions.length; index++) {
      const partition = this.partitions[index];
      this.cursors.push(new Cursor(seriesOptions));
      partition.listeners.push(() => this.wakeWaiting(partition));
    }
    this.startRebalance();
  }

  /**
   * consumer-crash: the member stops at once (what it fetched is abandoned); the group notices after
   * session.timeout.ms and rebalances (docs/reference.md §3.4). The new owners start from the committed offsets,
   * so what the member processed since its last commit is processed again (duplicates).
   */
  crash(memberIndex: number): void {
    const member = this.members[memberIndex];
    if (member === undefined || member.state === "dead") return;
    member.token++;
    member.state = "dead";
    member.pieces = [];
    member.fetchStartUs = -1;
    this.sim.after(consumerSessionTimeoutUs, () => this.startRebalance());
  }

  private startRebalance(): void {
    this.rebalances++;
    const owners = new Map(this.alive.flatMap((member) => member.partitions.map((partition) => [partition.index, member] as const)));
    if (this.settings.assignment === "cooperative-sticky") {
      // Members keep what they own; only the dead member's partitions move, after the rebalance.
      this.sim.after(rebalanceUs, () => this.applyAssignment(owners));
      return;
    }
    // Eager (range, roundrobin): every member revokes everything at its next poll, committing first.
    this.rebalance = { startUs: this.sim.nowUs, joined: new Set() };
    for (const member of this.alive) if (member.state === "waiting" || member.state === "idle") this.join(member);
  }

  /** A member at its poll during an eager rebalance: commits what it processed and waits for the others. */
  private join(member: Member): void {
    const rebalance = this.rebalance!;
    member.token++;
    member.state = "joining";
    member.fetchStartUs = -1;
    for (const partition of member.partitions) this.cursors[partition.index].commit();
    rebalance.joined.add(member);
    if (rebalance.joined.size < this.alive.length) return;
    this.rebalance = null;
    const assignUs = Math.max(this.sim.nowUs, rebalance.startUs + rebalanceUs);
    this.rebalanceStopUs += assignUs - rebalance.startUs;
    this.sim.at(assignUs, () => this.applyAssignment(new Map()));
  }

  /** Applies a new assignment: a partition that changes owner is fetched again from its committed offset. */
  private applyAssignment(previousOwners: Map<number, Member>): void {
    this.assign();
    for (const member of this.alive) {
      for (const partition of member.partitions) {
        if (previousOwners.get(partition.index) === member) continue;
        this.partitionsRevoked++;
        this.cursors[partition.index].resumeFromCommitted();
      }
      if (member.state === "joining" || member.state === "waiting" || member.state === "idle") {
        member.state = "idle";
        this.schedule(member, 0, "poll");
      }
    }
  }

  /**
   * Schedules a member's next step. A step scheduled before the member was stopped or rescheduled
   * (its token moved on) does nothing. Tickets are reused: a busy group allocates nothing per poll.
   */
  private schedule(member: Member, delayUs: number, step: Step): void {
    const token = ++member.token;
    const ticket = this.spareTickets.pop() ?? { member, token, step };
    ticket.member = member;
    ticket.token = token;
    ticket.step = step;
    this.sim.after(delayUs, this.ticketHandler, ticket);
  }

  private readonly ticketHandler = (ticket: Ticket): void => {
    const { member, token, step } = ticket;
    this.spareTickets.push(ticket);
    if (member.token !== token) return;
    if (step === "poll") this.poll(member);
    else this.processed(member);
  };

  /**
   * poll(): take what the high watermark allows from the member's partitions, in turn. The fetch is
   * answered once it holds fetch.min.bytes or has waited fetch.max.wait (docs/reference.md §3.4); until then the
   * member waits, and looks again whenever one of its partitions commits records.
   */
  private poll(member: Member): void {
    if (this.rebalance !== null) return this.join(member);
    if (member.partitions.length === 0) return;
    const now = this.sim.nowUs;
    const fetchedBytes = this.gather(member, now);
    const waitedEnough = member.fetchStartUs >= 0 && now >= member.fetchStartUs + this.settings.fetchMaxWaitUs;
    if (member.pieces.length === 0 || (fetchedBytes < this.settings.fetchMinBytes && !waitedEnough)) {
      member.pieces = [];
      // Long poll: the broker answers when data arrives or after fetch.max.wait (at least a
      // millisecond, so that an empty poll with a zero wait does not spin in place).
      if (member.fetchStartUs < 0 || waitedEnough) member.fetchStartUs = now;
      member.state = "waiting";
      const deadlineUs = member.fetchStartUs + Math.max(this.settings.fetchMaxWaitUs, emptyPollMinUs);
      return this.schedule(member, deadlineUs - now, "poll");
    }
    member.fetchStartUs = -1;
    const roundTripUs = this.settings.roundTrip.sampleUs();
    const fetchBytes = this.fetchBytes;
    for (const piece of member.pieces) this.cursors[piece.partition.index].fetched(piece.endSeq);
    // Each leader sends its partitions' data in one fetch response when it gets to it; the request and
    // response each take half a round trip.
    let responseUs = now;
    for (let broker = 0; broker < fetchBytes.length; broker++) {
      if (fetchBytes[broker] === 0) continue;
      responseUs = Math.max(responseUs, this.brokers[broker].send(now, fetchBytes[broker], this.settings.endUs) + roundTripUs);
      fetchBytes[broker] = 0;
    }
    member.rotation = (member.rotation + 1) % member.partitions.length;
    // The response arrives, then the batch is processed: both durations are known now, so one event
    // marks the end of processing.
    let records = 0;
    for (const piece of member.pieces) records += piece.endSeq - piece.startSeq;
    member.state = "processing";
    this.schedule(member, Math.round(responseUs) - now + this.settings.perBatchUs + records * this.settings.perRecordUs, "processed");
  }

  /**
   * What a fetch would return now: member.pieces (cursors not moved yet) and the bytes per leader broker
   * in fetchBytes; returns the total bytes.
   */
  private gather(member: Member, nowUs: number): number {
    member.pieces = [];
    this.fetchBytes.fill(0);
    let budget = this.settings.maxPollRecords;
    let totalBytes = 0;
    for (let k = 0; k < member.partitions.length && budget > 0; k++) {
      const partition = member.partitions[(member.rotation + k) % member.partitions.length];
      const cursor = this.cursors[partition.index];
      // A partition without a live leader serves nothing until one is elected or returns.
      if (partition.leader < 0 || !this.brokers[partition.leader].up) continue;
      const readableSeq = Math.min(partition.committedSeq, partition.highWatermark(nowUs));
      this.skipExpired(partition, cursor, readableSeq);
      if (readableSeq <= cursor.fetchedSeq) continue;
      const read = partition.log.measure(cursor.fetchedSeq, Math.min(budget, readableSeq - cursor.fetchedSeq), partitionFetchBytesMax, this.measure);
      if (read.count === 0) continue;
      member.pieces.push({ partition, startSeq: cursor.fetchedSeq, endSeq: cursor.fetchedSeq + read.count });
      budget -= read.count;
      this.fetchBytes[partition.leader] += read.bytes;
      totalBytes += read.bytes;
    }
    return totalBytes;
  }

  private wakeWaiting(partition: Partition): void {
    const member = this.ownerOf[partition.index];
    if (member !== null && member !== undefined && member.state === "waiting") {
      member.state = "idle";
      this.schedule(member, 0, "poll");
    }
  }

  private processed(member: Member): void {
    const now = this.sim.nowUs;
    const settings = this.settings;
    const total = member.pieces.reduce((sum, piece) => sum + piece.endSeq - piece.startSeq, 0);
    const processingStartUs = now - settings.perBatchUs - total * settings.perRecordUs;
    let offset = 0;
    for (const piece of member.pieces) {
      const cursor = this.cursors[piece.partition.index];
      const firstTime = Math.max(0, piece.endSeq - Math.max(piece.startSeq, cursor.processedSeq));
      this.meter.processed(now, firstTime, piece.endSeq - piece.startSeq - firstTime);
      cursor.processed(piece.endSeq, piece.partition.log.tailSeq);
      if (this.meter.afterWarmup(now)) this.recordEndToEnd(piece, processingStartUs + settings.perBatchUs + offset * settings.perRecordUs);
      offset += piece.endSeq - piece.startSeq;
    }
    member.pieces = [];
    // enable.auto.commit: the positions are committed at the first poll after the interval.
    if (now - member.lastCommitUs >= settings.autoCommitIntervalUs) {
      for (const partition of member.partitions) this.cursors[partition.index].commit();
      member.lastCommitUs = now;
    }
    member.state = "idle";
    this.poll(member);
  }

  /**
   * End-to-end latency of a piece's records, run by run at the run's mean creation time: the piece's
   * records are done one per-record time apart after firstDoneUs (the time processing reached the piece).
   */
  private recordEndToEnd(piece: Piece, firstDoneUs: number): void {
    const perRecordUs = this.settings.perRecordUs;
    piece.partition.log.pieces(piece.startSeq, piece.endSeq, (count, within, createMeanUs) => {
      const meanDoneUs = firstDoneUs + (within + (count + 1) / 2) * perRecordUs;
      this.meter.endToEnd(Math.max(0, meanDoneUs - createMeanUs), count);
    });
  }

  /**
   * The partition's log was cut back to endSeq by a new leader. Groups never read past the high
   * watermark, which the new leader had, so a position beyond endSeq was reached by skipping expired
   * records: those now count as lost (for every group), not expired, and the position comes back.
   */
  truncated(partition: Partition, truncation: Truncation): void {
    const cursor = this.cursors[partition.index];
    if (cursor === undefined) return;
    const { endSeq } = truncation;
    if (truncation.unclean) return this.uncleanTruncated(partition, cursor, truncation);
    const reachedSeq = Math.max(cursor.fetchedSeq, cursor.processedSeq);
    if (reachedSeq <= endSeq) return;
    this.expired -= reachedSeq - endSeq;
    cursor.truncateTo(endSeq);
  }

  /**
   * An out-of-sync replica became leader with the log up to endSeq, below what the group may have
   * read: what the group processed stays consumed, the accepted records it had not processed are lost
   * to it (records fetched and not processed among them: the pieces in flight are cut at endSeq).
   */
  private uncleanTruncated(partition: Partition, cursor: Cursor, truncation: Truncation): void {
    const { endSeq } = truncation;
    this.lostToUncleanElection += Math.max(0, truncation.committedBeforeSeq - Math.max(endSeq, cursor.processedSeq));
    for (const member of this.members) {
      for (const piece of member.pieces) {
        if (piece.partition !== partition) continue;
        piece.startSeq = Math.min(piece.startSeq, endSeq);
        piece.endSeq = Math.min(piece.endSeq, endSeq);
      }
    }
    cursor.truncateTo(endSeq);
  }

  /**
   * A position that retention deleted is out of range: the group resets per auto.offset.reset, to the
   * oldest record kept (earliest) or to the high watermark (latest, the default), skipping the records
   * still kept, which are lost to this group. What retention deleted before the group processed it expired.
   */
  private skipExpired(partition: Partition, cursor: Cursor, readableSeq: number): void {
    if (partition.expiredSeq <= cursor.fetchedSeq) return;
    // After a rebalance the position may sit behind records already processed (fetched again as
    // duplicates): only records never processed count as expired or skipped.
    const reachedSeq = Math.max(cursor.fetchedSeq, cursor.processedSeq);
    this.expired += Math.max(0, partition.expiredSeq - reachedSeq);
    const resetSeq = this.settings.autoOffsetReset === "latest" ? Math.max(partition.expiredSeq, readableSeq) : partition.expiredSeq;
    this.lostToOffsetReset += Math.max(0, resetSeq - Math.max(partition.expiredSeq, reachedSeq));
    if (this.settings.autoOffsetReset === "latest" && this.offsetResets++ === 0) this.firstOffsetResetUs = this.sim.nowUs;
    cursor.skipTo(resetSeq);
  }

  /** Oldest offset of a partition this group may still need (its committed offset or a batch in flight). */
  neededFrom(partition: Partition): number {
    const cursor = this.cursors[partition.index];
    let needed = Math.min(cursor.committedSeq, cursor.processedSeq);
    for (const member of this.members) for (const piece of member.pieces) if (piece.partition === partition) needed = Math.min(needed, piece.startSeq);
    return needed;
  }

  /** The per-second lag sample: age of the oldest accepted record the group has not processed, over its partitions. */
  sampleLag(nowUs: number): void {
    let oldestCreateUs = Infinity;
    for (const partition of this.partitions) {
      const cursor = this.cursors[partition.index];
      const log = partition.log;
      const from = Math.max(cursor.processedSeq, log.headSeq, partition.expiredSeq);
      if (from < partition.committedSeq) oldestCreateUs = Math.min(oldestCreateUs, log.createMinAt(log.runOf(from)));
    }
    this.meter.sampleLag(nowUs, oldestCreateUs === Infinity ? 0 : Math.max(0, nowUs - oldestCreateUs));
  }

  /** The per-second sample of records-lag (high watermark - position): per partition, and the largest. */
  sampleRecordsLag(nowUs: number): void {
    let recordsLagMax = 0;
    for (const partition of this.partitions) {
      const cursor = this.cursors[partition.index];
      const recordsLag = Math.max(0, partition.highWatermark(nowUs) - cursor.fetchedSeq);
      cursor.recordsLag.set(nowUs, recordsLag);
      recordsLagMax = Math.max(recordsLagMax, recordsLag);
    }
    this.meter.sampleNative(nowUs, recordsLagMax);
  }

  /** Reads only (records retention took that the group has not met yet are added, not stored). */
  result(): ConsumerResult {
    let inFlight = 0;
    let unread = 0;
    let lost = 0;
    // Expired records not yet counted join the count here, in a local: collecting twice must not count them twice.
    let expired = this.expired;
    for (const partition of this.partitions) {
      lost += partition.lostRecords;
      const cursor = this.cursors[partition.index];
      expired += Math.max(0, partition.expiredSeq - Math.max(cursor.fetchedSeq, cursor.processedSeq));
      inFlight += Math.max(0, Math.min(cursor.fetchedSeq, partition.committedSeq) - cursor.processedSeq);
      unread += Math.max(0, partition.committedSeq - Math.max(cursor.fetchedSeq, cursor.processedSeq, partition.expiredSeq));
    }
    const nativePerPartition = this.partitions.map((partition) => ({ id: partition.id, series: this.cursors[partition.index].recordsLag }));
    lost += this.lostToUncleanElection + this.lostToOffsetReset;
    return this.meter.result({ unread, inFlight, expired, deadLettered: 0, lost }, { nativePerPartition });
  }
}
