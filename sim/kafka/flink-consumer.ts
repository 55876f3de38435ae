// A Managed Service for Apache Flink application reading the topic (docs/reference.md §8): its Kafka
// source fetches every partition up to the high watermark (max.partition.fetch.bytes per fetch, served
// by the leader broker) and fetches again as soon as a fetch is answered, while the application is not
// backpressured. Kafka's batches do not keep their records' keys, so a batch of partition p is split
// among the subtasks by p's key mix: each key's share (the workload's probabilities) on the subtask of
// its key group, computed once per distinct key; each record draws its subtask from that mix (a named
// random stream), so counts are whole records and carry the sampling noise of real keys. With event-time
// windows each record also draws its event time (docs/reference.md §8.5). Positions, expiry, truncation
// and lag go through a
// GroupLog, as a consumer group's do; offsets are committed as records are processed (the group's
// committed offsets matter to no restart: a restarted job reads again from its last checkpoint's
// positions, docs/reference.md §8.6).

import { roundHalfUp, Deque, type RandomStreams, type Simulation, type Uniform } from "../engine/index.ts";
import { assignWindows, checkpointSettings, windowSettingsOf, EventTimeDelays, FlinkApplication, flinkStats, SourceBatch, type KeyCounts, type SourcePositions, type WindowCounts, type WindowSettings } from "../flink/index.ts";
import { ConsumerMeter, type ConsumerResult, type SeriesOptions } from "../metrics/index.ts";
import { flinkParallelismMax, type FlinkKafkaConsumerSpec } from "../scenario/flink-schema.ts";
import { LatencySampler, type ReadMeasure } from "../workload/index.ts";
import type { Broker } from "./broker.ts";
import { Cursor } from "./cursor.ts";
import { GroupLog } from "./group-log.ts";
import { partitionForKey } from "./partitioner.ts";
import type { Partition, Truncation } from "./partition.ts";

/** Keys whose share is looked up one by one; the rest of the probability is spread evenly. */
const mixKeysMax = 2_000_000;
/** Flink's network buffers for a keyed subtask's input (docs/reference.md §8.3). */
const inputBufferBytes = (parallelism: number) => (2 * parallelism + 8) * 32 * 1024;

interface Pending {
  startSeq: number;
  endSeq: number;
  done: boolean;
}

class PartitionReader {
  state: "idle" | "fetching" | "waiting" = "idle";
  /** Waiting for the application to drain (registered once, however often the partition wakes it). */
  awaitingRelief = false;
  /** The largest event time handed on from this partition (event-time windows). */
  maxEventUs = -Infinity;
  readonly pending = new Deque<Pending>();
  /** Position after the last batch handed on (what a checkpoint barrier follows). */
  handedOnSeq = 0;
  /** Position of the last completed checkpoint: records from here on may be read again. */
  checkpointSeq = 0;
  /** Bumped by a restart: a fetch answered for an older generation is dropped. */
  generation = 0;
  /** After a restart, records below this were processed before it (reprocessed when read again); -1 otherwise. */
  replayEndSeq = -1;
  constructor(readonly partition: Partition) {}
}

export class FlinkKafkaConsumer {
  readonly app: FlinkApplication;
  readonly meter: ConsumerMeter;
  /** The producers' keys and counts (set by the model): the key mix, and the subtasks' busiest keys. */
  keyCounts: () => readonly KeyCounts[] = () => [];
  private readonly cursors: Cursor[] = [];
  private readonly readers: PartitionReader[] = [];
  private readonly log: GroupLog;
  private readonly measure: ReadMeasure = { count: 0, bytes: 0, lastArrivalUs: -1 };
  /** Per producer: partition x subtask shares of its records, for the current partition count. */
  private mixes: Float64Array[] = [];
  private mixPartitions = 0;
  private mixParallelism = 0;
  private counts: Float64Array;
  private createSums: Float64Array;
  private cumulative: Float64Array;
  private readonly routeU: Uniform;
  private readonly windowing: { settings: WindowSettings; delays: EventTimeDelays } | null;

