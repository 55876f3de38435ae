// The Kinesis Data Streams model: build -> run (scheduled on the shared simulation) -> collect.

import { CounterSeries, LogHistogram, ProducerMeter, scheduleLagSamples, sumProducerCounts, type Finding, type KinesisResult, type KinesisSeries, type KinesisUsage, type LeaseTableUsage, type ModelContext, type SeriesOptions, type SystemModel } from "../metrics/index.ts";
import type { KinesisSystem, KinesisTimelineAction } from "../scenario/types.ts";
import { LatencySampler, RetryPolicy, type ProducerStream } from "../workload/index.ts";
import { AccountPool } from "../lambda/index.ts";
import { KinesisConsumer } from "./consumer.ts";
import { FlinkKinesisConsumer } from "./flink-consumer.ts";
import { FlinkKeyGroupLogs } from "./flink-key-groups.ts";
import { LambdaKinesisConsumer } from "./lambda-consumer.ts";
import { FirehoseKinesisConsumer } from "./firehose-consumer.ts";
import { kinesisFindings } from "./findings.ts";
import { evenHashRanges, parseExplicitHashKey } from "./hash.ts";
import {
  onDemandHotShardBytesPerSecond,
  onDemandHotShardRecordsPerSecond,
  onDemandInitialShards,
  onDemandMaxShards,
  onDemandPeakMultiple,
  shardWriteBytesPerSecond,
  shardWriteRecordsPerSecond,
} from "./limits.ts";
import { KinesisProducerClient } from "./producer.ts";
import { Resharder } from "./resharding.ts";
import { ShardAutoscaler } from "./autoscaler.ts";
import { partitionResults } from "./results.ts";
import { rangeKeyCounter } from "./split-keys.ts";
import { KinesisStream } from "./stream.ts";

const secondUs = 1_000_000;
/** User records one aggregating PutRecords call may carry (its 10 MiB bound is reached first). */
const aggregatedUserRecordsMax = 1_000_000;

export class KinesisModel implements SystemModel<KinesisTimelineAction, KinesisResult> {
  readonly stream: KinesisStream;
  readonly consumers: Array<KinesisConsumer | LambdaKinesisConsumer | FirehoseKinesisConsumer | FlinkKinesisConsumer>;
  /** The account the system's Lambda consumers run in (each system of a scenario has its own). */
  readonly lambdaAccount: AccountPool;
  readonly producers: KinesisProducerClient[];
  readonly resharder: Resharder;
  /** Null unless the stream has an autoscaling block (provisioned only). */
  readonly autoscaler: ShardAutoscaler | null;
  readonly producerLatency = new LogHistogram();
  private readonly callSeries: { calls: CounterSeries; latencyMs: CounterSeries };
  private readonly readThrottleSeries: CounterSeries;
  private readonly seriesOptions: SeriesOptions;
  private onDemandPeakBytesPerSecond: number;
  private readonly initialShards: number;
  private onDemandPeakRecordsPerSecond: number;
  private lastDemandBytes = 0;
  private lastDemandRecords = 0;
  /** The largest shard count on-demand scaling has been asked for so far. */
  private onDemandTarget = 0;
  private readonly lastShardBytes: number[] = [];
  private readonly lastShardRecords: number[] = [];
  private readonly hotSplitPending = new Set<number>();

