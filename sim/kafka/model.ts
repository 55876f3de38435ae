// The Kafka model: build -> run (scheduled on the shared simulation) -> collect.

import { CounterSeries, GaugeSeries, LogHistogram, ProducerMeter, UsageCounter, scheduleLagSamples, sumProducerCounts, type ConsumerResult, type Finding, type KafkaCountedUsage, type KafkaResult, type KafkaSeries, type KafkaUsage, type ModelContext, type SeriesOptions, type SystemModel } from "../metrics/index.ts";
import type { KafkaSystem, KafkaTimelineAction } from "../scenario/types.ts";
import { isConsumerGroup } from "../scenario/systems-schema.ts";
import { AccountPool } from "../lambda/index.ts";
import { LambdaKafkaConsumer } from "./lambda-consumer.ts";
import { lambdaKafkaFindings } from "./lambda-findings.ts";
import { LatencySampler, type ProducerStream } from "../workload/index.ts";
import { Broker, brokerResources } from "./broker.ts";
import { brokerStorageFindings } from "./storage-findings.ts";
import { kafkaFindings } from "./findings.ts";
import { mixedPartitionerFindings } from "./partitioner-findings.ts";
import { flinkConsumerFindings } from "../flink/index.ts";
import { FlinkKafkaConsumer } from "./flink-consumer.ts";
import { ConsumerGroup } from "./group.ts";
import { Autoscaler, autoscalingFindings } from "../autoscaling/index.ts";
import { Partition } from "./partition.ts";
import { KafkaProducerClient } from "./producer.ts";
import { brokerSessionTimeoutUs, replicaFetchBytesMax, replicaFetchResponseBytesMax, replicaFetchWaitMaxUs, retentionCheckFirstUs, retentionCheckIntervalUs } from "./limits.ts";
import type { PartitionSettings } from "./partition.ts";
import { ReplicaFetchers } from "./replication.ts";
import { brokerUtilization, kafkaPartitionResults } from "./results.ts";
import { StorageMeter } from "./storage.ts";

const secondUs = 1_000_000;

/**
 * Replica placement: partition p's replicas are brokers p, p+1, ... (mod the broker count), the first
 * the preferred leader: leaders and replicas spread evenly, as Kafka's default placement does (it
 * also starts from a random broker and shifts followers; a fixed start keeps runs reproducible).
 */
export function replicasOf(partition: number, brokers: number, replicationFactor: number): number[] {
  return Array.from({ length: replicationFactor }, (_, k) => (partition + k) % brokers);
}

export class KafkaModel implements SystemModel<KafkaTimelineAction, KafkaResult> {
  readonly brokers: Broker[];
  readonly partitions: Partition[];
  readonly producers: KafkaProducerClient[];
  readonly groups: ConsumerGroup[];
  /** Autoscaled groups' controllers, by group name (docs/reference.md §11.2). */
  readonly autoscalers = new Map<string, Autoscaler>();
  /** Managed Flink applications reading the topic (docs/reference.md §8). */
  readonly flinkApplications: FlinkKafkaConsumer[];
  /** Lambda functions behind event source mappings, each a consumer group of its own (reported after the groups). */
  readonly lambdaConsumers: LambdaKafkaConsumer[];
  /** The account the system's Lambda consumers run in (each system of a scenario has its own). */
  readonly lambdaAccount: AccountPool;
  private readonly replication: ReplicaFetchers;
  readonly producerLatency = new LogHistogram();
  private readonly seriesOptions: SeriesOptions;
  private readonly requestLatency: { calls: CounterSeries; latencyMs: CounterSeries };
  /** Sampled every second: partitions with no live leader (OfflinePartitionsCount), and per leader broker those short of in-sync replicas (UnderReplicatedPartitions). */
  private readonly availability: { offline: GaugeSeries; underReplicated: GaugeSeries[]; counts: Int32Array };
  readonly brokerOutages: Array<{ broker: number; atUs: number; forUs: number }> = [];
  readonly keysMoved: Array<{ atUs: number; from: number; to: number; movedShare: number }> = [];
  /** Billable quantities after warm-up, counted by the producers as records are accepted. */
  private readonly usageCounter: UsageCounter<KafkaCountedUsage>;
  /** Record bytes each broker holds replicas of, after warm-up (brokers' disks fill unevenly when partitions do). */
  private readonly replicatedBytesByBroker: number[];
  private readonly partitionSettings: PartitionSettings;
  private readonly storage: StorageMeter;

