// A topic partition: its replicas (the first is the preferred leader), the leader's log as runs of
// records, and each follower's copy progress. The high watermark (what consumers may read) is the
// offset every in-sync replica has copied; followers' copies finish at known future times, so it is
// advanced lazily when asked for.

import { invariant } from "../engine/index.ts";
import { newPartitionSeries, type PartitionResult, type SeriesOptions } from "../metrics/index.ts";
import { RunLog } from "../workload/index.ts";

/** Copies a follower has been given and not yet finished: (end offset, done time), oldest first. */
class CopyQueue {
  private ends: number[] = [];
  private dones: number[] = [];
  private head = 0;
  copiedSeq = 0;

  push(endSeq: number, doneUs: number): void {
    this.ends.push(endSeq);
    this.dones.push(doneUs);
  }

  /** The sender stopped: copies not done by now never arrive. */
  discardPending(): void {
    this.ends = [];
    this.dones = [];
    this.head = 0;
  }

  /** Offset copied by nowUs. */
  advance(nowUs: number): number {
    while (this.head < this.ends.length && this.dones[this.head] <= nowUs) this.copiedSeq = this.ends[this.head++];
    if (this.head > 1024 && this.head * 2 > this.ends.length) {
      this.ends = this.ends.slice(this.head);
      this.dones = this.dones.slice(this.head);
      this.head = 0;
    }
    return this.copiedSeq;
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
  /** Accepted records a new leader never had (acks 0 or 1): gone, counted lost for every consumer. */
  lostRecords = 0;
  private offlineTotalUs = 0;
  private underReplicatedTotalUs = 0;
  private committedEndSeq = 0;
  private expiredEndSeq = 0;
  /** The first run not yet past retention. */
  private expiryRun = 0;
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
  ) {
    this.id = `${topic}-${index}`;
    this.leader = replicas[0];
    this.followers = replicas.slice(1);
    this.copies = this.followers.map(() => new CopyQueue());
    this.series = newPartitionSeries(seriesOptions);
  }

  /** Records before this offset are committed: accepted by the producer's acks and readable by consumers. */
  get committedSeq(): number {
    return this.committedEndSeq;
  }

  /** Retention: records before this offset have expired. */
  get expiredSeq(): number {
    return this.expiredEndSeq;
  }

  /** Simulated microseconds spent offline (no live leader). */
  get offlineUs(): number {
    return this.offlineTotalUs;
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
    this.series.offeredRecords.add(nowUs, count);
    this.series.offeredBytes.add(nowUs, bytes);
    this.series.demandRecords.add(nowUs, count);
    this.series.demandBytes.add(nowUs, bytes);
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
    else if (this.inSyncReplicas < this.replicas.length) this.underReplicatedTotalUs += elapsedUs;
  }

  /**
   * Retention by time (log.retention.ms: runs that arrived before horizonUs) and, when set, by size
   * (log.retention.bytes): the expiry frontier moves forward, never past what is committed.
   */
  expire(horizonUs: number, retentionBytes: number | undefined): void {
    const log = this.log;
    let run = log.firstRunArrivedFrom(Math.max(this.expiryRun, log.headRun), horizonUs);
    if (retentionBytes !== undefined) {
      const keepFromBytes = log.bytesTotal - retentionBytes;
      while (run < log.tailRun && log.bytesBeforeAt(run) + log.bytesAt(run) <= keepFromBytes) run++;
    }
    const expiredSeq = Math.min(log.seqAtRun(run), this.committedEndSeq);
    invariant(expiredSeq >= this.expiredEndSeq, "retention only moves forward");
    this.expiryRun = run;
    this.expiredEndSeq = expiredSeq;
  }

  /** Records a follower's copy of [.., endSeq) finishing at doneUs. */
  copying(followerIndex: number, endSeq: number, doneUs: number): void {
    this.copies[followerIndex].push(endSeq, doneUs);
  }

  get inSyncReplicas(): number {
    return (this.leader >= 0 ? 1 : 0) + this.followers.length;
  }