  constructor(
    readonly spec: FlinkKafkaConsumerSpec,
    private readonly sim: Simulation,
    private readonly partitions: Partition[],
    private readonly brokers: Broker[],
    private readonly roundTrip: LatencySampler,
    private readonly seriesOptions: SeriesOptions,
    private readonly times: { warmupUs: number; endUs: number },
    streams: RandomStreams,
    prefix: string,
  ) {
    this.meter = new ConsumerMeter({ name: spec.name, type: "flink", seriesOptions, warmupUs: times.warmupUs, native: { name: "recordsLag", unit: "records" } });
    const settings = {
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
    this.windowing = settings.windows === null ? null : { settings: settings.windows, delays: new EventTimeDelays(spec.eventTimeDelay, streams.stream(`${prefix}/event-time`)) };
    this.routeU = streams.stream(`${prefix}/key-mix`);
    this.app = new FlinkApplication(settings, sim, {
      onLatency: (latencyUs, count) => this.meter.endToEnd(latencyUs, count),
      positions: (processed) => ({
        seqs: this.readers.map((reader, index) => (processed ? this.cursors[index]!.processedSeq : reader.handedOnSeq)),
        maxEventUs: this.readers.map((reader) => reader.maxEventUs),
      }),
      checkpointed: (positions) => this.readers.forEach((reader, index) => (reader.checkpointSeq = Math.max(reader.checkpointSeq, positions.seqs[index] ?? 0))),
      stop: () => this.stop(),
      // A Kafka source splits batches by key shares: the parts are fractions of records, duplicates whole ones.
      onPartlyProcessed: (nowUs, records) => this.meter.processed(nowUs, 0, this.app.settings.checkpoints?.exactlyOnce ? 0 : Math.round(records)),
      resume: (positions) => this.resume(positions),
    });
    this.log = new GroupLog(partitions, this.cursors, [], "earliest", this.meter, seriesOptions);
    this.counts = new Float64Array(spec.parallelism);
    this.createSums = new Float64Array(spec.parallelism);
    this.cumulative = new Float64Array(spec.parallelism);
    this.partitionsAdded();
  }

  get name(): string {
    return this.spec.name;
  }

  start(): void {
    for (const reader of this.readers) this.fetch(reader);
    this.app.start();
  }

  /** flink-restart: the job restarts from its last completed checkpoint. */
  restart(): void {
    this.app.restart("timeline");
  }

  /** The job stops: fetches under way and batches handed on are dropped. */
  private stop(): void {
    for (const reader of this.readers) {
      reader.generation++;
      while (reader.pending.shift() !== undefined);
      reader.state = "idle";
      reader.awaitingRelief = false;
      reader.replayEndSeq = Math.max(reader.replayEndSeq, this.cursors[reader.partition.index]!.processedSeq);
    }
  }

  /** The job runs again: each partition is read from the checkpoint's position (from the start without one). */
  private resume(positions: SourcePositions | null): void {
    this.readers.forEach((reader, index) => {
      const seq = positions?.seqs[index] ?? 0;
      this.cursors[index]!.rewindTo(seq);
      reader.handedOnSeq = Math.min(reader.handedOnSeq, seq);
      reader.maxEventUs = positions?.maxEventUs[index] ?? -Infinity;
    });
    for (const reader of this.readers) this.fetch(reader);
  }

  /** New partitions (add-partitions): each gets a reader; keys move, so the key mix is computed again. */
  partitionsAdded(): void {
    for (let index = this.readers.length; index < this.partitions.length; index++) {
      const partition = this.partitions[index]!;
      const reader = new PartitionReader(partition);
      this.cursors.push(new Cursor(this.seriesOptions));
      this.readers.push(reader);
      partition.listeners.push(() => this.wake(reader));
      if (this.sim.nowUs > 0) this.fetch(reader);
    }
  }

  private wake(reader: PartitionReader): void {
    if (reader.state === "waiting") this.fetch(reader);
  }

  private fetch(reader: PartitionReader): void {
    if (this.app.isDown) return;
    reader.state = "idle";
    if (this.app.backpressured) {
      reader.state = "waiting";
      if (reader.awaitingRelief) return;
      reader.awaitingRelief = true;
      return this.app.whenReady(() => {
        reader.awaitingRelief = false;
        this.wake(reader);
      });
    }
    const { partition } = reader;
    const cursor = this.cursors[partition.index]!;
    const nowUs = this.sim.nowUs;
    // A partition without a live leader serves nothing until one is elected or returns (its listeners wake the reader).
    if (partition.leader < 0 || !this.brokers[partition.leader]!.up) {
      reader.state = "waiting";
      return;
    }
    const readableSeq = Math.min(partition.committedSeq, partition.highWatermark(nowUs));
    if ((partition.expiredSeq > cursor.fetchedSeq && !this.log.skipExpired(partition, cursor, readableSeq, nowUs)) || readableSeq <= cursor.fetchedSeq) {
      reader.state = "waiting";
      return;
    }
    const read = partition.log.measure(cursor.fetchedSeq, readableSeq - cursor.fetchedSeq, this.spec.maxPartitionFetchBytes, this.measure);
    if (read.count === 0) {
      reader.state = "waiting";
      return;
    }
    const startSeq = cursor.fetchedSeq;
    const endSeq = startSeq + read.count;
    cursor.fetched(endSeq);
    const answeredUs = Math.max(nowUs, this.brokers[partition.leader]!.send(nowUs, read.bytes, this.times.endUs) + this.roundTrip.sampleUs());
    reader.state = "fetching";
    const bytes = read.bytes;
    const generation = reader.generation;
    this.sim.after(roundHalfUp(answeredUs) - nowUs, () => {
      if (generation === reader.generation) this.answered(reader, startSeq, endSeq, bytes);
    });
  }

  /** The fetch is answered: its records go to the subtasks by the partition's key mix, and the next fetch goes out. */
  private answered(reader: PartitionReader, startSeq: number, endSeq: number, bytes: number): void {
    const { partition } = reader;
    const cursor = this.cursors[partition.index]!;
    // A new leader may have cut the log back below what was fetched (truncated() cut the cursor).
    const cutEndSeq = Math.min(endSeq, Math.max(startSeq, cursor.fetchedSeq));
    if (cutEndSeq > startSeq) this.handOn(reader, startSeq, cutEndSeq, bytes / (endSeq - startSeq));
    this.fetch(reader);
  }

  private handOn(reader: PartitionReader, startSeq: number, endSeq: number, bytesPerRecord: number): void {
    const { partition } = reader;
    if (this.counts.length !== this.app.parallelism) {
      this.counts = new Float64Array(this.app.parallelism);
      this.createSums = new Float64Array(this.app.parallelism);
      this.cumulative = new Float64Array(this.app.parallelism);
    }
    const counts = this.counts.fill(0);
    const createSums = this.createSums.fill(0);
    const cumulative = this.cumulative;
    const mix = this.mixOf(partition.index);
    let running = 0;
    for (let t = 0; t < mix.length; t++) cumulative[t] = running += mix[t]!;
    const windowing = this.windowing;
    const before = windowing === null ? -Infinity : this.watermarkUs();
    const perSubtask: WindowCounts[] | null = windowing === null ? null : Array.from({ length: counts.length }, () => []);
    let late = 0;
    partition.log.pieces(startSeq, endSeq, (count, _offset, createMeanUs) => {
      if (windowing === null) {
        for (let j = 0; j < count; j++) {
          const subtask = this.drawSubtask(cumulative, running);
          counts[subtask]!++;
          createSums[subtask]! += createMeanUs;
        }
        return;
      }
      // Event times as the Kinesis reader draws them (EventTimeDelays): uniforms at or below `short`
      // keep the records in their creation time's windows.
      const { settings, delays } = windowing;
      const short = delays.shortIn(createMeanUs, settings);
      let smallest = 1;
      for (let j = 0; j < count; j++) {
        const subtask = this.drawSubtask(cumulative, running);
        counts[subtask]!++;
        createSums[subtask]! += createMeanUs;
        const v = delays.u();
        if (v < smallest) smallest = v;
        const eventUs = v <= short ? createMeanUs : createMeanUs - delays.delayUs(v);
        if (!assignWindows(eventUs, before, settings, perSubtask![subtask]!)) late++;
      }
      if (count > 0) reader.maxEventUs = Math.max(reader.maxEventUs, createMeanUs - delays.delayUs(smallest));
    });
    if (this.app.windowMeter !== null) this.app.windowMeter.lateRecords += late;
    const entry: Pending = { startSeq, endSeq, done: false };
    reader.pending.push(entry);
    reader.handedOnSeq = endSeq;
    const batch = new SourceBatch(endSeq - startSeq, (_, nowUs) => this.completed(reader, entry, nowUs));
    this.app.deliver(batch, counts, createSums, bytesPerRecord, perSubtask === null ? null : { counts: perSubtask, watermarkUs: this.watermarkUs() });
  }

  /** A subtask drawn from the cumulative key mix (binary search). */
  private drawSubtask(cumulative: Float64Array, total: number): number {
    const target = this.routeU() * total;
    let low = 0;
    let high = cumulative.length - 1;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (cumulative[middle]! > target) high = middle;
      else low = middle + 1;
    }
    return low;
  }

