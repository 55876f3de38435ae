// A Firehose stream whose source is this Kinesis stream (docs/reference.md §7.5): one GetRecords reader
// per shard, started once the shard's parents are read to their end, calling once a second under the
// shard's read limits shared with the stream's other polling readers (a throttled call is retried as
// the KCL's SDK retries it: Firehose publishes no retry policy of its own). What it reads goes to a
// Firehose delivery pipeline (sim/firehose-delivery), whose objects, DataFreshness and billed usage are
// the Direct PUT stream's. The consumer's records are consumed when delivered to S3: until then
// they are in flight (read, in a buffer or being written).

import type { RandomStreams, Simulation } from "../engine/index.ts";
import { DeliveryPipeline, kinesisSourcePollIntervalUs, type FlushedObject } from "../firehose-delivery/index.ts";
import { ConsumerMeter, CounterSeries, type ConsumerResult, type SeriesOptions } from "../metrics/index.ts";
import type { FirehoseKinesisConsumerSpec } from "../scenario/firehose-schema.ts";
import { LatencySampler } from "../workload/index.ts";
import { getRecordsRecordsMax } from "./limits.ts";
import { FirehoseBackupReader } from "./firehose-backup.ts";
import { ShardDataLedger } from "./firehose-ledger.ts";
import { ParentOrder } from "./parent-order.ts";
import type { Shard } from "./shard.ts";
import type { KinesisStream } from "./stream.ts";
import { PollingWorker, type ShardWorker, type WorkerOwner, type WorkerSettings } from "./worker.ts";

/** Dynamic partitioning needs each record's partition key, which a shard's runs do not keep: off. */
const noPartitioning = { enabled: false, activePartitionsMax: 1, retryDuration: 0 };

export class FirehoseKinesisConsumer implements WorkerOwner {
  readonly name: string;
  expired = 0;
  /** Bytes fetched after warm-up: what on-demand retrieval bills. */
  bytesReadAfterWarmup = 0;
  recordsRead = 0;
  readonly settings: WorkerSettings;
  readonly meter: ConsumerMeter;
  readonly pipeline: DeliveryPipeline;
  readonly workers: Array<ShardWorker | undefined> = [];
  readonly readSeries: { records: CounterSeries; bytes: CounterSeries };
  private readonly parentOrder: ParentOrder<ShardWorker>;
  /** Each shard's records' data and billed bytes, by shard index. */
  private readonly ledgers: ShardDataLedger[] = [];
  /** The source record backup's reader (a second GetRecords call a second per shard), when on. */
  readonly backup: FirehoseBackupReader | null;

  constructor(
    readonly spec: FirehoseKinesisConsumerSpec,
    private readonly sim: Simulation,
    private readonly stream: KinesisStream,
    streams: RandomStreams,
    prefix: string,
    private readonly seriesOptions: SeriesOptions,
    warmupUs: number,
    /** The stream's ReadProvisionedThroughputExceeded count per report interval, shared by its consumers. */
    private readonly readThrottleSeries: CounterSeries,
  ) {
    this.name = spec.name;
    this.parentOrder = new ParentOrder(stream, this.workers);
    this.settings = {
      type: "polling",
      pollIntervalUs: kinesisSourcePollIntervalUs,
      maxRecords: getRecordsRecordsMax,
      delay: new LatencySampler(spec.latency, streams.stream(`${prefix}/delay`)),
      retryU: streams.stream(`${prefix}/retry`),
      perRecordUs: 0,
      perBatchUs: 0,
      checkpointIntervalUs: 0,
      warmupUs,
    };
    this.meter = new ConsumerMeter({ name: spec.name, type: "firehose", seriesOptions, warmupUs, native: { name: "iteratorAgeMs", unit: "ms" } });
    this.pipeline = new DeliveryPipeline(sim, streams, prefix, { ...spec, dynamicPartitioning: noPartitioning }, seriesOptions, warmupUs, (object, nowUs) => this.delivered(object, nowUs));
    this.readSeries = { records: new CounterSeries(seriesOptions), bytes: new CounterSeries(seriesOptions) };
    stream.watchWrites((shard, dataBytes) => this.ledgerOf(shard).written(shard.log.tailRun - 1, dataBytes));
    const backupSettings = { ...this.settings, delay: new LatencySampler(spec.latency, streams.stream(`${prefix}/backup/delay`)), retryU: streams.stream(`${prefix}/backup/retry`) };
    this.backup = spec.sourceRecordBackup ? new FirehoseBackupReader(spec, backupSettings, sim, stream, streams, prefix, seriesOptions, this) : null;
  }

  private ledgerOf(shard: Shard): ShardDataLedger {
    this.ledgers[shard.index] ??= new ShardDataLedger();
    return this.ledgers[shard.index];
  }

  start(): void {
    for (const shard of this.stream.shards) this.onShardCreated(shard);
  }

  onShardCreated(shard: Shard): void {
    this.workers[shard.index] ??= new PollingWorker(this.sim, shard, this, this.seriesOptions);
    this.parentOrder.startIfReady(shard);
    this.backup?.onShardCreated(shard);
  }

  onShardFinished(worker: ShardWorker): void {
    this.parentOrder.finished(worker);
  }

  /** Firehose's readers are the service's: the scenario refuses a consumer-crash aimed at them (checks.ts). */
  crash(): void {}

  /** Counted when delivered, not when read (onFirstProcessed hands the records to the buffers). */
  onProcessed(): void {}
  onLatency(): void {}