  constructor(
    readonly system: KinesisSystem,
    workloads: ProducerStream[],
    private readonly context: ModelContext,
  ) {
    const { sim, streams } = context;
    const prefix = `kinesis/${system.name}`;
    this.seriesOptions = { intervalUs: context.reportIntervalUs, endUs: context.durationUs };
    // Runs group a request's records on a shard while their creation times stay within the linger.
    const runSpanUs = Math.max(system.producer.batch.linger, 1000);
    this.readThrottleSeries = new CounterSeries(this.seriesOptions);
    this.stream = new KinesisStream({ maxRecordBytes: system.maxRecordSize, seriesOptions: this.seriesOptions, runSpanUs, warmupUs: context.warmupUs });
    this.onDemandPeakBytesPerSecond = system.capacity.mode === "on-demand" ? (system.capacity.previousPeakWrite ?? 0) : 0;
    this.onDemandPeakRecordsPerSecond = system.capacity.mode === "on-demand" ? (system.capacity.previousPeakRecords ?? 0) : 0;
    this.initialShards = this.initialShardCount();
    for (const range of evenHashRanges(this.initialShards)) this.stream.addShard(range, [], 0);
    this.stream.reroute();
    this.lambdaAccount = new AccountPool(system.lambdaAccount.concurrencyLimit);
    const flinkKeyGroups = new FlinkKeyGroupLogs(this.stream);
    this.consumers = system.consumers.map((consumer) => {
      if (consumer.type === "lambda") {
        const name = `${prefix}/consumer/${consumer.name}`;
        return new LambdaKinesisConsumer(consumer, sim, this.stream, this.lambdaAccount, streams, name, this.seriesOptions, context.durationUs, context.warmupUs);
      }
      if (consumer.type === "firehose") {
        return new FirehoseKinesisConsumer(consumer, sim, this.stream, streams, `${prefix}/consumer/${consumer.name}`, this.seriesOptions, context.warmupUs, this.readThrottleSeries);
      }
      if (consumer.type === "flink") {
        const times = { warmupUs: context.warmupUs, endUs: context.durationUs };
        const flink = new FlinkKinesisConsumer(consumer, sim, this.stream, streams, `${prefix}/consumer/${consumer.name}`, this.seriesOptions, times, flinkKeyGroups);
        flink.keyCounts = () => this.producers.map((producer) => ({ keys: producer.routes.keys, counts: producer.routesByRandomHash ? null : producer.offeredPerKey, offered: producer.counts.produced }));
        return flink;
      }
      const delay = consumer.type === "polling" ? consumer.latency : consumer.propagation;
      const settings = {
        type: consumer.type,
        pollIntervalUs: consumer.type === "polling" ? consumer.pollInterval : 0,
        maxRecords: consumer.type === "polling" ? consumer.maxRecords : 10_000,
        delay: new LatencySampler(delay, streams.stream(`${prefix}/consumer/${consumer.name}/delay`)),
        retryU: streams.stream(`${prefix}/consumer/${consumer.name}/retry`),
        perRecordUs: consumer.processing.perRecord,
        perBatchUs: consumer.processing.perBatch,
        checkpointIntervalUs: consumer.checkpointInterval,
        warmupUs: context.warmupUs,
        leaseTable: { ...consumer.leaseTable, failoverTimeUs: consumer.leaseTable.failoverTime, checkpointIntervalUs: consumer.checkpointInterval, workers: consumer.leaseTable.workers ?? null, warmupUs: context.warmupUs },
      };
      return new KinesisConsumer(consumer.name, settings, sim, this.stream, this.seriesOptions, consumer.leaseFailover, this.readThrottleSeries);
    });
    this.resharder = new Resharder(sim, this.stream, (shard) => {
      for (const consumer of this.consumers) consumer.onShardCreated(shard);
    });
    this.autoscaler =
      system.autoscaling === undefined
        ? null
        : new ShardAutoscaler(system.autoscaling, sim, this.stream, this.resharder, system.resharding.updateShardCountTime, this.iteratorAgeReader(system.autoscaling));
    const requestIds = { next: 0 };
    this.callSeries = { calls: new CounterSeries(this.seriesOptions), latencyMs: new CounterSeries(this.seriesOptions) };
    const producer = system.producer;
    this.producers = workloads.map((workload) => {
      const name = `${prefix}/producer/${workload.spec.name}`;
      return new KinesisProducerClient(
        sim,
        this.stream,
        workload,
        {
          // With aggregation, maxRecords bounds Kinesis records (aggregates), not user records: the batch
          // is bounded by bytes and linger, and the stream splits it into as many calls as its
          // aggregates need at 500 per call (KinesisStream.callsNeeded).
          batch: {
            maxRecords: producer.aggregation.enabled ? aggregatedUserRecordsMax : producer.batch.maxRecords,
            maxBytes: producer.batch.maxBytes,
            lingerUs: producer.batch.linger,
          },
          retry: new RetryPolicy({ maxAttempts: producer.retry.maxAttempts, baseDelayUs: producer.retry.baseDelay, maxDelayUs: producer.retry.maxDelay, jitter: producer.retry.jitter }),
          recordTtlUs: producer.retry.policy === "ttl" ? producer.retry.recordTtl : null,
          latency: new LatencySampler(producer.latency, streams.stream(`${name}/latency`)),
          retryJitter: streams.stream(`${name}/retry`),
          put: {
            randomHash: producer.explicitHashKey === "random" ? streams.stream(`${name}/explicit-hash-key`) : null,
            aggregationMaxBytes: producer.aggregation.enabled ? producer.aggregation.maxBytes : null,
            requestMaxBytes: producer.batch.maxBytes,
          },
        },
        this.producerLatency,
        requestIds,
        this.callSeries,
        new ProducerMeter(this.seriesOptions),
      );
    });
  }

