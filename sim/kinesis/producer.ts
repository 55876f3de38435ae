// A producer application's Kinesis client: batches the workload's records into PutRecords calls,
// sends them, and retries the records that failed (only those) until they are accepted or run out:
// an application's loop (policy attempts) backs off and gives up after its attempts; the KPL (policy
// ttl) sends through its per-shard rate limit and puts failed records back in its buffer, without
// backoff, until their RecordTtl (docs/reference.md §1.2). Records it still holds at the end are pending.

import type { Simulation, Uniform } from "../engine/index.ts";
import { newProducerCounts, type CounterSeries, type LogHistogram, type ProducerCounts, type ProducerMeter } from "../metrics/index.ts";
import { Batcher, feedAhead, RecordBlock, type Batch, type LatencySampler, type ProducerStream, type RetryPolicy } from "../workload/index.ts";
import { KplBuffer, kplRateLimitPercent, type ReleasedCall } from "./kpl-buffer.ts";
import { KeyRoutes, type KinesisStream, type PutOptions, type PutRequest } from "./stream.ts";

/** How far ahead of simulated time the workload is fed to the batcher (it does not depend on the system). */
const blockCapacity = 4096;
/** Records a pooled retry's arrays hold (a PutRecords call's 500 and some): larger retries get arrays of their own. */
const retryArraysCapacity = 512;
/** Retries' arrays kept for reuse at most: answered retries hand theirs back, so the next ones allocate nothing. */
const spareRetryArraysMax = 64;

type RetryArrays = Pick<PutRequest, "timeUs" | "keyIndex" | "sizeBytes">;

export interface ProducerClientSettings {
  batch: { maxRecords: number; maxBytes: number; lingerUs: number };
  retry: RetryPolicy;
  /** The KPL (policy: ttl): records are retried until older than this, whatever the attempts; null: retry.maxAttempts. */
  recordTtlUs: number | null;
  latency: LatencySampler;
  retryJitter: Uniform;
  put: PutOptions;
}


export class KinesisProducerClient {
  readonly counts: ProducerCounts = newProducerCounts();
  readonly routes: KeyRoutes;
  /** Records offered per key index (first attempts), for explaining hot shards; null for unbounded keys. */
  readonly offeredPerKey: Float64Array | null;
  private readonly batcher: Batcher;
  private readonly block = new RecordBlock(blockCapacity);
  /** Requests sent and not yet answered, and failed records waiting to be retried. */
  private readonly outstanding = new Set<PutRequest>();
  private accepted = new Uint8Array(512);
  /** policy ttl: the KPL's rate limit and buffer; null for an application's own loop. */
  private readonly kpl: KplBuffer | null;
  /** When the KPL's next poll of its buffer is scheduled (null: none). */
  private pollAtUs: number | null = null;
  /** policy ttl: the shards of a new batch's records while it meets the rate limit. */
  private batchShards = new Int32Array(512);
  /** Arrays of answered retries (policy attempts), reused by the next ones. */
  private readonly spareRetryArrays: RetryArrays[] = [];
  private readonly sendHandler = (request: PutRequest): void => this.send(request);
  private readonly completeHandler = (request: PutRequest): void => this.complete(request);
  private readonly pollHandler = (): void => this.poll();
  private readonly releasedHandler = (call: ReleasedCall): void => this.sendReleased(call);

  constructor(
    private readonly sim: Simulation,
    private readonly stream: KinesisStream,
    private readonly workload: ProducerStream,
    private readonly settings: ProducerClientSettings,
    private readonly producerLatency: LogHistogram,
    private readonly requestIds: { next: number },
    /** PutRecords calls and the sum of their latencies, per report interval (CloudWatch PutRecords.Latency is their mean). */
    private readonly callSeries: { calls: CounterSeries; latencyMs: CounterSeries },
    /** The records it took from the workload and the records it sent again. */
    readonly meter: ProducerMeter,
  ) {
    this.routes = new KeyRoutes(workload.keys);
    const cardinality = workload.keys.cardinality;
    this.offeredPerKey = Number.isFinite(cardinality) ? new Float64Array(cardinality) : null;
    this.batcher = new Batcher(settings.batch, (batch) => this.onBatch(batch));
    this.kpl =
      settings.recordTtlUs === null
        ? null
        : new KplBuffer(
            {
              recordTtlUs: settings.recordTtlUs,
              retryDelayUs: Math.floor(settings.batch.lingerUs / 2),
              ratePercent: kplRateLimitPercent,
              aggregationMaxBytes: settings.put.aggregationMaxBytes,
              callMaxRecords: settings.batch.maxRecords,
              callMaxBytes: settings.batch.maxBytes,
            },
            this.routes,
          );
  }

  get routesByRandomHash(): boolean {
    return this.settings.put.randomHash !== null;
  }

  start(): void {
    feedAhead(this.sim, this.workload, {
      take: (untilUs) => this.feed(untilUs),
      flushUntil: (untilUs) => this.batcher.flushUntil(untilUs),
      finish: (untilUs) => this.batcher.flushAt(untilUs),
    });
  }

