// A Lambda function behind a Kafka event source mapping (docs/reference.md §6.6): a consumer group of its
// own whose event pollers fetch the topic's partitions and invoke the function, one batch per partition
// at a time (order per partition). Each poller runs up to 5 invocations at once and takes in up to
// 5 MB/s. On demand, Lambda starts with one poller, looks at the offset lag every minute and adds or
// removes pollers within three minutes, and removes one when the function is throttled; provisioned,
// the pollers stay between minimumPollers and maximumPollers (at most one per partition) and are billed.
// Measures through the shared consumer meter, and OffsetLag per partition as CloudWatch reports it.

import { Deque, type RandomStreams, type Simulation } from "../engine/index.ts";
import { AccountPool, LambdaFunction, lambdaConsumerStats, PoisonMarks } from "../lambda/index.ts";
import { ConsumerMeter, GaugeSeries, type ConsumerResult, type SeriesOptions } from "../metrics/index.ts";
import type { LambdaKafkaConsumerSpec } from "../scenario/lambda-schema.ts";
import { LatencySampler } from "../workload/index.ts";
import type { Broker } from "./broker.ts";
import { LambdaPartitionReader, type LambdaKafkaSettings, type LambdaPartitionOwner } from "./lambda-reader.ts";
import type { Partition, Truncation } from "./partition.ts";
import { pollerBytesPerSecond, pollerInvocationsMax, pollerScaleDelayUs, pollerScaleIntervalUs, retriesWithDestination } from "./lambda-limits.ts";

/** A throttled invocation is tried again after a second (AWS publishes no figure: an estimate, docs/reference.md §6.2). */
const throttleRetryUs = 1_000_000;

export class LambdaKafkaConsumer implements LambdaPartitionOwner {
  sentToDestination = 0;
  discarded = 0;
  bytesReadAfterWarmup = 0;
  readonly settings: LambdaKafkaSettings;
  readonly fn: LambdaFunction;
  readonly meter: ConsumerMeter;
  readonly readers: LambdaPartitionReader[] = [];
  /** Event pollers running, over time; and the poller-seconds after warm-up (what provisioned mode bills). */
  pollers: number;
  readonly pollerSeries: GaugeSeries;
  peakPollers: number;
  peakPollersAtUs = 0;
  private pollerUsAfterWarmup = 0;
  private pollersChangedUs = 0;
  /** Pollers asked for and not yet running (on demand, a change takes effect some time after the evaluation). */
  private pendingPollers = 0;
  /** Invocation slots in use (one per partition with a batch in flight), and readers waiting for one. */
  private slotsInUse = 0;
  private readonly waiting = new Deque<LambdaPartitionReader>();
  /** Since the last scaling evaluation: a batch waited for a slot; invocations were throttled. */
  private waitedForSlot = false;
  /** The most slots in use at once since the last evaluation. */
  private slotsPeak = 0;
  private throttlesSeen = 0;
  /** When the pollers' shared throughput is next free. */
  private pollerBusyUntilUs = 0;
  private readonly warmupUs: number;

  constructor(
    readonly spec: LambdaKafkaConsumerSpec,
    private readonly sim: Simulation,
    private readonly partitions: Partition[],
    readonly brokers: Broker[],
    private readonly pool: AccountPool,
    private readonly streams: RandomStreams,
    prefix: string,
    private readonly seriesOptions: SeriesOptions,
    private readonly endUs: number,
    warmupUs: number,
  ) {
    this.warmupUs = warmupUs;
    // With infinite retries and an on-failure destination, Lambda retries at most 10 times (docs/reference.md §6.6).
    const retries = spec.maximumRetryAttempts === -1 && spec.onFailureDestination ? retriesWithDestination : spec.maximumRetryAttempts;
    this.settings = {
      batchSize: spec.batchSize,
      batchingWindowUs: spec.maximumBatchingWindow,
      maximumRetryAttempts: retries,
      maximumRecordAgeUs: spec.maximumRecordAge === -1 ? Infinity : spec.maximumRecordAge,
      bisect: spec.bisectBatchOnFunctionError,
      reportBatchItemFailures: spec.reportBatchItemFailures,
      onFailureDestination: spec.onFailureDestination,
      throttleRetryUs,
      roundTrip: new LatencySampler(spec.latency, streams.stream(`${prefix}/fetch-latency`)),
      warmupUs,
      endUs,
    };
    const draws = { duration: streams.stream(`${prefix}/function/duration`), errors: streams.stream(`${prefix}/function/errors`) };
    this.fn = new LambdaFunction(spec.name, spec.function, pool, draws, seriesOptions, warmupUs);
    this.meter = new ConsumerMeter({ name: spec.name, type: "lambda", seriesOptions, warmupUs, native: { name: "recordsLag", unit: "records" } });
    this.pollers = spec.pollers.mode === "provisioned" ? Math.min(spec.pollers.minimumPollers, this.pollersMax) : 1;
    this.peakPollers = this.pollers;
    this.pollerSeries = new GaugeSeries(seriesOptions);
    this.pollerSeries.set(0, this.pollers);
    for (const partition of partitions) this.addReader(partition);
  }