  /**
   * The stream's GetRecords.IteratorAgeMilliseconds as the alarm reads it: the named consumer's, or the
   * largest of the consumers that read with GetRecords (enhanced fan-out readers do not report it).
   */
  private iteratorAgeReader(autoscaling: NonNullable<KinesisSystem["autoscaling"]>): () => number {
    if (autoscaling.metric !== "iterator-age") return () => 0;
    const polls = (spec: KinesisSystem["consumers"][number]): boolean => spec.type === "polling" || spec.type === "firehose" || ((spec.type === "lambda" || spec.type === "flink") && !spec.efo);
    const names = new Set(this.system.consumers.filter((spec) => (autoscaling.consumer === undefined ? polls(spec) : spec.name === autoscaling.consumer)).map((spec) => spec.name));
    const readers = this.consumers.filter((consumer) => names.has(consumer.name));
    return () => readers.reduce((max, consumer) => Math.max(max, consumer.iteratorAgeUs), 0);
  }

  /** Provisioned: the scenario's shards. On-demand: 4 shards, or enough for twice a stated previous peak (docs/reference.md §1.5). */
  private initialShardCount(): number {
    const capacity = this.system.capacity;
    if (capacity.mode === "provisioned") return capacity.shards;
    return Math.max(onDemandInitialShards, this.onDemandShardsNeeded());
  }

  /** Shards for twice the peak in bytes or in records, whichever is more, within the default maximum (docs/reference.md §1.5). */
  private onDemandShardsNeeded(): number {
    const forBytes = Math.ceil((onDemandPeakMultiple * this.onDemandPeakBytesPerSecond) / shardWriteBytesPerSecond);
    const forRecords = Math.ceil((onDemandPeakMultiple * this.onDemandPeakRecordsPerSecond) / shardWriteRecordsPerSecond);
    return Math.min(onDemandMaxShards, Math.max(forBytes, forRecords));
  }

  /** Schedules producers, consumers, the timeline and the per-second upkeep. */
  start(timeline: readonly KinesisTimelineAction[]): void {
    const { sim } = this.context;
    for (const producer of this.producers) producer.start();
    for (const consumer of this.consumers) consumer.start();
    for (const action of timeline) {
      if (action.at <= this.context.durationUs) sim.at(action.at, () => this.apply(action));
    }
    sim.every(secondUs, this.context.durationUs, () => this.upkeep());
    scheduleLagSamples(sim, this.context.durationUs, () => {
      for (const consumer of this.consumers) consumer.sampleLag(sim.nowUs);
    });
  }

  private apply(action: KinesisTimelineAction): void {
    const resharding = this.system.resharding;
    switch (action.action) {
      case "update-shard-count":
        this.resharder.updateShardCount(action.shards, resharding.updateShardCountTime);
        return;
      case "split-shard": {
        const key = action.newStartingHashKey === undefined ? undefined : (parseExplicitHashKey(action.newStartingHashKey) ?? undefined);
        return this.resharder.splitShard(action.shard, key, resharding.splitMergeTime);
      }
      case "merge-shards":
        return this.resharder.mergeShards(action.shards[0], action.shards[1], resharding.splitMergeTime);
      case "consumer-crash": {
        const consumer = this.consumers.find((candidate) => candidate.name === action.consumer);
        return consumer?.crash();
      }
      case "flink-restart": {
        const consumer = this.consumers.find((candidate) => candidate.name === action.application);
        return consumer instanceof FlinkKinesisConsumer ? consumer.restart() : undefined;
      }
    }
  }