  /** Records held by the client: in the open batch, in calls in flight, waiting to be retried or for the KPL's rate limit. */
  pendingRecords(): number {
    let pending = this.batcher.openCount + (this.kpl === null ? 0 : this.kpl.heldCount);
    for (const request of this.outstanding) pending += request.count;
    return pending;
  }

  /** At the end of the run: the KPL's held records past their TTL count as dropped (idempotent). */
  settle(nowUs: number): void {
    if (this.kpl === null) return;
    this.kpl.settle(nowUs);
    this.takeDropped(this.kpl);
  }

  private feed(untilUs: number): void {
    const { block, batcher, counts, offeredPerKey } = this;
    while (this.workload.fill(untilUs, block) > 0) {
      const { count, keyIndex, sizeBytes } = block;
      batcher.addAll(block.timeUs, keyIndex, sizeBytes, count);
      // Whole bytes: the block's sum is exact, as record by record.
      let bytes = 0;
      for (let i = 0; i < count; i++) bytes += sizeBytes[i];
      counts.producedBytes += bytes;
      if (offeredPerKey !== null) for (let i = 0; i < count; i++) offeredPerKey[keyIndex[i]]++;
      counts.produced += count;
      this.meter.took(block.timeUs, count);
    }
  }

  private onBatch(batch: Batch): void {
    const request = this.newRequest(batch, 0, null, batch);
    this.sim.at(batch.closeUs, this.sendHandler, request);
  }

  private send(request: PutRequest): void {
    if (this.kpl !== null && request.batch !== null && !this.limitBatch(this.kpl, request, request.batch)) return;
    request.attempts++;
    const latencyUs = this.settings.latency.sampleUs();
    request.latencyUs = latencyUs;
    request.sentUs = this.sim.nowUs;
    this.callSeries.calls.add(this.sim.nowUs, 1);
    this.callSeries.latencyMs.add(this.sim.nowUs, latencyUs / 1000);
    this.sim.after(latencyUs, this.completeHandler, request);
  }

  /** The call's answer: accepted records are acknowledged now; failed ones retry or drop. */
  private complete(request: PutRequest): void {
    const now = this.sim.nowUs;
    if (this.accepted.length < request.count) this.accepted = new Uint8Array(request.count * 2);
    const accepted = this.accepted;
    // Counted where the shards count their attempts (at the put): without aggregation, retries are the shards' attempts less their first attempts.
    if (request.retried > 0) this.meter.retry(now, request.retried);
    // The KPL's batches counted their demand before its rate limit (limitBatch).
    const acceptedCount = this.stream.put(request, now, this.routes, accepted, this.settings.put, this.kpl === null && request.attempts === 1);
    const extraCalls = this.stream.callsNeeded - 1;
    if (extraCalls > 0) {
      // An aggregated batch too large for one call went out as several calls at once. They are counted
      // at the answer, when the split is known: series take adds in time order, and other calls were
      // counted since this one was sent.
      this.callSeries.calls.add(now, extraCalls);
      this.callSeries.latencyMs.add(now, (extraCalls * request.latencyUs) / 1000);
    }
    const failedCount = request.count - acceptedCount;
    const counts = this.counts;
    counts.accepted += acceptedCount;
    counts.throttledAttempts += failedCount;
    // Whole bytes: summed per call, exact as record by record.
    let acceptedBytes = 0;
    for (let i = 0; i < request.count; i++) if (accepted[i] === 1) acceptedBytes += request.sizeBytes[i];
    counts.acceptedBytes += acceptedBytes;
    this.producerLatency.addElapsedWhere(now, request.timeUs, accepted, request.count);
    this.outstanding.delete(request);
    if (failedCount > 0) {
      if (this.kpl === null) this.retryOrDrop(request, accepted, failedCount);
      else this.retryInBuffer(this.kpl, request, accepted, now);
    }
    if (request.batch !== null) this.batcher.recycle(request.batch);
    else if (this.kpl !== null) this.kpl.recycle(request as ReleasedCall);
    else this.recycleRetry(request);
  }

  /** An answered retry's arrays (policy attempts: a request of neither a batch nor the KPL is a retry) go back for reuse. */
  private recycleRetry(request: PutRequest): void {
    if (request.timeUs.length !== retryArraysCapacity || this.spareRetryArrays.length >= spareRetryArraysMax) return;
    this.spareRetryArrays.push({ timeUs: request.timeUs, keyIndex: request.keyIndex, sizeBytes: request.sizeBytes });
  }

  private retryArrays(count: number): RetryArrays {
    if (count > retryArraysCapacity) return { timeUs: new Float64Array(count), keyIndex: new Float64Array(count), sizeBytes: new Float64Array(count) };
    return (
      this.spareRetryArrays.pop() ?? {
        timeUs: new Float64Array(retryArraysCapacity),
        keyIndex: new Float64Array(retryArraysCapacity),
        sizeBytes: new Float64Array(retryArraysCapacity),
      }
    );
  }

