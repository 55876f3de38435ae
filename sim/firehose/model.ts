// The Firehose model (Direct PUT to S3): build -> run -> collect. Producers call PutRecordBatch against
// the stream's throughput quotas; accepted records fill the delivery buffers, whose flushes are written
// to S3 as objects. The S3 delivery is the stream's one consumer, measured by the shared meter, so its
// lag is DeliveryToS3.DataFreshness (docs/reference.md §7.4).

import { ConsumerMeter, CounterSeries, firehoseUsageNames, GaugeSeries, LogHistogram, ProducerMeter, scheduleLagSamples, sumProducerCounts, UsageCounter, type Finding, type FirehoseResult, type FirehoseUsage, type ModelContext, type SeriesOptions, type SystemModel } from "../metrics/index.ts";
import type { FirehoseSystem, FirehoseTimelineAction } from "../scenario/types.ts";
import { LatencySampler, RetryPolicy, type ProducerStream } from "../workload/index.ts";
import { DeliveryBuffers, type FlushedObject } from "./buffers.ts";
import { S3Delivery } from "./delivery.ts";
import { firehoseFindings } from "./findings.ts";
import { billedIngestBytes, errorPartition } from "./limits.ts";
import { FirehoseProducerClient, type PutCall } from "./producer.ts";
import { DirectPutQuotas } from "./quotas.ts";

const secondUs = 1_000_000;

export class FirehoseModel implements SystemModel<FirehoseTimelineAction, FirehoseResult> {
  readonly quotas: DirectPutQuotas;
  readonly producers: FirehoseProducerClient[];
  readonly buffers: DeliveryBuffers;
  readonly delivery: S3Delivery;
  readonly meter: ConsumerMeter;
  readonly producerLatency = new LogHistogram();
  readonly objectSizeBytes = new LogHistogram();
  readonly usage: UsageCounter<keyof FirehoseUsage>;
  readonly series: Omit<FirehoseResult["series"], "ProducedRecords" | "RetriedRecords">;
  readonly seriesOptions: SeriesOptions;
  delivered = 0;
  backedUp = 0;
  /** Of backedUp: records written to the error prefix for being past the active-partition limit. */
  overLimitWritten = 0;
  deliveredObjects = 0;
  /** DataFreshness (microseconds) at its largest after warm-up, and when. */
  freshnessPeak = { us: 0, atUs: 0 };

  constructor(
    readonly system: FirehoseSystem,
    workloads: ProducerStream[],
    private readonly context: ModelContext,
  ) {
    const { sim, streams } = context;
    const prefix = `firehose/${system.name}`;
    const seriesOptions: SeriesOptions = { intervalUs: context.reportIntervalUs, endUs: context.durationUs };
    this.seriesOptions = seriesOptions;
    this.usage = new UsageCounter(context.warmupUs, firehoseUsageNames);
    const counter = (): CounterSeries => new CounterSeries(seriesOptions);
    this.series = {
      IncomingRecords: counter(),
      IncomingBytes: counter(),
      IncomingPutRequests: counter(),
      ThrottledRecords: counter(),
      "DeliveryToS3.Records": counter(),
      "DeliveryToS3.Bytes": counter(),
      "DeliveryToS3.Objects": counter(),
      "DeliveryToS3.DataFreshness": new GaugeSeries(seriesOptions),
      "BackupToS3.Records": counter(),
    };
    this.quotas = new DirectPutQuotas(system.quotas);
    const partitioning = system.dynamicPartitioning;
    this.buffers = new DeliveryBuffers(
      sim,
      { sizeBytes: system.buffering.size, intervalUs: system.buffering.interval, partitioned: partitioning.enabled, activePartitionsMax: partitioning.activePartitionsMax },
      (object, nowUs) => this.delivery.deliver(object, nowUs),
    );
    const conversion = system.formatConversion;
    this.delivery = new S3Delivery(
      sim,
      {
        latency: new LatencySampler(system.delivery.latency, streams.stream(`${prefix}/delivery/latency`)),
        failureProbability: system.delivery.failureProbability,
        failureU: streams.stream(`${prefix}/delivery/failures`),
        retryIntervalUs: system.delivery.retryInterval,
        retryDurationUs: partitioning.enabled ? partitioning.retryDuration : system.delivery.retryDuration,
        conversionPerMiBUs: conversion.enabled ? conversion.perMiB : 0,
        sizeRatio: conversion.enabled ? conversion.sizeRatio : 1,
      },
      { delivered: (object, storedBytes, nowUs) => this.written(object, storedBytes, nowUs, false), backedUp: (object, storedBytes, nowUs) => this.written(object, storedBytes, nowUs, true) },
    );
    this.meter = new ConsumerMeter({ name: "s3", type: "s3-delivery", seriesOptions, warmupUs: context.warmupUs, native: { name: "dataFreshnessMs", unit: "ms" } });
    const producer = system.producer;
    const retry = new RetryPolicy({ maxAttempts: producer.retry.maxAttempts, baseDelayUs: producer.retry.baseDelay, maxDelayUs: producer.retry.maxDelay, jitter: producer.retry.jitter });
    const shared = { calls: this.series.IncomingPutRequests, throttled: this.series.ThrottledRecords, ingest: (call: PutCall, accepted: number, nowUs: number) => this.ingest(call, accepted, nowUs) };
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
    const oldest = Math.min(this.buffers.oldestCreateUs(), this.delivery.oldestCreateUs());
    return oldest === Infinity ? 0 : Math.max(0, nowUs - oldest);
  }

