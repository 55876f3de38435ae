// The SQS model: build -> run (scheduled on the shared simulation) -> collect. One queue per system;
// its `consumers:` are fleets and Lambda event source mappings that compete for its messages.

import { TokenBucket } from "../engine/index.ts";
import { AccountPool } from "../lambda/index.ts";
import { CounterSeries, GaugeSeries, LogHistogram, ProducerMeter, UsageCounter, scheduleLagSamples, sqsUsageNames, sumProducerCounts, type Finding, type ModelContext, type SeriesOptions, type SqsResult, type SqsUsage, type SystemModel } from "../metrics/index.ts";
import type { SqsSystem, SqsTimelineAction } from "../scenario/types.ts";
import type { LambdaSqsConsumerSpec as LambdaSqsSpec } from "../scenario/lambda-sqs-schema.ts";
import { LatencySampler, RetryPolicy, type ProducerStream } from "../workload/index.ts";
import { Autoscaler, autoscalingFindings } from "../autoscaling/index.ts";
import { ConsumerFleet, type FleetShared } from "./fleet.ts";
import { LambdaSqsConsumer } from "./lambda-consumer.ts";
import { sqsFindings, type HotGroupSample } from "./findings.ts";
import { fifoCallsPerSecond, fifoHighThroughputCallsPerSecond, fifoHighThroughputPartitions, fifoPartitionCallsPerSecond, inFlightMaxFifo, inFlightMaxStandard, sdkThrottlingBaseDelayUs } from "./limits.ts";
import { SqsProducerClient } from "./producer.ts";
import { SqsQueue } from "./queue.ts";
import { consumerResult, sqsSeries } from "./results.ts";

const secondUs = 1_000_000;

type FleetSpec = Exclude<SqsSystem["consumers"][number], { type: "lambda" }>;

export class SqsModel implements SystemModel<SqsTimelineAction, SqsResult> {
  readonly queue: SqsQueue;
  readonly producers: SqsProducerClient[];
  readonly fleets: ConsumerFleet[];
  readonly lambdas: LambdaSqsConsumer[];
  /** Every consumer of the queue, in the scenario's order. */
  readonly consumers: Array<ConsumerFleet | LambdaSqsConsumer>;
  /** The account the Lambda consumers' functions run in (docs/reference.md §6.1). */
  readonly lambdaPool: AccountPool;
  readonly producerLatency = new LogHistogram();
  readonly usage: UsageCounter<keyof SqsUsage>;
  readonly counters: { sent: CounterSeries; received: CounterSeries; deleted: CounterSeries; emptyReceives: CounterSeries };
  readonly ageOfOldestSeconds: GaugeSeries;
  readonly seriesOptions: SeriesOptions;
  /** The FIFO group with the largest backlog, at the second it was largest. */
  hotGroup: HotGroupSample | null = null;
  /** FIFO: the per-action call limit of receives and deletes (calls per second). */
  readonly receiveCallsPerSecond: number;
  private readonly oldest = { createMinUs: Infinity, sentUs: Infinity };
  /** Autoscaled fleets' controllers, by fleet name (docs/reference.md §11.1). */
  readonly autoscalers = new Map<string, Autoscaler>();

