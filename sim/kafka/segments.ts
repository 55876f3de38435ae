// A partition's log as Kafka stores it on disk: segments rolled at segment.bytes or segment.ms and
// deleted whole, oldest first, by the retention check (docs/reference.md §3.3). Bytes are cumulative
// log bytes (batches as stored), so a segment's size is the next one's start minus its own.

export interface SegmentSettings {
  segmentBytes: number;
  segmentAgeUs: number;
  retentionUs: number;
  /** log.retention.bytes per partition; undefined: no size limit. */
  retentionBytes: number | undefined;
}

export class Segments {
  /** First offset, cumulative bytes before it, first and last append time of each segment, oldest first from `head`. */
  private baseSeqs: number[] = [0];
  private baseBytes: number[] = [0];
  private firstAppendUs: number[] = [-1];
  private lastAppendUs: number[] = [-1];
  private head = 0;
  private endBytes = 0;
  /** Segments rolled so far (the validation reads it). */
  rolled = 0;

  constructor(private readonly settings: SegmentSettings) {}

  /** The log's start: the first offset of the oldest segment kept. */
  get startSeq(): number {
    return this.baseSeqs[this.head];
  }

  /** Log bytes on disk (every segment kept, the active one included). */
  get storedBytes(): number {
    return this.endBytes - this.baseBytes[this.head];
  }

  private get active(): number {
    return this.baseSeqs.length - 1;
  }

  /**
   * A batch of `bytes` log bytes appended at nowUs, its first offset firstSeq: rolls a new segment first
   * when the active one is not empty and would pass segment.bytes, or its first batch is segment.ms old
   * (LogSegment.shouldRoll, without the roll jitter, which defaults to 0).
   */
  append(nowUs: number, firstSeq: number, bytes: number): void {
    const active = this.active;
    const size = this.endBytes - this.baseBytes[active];
    if (size > 0 && (size > this.settings.segmentBytes - bytes || nowUs - this.firstAppendUs[active] >= this.settings.segmentAgeUs)) {
      this.baseSeqs.push(firstSeq);
      this.baseBytes.push(this.endBytes);
      this.firstAppendUs.push(nowUs);
      this.lastAppendUs.push(nowUs);
      this.rolled++;
    } else if (size === 0) {
      this.firstAppendUs[active] = nowUs;
    }
    this.lastAppendUs[this.active] = nowUs;
    this.endBytes += bytes;
  }

  /**
   * The retention check at nowUs (UnifiedLog.deleteOldSegments): first by size (delete the oldest while
   * what stays is still at least retention.bytes), then by time (a segment whose newest batch is older
   * than retention.ms), oldest first, stopping at the first kept one. Only segments wholly below
   * `readableSeq` (the high watermark) go; when the active segment goes too, an empty one replaces it.
   * Returns the new log start.
   */
  deleteOld(nowUs: number, readableSeq: number, tailSeq: number): number {
    const { retentionBytes, retentionUs } = this.settings;
    if (retentionBytes !== undefined) {
      let excess = this.storedBytes - retentionBytes;
      while (this.deletable(readableSeq, tailSeq) && excess - this.sizeOf(this.head) >= 0) excess -= this.sizeOf(this.dropOldest(tailSeq));
    }
    while (this.deletable(readableSeq, tailSeq) && nowUs - this.lastAppendUs[this.head] > retentionUs) this.dropOldest(tailSeq);
    this.compact();
    return this.startSeq;
  }

  /** The oldest segment is not empty and its records all lie below readableSeq. */
  private deletable(readableSeq: number, tailSeq: number): boolean {
    const upperSeq = this.head < this.active ? this.baseSeqs[this.head + 1] : tailSeq;
    return this.sizeOf(this.head) > 0 && upperSeq <= readableSeq;
  }

  private sizeOf(segment: number): number {
    return (segment < this.active ? this.baseBytes[segment + 1] : this.endBytes) - this.baseBytes[segment];
  }

  /** Deletes the oldest segment (rolling an empty active one first if it is the last); returns its index. */
  private dropOldest(tailSeq: number): number {
    const dropped = this.head;
    if (dropped === this.active) {
      this.baseSeqs.push(tailSeq);
      this.baseBytes.push(this.endBytes);
      this.firstAppendUs.push(-1);
      this.lastAppendUs.push(-1);
    }
    this.head++;
    return dropped;
  }

  private compact(): void {
    if (this.head < 64 || this.head * 2 < this.baseSeqs.length) return;
    this.baseSeqs = this.baseSeqs.slice(this.head);
    this.baseBytes = this.baseBytes.slice(this.head);
    this.firstAppendUs = this.firstAppendUs.slice(this.head);
    this.lastAppendUs = this.lastAppendUs.slice(this.head);
    this.head = 0;
  }

  /**
   * A new leader's log ends at seq, holding endBytes cumulative bytes: segments starting at or after it
   * go. A leader that had less than the log start (an unclean election) starts an empty log at seq.
   */
  truncateTo(seq: number, endBytes: number): void {
    if (seq <= this.startSeq) {
      this.baseSeqs = [seq];
      this.baseBytes = [endBytes];
      this.firstAppendUs = [-1];
      this.lastAppendUs = [-1];
      this.head = 0;
      this.endBytes = endBytes;
      return;
    }
    while (this.active > this.head && this.baseSeqs[this.active] >= seq) {
      this.baseSeqs.pop();
      this.baseBytes.pop();
      this.firstAppendUs.pop();
      this.lastAppendUs.pop();
    }
    this.endBytes = Math.max(this.baseBytes[this.active], endBytes);
  }
}
