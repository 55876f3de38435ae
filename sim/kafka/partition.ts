// A topic partition: its replicas (the first is the preferred leader), the leader's log as runs of
// records, and each follower's copy progress. The high watermark (what consumers may read) is the
// offset every in-sync replica has copied, as the leader learns it from their fetches; followers'
// copies finish at known future times, so it is advanced lazily when asked for.

import { invariant } from "../engine/index.ts";
import { newPartitionSeries, type PartitionResult, type SeriesOptions } from "../metrics/index.ts";
import { RunLog } from "../workload/index.ts";
import { Segments, type SegmentSettings } from "./segments.ts";

export interface PartitionSettings {
  segments: SegmentSettings;
  /** unclean.leader.election.enable: an out-of-sync replica may lead when no in-sync one is left. */
  uncleanLeaderElection: boolean;
  /** min.insync.replicas, when acks=all producers write (writes are refused below it); 0 otherwise. */
  minInsyncForWrites: number;
}

/** What a leader change cut from the log: the new end, and the committed offset before the cut. */
export interface Truncation {
  endSeq: number;
  committedBeforeSeq: number;
  /** Acknowledged records the cut took that were not readable yet (behind a batch still waiting for its acknowledgement). */
  cutAhead: number;
  unclean: boolean;
}

/**
 * Copies a follower has been sent and not yet finished: (end offset, when the follower has it, when
 * the leader learns so from its next fetch), oldest first. copiedSeq is what the follower holds (what
 * it keeps if it becomes leader); ackedSeq what the leader knows it holds (what the high watermark sees).
 */
class CopyQueue {
  // A ring of (end, heldUs, ackUs) triples in one typed array, oldest at `first`: a busy partition
  // records a copy per follower fetch, so the queue allocates only when it grows.
  private ring = new Float64Array(3 * 16);
  private mask = 15;
  /** Absolute indexes: the oldest copy kept, the first not held yet, the first not acked yet, one past the newest. */
  private first = 0;
  private head = 0;
  private ackHead = 0;
  private tail = 0;
  copiedSeq = 0;
  ackedSeq = 0;
  /** Whether the follower's fetch loop lists the partition as having data to copy (replication.ts). */
  listed = false;

  push(endSeq: number, heldUs: number, ackUs: number): void {
    // Copies acked are no longer needed: the ring keeps those not acked yet.
    this.first = this.ackHead;
    if (this.tail - this.first > this.mask) this.grow();
    const at = 3 * (this.tail++ & this.mask);
    this.ring[at] = endSeq;
    this.ring[at + 1] = heldUs;
    this.ring[at + 2] = ackUs;
  }

  private grow(): void {
    const capacity = 2 * (this.mask + 1);
    const ring = new Float64Array(3 * capacity);
    for (let i = this.first; i < this.tail; i++) {
      const from = 3 * (i & this.mask);
      const to = 3 * (i & (capacity - 1));
      ring[to] = this.ring[from];
      ring[to + 1] = this.ring[from + 1];
      ring[to + 2] = this.ring[from + 2];
    }
    this.ring = ring;
    this.mask = capacity - 1;
  }

  /** Where the follower's next fetch starts: the end of the last copy sent to it. */
  get requestedSeq(): number {
    return this.tail > this.ackHead ? this.ring[3 * ((this.tail - 1) & this.mask)] : this.ackedSeq;
  }

  /** The sender stopped: copies not held by now never arrive (and never reach the leader's view). */
  discardPending(): void {
    this.ackedSeq = this.copiedSeq;
    this.first = 0;
    this.head = 0;
    this.ackHead = 0;
    this.tail = 0;
  }

  /** Both frontiers set to one offset (a replica caught up, or cut back with the log). */
  reset(seq: number): void {
    this.discardPending();
    this.copiedSeq = seq;
    this.ackedSeq = seq;
  }

  /** Offset the follower holds by nowUs. */
  advance(nowUs: number): number {
    const ring = this.ring;
    const mask = this.mask;
    while (this.head < this.tail) {
      const at = 3 * (this.head & mask);
      if (ring[at + 1] > nowUs) break;
      this.copiedSeq = ring[at];
      this.head++;
    }
    return this.copiedSeq;
  }