  constructor(
    readonly system: KafkaSystem,
    workloads: ProducerStream[],
    private readonly context: ModelContext,
  ) {
    const { sim, streams } = context;
    const prefix = `kafka/${system.name}`;
    this.seriesOptions = { intervalUs: context.reportIntervalUs, endUs: context.durationUs };
    const capacity = system.brokers.resolved;
    this.brokers = Array.from({ length: system.brokers.count }, (_, i) => new Broker(i, capacity, this.seriesOptions));
    this.replicatedBytesByBroker = this.brokers.map(() => 0);
    const topic = system.topic;
    this.partitionSettings = {
      segments: { segmentBytes: topic.segmentBytes, segmentAgeUs: topic.segmentAge, retentionUs: topic.retention, retentionBytes: topic.retentionBytes },
      uncleanLeaderElection: topic.uncleanLeaderElection,
      minInsyncForWrites: system.producer.acks === "all" ? topic.minInsyncReplicas : 0,
    };
    this.partitions = Array.from({ length: topic.partitions }, (_, p) => this.newPartition(p));
    this.requestLatency = { calls: new CounterSeries(this.seriesOptions), latencyMs: new CounterSeries(this.seriesOptions) };
    this.availability = { offline: new GaugeSeries(this.seriesOptions), underReplicated: this.brokers.map(() => new GaugeSeries(this.seriesOptions)), counts: new Int32Array(this.brokers.length) };
    this.availability.offline.set(0, 0);
    for (const gauge of this.availability.underReplicated) gauge.set(0, 0);
    this.replication = new ReplicaFetchers(
      sim,
      this.brokers,
      this.partitions,
      {
        roundTrip: new LatencySampler(system.brokers.interBrokerLatency, streams.stream(`${prefix}/replication/latency`)),
        fetchWaitMaxUs: replicaFetchWaitMaxUs,
        partitionBytesMax: replicaFetchBytesMax,
        responseBytesMax: replicaFetchResponseBytesMax,
        endUs: context.durationUs,
      },
      {
        copied: (leader) => {
          for (const producer of this.producers) producer.replicasCopied(leader);
        },
        // acks=all wakes consumers when it commits; with acks 0 or 1 the high watermark moving does.
        visible: system.producer.acks === "all" ? null : (partitions) => {
          for (const partition of partitions) for (const listener of partition.listeners) listener();
        },
      },
    );
    this.storage = new StorageMeter(context.warmupUs);
    this.usageCounter = new UsageCounter(context.warmupUs, ["recordsAccepted", "bytesAccepted", "logBytes"]);
    const producer = system.producer;
    this.producers = workloads.map(
      (workload) =>
        new KafkaProducerClient(
          sim,
          this.partitions,
          this.brokers,
          workload,
          {
            acks: producer.acks,
            minInsyncReplicas: system.topic.minInsyncReplicas,
            deliveryTimeoutUs: producer.deliveryTimeout,
            quotaBytesPerSecond: producer.quota ?? null,
            lingerUs: producer.linger,
            batchSizeBytes: producer.batchSize,
            maxRequestBytes: producer.maxRequestSize,
            bufferMemoryBytes: producer.bufferMemory,
            maxBlockUs: producer.maxBlock,
            retryBackoffUs: producer.retryBackoff,
            retryBackoffMaxUs: producer.retryBackoffMax,
            backoffUniform: streams.stream(`${prefix}/producer/${workload.spec.name}/retry-backoff`),
            maxInFlightRequests: producer.maxInFlightRequestsPerConnection,
            roundTrip: new LatencySampler(producer.latency, streams.stream(`${prefix}/producer/${workload.spec.name}/latency`)),
            partitioner: producer.partitioners?.[workload.spec.name] ?? producer.partitioner,
            // librdkafka's default sticky.partitioning.linger.ms is twice linger.ms, at most 900 s.
            stickyLingerUs: producer.stickyPartitioningLinger ?? Math.min(2 * producer.linger, 900_000_000),
            stickyUniform: streams.stream(`${prefix}/producer/${workload.spec.name}/sticky-partitioner`),
            endUs: context.durationUs,
            usage: this.usageCounter,
            replicatedBytesByBroker: this.replicatedBytesByBroker,
            replication: this.replication,
          },
          this.producerLatency,
          this.requestLatency,
          new ProducerMeter(this.seriesOptions),
        ),
    );
    this.groups = system.consumerGroups.filter(isConsumerGroup).map(
      (group) =>
        new ConsumerGroup(
          {
            name: group.name,
            consumers: group.consumers,
            assignment: group.assignment,
            maxPollRecords: group.maxPollRecords,
            fetchMaxWaitUs: group.fetchMaxWait,
            fetchMinBytes: group.fetchMinBytes,
            fetchMaxBytes: group.fetchMaxBytes,
            maxPartitionFetchBytes: group.maxPartitionFetchBytes,
            maxPollIntervalUs: group.maxPollInterval,
            autoCommitIntervalUs: group.autoCommitInterval,
            autoOffsetReset: group.autoOffsetReset,
            perRecordUs: group.processing.perRecord,
            perBatchUs: group.processing.perBatch,
            roundTrip: new LatencySampler(producer.latency, streams.stream(`${prefix}/group/${group.name}/latency`)),
            heartbeatUniform: streams.stream(`${prefix}/group/${group.name}/heartbeat`),
            warmupUs: context.warmupUs,
            endUs: context.durationUs,
          },
          sim,
          this.partitions,
          this.brokers,
          this.seriesOptions,
        ),
    );
    this.buildAutoscalers();
    this.flinkApplications = system.flinkApplications.map((spec) => this.newFlinkApplication(spec, prefix));
    this.lambdaAccount = new AccountPool(system.lambdaAccount.concurrencyLimit);
    this.lambdaConsumers = this.buildLambdaConsumers();
  }

