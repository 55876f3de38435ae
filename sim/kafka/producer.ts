// A producer application's Kafka client (the Java client's behaviour, docs/reference.md §3.1-3.2): each keyed
// record goes where the client's partitioner puts it (client-partitioners.ts; the Java client's is
// toPositive(murmur2(key)) % partitions); records collect in a batch per partition
// until batch.size bytes or linger; a batch goes to the partition's leader, which appends it when it
// gets to it; followers' fetches copy it. acks=0 counts a record sent, acks=1 when the leader has it,
// acks=all when every in-sync replica has it (the high watermark passes it).
//
// The client is bounded as the Java one is (docs/reference.md §3.2): its batches hold at most
// buffer.memory until they are answered. A send() that finds the buffer full blocks until an answer
// frees enough, and fails after max.block.ms (the record is dropped, BufferExhaustedException). The
// workload calls send() for each record when it creates it, so sends wait in line: the records still
// waiting are left in the workload's stream, not copied, and counted pending.
// At most max.in.flight.requests.per.connection requests are unanswered per broker (in-flight.ts).

import { roundHalfUp, invariant, TokenBucket, truncate, type Simulation, type Uniform } from "../engine/index.ts";
import { newProducerCounts, type CounterSeries, type LogHistogram, type KafkaCountedUsage, type ProducerCounts, type ProducerMeter, type UsageCounter } from "../metrics/index.ts";
import { feedAhead, KeyByteLengths, RecordBlock, type LatencySampler, type ProducerStream } from "../workload/index.ts";
import { joinBatch, RecordAccumulator, type DrainedRequest, type ProducerBatch } from "./accumulator.ts";
import type { Broker } from "./broker.ts";
import { retryBackoffUs } from "./backoff.ts";
import { InFlightGate, type GatedRequest } from "./in-flight.ts";
import { batchHeaderBytes, recordOverheadBytes } from "./limits.ts";
import type { Partition } from "./partition.ts";
import { keylessPartitionerOf, keyPartitionerOf, type KeylessPartitioner, type KeyPartitioner, type PartitionerName } from "./client-partitioners.ts";

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
  maxRequestBytes: number;
  bufferMemoryBytes: number;
  /** max.block.ms: how long a send() waits for buffer.memory before it fails. */
  maxBlockUs: number;
  /** retry.backoff.ms and retry.backoff.max.ms (KIP-580). */
  retryBackoffUs: number;
  retryBackoffMaxUs: number;
  /** Draws of the retry backoff's jitter. */
  backoffUniform: Uniform;
  /** max.in.flight.requests.per.connection: requests sent to one broker and not yet answered. */
  maxInFlightRequests: number;
  /** Network round trip between client and broker (half each way). */
  roundTrip: LatencySampler;
  /** The client's partitioner (client-partitioners.ts). */
  partitioner: PartitionerName;
  /** librdkafka's sticky.partitioning.linger.ms, for its partitioners' keyless records. */
  stickyLingerUs: number;
  /** Draws of the partitioner for records without a key. */
  stickyUniform: Uniform;
  endUs: number;
  /** Billable records and bytes accepted after warm-up (SystemResult.usage). */
  usage: UsageCounter<KafkaCountedUsage>;
  /** Record bytes each broker holds replicas of, after warm-up, by broker index (shared by the producers). */
  replicatedBytesByBroker: number[];
  /** The followers' fetch loops, told of every batch appended and every request (replication.ts). */
  replication: { appended(partition: Partition): void; answerWaiting(leader: number): void };
}


/** One partition's batch on its way: sent, appended by the leader, waiting for its followers' copies. */
interface InFlight {
  partition: Partition;
  batch: ProducerBatch;
  wireBytes: number;
  firstSeq: number;
  /** The partition's leader epoch when the batch was sent: a leader change voids the attempt. */
  epoch: number;
  /** Failed attempts so far (the retry backoff grows with them). */
  retries: number;
  /** Attempts that reached the partition's leader (a batch held while its partition has no live leader makes none): each after the first is a retry. */
  attempts: number;
  /**
   * When the high watermark passes this attempt's records, as highWatermarkTimeUs told, and the
   * partition's replicaVersion then (-1: not known): while that version holds, the high watermark is
   * past them from that time on, and settle need not work it out again.
   */
  hwAtUs: number;
  hwVersion: number;
}

