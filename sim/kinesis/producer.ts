// A producer application's Kinesis client: batches the workload's records into PutRecords calls,
// sends them, and retries the records that failed (only those) until they are accepted or run out:
// an application's loop backs off and gives up after its attempts; the KPL puts them back in its
// buffer without backoff until their RecordTtl, and holds back what is over its per-shard rate limit
// (docs/reference.md §1.2). Records it still holds at the end are pending.

import type { Simulation, Uniform } from "../engine/index.ts";
import { newProducerCounts, type CounterSeries, type LogHistogram, type ProducerCounts, type ProducerMeter } from "../metrics/index.ts";
import { Batcher, feedAhead, RecordBlock, type Batch, type LatencySampler, type ProducerStream, type RetryPolicy } from "../workload/index.ts";
import { putRecordsRecordsMax } from "./limits.ts";
import { heldByLimiter, KeyRoutes, type KinesisStream, type PutOptions, type PutRequest } from "./stream.ts";

/** The KPL's smallest RecordMaxBufferedTime, 100 ms: its retry deadline is half the buffered time (docs/reference.md §1.2). */
const kplBufferedTimeMinUs = 100_000;

/** How far ahead of simulated time the workload is fed to the batcher (it does not depend on the system). */
const blockCapacity = 4096;

export interface ProducerClientSettings {
  batch: { maxRecords: number; maxBytes: number; lingerUs: number };
  retry: RetryPolicy;
  /** KPL retry (policy: ttl): failed records are retried until older than this, whatever the attempts; null: retry.maxAttempts. */
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
  /** policy ttl: the failed records waiting for their next send (the KPL's buffer); null when none wait. */
  private retryBuffer: PutRequest | null = null;
  private readonly sendHandler = (request: PutRequest): void => this.send(request);
  private readonly completeHandler = (request: PutRequest): void => this.complete(request);

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

  /** Records held by the client: in the open batch, in calls in flight, waiting to be retried. */
  pendingRecords(): number {
    let pending = this.batcher.openCount;
    for (const request of this.outstanding) pending += request.count;
    return pending;
  }

  private feed(untilUs: number): void {
    const { block, batcher, counts, offeredPerKey } = this;
    while (this.workload.fill(untilUs, block) > 0) {
      for (let i = 0; i < block.count; i++) {
        const keyIndex = block.keyIndex[i];
        batcher.add(block.timeUs[i], keyIndex, block.sizeBytes[i]);
        counts.producedBytes += block.sizeBytes[i];
        if (offeredPerKey !== null) offeredPerKey[keyIndex]++;
      }
      counts.produced += block.count;
      this.meter.took(block.timeUs, block.count);
    }
  }

  private onBatch(batch: Batch): void {
    const request: PutRequest = { id: this.requestIds.next++, count: batch.count, timeUs: batch.timeUs, keyIndex: batch.keyIndex, sizeBytes: batch.sizeBytes, attempts: 0, latencyUs: 0, sentUs: 0, batch };
    this.outstanding.add(request);
    this.sim.at(batch.closeUs, this.sendHandler, request);
  }

  private send(request: PutRequest): void {
    let calls = 1;
    if (request === this.retryBuffer) {
      this.retryBuffer = null;
      if (this.dropExpired(request, this.sim.nowUs) === 0) {
        this.outstanding.delete(request);
        return;
      }
      // The KPL's buffer goes out in as many calls as 500 records each need (the model sends it as one).
      calls = Math.ceil(request.count / putRecordsRecordsMax);
    }
    request.attempts++;
    const latencyUs = this.settings.latency.sampleUs();
    request.latencyUs = latencyUs;
    request.sentUs = this.sim.nowUs;
    this.callSeries.calls.add(this.sim.nowUs, calls);
    this.callSeries.latencyMs.add(this.sim.nowUs, (calls * latencyUs) / 1000);
    this.sim.after(latencyUs, this.completeHandler, request);
  }

  /** The call's answer: accepted records are acknowledged now; failed ones retry or drop. */
  private complete(request: PutRequest): void {
    const now = this.sim.nowUs;
    if (this.accepted.length < request.count) this.accepted = new Uint8Array(request.count * 2);
    const accepted = this.accepted;
    // Counted where the shards count their attempts (at the put): without aggregation, retries are the shards' attempts less their first attempts.
    if (request.attempts > 1) this.meter.retry(now, request.count);
    const acceptedCount = this.stream.put(request, now, this.routes, accepted, this.settings.put);
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
    let heldCount = 0;
    for (let i = 0; i < request.count; i++) {
      if (accepted[i] === 1) {
        counts.acceptedBytes += request.sizeBytes[i];
        this.producerLatency.add(now - request.timeUs[i]);
      } else if (accepted[i] === heldByLimiter) {
        heldCount++;
      }
    }
    counts.throttledAttempts += failedCount - heldCount;
    this.outstanding.delete(request);
    if (failedCount > 0) this.retryOrDrop(request, accepted, failedCount, now);
    if (request.batch !== null) this.batcher.recycle(request.batch);
  }

