// The stream: its shards (open and closed), the router from hash to open shard, and PutRecords
// admission against each shard's write limit (docs/reference.md §1.1, §1.2).

import type { Uniform } from "../engine/index.ts";
import { CounterSeries, type SeriesOptions } from "../metrics/index.ts";
import { KeyByteLengths, type Batch, type KeySpace } from "../workload/index.ts";
import { HashRouter, hashKeyMax, partitionKeyHash, type HashRange } from "./hash.ts";
import { onDemandBilledBytes, onDemandBillingIncrementBytes, putPayloadUnitBytes, putPayloadUnits, putRecordsRecordsMax } from "./limits.ts";
import { Shard } from "./shard.ts";

/** Records of one PutRecords call (a batch or a retry of its failed records). */
export interface PutRequest {
  id: number;
  count: number;
  timeUs: Float64Array;
  keyIndex: Float64Array;
  sizeBytes: Float64Array;
  attempts: number;
  /** Records of the request sent before (retries). */
  retried: number;
  /**
   * The shard of each record when the producer chose it before sending (the KPL's rate limit, policy
   * ttl); the put uses it while that shard is open and writes back the shard it used. Null: routed at the put.
   */
  shardIndex: Int32Array | null;
  /** The latency of the call that carries it, sampled when it is sent. */
  latencyUs: number;
  /** When that call was sent. */
  sentUs: number;
  /** The batcher's batch whose arrays the request uses, handed back when the call is answered. */
  batch: Batch | null;
}

/** Told of each user record a shard took (it is the shard's newest), with its data bytes: a Firehose source stores and bills data only. */
export type WriteListener = (shard: Shard, dataBytes: number) => void;

/** A reader that wants to know where records of some keys land (by key index). */
export interface KeyWatcher {
  watches(keyIndex: number): boolean;
  /** The record's shard and sequence number, and its key (an index into the producer's key space). */
  written(shardIndex: number, seq: number, keyIndex: number, keys: KeySpace): void;
  /**
   * Optional, for a watcher of every key: the records of a request routed by partition key, told at
   * once after its last one is written (no call per record). Record i with accepted[i] = 1 went to shard
   * shardOf[i]; those of one shard are its newest records, in request order. Other requests still call
   * `written` per record.
   */
  writtenRequest?(shardOf: Int32Array, accepted: Uint8Array, keyIndex: Float64Array, count: number, keys: KeySpace): void;
}

/** The 128-bit hash that routes a key index: its explicit hash key when it has one (traces), else the MD5 of its partition key. */
export function routeHash(keys: KeySpace, keyIndex: number): bigint {
  return keys.hashKeyAt?.(keyIndex) ?? partitionKeyHash(keys.keyAt(keyIndex));
}

/** The key -> shard and key -> UTF-8 length of one producer's keys, computed once per distinct key. */
export class KeyRoutes {
  private readonly shardOfKey: Int32Array | null;
  private readonly keyByteLengths: KeyByteLengths;
  private epoch = -1;

  constructor(readonly keys: KeySpace) {
    const finite = Number.isFinite(keys.cardinality);
    this.shardOfKey = finite ? new Int32Array(keys.cardinality) : null;
    this.keyByteLengths = new KeyByteLengths(keys);
  }

  /** Shard of a key index under the stream's current routing. */
  shardOf(keyIndex: number, stream: KinesisStream): number {
    const cache = this.shardTable(stream);
    if (cache === null) return stream.router.shardFor(routeHash(this.keys, keyIndex));
    let shard = cache[keyIndex];
    if (shard < 0) {
      shard = stream.router.shardFor(routeHash(this.keys, keyIndex));
      cache[keyIndex] = shard;
    }
    return shard;
  }

  /**
   * The key -> shard cache under the stream's current routing (-1: not computed yet, ask shardOf), for
   * loops that look it up inline; null for unbounded keys.
   */
  shardTable(stream: KinesisStream): Int32Array | null {
    const cache = this.shardOfKey;
    if (cache !== null && this.epoch !== stream.routingEpoch) {
      cache.fill(-1);
      this.epoch = stream.routingEpoch;
    }
    return cache;
  }

  /** UTF-8 length of a key: partition-key bytes count toward the shard's byte limit (docs/reference.md §1.1). */
  keyBytes(keyIndex: number): number {
    return this.keyByteLengths.of(keyIndex);
  }

}

/** KPL aggregated-record framing: magic (4 B) and MD5 (16 B) per aggregate; tags and lengths per user record (docs/reference.md §1.7). */
const aggregationFramingBytes = 20;
const aggregationRecordOverheadBytes = 6;

