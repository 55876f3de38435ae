// A producer application's Kafka client (the Java client's behaviour, facts §3.1-3.2): each keyed
// record goes to toPositive(murmur2(key)) % partitions; records collect in a batch per partition
// until batch.size bytes or linger; a batch goes to the partition's leader, which appends it when it
// gets to it; followers copy it. acks=0 counts a record sent, acks=1 when the leader has it,
// acks=all when every in-sync replica has it (the high watermark passes it).

import { TokenBucket, type Simulation } from "../engine/index.ts";
import { newProducerCounts, type CounterSeries, type LogHistogram, type ProducerCounts } from "../metrics/index.ts";
import { Batcher, KeyByteLengths, RecordBlock, type Batch, type LatencySampler, type ProducerStream } from "../workload/index.ts";
import type { Broker } from "./broker.ts";
import { batchHeaderBytes, brokerSessionTimeoutUs, recordOverheadBytes, retryBackoffUs } from "./limits.ts";
import type { Partition } from "./partition.ts";
import { partitionForKey } from "./partitioner.ts";

const feedAheadUs = 100_000;
const blockCapacity = 4096;

export type Acks = 0 | 1 | "all";

export interface KafkaProducerSettings {
  acks: Acks;
  minInsyncReplicas: number;
  deliveryTimeoutUs: number;
  /** producer_byte_rate quota in bytes per second; null without a quota. */
  quotaBytesPerSecond: number | null;
  lingerUs: number;
  batchSizeBytes: number;
  /** Network round trip between client and broker (half each way). */
  roundTrip: LatencySampler;
  endUs: number;
}


/** A batch on its way: sent, appended by the leader, waiting for its followers' copies. */
interface InFlight {
  partition: Partition;
  batch: Batch;
  wireBytes: number;
  firstSeq: number;
  sentUs: number;
  /** This attempt's round trip: half to the leader, half for the answer. */
  roundTripUs: number;
  /** Set while the batch is held by the quota (it is charged once per attempt). */
  throttledUntilUs: number;
  /** The partition's leader epoch when the batch was sent: a leader change voids the attempt. */
  epoch: number;
}

export class KafkaProducerClient {
  readonly counts: ProducerCounts = newProducerCounts();
  /** Records offered per key index, for explaining hot partitions; null for unbounded keys. */
  readonly offeredPerKey: Float64Array | null;
  private readonly partitionOfKey: Int32Array | null;
  private readonly keyByteLengths: KeyByteLengths;
  private readonly batchers: Batcher[];
  private readonly block = new RecordBlock(blockCapacity);
  private readonly outstanding = new Set<InFlight>();
  /** Byte-rate quota: a second's worth of allowance that requests draw on and may overdraw. */
  private readonly quota: TokenBucket | null;
  /** Microseconds requests were held back by the quota (the brokers' throttle_time). */
  throttleTimeUs = 0;
  /** Batches held while their partition has no live leader, by partition. */
  private readonly parked = new Map<number, InFlight[]>();
  private readonly sendHandler = (flight: InFlight): void => this.send(flight);
  private readonly appendHandler = (flight: InFlight): void => this.append(flight);
  private readonly commitHandler = (flight: InFlight): void => this.settle(flight);

  constructor(
    private readonly sim: Simulation,
    private readonly partitions: Partition[],
    private readonly brokers: Broker[],
    readonly workload: ProducerStream,
    private readonly settings: KafkaProducerSettings,
    private readonly producerLatency: LogHistogram,
    private readonly requestLatency: { calls: CounterSeries; latencyMs: CounterSeries },
  ) {
    this.quota = settings.quotaBytesPerSecond === null ? null : new TokenBucket(settings.quotaBytesPerSecond, settings.quotaBytesPerSecond);
    const cardinality = workload.keys.cardinality;
    const finite = Number.isFinite(cardinality);
    this.offeredPerKey = finite ? new Float64Array(cardinality) : null;
    this.partitionOfKey = finite ? new Int32Array(cardinality).fill(-1) : null;
    this.keyByteLengths = new KeyByteLengths(workload.keys);
    // A batch closes at batch.size bytes (records, keys and their framing) or after linger.ms.
    this.batchers = partitions.map(
      (partition) => new Batcher({ maxRecords: 1_000_000, maxBytes: settings.batchSizeBytes, lingerUs: settings.lingerUs }, (batch) => this.onBatch(partition, batch)),
    );
  }