  constructor(
    readonly system: SqsSystem,
    workloads: ProducerStream[],
    private readonly context: ModelContext,
  ) {
    const { sim, streams } = context;
    const prefix = `sqs/${system.name}`;
    const seriesOptions: SeriesOptions = { intervalUs: context.reportIntervalUs, endUs: context.durationUs };
    this.seriesOptions = seriesOptions;
    const fifo = system.queue.type === "fifo";
    this.usage = new UsageCounter(context.warmupUs, sqsUsageNames);
    this.queue = new SqsQueue(
      {
        fifo,
        // A message timer overrides the queue's delay (docs/reference.md §4); one producer block, so one delay.
        delayUs: system.producer.delay ?? system.queue.delay,
        retentionUs: system.queue.retention,
        maxReceiveCount: system.queue.maxReceiveCount ?? Infinity,
        inFlightMax: fifo ? inFlightMaxFifo : inFlightMaxStandard,
        partitions: fifo && system.queue.highThroughput ? fifoHighThroughputPartitions : 0,
      },
      seriesOptions,
    );
    this.counters = {
      sent: new CounterSeries(seriesOptions),
      received: new CounterSeries(seriesOptions),
      deleted: new CounterSeries(seriesOptions),
      emptyReceives: new CounterSeries(seriesOptions),
    };
    this.ageOfOldestSeconds = new GaugeSeries(seriesOptions);
    // FIFO: a per-API-action call limit, a second's worth in each bucket (docs/reference.md §4, docs/design.md "Write limits").
    const callsPerSecond = system.queue.highThroughput ? fifoHighThroughputCallsPerSecond : fifoCallsPerSecond;
    this.receiveCallsPerSecond = callsPerSecond;
    const bucket = (): TokenBucket | null => (fifo ? new TokenBucket(callsPerSecond, callsPerSecond) : null);
    const sendBucket = bucket();
    // High-throughput FIFO: each action on a message group is also limited by its partition's 300 per second.
    const partitionBuckets = (): TokenBucket[] | null =>
      this.queue.settings.partitions > 0 ? Array.from({ length: this.queue.settings.partitions }, () => new TokenBucket(fifoPartitionCallsPerSecond, fifoPartitionCallsPerSecond)) : null;
    const sendPartitionBuckets = partitionBuckets();
    const producer = system.producer;
    const retry = new RetryPolicy({ maxAttempts: producer.retry.maxAttempts, baseDelayUs: producer.retry.baseDelay, maxDelayUs: producer.retry.maxDelay, jitter: producer.retry.jitter });
    // The SDK backs off from a larger base for throttling errors, whatever the call (docs/reference.md §4).
    const throttledRetry = new RetryPolicy({ ...retry.settings, baseDelayUs: sdkThrottlingBaseDelayUs, maxDelayUs: Math.max(producer.retry.maxDelay, sdkThrottlingBaseDelayUs) });
    this.producers = workloads.map(
      (workload) =>
        new SqsProducerClient(
          sim,
          this.queue,
          workload,
          {
            maxMessages: producer.batch.maxMessages,
            lingerUs: producer.batch.linger,
            retry,
            throttledRetry,
            retryJitter: streams.stream(`${prefix}/producer/${workload.spec.name}/retry`),
            latency: new LatencySampler(producer.latency, streams.stream(`${prefix}/producer/${workload.spec.name}/latency`)),
            sendBucket,
            partitionBuckets: sendPartitionBuckets,
            fifo: system.queue.type === "fifo",
            lostResponseProbability: producer.lostResponseProbability,
            lostResponseU: streams.stream(`${prefix}/producer/${workload.spec.name}/lost-response`),
          },
          this.producerLatency,
          { usage: this.usage, sent: this.counters.sent, onAccepted: () => this.accepted() },
          new ProducerMeter(seriesOptions),
        ),
    );
    const shared = { receiveBucket: bucket(), deleteBucket: bucket(), receivePartitions: partitionBuckets(), deletePartitions: partitionBuckets(), usage: this.usage, ...this.counters };
    this.lambdaPool = new AccountPool(system.lambdaAccount.concurrencyLimit);
    this.consumers = system.consumers.map((consumer) => (consumer.type === "lambda" ? this.buildLambda(consumer, shared, seriesOptions) : this.buildFleet(consumer, shared, seriesOptions)));
    this.fleets = this.consumers.filter((consumer) => consumer instanceof ConsumerFleet);
    this.lambdas = this.consumers.filter((consumer) => consumer instanceof LambdaSqsConsumer);
  }

  private buildLambda(spec: LambdaSqsSpec, shared: FleetShared, seriesOptions: SeriesOptions): LambdaSqsConsumer {
    const { sim, streams } = this.context;
    const at = `sqs/${this.system.name}/consumer/${spec.name}`;
    const draws = { duration: streams.stream(`${at}/function/duration`), errors: streams.stream(`${at}/function/errors`) };
    const settings = {
      spec,
      visibilityTimeoutUs: this.system.queue.visibilityTimeout,
      receiveLatency: new LatencySampler(spec.receiveLatency, streams.stream(`${at}/receive-latency`)),
      moreFailuresU: streams.stream(`${at}/function/more-errors`),
      warmupUs: this.context.warmupUs,
      endUs: this.context.durationUs,
    };
    return new LambdaSqsConsumer(settings, sim, this.queue, shared, this.lambdaPool, draws, seriesOptions);
  }

