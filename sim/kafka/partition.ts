// A topic partition: its replicas (the first is the preferred leader), the leader's log as runs of
// records, and each follower's copy progress. The high watermark (what consumers may read) is the
// offset every in-sync replica has copied; followers' copies finish at known future times, so it is
// advanced lazily when asked for.

import { CounterSeries, type PartitionResult, type SeriesOptions } from "../metrics/index.ts";
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
  leader: number;
  /** In-sync replicas other than the leader. */
  readonly followers: number[];
  private readonly copies: CopyQueue[];
  /** Records before this offset are committed: accepted by the producer's acks and readable by consumers. */
  committedSeq = 0;
  /** Retention: records before this offset have expired. */
  expiredSeq = 0;
  expiryRun = 0;
  /** Wakes consumers waiting for data on this partition. */
  readonly listeners: Array<() => void> = [];

  acceptedRecords = 0;
  acceptedBytes = 0;
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
    this.series = {
      acceptedRecords: new CounterSeries(seriesOptions),
      acceptedBytes: new CounterSeries(seriesOptions),
      offeredRecords: new CounterSeries(seriesOptions),
      offeredBytes: new CounterSeries(seriesOptions),
      throttledAttempts: new CounterSeries(seriesOptions),
      demandRecords: new CounterSeries(seriesOptions),
    };
  }

  /** Records a follower's copy of [.., endSeq) finishing at doneUs. */
  copying(followerIndex: number, endSeq: number, doneUs: number): void {
    this.copies[followerIndex].push(endSeq, doneUs);
  }

  /** The high watermark at nowUs: what the leader and every in-sync follower hold. */
  highWatermark(nowUs: number): number {
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
