// One consumer's reader of one shard (a KCL shard consumer): take records -> process -> checkpoint,
// until the shard is closed and read to its end. Polling readers fetch with GetRecords under the
// shard's shared limits, one call at a time; enhanced fan-out readers are pushed records over their
// own 2 MiB/s pipe while they process earlier ones.
//
// Positions are shard sequence numbers: readSeq (next record to process), processedSeq (every record
// before it was processed at least once), checkpointSeq (where a restart resumes), fetchedSeq (records
// taken from the shard so far: fetched or pushed).

import { invariant, type Simulation, type Uniform } from "../engine/index.ts";
import { GaugeSeries } from "../metrics/index.ts";
import { RetryPolicy, type LatencySampler, type ReadMeasure } from "../workload/index.ts";
import { efoBytesPerSecond, efoEventBytesMax, getRecordsBytesMax, getRecordsRecordsMax, getRecordsSdkAttemptsMax, sdkMaxBackoffUs, sdkThrottledBaseDelayUs } from "./limits.ts";
import type { LeaseTableSettings } from "./lease-table.ts";
import type { Shard } from "./shard.ts";

export interface WorkerSettings {
  type: "polling" | "enhanced-fan-out";
  /** The KCL's idle time between GetRecords calls, from the end of the last successful one. */
  pollIntervalUs: number;
  maxRecords: number;
  /** GetRecords round trip (polling) or propagation delay (enhanced fan-out). */
  delay: LatencySampler;
  /** The SDK's jitter on retries of throttled GetRecords calls (polling). */
  retryU: Uniform;
  perRecordUs: number;
  perBatchUs: number;
  checkpointIntervalUs: number;
  warmupUs: number;
  /** The KCL application's lease table; absent for readers that are not KCL applications (Firehose's). */
  leaseTable?: LeaseTableSettings;
}

/** What a worker reports to its consumer. */
export interface WorkerOwner {
  readonly settings: WorkerSettings;
  onProcessed(nowUs: number, firstTime: number, repeated: number): void;
  onLatency(latencyUs: number, count: number): void;
  /** A GetRecords call is made (throttled or not). */
  onReadCall(): void;
  onReadThrottle(): void;
  /** Bytes taken from the shard (fetched or pushed) at nowUs, for billing. */
  onRead(nowUs: number, bytes: number): void;
  onExpired(records: number): void;
  onShardFinished(worker: ShardWorker): void;
  /** Records [startSeq, endSeq) of the shard processed for the first time at nowUs (a Firehose consumer buffers them). */
  onFirstProcessed?(shard: Shard, startSeq: number, endSeq: number, nowUs: number): void;
  /** The checkpoint's conditional write to the lease table; false: throttled, the checkpoint waits. Absent: no lease table (a Firehose reader's positions are the service's own). */
  checkpointWrite?(nowUs: number, mustLand: boolean): boolean;
}

/** blocked: waiting for its parent shards to be read to their end; stopped: crashed, awaiting failover. */
export type WorkerState = "blocked" | "idle" | "fetching" | "processing" | "stopped" | "finished";

export abstract class ShardWorker {
  readSeq: number;
  fetchedSeq: number;
  processedSeq: number;
  checkpointSeq: number;
  state: WorkerState = "blocked";
  /** The batch being processed (or, polling, being fetched): [batchStartSeq, batchEndSeq). */
  batchStartSeq = 0;
  batchEndSeq = 0;
  iteratorAgeUs = 0;
  readonly iteratorAge: GaugeSeries;

  protected lastCheckpointUs: number;
  protected readonly measure: ReadMeasure = { count: 0, bytes: 0, lastArrivalUs: -1 };
  private token = 0;
  private readonly handle = (token: number): void => {
    if (token === this.token) this.step();
  };

  constructor(
    protected readonly sim: Simulation,
    readonly shard: Shard,
    protected readonly owner: WorkerOwner,
    seriesOptions: { intervalUs: number; endUs: number },
  ) {
    this.readSeq = shard.log.headSeq;
    this.fetchedSeq = this.readSeq;
    this.processedSeq = this.readSeq;
    this.checkpointSeq = this.readSeq;
    this.lastCheckpointUs = sim.nowUs;
    this.iteratorAge = new GaugeSeries(seriesOptions);
    this.iteratorAge.set(sim.nowUs, 0);
  }

  /** Starts (or restarts after a crash) from readSeq. */
  abstract start(): void;

