// A partition's (or shard's) records as runs, never one object per record: a run is the records one call
// put on it with creation times close together (arrival time, count, bytes, creation time
// min and sum). Sequence numbers are shard-local record positions: run r holds [firstSeq, firstSeq +
// count). Runs sit in a ring buffer of typed arrays that grows with the retained backlog only.

import { invariant } from "../engine/index.ts";

const initialCapacity = 64;

export class RunLog {
  /** Sequence number after the last record appended (records ever appended). */
  tailSeq = 0;
  /** Bytes of every record ever appended and not truncated (dropped runs included). */
  bytesTotal = 0;
  /** Absolute index of the oldest retained run, and one past the newest. */
  headRun = 0;
  tailRun = 0;

  private mask = initialCapacity - 1;
  private firstSeqs = new Float64Array(initialCapacity);
  private counts = new Float64Array(initialCapacity);
  private bytes = new Float64Array(initialCapacity);
  private arrivals = new Float64Array(initialCapacity);
  private createMins = new Float64Array(initialCapacity);
  private createSums = new Float64Array(initialCapacity);
  private bytesBefore = new Float64Array(initialCapacity);

  /** Sequence number of the oldest retained record. */
  get headSeq(): number {
    return this.headRun === this.tailRun ? this.tailSeq : this.firstSeqs[this.headRun & this.mask];
  }

  get retainedRuns(): number {
    return this.tailRun - this.headRun;
  }

  /** Starts a run with one record. */
  append(arrivalUs: number, sizeBytes: number, createUs: number): void {
    invariant(this.tailRun === this.headRun || arrivalUs >= this.arrivals[(this.tailRun - 1) & this.mask], "a log takes runs in arrival order");
    if (this.tailRun - this.headRun === this.mask + 1) this.grow();
    const at = this.tailRun++ & this.mask;
    this.firstSeqs[at] = this.tailSeq++;
    this.counts[at] = 1;
    this.bytes[at] = sizeBytes;
    this.bytesBefore[at] = this.bytesTotal;
    this.bytesTotal += sizeBytes;
    this.arrivals[at] = arrivalUs;
    this.createMins[at] = createUs;
    this.createSums[at] = createUs;
  }

  /** Appends a whole run at once (a batch whose records were counted by its sender). */
  appendRun(arrivalUs: number, count: number, bytes: number, createMinUs: number, createSumUs: number): void {
    invariant(this.tailRun === this.headRun || arrivalUs >= this.arrivals[(this.tailRun - 1) & this.mask], "a log takes runs in arrival order");
    invariant(count > 0, "a run holds at least one record");
    if (this.tailRun - this.headRun === this.mask + 1) this.grow();
    const at = this.tailRun++ & this.mask;
    this.firstSeqs[at] = this.tailSeq;
    this.tailSeq += count;
    this.counts[at] = count;
    this.bytes[at] = bytes;
    this.bytesBefore[at] = this.bytesTotal;
    this.bytesTotal += bytes;
    this.arrivals[at] = arrivalUs;
    this.createMins[at] = createMinUs;
    this.createSums[at] = createSumUs;
  }

  /** Adds one record to the newest run. */
  extend(sizeBytes: number, createUs: number): void {
    invariant(this.tailRun > this.headRun, "a record joins the newest run of a log that has one");
    const at = (this.tailRun - 1) & this.mask;
    this.tailSeq++;
    this.counts[at]++;
    this.bytes[at] += sizeBytes;
    this.bytesTotal += sizeBytes;
    if (createUs < this.createMins[at]) this.createMins[at] = createUs;
    this.createSums[at] += createUs;
  }

  /** Creation time of the newest run's oldest record (to decide whether a record joins it). */
  lastRunCreateMinUs(): number {
    return this.createMins[(this.tailRun - 1) & this.mask];
  }

  firstSeqAt(run: number): number {
    return this.firstSeqs[run & this.mask];
  }
  countAt(run: number): number {
    return this.counts[run & this.mask];
  }
  bytesAt(run: number): number {
    return this.bytes[run & this.mask];
  }
  /** Bytes appended before the run (all earlier records, dropped runs included). */
  bytesBeforeAt(run: number): number {
    return this.bytesBefore[run & this.mask];
  }
  arrivalAt(run: number): number {
    return this.arrivals[run & this.mask];
  }
  createMinAt(run: number): number {
    return this.createMins[run & this.mask];
  }
  createMeanAt(run: number): number {
    return this.createSums[run & this.mask] / this.counts[run & this.mask];
  }

