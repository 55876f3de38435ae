// A Managed Service for Apache Flink application reading the stream (docs/reference.md §8): its Kinesis
// source reads every shard (a reader per shard, started once the shard's parents are read to their
// end) and keyBy hands each record to the subtask of its key. The subtask of every record is noted as
// the record is written (its key is known then); readers route whole batches by it. Measures through
// the shared consumer meter, and the iterator age per shard (the source's millisBehindLatest).

import type { RandomStreams, Simulation } from "../engine/index.ts";
import { checkpointSettings, windowSettingsOf, EventTimeDelays, FlinkApplication, flinkStats, KeySlotStore, SubtaskStore, type KeyCounts, type SourcePositions } from "../flink/index.ts";
import { ConsumerMeter, type ConsumerResult, type SeriesOptions } from "../metrics/index.ts";
import { flinkParallelismMax, type FlinkKinesisConsumerSpec } from "../scenario/flink-schema.ts";
import { LatencySampler, type KeySpace } from "../workload/index.ts";
import type { FlinkKeyGroupLog, FlinkKeyGroupLogs } from "./flink-key-groups.ts";
import { FlinkShardReader, type FlinkReaderOwner, type FlinkReaderSettings } from "./flink-reader.ts";
import { ParentOrder } from "./parent-order.ts";
import type { Shard } from "./shard.ts";
import type { KinesisStream } from "./stream.ts";

/**
 * A keyed subtask's input buffers: 2 exclusive buffers per input channel (one channel per source
 * subtask) and 8 floating ones, 32 KiB each: Flink's defaults (docs/reference.md §8.3).
 */
export function inputBufferBytes(sourceParallelism: number): number {
  return (2 * sourceParallelism + 8) * 32 * 1024;
}

export class FlinkKinesisConsumer implements FlinkReaderOwner {
  expired = 0;
  bytesReadAfterWarmup = 0;
  readonly settings: FlinkReaderSettings;
  readonly app: FlinkApplication;
  readonly windowing: FlinkReaderOwner["windowing"];
  readonly meter: ConsumerMeter;
  readonly readers: Array<FlinkShardReader | undefined> = [];
  /** The producers' keys and counts, for the subtasks' busiest keys (set by the model). */
  keyCounts: () => readonly KeyCounts[] = () => [];
  /** The key group of each record, per shard (shared with the stream's other applications of the same maxParallelism). */
  private readonly keyGroups: FlinkKeyGroupLog;
  private readonly keyGroupReader: number;
  /** Session windows: each record's key slot, per shard. */
  private readonly slotStores: Array<KeySlotStore | undefined> = [];
  private readonly parentOrder: ParentOrder<FlinkShardReader>;

  constructor(
    readonly spec: FlinkKinesisConsumerSpec,
    private readonly sim: Simulation,
    private readonly stream: KinesisStream,
    streams: RandomStreams,
    prefix: string,
    private readonly seriesOptions: SeriesOptions,
    private readonly times: { warmupUs: number; endUs: number },
    keyGroupLogs: FlinkKeyGroupLogs,
  ) {
    this.settings = {
      efo: spec.efo,
      pollIntervalUs: spec.pollInterval,
      maxRecords: spec.maxRecords,
      delay: new LatencySampler(spec.latency, streams.stream(`${prefix}/delay`)),
      warmupUs: times.warmupUs,
    };
    this.meter = new ConsumerMeter({ name: spec.name, type: "flink", seriesOptions, warmupUs: times.warmupUs, native: { name: "iteratorAgeMs", unit: "ms", pushed: spec.efo } });
    const appSettings = {
      parallelism: spec.parallelism,
      parallelismPerKpu: spec.parallelismPerKpu,
      maxParallelism: spec.maxParallelism ?? null,
      perRecordUs: spec.processing.perRecord,
      inputBufferBytes: inputBufferBytes(spec.parallelism),
      warmupUs: times.warmupUs,
      seriesOptions,
      windows: windowSettingsOf(spec.window),
      checkpoints: checkpointSettings(spec),
      autoscaling: spec.autoscaling,
      parallelismMax: flinkParallelismMax,
    };
    this.windowing = appSettings.windows === null ? null : { settings: appSettings.windows, delays: new EventTimeDelays(spec.eventTimeDelay, streams.stream(`${prefix}/event-time`)) };
    this.app = new FlinkApplication(appSettings, sim, {
      onLatency: (latencyUs, count) => this.meter.endToEnd(latencyUs, count),
      positions: (processed) => this.positions(processed === true),
      checkpointed: (positions) => this.readers.forEach((reader, index) => reader?.checkpointed(positions.seqs[index] ?? reader.initialSeq)),
      stop: () => this.readers.forEach((reader) => reader?.stop()),
      onPartlyProcessed: (nowUs, records) => this.meter.processed(nowUs, 0, this.app.settings.checkpoints?.exactlyOnce ? 0 : records),
      resume: (positions) => this.readers.forEach((reader, index) => reader?.restartFrom(positions?.seqs[index], positions?.maxEventUs[index])),
    });
    this.parentOrder = new ParentOrder(stream, this.readers);
    this.keyGroups = keyGroupLogs.of(this.app.router.maxParallelism);
    this.keyGroupReader = this.keyGroups.join();
    if (this.app.sessions !== null) {
      stream.watchKeys({
        watches: () => true,
        written: (shardIndex: number, seq: number, keyIndex: number, keys: KeySpace) => {
          (this.slotStores[shardIndex] ??= new KeySlotStore(seq)).append(seq, this.app.sessionSlotOf(keys, keyIndex));
        },
      });
    }
  }

