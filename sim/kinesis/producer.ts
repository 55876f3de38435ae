// A producer application's Kinesis client: batches the workload's records into PutRecords calls,
// sends them, and retries the records that failed (only those) with its backoff policy until they
// are accepted or run out of attempts (docs/reference.md §1.2). Records it still holds at the end are pending.

import type { Simulation, Uniform } from "../engine/index.ts";
import { newProducerCounts, type CounterSeries, type LogHistogram, type ProducerCounts, type ProducerMeter } from "../metrics/index.ts";
import { Batcher, feedAhead, RecordBlock, type Batch, type LatencySampler, type ProducerStream, type RetryPolicy } from "../workload/index.ts";
import { KeyRoutes, type KinesisStream, type PutOptions, type PutRequest } from "./stream.ts";

/** How far ahead of simulated time the workload is fed to the batcher (it does not depend on the system). */
const blockCapacity = 4096;

export interface ProducerClientSettings {
  batch: { maxRecords: number; maxBytes: number; lingerUs: number };
  retry: RetryPolicy;
  /** KPL-style retry (policy: ttl): failed records are retried until older than this, whatever the attempts; null: retry.maxAttempts. */
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
    counts.throttledAttempts += failedCount;
    for (let i = 0; i < request.count; i++) {
      if (accepted[i] === 1) {
        counts.acceptedBytes += request.sizeBytes[i];
        this.producerLatency.add(now - request.timeUs[i]);
      }
    }
    this.outstanding.delete(request);
    if (failedCount > 0) this.retryOrDrop(request, accepted, failedCount, now);
    if (request.batch !== null) this.batcher.recycle(request.batch);
  }

  /**
   * The SDKs do not resend failed entries of a PutRecords call; the application or the KPL does
   * (docs/reference.md §1.2). policy attempts: all failed records retry until retry.maxAttempts;
   * policy ttl (the KPL): each failed record retries until it is older than recordTtl, then is dropped.
   */
  private retryOrDrop(request: PutRequest, accepted: Uint8Array, failedCount: number, nowUs: number): void {
    const ttlUs = this.settings.recordTtlUs;
    let expired = 0;
    if (ttlUs === null) {
      if (!this.settings.retry.canRetry(request.attempts)) expired = failedCount;
    } else {
      for (let i = 0; i < request.count; i++) {
        if (accepted[i] === 0 && nowUs - request.timeUs[i] >= ttlUs) {
          accepted[i] = 2; // expired: neither accepted nor retried
          expired++;
        }
      }
    }
    this.counts.dropped += expired;
    if (failedCount > expired) this.scheduleRetry(this.failedRecords(request, accepted, failedCount - expired), request.attempts);
  }

  private scheduleRetry(retry: PutRequest, attempts: number): void {
    this.outstanding.add(retry);
    this.sim.after(this.settings.retry.delayUs(attempts, this.settings.retryJitter), this.sendHandler, retry);
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
      if (accepted[i] !== 0) continue;
      retry.timeUs[j] = request.timeUs[i];
      retry.keyIndex[j] = request.keyIndex[i];
      retry.sizeBytes[j] = request.sizeBytes[i];
      j++;
    }
    return retry;
  }
}