  /** What happens at the worker's next scheduled step (per state). */
  protected abstract step(): void;

  /** Stops at once: work in flight is abandoned and reading resumes from the checkpoint. */
  crash(): void {
    if (this.state === "finished" || this.state === "blocked") return;
    this.token++;
    this.state = "stopped";
    this.readSeq = this.checkpointSeq;
    this.fetchedSeq = this.checkpointSeq;
  }

  /**
   * Records the shard's retention took before this worker reached them: at its next read the worker
   * finds its position trimmed and moves to the oldest retained record (as the KCL does), and the
   * records it never processed are expired for its consumer. Only when it holds nothing.
   */
  protected skipExpired(): void {
    const frontier = this.shard.expiredSeq;
    if (frontier <= this.fetchedSeq || this.fetchedSeq > this.readSeq) return;
    const skipped = frontier - Math.max(this.fetchedSeq, this.processedSeq);
    if (skipped > 0) this.owner.onExpired(skipped);
    this.readSeq = frontier;
    this.fetchedSeq = frontier;
    this.processedSeq = Math.max(this.processedSeq, frontier);
    this.checkpointSeq = Math.max(this.checkpointSeq, frontier);
  }

  /** Records expired before this worker reached them that it has not counted yet (at the end of a run). */
  expiredUncounted(): number {
    return Math.max(0, this.shard.expiredSeq - Math.max(this.fetchedSeq, this.processedSeq));
  }

  /** Oldest position this worker may still need: its checkpoint, the batch it holds, what it has not read. */
  neededFrom(): number {
    const inBatch = this.state === "fetching" || this.state === "processing" ? this.batchStartSeq : Infinity;
    return Math.min(this.checkpointSeq, this.readSeq, this.processedSeq, inBatch);
  }

  /** Creation time of the oldest record this worker has not processed; Infinity when none. */
  oldestUnprocessedCreateUs(): number {
    const log = this.shard.log;
    if (this.processedSeq >= log.tailSeq || this.state === "finished") return Infinity;
    return log.createMinAt(log.runOf(Math.max(this.processedSeq, log.headSeq)));
  }

  /** Records taken from the shard (fetched or pushed) and not yet processed for the first time. */
  inFlightFirstTime(): number {
    return Math.max(0, this.fetchedSeq - Math.max(this.readSeq, this.processedSeq));
  }

  /** Records not yet taken from the shard, processed or expired (at the end of a run). */
  unread(): number {
    return Math.max(0, this.shard.log.tailSeq - Math.max(this.fetchedSeq, this.processedSeq, this.shard.expiredSeq));
  }

  protected schedule(delayUs: number): void {
    this.sim.after(delayUs, this.handle, ++this.token);
  }

  protected beginProcessing(startSeq: number, endSeq: number): void {
    this.batchStartSeq = startSeq;
    this.batchEndSeq = endSeq;
    this.state = "processing";
    const settings = this.owner.settings;
    this.schedule(settings.perBatchUs + (endSeq - startSeq) * settings.perRecordUs);
  }

  /** Counts a processed batch: first-time records consumed, the rest duplicates; latencies; checkpoint. */
  protected completeProcessing(): void {
    const now = this.sim.nowUs;
    const start = this.batchStartSeq;
    const end = this.batchEndSeq;
    invariant(start <= end && end <= this.shard.log.tailSeq, "a worker processes only records in its shard's log");
    const firstTime = Math.max(0, end - Math.max(start, this.processedSeq));
    if (firstTime > 0) this.owner.onFirstProcessed?.(this.shard, end - firstTime, end, now);
    this.owner.onProcessed(now, firstTime, end - start - firstTime);
    this.processedSeq = Math.max(this.processedSeq, end);
    if (now >= this.owner.settings.warmupUs) this.recordLatencies(start, end, now);
    if (now - this.lastCheckpointUs >= this.owner.settings.checkpointIntervalUs) this.checkpoint(now);
    this.state = "idle";
  }

  /** Takes up to the call limits from fetchedSeq; sets iterator age to the age of the last record taken. */
  protected take(maxRecords: number, maxBytes: number): ReadMeasure {
    const now = this.sim.nowUs;
    const read = this.shard.log.measure(this.fetchedSeq, Math.min(maxRecords, getRecordsRecordsMax), Math.min(maxBytes, getRecordsBytesMax), this.measure);
    this.iteratorAgeUs = read.count > 0 ? Math.max(0, now - read.lastArrivalUs) : 0;
    this.iteratorAge.set(now, this.iteratorAgeUs / 1000);
    this.shard.countOutgoing(now, read.count, read.bytes);
    if (read.bytes > 0) this.owner.onRead(now, read.bytes);
    return read;
  }