  /** The source's watermark: per partition, its largest event time less the bound and 1 ms; the smallest of them (a partition not read yet holds it back). */
  private watermarkUs(): number {
    const windowing = this.windowing;
    if (windowing === null) return -Infinity;
    let watermarkUs = Infinity;
    for (const reader of this.readers) watermarkUs = Math.min(watermarkUs, reader.maxEventUs - windowing.settings.outOfOrdernessUs - 1000);
    return watermarkUs === Infinity ? -Infinity : watermarkUs;
  }

  private completed(reader: PartitionReader, entry: Pending, nowUs: number): void {
    entry.done = true;
    const cursor = this.cursors[reader.partition.index]!;
    while (reader.pending.peek()?.done) {
      const done = reader.pending.shift()!;
      const endSeq = Math.min(done.endSeq, reader.partition.log.tailSeq);
      const before = cursor.processedSeq;
      // After a restart, records processed before it are processed again: duplicates at an at-least-once sink.
      const repeated = Math.max(0, Math.min(endSeq, reader.replayEndSeq) - done.startSeq);
      if (repeated > 0) this.app.reprocessed(repeated);
      const duplicates = this.app.settings.checkpoints?.exactlyOnce ? 0 : repeated;
      if (endSeq > before) {
        cursor.processed(endSeq, reader.partition.log.tailSeq);
        this.meter.processed(nowUs, endSeq - Math.max(before, done.startSeq), duplicates);
      } else if (duplicates > 0) this.meter.processed(nowUs, 0, duplicates);
      // The replay ends with the batch that reaches its end (the processed position never moved back, so
      // it is there already and cannot tell).
      if (reader.replayEndSeq >= 0 && endSeq >= reader.replayEndSeq) reader.replayEndSeq = -1;
    }
    cursor.commit();
    if (reader.state === "waiting" && !this.app.backpressured) this.fetch(reader);
  }

