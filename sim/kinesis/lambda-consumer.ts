// A Lambda function behind a Kinesis event source mapping (docs/reference.md §6.2): one reader per shard,
// started once the shard's parents are read to their end, polled once a simulated second; the
// function's executions come from the system's account pool. Measures through the shared consumer
// meter, and IteratorAge per shard as CloudWatch reports it for a mapping.

import type { RandomStreams, Simulation } from "../engine/index.ts";
import { AccountPool, isPoisonKey, LambdaFunction, lambdaConsumerStats, PoisonMarks } from "../lambda/index.ts";
import { ConsumerMeter, type ConsumerResult, type SeriesOptions } from "../metrics/index.ts";
import type { LambdaKinesisConsumerSpec } from "../scenario/lambda-schema.ts";
import { LatencySampler } from "../workload/index.ts";
import type { KeySpace } from "../workload/index.ts";
import { laneOfKey, WrittenLanes } from "./lambda-key-lanes.ts";
import { LambdaShardWorker, type LambdaReaderSettings, type LambdaWorkerOwner } from "./lambda-worker.ts";
import type { Shard } from "./shard.ts";
import type { KinesisStream } from "./stream.ts";
import { ParentOrder } from "./parent-order.ts";

const secondUs = 1_000_000;
/** A throttled invocation is tried again after a second (AWS publishes no figure: an estimate, docs/reference.md §6.2). */
const throttleRetryUs = secondUs;

export class LambdaKinesisConsumer implements LambdaWorkerOwner {
  expired = 0;
  sentToDestination = 0;
  discarded = 0;
  bytesReadAfterWarmup = 0;
  readonly settings: LambdaReaderSettings;
  readonly fn: LambdaFunction;
  readonly meter: ConsumerMeter;
  readonly workers: Array<LambdaShardWorker | undefined> = [];
  /** Each shard's poison records, by shard index (records of poison keys are marked as they are written). */
  private readonly poison: PoisonMarks[] = [];
  private readonly parentOrder: ParentOrder<LambdaShardWorker>;
  /** With parallelizationFactor > 1: each shard's lanes of records written and not yet read, by shard index. */
  private readonly writtenLanes: WrittenLanes[] = [];
  /** The lane of each key index, per producer key space (-1: not yet hashed); null for open-ended key spaces. */
  private readonly laneOfIndex = new Map<KeySpace, Int8Array | null>();
  /** The key space of the last record written, and its lanes (most writes come from one producer). */
  private lastKeys: KeySpace | null = null;
  private lastLanes: Int8Array | null = null;

  constructor(
    readonly spec: LambdaKinesisConsumerSpec,
    private readonly sim: Simulation,
    private readonly stream: KinesisStream,
    private readonly pool: AccountPool,
    private readonly streams: RandomStreams,
    prefix: string,
    private readonly seriesOptions: SeriesOptions,
    private readonly endUs: number,
    warmupUs: number,
  ) {
    this.parentOrder = new ParentOrder(stream, this.workers);
    this.settings = {
      batchSize: spec.batchSize,
      batchingWindowUs: spec.maximumBatchingWindow,
      maximumRetryAttempts: spec.maximumRetryAttempts,
      maximumRecordAgeUs: spec.maximumRecordAge === -1 ? Infinity : spec.maximumRecordAge,
      bisect: spec.bisectBatchOnFunctionError,
      reportBatchItemFailures: spec.reportBatchItemFailures,
      onFailureDestination: spec.onFailureDestination,
      throttleRetryUs,
      efo: spec.efo,
      parallelizationFactor: spec.parallelizationFactor,
      delay: new LatencySampler(spec.latency, streams.stream(`${prefix}/delay`)),
      warmupUs,
    };
    const draws = { duration: streams.stream(`${prefix}/function/duration`), errors: streams.stream(`${prefix}/function/errors`) };
    this.fn = new LambdaFunction(spec.name, spec.function, pool, draws, seriesOptions, warmupUs);
    this.meter = new ConsumerMeter({ name: spec.name, type: "lambda", seriesOptions, warmupUs, native: { name: "iteratorAgeMs", unit: "ms", pushed: spec.efo } });
    const poisonKeys = spec.function.errors.poisonKeys;
    if (poisonKeys > 0) {
      stream.watchKeys({
        watches: (keyIndex) => isPoisonKey(keyIndex, poisonKeys),
        written: (shardIndex, seq) => this.poisonOf(stream.shards[shardIndex]).mark(seq),
      });
    }
    // Lambda keeps each key's records in order (docs/reference.md §6.2): with more than one lane per
    // shard, a record's lane is its key's, learnt as it is written.
    if (spec.parallelizationFactor > 1) {
      stream.watchKeys({
        watches: () => true,
        written: (shardIndex, seq, keyIndex, keys) => this.writtenLanesOf(shardIndex).written(seq, this.laneOf(keyIndex, keys)),
      });
    }
  }

  private writtenLanesOf(shardIndex: number): WrittenLanes {
    this.writtenLanes[shardIndex] ??= new WrittenLanes();
    return this.writtenLanes[shardIndex];
  }

  /** The lane of a key, hashed once per distinct key of a finite key space. */
  private laneOf(keyIndex: number, keys: KeySpace): number {
    if (keys !== this.lastKeys) {
      let cache = this.laneOfIndex.get(keys);
      if (cache === undefined) {
        cache = Number.isFinite(keys.cardinality) ? new Int8Array(keys.cardinality).fill(-1) : null;
        this.laneOfIndex.set(keys, cache);
      }
      this.lastKeys = keys;
      this.lastLanes = cache;
    }
    const cache = this.lastLanes;
    if (cache === null) return laneOfKey(keys.keyAt(keyIndex), this.spec.parallelizationFactor);
    let lane = cache[keyIndex];
    if (lane < 0) {
      lane = laneOfKey(keys.keyAt(keyIndex), this.spec.parallelizationFactor);
      cache[keyIndex] = lane;
    }
    return lane;
  }