  private buildFleet(consumer: FleetSpec, shared: FleetShared, seriesOptions: SeriesOptions): ConsumerFleet {
    const { sim, streams } = this.context;
    const system = this.system;
    const fifo = system.queue.type === "fifo";
    const at = `sqs/${system.name}/consumer/${consumer.name}`;
    const scaling = consumer.autoscaling;
    const fleet = new ConsumerFleet(
      {
        name: consumer.name,
        count: consumer.count,
        maxMessages: consumer.maxMessages,
        waitTimeUs: consumer.waitTime,
        visibilityTimeoutUs: system.queue.visibilityTimeout,
        perRecordUs: consumer.processing.perRecord,
        perBatchUs: consumer.processing.perBatch,
        exponential: consumer.processing.distribution === "exponential",
        failureProbability: consumer.failureProbability,
        duplicateProbability: fifo ? 0 : system.queue.duplicateDeliveryProbability,
        receiveLatency: new LatencySampler(consumer.receiveLatency, streams.stream(`${at}/receive-latency`)),
        deleteLatency: new LatencySampler(consumer.deleteLatency, streams.stream(`${at}/delete-latency`)),
        processingU: streams.stream(`${at}/processing`),
        failureU: streams.stream(`${at}/failures`),
        duplicateU: streams.stream(`${at}/duplicates`),
        retryU: streams.stream(`${at}/receive-retry`),
        warmupUs: this.context.warmupUs,
        endUs: this.context.durationUs,
        ...(scaling === undefined ? {} : { scaling: { min: scaling.minConsumers, max: scaling.maxConsumers } }),
      },
      sim,
      this.queue,
      shared,
      seriesOptions,
    );
    if (scaling !== undefined) {
      // Backlog per instance is ApproximateNumberOfMessagesVisible over the consumers in service (docs/reference.md §11.1).
      const options = { initial: consumer.count, metric: () => this.queue.visibleCount, warmupUs: this.context.warmupUs, endUs: this.context.durationUs, seriesOptions };
      this.autoscalers.set(consumer.name, new Autoscaler(scaling, sim, fleet, options));
    }
    return fleet;
  }

  /** Schedules producers, fleets, the timeline and the per-second upkeep. */
  start(timeline: readonly SqsTimelineAction[]): void {
    const { sim } = this.context;
    for (const producer of this.producers) producer.start();
    for (const consumer of this.consumers) consumer.start();
    for (const autoscaler of this.autoscalers.values()) autoscaler.start();
    for (const action of timeline) {
      if (action.at <= this.context.durationUs) sim.at(action.at, () => this.apply(action));
    }
    sim.every(secondUs, this.context.durationUs, () => this.upkeep());
    scheduleLagSamples(sim, this.context.durationUs, () => this.sampleLag());
  }

  private apply(action: SqsTimelineAction): void {
    const fleet = this.consumers.find((candidate) => candidate.name === action.consumer);
    switch (action.action) {
      case "consumer-fail":
        return fleet?.failFor(action.for);
      case "consumer-crash":
        return fleet?.crash();
    }
  }

  /** A send call's messages are in the queue (or, with a delay, will be when it is over). */
  private accepted(): void {
    const { sim } = this.context;
    const delayUs = this.queue.settings.delayUs;
    if (delayUs > 0) sim.after(delayUs, () => this.queue.releaseDelayed(sim.nowUs));
    else this.queue.notify();
  }

  /** The per-second lag sample: the oldest message not yet deleted (queued or in flight), the same for every fleet. */
  private sampleLag(): void {
    const now = this.context.sim.nowUs;
    const oldest = this.oldest;
    this.queue.oldest(oldest);
    for (const consumer of this.consumers) consumer.oldestInFlight(oldest);
    const lagUs = oldest.createMinUs === Infinity ? 0 : Math.max(0, now - oldest.createMinUs);
    for (const consumer of this.consumers) consumer.meter.sampleLag(now, lagUs);
  }

  /** Every simulated second: retention, the age of the oldest message (ApproximateAgeOfOldestMessage), idle FIFO groups. */
  private upkeep(): void {
    const now = this.context.sim.nowUs;
    this.queue.expire(now);
    const oldest = this.oldest;
    this.queue.oldest(oldest);
    const oldestVisibleSentUs = oldest.sentUs;
    for (const consumer of this.consumers) consumer.oldestInFlight(oldest);
    const ageUs = oldest.sentUs === Infinity ? 0 : Math.max(0, now - oldest.sentUs);
    this.ageOfOldestSeconds.set(now, ageUs / 1e6);
    for (const consumer of this.consumers) consumer.meter.sampleNative(now, ageUs);
    if (this.queue.settings.fifo) this.fifoUpkeep(now, oldestVisibleSentUs);
  }

  private fifoUpkeep(now: number, oldestVisibleSentUs: number): void {
    const largest = this.queue.largestGroup();
    if (largest.group !== null && largest.count > (this.hotGroup?.backlog ?? 0)) {
      this.hotGroup = { key: largest.group.key, backlog: largest.count, visible: this.queue.visibleCount, atUs: now, oldestVisibleAgeUs: oldestVisibleSentUs === Infinity ? 0 : now - oldestVisibleSentUs };
    }
    if (this.queue.settings.delayUs === 0) this.queue.sweepGroups();
  }

