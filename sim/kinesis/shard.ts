// One shard: its hash range and lineage, its write limit, the shared read limit of its polling
// consumers, its records (as runs) and its counters.

import { invariant, TokenBucket } from "../engine/index.ts";
import { CounterSeries, newPartitionSeries, type PartitionResult, type SeriesOptions } from "../metrics/index.ts";
import { shardIdOf, type HashRange } from "./hash.ts";
import { shardReadBytesPerSecond, shardReadCallsPerSecond, shardWriteBytesPerSecond, shardWriteRecordsPerSecond } from "./limits.ts";
import { RunLog } from "../workload/index.ts";

/** Called when records arrive on a shard (enhanced fan-out subscriptions wake on it). */
export type AppendListener = () => void;

export class Shard {
  readonly id: string;
  readonly log = new RunLog();
  private expiredBeforeSeq = 0;
  /** The first run not yet past retention (retention only moves forward). */
  private expiryRun = 0;
  private closedAtUs: number | null = null;
  readonly children: number[] = [];
  readonly appendListeners: AppendListener[] = [];

  // Write limit (docs/reference.md §1.1): buckets hold one second of the limit; the byte bucket holds at least
  // one maximum-size record, so large records can burst from it (docs/reference.md §1.2).
  readonly writeRecords: TokenBucket;
  readonly writeBytes: TokenBucket;

  // Shared read limit of polling consumers (docs/reference.md §1.1 model hint): 5 calls in any rolling second, and
  // a 2 MiB/s byte allowance holding one second's worth that a large read overdraws: a call is refused
  // while the allowance is below zero (a 10 MiB read blocks the shard's reads for 4 s from a full
  // allowance, 5 s from an empty one).
  private readonly callTimesUs = new Float64Array(shardReadCallsPerSecond).fill(-Infinity);
  private callCursor = 0;
  readonly readBytes: TokenBucket;
  /** GetRecords calls the shared read limits let through, from every polling reader. */
  readCalls = 0;

  /** User records the shard took, and their bytes (data and partition key): the log's records. */
  acceptedRecords = 0;
  acceptedBytes = 0;
  /**
   * Kinesis records the shard took, and their bytes: what the service meters and CloudWatch publishes as
   * IncomingRecords and IncomingBytes. The accepted user records themselves, unless KPL aggregation packs
   * them into aggregates (docs/reference.md §1.6, §1.7).
   */
  incomingRecords = 0;
  incomingBytes = 0;
  throttledAttempts = 0;
  readonly series: PartitionResult["series"];
  /** The same per report interval. */
  readonly incoming: { records: CounterSeries; bytes: CounterSeries };
  /** What readers took from the shard (GetRecords answers, enhanced fan-out pushes): CloudWatch's OutgoingRecords and OutgoingBytes. */
  readonly outgoing: { records: CounterSeries; bytes: CounterSeries };

  // Per-request scratch totals, flushed to the series once per request (not per record).
  private requestId = -1;
  /** The request that started the newest run (later records of that request may join it). */
  private runRequestId = -1;
  private pendingOfferedRecords = 0;
  private pendingOfferedBytes = 0;
  private pendingAcceptedRecords = 0;
  private pendingAcceptedBytes = 0;
  private pendingIncomingRecords = 0;
  private pendingIncomingBytes = 0;
  private pendingThrottled = 0;
  private pendingDemandRecords = 0;
  private pendingDemandBytes = 0;

  constructor(
    readonly index: number,
    readonly range: HashRange,
    readonly parents: readonly number[],
    readonly openedUs: number,
    maxRecordBytes: number,
    seriesOptions: SeriesOptions,
  ) {
    this.id = shardIdOf(index);
    this.writeRecords = new TokenBucket(shardWriteRecordsPerSecond, shardWriteRecordsPerSecond, openedUs);
    this.writeBytes = new TokenBucket(shardWriteBytesPerSecond, Math.max(shardWriteBytesPerSecond, maxRecordBytes), openedUs);
    this.readBytes = new TokenBucket(shardReadBytesPerSecond, shardReadBytesPerSecond, openedUs);
    this.series = newPartitionSeries(seriesOptions);
    this.outgoing = { records: new CounterSeries(seriesOptions), bytes: new CounterSeries(seriesOptions) };
    this.incoming = { records: new CounterSeries(seriesOptions), bytes: new CounterSeries(seriesOptions) };
  }

  get isOpen(): boolean {
    return this.closedAtUs === null;
  }

  /** When the shard was closed by a reshard (null while open). */
  get closedUs(): number | null {
    return this.closedAtUs;
  }

  /** Retention: records before this sequence number have expired (readers skip them). */
  get expiredSeq(): number {
    return this.expiredBeforeSeq;
  }

  /** A reshard closes the shard at nowUs: it takes no more writes, and readers waiting on it learn it has ended. */
  close(nowUs: number): void {
    invariant(this.closedAtUs === null, "a shard is closed once");
    this.closedAtUs = nowUs;
    for (const listener of this.appendListeners) listener();
  }

  /** Moves the retention frontier past the runs that arrived before horizonUs (it only moves forward). */
  expire(horizonUs: number): void {
    const log = this.log;
    const run = log.firstRunArrivedFrom(Math.max(this.expiryRun, log.headRun), horizonUs);
    if (run === this.expiryRun) return;
    this.expiryRun = run;
    this.expiredBeforeSeq = log.seqAtRun(run);
  }

