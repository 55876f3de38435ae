// A group's positions as the partitions' logs change under it (docs/reference.md §3.3, §3.4): retention
// deleting records before the group read them (auto.offset.reset), a new leader cutting the log back;
// and what the group reports from them: its lag samples and the terms of its accounting.

import { GaugeSeries, type ConsumerMeter, type ConsumerResult, type SeriesOptions } from "../metrics/index.ts";
import type { Cursor } from "./cursor.ts";
import { DrainEstimate } from "./drain-estimate.ts";
import type { Member } from "./fetcher.ts";
import type { Partition, Truncation } from "./partition.ts";

export class GroupLog {
  /** Records retention took before the group reached them, counted as its cursors find them. */
  expired = 0;
  /** Accepted records an unclean leader election took before this group processed them. */
  lostToUncleanElection = 0;
  /** Records still kept that auto.offset.reset=latest jumped over, and how many times it did. */
  lostToOffsetReset = 0;
  offsetResets = 0;
  /** When auto.offset.reset=latest first jumped a position to the log end; -1 before. */
  firstOffsetResetUs = -1;

  /**
   * MSK's MaxOffsetLag and SumOffsetLag of the group on its topic: high watermark less committed offset,
   * the largest and the sum over partitions; and EstimatedMaxTimeLag, seconds to drain the largest.
   */
  private readonly offsetLag: { max: GaugeSeries; sum: GaugeSeries; estimatedMaxTimeSeconds: GaugeSeries };
  private readonly drain: DrainEstimate;
  /** The committed offset of the group's i-th partition (made once: the drain estimate samples it every second). */
  private readonly committedSeqAt = (partitionIndex: number): number => this.cursors[this.partitions[partitionIndex].index].committedSeq;

  constructor(
    private readonly partitions: Partition[],
    private readonly cursors: Cursor[],
    private readonly members: Member[],
    private readonly autoOffsetReset: "latest" | "earliest",
    private readonly meter: ConsumerMeter,
    seriesOptions: SeriesOptions,
  ) {
    this.offsetLag = { max: new GaugeSeries(seriesOptions), sum: new GaugeSeries(seriesOptions), estimatedMaxTimeSeconds: new GaugeSeries(seriesOptions) };
    this.offsetLag.max.set(0, 0);
    this.offsetLag.sum.set(0, 0);
    this.offsetLag.estimatedMaxTimeSeconds.set(0, 0);
    this.drain = new DrainEstimate(partitions.length);
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
    this.lostToUncleanElection += Math.max(0, truncation.committedBeforeSeq - Math.max(endSeq, cursor.processedSeq)) + truncation.cutAhead;
    for (const member of this.members) {
      for (const piece of member.pieces()) {
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
  skipExpired(partition: Partition, cursor: Cursor, readableSeq: number, nowUs: number): boolean {
    if (partition.expiredSeq <= cursor.fetchedSeq) return true;
    // Records fetched and not processed yet are processed first; the position resets after them.
    if (cursor.processedSeq < cursor.fetchedSeq) return false;
    // After a rebalance the position may sit behind records already processed (fetched again as
    // duplicates): only records never processed count as expired or skipped.
    const reachedSeq = Math.max(cursor.fetchedSeq, cursor.processedSeq);
    this.expired += Math.max(0, partition.expiredSeq - reachedSeq);
    const resetSeq = this.autoOffsetReset === "latest" ? Math.max(partition.expiredSeq, readableSeq) : partition.expiredSeq;
    this.lostToOffsetReset += Math.max(0, resetSeq - Math.max(partition.expiredSeq, reachedSeq));
    if (this.autoOffsetReset === "latest" && this.offsetResets++ === 0) this.firstOffsetResetUs = nowUs;
    cursor.skipTo(resetSeq);
    return true;
  }

  /** Oldest offset of a partition this group may still need (its committed offset or a batch in flight). */
  neededFrom(partition: Partition): number {
    const cursor = this.cursors[partition.index];
    let needed = Math.min(cursor.committedSeq, cursor.processedSeq);
    for (const member of this.members) for (const piece of member.pieces()) if (piece.partition === partition) needed = Math.min(needed, piece.startSeq);
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

  /**
   * The per-second sample of records-lag (high watermark - position): per partition, and the largest;
   * and of the offset lag MSK reports from the committed offsets (high watermark - committed offset),
   * with the time to drain the largest at the group's recent rate on that partition (drain-estimate.ts).
   */
  sampleRecordsLag(nowUs: number): void {
    let recordsLagMax = 0;
    let offsetLagMax = 0;
    let offsetLagSum = 0;
    let maxLagIndex = -1;
    this.drain.sample(nowUs, this.committedSeqAt);
    for (let partitionIndex = 0; partitionIndex < this.partitions.length; partitionIndex++) {
      const partition = this.partitions[partitionIndex];
      const cursor = this.cursors[partition.index];
      const highWatermark = partition.highWatermark(nowUs);
      const recordsLag = Math.max(0, highWatermark - cursor.fetchedSeq);
      cursor.recordsLag.set(nowUs, recordsLag);
      recordsLagMax = Math.max(recordsLagMax, recordsLag);
      const offsetLag = Math.max(0, highWatermark - cursor.committedSeq);
      if (offsetLag > offsetLagMax) maxLagIndex = partitionIndex;
      offsetLagMax = Math.max(offsetLagMax, offsetLag);
      offsetLagSum += offsetLag;
    }
    this.meter.sampleNative(nowUs, recordsLagMax);
    this.offsetLag.max.set(nowUs, offsetLagMax);
    this.offsetLag.sum.set(nowUs, offsetLagSum);
    // No estimate yet (nothing committed in the first minute): the gauge keeps its value.
    const drainSeconds = maxLagIndex < 0 ? 0 : this.drain.drainSeconds(maxLagIndex, offsetLagMax);
    if (drainSeconds !== null) this.offsetLag.estimatedMaxTimeSeconds.set(nowUs, drainSeconds);
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
      unread += Math.max(0, partition.committedSeq - Math.max(cursor.fetchedSeq, cursor.processedSeq, partition.expiredSeq)) + partition.committedAheadRecords;
    }
    const nativePerPartition = this.partitions.map((partition) => ({ id: partition.id, series: this.cursors[partition.index].recordsLag }));
    lost += this.lostToUncleanElection + this.lostToOffsetReset;
    this.offsetLag.max.finish();
    this.offsetLag.sum.finish();
    this.offsetLag.estimatedMaxTimeSeconds.finish();
    return this.meter.result({ unread, inFlight, expired, deadLettered: 0, lost }, { nativePerPartition, offsetLag: this.offsetLag });
  }
}