  /**
   * policy ttl: a new batch counts as demand, then meets the KPL's rate limit; what it holds back waits in
   * the buffer. Returns whether any record is left to send now (else the batch is done with).
   */
  private limitBatch(kpl: KplBuffer, request: PutRequest, batch: Batch): boolean {
    const now = this.sim.nowUs;
    if (this.batchShards.length < request.count) this.batchShards = new Int32Array(request.count * 2);
    const shards = this.batchShards;
    shards.fill(-1, 0, request.count);
    request.shardIndex = shards;
    this.stream.countDemand(request, now, this.routes, this.settings.put);
    // A new id: the shards flushed their demand for the old one, and the put must count it afresh.
    request.id = this.requestIds.next++;
    const kept = kpl.admit(request as ReleasedCall, now);
    // The put finds a key's shard again (cached); a random hash key's shard was drawn once and goes with the records.
    request.shardIndex = this.settings.put.randomHash === null ? null : shards.slice(0, kept);
    this.takeDropped(kpl);
    this.schedulePoll(kpl);
    if (kept > 0) return true;
    this.outstanding.delete(request);
    this.batcher.recycle(batch);
    return false;
  }

  /** policy ttl: the failed records of an answered call go back into the KPL's buffer (or drop at their TTL). */
  private retryInBuffer(kpl: KplBuffer, request: PutRequest, accepted: Uint8Array, nowUs: number): void {
    const shards = request.shardIndex;
    for (let i = 0; i < request.count; i++) {
      if (accepted[i] !== 0) continue;
      const shard = shards === null ? this.routes.shardOf(request.keyIndex[i], this.stream) : shards[i];
      kpl.retry(request.timeUs[i], request.keyIndex[i], request.sizeBytes[i], shard, nowUs);
    }
    this.takeDropped(kpl);
    this.schedulePoll(kpl);
  }

  /** The KPL's poll: releases what its rate limit allows, as PutRecords calls. */
  private poll(): void {
    const kpl = this.kpl as KplBuffer;
    // A poll replaced by a sooner one is skipped.
    if (this.sim.nowUs !== this.pollAtUs) return;
    this.pollAtUs = null;
    kpl.poll(this.sim.nowUs, this.releasedHandler);
    this.takeDropped(kpl);
    this.schedulePoll(kpl);
  }

  private sendReleased(call: ReleasedCall): void {
    this.send(this.newRequest(call, call.retried, call.shardIndex, null));
  }

  /** A PutRecords call of the records given, outstanding until it is answered for good. */
  private newRequest(records: Pick<PutRequest, "count" | "timeUs" | "keyIndex" | "sizeBytes">, retried: number, shardIndex: PutRequest["shardIndex"], batch: Batch | null): PutRequest {
    const request: PutRequest = { id: this.requestIds.next++, count: records.count, timeUs: records.timeUs, keyIndex: records.keyIndex, sizeBytes: records.sizeBytes, attempts: 0, retried, shardIndex, latencyUs: 0, sentUs: 0, batch };
    this.outstanding.add(request);
    return request;
  }

  private schedulePoll(kpl: KplBuffer): void {
    const atUs = kpl.nextPollUs(this.sim.nowUs);
    if (atUs === null || (this.pollAtUs !== null && this.pollAtUs <= atUs)) return;
    this.pollAtUs = atUs;
    this.sim.at(atUs, this.pollHandler);
  }

  private takeDropped(kpl: KplBuffer): void {
    this.counts.dropped += kpl.dropped;
    kpl.dropped = 0;
  }

  /**
   * The SDKs do not resend failed entries of a PutRecords call; the application or the KPL does
   * (docs/reference.md §1.2). policy attempts: all failed records retry after a backoff until
   * retry.maxAttempts, then are dropped.
   */
  private retryOrDrop(request: PutRequest, accepted: Uint8Array, failedCount: number): void {
    if (!this.settings.retry.canRetry(request.attempts)) {
      this.counts.dropped += failedCount;
      return;
    }
    const retry = this.failedRecords(request, accepted, failedCount);
    this.outstanding.add(retry);
    this.sim.after(this.settings.retry.delayUs(request.attempts, this.settings.retryJitter), this.sendHandler, retry);
  }

  private failedRecords(request: PutRequest, accepted: Uint8Array, failedCount: number): PutRequest {
    const arrays = this.retryArrays(failedCount);
    const retry: PutRequest = {
      id: this.requestIds.next++,
      count: failedCount,
      timeUs: arrays.timeUs,
      keyIndex: arrays.keyIndex,
      sizeBytes: arrays.sizeBytes,
      attempts: request.attempts,
      retried: failedCount,
      shardIndex: null,
      latencyUs: 0,
      sentUs: 0,
      batch: null,
    };
    const { timeUs, keyIndex, sizeBytes } = arrays;
    let j = 0;
    for (let i = 0; i < request.count; i++) {
      if (accepted[i] === 1) continue;
      timeUs[j] = request.timeUs[i];
      keyIndex[j] = request.keyIndex[i];
      sizeBytes[j] = request.sizeBytes[i];
      j++;
    }
    return retry;
  }
}