  start(): void {
    const feed = (): void => {
      const untilUs = this.sim.nowUs + feedAheadUs;
      this.feed(untilUs);
      for (const batcher of this.batchers) batcher.flushUntil(untilUs);
      if (this.workload.peekTimeUs() !== Infinity) this.sim.after(feedAheadUs, feed);
      else for (const batcher of this.batchers) batcher.flushAt(untilUs);
    };
    this.sim.at(0, feed);
  }

  /** Records held by the client: in open batches and in batches not yet acknowledged. */
  pendingRecords(): number {
    let pending = 0;
    for (const batcher of this.batchers) pending += batcher.openCount;
    for (const flight of this.outstanding) pending += flight.batch.count;
    return pending;
  }

  private feed(untilUs: number): void {
    const { block, counts, offeredPerKey } = this;
    while (this.workload.fill(untilUs, block) > 0) {
      for (let i = 0; i < block.count; i++) {
        const keyIndex = block.keyIndex[i];
        const partition = this.partitionOf(keyIndex);
        // The batch counts serialized bytes: value, key and the record's framing.
        const serialized = block.sizeBytes[i] + this.keyBytes(keyIndex) + recordOverheadBytes;
        this.batchers[partition].add(block.timeUs[i], keyIndex, serialized);
        counts.producedBytes += block.sizeBytes[i];
        if (offeredPerKey !== null) offeredPerKey[keyIndex]++;
      }
      counts.produced += block.count;
    }
  }

  /** The topic grew: new batchers, and every key's partition is computed again (keys move). */
  partitionsAdded(): void {
    for (let index = this.batchers.length; index < this.partitions.length; index++) {
      const partition = this.partitions[index];
      this.batchers.push(new Batcher({ maxRecords: 1_000_000, maxBytes: this.settings.batchSizeBytes, lingerUs: this.settings.lingerUs }, (batch) => this.onBatch(partition, batch)));
    }
    this.partitionOfKey?.fill(-1);
  }

  private partitionOf(keyIndex: number): number {
    const cache = this.partitionOfKey;
    if (cache === null) return partitionForKey(this.workload.keys.keyAt(keyIndex), this.partitions.length);
    let partition = cache[keyIndex];
    if (partition < 0) {
      partition = partitionForKey(this.workload.keys.keyAt(keyIndex), this.partitions.length);
      cache[keyIndex] = partition;
    }
    return partition;
  }

  private keyBytes(keyIndex: number): number {
    return this.keyByteLengths.of(keyIndex);
  }


  private onBatch(partition: Partition, batch: Batch): void {
    const flight: InFlight = { partition, batch, wireBytes: batch.bytes + batchHeaderBytes, firstSeq: 0, sentUs: 0, roundTripUs: 0, throttledUntilUs: -1, epoch: 0 };
    this.outstanding.add(flight);
    this.sim.at(batch.closeUs, this.sendHandler, flight);
  }

