// The stream: its shards (open and closed), the router from hash to open shard, and PutRecords
// admission against each shard's write limit (facts §1.1, §1.2).

import { Buffer } from "node:buffer";
import type { Uniform } from "../engine/index.ts";
import { CounterSeries, type SeriesOptions } from "../metrics/index.ts";
import type { KeySpace } from "../workload/index.ts";
import { HashRouter, hashKeyMax, partitionKeyHash, type HashRange } from "./hash.ts";
import { Shard } from "./shard.ts";

/** Records of one PutRecords call (a batch or a retry of its failed records). */
export interface PutRequest {
  id: number;
  count: number;
  timeUs: Float64Array;
  keyIndex: Float64Array;
  sizeBytes: Float64Array;
  attempts: number;
}

/** The key -> shard and key -> UTF-8 length of one producer's keys, computed once per distinct key. */
export class KeyRoutes {
  private readonly shardOfKey: Int32Array | null;
  private readonly keyBytesOfKey: Int32Array | null;
  private epoch = -1;

  constructor(readonly keys: KeySpace) {
    const finite = Number.isFinite(keys.cardinality);
    this.shardOfKey = finite ? new Int32Array(keys.cardinality) : null;
    this.keyBytesOfKey = finite ? new Int32Array(keys.cardinality).fill(-1) : null;
  }

  /** Shard of a key index under the stream's current routing. */
  shardOf(keyIndex: number, stream: KinesisStream): number {
    const cache = this.shardOfKey;
    if (cache === null) return stream.router.shardFor(partitionKeyHash(this.keys.keyAt(keyIndex)));
    if (this.epoch !== stream.routingEpoch) {
      cache.fill(-1);
      this.epoch = stream.routingEpoch;
    }
    let shard = cache[keyIndex];
    if (shard < 0) {
      shard = stream.router.shardFor(partitionKeyHash(this.keys.keyAt(keyIndex)));
      cache[keyIndex] = shard;
    }
    return shard;
  }

  /** UTF-8 length of a key: partition-key bytes count toward the shard's byte limit (facts §1.1). */
  keyBytes(keyIndex: number): number {
    const cache = this.keyBytesOfKey;
    if (cache === null) return Buffer.byteLength(this.keys.keyAt(keyIndex), "utf8");
    let bytes = cache[keyIndex];
    if (bytes < 0) {
      bytes = Buffer.byteLength(this.keys.keyAt(keyIndex), "utf8");
      cache[keyIndex] = bytes;
    }
    return bytes;
  }
}

export interface StreamSettings {
  maxRecordBytes: number;
  seriesOptions: SeriesOptions;
  /** Records of one request join a shard's newest run while their creation times stay this close. */
  runSpanUs: number;
}

export class KinesisStream {
  readonly shards: Shard[] = [];
  /** First attempts only (the workload's demand, before retries), for sizing verdicts. */
  readonly demandRecords: CounterSeries;
  readonly demandBytes: CounterSeries;
  demandBytesTotal = 0;
  router!: HashRouter;
  /** Bumped whenever the open shards change, so cached key routes are recomputed. */
  routingEpoch = 0;
  private readonly touched: Shard[] = [];

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
   * Admits a PutRecords request at nowUs, record by record in request order: a record is accepted
   * when its shard's buckets hold one record and its bytes (data + partition key), else it fails
   * with ProvisionedThroughputExceeded while the rest of the call goes on (facts §1.2).
   * Sets accepted[i] to 1 or 0 and returns the number accepted.
   */
  put(request: PutRequest, nowUs: number, routes: KeyRoutes, accepted: Uint8Array, randomHash: Uniform | null): number {
    const shards = this.shards;
    const spanUs = this.settings.runSpanUs;
    const firstAttempt = request.attempts === 1;
    let demandBytes = 0;
    let acceptedCount = 0;
    for (let i = 0; i < request.count; i++) {
      const keyIndex = request.keyIndex[i];
      const shard = shards[randomHash === null ? routes.shardOf(keyIndex, this) : this.randomShard(randomHash)];
      const bytes = request.sizeBytes[i] + routes.keyBytes(keyIndex);
      if (shard.requestId !== request.id) {
        shard.requestId = request.id;
        this.touched.push(shard);
      }
      shard.pendingOfferedRecords++;
      shard.pendingOfferedBytes += bytes;
      if (firstAttempt) {
        shard.pendingDemandRecords++;
        demandBytes += bytes;
      }
      if (shard.writeRecords.tokensAt(nowUs) >= 1 && shard.writeBytes.tokensAt(nowUs) >= bytes) {
        shard.writeRecords.take(1);
        shard.writeBytes.take(bytes);
        this.append(shard, request, i, bytes, nowUs, spanUs);
        accepted[i] = 1;
        acceptedCount++;
      } else {
        shard.pendingThrottled++;
        accepted[i] = 0;
      }
    }
    this.flushTouched(nowUs);
    if (firstAttempt) {
      this.demandRecords.add(nowUs, request.count);
      this.demandBytes.add(nowUs, demandBytes);
      this.demandBytesTotal += demandBytes;
    }
    return acceptedCount;
  }

  private append(shard: Shard, request: PutRequest, i: number, bytes: number, nowUs: number, spanUs: number): void {
    const createUs = request.timeUs[i];
    const log = shard.log;
    if (shard.runRequestId === request.id && createUs - log.lastRunCreateMinUs() <= spanUs && createUs >= log.lastRunCreateMinUs()) {
      log.extend(bytes, createUs);
    } else {
      log.append(nowUs, bytes, createUs);
      shard.runRequestId = request.id;
    }
    shard.pendingAcceptedRecords++;
    shard.pendingAcceptedBytes += bytes;
  }

  private flushTouched(nowUs: number): void {
    for (const shard of this.touched) {
      const appended = shard.pendingAcceptedRecords > 0;
      shard.flushRequest(nowUs);
      if (appended) for (const listener of shard.appendListeners) listener();
    }
    this.touched.length = 0;
  }
}