export interface PutOptions {
  /** Draws for a random ExplicitHashKey per record; null when records route by partition key. */
  randomHash: Uniform | null;
  /** KPL AggregationMaxSize when the producer aggregates; null when it does not. */
  aggregationMaxBytes: number | null;
  /** The PutRecords request byte limit the producer packs calls to. */
  requestMaxBytes: number;
}

export interface StreamSettings {
  maxRecordBytes: number;
  seriesOptions: SeriesOptions;
  /** Records of one request join a shard's newest run while their creation times stay this close. */
  runSpanUs: number;
  /** Billable writes are counted from here on (the end of warm-up). */
  warmupUs: number;
}

/** What the stream's writes bill for, counted after warm-up per Kinesis record written (aggregates as sent). */
export interface WriteUsage {
  records: number;
  /** Data and partition key, as written. */
  bytes: number;
  /** Each record rounded up to 1 KB, as on-demand bills ingest (docs/reference.md §2). */
  billedBytes: number;
  /** Each record in 25 KB units, rounded up, as provisioned streams bill PUTs (docs/reference.md §2). */
  putPayloadUnits: number;
}

export class KinesisStream {
  readonly shards: Shard[] = [];
  /** First attempts only (the workload's demand, before retries), for sizing verdicts. */
  readonly demandRecords: CounterSeries;
  readonly demandBytes: CounterSeries;
  demandBytesTotal = 0;
  demandRecordsTotal = 0;
  /**
   * PutRecords calls the last put needed: 1, or with aggregation as many as its aggregates fill at
   * 500 records and the request byte limit per call (they go out together, docs/reference.md §1.7).
   */
  callsNeeded = 1;
  readonly writeUsage: WriteUsage = { records: 0, bytes: 0, billedBytes: 0, putPayloadUnits: 0 };
  router!: HashRouter;
  /** Bumped whenever the open shards change, so cached key routes are recomputed. */
  routingEpoch = 0;
  private readonly touched: Shard[] = [];
  // Scratch per request: each record's shard and bytes, and the aggregates packed from them.
  private recordShard = new Int32Array(512);
  private recordBytes = new Float64Array(512);
  private aggregateShard = new Int32Array(512);
  private aggregateBytes = new Float64Array(512);
  private aggregateCount = 0;
  private requestDemandRecords = 0;
  private requestDemandBytes = 0;
  /** The record size countWrite last billed, and its billing units. */
  private billedSizeBytes = -1;
  private billedBytesOfSize = 0;
  private putPayloadUnitsOfSize = 0;

  /**
   * Readers told where records of some keys land (a Lambda function that fails on a share of the keys):
   * each is called with the shard and sequence number of every written record whose key it watches.
   */
  private readonly keyWatchers: KeyWatcher[] = [];
  /** Of them, those told a request at once where admitByKey writes it (writtenRequest), and the others. */
  private readonly requestWatchers: KeyWatcher[] = [];
  private readonly recordWatchers: KeyWatcher[] = [];
  /** admitByKey's shard of each record, for the request watchers. */
  private writtenShard = new Int32Array(0);
  private readonly writeListeners: WriteListener[] = [];
  /** The key space of the request being admitted (key watchers are told keys by index into it). */
  private routedKeys: KeySpace | null = null;

  constructor(private readonly settings: StreamSettings) {
    this.demandRecords = new CounterSeries(settings.seriesOptions);
    this.demandBytes = new CounterSeries(settings.seriesOptions);
  }

  get openShards(): Shard[] {
    return this.shards.filter((shard) => shard.isOpen);
  }

  /** Opens a shard over `range` at nowUs (its parents closed by the caller). */
  addShard(range: HashRange, parents: readonly number[], nowUs: number): Shard {
    const shard = new Shard(this.shards.length, range, parents, nowUs, this.settings.maxRecordBytes, this.settings.seriesOptions);
    for (const parent of parents) this.shards[parent].children.push(shard.index);
    this.shards.push(shard);
    return shard;
  }

  /** Rebuilds the router over the open shards (after opening and closing shards). */
  reroute(): void {
    this.router = new HashRouter(this.openShards.map((shard) => ({ range: shard.range, shardIndex: shard.index })));
    this.routingEpoch++;
  }

  /** The shard a uniformly random ExplicitHashKey lands on. */
  randomShard(u: Uniform): number {
    const hash = (BigInt(Math.floor(u() * 2 ** 52)) * (hashKeyMax + 1n)) >> 52n;
    return this.router.shardFor(hash);
  }