  get name(): string {
    return this.spec.name;
  }

  /** One poller per partition at most (order per partition); provisioned, maximumPollers too; on demand, enough for an invocation per partition. */
  private get pollersMax(): number {
    const perPartition = this.spec.pollers.mode === "provisioned" ? this.partitions.length : Math.ceil(this.partitions.length / pollerInvocationsMax);
    return Math.max(1, this.spec.pollers.mode === "provisioned" ? Math.min(this.spec.pollers.maximumPollers, perPartition) : perPartition);
  }

  private get pollersMin(): number {
    return this.spec.pollers.mode === "provisioned" ? Math.min(this.spec.pollers.minimumPollers, this.pollersMax) : 1;
  }

  /** Concurrent invocations the pollers run: 5 each, and never more than one per partition. */
  private get slotsMax(): number {
    return Math.min(this.partitions.length, this.pollers * pollerInvocationsMax);
  }

  private addReader(partition: Partition): void {
    const poison = new PoisonMarks(this.spec.function.errors.poisonRecords, this.streams.stream(`lambda/${this.spec.name}/poison/${partition.id}`));
    const reader = new LambdaPartitionReader(this.sim, partition, this, poison, this.seriesOptions);
    this.readers.push(reader);
    partition.listeners.push(() => reader.poll());
  }

  start(): void {
    for (const reader of this.readers) reader.poll();
    this.sim.every(pollerScaleIntervalUs, this.endUs, () => this.evaluateScaling());
  }

  /** add-partitions: the mapping's consumer group is assigned the new partitions. */
  partitionsAdded(): void {
    for (let index = this.readers.length; index < this.partitions.length; index++) {
      this.addReader(this.partitions[index]);
      this.readers[index].poll();
    }
  }

  /** A mapping has no process to crash: the timeline's consumer-crash does nothing to it. */
  crash(): void {}

  truncated(partition: Partition, truncation: Truncation): void {
    this.readers[partition.index]?.truncated(truncation);
  }

  // ---- pollers: throughput, invocation slots, scaling ----

  pollerReadUs(nowUs: number, bytes: number): number {
    const doneUs = Math.max(nowUs, this.pollerBusyUntilUs) + (bytes * 1e6) / (this.pollers * pollerBytesPerSecond);
    this.pollerBusyUntilUs = doneUs;
    return doneUs;
  }

  tryAcquireSlot(reader: LambdaPartitionReader): boolean {
    if (this.slotsInUse < this.slotsMax) {
      this.slotsInUse++;
      if (this.slotsInUse > this.slotsPeak) this.slotsPeak = this.slotsInUse;
      return true;
    }
    this.waitedForSlot = true;
    if (!reader.waitingSlot) {
      reader.waitingSlot = true;
      this.waiting.push(reader);
    }
    return false;
  }

  releaseSlot(): void {
    this.slotsInUse--;
    this.serveWaiting();
  }

  /** Freed slots go to the readers that waited longest. */
  private serveWaiting(): void {
    while (this.slotsInUse < this.slotsMax && this.waiting.length > 0) {
      const reader = this.waiting.shift()!;
      reader.waitingSlot = false;
      reader.dispatch();
    }
  }

  /**
   * Every minute (docs/reference.md §6.6): pollers are added while batches wait for the pollers'
   * invocations and the offset lag holds more than a batch, removed when the function was throttled
   * or a whole poller's invocations went unused all minute; on demand the change takes effect later.
   */
  private evaluateScaling(): void {
    const now = this.sim.nowUs;
    let lag = 0;
    for (const reader of this.readers) lag += Math.max(0, reader.partition.highWatermark(now) - reader.resolvedSeq);
    const throttled = this.fn.throttles > this.throttlesSeen;
    this.throttlesSeen = this.fn.throttles;
    const target = this.pollers + this.pendingPollers;
    let change = 0;
    if (throttled) change = -1;
    else if (this.waitedForSlot && lag > this.spec.batchSize) change = 1;
    else if (!this.waitedForSlot && this.slotsPeak <= this.slotsMax - pollerInvocationsMax && lag <= this.spec.batchSize) change = -1;
    this.waitedForSlot = false;
    this.slotsPeak = this.slotsInUse;
    const next = Math.min(this.pollersMax, Math.max(this.pollersMin, target + change));
    if (next === target) return;
    this.pendingPollers += next - target;
    const delayUs = this.spec.pollers.mode === "on-demand" ? pollerScaleDelayUs : 0;
    this.sim.after(delayUs, () => this.setPollers(next - target));
  }