  /** The shard is closed and everything in it processed: checkpoint at SHARD_END and let children start. */
  protected finishIfDone(): boolean {
    if (this.shard.isOpen || this.readSeq < this.shard.log.tailSeq || this.state !== "idle") return false;
    this.checkpoint(this.sim.nowUs, true);
    this.state = "finished";
    this.iteratorAge.set(this.sim.nowUs, 0);
    this.owner.onShardFinished(this);
    return true;
  }

  private checkpoint(nowUs: number, mustLand = false): void {
    invariant(this.processedSeq >= this.checkpointSeq, "a checkpoint only moves forward");
    if (this.owner.checkpointWrite !== undefined && !this.owner.checkpointWrite(nowUs, mustLand)) return;
    this.checkpointSeq = this.processedSeq;
    this.lastCheckpointUs = nowUs;
  }

  /** End-to-end latency per run piece: record j of the batch ends at start + perBatch + (j+1) perRecord. */
  private recordLatencies(startSeq: number, endSeq: number, doneUs: number): void {
    const settings = this.owner.settings;
    const processingStartUs = doneUs - settings.perBatchUs - (endSeq - startSeq) * settings.perRecordUs;
    this.shard.log.pieces(startSeq, endSeq, (count, offset, createMeanUs) => {
      const meanDoneUs = processingStartUs + settings.perBatchUs + (offset + (count + 1) / 2) * settings.perRecordUs;
      this.owner.onLatency(Math.max(0, meanDoneUs - createMeanUs), count);
    });
  }
}

/** The SDK's retries of a throttled GetRecords (docs/reference.md §1.8). */
const sdkThrottleRetry = new RetryPolicy({ maxAttempts: getRecordsSdkAttemptsMax, baseDelayUs: sdkThrottledBaseDelayUs, maxDelayUs: sdkMaxBackoffUs, jitter: "equal" });

/**
 * The KCL's polling loop (docs/reference.md §1.8): a GetRecords call under the shard's shared limits,
 * then the idle time counted from the end of that call (the next call also waits for processing). A
 * throttled call is retried by the SDK after its throttling backoff; when the SDK gives up, the KCL
 * sleeps the whole idle time. Readers that poll faster than the shard allows thus lose whole backoffs,
 * not just the refused calls.
 */
export class PollingWorker extends ShardWorker {
  /** When the last successful call's answer arrived (the KCL's lastSuccessfulCall). */
  private answeredUs = 0;
  /** Throttled attempts of the current call (the SDK retries it up to its attempts). */
  private throttles = 0;

  start(): void {
    this.state = "idle";
    this.throttles = 0;
    this.schedule(0);
  }

  protected step(): void {
    if (this.state === "idle") this.fetch();
    else if (this.state === "fetching") this.receive();
    else if (this.state === "processing") this.processed();
  }

  private fetch(): void {
    this.skipExpired();
    if (this.finishIfDone()) return;
    const now = this.sim.nowUs;
    const settings = this.owner.settings;
    this.owner.onReadCall();
    if (!this.shard.tryReadCall(now)) {
      // ReadProvisionedThroughputExceeded: the call returns nothing; the SDK backs off and retries.
      this.owner.onReadThrottle();
      this.throttles++;
      if (sdkThrottleRetry.canRetry(this.throttles)) return this.schedule(sdkThrottleRetry.delayUs(this.throttles, settings.retryU));
      this.throttles = 0;
      return this.schedule(settings.pollIntervalUs);
    }
    this.throttles = 0;
    const read = this.take(settings.maxRecords, getRecordsBytesMax);
    this.shard.chargeRead(now, read.bytes);
    this.batchStartSeq = this.fetchedSeq;
    this.batchEndSeq = this.fetchedSeq + read.count;
    this.fetchedSeq = this.batchEndSeq;
    this.state = "fetching";
    this.schedule(settings.delay.sampleUs());
  }