  /**
   * Admits a PutRecords request at nowUs in request order. Each Kinesis record is accepted when its
   * shard's buckets hold one record and its bytes (data + partition key), else it fails with
   * ProvisionedThroughputExceeded while the rest of the call goes on (docs/reference.md §1.2). With KPL
   * aggregation, a Kinesis record is an aggregate of user records bound for one shard (docs/reference.md §1.7).
   * Sets accepted[i] to 1 or 0 per user record and returns the number accepted. A first attempt counts
   * as demand unless the producer counted it before (countDemand).
   */
  put(request: PutRequest, nowUs: number, routes: KeyRoutes, accepted: Uint8Array, options: PutOptions, firstAttempt = request.attempts === 1): number {
    this.requestDemandRecords = 0;
    this.requestDemandBytes = 0;
    this.callsNeeded = 1;
    let acceptedCount: number;
    if (options.aggregationMaxBytes === null && options.randomHash === null && request.shardIndex === null) {
      acceptedCount = this.admitByKey(request, nowUs, routes, accepted, firstAttempt);
    } else {
      this.route(request, routes, options.randomHash);
      acceptedCount =
        options.aggregationMaxBytes === null
          ? this.admitEach(request, nowUs, accepted, firstAttempt)
          : this.admitAggregated(request, nowUs, accepted, options.aggregationMaxBytes, firstAttempt);
    }
    if (options.aggregationMaxBytes !== null) this.callsNeeded = this.aggregateCalls(options.requestMaxBytes);
    if (firstAttempt) {
      this.demandRecords.add(nowUs, this.requestDemandRecords);
      this.demandBytes.add(nowUs, this.requestDemandBytes);
      this.demandBytesTotal += this.requestDemandBytes;
      this.demandRecordsTotal += this.requestDemandRecords;
    }
    this.flushTouched(nowUs);
    return acceptedCount;
  }

  /**
   * Counts a batch's records as the workload's demand at nowUs, before any is offered, and routes them
   * into request.shardIndex: the KPL's rate limit may hold some back, and demand is what was asked for
   * (docs/reference.md §1.2). With aggregation, demand counts the aggregates the batch packs into.
   */
  countDemand(request: PutRequest, nowUs: number, routes: KeyRoutes, options: PutOptions): void {
    this.route(request, routes, options.randomHash);
    this.requestDemandRecords = 0;
    this.requestDemandBytes = 0;
    if (options.aggregationMaxBytes === null) {
      for (let i = 0; i < request.count; i++) this.demand(this.shards[this.recordShard[i]], this.recordBytes[i]);
    } else {
      this.packAggregates(request, options.aggregationMaxBytes);
      for (let a = 0; a < this.aggregateCount; a++) this.demand(this.shards[this.aggregateShard[a]], this.aggregateBytes[a]);
    }
    this.demandRecords.add(nowUs, this.requestDemandRecords);
    this.demandBytes.add(nowUs, this.requestDemandBytes);
    this.demandBytesTotal += this.requestDemandBytes;
    this.demandRecordsTotal += this.requestDemandRecords;
    this.flushTouched(nowUs);
  }

  /** Shard and bytes (data + partition key) of every record of the request, into the scratch arrays. */
  private route(request: PutRequest, routes: KeyRoutes, randomHash: Uniform | null): void {
    this.routedKeys = routes.keys;
    if (this.recordShard.length < request.count) {
      this.recordShard = new Int32Array(request.count * 2);
      this.recordBytes = new Float64Array(request.count * 2);
    }
    const chosen = request.shardIndex;
    for (let i = 0; i < request.count; i++) {
      const keyIndex = request.keyIndex[i];
      let shard = chosen === null || chosen[i] < 0 ? undefined : this.shards[chosen[i]];
      if (shard === undefined || !shard.isOpen) {
        shard = this.shards[randomHash === null ? routes.shardOf(keyIndex, this) : this.randomShard(randomHash)];
        if (chosen !== null) chosen[i] = shard.index;
      }
      this.recordShard[i] = shard.index;
      this.recordBytes[i] = request.sizeBytes[i] + routes.keyBytes(keyIndex);
      if (shard.touch(request.id)) this.touched.push(shard);
    }
  }

  /** Counts a Kinesis record of a first attempt as demand on its shard and the stream. */
  private demand(shard: Shard, bytes: number): void {
    shard.countDemand(bytes);
    this.requestDemandRecords++;
    this.requestDemandBytes += bytes;
  }