  /** Every simulated second: iterator ages, retention, on-demand scaling, and trimming what no reader needs. */
  private upkeep(): void {
    const now = this.context.sim.nowUs;
    for (const consumer of this.consumers) consumer.sampleIteratorAge(now);
    this.expire(now);
    if (this.system.capacity.mode === "on-demand") this.scaleOnDemand(now);
    this.autoscaler?.tick(now);
    this.trim();
  }

  /** Moves each shard's retention frontier past the runs older than the retention period. */
  private expire(nowUs: number): void {
    const horizonUs = nowUs - this.system.retention;
    if (horizonUs <= 0) return;
    for (const shard of this.stream.shards) shard.expire(horizonUs);
  }

  private trim(): void {
    for (const shard of this.stream.shards) {
      let neededSeq = Infinity;
      for (const consumer of this.consumers) neededSeq = Math.min(neededSeq, consumer.neededFrom(shard));
      shard.log.dropBefore(neededSeq);
    }
  }

  /**
   * On-demand capacity follows twice the peak per-second write demand, in bytes and in records: when
   * demand passes it, the stream re-spreads over enough shards within the scale time; a shard that
   * alone takes more than 500 KB/s or 500 records/s is split (docs/reference.md §1.5).
   */
  private scaleOnDemand(nowUs: number): void {
    const { demandBytesTotal, demandRecordsTotal } = this.stream;
    this.onDemandPeakBytesPerSecond = Math.max(this.onDemandPeakBytesPerSecond, demandBytesTotal - this.lastDemandBytes);
    this.onDemandPeakRecordsPerSecond = Math.max(this.onDemandPeakRecordsPerSecond, demandRecordsTotal - this.lastDemandRecords);
    this.lastDemandBytes = demandBytesTotal;
    this.lastDemandRecords = demandRecordsTotal;
    // The scale time counts from the first second the demand passes twice the peak, so traffic is
    // throttled for at most the scale time ("up to 15 minutes" [K-FAQ]); busy shards are judged on a
    // minute's average.
    const open = this.stream.openShards;
    const needed = this.onDemandShardsNeeded();
    if (needed > Math.max(open.length, this.onDemandTarget)) {
      this.onDemandTarget = needed;
      return this.resharder.scaleOnDemand(needed, this.system.resharding.onDemandScaleTime);
    }
    if (nowUs % (60 * secondUs) !== 0) return;
    if (this.resharder.isUpdating) return;
    for (const shard of open) {
      // The service meters Kinesis records: with KPL aggregation, the aggregates, not the user records.
      const bytesPerSecond = (shard.incomingBytes - (this.lastShardBytes[shard.index] ?? 0)) / 60;
      const recordsPerSecond = (shard.incomingRecords - (this.lastShardRecords[shard.index] ?? 0)) / 60;
      this.lastShardBytes[shard.index] = shard.incomingBytes;
      this.lastShardRecords[shard.index] = shard.incomingRecords;
      const busy = bytesPerSecond > onDemandHotShardBytesPerSecond || recordsPerSecond > onDemandHotShardRecordsPerSecond;
      if (busy && !this.hotSplitPending.has(shard.index)) {
        this.hotSplitPending.add(shard.index);
        this.resharder.splitOnDemand(shard, this.system.resharding.onDemandScaleTime);
      }
    }
  }