  private receive(): void {
    this.answeredUs = this.sim.nowUs;
    if (this.batchEndSeq === this.batchStartSeq) {
      this.state = "idle";
      return this.schedule(this.owner.settings.pollIntervalUs);
    }
    this.beginProcessing(this.batchStartSeq, this.batchEndSeq);
  }

  private processed(): void {
    this.completeProcessing();
    this.readSeq = this.batchEndSeq;
    this.schedule(Math.max(0, this.answeredUs + this.owner.settings.pollIntervalUs - this.sim.nowUs));
  }
}

/**
 * SubscribeToShard: records are pushed as they arrive, each event after the propagation delay and in
 * order, within the consumer's own 2 MiB/s per shard (docs/reference.md §1.3); the reader processes delivered
 * records one batch at a time while later events are on their way. Pushing pauses while more than a
 * full batch waits unprocessed (the client's flow control).
 */
export class FanOutWorker extends ShardWorker {
  private deliveredSeq: number;
  private readyAtUs = 0;
  private lastDeliveryUs = 0;
  private delayUs = 0;
  private delayDrawnForSecond = -1;
  private generation = 0;
  private pushScheduled = false;
  private readonly pushHandler = (generation: number): void => {
    if (generation !== this.generation) return;
    this.pushScheduled = false;
    this.push();
  };
  private readonly deliveryHandler = (delivery: { generation: number; endSeq: number }): void => {
    if (delivery.generation !== this.generation) return;
    this.deliveredSeq = delivery.endSeq;
    if (this.state === "idle") this.processNext();
  };

  constructor(sim: Simulation, shard: Shard, owner: WorkerOwner, seriesOptions: { intervalUs: number; endUs: number }) {
    super(sim, shard, owner, seriesOptions);
    this.deliveredSeq = this.readSeq;
    shard.appendListeners.push(() => this.wake());
  }

  start(): void {
    this.generation++;
    this.pushScheduled = false;
    this.deliveredSeq = this.readSeq;
    this.state = "idle";
    this.push();
    this.processNext();
  }

  override crash(): void {
    this.generation++;
    super.crash();
    this.deliveredSeq = this.readSeq;
  }

  /** New records on the shard, or the shard closed. */
  wake(): void {
    if (this.state === "blocked" || this.state === "stopped" || this.state === "finished") return;
    this.push();
    if (this.state === "idle") this.processNext();
  }

  protected step(): void {
    if (this.state !== "processing") return;
    this.completeProcessing();
    this.readSeq = this.batchEndSeq;
    this.push();
    this.processNext();
  }

  private push(): void {
    this.skipExpired();
    const now = this.sim.nowUs;
    if (this.fetchedSeq >= this.shard.log.tailSeq || this.fetchedSeq - this.readSeq > this.owner.settings.maxRecords) return;
    if (now < this.readyAtUs) {
      if (!this.pushScheduled) {
        this.pushScheduled = true;
        this.sim.after(this.readyAtUs - now, this.pushHandler, this.generation);
      }
      return;
    }
    // One event: what the pipe carries in one slice (at least one record); it has arrived when its
    // last byte has, after the propagation delay.
    const read = this.take(this.owner.settings.maxRecords, efoEventBytesMax);
    this.readyAtUs = now + Math.round((read.bytes * 1e6) / efoBytesPerSecond);
    this.fetchedSeq += read.count;
    this.lastDeliveryUs = Math.max(this.lastDeliveryUs, this.readyAtUs + this.propagationUs(now));
    this.sim.at(this.lastDeliveryUs, this.deliveryHandler, { generation: this.generation, endSeq: this.fetchedSeq });
    if (this.fetchedSeq < this.shard.log.tailSeq) this.push();
  }

  /**
   * The pipe's propagation delay, drawn afresh each simulated second: it varies over time, not per
   * event (events of one subscription arrive in order, so independent draws per event would make each
   * wait for the slowest of its predecessors).
   */
  private propagationUs(nowUs: number): number {
    const second = Math.floor(nowUs / 1_000_000);
    if (second !== this.delayDrawnForSecond) {
      this.delayDrawnForSecond = second;
      this.delayUs = this.owner.settings.delay.sampleUs();
    }
    return this.delayUs;
  }

  private processNext(): void {
    if (this.state !== "idle") return;
    if (this.readSeq < this.deliveredSeq) {
      return this.beginProcessing(this.readSeq, Math.min(this.deliveredSeq, this.readSeq + this.owner.settings.maxRecords));
    }
    this.finishIfDone();
  }
}
