// A consuming application (all its shard workers): starts a worker per shard once the shard's
// parents are read to their end, counts what it processed, samples its lag, and crashes and
// recovers from its checkpoints when the timeline says so.

import type { Simulation } from "../engine/index.ts";
import { GaugeSeries, LogHistogram, type ConsumerResult, type CounterSeries, type SeriesOptions } from "../metrics/index.ts";
import type { Shard } from "./shard.ts";
import type { KinesisStream } from "./stream.ts";
import { FanOutWorker, PollingWorker, type ShardWorker, type WorkerOwner, type WorkerSettings } from "./worker.ts";

export class KinesisConsumer implements WorkerOwner {
  consumed = 0;
  duplicates = 0;
  expired = 0;
  readThrottles = 0;
  /** Bytes fetched (polling) or pushed (enhanced fan-out) after warm-up: what retrieval bills. */
  bytesReadAfterWarmup = 0;
  crashes = 0;
  readonly lag = new LogHistogram();
  readonly lagSeries: GaugeSeries;
  readonly endToEnd = new LogHistogram();
  readonly iteratorAge = new LogHistogram();
  readonly iteratorAgeSeries: GaugeSeries;
  /** Workers by shard index; undefined until the shard may be read. */
  readonly workers: Array<ShardWorker | undefined> = [];
  private readonly finishedShards = new Set<number>();

  constructor(
    readonly name: string,
    readonly settings: WorkerSettings,
    private readonly sim: Simulation,
    private readonly stream: KinesisStream,
    private readonly seriesOptions: SeriesOptions,
    private readonly leaseFailoverUs: number,
    /** The stream's ReadProvisionedThroughputExceeded count per report interval, shared by its consumers. */
    private readonly readThrottleSeries: CounterSeries,
  ) {
    this.lagSeries = new GaugeSeries(seriesOptions);
    this.iteratorAgeSeries = new GaugeSeries(seriesOptions);
  }

  /** Starts workers for every shard without unread parents. */
  start(): void {
    for (const shard of this.stream.shards) this.onShardCreated(shard);
  }

  /** A new shard (or an initial one): its worker waits until all its parents are read to their end (docs/reference.md §1.4). */
  onShardCreated(shard: Shard): void {
    this.workers[shard.index] ??=
      this.settings.type === "polling"
        ? new PollingWorker(this.sim, shard, this, this.seriesOptions)
        : new FanOutWorker(this.sim, shard, this, this.seriesOptions);
    this.startIfReady(shard);
  }

  onShardFinished(worker: ShardWorker): void {
    this.finishedShards.add(worker.shard.index);
    for (const child of worker.shard.children) this.startIfReady(this.stream.shards[child]);
  }

  private startIfReady(shard: Shard): void {
    const worker = this.workers[shard.index];
    if (worker?.state === "blocked" && shard.parents.every((parent) => this.finishedShards.has(parent))) worker.start();
  }

  onProcessed(firstTime: number, repeated: number): void {
    this.consumed += firstTime;
    this.duplicates += repeated;
  }

  onLatency(latencyUs: number, count: number): void {
    this.endToEnd.add(latencyUs, count);
  }

  onRead(nowUs: number, bytes: number): void {
    if (nowUs >= this.settings.warmupUs) this.bytesReadAfterWarmup += bytes;
  }

  onReadThrottle(): void {
    this.readThrottles++;
    this.readThrottleSeries.add(this.sim.nowUs, 1);
  }

  /** consumer-crash: every worker stops; after the lease failover time they resume from their checkpoints. */
  crash(): void {
    const crash = ++this.crashes;
    for (const worker of this.workers) worker?.crash();
    // A later crash within the failover window restarts the clock: only the latest one's restart runs.
    this.sim.after(this.leaseFailoverUs, () => {
      if (crash !== this.crashes) return;
      for (const worker of this.workers) if (worker?.state === "stopped") worker.start();
    });
  }

  onExpired(records: number): void {
    this.expired += records;
  }

  /** Oldest position this consumer may still need on a shard (its checkpoint or first unread record). */
  neededFrom(shard: Shard): number {
    return this.workers[shard.index]?.neededFrom() ?? 0;
  }

  /** Per-second sample of lag (oldest unprocessed record's age) and iterator age, after warm-up. */
  sample(nowUs: number, recordStatistics: boolean): void {
    let oldestCreateUs = Infinity;
    let iteratorAgeUs = 0;
    for (const worker of this.workers) {
      if (worker === undefined) continue;
      oldestCreateUs = Math.min(oldestCreateUs, worker.oldestUnprocessedCreateUs());
      if (worker.state !== "finished") iteratorAgeUs = Math.max(iteratorAgeUs, worker.iteratorAgeUs);
    }
    const lagUs = oldestCreateUs === Infinity ? 0 : Math.max(0, nowUs - oldestCreateUs);
    this.lagSeries.set(nowUs, lagUs / 1000);
    this.iteratorAgeSeries.set(nowUs, iteratorAgeUs / 1000);
    if (recordStatistics) {
      this.lag.add(lagUs);
      this.iteratorAge.add(iteratorAgeUs);
    }
  }

  result(endUs: number): ConsumerResult {
    let inFlight = 0;
    let unread = 0;
    for (const worker of this.workers) {
      if (worker === undefined) continue;
      inFlight += worker.inFlightFirstTime();
      unread += worker.unread();
      this.expired += worker.expiredUncounted();
    }
    this.lagSeries.finish(endUs);
    this.iteratorAgeSeries.finish(endUs);
    const nativePerPartition = this.workers.flatMap((worker) => {
      if (worker === undefined) return [];
      worker.iteratorAge.finish(endUs);
      return [{ id: worker.shard.id, series: worker.iteratorAge }];
    });
    return {
      name: this.name,
      type: this.settings.type,
      records: { consumed: this.consumed, unread, inFlight, expired: this.expired, deadLettered: 0, lost: 0, duplicates: this.duplicates },
      lag: this.lag,
      lagSeries: this.lagSeries,
      endToEndLatency: this.endToEnd,
      readThrottles: this.readThrottles,
      native: { name: "iteratorAgeMs", unit: "ms", histogram: this.iteratorAge, series: this.iteratorAgeSeries },
      nativePerPartition,
    };
  }
}