  /**
   * The SDKs do not resend failed entries of a PutRecords call; the application or the KPL does
   * (docs/reference.md §1.2). policy attempts: all failed records retry after a backoff until
   * retry.maxAttempts. policy ttl (the KPL): failed and held-back records go back into the buffer
   * with the deadline min(RecordMaxBufferedTime / 2, time to live left), no backoff; a record older
   * than recordTtl is dropped when its deadline comes, not sent again.
   */
  private retryOrDrop(request: PutRequest, accepted: Uint8Array, failedCount: number, nowUs: number): void {
    const ttlUs = this.settings.recordTtlUs;
    if (ttlUs === null) {
      if (!this.settings.retry.canRetry(request.attempts)) {
        this.counts.dropped += failedCount;
        return;
      }
      const retry = this.failedRecords(request, accepted, failedCount);
      this.outstanding.add(retry);
      this.sim.after(this.settings.retry.delayUs(request.attempts, this.settings.retryJitter), this.sendHandler, retry);
      return;
    }
    // The KPL's buffer: failed records wait together and go out in the next calls. Records failing while
    // the buffer waits join it, so an overloaded producer sends one retry per deadline, not one per call.
    if (this.retryBuffer !== null) {
      this.appendFailed(this.retryBuffer, request, accepted, failedCount);
      return;
    }
    const retry = this.failedRecords(request, accepted, failedCount);
    let oldestUs = Infinity;
    for (let i = 0; i < retry.count; i++) oldestUs = Math.min(oldestUs, retry.timeUs[i]);
    // Records the rate limit held back are offered again once the limit could pass them (KplShardLimiter.drainTimeUs).
    const limiter = this.settings.put.limiter;
    const waitUs = Math.max(Math.max(this.settings.batch.lingerUs, kplBufferedTimeMinUs) / 2, limiter === null ? 0 : limiter.drainTimeUs());
    const deadlineUs = Math.min(waitUs, Math.max(0, oldestUs + ttlUs - nowUs));
    this.retryBuffer = retry;
    this.outstanding.add(retry);
    this.sim.after(deadlineUs, this.sendHandler, retry);
  }

  /** Adds a request's failed records to the waiting retry buffer, growing its arrays by doubling. */
  private appendFailed(buffer: PutRequest, request: PutRequest, accepted: Uint8Array, failedCount: number): void {
    const needed = buffer.count + failedCount;
    if (buffer.timeUs.length < needed) {
      const capacity = Math.max(needed, buffer.timeUs.length * 2);
      const grow = (from: Float64Array): Float64Array => {
        const to = new Float64Array(capacity);
        to.set(from.subarray(0, buffer.count));
        return to;
      };
      buffer.timeUs = grow(buffer.timeUs);
      buffer.keyIndex = grow(buffer.keyIndex);
      buffer.sizeBytes = grow(buffer.sizeBytes);
    }
    let j = buffer.count;
    for (let i = 0; i < request.count; i++) {
      if (accepted[i] === 1) continue;
      buffer.timeUs[j] = request.timeUs[i];
      buffer.keyIndex[j] = request.keyIndex[i];
      buffer.sizeBytes[j] = request.sizeBytes[i];
      j++;
    }
    buffer.count = j;
  }

  /** policy ttl: drops the records of a retry older than recordTtl (counted as dropped), keeping the rest in order; returns how many are left. */
  private dropExpired(request: PutRequest, nowUs: number): number {
    const ttlUs = this.settings.recordTtlUs as number;
    let kept = 0;
    for (let i = 0; i < request.count; i++) {
      if (nowUs - request.timeUs[i] >= ttlUs) continue;
      request.timeUs[kept] = request.timeUs[i];
      request.keyIndex[kept] = request.keyIndex[i];
      request.sizeBytes[kept] = request.sizeBytes[i];
      kept++;
    }
    this.counts.dropped += request.count - kept;
    request.count = kept;
    return kept;
  }

  private failedRecords(request: PutRequest, accepted: Uint8Array, failedCount: number): PutRequest {
    const retry: PutRequest = {
      id: this.requestIds.next++,
      count: failedCount,
      timeUs: new Float64Array(failedCount),
      keyIndex: new Float64Array(failedCount),
      sizeBytes: new Float64Array(failedCount),
      attempts: request.attempts,
      latencyUs: 0,
      sentUs: 0,
      batch: null,
    };
    let j = 0;
    for (let i = 0; i < request.count; i++) {
      if (accepted[i] === 1) continue;
      retry.timeUs[j] = request.timeUs[i];
      retry.keyIndex[j] = request.keyIndex[i];
      retry.sizeBytes[j] = request.sizeBytes[i];
      j++;
    }
    return retry;
  }
}