  /**
   * Whether this is the first of the shard's records in request `requestId` (the caller then
   * flushes the shard's totals when the request is done).
   */
  touch(requestId: number): boolean {
    if (this.requestId === requestId) return false;
    this.requestId = requestId;
    return true;
  }

  /** A record of `bytes` in a request's first attempt: demand on this shard, throttled or not. */
  countDemand(bytes: number): void {
    this.pendingDemandRecords++;
    this.pendingDemandBytes += bytes;
  }

  /** A record offered and refused (ProvisionedThroughputExceeded). */
  countThrottled(): void {
    this.pendingThrottled++;
  }

  /**
   * A written record of request `requestId` joins the log at nowUs: it extends the newest run when
   * that run was started by the same request and the record's creation time is within spanUs after
   * the run's oldest; otherwise it starts a run.
   */
  append(requestId: number, nowUs: number, bytes: number, createUs: number, spanUs: number): void {
    const log = this.log;
    if (this.runRequestId === requestId && createUs - log.lastRunCreateMinUs() <= spanUs && createUs >= log.lastRunCreateMinUs()) {
      log.extend(bytes, createUs);
    } else {
      log.append(nowUs, bytes, createUs);
      this.runRequestId = requestId;
    }
    this.pendingAcceptedRecords++;
    this.pendingAcceptedBytes += bytes;
  }

  /**
   * Offers one Kinesis record of `bytes` (data and partition key) at nowUs: it is written when the
   * write buckets hold one record and its bytes (then it counts as incoming), else it fails with
   * ProvisionedThroughputExceeded.
   */
  offerWrite(nowUs: number, bytes: number): boolean {
    invariant(this.closedAtUs === null, "a closed shard takes no writes");
    this.pendingOfferedRecords++;
    this.pendingOfferedBytes += bytes;
    if (this.writeRecords.tokensAt(nowUs) < 1 || this.writeBytes.tokensAt(nowUs) < bytes) return false;
    this.writeRecords.take(1);
    this.writeBytes.take(bytes);
    this.pendingIncomingRecords++;
    this.pendingIncomingBytes += bytes;
    return true;
  }

  /** Whether a GetRecords call at nowUs is within the shard's shared read limits; records the call if so. */
  tryReadCall(nowUs: number): boolean {
    if (this.readBytes.tokensAt(nowUs) < 0) return false;
    // The oldest of the last five calls must be at least a second old.
    if (nowUs - this.callTimesUs[this.callCursor] < 1_000_000) return false;
    this.callTimesUs[this.callCursor] = nowUs;
    this.callCursor = (this.callCursor + 1) % shardReadCallsPerSecond;
    this.readCalls++;
    return true;
  }

  /** Counts records a reader took from the shard at nowUs (a GetRecords answer or an enhanced fan-out push). */
  countOutgoing(nowUs: number, records: number, bytes: number): void {
    if (records === 0) return;
    this.outgoing.records.add(nowUs, records);
    this.outgoing.bytes.add(nowUs, bytes);
  }

  /** Charges a GetRecords response's bytes against the shared 2 MiB/s allowance. */
  chargeRead(nowUs: number, bytes: number): void {
    this.readBytes.tokensAt(nowUs);
    this.readBytes.take(bytes);
  }

  /** Moves the per-request totals into the series at time nowUs, and wakes readers when records arrived. */
  flushRequest(nowUs: number): void {
    const appended = this.pendingAcceptedRecords > 0;
    const s = this.series;
    s.offeredRecords.add(nowUs, this.pendingOfferedRecords);
    s.offeredBytes.add(nowUs, this.pendingOfferedBytes);
    s.acceptedRecords.add(nowUs, this.pendingAcceptedRecords);
    s.acceptedBytes.add(nowUs, this.pendingAcceptedBytes);
    this.incoming.records.add(nowUs, this.pendingIncomingRecords);
    this.incoming.bytes.add(nowUs, this.pendingIncomingBytes);
    s.throttledAttempts.add(nowUs, this.pendingThrottled);
    s.demandRecords.add(nowUs, this.pendingDemandRecords);
    s.demandBytes.add(nowUs, this.pendingDemandBytes);
    this.acceptedRecords += this.pendingAcceptedRecords;
    this.acceptedBytes += this.pendingAcceptedBytes;
    this.incomingRecords += this.pendingIncomingRecords;
    this.incomingBytes += this.pendingIncomingBytes;
    this.throttledAttempts += this.pendingThrottled;
    this.pendingOfferedRecords = 0;
    this.pendingOfferedBytes = 0;
    this.pendingAcceptedRecords = 0;
    this.pendingAcceptedBytes = 0;
    this.pendingIncomingRecords = 0;
    this.pendingIncomingBytes = 0;
    this.pendingThrottled = 0;
    this.pendingDemandRecords = 0;
    this.pendingDemandBytes = 0;
    invariant(this.acceptedRecords === this.log.tailSeq, "every record a shard accepted is in its log, once");
    if (appended) for (const listener of this.appendListeners) listener();
  }
}