  /** Offset the leader knows the follower holds by nowUs. */
  acked(nowUs: number): number {
    this.advance(nowUs);
    const ring = this.ring;
    const mask = this.mask;
    while (this.ackHead < this.head) {
      const at = 3 * (this.ackHead & mask);
      if (ring[at + 2] > nowUs) break;
      this.ackedSeq = ring[at];
      this.ackHead++;
    }
    return this.ackedSeq;
  }

  /** When the leader learns the follower holds up to endSeq (nowUs if it knows already); -1 if it has not been sent that far. */
  ackTimeUs(endSeq: number, nowUs: number): number {
    if (this.acked(nowUs) >= endSeq) return nowUs;
    const ring = this.ring;
    const mask = this.mask;
    for (let i = this.ackHead; i < this.tail; i++) {
      const at = 3 * (i & mask);
      if (ring[at] >= endSeq) return ring[at + 2];
    }
    return -1;
  }
}

export class Partition {
  readonly id: string;
  readonly log = new RunLog();
  /** The leader's broker index; -1 while no in-sync replica is alive (offline). */
  leader: number;
  /** Bumped at every leader change: work in flight for an older leader is void. */
  leaderEpoch = 0;
  /** The log end each ended leader epoch handed on (what the next leader had of it), by epoch. */
  private readonly epochEnds: number[] = [];
  /** In-sync replicas other than the leader, and each one's copy progress. */
  followers: number[];
  private copies: CopyQueue[];
  /**
   * Bumped whenever the replicas or their copies change other than by a new copy sent (a broker stops,
   * is fenced, catches up or rejoins; the leader or the log's end changes). While it stays, the high
   * watermark only moves forward, so a time highWatermarkTimeUs gave stays good (see Request's settle).
   */
  replicaVersion = 0;
  /** Accepted records a new in-sync leader never had (acks 0 or 1): gone, counted lost for every consumer. */
  lostRecords = 0;
  /** Accepted records an out-of-sync replica elected leader (unclean election) never had. */
  uncleanLostRecords = 0;
  uncleanElections = 0;
  /** Replicas that left the ISR, and the offset each holds up to. */
  private readonly outOfSyncEnds = new Map<number, number>();
  /** The last in-sync replica while the partition is offline (it holds the whole log); -1 otherwise. */
  private lastInSync = -1;
  /** Replicas that came back while the partition was offline and could not lead. */
  private readonly returned = new Set<number>();
  private offlineTotalUs = 0;
  private refusingTotalUs = 0;
  private underReplicatedTotalUs = 0;
  private committedEndSeq = 0;
  /**
   * Acknowledged batches beyond one still waiting for its acknowledgement, as [start, end) offset pairs
   * in offset order: an acks=all request is answered when the high watermark passes all its batches, so
   * a later request's batch can be acknowledged first. They become readable when the gap closes, so
   * what consumers read is always what producers were told was written.
   */
  private readonly committedAhead: number[] = [];
  private expiredEndSeq = 0;
  private readonly segments: Segments;
  /** Wakes consumers waiting for data on this partition. */
  readonly listeners: Array<() => void> = [];

  acceptedRecords = 0;
  acceptedBytes = 0;
  private lastAppendAtUs = 0;
  private failedRecords = 0;
  readonly series: PartitionResult["series"];

  constructor(
    readonly index: number,
    topic: string,
    readonly replicas: readonly number[],
    seriesOptions: SeriesOptions,
    private readonly settings: PartitionSettings,
  ) {
    this.segments = new Segments(settings.segments);
    this.id = `${topic}-${index}`;
    this.leader = replicas[0];
    this.followers = replicas.slice(1);
    this.copies = this.followers.map(() => new CopyQueue());
    // Every batch sent to a partition is appended once, so its demand is what it is offered: one
    // series serves both (two counter adds fewer per batch, the same values).
    const series = newPartitionSeries(seriesOptions);
    this.series = { ...series, demandRecords: series.offeredRecords, demandBytes: series.offeredBytes };
  }