/** A produce request: batches for one leader broker, sent, appended and answered together. */
interface Request extends GatedRequest<InFlight> {
  /** The broker it was drained for; -1 for a retry, which goes to its partition's leader of the moment. */
  node: number;
  flights: InFlight[];
  sentUs: number;
  /** This attempt's round trip: half to the leader, half for the answer. */
  roundTripUs: number;
  /** Set while the request is held by the quota (it is charged once per attempt). */
  throttledUntilUs: number;
}

export class KafkaProducerClient {
  readonly counts: ProducerCounts = newProducerCounts();
  /** Bytes of the accepted record batches as the log stores them and clients send them: values, keys, framing, batch headers. */
  logBytesAccepted = 0;
  /** Records offered per key index, for explaining hot partitions; null for unbounded keys. */
  readonly offeredPerKey: Float64Array | null;
  private readonly partitionOfKey: Int32Array | null;
  private readonly keyByteLengths: KeyByteLengths;
  private readonly accumulator: RecordAccumulator;
  /** Where keyed records go: the client's partitioner (docs/reference.md §3.1). */
  readonly partitionForKey: KeyPartitioner;
  readonly partitioner: PartitionerName;
  /** Records without a key go where the client's keyless partitioner sends them (docs/reference.md §3.1); null for keyed records. */
  private sticky: KeylessPartitioner | null;
  private readonly block = new RecordBlock(blockCapacity);
  /** Records in requests not yet answered for good (acknowledged or dropped). */
  private outstandingRecords = 0;
  /** Byte-rate quota: a second's worth of allowance that requests draw on and may overdraw. */
  private readonly quota: TokenBucket | null;
  /** Microseconds requests were held back by the quota (the brokers' throttle_time). */
  throttleTimeUs = 0;
  /** Batches held while their partition has no live leader, by partition. */
  private readonly parked = new Map<number, InFlight[]>();
  private readonly sendHandler = (request: Request): void => this.send(request);
  private readonly appendHandler = (request: Request): void => this.append(request);
  private readonly settleHandler = (request: Request): void => this.settle(request);
  /** acks=all requests appended and waiting for the high watermark, by leader broker. */
  private readonly waiting: Request[][];
  /** max.in.flight.requests.per.connection: requests unanswered per broker, and those waiting for a slot. */
  private readonly gate: InFlightGate<InFlight, Request>;
  /** Records of `block` from here on are not yet handed to send(); while `blocked`, the first waits for buffer.memory. */
  private blockIndex = 0;
  private blocked = false;
  private blockedSinceUs = 0;
  /** The waiting record's partition, chosen once (the sticky partitioner draws once per record); -1 before. */
  private headPartition = -1;
  /** Every record created before it was taken from the workload (the feed window's end). */
  private horizonUs = 0;
  /** Records still blocked in send() when the run ended, beyond those in `block`. */
  private blockedAtEnd = 0;
  private ended = false;
  /** Records whose send() failed after max.block.ms with the buffer full (also in counts.dropped). */
  bufferExhausted = 0;
  /** Time send() was blocked on a full buffer, in all. */
  blockedUs = 0;
  /** The most buffer.memory the batches held at once. */
  bufferedBytesMax = 0;

  constructor(
    private readonly sim: Simulation,
    private readonly partitions: Partition[],
    private readonly brokers: Broker[],
    readonly workload: ProducerStream,
    private readonly settings: KafkaProducerSettings,
    private readonly producerLatency: LogHistogram,
    private readonly requestLatency: { calls: CounterSeries; latencyMs: CounterSeries },
    /** The records it took from the workload and the records it sent again. */
    readonly meter: ProducerMeter,
  ) {
    this.quota = settings.quotaBytesPerSecond === null ? null : new TokenBucket(settings.quotaBytesPerSecond, settings.quotaBytesPerSecond);
    const cardinality = workload.keys.cardinality;
    const finite = Number.isFinite(cardinality);
    const keyless = workload.keys.keyless === true;
    this.partitioner = settings.partitioner;
    this.partitionForKey = keyPartitionerOf(settings.partitioner);
    this.sticky = keyless ? this.newKeylessPartitioner() : null;
    this.offeredPerKey = finite && !keyless ? new Float64Array(cardinality) : null;
    this.partitionOfKey = finite ? new Int32Array(cardinality).fill(-1) : null;
    this.keyByteLengths = new KeyByteLengths(workload.keys);
    this.waiting = brokers.map(() => []);
    this.gate = new InFlightGate(sim, brokers.length, settings, { newRequest, send: (request) => this.send(request), drop: (flight) => this.drop(flight), join: (into, from) => this.join(into, from) });
    // Nodes are the brokers, plus one for partitions with no leader (their batches are held at send).
    this.accumulator = new RecordAccumulator(
      {
        lingerUs: settings.lingerUs,
        batchSizeBytes: settings.batchSizeBytes,
        maxRequestBytes: settings.maxRequestBytes,
        bufferMemoryBytes: settings.bufferMemoryBytes,
        deliveryTimeoutUs: settings.deliveryTimeoutUs,
      },
      partitions.length,
      brokers.length + 1,
      (drained) => this.onRequest(drained),
      (node) => node < brokers.length && brokers[node].up,
    );
  }