  /** KEDA-style controllers for the groups that have an autoscaling block. */
  private buildAutoscalers(): void {
    const { sim, warmupUs, durationUs } = this.context;
    this.system.consumerGroups.filter(isConsumerGroup).forEach((spec, index) => {
      if (spec.autoscaling === undefined) return;
      const group = this.groups[index];
      const options = { initial: spec.consumers, metric: () => group.totalLag(sim.nowUs), warmupUs, endUs: durationUs, seriesOptions: this.seriesOptions, partitionCount: () => this.partitions.length };
      this.autoscalers.set(spec.name, new Autoscaler(spec.autoscaling, sim, group, options));
    });
  }

  private newFlinkApplication(spec: KafkaSystem["flinkApplications"][number], prefix: string): FlinkKafkaConsumer {
    const { sim, streams } = this.context;
    const roundTrip = new LatencySampler(this.system.producer.latency, streams.stream(`${prefix}/flink/${spec.name}/latency`));
    const times = { warmupUs: this.context.warmupUs, endUs: this.context.durationUs };
    const app = new FlinkKafkaConsumer(spec, sim, this.partitions, this.brokers, roundTrip, this.seriesOptions, times, streams, `${prefix}/flink/${spec.name}`);
    app.keyCounts = () => this.producers.map((producer) => ({ keys: producer.workload.keys, counts: producer.offeredPerKey, offered: producer.counts.produced }));
    return app;
  }

  private buildLambdaConsumers(): LambdaKafkaConsumer[] {
    const { sim, streams } = this.context;
    const specs = this.system.consumerGroups.filter((entry) => entry.type === "lambda");
    return specs.map(
      (spec) =>
        new LambdaKafkaConsumer(spec, sim, this.partitions, this.brokers, this.lambdaAccount, streams, `kafka/${this.system.name}/lambda/${spec.name}`, this.seriesOptions, this.context.durationUs, this.context.warmupUs),
    );
  }