  /** Subtask shares of partition p's records, weighted over the producers by the records each offered so far. */
  private mixOf(partitionIndex: number): Float64Array {
    const sources = this.keyCounts();
    if (this.mixPartitions !== this.partitions.length || this.mixes.length !== sources.length || this.mixParallelism !== this.app.parallelism) {
      this.mixes = sources.map((source) => this.keyMix(source));
      this.mixPartitions = this.partitions.length;
      this.mixParallelism = this.app.parallelism;
    }
    const parallelism = this.app.parallelism;
    const mix = new Float64Array(parallelism);
    let weightTotal = 0;
    sources.forEach((source, s) => {
      const weight = sources.length === 1 ? 1 : source.offered;
      weightTotal += weight;
      for (let t = 0; t < parallelism; t++) mix[t]! += weight * this.mixes[s]![partitionIndex * parallelism + t]!;
    });
    if (weightTotal === 0) return mix.fill(1 / parallelism);
    for (let t = 0; t < parallelism; t++) mix[t]! /= weightTotal;
    return mix;
  }

  /**
   * One producer's partition x subtask shares: each key's probability on (its partition, its subtask);
   * what keys without a known probability carry (past mixKeysMax, or distributions that state none) is
   * spread evenly. Rows are normalised to sum to 1.
   */
  private keyMix(source: KeyCounts): Float64Array {
    const partitions = this.partitions.length;
    const parallelism = this.app.parallelism;
    const mix = new Float64Array(partitions * parallelism);
    const { keys } = source;
    let known = 0;
    if (!keys.keyless && keys.probability !== undefined && keys.keyForTime === undefined) {
      const limit = Math.min(keys.cardinality, mixKeysMax);
      for (let i = 0; i < limit; i++) {
        const share = keys.probability(i);
        if (share <= 0) continue;
        const key = keys.keyAt(i);
        mix[partitionForKey(key, partitions) * parallelism + this.app.subtaskOfKey(keys, i)]! += share;
        known += share;
      }
    }
    const rest = Math.max(0, 1 - known) / (partitions * parallelism);
    for (let p = 0; p < partitions; p++) {
      let row = 0;
      for (let t = 0; t < parallelism; t++) {
        mix[p * parallelism + t]! += rest;
        row += mix[p * parallelism + t]!;
      }
      for (let t = 0; t < parallelism; t++) mix[p * parallelism + t] = row > 0 ? mix[p * parallelism + t]! / row : 1 / parallelism;
    }
    return mix;
  }

  /** A new leader cut the partition's log back: positions and the batches in flight are cut with it. */
  truncated(partition: Partition, truncation: Truncation): void {
    this.log.truncated(partition, truncation);
    const reader = this.readers[partition.index];
    if (reader === undefined) return;
    reader.pending.forEach((entry) => {
      entry.startSeq = Math.min(entry.startSeq, truncation.endSeq);
      entry.endSeq = Math.min(entry.endSeq, truncation.endSeq);
    });
  }

  neededFrom(partition: Partition): number {
    const reader = this.readers[partition.index];
    return Math.min(this.log.neededFrom(partition), reader === undefined ? Infinity : reader.checkpointSeq);
  }

  sampleLag(nowUs: number): void {
    this.log.sampleLag(nowUs);
  }

  sampleRecordsLag(nowUs: number): void {
    this.log.sampleRecordsLag(nowUs);
  }

  /** Records of the topic read by this application after warm-up. */
  get consumedAfterWarmup(): number {
    return this.meter.consumedAfterWarmup;
  }

  result(): ConsumerResult {
    const base = this.log.result();
    return { ...base, flink: flinkStats(this.app, "Kafka, a consumer per source reader", this.keyCounts(), this.times) };
  }
}
