// A producer application's Firehose client (Direct PUT): batches the workload's records into
// PutRecordBatch calls (at most 500 records and 4 MiB, docs/reference.md §7.1), sends them, and resends
// the records a call did not take (FailedPutCount) with its backoff policy until they are accepted or out
// of attempts, then drops them: the Kinesis producer's application loop (docs/reference.md §1.2, §7.1).
// Records it still holds at the end are pending.

import type { Simulation, Uniform } from "../engine/index.ts";
import { newProducerCounts, type CounterSeries, type LogHistogram, type ProducerCounts, type ProducerMeter } from "../metrics/index.ts";
import { Batcher, feedAhead, RecordBlock, type Batch, type LatencySampler, type ProducerStream, type RetryPolicy } from "../workload/index.ts";
import type { DirectPutQuotas } from "./quotas.ts";

const blockCapacity = 4096;

export interface FirehoseProducerSettings {
  batch: { maxRecords: number; maxBytes: number; lingerUs: number };
  retry: RetryPolicy;
  retryJitter: Uniform;
  latency: LatencySampler;
}

/** Records a PutRecordBatch call carries (a batch's, or the failed records of an earlier call). */
export interface PutCall {
  count: number;
  timeUs: Float64Array;
  keyIndex: Float64Array;
  sizeBytes: Float64Array;
  attempts: number;
  batch: Batch | null;
}

/** What the stream does with the records a call got in: the first `accepted` of the call's arrays. */
export type IngestHandler = (call: PutCall, accepted: number, nowUs: number) => void;

export class FirehoseProducerClient {
  readonly counts: ProducerCounts = newProducerCounts();
  private readonly batcher: Batcher;
  private readonly block = new RecordBlock(blockCapacity);
  private readonly outstanding = new Set<PutCall>();
  private readonly sendHandler = (call: PutCall): void => this.send(call);
  private readonly completeHandler = (call: PutCall): void => this.complete(call);

  constructor(
    private readonly sim: Simulation,
    private readonly quotas: DirectPutQuotas,
    private readonly workload: ProducerStream,
    private readonly settings: FirehoseProducerSettings,
    private readonly producerLatency: LogHistogram,
    private readonly shared: { calls: CounterSeries; throttled: CounterSeries; ingest: IngestHandler },
    /** The records it took from the workload and the records it sent again. */
    readonly meter: ProducerMeter,
  ) {
    this.batcher = new Batcher(settings.batch, (batch) => this.onBatch(batch));
  }

  start(): void {
    feedAhead(this.sim, this.workload, {
      take: (untilUs) => this.feed(untilUs),
      flushUntil: (untilUs) => this.batcher.flushUntil(untilUs),
      finish: (untilUs) => this.batcher.flushAt(untilUs),
    });
  }

  /** Records held by the client: in the open batch, in calls in flight or waiting to be resent. */
  pendingRecords(): number {
    let pending = this.batcher.openCount;
    for (const call of this.outstanding) pending += call.count;
    return pending;
  }

  private feed(untilUs: number): void {
    const { block, batcher, counts } = this;
    while (this.workload.fill(untilUs, block) > 0) {
      for (let i = 0; i < block.count; i++) {
        batcher.add(block.timeUs[i], block.keyIndex[i], block.sizeBytes[i]);
        counts.producedBytes += block.sizeBytes[i];
      }
      counts.produced += block.count;
      this.meter.took(block.timeUs, block.count);
    }
  }

  private onBatch(batch: Batch): void {
    const call: PutCall = { count: batch.count, timeUs: batch.timeUs, keyIndex: batch.keyIndex, sizeBytes: batch.sizeBytes, attempts: 0, batch };
    this.outstanding.add(call);
    this.sim.at(batch.closeUs, this.sendHandler, call);
  }

  private send(call: PutCall): void {
    call.attempts++;
    this.sim.after(this.settings.latency.sampleUs(), this.completeHandler, call);
  }

  /** The call reaches the stream: its quotas take what they allow, the rest is resent or dropped. */
  private complete(call: PutCall): void {
    const now = this.sim.nowUs;
    if (call.attempts > 1) this.meter.retry(now, call.count);
    this.shared.calls.add(now, 1);
    const accepted = this.quotas.admit(now, call.count, call.sizeBytes);
    const counts = this.counts;
    counts.accepted += accepted;
    for (let i = 0; i < accepted; i++) {
      counts.acceptedBytes += call.sizeBytes[i];
      this.producerLatency.add(now - call.timeUs[i]);
    }
    if (accepted > 0) this.shared.ingest(call, accepted, now);
    const failed = call.count - accepted;
    this.outstanding.delete(call);
    if (failed > 0) {
      counts.throttledAttempts += failed;
      this.shared.throttled.add(now, failed);
      this.retryOrDrop(call, accepted, failed);
    }
    if (call.batch !== null) this.batcher.recycle(call.batch);
  }

  private retryOrDrop(call: PutCall, accepted: number, failed: number): void {
    if (!this.settings.retry.canRetry(call.attempts)) {
      this.counts.dropped += failed;
      return;
    }
    const retry: PutCall = {
      count: failed,
      timeUs: call.timeUs.slice(accepted, call.count),
      keyIndex: call.keyIndex.slice(accepted, call.count),
      sizeBytes: call.sizeBytes.slice(accepted, call.count),
      attempts: call.attempts,
      batch: null,
    };
    this.outstanding.add(retry);
    this.sim.after(this.settings.retry.delayUs(call.attempts, this.settings.retryJitter), this.sendHandler, retry);
  }
}