  start(): void {
    feedAhead(this.sim, this.workload, {
      take: (untilUs) => this.feed(untilUs),
      flushUntil: (untilUs) => this.accumulator.flushUntil(untilUs),
      finish: (untilUs) => this.accumulator.flushAll(untilUs),
    });
    this.sim.at(this.settings.endUs, () => this.endOfRun());
  }

  /** Records held by the client: blocked in send(), in batches not yet sent, and in batches not yet acknowledged. */
  pendingRecords(): number {
    return this.block.count - this.blockIndex + this.blockedAtEnd + this.accumulator.waitingCount + this.outstandingRecords;
  }

  private feed(untilUs: number): void {
    this.horizonUs = untilUs;
    this.handOver();
  }

  /**
   * Hands records to send() in creation order, each when it is created or, blocked, when an answer
   * frees buffer.memory; a record still blocked max.block.ms after its send() fails.
   */
  private handOver(): void {
    const now = this.sim.nowUs;
    const { block, accumulator, partitions } = this;
    const { timeUs, keyIndex: keyIndexes, sizeBytes } = block;
    const maxBlockUs = this.settings.maxBlockUs;
    const noLeaderNode = this.brokers.length;
    while (!this.ended) {
      if (this.blockIndex === block.count && !this.take(this.horizonUs)) break;
      // The block's records in locals: nothing below reads blockIndex or headPartition until the loop leaves.
      const count = block.count;
      let i = this.blockIndex;
      let headPartition = this.headPartition;
      let stopped = false;
      for (; i < count; i++) {
        const createdUs = timeUs[i];
        if (createdUs + maxBlockUs < now) {
          this.counts.dropped++;
          this.bufferExhausted++;
          headPartition = -1;
          continue;
        }
        const keyIndex = keyIndexes[i];
        // The batch counts serialized bytes: value, key and the record's framing.
        const serialized = sizeBytes[i] + this.keyBytes(keyIndex) + recordOverheadBytes;
        const atUs = now > createdUs ? now : createdUs;
        if (headPartition < 0) headPartition = this.sticky === null ? this.partitionOf(keyIndex) : this.sticky.partitionFor(serialized, atUs);
        const leader = partitions[headPartition].leader;
        if (!accumulator.add(atUs, headPartition, leader < 0 ? noLeaderNode : leader, serialized, sizeBytes[i], createdUs)) {
          if (!this.blocked) this.blockedSinceUs = atUs;
          this.blocked = true;
          stopped = true;
          break;
        }
        headPartition = -1;
        if (this.blocked) {
          this.blockedUs += atUs - this.blockedSinceUs;
          this.blocked = false;
        }
      }
      this.blockIndex = i;
      this.headPartition = headPartition;
      if (stopped) break;
    }
    this.bufferedBytesMax = Math.max(this.bufferedBytesMax, accumulator.bufferedBytes);
  }

  /** Takes the next records created before untilUs from the workload; returns whether there were any. */
  private take(untilUs: number): boolean {
    const { block, counts, offeredPerKey } = this;
    this.blockIndex = 0;
    if (this.workload.fill(untilUs, block) === 0) return false;
    for (let i = 0; i < block.count; i++) {
      counts.producedBytes += block.sizeBytes[i];
      if (offeredPerKey !== null) offeredPerKey[block.keyIndex[i]]++;
    }
    counts.produced += block.count;
    this.meter.took(block.timeUs, block.count);
    return true;
  }