  /**
   * A broker stopped at nowUs: as leader it sends no more copies (followers keep what they had by
   * now); as follower it finishes none of the copies it was given.
   */
  brokerStopped(broker: number, nowUs: number): void {
    if (this.leader === broker) {
      for (const copy of this.copies) {
        copy.advance(nowUs);
        copy.discardPending();
      }
    }
    const index = this.followers.indexOf(broker);
    if (index >= 0) this.copies[index].discardPending();
  }

  /**
   * A broker was fenced at nowUs (docs/reference.md §3.3): it leaves the ISR; if it led, the first in-sync follower
   * takes over with what it had copied when the old leader stopped (diedUs), and the rest of the log
   * is truncated. Returns the offset the log now ends at.
   */
  fence(broker: number, diedUs: number): number {
    const followerIndex = this.followers.indexOf(broker);
    if (followerIndex >= 0) {
      this.followers.splice(followerIndex, 1);
      this.copies.splice(followerIndex, 1);
      return this.log.tailSeq;
    }
    if (this.leader !== broker) return this.log.tailSeq;
    if (this.followers.length === 0) {
      this.endEpoch(this.log.tailSeq);
      this.leader = -1;
      return this.log.tailSeq;
    }
    const newEnd = this.copies[0].advance(diedUs);
    this.endEpoch(Math.min(newEnd, this.log.tailSeq));
    // A returning follower may have copied less than the first one; it rejoins caught up (see rejoin).
    this.leader = this.followers.shift()!;
    this.copies.shift();
    if (newEnd < this.log.tailSeq) {
      // Accepted records beyond the new leader's copy are lost (acks 0/1); unaccepted ones retry.
      this.lostRecords += Math.max(0, this.committedEndSeq - newEnd);
      this.committedEndSeq = Math.min(this.committedEndSeq, newEnd);
      this.log.truncateTo(newEnd);
      // Retention may have passed records the new leader never had (a lagging follower on a short
      // retention): they are gone with the old leader, counted lost, and their offsets are reused.
      this.expiredEndSeq = Math.min(this.expiredEndSeq, newEnd);
      this.expiryRun = Math.min(this.expiryRun, this.log.tailRun);
    }
    for (const copy of this.copies) copy.copiedSeq = Math.min(copy.copiedSeq, newEnd);
    return newEnd;
  }

  /** A leader change: the ending epoch's records up to endSeq stay in the log, the rest are gone. */
  private endEpoch(endSeq: number): void {
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
    const index = this.followers.indexOf(broker);
    if (index >= 0) this.copies[index].copiedSeq = this.log.tailSeq;
  }

  /** A broker came back: an offline partition it holds a replica of gets it as leader; otherwise it rejoins the ISR, caught up. */
  rejoin(broker: number): void {
    if (!this.replicas.includes(broker) || broker === this.leader || this.followers.includes(broker)) return;
    if (this.leader < 0) {
      this.endEpoch(this.log.tailSeq);
      this.leader = broker;
      return;
    }
    const copy = new CopyQueue();
    copy.copiedSeq = this.log.tailSeq;
    this.followers.push(broker);
    this.copies.push(copy);
  }

  /** The high watermark at nowUs: what the leader and every in-sync follower hold. */
  highWatermark(nowUs: number): number {
    if (this.leader < 0) return this.committedEndSeq;
    let hw = this.log.tailSeq;
    for (const copy of this.copies) hw = Math.min(hw, copy.advance(nowUs));
    return hw;
  }

  /** Marks records up to endSeq committed (accepted) at nowUs and wakes waiting consumers. */
  commit(endSeq: number, records: number, bytes: number, nowUs: number): void {
    invariant(endSeq <= this.log.tailSeq && records > 0, "only records in the log are committed");
    this.committedEndSeq = Math.max(this.committedEndSeq, endSeq);
    this.acceptedRecords += records;
    this.acceptedBytes += bytes;
    this.series.acceptedRecords.add(nowUs, records);
    this.series.acceptedBytes.add(nowUs, bytes);
    for (const listener of this.listeners) listener();
  }
}
