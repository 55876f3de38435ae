// The stream's delivery buffers (docs/reference.md §7.2): one buffer, or with dynamic partitioning one per
// active partition key up to the active-partition limit. A buffer flushes when it holds the size hint
// or when the interval hint has passed since its first record, whichever comes first, and each flush is
// one S3 object. Records are held as runs (count, bytes, summed creation times) of at most a second of
// arrivals, never one object per record. A record whose key would open a partition past the limit goes
// to the error output prefix, a buffer of its own whose objects count as failed (backed up).

import type { Simulation } from "../engine/index.ts";
import { invariant } from "../engine/index.ts";
import { errorPartition, runSpanUs } from "./limits.ts";

export interface BufferSettings {
  sizeBytes: number;
  intervalUs: number;
  partitioned: boolean;
  activePartitionsMax: number;
}

/** What one flush hands to delivery: its records as runs, and why it flushed. */
export interface FlushedObject {
  partition: number;
  count: number;
  bytes: number;
  createMinUs: number;
  /** When its first record got into the stream (the buffer opened then): DataFreshness counts from it. */
  acceptMinUs: number;
  runCounts: number[];
  runCreateSumsUs: number[];
  bySize: boolean;
}

class PartitionBuffer {
  count = 0;
  bytes = 0;
  createMinUs = Infinity;
  readonly runCounts: number[] = [];
  readonly runCreateSumsUs: number[] = [];
  private runStartUs = -Infinity;

  constructor(
    readonly partition: number,
    readonly openedUs: number,
  ) {}

  add(timeUs: number, sizeBytes: number, nowUs: number): void {
    this.addMany(1, sizeBytes, timeUs, timeUs, nowUs);
  }

  /** `count` records of `sizeBytesEach`, the oldest created at createMinUs, on average at createMeanUs. */
  addMany(count: number, sizeBytesEach: number, createMinUs: number, createMeanUs: number, nowUs: number): void {
    this.count += count;
    this.bytes += count * sizeBytesEach;
    if (createMinUs < this.createMinUs) this.createMinUs = createMinUs;
    const last = this.runCounts.length - 1;
    if (last >= 0 && nowUs < this.runStartUs + runSpanUs) {
      this.runCounts[last] += count;
      this.runCreateSumsUs[last] += count * createMeanUs;
      return;
    }
    this.runStartUs = nowUs;
    this.runCounts.push(count);
    this.runCreateSumsUs.push(count * createMeanUs);
  }

}

export class DeliveryBuffers {
  /** Open buffers by partition key, in the order they opened (Map order is insertion order: deterministic). */
  private readonly open = new Map<number, PartitionBuffer>();
  /** Flushes by reason, and the most partitions open at once (the error prefix's buffer left out). */
  flushesBySize = 0;
  flushesByInterval = 0;
  partitionsPeak = 0;
  /** Records sent to the error prefix because the active-partition limit was reached. */
  overLimitRecords = 0;
  private readonly intervalHandler = (buffer: PartitionBuffer): void => this.intervalDue(buffer);

  constructor(
    private readonly sim: Simulation,
    readonly settings: BufferSettings,
    private readonly onFlush: (object: FlushedObject, nowUs: number) => void,
  ) {
    invariant(settings.sizeBytes > 0 && settings.intervalUs >= 0 && settings.activePartitionsMax >= 1, "buffering hints out of range");
  }

  /** Records in open buffers. */
  get bufferedRecords(): number {
    let count = 0;
    for (const buffer of this.open.values()) count += buffer.count;
    return count;
  }

  /** Partitions open now (the error prefix's buffer left out). */
  get activePartitions(): number {
    return this.open.size - (this.open.has(errorPartition) ? 1 : 0);
  }

  /** The oldest creation time of a buffered record (Infinity when none). */
  oldestCreateUs(): number {
    let oldest = Infinity;
    for (const buffer of this.open.values()) if (buffer.createMinUs < oldest) oldest = buffer.createMinUs;
    return oldest;
  }

  /** When the oldest buffered record got into the stream (Infinity when none). */
  oldestAcceptUs(): number {
    let oldest = Infinity;
    for (const buffer of this.open.values()) if (buffer.openedUs < oldest) oldest = buffer.openedUs;
    return oldest;
  }

  /** A record the stream accepted at nowUs, created at timeUs, under its key (used with dynamic partitioning). */
  add(keyIndex: number, timeUs: number, sizeBytes: number, nowUs: number): void {
    const buffer = this.bufferFor(this.settings.partitioned ? keyIndex : 0, nowUs);
    buffer.add(timeUs, sizeBytes, nowUs);
    if (buffer.bytes >= this.settings.sizeBytes) this.flush(buffer, nowUs, true);
  }

  /**
   * `count` records of `sizeBytesEach` from a source without partition keys (a Kinesis shard's run),
   * accepted at nowUs: as many as fill the open buffer to its size hint go in and it flushes, then the
   * rest into the next, so each object stops at the record that reaches the hint, as with single records.
   */
  addMany(count: number, sizeBytesEach: number, createMinUs: number, createMeanUs: number, nowUs: number): void {
    invariant(!this.settings.partitioned, "records without partition keys go to one buffer");
    let left = count;
    while (left > 0) {
      const buffer = this.bufferFor(0, nowUs);
      const toFill = sizeBytesEach > 0 ? Math.max(1, Math.ceil((this.settings.sizeBytes - buffer.bytes) / sizeBytesEach)) : left;
      const take = Math.min(left, toFill);
      buffer.addMany(take, sizeBytesEach, createMinUs, createMeanUs, nowUs);
      left -= take;
      if (buffer.bytes >= this.settings.sizeBytes) this.flush(buffer, nowUs, true);
    }
  }

  private bufferFor(partition: number, nowUs: number): PartitionBuffer {
    const existing = this.open.get(partition);
    if (existing !== undefined) return existing;
    if (this.settings.partitioned && this.activePartitions >= this.settings.activePartitionsMax) {
      this.overLimitRecords++;
      return this.open.get(errorPartition) ?? this.openBuffer(errorPartition, nowUs);
    }
    const buffer = this.openBuffer(partition, nowUs);
    this.partitionsPeak = Math.max(this.partitionsPeak, this.activePartitions);
    return buffer;
  }

  private openBuffer(partition: number, nowUs: number): PartitionBuffer {
    const buffer = new PartitionBuffer(partition, nowUs);
    this.open.set(partition, buffer);
    this.sim.at(nowUs + this.settings.intervalUs, this.intervalHandler, buffer);
    return buffer;
  }

  /** The interval has passed since the buffer opened: it flushes unless a size flush already closed it. */
  private intervalDue(buffer: PartitionBuffer): void {
    if (this.open.get(buffer.partition) !== buffer) return;
    this.flush(buffer, this.sim.nowUs, false);
  }

  private flush(buffer: PartitionBuffer, nowUs: number, bySize: boolean): void {
    this.open.delete(buffer.partition);
    if (bySize) this.flushesBySize++;
    else this.flushesByInterval++;
    this.onFlush(
      { partition: buffer.partition, count: buffer.count, bytes: buffer.bytes, createMinUs: buffer.createMinUs, acceptMinUs: buffer.openedUs, runCounts: buffer.runCounts, runCreateSumsUs: buffer.runCreateSumsUs, bySize },
      nowUs,
    );
  }
}