  /** Records before this offset are committed: accepted by the producer's acks and readable by consumers. */
  get committedSeq(): number {
    return this.committedEndSeq;
  }

  /** Acknowledged records not readable yet, behind a batch still waiting for its acknowledgement. */
  get committedAheadRecords(): number {
    let records = 0;
    for (let i = 0; i < this.committedAhead.length; i += 2) records += this.committedAhead[i + 1] - this.committedAhead[i];
    return records;
  }

  /** Retention: records before this offset have expired. */
  get expiredSeq(): number {
    return this.expiredEndSeq;
  }

  /** Simulated microseconds spent offline (no live leader). */
  get offlineUs(): number {
    return this.offlineTotalUs;
  }

  /** Simulated microseconds with a live leader refusing acks=all writes (NotEnoughReplicas: fewer in-sync replicas than min.insync.replicas). */
  get refusingWritesUs(): number {
    return this.refusingTotalUs;
  }

  /** min.insync.replicas when acks=all producers write to it (writes are refused below it); 0 otherwise. */
  get minInsyncForWrites(): number {
    return this.settings.minInsyncForWrites;
  }

  /** Log bytes on the leader's disk: every segment retention has kept. */
  get storedBytes(): number {
    return this.segments.storedBytes;
  }

  /** Segments rolled so far. */
  get segmentsRolled(): number {
    return this.segments.rolled;
  }

  /** Simulated microseconds spent under-replicated (fewer in-sync replicas than replicas). */
  get underReplicatedUs(): number {
    return this.underReplicatedTotalUs;
  }

  /** When the latest batch sent to this partition is appended (appends keep their send order). */
  get lastAppendUs(): number {
    return this.lastAppendAtUs;
  }

  /** Records of produce attempts that failed or were held (no live leader, not enough replicas). */
  get failedAttempts(): number {
    return this.failedRecords;
  }

  /** A batch sent now will be appended at appendUs: never before one sent earlier (a connection's requests are handled in order). */
  scheduleAppend(appendUs: number): void {
    invariant(appendUs >= this.lastAppendAtUs, "a partition's batches are appended in the order they were sent");
    this.lastAppendAtUs = appendUs;
  }

  /** The leader appends a batch at nowUs (the log checks arrival order): its records get the next offsets. Returns the first of them. */
  append(nowUs: number, count: number, bytes: number, createMinUs: number, createSumUs: number): number {
    const firstSeq = this.log.tailSeq;
    this.log.appendRun(nowUs, count, bytes, createMinUs, createSumUs);
    this.segments.append(nowUs, firstSeq, bytes);
    this.series.offeredRecords.add(nowUs, count);
    this.series.offeredBytes.add(nowUs, bytes);
    return firstSeq;
  }

  /** A produce attempt of `count` records failed or was held at atUs. */
  countFailed(atUs: number, count: number): void {
    this.failedRecords += count;
    this.series.throttledAttempts.add(atUs, count);
  }

  /** Another `elapsedUs` passed with the leader up or not: time offline, or under-replicated, adds up. */
  countAvailability(leaderUp: boolean, elapsedUs: number): void {
    if (!leaderUp) this.offlineTotalUs += elapsedUs;
    else if (this.inSyncReplicas < this.settings.minInsyncForWrites) this.refusingTotalUs += elapsedUs;
    else if (this.inSyncReplicas < this.replicas.length) this.underReplicatedTotalUs += elapsedUs;
  }

  /**
   * The retention check at nowUs (docs/reference.md §3.3): whole segments past log.retention.ms or
   * beyond log.retention.bytes go, only below what consumers may read (readableSeq, the high
   * watermark); the log start moves forward.
   */
  deleteOldSegments(nowUs: number, readableSeq: number): void {
    const startSeq = this.segments.deleteOld(nowUs, Math.min(readableSeq, this.committedEndSeq), this.log.tailSeq);
    this.expiredEndSeq = Math.max(this.expiredEndSeq, startSeq);
  }

