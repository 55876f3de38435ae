// A consumer group: members with their assigned partitions (range, roundrobin or cooperative-sticky),
// each running the Java consumer's poll loop (docs/reference.md §3.4): poll() hands the application up
// to max.poll.records of what the member's fetcher buffered (fetcher.ts) and sends the next fetch while
// the application processes them; positions are auto-committed at a poll every auto.commit.interval.
// A poll whose processing outlasts max.poll.interval.ms evicts its member. A rebalance waits for every
// member to rejoin (rebalance.ts). Positions are kept per partition, so an assignment can move between members.
// Under cooperative-sticky a partition moves away from a live member in two rebalances (KIP-429): the
// first leaves it with its owner, which revokes it at its next poll (after the records in hand),
// commits it and rejoins; the follow-up rebalance hands it to its new owner (docs/reference.md §3.4).

import { invariant, type Simulation, type Uniform } from "../engine/index.ts";
import { ConsumerMeter, type ConsumerResult, type SeriesOptions } from "../metrics/index.ts";
import { cooperativeStickyAssign, idleMembers, rangeAssign, roundRobinAssign, type Assignment } from "./assignment.ts";
import type { Broker } from "./broker.ts";
import { Cursor } from "./cursor.ts";
import { dropFetched, Fetcher, Member, type FetchSettings, type Piece } from "./fetcher.ts";
import { GroupLog } from "./group-log.ts";
import type { Partition, Truncation } from "./partition.ts";
import { Heartbeats, Rebalance, RebalancePauses } from "./rebalance.ts";

export interface GroupSettings extends FetchSettings {
  name: string;
  consumers: number;
  assignment: "range" | "roundrobin" | "cooperative-sticky";
  maxPollRecords: number;
  /** max.poll.interval.ms: a member whose processing of one poll outlasts it leaves the group (docs/reference.md §3.4). */
  maxPollIntervalUs: number;
  autoCommitIntervalUs: number;
  /** auto.offset.reset: where a position retention deleted goes on (docs/reference.md §3.4). */
  autoOffsetReset: "latest" | "earliest";
  perRecordUs: number;
  perBatchUs: number;
  /** Draws each member's heartbeat phase. */
  heartbeatUniform: Uniform;
  warmupUs: number;
}

type Step = "poll" | "processed";

/** A scheduled step of a member's application, valid while the member's token is unchanged. */
interface Ticket {
  member: Member;
  token: number;
  step: Step;
}

export class ConsumerGroup {
  readonly meter: ConsumerMeter;
  readonly members: Member[];
  private readonly cursors: Cursor[];
  private readonly fetcher: Fetcher;
  /** Positions under retention and truncation, and the counts they give (offset resets, expired, lost). */
  readonly log: GroupLog;
  private readonly heartbeats: Heartbeats;
  private assignment: Assignment = new Map();
  /** The member each partition is assigned to (null when none), to wake only that member. */
  private ownerOf: Array<Member | null> = [];
  private rebalance: Rebalance | null = null;
  rebalances = 0;
  /** Eager rebalances' time, from each one's start to its new assignment (members stop as they rejoin). */
  rebalanceStopUs = 0;
  /** Where the rebalances' time went. */
  readonly pauses = new RebalancePauses();
  /** Partitions that a rebalance handed to another member (eager: all of them, each time). */
  partitionsRevoked = 0;
  /** Members evicted for outlasting max.poll.interval.ms, and the longest processing of one poll that did. */
  evictions = 0;
  evictedPollUs = 0;
  firstEvictionUs = -1;
  private readonly spareTickets: Ticket[] = [];
  /** Members scaled in that leave at their next poll (after the records in hand). */
  private readonly leaving = new Set<Member>();
  /** Rebalances begun by a member joining or leaving through autoscaling (and the follow-ups of their cooperative moves). */
  scalingRebalances = 0;
  /** Cooperative-sticky follow-up rebalances: begun by a member that revoked partitions and rejoined. */
  followUpRebalances = 0;
  /** The rebalance in progress was begun by autoscaling (or follows up one that was). */
  private rebalanceScaling = false;
  /**
   * Cooperative-sticky: partitions the last assignment moves away from live members that still own
   * them; each member revokes its own at its next poll, then rejoins (the follow-up rebalance).
   */
  private readonly revoking = new Map<Member, Partition[]>();
  /** The pending revocations come from a rebalance autoscaling began: their follow-up counts as one too. */
  private revokingAfterScaling = false;
  private readonly idWidth: number;