  /** The run ends: sends still blocked stay pending, those blocked for max.block.ms by now failed. */
  private endOfRun(): void {
    if (!this.blocked) return;
    const endUs = this.settings.endUs;
    this.blockedUs += endUs - Math.min(endUs, this.blockedSinceUs);
    this.ended = true;
    do {
      for (let i = this.blockIndex; i < this.block.count; i++) {
        if (this.block.timeUs[i] + this.settings.maxBlockUs >= endUs) this.blockedAtEnd++;
        else {
          this.counts.dropped++;
          this.bufferExhausted++;
        }
      }
      this.blockIndex = this.block.count;
    } while (this.take(Infinity));
  }

  /** The topic grew: new batchers, and every key's partition is computed again (keys move). */
  partitionsAdded(): void {
    this.accumulator.partitionsAdded(this.partitions.length);
    if (this.sticky !== null) this.sticky = this.newKeylessPartitioner();
    this.partitionOfKey?.fill(-1);
  }

  private partitionOf(keyIndex: number): number {
    const cache = this.partitionOfKey;
    if (cache === null) return this.partitionForKey(this.workload.keys.keyAt(keyIndex), this.partitions.length);
    let partition = cache[keyIndex];
    if (partition < 0) {
      partition = this.partitionForKey(this.workload.keys.keyAt(keyIndex), this.partitions.length);
      cache[keyIndex] = partition;
    }
    return partition;
  }

  private newKeylessPartitioner(): KeylessPartitioner {
    const { partitioner, batchSizeBytes, stickyLingerUs, stickyUniform } = this.settings;
    return keylessPartitionerOf(partitioner, { partitionCount: this.partitions.length, batchSizeBytes, stickyLingerUs, uniform: stickyUniform });
  }

  private keyBytes(keyIndex: number): number {
    return this.keyByteLengths.of(keyIndex);
  }


  private onRequest(drained: DrainedRequest): void {
    const flights: InFlight[] = [];
    for (const batch of drained.batches) {
      flights.push({ partition: this.partitions[batch.partition], batch, wireBytes: batch.bytes + batchHeaderBytes, firstSeq: 0, epoch: 0, retries: 0, attempts: 0, hwAtUs: -1, hwVersion: -1 });
      this.outstandingRecords += batch.count;
    }
    const node = drained.node < this.brokers.length ? drained.node : -1;
    this.sim.at(drained.sendUs, this.sendHandler, newRequest(node, flights));
  }

  /** A request on its own for one batch (a retry, or a batch whose partition changed leader). */
  private sendAlone(flight: InFlight, atUs: number): void {
    this.sim.at(atUs, this.sendHandler, newRequest(-1, [flight]));
  }

  /** The request travels half a round trip to its leader, which appends it when it is free. */
  private send(request: Request): void {
    const now = this.sim.nowUs;
    if (!this.routeToLeader(request)) return this.gate.release(request);
    if (!request.inFlight && !this.gate.take(request)) return;
    const wireBytes = sumWire(request.flights);
    // Over its byte-rate quota, the client is throttled: brokers hold its requests until its rate is
    // back under the quota (throttle_time_ms). Modelled as an allowance the request must not overdraw.
    if (this.quota !== null && request.throttledUntilUs < now) {
      const tokens = this.quota.tokensAt(now);
      this.quota.take(wireBytes);
      if (tokens < wireBytes) {
        const waitUs = Math.ceil(((wireBytes - tokens) * 1e6) / this.quota.ratePerSecond);
        this.throttleTimeUs += waitUs;
        request.throttledUntilUs = now + waitUs;
        return this.sim.after(waitUs, this.sendHandler, request);
      }
    }
    const roundTripUs = this.settings.roundTrip.sampleUs();
    request.sentUs = now;
    request.roundTripUs = roundTripUs;
    const leader = this.brokers[request.node];
    // A leader so far behind that a batch would be acknowledged after its delivery timeout: the client
    // gives up on that batch (delivery.timeout.ms, docs/reference.md §3.2) and the broker is spared the work.
    const answerUs = leader.writeDoneAtUs(now, wireBytes) + roundTripUs;
    const flights = request.flights;
    let kept = 0;
    for (let i = 0; i < flights.length; i++) {
      const flight = flights[i];
      if (answerUs - flight.batch.openedUs <= this.settings.deliveryTimeoutUs) flights[kept++] = flight;
      else this.drop(flight);
    }
    if (kept === 0) {
      truncate(flights, 0);
      return this.gate.release(request);
    }
    const sentBytes = kept === flights.length ? wireBytes : sumWire(flights, kept);
    truncate(flights, kept);
    // The request reaches the leader half a round trip later: the queue sees it now, the delay is added
    // after. A connection's requests are handled in order, so a partition's batches are appended in
    // the order they were sent, whatever their network delays (per-key order holds).
    let appendedUs = leader.write(now, sentBytes, sumRecords(flights), this.settings.endUs) + roundHalfUp(roundTripUs / 2);
    for (const flight of flights) appendedUs = Math.max(appendedUs, flight.partition.lastAppendUs);
    for (const flight of flights) {
      flight.partition.scheduleAppend(appendedUs);
      flight.epoch = flight.partition.leaderEpoch;
    }
    this.requestLatency.calls.add(now, 1);
    this.requestLatency.latencyMs.add(now, (appendedUs - now + roundTripUs / 2) / 1000);
    this.sim.at(appendedUs, this.appendHandler, request);
    // acks=0 expects no answer: the request leaves the in-flight count once it is sent.
    if (this.settings.acks === 0) this.gate.release(request);
  }