  /** Offsets an out-of-sync replica may still be elected with (unclean election): the log keeps them. */
  get electableFromSeq(): number {
    let seq = this.log.tailSeq;
    if (this.settings.uncleanLeaderElection) for (const endSeq of this.outOfSyncEnds.values()) seq = Math.min(seq, endSeq);
    return seq;
  }

  /** Records a follower's copy of [.., endSeq): it holds it at heldUs, the leader learns so at ackUs. */
  copying(followerIndex: number, endSeq: number, heldUs: number, ackUs: number): void {
    this.copies[followerIndex].push(endSeq, heldUs, ackUs);
  }

  /** Whether a follower's fetch loop lists this partition as having data for it to copy. */
  listedFor(followerIndex: number): boolean {
    return this.copies[followerIndex].listed;
  }

  setListedFor(followerIndex: number, listed: boolean): void {
    this.copies[followerIndex].listed = listed;
  }

  /** The offset a follower's next fetch asks from. */
  requestedSeq(followerIndex: number): number {
    return this.copies[followerIndex].requestedSeq;
  }

  get inSyncReplicas(): number {
    return (this.leader >= 0 ? 1 : 0) + this.followers.length;
  }

  /**
   * A broker stopped at nowUs: as leader it sends no more copies (followers keep what they had by
   * now); as follower it finishes none of the copies it was given.
   */
  brokerStopped(broker: number, nowUs: number): void {
    this.replicaVersion++;
    this.returned.delete(broker);
    if (this.leader === broker) {
      for (const copy of this.copies) {
        copy.advance(nowUs);
        copy.discardPending();
      }
    }
    const index = this.followers.indexOf(broker);
    if (index >= 0) {
      this.copies[index].advance(nowUs);
      this.copies[index].discardPending();
    }
  }

  /**
   * A broker was fenced at nowUs (docs/reference.md §3.3): it leaves the ISR, holding what it had when
   * it stopped; if it led, the first in-sync follower takes over with what it had copied when the old
   * leader stopped (diedUs), and the rest of the log is truncated. With no in-sync follower the
   * partition goes offline, the fenced leader being the last in-sync replica.
   */
  fence(broker: number, diedUs: number): Truncation {
    this.replicaVersion++;
    const unchanged = { endSeq: this.log.tailSeq, committedBeforeSeq: this.committedEndSeq, cutAhead: 0, unclean: false };
    const followerIndex = this.followers.indexOf(broker);
    if (followerIndex >= 0) {
      this.outOfSyncEnds.set(broker, this.copies[followerIndex].copiedSeq);
      this.followers.splice(followerIndex, 1);
      this.copies.splice(followerIndex, 1);
      return unchanged;
    }
    if (this.leader !== broker) return unchanged;
    if (this.followers.length === 0) {
      this.endEpoch(this.log.tailSeq);
      this.leader = -1;
      this.lastInSync = broker;
      return unchanged;
    }
    const newEnd = Math.min(this.copies[0].advance(diedUs), this.log.tailSeq);
    this.leader = this.followers.shift()!;
    this.copies.shift();
    // A returning follower may have copied less than the first one; it rejoins caught up (see rejoin).
    const cutAhead = this.cutAheadFrom(newEnd);
    this.lostRecords += this.cutTo(newEnd) + cutAhead;
    this.outOfSyncEnds.set(broker, newEnd);
    return { endSeq: newEnd, committedBeforeSeq: unchanged.committedBeforeSeq, cutAhead, unclean: false };
  }

  /**
   * A new leader holds the log up to endSeq: the epoch ends there, the rest is gone. Unaccepted records
   * beyond it retry; returns the accepted ones, lost (acks 0/1, or any acks in an unclean election).
   */
  private cutTo(endSeq: number): number {
    this.replicaVersion++;
    this.endEpoch(endSeq);
    const lost = Math.max(0, this.committedEndSeq - endSeq);
    if (endSeq < this.log.tailSeq) {
      this.committedEndSeq = Math.min(this.committedEndSeq, endSeq);
      this.log.truncateTo(endSeq);
      this.segments.truncateTo(endSeq, this.log.bytesTotal);
      // Retention may have passed records the new leader never had (a lagging follower on a short
      // retention): they are gone with the old leader, and their offsets are reused.
      this.expiredEndSeq = Math.min(this.expiredEndSeq, endSeq);
    }
    for (const copy of this.copies) copy.reset(Math.min(copy.copiedSeq, endSeq));
    return lost;
  }