  /** DeliveryToS3.DataFreshness: age, from its getting into the stream, of the oldest record not yet delivered; 0 when none. */
  freshnessUs(nowUs: number): number {
    const oldest = Math.min(this.buffers.oldestAcceptUs(), this.delivery.oldestAcceptUs());
    return oldest === Infinity ? 0 : Math.max(0, nowUs - oldest);
  }

  /** Every simulated second: the DataFreshness gauge and the native metric. */
  private upkeep(): void {
    const now = this.context.sim.nowUs;
    const freshnessUs = this.freshnessUs(now);
    this.series["DeliveryToS3.DataFreshness"].set(now, freshnessUs / 1e6);
    this.meter.sampleNative(now, freshnessUs);
    if (now >= this.context.warmupUs && freshnessUs > this.freshnessPeak.us) this.freshnessPeak = { us: freshnessUs, atUs: now };
  }

  /** The first `accepted` records of a call are in the stream: billed, counted, buffered. */
  private ingest(call: PutCall, accepted: number, nowUs: number): void {
    let bytes = 0;
    let billed = 0;
    for (let i = 0; i < accepted; i++) {
      bytes += call.sizeBytes[i];
      billed += billedIngestBytes(call.sizeBytes[i]);
    }
    this.series.IncomingRecords.add(nowUs, accepted);
    this.series.IncomingBytes.add(nowUs, bytes);
    const usage = this.usage;
    usage.add(nowUs, "recordsIngested", accepted);
    usage.add(nowUs, "bytesIngested", bytes);
    usage.add(nowUs, "billedIngestBytes", billed);
    if (this.system.formatConversion.enabled) usage.add(nowUs, "convertedBilledBytes", billed);
    for (let i = 0; i < accepted; i++) this.buffers.add(call.keyIndex[i], call.timeUs[i], call.sizeBytes[i], nowUs);
  }

  /** An object is in S3: delivered, or in the backup / error prefix (its records failed). */
  private written(object: FlushedObject, storedBytes: number, nowUs: number, failed: boolean): void {
    this.objectSizeBytes.add(storedBytes);
    const usage = this.usage;
    usage.add(nowUs, "s3PutRequests", 1);
    usage.add(nowUs, "s3BytesWritten", storedBytes);
    if (this.system.dynamicPartitioning.enabled) {
      usage.add(nowUs, "partitionedBytes", storedBytes);
      usage.add(nowUs, "partitionedObjects", 1);
    }
    if (failed) {
      this.backedUp += object.count;
      if (object.partition === errorPartition) this.overLimitWritten += object.count;
      this.series["BackupToS3.Records"].add(nowUs, object.count);
      return;
    }
    this.delivered += object.count;
    this.deliveredObjects++;
    this.series["DeliveryToS3.Records"].add(nowUs, object.count);
    this.series["DeliveryToS3.Bytes"].add(nowUs, storedBytes);
    this.series["DeliveryToS3.Objects"].add(nowUs, 1);
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
    for (const [name, series] of Object.entries(this.series)) {
      if (series instanceof CounterSeries) series.finish();
      else if (name === "DeliveryToS3.DataFreshness") series.finish(endUs);
    }
    const consumer = this.meter.result(
      { unread: this.buffers.bufferedRecords, inFlight: this.delivery.inFlightRecords, expired: 0, deadLettered: this.backedUp, lost: 0 },
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
      series: { ...this.series, ...ProducerMeter.series(this.producers.map((producer) => producer.meter), this.seriesOptions) },
      usage: { ...this.usage.totals },
      objectSizeBytes: this.objectSizeBytes,
      facts: this.facts(),
    };
    result.findings = this.findings(result);
    return result;
  }

  findings(result: FirehoseResult): Finding[] {
    return firehoseFindings(result, this.system, this.context);
  }

  private facts(): Record<string, number | string> {
    const { buffering, dynamicPartitioning } = this.system;
    return {
      bufferSizeMiB: buffering.size / (1024 * 1024),
      bufferIntervalSeconds: buffering.interval / 1e6,
      dynamicPartitioning: String(dynamicPartitioning.enabled),
      objectsDelivered: this.deliveredObjects,
      objectsBackedUp: this.delivery.backedUpObjects,
      flushesBySize: this.buffers.flushesBySize,
      flushesByInterval: this.buffers.flushesByInterval,
      partitionsPeak: this.buffers.partitionsPeak,
      recordsOverPartitionLimit: this.buffers.overLimitRecords,
      recordsInErrorPrefix: this.overLimitWritten,
      recordsFailedDelivery: this.backedUp - this.overLimitWritten,
      failedDeliveryAttempts: this.delivery.failedAttempts,
      throttledCalls: this.quotas.throttledCalls,
      dataFreshnessPeakSeconds: this.freshnessPeak.us / 1e6,
      dataFreshnessPeakAtSeconds: this.freshnessPeak.atUs / 1e6,
    };
  }
}