  /**
   * The retained run holding `seq` (headSeq <= seq < tailSeq): reads are mostly of the newest runs, so
   * it gallops back from the tail (1, 2, 4, ... runs) before a binary search of the span left.
   */
  runOf(seq: number): number {
    let low = this.headRun;
    let high = this.tailRun - 1;
    for (let step = 1; low < high; step *= 2) {
      const probe = Math.max(low, high - step + 1);
      if (this.firstSeqs[probe & this.mask] <= seq) {
        low = probe;
        break;
      }
      high = probe - 1;
    }
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.firstSeqs[mid & this.mask] <= seq) low = mid;
      else high = mid - 1;
    }
    return low;
  }

  /**
   * Measures a read of up to maxRecords records and maxBytes bytes from `fromSeq` (bytes within a
   * run taken in proportion to its records) into `out`. At least one record is taken when any is
   * there, as the service returns a record even when it alone exceeds the byte budget.
   */
  measure(fromSeq: number, maxRecords: number, maxBytes: number, out: ReadMeasure): ReadMeasure {
    out.count = 0;
    out.bytes = 0;
    out.lastArrivalUs = -1;
    if (fromSeq >= this.tailSeq) return out;
    let run = this.runOf(fromSeq);
    let seq = fromSeq;
    while (run < this.tailRun && out.count < maxRecords) {
      const at = run & this.mask;
      const runEnd = this.firstSeqs[at] + this.counts[at];
      const bytesPerRecord = this.bytes[at] / this.counts[at];
      let take = Math.min(runEnd - seq, maxRecords - out.count);
      const affordable = Math.floor((maxBytes - out.bytes) / bytesPerRecord);
      if (affordable < take) take = out.count === 0 ? Math.max(1, affordable) : affordable;
      if (take <= 0) break;
      out.count += take;
      out.bytes += take * bytesPerRecord;
      out.lastArrivalUs = this.arrivals[at];
      seq += take;
      if (seq < runEnd) break;
      run++;
    }
    return out;
  }

  /** Visits [startSeq, endSeq) run by run: (records in the piece, offset of the piece from startSeq, their mean creation time). */
  pieces(startSeq: number, endSeq: number, visit: (count: number, offset: number, createMeanUs: number) => void): void {
    let seq = startSeq;
    let run = this.runOf(seq);
    while (seq < endSeq) {
      const at = run & this.mask;
      const pieceEnd = Math.min(this.firstSeqs[at] + this.counts[at], endSeq);
      visit(pieceEnd - seq, seq - startSeq, this.createSums[at] / this.counts[at]);
      seq = pieceEnd;
      run++;
    }
  }

  /**
   * Drops the records from `seq` on (a new leader that never had them): whole runs go, a run cut in
   * two keeps its share of the bytes and its mean creation time.
   */
  truncateTo(seq: number): void {
    invariant(seq >= this.headSeq, "a log is cut back only within the records it retains");
    while (this.tailRun > this.headRun && this.firstSeqs[(this.tailRun - 1) & this.mask] >= seq) {
      this.tailRun--;
      this.bytesTotal = this.bytesBefore[this.tailRun & this.mask];
    }
    if (this.tailRun > this.headRun) {
      const at = (this.tailRun - 1) & this.mask;
      const keep = seq - this.firstSeqs[at];
      if (keep < this.counts[at]) {
        const share = keep / this.counts[at];
        this.bytes[at] *= share;
        this.createSums[at] *= share;
        this.counts[at] = keep;
      }
      this.bytesTotal = this.bytesBefore[at] + this.bytes[at];
    }
    this.tailSeq = Math.min(this.tailSeq, seq);
  }

  /**
   * Retention by time, shared by every log that expires records (Kinesis shards, Kafka partitions):
   * the first run from `fromRun` on that arrived at or after horizonUs, tailRun when none did. Runs
   * before it are past retention.
   */
  firstRunArrivedFrom(fromRun: number, horizonUs: number): number {
    let run = fromRun;
    while (run < this.tailRun && this.arrivals[run & this.mask]! < horizonUs) run++;
    return run;
  }

  /** Sequence number of a run's first record; tailSeq for tailRun (the end of the log). */
  seqAtRun(run: number): number {
    return run < this.tailRun ? this.firstSeqs[run & this.mask]! : this.tailSeq;
  }

  /** Drops the oldest runs whose records all lie before `seq`: no reader needs them any more. */
  dropBefore(seq: number): void {
    while (this.headRun < this.tailRun && this.firstSeqs[this.headRun & this.mask]! + this.counts[this.headRun & this.mask]! <= seq) this.headRun++;
  }

  private grow(): void {
    const oldMask = this.mask;
    const capacity = (oldMask + 1) * 2;
    // Runs keep their absolute indices: copied in the (at most three) stretches contiguous in both rings.
    const copy = (source: Float64Array<ArrayBuffer>): Float64Array<ArrayBuffer> => {
      const target = new Float64Array(capacity);
      for (let run = this.headRun; run < this.tailRun; ) {
        const from = run & oldMask;
        const to = run & (capacity - 1);
        const length = Math.min(this.tailRun - run, oldMask + 1 - from, capacity - to);
        target.set(source.subarray(from, from + length), to);
        run += length;
      }
      return target;
    };
    this.firstSeqs = copy(this.firstSeqs);
    this.counts = copy(this.counts);
    this.bytes = copy(this.bytes);
    this.arrivals = copy(this.arrivals);
    this.createMins = copy(this.createMins);
    this.createSums = copy(this.createSums);
    this.bytesBefore = copy(this.bytesBefore);
    this.mask = capacity - 1;
  }
}

/** The result of RunLog.measure (one reusable object per reader). */
export interface ReadMeasure {
  count: number;
  bytes: number;
  /** Arrival time of the last record taken; -1 when none was. */
  lastArrivalUs: number;
}
