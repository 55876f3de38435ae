// A topic partition: its replicas (the first is the preferred leader), the leader's log as runs of
// records, and each follower's copy progress. The high watermark (what consumers may read) is the
// offset every in-sync replica has copied; followers' copies finish at known future times, so it is
// advanced lazily when asked for.

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
  /** Simulated microseconds spent offline, and under-replicated (fewer in-sync replicas than replicas). */
  offlineUs = 0;
  underReplicatedUs = 0;
  /** Records before this offset are committed: accepted by the producer's acks and readable by consumers. */
  committedSeq = 0;
  /** Retention: records before this offset have expired. */
  expiredSeq = 0;
  expiryRun = 0;
  /** Wakes consumers waiting for data on this partition. */
  readonly listeners: Array<() => void> = [];

  acceptedRecords = 0;
  acceptedBytes = 0;
  /** When the latest batch sent to this partition is appended (appends keep their send order). */
  lastAppendUs = 0;
  /** Records of produce attempts that failed or were held (no live leader, not enough replicas). */
  failedAttempts = 0;
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
      this.lostRecords += Math.max(0, this.committedSeq - newEnd);
      this.committedSeq = Math.min(this.committedSeq, newEnd);
      this.log.truncateTo(newEnd);
      // Retention may have passed records the new leader never had (a lagging follower on a short
      // retention): they are gone with the old leader, counted lost, and their offsets are reused.
      this.expiredSeq = Math.min(this.expiredSeq, newEnd);
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
    if (this.leader < 0) return this.committedSeq;
    let hw = this.log.tailSeq;
    for (const copy of this.copies) hw = Math.min(hw, copy.advance(nowUs));
    return hw;
  }

  /** Marks records up to endSeq committed (accepted) at nowUs and wakes waiting consumers. */
  commit(endSeq: number, records: number, bytes: number, nowUs: number): void {
    this.committedSeq = Math.max(this.committedSeq, endSeq);
    this.acceptedRecords += records;
    this.acceptedBytes += bytes;
    this.series.acceptedRecords.add(nowUs, records);
    this.series.acceptedBytes.add(nowUs, bytes);
    for (const listener of this.listeners) listener();
  }
}