  /** The answer to the request reaches the client half a round trip after the broker gives it. */
  private answer(request: Request): void {
    this.gate.releaseAt(request, this.sim.nowUs + roundHalfUp(request.roundTripUs / 2));
  }

  /**
   * Keeps in the request the batches whose partition the request's broker leads now and that broker is
   * up; batches of partitions with no live leader are held (docs/reference.md §3.2-3.3), batches whose partition
   * moved go on their own to the new leader. Returns whether any batch is left to send.
   */
  private routeToLeader(request: Request): boolean {
    if (request.node < 0) request.node = request.flights[0].partition.leader;
    const flights = request.flights;
    let kept = 0;
    for (let i = 0; i < flights.length; i++) {
      const flight = flights[i];
      const leader = flight.partition.leader;
      if (leader < 0 || !this.brokers[leader].up) this.park(flight);
      else if (leader !== request.node) this.sendAlone(flight, this.sim.nowUs);
      else flights[kept++] = flight;
    }
    truncate(flights, kept);
    return kept > 0;
  }

  /** The leader has the batches: they are in the logs; followers' fetches copy them. */
  private append(request: Request): void {
    const now = this.sim.nowUs;
    const leader = this.brokers[request.node];
    const flights = request.flights;
    let appended = 0;
    for (let i = 0; i < flights.length; i++) {
      const flight = flights[i];
      const { partition, batch } = flight;
      this.attempted(flight);
      if (flight.epoch !== partition.leaderEpoch || !leader.up) {
        this.fail(flight, 0);
        continue;
      }
      // acks=all needs min.insync.replicas in sync before appending (NotEnoughReplicas, docs/reference.md §3.2).
      if (this.settings.acks === "all" && partition.inSyncReplicas < this.settings.minInsyncReplicas) {
        this.fail(flight, 0);
        continue;
      }
      flight.firstSeq = partition.append(now, batch.count, batch.bytes, batch.timeUs[0], batch.createSumUs);
      flight.hwVersion = -1;
      this.settings.replication.appended(partition);
      flights[appended++] = flight;
    }
    truncate(flights, appended);
    if (appended === 0) return this.answer(request);
    this.settings.replication.answerWaiting(request.node);
    // acks=all waits at the leader until the followers' fetches move the high watermark past it.
    if (this.settings.acks === "all") this.awaitReplicas(request);
    else {
      for (let i = 0; i < flights.length; i++) this.commit(flights[i], request);
      this.answer(request);
    }
  }

  private park(flight: InFlight): void {
    const index = flight.partition.index;
    const waiting = this.parked.get(index) ?? [];
    if (waiting.length === 0) this.parked.set(index, waiting);
    waiting.push(flight);
    // Held, not sent: the Java sender drains no batch for a node it cannot send to, so holding is no
    // attempt and no failure (an attempt that reached a failed leader counted at its failure).
    const expiresAtUs = Math.max(this.sim.nowUs, roundHalfUp(flight.batch.openedUs + this.settings.deliveryTimeoutUs));
    this.sim.at(expiresAtUs, () => {
      const position = waiting.indexOf(flight);
      if (position < 0) return;
      waiting.splice(position, 1);
      this.drop(flight);
    });
  }