  /** Records read from the shard: billed, counted and buffered, run by run, as data without their partition keys. */
  onFirstProcessed(shard: Shard, startSeq: number, endSeq: number, nowUs: number): void {
    const log = shard.log;
    const ledger = this.ledgerOf(shard);
    let seq = startSeq;
    let run = log.runOf(seq);
    let bytes = 0;
    while (seq < endSeq) {
      const count = log.countAt(run);
      const pieceEnd = Math.min(log.firstSeqAt(run) + count, endSeq);
      const taken = pieceEnd - seq;
      const data = ledger.take(run, taken / count);
      this.pipeline.ingestRun(taken, data.dataBytes / taken, data.billedBytes, log.createMinAt(run), log.createMeanAt(run), nowUs);
      bytes += data.dataBytes;
      seq = pieceEnd;
      run++;
    }
    this.recordsRead += endSeq - startSeq;
    this.readSeries.records.add(nowUs, endSeq - startSeq);
    this.readSeries.bytes.add(nowUs, bytes);
  }

  onRead(nowUs: number, bytes: number): void {
    if (this.meter.afterWarmup(nowUs)) this.bytesReadAfterWarmup += bytes;
  }

  onReadCall(): void {
    this.meter.readCalled();
  }

  onReadThrottle(): void {
    this.meter.readThrottled();
    this.readThrottleSeries.add(this.sim.nowUs, 1);
  }

  onExpired(records: number): void {
    this.expired += records;
  }

  /** An object is in S3: its records are consumed, their latencies measured per buffer run. */
  private delivered(object: FlushedObject, nowUs: number): void {
    this.meter.processed(nowUs, object.count, 0);
    if (!this.meter.afterWarmup(nowUs)) return;
    for (let run = 0; run < object.runCounts.length; run++) {
      const count = object.runCounts[run];
      this.meter.endToEnd(Math.max(0, nowUs - object.runCreateSumsUs[run] / count), count);
    }
  }

  neededFrom(shard: Shard): number {
    const primary = this.workers[shard.index]?.neededFrom() ?? 0;
    return this.backup === null ? primary : Math.min(primary, this.backup.neededFrom(shard));
  }

  /** Lag: age of the oldest record not yet delivered, read or not. */
  sampleLag(nowUs: number): void {
    let oldestCreateUs = this.pipeline.oldestCreateUs();
    for (const worker of this.workers) if (worker !== undefined) oldestCreateUs = Math.min(oldestCreateUs, worker.oldestUnprocessedCreateUs());
    this.meter.sampleLag(nowUs, oldestCreateUs === Infinity ? 0 : Math.max(0, nowUs - oldestCreateUs));
  }

  /** The per-second samples: GetRecords.IteratorAgeMilliseconds (the native metric) and DataFreshness. */
  /** The largest iterator age of its readers at the last sample (microseconds): what an alarm on the stream reads. */
  iteratorAgeUs = 0;

  sampleIteratorAge(nowUs: number): void {
    let iteratorAgeUs = 0;
    for (const worker of this.workers) if (worker !== undefined && worker.state !== "finished") iteratorAgeUs = Math.max(iteratorAgeUs, worker.iteratorAgeUs);
    this.iteratorAgeUs = iteratorAgeUs;
    this.meter.sampleNative(nowUs, iteratorAgeUs);
    this.pipeline.sampleFreshness(nowUs);
  }

  private backupStats(): NonNullable<ConsumerResult["firehose"]>["sourceRecordBackup"] {
    const backup = this.backup;
    if (backup === null) return null;
    backup.pipeline.finish(this.seriesOptions.endUs);
    const usage = backup.pipeline.usage.totals;
    return { recordsRead: backup.recordsRead, recordsWritten: backup.pipeline.delivered, objects: backup.pipeline.deliveredObjects, s3PutRequests: usage.s3PutRequests, s3BytesWritten: usage.s3BytesWritten, bytesIngested: usage.bytesIngested };
  }

  /** Reads only: collecting twice gives the same result. `sharedWith`: the stream's other GetRecords readers. */
  result(sharedWith: string[]): ConsumerResult {
    let fetched = 0;
    let unread = 0;
    let expired = this.expired;
    for (const worker of this.workers) {
      if (worker === undefined) continue;
      fetched += worker.inFlightFirstTime();
      unread += worker.unread();
      expired += worker.expiredUncounted();
    }
    const pipeline = this.pipeline;
    pipeline.finish(this.seriesOptions.endUs);
    this.readSeries.records.finish();
    this.readSeries.bytes.finish();
    const inFlight = fetched + pipeline.bufferedRecords + pipeline.inDeliveryRecords;
    const nativePerPartition = this.workers.flatMap((worker) => (worker === undefined ? [] : [{ id: worker.shard.id, series: worker.iteratorAge }]));
    const result = this.meter.result({ unread, inFlight, expired, deadLettered: pipeline.backedUp, lost: 0 }, { nativePerPartition });
    result.firehose = {
      recordsRead: this.recordsRead,
      recordsDelivered: pipeline.delivered,
      recordsBuffered: pipeline.bufferedRecords,
      recordsInDelivery: pipeline.inDeliveryRecords,
      recordsBackedUp: pipeline.backedUp,
      objectSizeBytes: pipeline.objectSizeBytes,
      dataFreshnessPeakUs: pipeline.freshnessPeak.us,
      dataFreshnessPeakAtUs: pipeline.freshnessPeak.atUs,
      readThrottles: result.readThrottles,
      sharedWith,
      usage: { ...pipeline.usage.totals },
      sourceRecordBackup: this.backupStats(),
      facts: pipeline.facts(),
      series: {
        "DataReadFromKinesisStream.Records": this.readSeries.records,
        "DataReadFromKinesisStream.Bytes": this.readSeries.bytes,
        ...pipeline.series,
      },
    };
    return result;
  }
}