  /** The batch travels half a round trip to its leader, which appends it when it is free. */
  private send(flight: InFlight): void {
    const now = this.sim.nowUs;
    // Over its byte-rate quota, the client is throttled: brokers hold its requests until its rate is
    // back under the quota (throttle_time_ms). Modelled as an allowance the request must not overdraw.
    if (this.quota !== null && flight.throttledUntilUs < now) {
      const tokens = this.quota.tokensAt(now);
      this.quota.take(flight.wireBytes);
      if (tokens < flight.wireBytes) {
        const waitUs = Math.ceil(((flight.wireBytes - tokens) * 1e6) / this.quota.ratePerSecond);
        this.throttleTimeUs += waitUs;
        flight.throttledUntilUs = now + waitUs;
        return this.sim.after(waitUs, this.sendHandler, flight);
      }
    }
    const roundTripUs = this.settings.roundTrip.sampleUs();
    const partition = flight.partition;
    flight.sentUs = now;
    flight.roundTripUs = roundTripUs;
    flight.epoch = partition.leaderEpoch;
    // No leader, or a leader that is down (its connection fails): the client holds the batch until the
    // partition has a live leader again, or its delivery timeout passes (facts §3.2-3.3).
    if (partition.leader < 0 || !this.brokers[partition.leader].up) return this.park(flight);
    // A leader so far behind that the batch would be acknowledged after its delivery timeout: the
    // client gives up on it (delivery.timeout.ms, facts §3.2) and the broker is spared the work.
    const leader = this.brokers[partition.leader];
    if (leader.writeDoneAtUs(now, flight.wireBytes) + roundTripUs - flight.batch.timeUs[0] > this.settings.deliveryTimeoutUs) return this.drop(flight);
    // The request reaches the leader half a round trip later: the queue sees it now, the delay is added after.
    // A connection's requests are handled in order, so a partition's batches are appended in the order
    // they were sent, whatever their network delays (per-key order holds).
    const appendedUs = Math.max(leader.write(now, flight.wireBytes, this.settings.endUs) + Math.round(roundTripUs / 2), partition.lastAppendUs);
    partition.lastAppendUs = appendedUs;
    this.requestLatency.calls.add(now, 1);
    this.requestLatency.latencyMs.add(now, (appendedUs - now + roundTripUs / 2) / 1000);
    this.sim.at(appendedUs, this.appendHandler, flight);
  }

  /** The leader has the batch: it is in the log; followers start copying it. */
  private append(flight: InFlight): void {
    const now = this.sim.nowUs;
    const { partition, batch } = flight;
    if (flight.epoch !== partition.leaderEpoch || !this.brokers[partition.leader].up) return this.fail(flight, 0);
    // acks=all needs min.insync.replicas in sync before appending (NotEnoughReplicas, facts §3.2).
    if (this.settings.acks === "all" && partition.inSyncReplicas < this.settings.minInsyncReplicas) return this.fail(flight, 0);
    const log = partition.log;
    flight.firstSeq = log.tailSeq;
    log.append(now, batch.sizeBytes[0], batch.timeUs[0]);
    for (let i = 1; i < batch.count; i++) log.extend(batch.sizeBytes[i], batch.timeUs[i]);
    partition.series.offeredRecords.add(now, batch.count);
    partition.series.offeredBytes.add(now, batch.bytes);
    partition.series.demandRecords.add(now, batch.count);
    const leader = this.brokers[partition.leader];
    let copiedUs = now;
    const followers = partition.followers;
    for (let index = 0; index < followers.length; index++) {
      // A follower that is down copies nothing: the high watermark waits until it is fenced.
      const follower = this.brokers[followers[index]];
      if (!follower.up) continue;
      // The copy needs the leader to send it and the follower to write it: both queues see it now,
      // and it is done when both are.
      const sentUs = leader.send(now, flight.wireBytes, this.settings.endUs);
      const doneUs = Math.max(sentUs, follower.write(now, flight.wireBytes, this.settings.endUs));
      partition.copying(index, log.tailSeq, doneUs);
      copiedUs = Math.max(copiedUs, doneUs);
    }
    if (this.settings.acks === "all") this.sim.at(copiedUs, this.commitHandler, flight);
    else this.commit(flight);
  }