  private setPollers(delta: number): void {
    const now = this.sim.nowUs;
    this.pendingPollers -= delta;
    if (now > this.warmupUs) this.pollerUsAfterWarmup += this.pollers * (now - Math.max(this.pollersChangedUs, this.warmupUs));
    this.pollersChangedUs = now;
    this.pollers += delta;
    if (this.pollers > this.peakPollers) {
      this.peakPollers = this.pollers;
      this.peakPollersAtUs = now;
    }
    this.pollerSeries.set(now, this.pollers);
    this.serveWaiting();
  }

  /** Poller-seconds from the end of warm-up to the end of the run. */
  pollerSecondsAfterWarmup(): number {
    const tailUs = Math.max(0, this.endUs - Math.max(this.pollersChangedUs, this.warmupUs));
    return (this.pollerUsAfterWarmup + this.pollers * tailUs) / 1e6;
  }

  // ---- what readers report ----

  onProcessed(nowUs: number, firstTime: number, repeated: number): void {
    this.meter.processed(nowUs, firstTime, repeated);
  }

  onLatency(latencyUs: number, count: number): void {
    this.meter.endToEnd(latencyUs, count);
  }

  onRead(nowUs: number, bytes: number): void {
    if (this.meter.afterWarmup(nowUs)) this.bytesReadAfterWarmup += bytes;
  }

  onGivenUp(records: number): void {
    if (this.spec.onFailureDestination) this.sentToDestination += records;
    else this.discarded += records;
  }

  // ---- upkeep and the run's end ----

  neededFrom(partition: Partition): number {
    const reader = this.readers[partition.index];
    if (reader === undefined) return partition.log.tailSeq;
    reader.trim();
    return reader.neededFrom();
  }

  sampleLag(nowUs: number): void {
    let oldestCreateUs = Infinity;
    for (const reader of this.readers) oldestCreateUs = Math.min(oldestCreateUs, reader.oldestUnresolvedCreateUs());
    this.meter.sampleLag(nowUs, oldestCreateUs === Infinity ? 0 : Math.max(0, nowUs - oldestCreateUs));
  }

  /**
   * OffsetLag each simulated second: per partition, and at the topic level, as Lambda publishes it
   * ("measures the offset lag at the topic level", docs/reference.md §6.6): summed over the partitions.
   */
  sampleRecordsLag(nowUs: number): void {
    let lagTotal = 0;
    for (const reader of this.readers) lagTotal += reader.sampleOffsetLag(nowUs);
    this.meter.sampleNative(nowUs, lagTotal);
  }

  result(): ConsumerResult {
    let inFlight = 0;
    let unread = 0;
    let expired = 0;
    let lost = this.discarded;
    let retries = 0;
    let bisections = 0;
    let longestBlockedUs = 0;
    let longestBlockedShard = "";
    for (const reader of this.readers) {
      inFlight += reader.inFlight();
      unread += reader.unread();
      expired += reader.expired();
      lost += reader.partition.lostRecords + reader.uncleanLost;
      retries += reader.lane.retries;
      bisections += reader.lane.bisections;
      const stuckUs = Math.max(reader.lane.longestStuckUs, reader.lane.stuckUs(this.endUs));
      if (stuckUs > longestBlockedUs) {
        longestBlockedUs = stuckUs;
        longestBlockedShard = reader.partition.id;
      }
    }
    const fn = this.fn;
    fn.concurrency.finish(this.endUs);
    this.pollerSeries.finish(this.endUs);
    const nativePerPartition = this.readers.map((reader) => ({ id: reader.partition.id, series: reader.offsetLag }));
    return this.meter.result(
      { unread, inFlight, expired, deadLettered: this.sentToDestination, lost },
      {
        nativePerPartition,
        lambda: lambdaConsumerStats(fn, this.pool, this.endUs, {
          batchSize: this.spec.batchSize,
          parallelizationFactor: 1,
          partitions: this.readers.length,
          retries,
          bisections,
          recordsSentToDestination: this.sentToDestination,
          recordsDiscarded: this.discarded,
          longestBlockedUs,
          longestBlockedShard,
          maximumRetryAttempts: this.settings.maximumRetryAttempts,
          bisect: this.spec.bisectBatchOnFunctionError,
          maximumRecordAgeUs: this.settings.maximumRecordAgeUs,
          onFailureDestination: this.spec.onFailureDestination,
          pollers: {
            mode: this.spec.pollers.mode,
            final: this.pollers,
            peak: this.peakPollers,
            peakAtUs: this.peakPollersAtUs,
            series: this.pollerSeries,
            pollerSecondsAfterWarmup: this.pollerSecondsAfterWarmup(),
          },
        }),
      },
    );
  }
}