  /** An attempt of the flight's batch reached its leader or found none: one after the first is a retry. */
  private attempted(flight: InFlight): void {
    if (flight.attempts++ > 0) this.meter.retry(Math.min(this.sim.nowUs, this.settings.endUs), flight.batch.count);
  }

  private countFailed(flight: InFlight): void {
    const count = flight.batch.count;
    this.counts.throttledAttempts += count;
    flight.partition.countFailed(Math.min(this.sim.nowUs, this.settings.endUs), count);
  }

  /** The partition has a live leader again (elected, or its broker returned): held batches go out now. */
  leaderAvailable(partition: Partition): void {
    const waiting = this.parked.get(partition.index);
    if (waiting !== undefined && waiting.length > 0) {
      const resend = waiting.splice(0);
      for (const flight of resend) this.sendAlone(flight, this.sim.nowUs);
    }
    // Then the batches the accumulator kept filling for it, after the held ones (per-partition order).
    this.accumulator.leaderAvailable(partition.index, this.sim.nowUs);
  }

  /** An answer freed buffer.memory: a blocked send() may go on. */
  private freed(batch: ProducerBatch): void {
    this.accumulator.recycle(batch);
    if (this.blocked) {
      this.handOver();
      this.accumulator.flushUntil(this.horizonUs);
    }
  }

  /**
   * A batch waiting for a free in-flight slot joins its partition's earlier waiting batch if neither
   * was ever sent and together they fit in batch.size; its buffer.memory is freed (in-flight.ts).
   */
  private join(into: InFlight, from: InFlight): boolean {
    if (into.attempts > 0 || from.attempts > 0 || into.batch.bytes + from.batch.bytes > this.settings.batchSizeBytes) return false;
    joinBatch(into.batch, from.batch);
    into.wireBytes = into.batch.bytes + batchHeaderBytes;
    this.freed(from.batch);
    return true;
  }

  private drop(flight: InFlight): void {
    this.counts.dropped += flight.batch.count;
    this.outstandingRecords -= flight.batch.count;
    invariant(this.outstandingRecords >= 0, "a producer drops only records it sent");
    this.freed(flight.batch);
  }

  /**
   * A failed attempt: retried after the exponential backoff (KIP-580, docs/reference.md §3.2) until
   * delivery.timeout.ms from the batch's creation, then dropped.
   */
  private fail(flight: InFlight, answerUs: number): void {
    this.countFailed(flight);
    const { settings } = this;
    const backoffUs = retryBackoffUs(++flight.retries, settings.retryBackoffUs, settings.retryBackoffMaxUs, settings.backoffUniform);
    const retryAtUs = this.sim.nowUs + answerUs + backoffUs;
    if (retryAtUs - flight.batch.openedUs > this.settings.deliveryTimeoutUs) return this.drop(flight);
    this.sendAlone(flight, roundHalfUp(retryAtUs));
  }

  /** Followers were sent data of partitions `leader` leads: waiting requests whose acknowledgement time is now known get it. */
  replicasCopied(leader: number): void {
    const waiting = this.waiting[leader];
    if (waiting.length === 0) return;
    let kept = 0;
    for (const request of waiting) {
      const settleUs = this.settleTimeUs(request);
      if (settleUs >= 0) this.sim.at(Math.max(settleUs, this.sim.nowUs), this.settleHandler, request);
      else waiting[kept++] = request;
    }
    truncate(waiting, kept);
  }

  /** Leaders or in-sync replicas changed: every waiting request looks again now. */
  replicasChanged(): void {
    for (const waiting of this.waiting) {
      for (const request of waiting) this.sim.at(this.sim.nowUs, this.settleHandler, request);
      truncate(waiting, 0);
    }
  }

