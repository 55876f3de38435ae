// The Firehose model (Direct PUT to S3): build -> run -> collect. Producers call PutRecordBatch against
// the stream's throughput quotas; accepted records fill the delivery buffers, whose flushes are written
// to S3 as objects. The S3 delivery is the stream's one consumer, measured by the shared meter, so its
// lag is DeliveryToS3.DataFreshness (docs/reference.md §7.4).

import { ConsumerMeter, CounterSeries, LogHistogram, ProducerMeter, scheduleLagSamples, sumProducerCounts, type Finding, type FirehoseResult, type ModelContext, type SeriesOptions, type SystemModel } from "../metrics/index.ts";
import type { FirehoseSystem, FirehoseTimelineAction } from "../scenario/types.ts";
import { LatencySampler, RetryPolicy, type ProducerStream } from "../workload/index.ts";
import { billedIngestBytes, DeliveryPipeline, type FlushedObject } from "../firehose-delivery/index.ts";
import { firehoseFindings } from "./findings.ts";
import { FirehoseProducerClient, type PutCall } from "./producer.ts";
import { DirectPutQuotas } from "./quotas.ts";

const secondUs = 1_000_000;

export class FirehoseModel implements SystemModel<FirehoseTimelineAction, FirehoseResult> {
  readonly quotas: DirectPutQuotas;
  readonly producers: FirehoseProducerClient[];
  /** Buffers, S3 writes and what they count (shared with the Kinesis-sourced Firehose consumer). */
  readonly pipeline: DeliveryPipeline;
  readonly meter: ConsumerMeter;
  readonly producerLatency = new LogHistogram();
  readonly ingestSeries: { IncomingRecords: CounterSeries; IncomingBytes: CounterSeries; IncomingPutRequests: CounterSeries; ThrottledRecords: CounterSeries };
  readonly seriesOptions: SeriesOptions;

  constructor(
    readonly system: FirehoseSystem,
    workloads: ProducerStream[],
    private readonly context: ModelContext,
  ) {
    const { sim, streams } = context;
    const prefix = `firehose/${system.name}`;
    const seriesOptions: SeriesOptions = { intervalUs: context.reportIntervalUs, endUs: context.durationUs };
    this.seriesOptions = seriesOptions;
    const counter = (): CounterSeries => new CounterSeries(seriesOptions);
    this.ingestSeries = { IncomingRecords: counter(), IncomingBytes: counter(), IncomingPutRequests: counter(), ThrottledRecords: counter() };
    this.quotas = new DirectPutQuotas(system.quotas);
    this.pipeline = new DeliveryPipeline(sim, streams, prefix, system, seriesOptions, context.warmupUs, (object, nowUs) => this.delivered(object, nowUs));
    this.meter = new ConsumerMeter({ name: "s3", type: "s3-delivery", seriesOptions, warmupUs: context.warmupUs, native: { name: "dataFreshnessMs", unit: "ms" } });
    const producer = system.producer;
    const retry = new RetryPolicy({ maxAttempts: producer.retry.maxAttempts, baseDelayUs: producer.retry.baseDelay, maxDelayUs: producer.retry.maxDelay, jitter: producer.retry.jitter });
    const shared = { calls: this.ingestSeries.IncomingPutRequests, throttled: this.ingestSeries.ThrottledRecords, ingest: (call: PutCall, accepted: number, nowUs: number) => this.ingest(call, accepted, nowUs) };
    this.producers = workloads.map(
      (workload) =>
        new FirehoseProducerClient(
          sim,
          this.quotas,
          workload,
          {
            batch: { maxRecords: producer.batch.maxRecords, maxBytes: producer.batch.maxBytes, lingerUs: producer.batch.linger },
            retry,
            retryJitter: streams.stream(`${prefix}/producer/${workload.spec.name}/retry`),
            latency: new LatencySampler(producer.latency, streams.stream(`${prefix}/producer/${workload.spec.name}/latency`)),
          },
          this.producerLatency,
          shared,
          new ProducerMeter(seriesOptions),
        ),
    );
  }