  collect(): KinesisResult {
    const endUs = this.context.durationUs;
    for (const producer of this.producers) producer.settle(endUs);
    const counts = sumProducerCounts(this.producers.map((producer) => producer.counts));
    const pending = this.producers.reduce((sum, producer) => sum + producer.pendingRecords(), 0);
    const partitions = partitionResults(this.stream, this.producers, endUs);
    const consumers = this.consumers.map((consumer) => (consumer instanceof FirehoseKinesisConsumer ? consumer.result(this.pollingReadersBesides(consumer.name)) : consumer.result()));
    const series = this.systemSeries();
    const result: KinesisResult = {
      name: this.system.name,
      kind: "kinesis",
      records: { produced: counts.produced, accepted: counts.accepted, throttledAttempts: counts.throttledAttempts, dropped: counts.dropped, pending },
      bytes: { produced: counts.producedBytes, accepted: counts.acceptedBytes },
      producerLatency: this.producerLatency,
      partitions,
      consumers,
      findings: [],
      series,
      usage: this.usage(),
      ...(this.autoscaler === null ? {} : { autoscaling: this.autoscaler.stats() }),
      facts: {
        capacityMode: this.system.capacity.mode,
        initialShards: this.initialShards,
        finalOpenShards: this.stream.openShards.length,
        shardsCreated: this.stream.shards.length,
      },
    };
    result.findings = this.findings(result);
    return result;
  }

  /** The stream's consumers other than `name` that read with GetRecords, sharing each shard's read limits (docs/reference.md §1.1). */
  private pollingReadersBesides(name: string): string[] {
    const polls = (consumer: KinesisSystem["consumers"][number]): boolean => consumer.type === "polling" || consumer.type === "firehose" || (consumer.type === "lambda" && !consumer.efo);
    return this.system.consumers.filter((consumer) => consumer.name !== name && polls(consumer)).map((consumer) => consumer.name);
  }

  findings(result: KinesisResult): Finding[] {
    const shardOf = (id: string) => {
      const shard = this.stream.shards.find((candidate) => candidate.id === id);
      return shard === undefined ? undefined : { index: shard.index, range: shard.range };
    };
    return kinesisFindings(result, this.system, this.resharder.events, this.context, { systemName: this.system.name, keyCounts: rangeKeyCounter(this.producers), shardOf });
  }

  /**
   * Billable quantities after warm-up (SystemResult.usage): Kinesis records written in PUT payload units
   * and in bytes (raw and rounded to 1 KB per record), and bytes each consumer read. Shard-hours come
   * from the partitions' open times.
   */
  private usage(): KinesisUsage {
    const written = this.stream.writeUsage;
    const bytesReadByConsumer: Record<string, number> = {};
    const leaseTables: Record<string, LeaseTableUsage> = {};
    for (const consumer of this.consumers) {
      bytesReadByConsumer[consumer.name] = consumer.bytesReadAfterWarmup;
      if (consumer instanceof KinesisConsumer) leaseTables[consumer.name] = consumer.leaseTable.usage(this.context.durationUs);
    }
    return {
      putPayloadUnits: written.putPayloadUnits,
      recordsWritten: written.records,
      bytesWritten: written.bytes,
      billedBytesWritten: written.billedBytes,
      bytesReadByConsumer,
      leaseTables,
    };
  }

  /** Stream-level CloudWatch series: sums of the shard series per report interval (IncomingRecords counts Kinesis records, aggregates under KPL aggregation). */
  private systemSeries(): KinesisSeries {
    const sum = (pick: (shard: KinesisStream["shards"][number]) => CounterSeries): CounterSeries => {
      const total = new CounterSeries(this.seriesOptions);
      for (let i = 0; i < total.intervalCount; i++) {
        let value = 0;
        for (const shard of this.stream.shards) value += pick(shard).sumAt(i);
        if (value > 0) total.add(total.startUsAt(i), value);
      }
      return total;
    };
    return {
      IncomingRecords: sum((shard) => shard.incoming.records),
      IncomingBytes: sum((shard) => shard.incoming.bytes),
      WriteProvisionedThroughputExceeded: sum((shard) => shard.series.throttledAttempts),
      OfferedRecords: sum((shard) => shard.series.offeredRecords),
      DemandRecords: this.stream.demandRecords,
      DemandBytes: this.stream.demandBytes,
      "PutRecords.Calls": this.callSeries.calls,
      "PutRecords.LatencySumMs": this.callSeries.latencyMs,
      ReadProvisionedThroughputExceeded: this.readThrottleSeries,
      ...ProducerMeter.series(
        this.producers.map((producer) => producer.meter),
        this.seriesOptions,
      ),
    };
  }
}