  get name(): string {
    return this.spec.name;
  }

  start(): void {
    for (const shard of this.stream.shards) this.onShardCreated(shard);
    this.app.start();
  }

  /** Where each shard's reader stands: after the last batch it handed on (a shard without a reader: nowhere yet). */
  private positions(processed: boolean): SourcePositions {
    const seqs: number[] = [];
    const maxEventUs: number[] = [];
    this.readers.forEach((reader, index) => {
      seqs[index] = reader === undefined ? -1 : processed ? reader.processedSeq : reader.handedOnSeq;
      maxEventUs[index] = reader === undefined ? -Infinity : reader.maxEventUs;
    });
    return { seqs, maxEventUs };
  }

  /** flink-restart: the job restarts from its last completed checkpoint. */
  restart(): void {
    this.app.restart("timeline");
  }

  onShardCreated(shard: Shard): void {
    this.readers[shard.index] ??= new FlinkShardReader(this.sim, shard, this, this.seriesOptions);
    this.parentOrder.startIfReady(shard);
  }

  onShardFinished(reader: FlinkShardReader): void {
    this.parentOrder.finished(reader);
  }

  storeOf(shard: Shard): SubtaskStore {
    return this.keyGroups.storeOf(shard);
  }

  dropBefore(shard: Shard, seq: number): void {
    this.keyGroups.dropBefore(this.keyGroupReader, shard.index, seq);
    this.keySlotsOf(shard)?.dropBefore(seq);
  }

  keySlotsOf(shard: Shard): KeySlotStore | null {
    if (this.app.sessions === null) return null;
    this.slotStores[shard.index] ??= new KeySlotStore(shard.log.tailSeq);
    return this.slotStores[shard.index]!;
  }

  /** Never reached: the scenario check refuses consumer-crash on an application (restarts are not modelled yet). */
  crash(): void {}

  onBatchDone(nowUs: number, fresh: number, repeated: number): void {
    if (repeated > 0) this.app.reprocessed(repeated);
    this.meter.processed(nowUs, fresh, this.app.settings.checkpoints?.exactlyOnce ? 0 : repeated);
  }

  onReadCall(): void {
    this.meter.readCalled();
  }

  onReadThrottle(): void {
    this.meter.readThrottled();
  }

  onRead(nowUs: number, bytes: number): void {
    if (this.meter.afterWarmup(nowUs)) this.bytesReadAfterWarmup += bytes;
  }

  onExpired(records: number): void {
    this.expired += records;
  }

  onLate(records: number): void {
    if (this.app.windowMeter !== null) this.app.windowMeter.lateRecords += records;
  }

  /** The source's watermark: per shard being read, its largest event time less the bound and 1 ms; the smallest of them (a shard not read yet holds it back). */
  watermarkUs(): number {
    const windowing = this.windowing;
    if (windowing === null) return -Infinity;
    let watermarkUs = Infinity;
    for (const reader of this.readers) {
      if (reader === undefined || reader.state === "blocked" || reader.state === "finished") continue;
      watermarkUs = Math.min(watermarkUs, reader.maxEventUs - windowing.settings.outOfOrdernessUs - 1000);
    }
    return watermarkUs === Infinity ? -Infinity : watermarkUs;
  }

  neededFrom(shard: Shard): number {
    return this.readers[shard.index]?.neededFrom() ?? 0;
  }

  sampleLag(nowUs: number): void {
    let oldestCreateUs = Infinity;
    for (const reader of this.readers) if (reader !== undefined) oldestCreateUs = Math.min(oldestCreateUs, reader.oldestUnprocessedCreateUs());
    this.meter.sampleLag(nowUs, oldestCreateUs === Infinity ? 0 : Math.max(0, nowUs - oldestCreateUs));
  }

  /** The largest iterator age of its readers at the last sample (microseconds): what an alarm on the stream reads. */
  iteratorAgeUs = 0;

  sampleIteratorAge(nowUs: number): void {
    let iteratorAgeUs = 0;
    for (const reader of this.readers) if (reader !== undefined && reader.state !== "finished" && reader.state !== "blocked") iteratorAgeUs = Math.max(iteratorAgeUs, reader.iteratorAgeUs);
    this.iteratorAgeUs = iteratorAgeUs;
    this.meter.sampleNative(nowUs, iteratorAgeUs);
  }

  result(): ConsumerResult {
    let inFlight = 0;
    let unread = 0;
    let expired = this.expired;
    const nativePerPartition = [];
    for (const reader of this.readers) {
      if (reader === undefined) continue;
      inFlight += reader.inFlight();
      unread += reader.unread();
      expired += reader.expiredUncounted();
      nativePerPartition.push({ id: reader.shard.id, series: reader.iteratorAge });
    }
    const source = this.spec.efo ? "Kinesis, enhanced fan-out" : "Kinesis, GetRecords polling";
    return this.meter.result(
      { unread, inFlight, expired, deadLettered: 0, lost: 0 },
      { nativePerPartition, flink: flinkStats(this.app, source, this.keyCounts(), this.times) },
    );
  }
}