  /** Schedules producers, groups, the timeline and the per-second upkeep. */
  start(timeline: readonly KafkaTimelineAction[]): void {
    const { sim } = this.context;
    for (const producer of this.producers) producer.start();
    this.replication.start();
    for (const group of this.groups) group.start();
    for (const autoscaler of this.autoscalers.values()) autoscaler.start();
    for (const app of this.flinkApplications) app.start();
    for (const consumer of this.lambdaConsumers) consumer.start();
    for (const action of timeline) {
      if (action.at <= this.context.durationUs) sim.at(action.at, () => this.apply(action));
    }
    sim.every(secondUs, this.context.durationUs, () => this.upkeep());
    if (retentionCheckFirstUs <= this.context.durationUs) {
      sim.at(retentionCheckFirstUs, () => {
        this.checkRetention();
        sim.every(retentionCheckIntervalUs, this.context.durationUs, () => this.checkRetention());
      });
    }
    scheduleLagSamples(sim, this.context.durationUs, () => {
      for (const group of this.groups) group.sampleLag(sim.nowUs);
      for (const app of this.flinkApplications) app.sampleLag(sim.nowUs);
      for (const consumer of this.lambdaConsumers) consumer.sampleLag(sim.nowUs);
    });
  }

  /**
   * Billable quantities after warm-up, counted where they happen: records, data bytes and log bytes
   * accepted (log bytes are the record batches as stored and sent: value, key, record framing, batch
   * header), the record bytes each broker holds replicas of, and per group the records it consumed
   * and their log bytes at the run's mean accepted record size in the log (groups count records, not
   * bytes; a fetch carries the stored batches).
   */
  private usage(): KafkaUsage {
    const accepted = sumProducerCounts(this.producers.map((producer) => producer.counts)).accepted;
    const logBytes = this.producers.reduce((sum, producer) => sum + producer.logBytesAccepted, 0);
    const meanRecordBytes = accepted > 0 ? logBytes / accepted : 0;
    const recordsConsumedByGroup: Record<string, number> = {};
    const bytesConsumedByGroup: Record<string, number> = {};
    for (const group of this.groups) {
      const records = group.meter.consumedAfterWarmup;
      recordsConsumedByGroup[group.settings.name] = records;
      bytesConsumedByGroup[group.settings.name] = Math.round(records * meanRecordBytes);
    }
    for (const app of this.flinkApplications) {
      recordsConsumedByGroup[app.name] = app.consumedAfterWarmup;
      bytesConsumedByGroup[app.name] = Math.round(app.consumedAfterWarmup * meanRecordBytes);
    }
    for (const consumer of this.lambdaConsumers) {
      const records = consumer.meter.consumedAfterWarmup;
      recordsConsumedByGroup[consumer.name] = records;
      bytesConsumedByGroup[consumer.name] = Math.round(records * meanRecordBytes);
    }
    const storageByPartition = this.storage.result(this.partitions);
    return { ...this.usageCounter.totals, replicatedBytesByBroker: [...this.replicatedBytesByBroker], recordsConsumedByGroup, bytesConsumedByGroup, storageByPartition };
  }

  private apply(action: KafkaTimelineAction): void {
    switch (action.action) {
      case "broker-down":
        return this.brokerDown(action.broker, action.for);
      case "add-partitions":
        return this.addPartitions(action.partitions);
      case "consumer-crash":
        return this.groups.find((group) => group.settings.name === action.group)?.crash(action.consumer);
      case "flink-restart":
        return this.flinkApplications.find((app) => app.name === action.application)?.restart();
    }
  }

