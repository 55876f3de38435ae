// A Firehose stream's delivery side (docs/reference.md §7.2), whatever its source: the buffers that
// collect accepted records, the S3 writes of their flushes, and what they count (objects, their sizes,
// the billed usage, DataFreshness, records delivered and backed up). The Direct PUT model
// (sim/firehose) and the Kinesis-sourced Firehose consumer (sim/kinesis) each own one, so buffering,
// delivery and what it bills are modelled once.

import type { RandomStreams, Simulation } from "../engine/index.ts";
import { CounterSeries, firehoseUsageNames, GaugeSeries, LogHistogram, UsageCounter, type FirehoseUsage, type SeriesOptions } from "../metrics/index.ts";
import type { FirehoseSystem } from "../scenario/types.ts";
import { LatencySampler } from "../workload/index.ts";
import { DeliveryBuffers, type FlushedObject } from "./buffers.ts";
import { S3Delivery } from "./delivery.ts";
import { errorPartition } from "./limits.ts";

/** The settings a delivery pipeline runs with: a Direct PUT stream's, or a Kinesis Firehose consumer's (no dynamic partitioning). */
export type DeliverySpec = Pick<FirehoseSystem, "buffering" | "delivery" | "formatConversion"> & { dynamicPartitioning: FirehoseSystem["dynamicPartitioning"] };

/** The delivery series under their CloudWatch names (AWS/Firehose namespace); DataFreshness in seconds. */
export type DeliverySeries = {
  "DeliveryToS3.Records": CounterSeries;
  "DeliveryToS3.Bytes": CounterSeries;
  "DeliveryToS3.Objects": CounterSeries;
  "DeliveryToS3.DataFreshness": GaugeSeries;
  "BackupToS3.Records": CounterSeries;
};

/** Told of each object delivered (not backed up): the owner's consumer meter counts its records. */
export type DeliveredHandler = (object: FlushedObject, nowUs: number) => void;

export class DeliveryPipeline {
  readonly buffers: DeliveryBuffers;
  readonly delivery: S3Delivery;
  readonly usage: UsageCounter<keyof FirehoseUsage>;
  readonly objectSizeBytes = new LogHistogram();
  readonly series: DeliverySeries;
  delivered = 0;
  backedUp = 0;
  /** Of backedUp: records written to the error prefix for being past the active-partition limit. */
  overLimitWritten = 0;
  deliveredObjects = 0;
  /** DataFreshness (microseconds) at its largest after warm-up, and when. */
  freshnessPeak = { us: 0, atUs: 0 };

  constructor(
    sim: Simulation,
    streams: RandomStreams,
    /** The random streams' prefix: `firehose/<system>` or `kinesis/<system>/consumer/<name>`. */
    prefix: string,
    readonly spec: DeliverySpec,
    seriesOptions: SeriesOptions,
    private readonly warmupUs: number,
    private readonly onDelivered: DeliveredHandler,
  ) {
    this.usage = new UsageCounter(warmupUs, firehoseUsageNames);
    const counter = (): CounterSeries => new CounterSeries(seriesOptions);
    this.series = {
      "DeliveryToS3.Records": counter(),
      "DeliveryToS3.Bytes": counter(),
      "DeliveryToS3.Objects": counter(),
      "DeliveryToS3.DataFreshness": new GaugeSeries(seriesOptions),
      "BackupToS3.Records": counter(),
    };
    const partitioning = spec.dynamicPartitioning;
    this.buffers = new DeliveryBuffers(
      sim,
      { sizeBytes: spec.buffering.size, intervalUs: spec.buffering.interval, partitioned: partitioning.enabled, activePartitionsMax: partitioning.activePartitionsMax },
      (object, nowUs) => this.delivery.deliver(object, nowUs),
    );
    const conversion = spec.formatConversion;
    this.delivery = new S3Delivery(
      sim,
      {
        latency: new LatencySampler(spec.delivery.latency, streams.stream(`${prefix}/delivery/latency`)),
        failureProbability: spec.delivery.failureProbability,
        failureU: streams.stream(`${prefix}/delivery/failures`),
        retryIntervalUs: spec.delivery.retryInterval,
        retryDurationUs: partitioning.enabled ? partitioning.retryDuration : spec.delivery.retryDuration,
        conversionPerMiBUs: conversion.enabled ? conversion.perMiB : 0,
        sizeRatio: conversion.enabled ? conversion.sizeRatio : 1,
      },
      { delivered: (object, storedBytes, nowUs) => this.written(object, storedBytes, nowUs, false), backedUp: (object, storedBytes, nowUs) => this.written(object, storedBytes, nowUs, true) },
    );
  }

