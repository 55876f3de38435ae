// A consuming application (all its shard workers): starts a worker per shard once the shard's
// parents are read to their end, counts what it processed, samples its lag, and crashes and
// recovers from its checkpoints when the timeline says so.

import type { Simulation } from "../engine/index.ts";
import { ConsumerMeter, type ConsumerResult, type CounterSeries, type SeriesOptions } from "../metrics/index.ts";
import type { Shard } from "./shard.ts";
import type { KinesisStream } from "./stream.ts";
import { LeaseTable } from "./lease-table.ts";
import { ParentOrder } from "./parent-order.ts";
import { FanOutWorker, PollingWorker, type ShardWorker, type WorkerOwner, type WorkerSettings } from "./worker.ts";

export class KinesisConsumer implements WorkerOwner {
  /** Records retention took before a worker reached them, counted as the workers find them. */
  expired = 0;
  /** Bytes fetched (polling) or pushed (enhanced fan-out) after warm-up: what retrieval bills. */
  bytesReadAfterWarmup = 0;
  crashes = 0;
  readonly meter: ConsumerMeter;
  /** Workers by shard index; undefined until the shard may be read. */
  readonly workers: Array<ShardWorker | undefined> = [];
  /** The application's DynamoDB lease table (docs/reference.md §1.9). */
  readonly leaseTable: LeaseTable;
  private readonly parentOrder: ParentOrder<ShardWorker>;

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
    this.parentOrder = new ParentOrder(stream, this.workers);
    if (settings.leaseTable === undefined) throw new Error(`KCL consumer ${name} needs its lease table settings`);
    this.leaseTable = new LeaseTable(settings.leaseTable);
    this.meter = new ConsumerMeter({ name, type: settings.type, seriesOptions, warmupUs: settings.warmupUs, native: { name: "iteratorAgeMs", unit: "ms", pushed: settings.type === "enhanced-fan-out" } });
  }

  /** Starts workers for every shard without unread parents. */
  start(): void {
    for (const shard of this.stream.shards) this.onShardCreated(shard);
  }

  /** A new shard (or an initial one): its worker waits until all its parents are read to their end (docs/reference.md §1.4). */
  onShardCreated(shard: Shard): void {
    if (this.workers[shard.index] === undefined) this.leaseTable.addShard(this.sim.nowUs);
    this.workers[shard.index] ??=
      this.settings.type === "polling"
        ? new PollingWorker(this.sim, shard, this, this.seriesOptions)
        : new FanOutWorker(this.sim, shard, this, this.seriesOptions);
    this.parentOrder.startIfReady(shard);
  }

  onShardFinished(worker: ShardWorker): void {
    this.leaseTable.release(this.sim.nowUs, 1);
    this.parentOrder.finished(worker);
  }

  onProcessed(nowUs: number, firstTime: number, repeated: number): void {
    this.meter.processed(nowUs, firstTime, repeated);
  }

  onLatency(latencyUs: number, count: number): void {
    this.meter.endToEnd(latencyUs, count);
  }

  onRead(nowUs: number, bytes: number): void {
    if (this.meter.afterWarmup(nowUs)) this.bytesReadAfterWarmup += bytes;
  }

  onReadCall(): void {
    this.meter.readCalled();
  }

  onReadThrottle(): void {
    this.meter.readThrottled();
    this.readThrottleSeries.add(this.sim.nowUs, 1);
  }

  /** consumer-crash: every worker stops; after the lease failover time they resume from their checkpoints. */
  crash(): void {
    const crash = ++this.crashes;
    for (const worker of this.workers) worker?.crash();
    this.leaseTable.release(this.sim.nowUs, this.leaseTable.heldLeases);
    // A later crash within the failover window restarts the clock: only the latest one's restart runs.
    this.sim.after(this.leaseFailoverUs, () => {
      if (crash !== this.crashes) return;
      for (const worker of this.workers) if (worker?.state === "stopped") worker.start();
      // The restarted workers take the leases back, one conditional write each.
      const live = this.workers.reduce((count, worker) => count + (worker !== undefined && worker.state !== "finished" ? 1 : 0), 0);
      this.leaseTable.take(this.sim.nowUs, Math.max(0, live - this.leaseTable.heldLeases));
    });
  }

  checkpointWrite(nowUs: number, mustLand: boolean): boolean {
    return this.leaseTable.checkpoint(nowUs, mustLand);
  }

  onExpired(records: number): void {
    this.expired += records;
  }

  /** Oldest position this consumer may still need on a shard (its checkpoint or first unread record). */
  neededFrom(shard: Shard): number {
    return this.workers[shard.index]?.neededFrom() ?? 0;
  }

  /** The per-second lag sample: age of the oldest record of any shard this consumer has not processed. */
  sampleLag(nowUs: number): void {
    let oldestCreateUs = Infinity;
    for (const worker of this.workers) if (worker !== undefined) oldestCreateUs = Math.min(oldestCreateUs, worker.oldestUnprocessedCreateUs());
    this.meter.sampleLag(nowUs, oldestCreateUs === Infinity ? 0 : Math.max(0, nowUs - oldestCreateUs));
  }

  /** The per-second sample of GetRecords.IteratorAgeMilliseconds: the largest over the shards being read. */
  /** The largest iterator age of its readers at the last sample (microseconds): what an alarm on the stream reads. */
  iteratorAgeUs = 0;

  sampleIteratorAge(nowUs: number): void {
    let iteratorAgeUs = 0;
    for (const worker of this.workers) if (worker !== undefined && worker.state !== "finished") iteratorAgeUs = Math.max(iteratorAgeUs, worker.iteratorAgeUs);
    this.iteratorAgeUs = iteratorAgeUs;
    this.meter.sampleNative(nowUs, iteratorAgeUs);
  }

  /** Reads only (the records retention took that no worker has met yet are added, not stored). */
  result(): ConsumerResult {
    let inFlight = 0;
    let unread = 0;
    // Expired records no worker has counted yet join the count here, in a local: collecting twice must not count them twice.
    let expired = this.expired;
    for (const worker of this.workers) {
      if (worker === undefined) continue;
      inFlight += worker.inFlightFirstTime();
      unread += worker.unread();
      expired += worker.expiredUncounted();
    }
    const nativePerPartition = this.workers.flatMap((worker) => (worker === undefined ? [] : [{ id: worker.shard.id, series: worker.iteratorAge }]));
    return this.meter.result({ unread, inFlight, expired, deadLettered: 0, lost: 0 }, { nativePerPartition });
  }
}