  /**
   * broker-down (docs/reference.md §3.3): the broker stops at once; its leaderships and ISR memberships end when
   * the controller fences it a session timeout later, electing new leaders among the in-sync
   * followers (a partition with none stays offline until the broker returns); then it rejoins.
   */
  private brokerDown(index: number, forUs: number): void {
    const { sim } = this.context;
    const broker = this.brokers[index];
    if (!broker.up) return;
    const diedUs = sim.nowUs;
    broker.fail(diedUs);
    for (const partition of this.partitions) partition.brokerStopped(index, diedUs);
    this.brokerOutages.push({ broker: index, atUs: diedUs, forUs });
    sim.after(Math.min(brokerSessionTimeoutUs, forUs), () => {
      if (broker.up || broker.downAtUs !== diedUs) return;
      for (const partition of this.partitions) {
        const epoch = partition.leaderEpoch;
        const truncation = partition.fence(index, diedUs);
        for (const group of this.groups) group.truncated(partition, truncation);
        for (const app of this.flinkApplications) app.truncated(partition, truncation);
        for (const consumer of this.lambdaConsumers) consumer.truncated(partition, truncation);
        if (partition.leaderEpoch !== epoch) this.leaderAvailable(partition);
      }
      this.replicasChanged();
    });
    sim.after(forUs, () => {
      broker.recover();
      for (const partition of this.partitions) {
        partition.catchUp(index);
        const truncation = partition.rejoin(index);
        if (truncation !== null) for (const group of this.groups) group.truncated(partition, truncation);
        if (truncation !== null) for (const app of this.flinkApplications) app.truncated(partition, truncation);
        if (truncation !== null) for (const consumer of this.lambdaConsumers) consumer.truncated(partition, truncation);
        this.leaderAvailable(partition);
      }
      this.replicasChanged();
    });
  }

  /**
   * add-partitions: new partitions (placed like the first ones) take writes at once; a key's partition
   * is toPositive(murmur2(key)) % count, so most keys move: per-key order breaks across the change.
   */
  private addPartitions(count: number): void {
    const before = this.partitions.length;
    if (count <= before) return;
    this.keysMoved.push({ atUs: this.context.sim.nowUs, from: before, to: count, ...this.movedKeyShare(before, count) });
    for (let p = before; p < count; p++) {
      this.partitions.push(this.newPartition(p));
    }
    this.replication.topologyChanged();
    for (const producer of this.producers) producer.partitionsAdded();
    for (const group of this.groups) group.partitionsAdded(this.seriesOptions);
    for (const app of this.flinkApplications) app.partitionsAdded();
    for (const consumer of this.lambdaConsumers) consumer.partitionsAdded();
  }

  /** Leaders or in-sync replicas changed: fetch loops look again at what they copy, and waiting acks=all requests at the high watermark. */
  private replicasChanged(): void {
    this.replication.topologyChanged();
    for (const producer of this.producers) producer.replicasChanged();
  }

  private newPartition(index: number): Partition {
    const topic = this.system.topic;
    return new Partition(index, topic.name, replicasOf(index, this.system.brokers.count, topic.replicationFactor), this.seriesOptions, this.partitionSettings);
  }

  /** Share of the traffic (by the producers' key counts so far) whose key maps to another partition after the change. */
  private movedKeyShare(from: number, to: number): { movedShare: number } {
    let moved = 0;
    let total = 0;
    for (const producer of this.producers) {
      const counts = producer.offeredPerKey;
      if (counts === null) continue;
      for (let keyIndex = 0; keyIndex < counts.length; keyIndex++) {
        if (counts[keyIndex] === 0) continue;
        const key = producer.workload.keys.keyAt(keyIndex);
        total += counts[keyIndex];
        if (producer.partitionForKey(key, from) !== producer.partitionForKey(key, to)) moved += counts[keyIndex];
      }
    }
    return { movedShare: total === 0 ? 0 : moved / total };
  }

  /** Producers resend held batches and waiting consumers look again once a partition has a live leader. */
  private leaderAvailable(partition: Partition): void {
    if (partition.leader < 0 || !this.brokers[partition.leader].up) return;
    for (const producer of this.producers) producer.leaderAvailable(partition);
    for (const listener of partition.listeners) listener();
  }

