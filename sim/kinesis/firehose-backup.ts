// A Kinesis-sourced Firehose stream's source record backup (docs/reference.md §7.5): with it on, Firehose
// calls GetRecords twice a second per shard, once for the destination and once for the backup, so the
// backup is a second reader of every shard under the same shared limits, delivering every record it reads
// to a backup bucket through a Firehose delivery of its own (same buffering hints, our assumption). Its
// calls are the Firehose consumer's: throttles and read bytes count for it.

import type { RandomStreams, Simulation } from "../engine/index.ts";
import { DeliveryPipeline } from "../firehose-delivery/index.ts";
import type { SeriesOptions } from "../metrics/index.ts";
import type { FirehoseKinesisConsumerSpec } from "../scenario/firehose-schema.ts";
import { ShardDataLedger } from "./firehose-ledger.ts";
import { ParentOrder } from "./parent-order.ts";
import type { Shard } from "./shard.ts";
import type { KinesisStream } from "./stream.ts";
import { PollingWorker, type ShardWorker, type WorkerOwner, type WorkerSettings } from "./worker.ts";

/** What the backup reports to its Firehose consumer: its GetRecords calls are the consumer's. */
export interface BackupOwner {
  onReadCall(): void;
  onReadThrottle(): void;
  onRead(nowUs: number, bytes: number): void;
}

export class FirehoseBackupReader implements WorkerOwner {
  recordsRead = 0;
  /** Records retention took before the backup reader reached them (never backed up). */
  expired = 0;
  readonly pipeline: DeliveryPipeline;
  readonly workers: Array<ShardWorker | undefined> = [];
  private readonly parentOrder: ParentOrder<ShardWorker>;
  private readonly ledgers: ShardDataLedger[] = [];

  constructor(
    spec: FirehoseKinesisConsumerSpec,
    readonly settings: WorkerSettings,
    private readonly sim: Simulation,
    private readonly stream: KinesisStream,
    streams: RandomStreams,
    prefix: string,
    private readonly seriesOptions: SeriesOptions,
    private readonly owner: BackupOwner,
  ) {
    this.parentOrder = new ParentOrder(stream, this.workers);
    // The backup holds the source records as read: no dynamic partitioning, no format conversion.
    const noPartitioning = { enabled: false, activePartitionsMax: 1, retryDuration: 0 };
    const noConversion = { enabled: false, perMiB: 0, sizeRatio: 1 };
    this.pipeline = new DeliveryPipeline(sim, streams, `${prefix}/backup`, { ...spec, dynamicPartitioning: noPartitioning, formatConversion: noConversion }, seriesOptions, settings.warmupUs, () => {});
    stream.watchWrites((shard, dataBytes) => this.ledgerOf(shard).written(shard.log.tailRun - 1, dataBytes));
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
  }

  onShardFinished(worker: ShardWorker): void {
    this.parentOrder.finished(worker);
  }

  onProcessed(): void {}
  onLatency(): void {}

  /** Records read: buffered for the backup bucket as data, run by run. */
  onFirstProcessed(shard: Shard, startSeq: number, endSeq: number, nowUs: number): void {
    const log = shard.log;
    const ledger = this.ledgerOf(shard);
    let seq = startSeq;
    let run = log.runOf(seq);
    while (seq < endSeq) {
      const count = log.countAt(run);
      const pieceEnd = Math.min(log.firstSeqAt(run) + count, endSeq);
      const taken = pieceEnd - seq;
      const data = ledger.take(run, taken / count);
      this.pipeline.ingestRun(taken, data.dataBytes / taken, data.billedBytes, log.createMinAt(run), log.createMeanAt(run), nowUs);
      seq = pieceEnd;
      run++;
    }
    this.recordsRead += endSeq - startSeq;
  }

  onRead(nowUs: number, bytes: number): void {
    this.owner.onRead(nowUs, bytes);
  }

  onReadCall(): void {
    this.owner.onReadCall();
  }

  onReadThrottle(): void {
    this.owner.onReadThrottle();
  }

  onExpired(records: number): void {
    this.expired += records;
  }

  neededFrom(shard: Shard): number {
    return this.workers[shard.index]?.neededFrom() ?? 0;
  }
}