  constructor(
    readonly settings: GroupSettings,
    private readonly sim: Simulation,
    private readonly partitions: Partition[],
    brokers: Broker[],
    seriesOptions: SeriesOptions,
  ) {
    this.meter = new ConsumerMeter({ name: settings.name, type: "consumer-group", seriesOptions, warmupUs: settings.warmupUs, native: { name: "recordsLag", unit: "records" } });
    const width = String(Math.max(0, settings.consumers - 1)).length;
    this.idWidth = width;
    this.members = Array.from({ length: settings.consumers }, (_, i) => new Member(`consumer-${String(i).padStart(width, "0")}`, i));
    this.cursors = partitions.map(() => new Cursor(seriesOptions));
    this.heartbeats = new Heartbeats(settings.consumers, settings.heartbeatUniform);
    this.log = new GroupLog(partitions, this.cursors, this.members, settings.autoOffsetReset, this.meter, seriesOptions);
    const beforeRead = (partition: Partition, cursor: Cursor, readableSeq: number) => this.log.skipExpired(partition, cursor, readableSeq, this.sim.nowUs);
    // The answer is the last step of the fetcher's event: the poll is at the event's end.
    this.fetcher = new Fetcher(settings, sim, brokers, this.cursors, beforeRead, (member) => {
      if (member.state === "idle") this.pollAtEventEnd(member);
    });
    for (const partition of partitions) partition.listeners.push(() => this.wake(partition));
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

  private get eager(): boolean {
    return this.settings.assignment !== "cooperative-sticky";
  }

  /** Members in the group: not crashed, not evicted. */
  private get alive(): Member[] {
    return this.members.filter((member) => member.state !== "dead" && !member.evicted);
  }

  private assign(): void {
    const alive = this.alive;
    const ids = alive.map((member) => member.id);
    const count = this.partitions.length;
    this.revoking.clear();
    this.assignment =
      this.settings.assignment === "range"
        ? rangeAssign(ids, count)
        : this.settings.assignment === "roundrobin"
          ? roundRobinAssign(ids, count)
          : this.cooperativeFirstRound(alive, count);
    for (const member of this.members) member.partitions = (this.assignment.get(member.id) ?? []).map((index) => this.partitions[index]);
    this.ownerOf = this.partitions.map(() => null);
    for (const member of this.members) for (const partition of member.partitions) this.ownerOf[partition.index] = member;
  }

  /**
   * CooperativeStickyAssignor never hands a member a partition another member still owns: it removes
   * each partition changing owner from the new owner's assignment (adjustAssignment;
   * ConsumerCoordinator.validateCooperativeAssignment), so the owner keeps it until it revokes it at its
   * next poll, and the follow-up rebalance gives it to its new owner (docs/reference.md §3.4). A partition
   * whose owner left (crashed, evicted, scaled in) belongs to no one and moves at once.
   */
  private cooperativeFirstRound(alive: Member[], count: number): Assignment {
    const { assignment, revoked } = cooperativeStickyAssign(alive.map((member) => member.id), count, this.assignment);
    for (const member of alive) {
      const held = (revoked.get(member.id) ?? []).filter((index) => this.ownerOf[index] === member);
      if (held.length === 0) continue;
      const inTransit = new Set(held);
      for (const [id, partitions] of assignment) if (id !== member.id) assignment.set(id, partitions.filter((index) => !inTransit.has(index)));
      assignment.get(member.id)!.push(...held);
      assignment.get(member.id)!.sort((a, b) => a - b);
      this.revoking.set(member, held.map((index) => this.partitions[index]));
    }
    return assignment;
  }

  /**
   * The member's poll completes the cooperative rebalance (ConsumerCoordinator.onJoinComplete, in the
   * user's thread: the records of the previous poll are processed): onPartitionsRevoked commits what it
   * processed of the partitions it gives up, the fetched records of them not handed out yet are dropped,
   * and the member rejoins at once ("need to revoke partitions and re-join"), which begins the follow-up
   * rebalance (or joins the one in progress).
   */
  private revoke(member: Member, revoked: Partition[]): void {
    this.revoking.delete(member);
    for (const partition of revoked) {
      invariant(this.ownerOf[partition.index] === member, "a member revokes only partitions it owns");
      this.cursors[partition.index].commit();
      this.ownerOf[partition.index] = null;
    }
    member.partitions = member.partitions.filter((partition) => this.ownerOf[partition.index] === member);
    this.assignment.set(member.id, member.partitions.map((partition) => partition.index));
    dropFetched(member, this.cursors, (partition) => this.ownerOf[partition.index] === member);
    const before = this.rebalances;
    this.startRebalance();
    if (this.rebalances > before) {
      this.followUpRebalances++;
      if (this.revokingAfterScaling) {
        this.scalingRebalances++;
        this.rebalanceScaling = true;
      }
    }
    const rebalance = this.rebalance!;
    if (!rebalance.joined.has(member.index)) rebalance.join(member.index, this.sim.nowUs);
    this.maybeAssign();
  }

  /** Members in the group now (not crashed, evicted or scaled in). */
  get memberCount(): number {
    return this.alive.length;
  }

  /** Members beyond the partition count: a partition has one owner in a group, so these hold none. */
  idleConsumers(): number {
    return Math.max(0, this.alive.length - this.partitions.length);
  }

  /** KEDA's lag: each partition's log end offset less the group's committed offset, summed (docs/reference.md §11.2). */
  totalLag(nowUs: number): number {
    let lag = 0;
    for (const partition of this.partitions) lag += Math.max(0, partition.highWatermark(nowUs) - this.cursors[partition.index].committedSeq);
    return lag;
  }

  /**
   * Autoscaling: a new consumer joins the group (JoinGroup), which rebalances it at once. Eager: every
   * member gives up its partitions at its next poll; cooperative-sticky: only partitions that move stop.
   */
  addConsumer(): void {
    const index = this.members.length;
    const member = new Member(`consumer-${String(index).padStart(this.idWidth, "0")}`, index);
    this.members.push(member);
    this.heartbeats.add(this.settings.heartbeatUniform);
    this.scalingRebalance();
    member.state = this.eager ? "joining" : "idle";
    member.lastCommitUs = this.sim.nowUs;
    this.rebalance!.admit(index, this.sim.nowUs);
    this.maybeAssign();
  }

  /**
   * Autoscaling: the newest member is scaled in. Like a consumer's close(), it finishes the records in
   * hand, commits its positions and leaves the group (LeaveGroup), which rebalances at once.
   */
  removeConsumer(): void {
    const member = this.alive.filter((candidate) => !this.leaving.has(candidate)).pop();
    if (member === undefined) return;
    if (member.state === "processing") this.leaving.add(member);
    else this.leave(member);
  }

  private leave(member: Member): void {
    this.leaving.delete(member);
    this.revoking.delete(member);
    member.token++;
    if (!member.evicted) for (const partition of member.partitions) this.cursors[partition.index].commit();
    member.state = "dead";
    dropFetched(member, this.cursors, null);
    for (const partition of member.partitions) if (this.ownerOf[partition.index] === member) this.ownerOf[partition.index] = null;
    member.partitions = [];
    this.scalingRebalance();
  }

  private scalingRebalance(): void {
    const before = this.rebalances;
    this.startRebalance();
    if (this.rebalances === before) return;
    this.scalingRebalances++;
    this.rebalanceScaling = true;
  }

  /** add-partitions: the group learns of the new partitions at its next metadata refresh and rebalances. */
  partitionsAdded(seriesOptions: SeriesOptions): void {
    for (let index = this.cursors.length; index < this.partitions.length; index++) {
      const partition = this.partitions[index];
      this.cursors.push(new Cursor(seriesOptions));
      partition.listeners.push(() => this.wake(partition));
    }
    this.startRebalance();
  }

  /**
   * consumer-crash: the member stops at once (what it fetched is abandoned); the coordinator removes it
   * session.timeout.ms after its last heartbeat and rebalances (docs/reference.md §3.4). The new owners start
   * from the committed offsets, so what the member processed since its last commit is processed again.
   */
  crash(memberIndex: number): void {
    const member = this.members[memberIndex];
    if (member === undefined || member.state === "dead") return;
    const now = this.sim.nowUs;
    member.token++;
    member.state = "dead";
    member.processing = [];
    this.revoking.delete(member);
    dropFetched(member, this.cursors, null);
    // An evicted member has left the group already: nobody waits for it.
    if (member.evicted) return this.maybeAssign();
    const noticedUs = this.heartbeats.sessionExpiresUs(member.index, now);
    this.pauses.detectionUs += noticedUs - now;
    this.sim.at(noticedUs, () => this.startRebalance());
  }

  /**
   * The coordinator begins a rebalance (or goes on with the one in progress): each member hears of it at
   * its next heartbeat and rejoins at its next poll (at once when it is waiting in poll()).
   */
  private startRebalance(): void {
    if (this.rebalance === null) {
      const rebalance = new Rebalance(this.sim.nowUs, this.members.length, this.heartbeats);
      this.rebalance = rebalance;
      this.rebalances++;
      this.rebalanceScaling = false;
      for (const member of this.alive) {
        this.sim.at(rebalance.hearsUs[member.index], () => {
          if (this.rebalance === rebalance && member.state === "idle") this.pollAtEventEnd(member);
        });
      }
    }
    this.maybeAssign();
  }

  /**
   * A member at its poll during an eager rebalance: commits what it processed (unless it was evicted:
   * its commit fails), gives up every partition and what it fetched of them, and waits for the others.
   */
  private joinEager(member: Member, commit: boolean): void {
    member.token++;
    member.state = "joining";
    if (commit) for (const partition of member.partitions) this.cursors[partition.index].commit();
    dropFetched(member, this.cursors, null);
    this.rebalance!.join(member.index, this.sim.nowUs);
    this.maybeAssign();
  }

  /** Once every member has rejoined, JoinGroup and SyncGroup (a round trip each) bring the new assignment. */
  private maybeAssign(): void {
    const rebalance = this.rebalance;
    if (rebalance === null) return;
    for (const member of this.alive) if (!rebalance.joined.has(member.index)) return;
    this.rebalance = null;
    const scaling = this.rebalanceScaling;
    const assignUs = this.sim.nowUs + this.settings.roundTrip.sampleUs() + this.settings.roundTrip.sampleUs();
    this.pauses.add(rebalance, this.sim.nowUs, assignUs);
    if (this.eager) this.rebalanceStopUs += assignUs - rebalance.startUs;
    this.sim.at(assignUs, () => this.applyAssignment(scaling));
  }

  /**
   * Applies a new assignment. A partition that changes owner is fetched again from its committed offset;
   * what a member fetched of a partition it no longer owns is dropped. Under cooperative-sticky a
   * partition only changes owner once nobody owns it: one that moves away from a live member stays with
   * it until its next poll revokes it (a member waiting in poll() polls at once).
   */
  private applyAssignment(scaling: boolean): void {
    const owners = new Map<number, Member>();
    if (!this.eager) for (const member of this.alive) for (const partition of member.partitions) owners.set(partition.index, member);
    this.assign();
    this.revokingAfterScaling = scaling && this.revoking.size > 0;
    for (const member of this.members) {
      if (member.state !== "dead") dropFetched(member, this.cursors, this.eager ? null : (partition) => this.ownerOf[partition.index] === member);
    }
    for (const member of this.alive) {
      for (const partition of member.partitions) {
        const previous = owners.get(partition.index);
        if (previous === member) continue;
        invariant(previous === undefined, "a cooperative rebalance hands over only partitions nobody owns");
        this.partitionsRevoked++;
        this.cursors[partition.index].resumeFromCommitted();
      }
      if (member.state === "joining" || member.state === "idle") {
        member.state = "idle";
        this.schedule(member, 0, "poll");
      }
    }
  }

  /**
   * Schedules a step of a member's application. A step scheduled before the member was stopped or
   * rescheduled (its token moved on) does nothing. Tickets are reused: a busy group allocates nothing per poll.
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
    this.atEventEnd = true;
    if (step === "poll") this.poll(member);
    else this.processed(member);
    this.finishEvent();
  };

  /**
   * Set while a poll is the last thing its event does (nothing runs after it in that event). A poll
   * whose processing takes no time would then schedule its "processed" step for now; when no other
   * event is due by now that step would be the very next event, so it runs here at the end of this
   * one instead (processNow), in the same order, without an event of its own.
   */
  private atEventEnd = false;
  private processNow: Member | null = null;

  private pollAtEventEnd(member: Member): void {
    this.atEventEnd = true;
    this.poll(member);
    this.finishEvent();
  }

  /** Runs the zero-time processing steps deferred to the end of the event (each may poll and defer another). */
  private finishEvent(): void {
    while (this.processNow !== null) {
      const member = this.processNow;
      this.processNow = null;
      this.processed(member);
    }
    this.atEventEnd = false;
  }

  /**
   * poll(): rejoin first when the group is rebalancing and the member has heard of it; then take up to
   * max.poll.records of the buffered fetches, send the next fetch for the partitions with nothing
   * buffered, and process. With nothing buffered the member waits in poll() for a fetch's answer.
   */
  private poll(member: Member): void {
    if (member.state === "dead" || member.state === "joining") return;
    // The sets are empty but while members scale in or revoke: a poll (two per fetch) then looks up nothing.
    if (this.leaving.size > 0 && this.leaving.has(member)) return this.leave(member);
    const now = this.sim.nowUs;
    if (member.evicted) return this.rejoin(member);
    if (this.revoking.size > 0) {
      const revoked = this.revoking.get(member);
      if (revoked !== undefined) this.revoke(member, revoked);
    }
    const rebalance = this.rebalance;
    if (rebalance !== null && !rebalance.joined.has(member.index) && now >= rebalance.hearsUs[member.index]) {
      if (this.eager) return this.joinEager(member, true);
      // Cooperative: the member rejoins and goes on consuming what it owns.
      rebalance.join(member.index, now);
      this.maybeAssign();
    }
    member.state = "idle";
    if (member.partitions.length === 0) return;
    const records = this.fetcher.take(member, this.settings.maxPollRecords);
    this.fetcher.send(member);
    if (records === 0) return;
    member.state = "processing";
    const processingUs = this.settings.perBatchUs + records * this.settings.perRecordUs;
    // The poll timer has expired once max.poll.interval.ms has passed, equal included (Java's Timer:
    // now >= deadline, docs/reference.md §3.4): scheduled first, the eviction comes before a next
    // poll due at that very moment. The token is the one schedule() gives the processing below.
    if (processingUs >= this.settings.maxPollIntervalUs) {
      const token = member.token + 1;
      this.sim.after(this.settings.maxPollIntervalUs, () => this.pollTimedOut(member, token, processingUs));
    }
    if (processingUs === 0 && this.atEventEnd && this.sim.idleNow) {
      // As schedule() would: the token moves on, voiding any step scheduled before.
      member.token++;
      this.processNow = member;
      return;
    }
    this.schedule(member, processingUs, "processed");
  }

  /**
   * The member's heartbeat thread found no poll() for max.poll.interval.ms: the member leaves the group
   * (its partitions are lost to it, its buffered fetches dropped) and the coordinator rebalances at once.
   * It goes on processing the records in hand and rejoins at its next poll.
   */
  private pollTimedOut(member: Member, token: number, processingUs: number): void {
    if (member.token !== token || member.state !== "processing" || member.evicted) return;
    member.evicted = true;
    this.evictions++;
    if (this.firstEvictionUs < 0) this.firstEvictionUs = this.sim.nowUs;
    this.revoking.delete(member);
    this.evictedPollUs = Math.max(this.evictedPollUs, processingUs);
    dropFetched(member, this.cursors, null);
    for (const partition of member.partitions) this.ownerOf[partition.index] = null;
    member.partitions = [];
    this.startRebalance();
  }

  /** An evicted member at its next poll joins again as a new member, which rebalances the group. */
  private rejoin(member: Member): void {
    member.evicted = false;
    this.startRebalance();
    if (this.rebalance === null) return;
    if (this.eager) return this.joinEager(member, false);
    member.state = "idle";
    this.rebalance.join(member.index, this.sim.nowUs);
    this.maybeAssign();
  }

  private wake(partition: Partition): void {
    const member = this.ownerOf[partition.index];
    if (member !== null && member !== undefined) this.fetcher.wake(member);
  }

  private processed(member: Member): void {
    const now = this.sim.nowUs;
    const settings = this.settings;
    const pieces = member.processing;
    let total = 0;
    for (let i = 0; i < pieces.length; i++) total += pieces[i].endSeq - pieces[i].startSeq;
    const processingStartUs = now - settings.perBatchUs - total * settings.perRecordUs;
    let offset = 0;
    for (const piece of member.processing) {
      const cursor = this.cursors[piece.partition.index];
      const firstTime = Math.max(0, piece.endSeq - Math.max(piece.startSeq, cursor.processedSeq));
      this.meter.processed(now, firstTime, piece.endSeq - piece.startSeq - firstTime);
      cursor.processed(piece.endSeq, piece.partition.log.tailSeq);
      if (this.meter.afterWarmup(now)) this.recordEndToEnd(piece, processingStartUs + settings.perBatchUs + offset * settings.perRecordUs);
      offset += piece.endSeq - piece.startSeq;
    }
    this.fetcher.recycle(pieces);
    // enable.auto.commit: the positions are committed at the first poll after the interval (an evicted
    // member's commit fails: it is no longer in the group).
    if (!member.evicted && now - member.lastCommitUs >= settings.autoCommitIntervalUs) {
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
    this.firstDoneUs = firstDoneUs;
    piece.partition.log.pieces(piece.startSeq, piece.endSeq, this.endToEndVisit);
  }

  /** recordEndToEnd's visit of one run of the piece, bound once (a busy group allocates nothing per piece). */
  private firstDoneUs = 0;
  private readonly endToEndVisit = (count: number, within: number, createMeanUs: number): void => {
    const meanDoneUs = this.firstDoneUs + (within + (count + 1) / 2) * this.settings.perRecordUs;
    this.meter.endToEnd(Math.max(0, meanDoneUs - createMeanUs), count);
  };

  /** A new leader cut the partition's log back (docs/reference.md §3.3). */
  truncated(partition: Partition, truncation: Truncation): void {
    this.log.truncated(partition, truncation);
  }

  /** Oldest offset of a partition this group may still need (its committed offset or a piece it holds). */
  neededFrom(partition: Partition): number {
    return this.log.neededFrom(partition);
  }

  sampleLag(nowUs: number): void {
    this.log.sampleLag(nowUs);
  }

  sampleRecordsLag(nowUs: number): void {
    this.log.sampleRecordsLag(nowUs);
  }

  result(): ConsumerResult {
    return this.log.result();
  }
}