  /**
   * Every simulated second: records-lag samples, availability, trimming what no group, and no
   * replica that may still be elected, needs, and the bytes each log stores.
   */
  private upkeep(): void {
    const now = this.context.sim.nowUs;
    for (const group of this.groups) group.sampleRecordsLag(now);
    for (const app of this.flinkApplications) app.sampleRecordsLag(now);
    for (const consumer of this.lambdaConsumers) consumer.sampleRecordsLag(now);
    for (const partition of this.partitions) partition.countAvailability(partition.leader >= 0 && this.brokers[partition.leader].up, secondUs);
    this.sampleAvailability(now);
    for (const partition of this.partitions) {
      let neededSeq = Math.min(partition.readableSeq(now), partition.electableFromSeq);
      for (const group of this.groups) neededSeq = Math.min(neededSeq, group.neededFrom(partition));
      for (const app of this.flinkApplications) neededSeq = Math.min(neededSeq, app.neededFrom(partition));
      for (const consumer of this.lambdaConsumers) neededSeq = Math.min(neededSeq, consumer.neededFrom(partition));
      partition.log.dropBefore(neededSeq);
    }
    this.storage.sample(now, this.partitions);
  }

  /** log.retention.check.interval.ms (docs/reference.md §3.3): each partition's leader deletes whole old segments. */
  private checkRetention(): void {
    const now = this.context.sim.nowUs;
    for (const partition of this.partitions) {
      if (partition.leader >= 0 && this.brokers[partition.leader].up) partition.deleteOldSegments(now, partition.highWatermark(now));
    }
  }

  collect(): KafkaResult {
    const counts = sumProducerCounts(this.producers.map((producer) => producer.counts));
    const pending = this.producers.reduce((sum, producer) => sum + producer.pendingRecords(), 0);
    const consumers = [...this.groups.map((group) => this.groupResult(group)), ...this.lambdaConsumers.map((consumer) => consumer.result()), ...this.flinkApplications.map((app) => app.result())];
    const result: KafkaResult = {
      name: this.system.name,
      kind: "kafka",
      records: { produced: counts.produced, accepted: counts.accepted, throttledAttempts: counts.throttledAttempts, dropped: counts.dropped, pending },
      bytes: { produced: counts.producedBytes, accepted: counts.acceptedBytes },
      producerLatency: this.producerLatency,
      partitions: kafkaPartitionResults(this.partitions, this.brokers, this.producers),
      consumers,
      findings: [],
      series: this.series(),
      usage: this.usage(),
      facts: {
        brokers: this.brokers.length,
        instanceType: this.system.brokers.instanceType,
        partitions: this.partitions.length,
        replicationFactor: this.system.topic.replicationFactor,
        acks: String(this.system.producer.acks),
        // Keys the producers offered records for (0: keyless or unbounded keys), for the hot-partition chance bound.
        offeredKeys: this.producers.reduce((sum, producer) => sum + (producer.offeredPerKey?.reduce((n, records) => n + (records > 0 ? 1 : 0), 0) ?? 0), 0),
        finalPartitions: this.partitions.length,
        rebalances: this.groups.reduce((sum, group) => sum + group.rebalances, 0),
        // The busiest broker's peak utilization over report intervals (its partitions' rows add up to it).
        peakBrokerUtilization: Math.round(Math.max(0, ...this.brokers.map((broker) => Math.max(...brokerUtilization(broker)))) * 1e4) / 1e4,
        bufferExhaustedRecords: this.producers.reduce((sum, producer) => sum + producer.bufferExhausted, 0),
        sendBlockedSeconds: Math.round(this.producers.reduce((sum, producer) => sum + producer.blockedUs, 0) / 1e3) / 1e3,
        produceThrottleSeconds: Math.round(this.producers.reduce((sum, producer) => sum + producer.throttleTimeUs, 0) / 1e3) / 1e3,
      },
    };
    result.findings = this.findings(result);
    return result;
  }

  /** A group's result, with its autoscaling when it has a controller. */
  private groupResult(group: ConsumerGroup): ConsumerResult {
    const result = group.result();
    const autoscaler = this.autoscalers.get(group.settings.name);
    return autoscaler === undefined ? result : { ...result, autoscaling: autoscaler.stats(result.lagSamples, { rebalances: group.scalingRebalances }) };
  }

  findings(result: KafkaResult): Finding[] {
    return [
      ...autoscalingFindings(result.consumers),
      ...kafkaFindings(result, this.brokers, this.groups, { partitions: this.partitions, keysMoved: this.keysMoved }, this.context),
      ...brokerStorageFindings(result, this.system, this.context),
      ...mixedPartitionerFindings(this.producers, this.partitions.length),
      ...result.consumers.flatMap((consumer) => flinkConsumerFindings(consumer, this.context, 0)),
      ...this.lambdaFindings(result),
    ];
  }