  /** Drops the acknowledged-ahead batches a cut at endSeq takes; returns their records beyond endSeq. */
  private cutAheadFrom(endSeq: number): number {
    const ahead = this.committedAhead;
    let cut = 0;
    let kept = 0;
    for (let i = 0; i < ahead.length; i += 2) {
      cut += Math.max(0, ahead[i + 1] - Math.max(ahead[i], endSeq));
      if (ahead[i] < endSeq) {
        ahead[kept++] = ahead[i];
        ahead[kept++] = Math.min(ahead[i + 1], endSeq);
      }
    }
    ahead.length = kept;
    return cut;
  }

  /** A leader change: the ending epoch's records up to endSeq stay in the log, the rest are gone. */
  private endEpoch(endSeq: number): void {
    this.replicaVersion++;
    this.epochEnds[this.leaderEpoch] = endSeq;
    this.leaderEpoch++;
  }

  /**
   * Whether records up to endSeq appended in `epoch` are still in the log: every leader change since
   * kept them. (The log's end alone cannot tell: after a truncation, later appends reuse the offsets.)
   */
  holds(epoch: number, endSeq: number): boolean {
    if (this.leader < 0 || endSeq > this.log.tailSeq) return false;
    for (let ended = epoch; ended < this.leaderEpoch; ended++) if (endSeq > this.epochEnds[ended]) return false;
    return true;
  }

  /** A follower that came back before it was fenced catches up (its missed copies are assumed quick). */
  catchUp(broker: number): void {
    this.replicaVersion++;
    const index = this.followers.indexOf(broker);
    if (index >= 0) this.copies[index].reset(this.log.tailSeq);
  }

  /**
   * A broker came back. With a live leader it rejoins the ISR, caught up. An offline partition gets it
   * as leader if it was the last in-sync replica (it has the whole log), or, with unclean leader
   * election, if it is an out-of-sync replica: the log is cut to what it had and the accepted records
   * beyond are lost (docs/reference.md §3.3). Otherwise it waits for the last in-sync replica.
   * Returns what an unclean election cut, else null.
   */
  rejoin(broker: number): Truncation | null {
    this.replicaVersion++;
    if (!this.replicas.includes(broker) || broker === this.leader || this.followers.includes(broker)) return null;
    if (this.leader >= 0) {
      this.join(broker);
      return null;
    }
    if (broker === this.lastInSync) {
      this.endEpoch(this.log.tailSeq);
      this.elect(broker);
      return null;
    }
    const heldSeq = this.outOfSyncEnds.get(broker);
    if (!this.settings.uncleanLeaderElection || heldSeq === undefined) {
      this.returned.add(broker);
      return null;
    }
    const committedBeforeSeq = this.committedEndSeq;
    const endSeq = Math.min(heldSeq, this.log.tailSeq);
    const cutAhead = this.cutAheadFrom(endSeq);
    this.uncleanLostRecords += this.cutTo(endSeq) + cutAhead;
    this.uncleanElections++;
    // The last in-sync replica, when it returns, truncates what it had beyond the new leader's log.
    if (this.lastInSync >= 0) this.outOfSyncEnds.set(this.lastInSync, endSeq);
    this.elect(broker);
    return { endSeq, committedBeforeSeq, cutAhead, unclean: true };
  }

  /** A new leader for an offline partition: replicas waiting for one join it, caught up. */
  private elect(broker: number): void {
    this.leader = broker;
    this.lastInSync = -1;
    this.outOfSyncEnds.delete(broker);
    this.returned.delete(broker);
    for (const waiting of this.returned) this.join(waiting);
    this.returned.clear();
  }

  private join(broker: number): void {
    this.replicaVersion++;
    const copy = new CopyQueue();
    copy.reset(this.log.tailSeq);
    this.followers.push(broker);
    this.copies.push(copy);
    this.outOfSyncEnds.delete(broker);
  }