  collect(): SqsResult {
    const endUs = this.context.durationUs;
    for (const producer of this.producers) producer.settleStored();
    const counts = sumProducerCounts(this.producers.map((producer) => producer.counts));
    const pending = this.producers.reduce((sum, producer) => sum + producer.pendingRecords(), 0);
    // Unread and expired are the queue's, not one fleet's: they are reported on the first fleet, so
    // that the fleets' terms add up to the messages accepted.
    const consumers = this.consumers.map((consumer, index) => {
      const queueTerms = index === 0 ? { unread: this.queue.unreadCount(), expired: this.queue.expired } : { unread: 0, expired: 0 };
      if (!(consumer instanceof ConsumerFleet)) return consumer.result(queueTerms);
      const result = consumerResult(consumer, queueTerms);
      const autoscaler = this.autoscalers.get(consumer.name);
      return autoscaler === undefined ? result : { ...result, autoscaling: autoscaler.stats(result.lagSamples, {}) };
    });
    this.queue.visibleGauge.finish(endUs);
    this.queue.notVisibleGauge.finish(endUs);
    this.queue.delayedGauge.finish(endUs);
    this.ageOfOldestSeconds.finish(endUs);
    const result: SqsResult = {
      name: this.system.name,
      kind: "sqs",
      records: { produced: counts.produced, accepted: counts.accepted, throttledAttempts: counts.throttledAttempts, dropped: counts.dropped, pending },
      bytes: { produced: counts.producedBytes, accepted: counts.acceptedBytes },
      producerLatency: this.producerLatency,
      partitions: [],
      consumers,
      findings: [],
      series: sqsSeries(this),
      usage: { ...this.usage.totals },
      facts: this.facts(),
    };
    result.findings = this.findings(result);
    return result;
  }

  findings(result: SqsResult): Finding[] {
    return [...sqsFindings(result, this, this.context), ...autoscalingFindings(result.consumers)];
  }

  /** The Lambda consumers' calls and batches (only when there are some: other runs keep their facts). */
  private lambdaFacts(): Record<string, number> {
    if (this.lambdas.length === 0) return {};
    const sum = (pick: (consumer: LambdaSqsConsumer) => number): number => this.lambdas.reduce((total, consumer) => total + pick(consumer), 0);
    return {
      lambdaReceiveCalls: sum((consumer) => consumer.receiveCalls),
      lambdaEmptyReceiveCalls: sum((consumer) => consumer.emptyReceiveCalls),
      lambdaDeleteCalls: sum((consumer) => consumer.deleteCalls),
      lambdaPeakBatches: Math.max(...this.lambdas.map((consumer) => consumer.peakPollers)),
      lambdaMessagesReturnedByThrottling: sum((consumer) => consumer.messagesReturnedByThrottling),
      lambdaStaleBatches: sum((consumer) => consumer.staleBatches),
    };
  }

  private facts(): Record<string, number | string> {
    const queue = this.system.queue;
    const sum = (pick: (fleet: ConsumerFleet) => number): number => this.fleets.reduce((total, fleet) => total + pick(fleet), 0);
    return {
      queueType: queue.type,
      visibilityTimeoutSeconds: queue.visibilityTimeout / 1e6,
      maxReceiveCount: queue.maxReceiveCount ?? "none",
      consumers: sum((fleet) => fleet.settings.count),
      receiveCalls: sum((fleet) => fleet.receiveCalls),
      emptyReceiveCalls: sum((fleet) => fleet.emptyReceiveCalls),
      receiveThrottles: sum((fleet) => fleet.receiveThrottles),
      deleteThrottles: sum((fleet) => fleet.deleteThrottles),
      ...(queue.type === "fifo" && queue.highThroughput ? { partitionReceiveThrottles: sum((fleet) => fleet.partitionReceiveThrottles), partitionDeleteThrottles: sum((fleet) => fleet.partitionDeleteThrottles) } : {}),
      overLimitReceives: sum((fleet) => fleet.overLimitReceives),
      staleDeletes: sum((fleet) => fleet.staleDeletes),
      lateDeletes: sum((fleet) => fleet.lateDeletes),
      // The queue's own terms, reported even with no consumer to carry them (see collect).
      messagesWaiting: this.queue.unreadCount(),
      messagesExpired: this.queue.expired,
      failedMessages: sum((fleet) => fleet.failedMessages),
      lostSendResponses: this.producers.reduce((total, producer) => total + producer.lostResponses, 0),
      storedTwice: this.producers.reduce((total, producer) => total + producer.storedTwice, 0),
      ...this.lambdaFacts(),
      ...(queue.type === "fifo" ? { deduplicated: this.producers.reduce((total, producer) => total + producer.deduplicated, 0), fifoOrderViolations: this.queue.orderViolations, highThroughput: String(queue.highThroughput) } : {}),
    };
  }
}