  /** Each Lambda consumer's findings, after the groups' (its result follows theirs). */
  private lambdaFindings(result: KafkaResult): Finding[] {
    const seconds = this.context.durationUs / 1e6;
    const busiest = this.partitions.reduce((top, partition) => (partition.acceptedRecords > top.acceptedRecords ? partition : top), this.partitions[0]);
    const arrivals = {
      perPartitionPerSecond: result.records.accepted / Math.max(1, this.partitions.length) / seconds,
      busiestId: busiest.id,
      busiestPerSecond: busiest.acceptedRecords / seconds,
      meanRecordBytes: result.records.accepted > 0 ? result.bytes.accepted / result.records.accepted : 0,
    };
    const context = { warmupUs: this.context.warmupUs, durationUs: this.context.durationUs, retentionUs: this.system.topic.retention };
    return this.lambdaConsumers.flatMap((consumer, index) => lambdaKafkaFindings(result.consumers[this.groups.length + index], consumer.spec, context, arrivals));
  }

  /** OfflinePartitionsCount and each broker's UnderReplicatedPartitions (as the partitions' leader) at nowUs. */
  private sampleAvailability(nowUs: number): void {
    const { offline, underReplicated, counts } = this.availability;
    counts.fill(0);
    let offlineCount = 0;
    // As the controller sees it: a partition is offline once no replica can lead (a leader that died
    // and is not yet fenced still counts as its leader); the leader reports its under-replicated ones.
    for (const partition of this.partitions) {
      if (partition.leader < 0) offlineCount++;
      else if (this.brokers[partition.leader].up && partition.inSyncReplicas < partition.replicas.length) counts[partition.leader]++;
    }
    offline.set(nowUs, offlineCount);
    underReplicated.forEach((gauge, broker) => gauge.set(nowUs, counts[broker]));
  }

  /** A broker's busiest resource's busy microseconds, per report interval. */
  private busiestResource(broker: Broker): CounterSeries {
    const busiest = new CounterSeries(this.seriesOptions);
    const utilization = brokerUtilization(broker);
    const [first] = broker.busyUs;
    for (let i = 0; i < utilization.length; i++) busiest.add(first.startUsAt(i), utilization[i] * first.durationUsAt(i));
    return busiest;
  }

  /** The gauge with the time since its last sample accounted for (finish is idempotent). */
  private finished(gauge: GaugeSeries): GaugeSeries {
    gauge.finish();
    return gauge;
  }

  /** Produce requests and their latency, and each broker's traffic and busy time (per resource, and the busiest's). */
  private series(): KafkaSeries {
    const series: KafkaSeries = {
      ProduceRequests: this.requestLatency.calls,
      ProduceLatencySumMs: this.requestLatency.latencyMs,
      OfflinePartitionsCount: this.finished(this.availability.offline),
      ...ProducerMeter.series(
        this.producers.map((producer) => producer.meter),
        this.seriesOptions,
      ),
    };
    for (const broker of this.brokers) {
      series[`broker-${broker.index}/BytesInPerSec`] = broker.bytesIn;
      series[`broker-${broker.index}/BytesOutPerSec`] = broker.bytesOut;
      series[`broker-${broker.index}/MessagesInPerSec`] = broker.messagesIn;
      series[`broker-${broker.index}/ReplicationBytesInPerSec`] = broker.replicationBytesIn;
      series[`broker-${broker.index}/ReplicationBytesOutPerSec`] = broker.replicationBytesOut;
      series[`broker-${broker.index}/UnderReplicatedPartitions`] = this.finished(this.availability.underReplicated[broker.index]);
      series[`broker-${broker.index}/BusyUs`] = this.busiestResource(broker);
      brokerResources.forEach((resource, index) => (series[`broker-${broker.index}/${resource}BusyUs`] = broker.busyUs[index]));
    }
    return series;
  }
}