  private admitEach(request: PutRequest, nowUs: number, accepted: Uint8Array, firstAttempt: boolean): number {
    const spanUs = this.settings.runSpanUs;
    let acceptedCount = 0;
    for (let i = 0; i < request.count; i++) {
      const shard = this.shards[this.recordShard[i]];
      const bytes = this.recordBytes[i];
      if (firstAttempt) this.demand(shard, bytes);
      if (shard.offerWrite(nowUs, bytes)) {
        if (nowUs >= this.settings.warmupUs) this.countWrite(bytes);
        shard.append(request.id, nowUs, bytes, request.timeUs[i], spanUs);
        if (this.keyWatchers.length > 0) this.watchKey(shard, request.keyIndex[i]);
        if (this.writeListeners.length > 0) this.notifyWrite(shard, request.sizeBytes[i]);
        accepted[i] = 1;
        acceptedCount++;
      } else {
        shard.countThrottled();
        accepted[i] = 0;
      }
    }
    return acceptedCount;
  }

  /**
   * route then admitEach in one pass, for the common case: records routed by their partition keys,
   * one Kinesis record each. The same steps in the same order per record (routing one record does
   * not depend on admitting another), without the scratch arrays between them.
   */
  private admitByKey(request: PutRequest, nowUs: number, routes: KeyRoutes, accepted: Uint8Array, firstAttempt: boolean): number {
    this.routedKeys = routes.keys;
    const spanUs = this.settings.runSpanUs;
    const counted = nowUs >= this.settings.warmupUs;
    const { shards, touched } = this;
    const { keyIndex, sizeBytes, timeUs, id } = request;
    const shardOfKey = routes.shardTable(this);
    const watched = this.recordWatchers.length > 0;
    const told = this.requestWatchers.length > 0;
    if (told && this.writtenShard.length < request.count) this.writtenShard = new Int32Array(request.count * 2);
    const writtenShard = this.writtenShard;
    const listened = this.writeListeners.length > 0;
    // Billing units of the records written, summed here and added once: whole numbers, so the sums are exact in any order.
    let written = 0;
    let writtenBytes = 0;
    let billedBytes = 0;
    let payloadUnits = 0;
    let acceptedCount = 0;
    for (let i = 0; i < request.count; i++) {
      const key = keyIndex[i];
      let shardIndex = shardOfKey === null ? -1 : shardOfKey[key];
      if (shardIndex < 0) shardIndex = routes.shardOf(key, this);
      const shard = shards[shardIndex];
      const bytes = sizeBytes[i] + routes.keyBytes(key);
      if (shard.touch(id)) touched.push(shard);
      if (firstAttempt) this.demand(shard, bytes);
      if (shard.offerWrite(nowUs, bytes)) {
        if (counted) {
          written++;
          writtenBytes += bytes;
          billedBytes += bytes <= onDemandBillingIncrementBytes ? onDemandBillingIncrementBytes : onDemandBilledBytes(bytes);
          payloadUnits += bytes <= putPayloadUnitBytes ? 1 : putPayloadUnits(bytes);
        }
        shard.append(id, nowUs, bytes, timeUs[i], spanUs);
        if (watched) this.watchKey(shard, key, this.recordWatchers);
        if (told) writtenShard[i] = shardIndex;
        if (listened) this.notifyWrite(shard, sizeBytes[i]);
        accepted[i] = 1;
        acceptedCount++;
      } else {
        shard.countThrottled();
        accepted[i] = 0;
      }
    }
    if (told) for (const watcher of this.requestWatchers) watcher.writtenRequest!(writtenShard, accepted, keyIndex, request.count, routes.keys);
    const usage = this.writeUsage;
    usage.records += written;
    usage.bytes += writtenBytes;
    usage.billedBytes += billedBytes;
    usage.putPayloadUnits += payloadUnits;
    return acceptedCount;
  }