  /** The high watermark at nowUs: what the leader holds and knows every in-sync follower holds (their last fetch's offset). */
  highWatermark(nowUs: number): number {
    if (this.leader < 0) return this.committedEndSeq;
    let hw = this.log.tailSeq;
    for (const copy of this.copies) hw = Math.min(hw, copy.acked(nowUs));
    this.hwFloorSeq = hw;
    this.hwFloorVersion = this.replicaVersion;
    return hw;
  }

  /**
   * A high watermark reached: while replicaVersion stays hwFloorVersion, the high watermark is at least
   * hwFloorSeq (it only moves forward then), so reads below it need not work it out again.
   */
  private hwFloorSeq = 0;
  private hwFloorVersion = -1;

  /** Whether the high watermark is at least seq at nowUs. */
  highWatermarkReaches(seq: number, nowUs: number): boolean {
    if (this.hwFloorVersion === this.replicaVersion && this.hwFloorSeq >= seq) return true;
    return this.highWatermark(nowUs) >= seq;
  }

  /** The high watermark is known to have passed seq (a time highWatermarkTimeUs gave has come). */
  highWatermarkPassed(seq: number): void {
    if (this.hwFloorVersion === this.replicaVersion) this.hwFloorSeq = Math.max(this.hwFloorSeq, seq);
    else {
      this.hwFloorSeq = seq;
      this.hwFloorVersion = this.replicaVersion;
    }
  }

  /** What consumers may read at nowUs: the committed records below the high watermark. */
  readableSeq(nowUs: number): number {
    if (this.hwFloorVersion === this.replicaVersion && this.committedEndSeq <= this.hwFloorSeq) return this.committedEndSeq;
    return Math.min(this.committedEndSeq, this.highWatermark(nowUs));
  }

  /**
   * When the high watermark reaches endSeq, as far as the copies sent so far tell (nowUs if it has):
   * the last in-sync follower's next fetch after it holds endSeq. -1 while some follower has not
   * been sent that far, or the partition has no leader.
   */
  highWatermarkTimeUs(endSeq: number, nowUs: number): number {
    if (this.leader < 0 || endSeq > this.log.tailSeq) return -1;
    let atUs = nowUs;
    for (const copy of this.copies) {
      const ackUs = copy.ackTimeUs(endSeq, nowUs);
      if (ackUs < 0) return -1;
      atUs = Math.max(atUs, ackUs);
    }
    return atUs;
  }

  /**
   * Marks the batch of `records` ending at endSeq committed (accepted) at nowUs and wakes waiting
   * consumers. Consumers read up to the first batch not yet acknowledged (see committedAhead).
   */
  commit(endSeq: number, records: number, bytes: number, nowUs: number): void {
    invariant(endSeq <= this.log.tailSeq && records > 0, "only records in the log are committed");
    const startSeq = endSeq - records;
    if (startSeq > this.committedEndSeq) this.holdAhead(startSeq, endSeq);
    else {
      this.committedEndSeq = Math.max(this.committedEndSeq, endSeq);
      const ahead = this.committedAhead;
      let taken = 0;
      while (taken < ahead.length && ahead[taken] <= this.committedEndSeq) {
        this.committedEndSeq = Math.max(this.committedEndSeq, ahead[taken + 1]);
        taken += 2;
      }
      if (taken > 0) ahead.splice(0, taken);
    }
    this.acceptedRecords += records;
    this.acceptedBytes += bytes;
    this.series.acceptedRecords.add(nowUs, records);
    this.series.acceptedBytes.add(nowUs, bytes);
    for (const listener of this.listeners) listener();
  }

  /** Keeps an acknowledged batch beyond the readable end, in offset order (few wait: a request's worth). */
  private holdAhead(startSeq: number, endSeq: number): void {
    const ahead = this.committedAhead;
    let at = ahead.length;
    while (at > 0 && ahead[at - 2] > startSeq) at -= 2;
    ahead.splice(at, 0, startSeq, endSeq);
  }
}