  start(_timeline: readonly FirehoseTimelineAction[]): void {
    const { sim, durationUs } = this.context;
    for (const producer of this.producers) producer.start();
    sim.every(secondUs, durationUs, () => this.upkeep());
    scheduleLagSamples(sim, durationUs, () => this.meter.sampleLag(sim.nowUs, this.lagUs(sim.nowUs)));
  }

  /** Lag as every consumer measures it: age, from its creation, of the oldest accepted record not yet delivered; 0 when none. */
  lagUs(nowUs: number): number {
    const oldest = this.pipeline.oldestCreateUs();
    return oldest === Infinity ? 0 : Math.max(0, nowUs - oldest);
  }

  /** Every simulated second: the DataFreshness gauge and the native metric. */
  private upkeep(): void {
    const now = this.context.sim.nowUs;
    this.meter.sampleNative(now, this.pipeline.sampleFreshness(now));
  }

  /** The first `accepted` records of a call are in the stream: billed, counted, buffered. */
  private ingest(call: PutCall, accepted: number, nowUs: number): void {
    let bytes = 0;
    let billed = 0;
    for (let i = 0; i < accepted; i++) {
      bytes += call.sizeBytes[i];
      billed += billedIngestBytes(call.sizeBytes[i]);
    }
    this.ingestSeries.IncomingRecords.add(nowUs, accepted);
    this.ingestSeries.IncomingBytes.add(nowUs, bytes);
    this.pipeline.countIngest(nowUs, accepted, bytes, billed);
    for (let i = 0; i < accepted; i++) this.pipeline.buffers.add(call.keyIndex[i], call.timeUs[i], call.sizeBytes[i], nowUs);
  }

  /** An object is in S3 (not the backup): its records are consumed, their latencies measured. */
  private delivered(object: FlushedObject, nowUs: number): void {
    this.meter.processed(nowUs, object.count, 0);
    if (!this.meter.afterWarmup(nowUs)) return;
    for (let run = 0; run < object.runCounts.length; run++) {
      const count = object.runCounts[run];
      this.meter.endToEnd(Math.max(0, nowUs - object.runCreateSumsUs[run] / count), count);
    }
  }

  collect(): FirehoseResult {
    const endUs = this.context.durationUs;
    const counts = sumProducerCounts(this.producers.map((producer) => producer.counts));
    const pending = this.producers.reduce((sum, producer) => sum + producer.pendingRecords(), 0);
    // Counters fold their running second into its interval's peak (idempotent), gauges run to the end.
    for (const series of Object.values(this.ingestSeries)) series.finish();
    this.pipeline.finish(endUs);
    const pipeline = this.pipeline;
    const consumer = this.meter.result(
      { unread: pipeline.bufferedRecords, inFlight: pipeline.inDeliveryRecords, expired: 0, deadLettered: pipeline.backedUp, lost: 0 },
      { nativePerPartition: [] },
    );
    const result: FirehoseResult = {
      name: this.system.name,
      kind: "firehose",
      records: { produced: counts.produced, accepted: counts.accepted, throttledAttempts: counts.throttledAttempts, dropped: counts.dropped, pending },
      bytes: { produced: counts.producedBytes, accepted: counts.acceptedBytes },
      producerLatency: this.producerLatency,
      partitions: [],
      consumers: [consumer],
      findings: [],
      series: { ...this.ingestSeries, ...pipeline.series, ...ProducerMeter.series(this.producers.map((producer) => producer.meter), this.seriesOptions) },
      usage: { ...pipeline.usage.totals },
      objectSizeBytes: pipeline.objectSizeBytes,
      facts: this.facts(),
    };
    result.findings = this.findings(result);
    return result;
  }

  findings(result: FirehoseResult): Finding[] {
    return firehoseFindings(result, this.system, this.context);
  }

  private facts(): Record<string, number | string> {
    const peak = this.pipeline.freshnessPeak;
    return {
      ...this.pipeline.facts(),
      throttledCalls: this.quotas.throttledCalls,
      dataFreshnessPeakSeconds: peak.us / 1e6,
      dataFreshnessPeakAtSeconds: peak.atUs / 1e6,
    };
  }
}