  /**
   * KPL aggregation: user records bound for one shard are packed, in order, into aggregates of at
   * most maxBytes; each aggregate is one record against the records/s limit and its size (user
   * records plus framing) against the bytes limit; its user records share its fate.
   */
  private admitAggregated(request: PutRequest, nowUs: number, accepted: Uint8Array, maxBytes: number, firstAttempt: boolean): number {
    const aggregateOf = this.packAggregates(request, maxBytes);
    const admitted = new Uint8Array(this.aggregateCount);
    for (let a = 0; a < this.aggregateCount; a++) {
      const shard = this.shards[this.aggregateShard[a]];
      const bytes = this.aggregateBytes[a];
      if (firstAttempt) this.demand(shard, bytes);
      if (shard.offerWrite(nowUs, bytes)) {
        admitted[a] = 1;
        if (nowUs >= this.settings.warmupUs) this.countWrite(bytes);
      }
    }
    const spanUs = this.settings.runSpanUs;
    let acceptedCount = 0;
    for (let i = 0; i < request.count; i++) {
      const shard = this.shards[this.recordShard[i]];
      if (admitted[aggregateOf[i]] === 1) {
        shard.append(request.id, nowUs, this.recordBytes[i], request.timeUs[i], spanUs);
        if (this.keyWatchers.length > 0) this.watchKey(shard, request.keyIndex[i]);
        if (this.writeListeners.length > 0) this.notifyWrite(shard, request.sizeBytes[i]);
        accepted[i] = 1;
        acceptedCount++;
      } else {
        shard.countThrottled();
        accepted[i] = 0;
      }
    }
    return acceptedCount;
  }

  /** PutRecords calls the packed aggregates need: at most 500 per call and `requestMaxBytes` each, filled in order. */
  private aggregateCalls(requestMaxBytes: number): number {
    let calls = 1;
    let records = 0;
    let bytes = 0;
    for (let a = 0; a < this.aggregateCount; a++) {
      const size = this.aggregateBytes[a];
      if (records > 0 && (records === putRecordsRecordsMax || bytes + size > requestMaxBytes)) {
        calls++;
        records = 0;
        bytes = 0;
      }
      records++;
      bytes += size;
    }
    return calls;
  }

  /** Counts one Kinesis record written after warm-up in the units the price list bills. */
  private countWrite(bytes: number): void {
    const usage = this.writeUsage;
    usage.records++;
    usage.bytes += bytes;
    // Records of one size follow each other (fixed sizes, one key's length): their billing units are worked out once.
    if (bytes !== this.billedSizeBytes) {
      this.billedSizeBytes = bytes;
      this.billedBytesOfSize = onDemandBilledBytes(bytes);
      this.putPayloadUnitsOfSize = putPayloadUnits(bytes);
    }
    usage.billedBytes += this.billedBytesOfSize;
    usage.putPayloadUnits += this.putPayloadUnitsOfSize;
  }

  /**
   * Assigns each record to an aggregate. Framing per the aggregation format (docs/reference.md §1.7): 4 bytes of
   * magic and a 16-byte MD5 per aggregate, and per user record its partition key (counted for every
   * record, an upper bound: the key table holds each distinct key once) and about 6 bytes of
   * protobuf tags and lengths.
   */
  private packAggregates(request: PutRequest, maxBytes: number): Int32Array {
    const aggregateOf = new Int32Array(request.count);
    const openAggregate = new Map<number, number>();
    this.aggregateCount = 0;
    if (this.aggregateShard.length < request.count) {
      this.aggregateShard = new Int32Array(request.count * 2);
      this.aggregateBytes = new Float64Array(request.count * 2);
    }
    for (let i = 0; i < request.count; i++) {
      const shardIndex = this.recordShard[i];
      const bytes = this.recordBytes[i] + aggregationRecordOverheadBytes;
      let a = openAggregate.get(shardIndex);
      if (a === undefined || this.aggregateBytes[a] + bytes > maxBytes) {
        a = this.aggregateCount++;
        this.aggregateShard[a] = shardIndex;
        this.aggregateBytes[a] = aggregationFramingBytes;
        openAggregate.set(shardIndex, a);
      }
      this.aggregateBytes[a] += bytes;
      aggregateOf[i] = a;
    }
    return aggregateOf;
  }

  /** Tells `watcher` the shard and sequence number of every record written from now on whose key it watches. */
  watchKeys(watcher: KeyWatcher): void {
    this.keyWatchers.push(watcher);
    if (watcher.writtenRequest === undefined) this.recordWatchers.push(watcher);
    else this.requestWatchers.push(watcher);
  }

  /** Tells `listener` of every user record a shard takes, with its data bytes (partition key left out). */
  watchWrites(listener: WriteListener): void {
    this.writeListeners.push(listener);
  }

  private notifyWrite(shard: Shard, dataBytes: number): void {
    for (const listener of this.writeListeners) listener(shard, dataBytes);
  }

  private watchKey(shard: Shard, keyIndex: number, watchers = this.keyWatchers): void {
    for (const watcher of watchers) if (watcher.watches(keyIndex)) watcher.written(shard.index, shard.log.tailSeq - 1, keyIndex, this.routedKeys!);
  }

  private flushTouched(nowUs: number): void {
    for (const shard of this.touched) shard.flushRequest(nowUs);
    this.touched.length = 0;
  }
}