  private park(flight: InFlight): void {
    const index = flight.partition.index;
    const waiting = this.parked.get(index) ?? [];
    if (waiting.length === 0) this.parked.set(index, waiting);
    waiting.push(flight);
    this.countFailed(flight);
    const expiresAtUs = Math.max(this.sim.nowUs, Math.round(flight.batch.timeUs[0] + this.settings.deliveryTimeoutUs));
    this.sim.at(expiresAtUs, () => {
      const position = waiting.indexOf(flight);
      if (position < 0) return;
      waiting.splice(position, 1);
      this.drop(flight);
    });
  }

  private countFailed(flight: InFlight): void {
    const count = flight.batch.count;
    this.counts.throttledAttempts += count;
    flight.partition.failedAttempts += count;
    flight.partition.series.throttledAttempts.add(Math.min(this.sim.nowUs, this.settings.endUs), count);
  }

  /** The partition has a live leader again (elected, or its broker returned): held batches go out now. */
  leaderAvailable(partition: Partition): void {
    const waiting = this.parked.get(partition.index);
    if (waiting === undefined || waiting.length === 0) return;
    const resend = waiting.splice(0);
    for (const flight of resend) this.sim.after(0, this.sendHandler, flight);
  }

  private drop(flight: InFlight): void {
    this.counts.dropped += flight.batch.count;
    this.outstanding.delete(flight);
    this.batchers[flight.partition.index].recycle(flight.batch);
  }

  /** A failed attempt: retried after retry.backoff.ms until delivery.timeout.ms from the batch's first record, then dropped. */
  private fail(flight: InFlight, answerUs: number): void {
    const { batch } = flight;
    this.countFailed(flight);
    const retryAtUs = this.sim.nowUs + answerUs + retryBackoffUs;
    if (retryAtUs - batch.timeUs[0] > this.settings.deliveryTimeoutUs) return this.drop(flight);
    this.sim.at(Math.round(retryAtUs), this.sendHandler, flight);
  }

  /**
   * acks=all: every in-sync replica has the batch. A replica that went down holds the commit until the
   * controller fences it; after a leader change the batch counts if the new leader has it, else retries.
   */
  private settle(flight: InFlight): void {
    const { partition } = flight;
    if (flight.epoch !== partition.leaderEpoch) {
      const survived = partition.leader >= 0 && flight.firstSeq + flight.batch.count <= partition.log.tailSeq;
      return survived ? this.commit(flight) : this.fail(flight, 0);
    }
    let fenceAtUs = this.brokers[partition.leader].up ? -1 : this.brokers[partition.leader].downAtUs + brokerSessionTimeoutUs;
    for (const broker of partition.followers) {
      if (!this.brokers[broker].up) fenceAtUs = Math.max(fenceAtUs, this.brokers[broker].downAtUs + brokerSessionTimeoutUs);
    }
    if (fenceAtUs >= 0) return this.sim.at(Math.max(this.sim.nowUs, fenceAtUs + 1), this.commitHandler, flight);
    this.commit(flight);
  }

  /** The records are accepted: acknowledged (acks 1, all) or written (acks 0). */
  private commit(flight: InFlight): void {
    const now = this.sim.nowUs;
    const { partition, batch } = flight;
    // The batch holds serialized sizes: the data is what remains without the key and the framing.
    let dataBytes = 0;
    for (let i = 0; i < batch.count; i++) dataBytes += batch.sizeBytes[i] - this.keyBytes(batch.keyIndex[i]) - recordOverheadBytes;
    partition.commit(flight.firstSeq + batch.count, batch.count, batch.bytes, now);
    this.counts.accepted += batch.count;
    this.counts.acceptedBytes += dataBytes;
    // acks=0 returns as soon as it is sent; otherwise the answer takes the other half round trip.
    const ackUs = this.settings.acks === 0 ? flight.sentUs : now + flight.roundTripUs / 2;
    for (let i = 0; i < batch.count; i++) this.producerLatency.add(Math.max(0, ackUs - batch.timeUs[i]));
    this.outstanding.delete(flight);
    this.batchers[partition.index].recycle(batch);
  }
}