  /**
   * acks=all: a batch is acknowledged once the high watermark passes it (its leader up to answer). A
   * replica that went down holds it until the controller fences it; after a leader change a batch
   * counts if the new leader has it, else retries.
   */
  private settle(request: Request): void {
    const now = this.sim.nowUs;
    const flights = request.flights;
    let waiting = 0;
    for (let i = 0; i < flights.length; i++) {
      const flight = flights[i];
      const { partition } = flight;
      const endSeq = flight.firstSeq + flight.batch.count;
      if (flight.epoch !== partition.leaderEpoch) {
        if (partition.holds(flight.epoch, endSeq)) this.commit(flight, request);
        else this.fail(flight, 0);
      } else {
        // The time settleTimeUs gave has come and the replicas are as they were: the high watermark is past the batch.
        const passed = flight.hwVersion === partition.replicaVersion && now >= flight.hwAtUs;
        if (passed) partition.highWatermarkPassed(endSeq);
        if (this.brokers[partition.leader].up && (passed || partition.highWatermarkReaches(endSeq, now))) this.commit(flight, request);
        else flights[waiting++] = flight;
      }
    }
    truncate(flights, waiting);
    if (waiting > 0) this.awaitReplicas(request);
    else this.answer(request);
  }

  /**
   * The request waits for the time the high watermark passes its batches, or, while that is not known,
   * for the followers' next copies or a change of replicas; with that time come, it settles now.
   */
  private awaitReplicas(request: Request): void {
    const now = this.sim.nowUs;
    const settleUs = this.settleTimeUs(request);
    if (settleUs > now) this.sim.at(settleUs, this.settleHandler, request);
    else if (settleUs === now && this.brokers[request.node].up) this.settle(request);
    else this.waiting[request.node].push(request);
  }

  /** When the high watermark passes every batch of the request, as far as the copies sent so far tell; -1 if not known yet. */
  private settleTimeUs(request: Request): number {
    let settleUs = 0;
    for (const flight of request.flights) {
      const partition = flight.partition;
      const atUs = partition.highWatermarkTimeUs(flight.firstSeq + flight.batch.count, this.sim.nowUs);
      if (atUs < 0) return -1;
      flight.hwAtUs = atUs;
      flight.hwVersion = partition.replicaVersion;
      settleUs = Math.max(settleUs, atUs);
    }
    return settleUs;
  }

  /** The records are accepted: acknowledged (acks 1, all) or written (acks 0). */
  private commit(flight: InFlight, request: Request): void {
    const now = this.sim.nowUs;
    const { partition, batch } = flight;
    partition.commit(flight.firstSeq + batch.count, batch.count, batch.bytes, now);
    this.counts.accepted += batch.count;
    this.counts.acceptedBytes += batch.dataBytes;
    this.logBytesAccepted += flight.wireBytes;
    this.countUsage(now, flight);
    // acks=0 returns as soon as it is sent; otherwise the answer takes the other half round trip.
    const ackUs = this.settings.acks === 0 ? request.sentUs : now + request.roundTripUs / 2;
    this.producerLatency.addElapsed(ackUs, batch.timeUs, batch.count);
    this.outstandingRecords -= batch.count;
    invariant(this.outstandingRecords >= 0, "a producer settles only records it sent");
    this.freed(batch);
  }

  /** Records, data bytes and log bytes accepted, and the bytes each replica's broker stores, after warm-up. */
  private countUsage(nowUs: number, flight: InFlight): void {
    const usage = this.settings.usage;
    if (!usage.counts(nowUs)) return;
    const { partition, batch } = flight;
    // Named fields rather than usage.add(name): one counted batch, three monomorphic adds.
    const totals = usage.totals;
    totals.recordsAccepted += batch.count;
    totals.bytesAccepted += batch.dataBytes;
    totals.logBytes += flight.wireBytes;
    const replicated = this.settings.replicatedBytesByBroker;
    for (const broker of partition.replicas) replicated[broker] += batch.bytes;
  }
}

function newRequest(node: number, flights: InFlight[]): Request {
  return { node, flights, sentUs: 0, roundTripUs: 0, throttledUntilUs: -1, inFlight: false, waiting: false, releaseUs: 0, releaseReservation: -1 };
}

/** Wire bytes of the first `count` flights (all of them by default). */
function sumRecords(flights: InFlight[]): number {
  let records = 0;
  for (const flight of flights) records += flight.batch.count;
  return records;
}

function sumWire(flights: InFlight[], count = flights.length): number {
  let bytes = 0;
  for (let i = 0; i < count; i++) bytes += flights[i].wireBytes;
  return bytes;
}