  /**
   * A shard's poison records: drawn from a stream of its own, named without the system, so two systems
   * of a scenario meet the same poison records (common random numbers) and resharding one shard does
   * not move them on the others; records of poison keys are marked as they are written.
   */
  private poisonOf(shard: Shard): PoisonMarks {
    this.poison[shard.index] ??= new PoisonMarks(this.spec.function.errors.poisonRecords, this.streams.stream(`lambda/${this.spec.name}/poison/${shard.id}`));
    return this.poison[shard.index];
  }

  get name(): string {
    return this.spec.name;
  }

  start(): void {
    for (const shard of this.stream.shards) this.onShardCreated(shard);
    // Standard iterators poll each shard once a second (docs/reference.md §6.2); pushes need no poll.
    if (!this.spec.efo) {
      this.sim.every(secondUs, this.endUs, () => {
        for (const worker of this.workers) worker?.poll();
      });
    }
  }

  onShardCreated(shard: Shard): void {
    const written = this.spec.parallelizationFactor > 1 ? this.writtenLanesOf(shard.index) : null;
    this.workers[shard.index] ??= new LambdaShardWorker(this.sim, shard, this, this.poisonOf(shard), this.seriesOptions, written);
    this.parentOrder.startIfReady(shard);
  }

  onShardFinished(worker: LambdaShardWorker): void {
    this.parentOrder.finished(worker);
  }

  /** A mapping has no process to crash: the timeline's consumer-crash does nothing to it. */
  crash(): void {}

  onProcessed(nowUs: number, firstTime: number, repeated: number): void {
    this.meter.processed(nowUs, firstTime, repeated);
  }

  onLatency(latencyUs: number, count: number): void {
    this.meter.endToEnd(latencyUs, count);
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

  onGivenUp(records: number): void {
    if (this.spec.onFailureDestination) this.sentToDestination += records;
    else this.discarded += records;
  }

  neededFrom(shard: Shard): number {
    const worker = this.workers[shard.index];
    if (worker === undefined) return 0;
    worker.trim();
    return worker.neededFrom();
  }

  sampleLag(nowUs: number): void {
    let oldestCreateUs = Infinity;
    for (const worker of this.workers) if (worker !== undefined) oldestCreateUs = Math.min(oldestCreateUs, worker.oldestUnprocessedCreateUs());
    this.meter.sampleLag(nowUs, oldestCreateUs === Infinity ? 0 : Math.max(0, nowUs - oldestCreateUs));
  }

  /** The largest iterator age of its readers at the last sample (microseconds): what an alarm on the stream reads. */
  iteratorAgeUs = 0;

  sampleIteratorAge(nowUs: number): void {
    let iteratorAgeUs = 0;
    for (const worker of this.workers) if (worker !== undefined && worker.state === "running") iteratorAgeUs = Math.max(iteratorAgeUs, worker.iteratorAgeUs);
    this.iteratorAgeUs = iteratorAgeUs;
    this.meter.sampleNative(nowUs, iteratorAgeUs);
  }

  result(): ConsumerResult {
    let inFlight = 0;
    let unread = 0;
    let expired = this.expired;
    let retries = 0;
    let bisections = 0;
    let longestBlockedUs = 0;
    let longestBlockedShard = "";
    const nativePerPartition = [];
    const keyLanes: Array<{ shard: string; records: number[] }> = [];
    for (const worker of this.workers) {
      if (worker === undefined) continue;
      if (worker.keyLanes !== null) keyLanes.push({ shard: worker.shard.id, records: worker.keyLanes.map((lane) => lane.processedRecords) });
      inFlight += worker.inFlight();
      unread += worker.unread();
      expired += worker.expiredUncounted();
      for (const lane of worker.lanes) {
        retries += lane.retries;
        bisections += lane.bisections;
      }
      const stuckUs = worker.longestStuckUs(this.endUs);
      if (stuckUs > longestBlockedUs) {
        longestBlockedUs = stuckUs;
        longestBlockedShard = worker.shard.id;
      }
      nativePerPartition.push({ id: worker.shard.id, series: worker.iteratorAge });
    }
    const fn = this.fn;
    this.fn.concurrency.finish(this.endUs);
    return this.meter.result(
      { unread, inFlight, expired, deadLettered: this.sentToDestination, lost: this.discarded },
      {
        nativePerPartition,
        lambda: lambdaConsumerStats(fn, this.pool, this.endUs, {
          batchSize: this.spec.batchSize,
          parallelizationFactor: this.spec.parallelizationFactor,
          partitions: nativePerPartition.length,
          retries,
          bisections,
          recordsSentToDestination: this.sentToDestination,
          recordsDiscarded: this.discarded,
          longestBlockedUs,
          longestBlockedShard,
          maximumRetryAttempts: this.spec.maximumRetryAttempts,
          bisect: this.spec.bisectBatchOnFunctionError,
          maximumRecordAgeUs: this.settings.maximumRecordAgeUs,
          onFailureDestination: this.spec.onFailureDestination,
          ...(this.spec.parallelizationFactor > 1 ? { keyLanes } : {}),
        }),
      },
    );
  }
}