  /** Counts `records` of `bytes` taken in at nowUs, `billedBytes` as ingestion bills them (usage after warm-up). */
  countIngest(nowUs: number, records: number, bytes: number, billedBytes: number): void {
    const usage = this.usage;
    usage.add(nowUs, "recordsIngested", records);
    usage.add(nowUs, "bytesIngested", bytes);
    usage.add(nowUs, "billedIngestBytes", billedBytes);
    if (this.spec.formatConversion.enabled) usage.add(nowUs, "convertedBilledBytes", billedBytes);
  }

  /**
   * `count` records of `sizeBytesEach` data bytes read at nowUs from a source that keeps them as runs (a
   * Kinesis shard), which ingestion bills as `billedBytes` (each record rounded up to 5 KB): counted, then buffered.
   */
  ingestRun(count: number, sizeBytesEach: number, billedBytes: number, createMinUs: number, createMeanUs: number, nowUs: number): void {
    this.countIngest(nowUs, count, count * sizeBytesEach, billedBytes);
    this.buffers.addMany(count, sizeBytesEach, createMinUs, createMeanUs, nowUs);
  }

  /** Records in buffers, and being written or retried. */
  get bufferedRecords(): number {
    return this.buffers.bufferedRecords;
  }
  get inDeliveryRecords(): number {
    return this.delivery.inFlightRecords;
  }

  /** Creation time of the oldest record not yet delivered (Infinity when none). */
  oldestCreateUs(): number {
    return Math.min(this.buffers.oldestCreateUs(), this.delivery.oldestCreateUs());
  }

  /** DeliveryToS3.DataFreshness: age, from its getting into Firehose, of the oldest record not yet delivered; 0 when none. */
  freshnessUs(nowUs: number): number {
    const oldest = Math.min(this.buffers.oldestAcceptUs(), this.delivery.oldestAcceptUs());
    return oldest === Infinity ? 0 : Math.max(0, nowUs - oldest);
  }

  /** The per-second DataFreshness sample (series and peak after warm-up); returns it. */
  sampleFreshness(nowUs: number): number {
    const freshnessUs = this.freshnessUs(nowUs);
    this.series["DeliveryToS3.DataFreshness"].set(nowUs, freshnessUs / 1e6);
    if (nowUs >= this.warmupUs && freshnessUs > this.freshnessPeak.us) this.freshnessPeak = { us: freshnessUs, atUs: nowUs };
    return freshnessUs;
  }

  /** An object is in S3: delivered, or in the backup / error prefix (its records failed). */
  private written(object: FlushedObject, storedBytes: number, nowUs: number, failed: boolean): void {
    this.objectSizeBytes.add(storedBytes);
    const usage = this.usage;
    usage.add(nowUs, "s3PutRequests", 1);
    usage.add(nowUs, "s3BytesWritten", storedBytes);
    if (this.spec.dynamicPartitioning.enabled) {
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
    this.onDelivered(object, nowUs);
  }

  /** Counters fold their running second into its interval's peak, the gauge runs to the end (idempotent). */
  finish(endUs: number): void {
    for (const [name, series] of Object.entries(this.series)) {
      if (series instanceof CounterSeries) series.finish();
      else if (name === "DeliveryToS3.DataFreshness") series.finish(endUs);
    }
  }

  /** What a reader of the result needs about the delivery, as label -> value. */
  facts(): Record<string, number | string> {
    const { buffering, dynamicPartitioning } = this.spec;
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
    };
  }
}
