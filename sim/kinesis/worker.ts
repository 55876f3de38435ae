// One consumer's reader of one shard (a KCL shard consumer): fetch -> process -> checkpoint, until
// the shard is closed and read to its end. Polling workers fetch with GetRecords under the shard's
// shared limits; enhanced fan-out workers are pushed records over their own 2 MiB/s pipe.
//
// Positions are shard sequence numbers: readSeq (next record to fetch), processedSeq (every record
// before it has been processed at least once), checkpointSeq (where a restart resumes).

import type { Simulation } from "../engine/index.ts";
import { GaugeSeries } from "../metrics/index.ts";
import type { LatencySampler } from "../workload/index.ts";
import { efoBytesPerSecond, getRecordsBytesMax, getRecordsRecordsMax } from "./limits.ts";
import type { Shard } from "./shard.ts";
import type { ReadMeasure } from "./shard-log.ts";

export interface WorkerSettings {
  type: "polling" | "enhanced-fan-out";
  pollIntervalUs: number;
  maxRecords: number;
  /** GetRecords round trip (polling) or propagation delay (enhanced fan-out). */
  delay: LatencySampler;
  perRecordUs: number;
  perBatchUs: number;
  checkpointIntervalUs: number;
  warmupUs: number;
}

/** What a worker reports to its consumer. */
export interface WorkerOwner {
  readonly settings: WorkerSettings;
  onProcessed(worker: ShardWorker, firstTime: number, repeated: number): void;
  onLatency(latencyUs: number, count: number): void;
  onReadThrottle(): void;
  onShardFinished(worker: ShardWorker): void;
}

type State = "blocked" | "idle" | "waiting" | "fetching" | "processing" | "stopped" | "finished";

export class ShardWorker {
  readSeq: number;
  processedSeq: number;
  checkpointSeq: number;
  /** blocked: waiting for its parent shards to be read to their end. */
  state: State = "blocked";
  /** The batch being fetched or processed: [batchStartSeq, batchEndSeq). */
  batchStartSeq = 0;
  batchEndSeq = 0;
  iteratorAgeUs = 0;
  readonly iteratorAge: GaugeSeries;

  private lastCheckpointUs: number;
  private callUs = 0;
  private efoReadyAtUs = 0;
  private token = 0;
  private readonly measure: ReadMeasure = { count: 0, bytes: 0, lastArrivalUs: -1 };
  private readonly handle = (token: number): void => {
    if (token === this.token) this.step();
  };

  constructor(
    private readonly sim: Simulation,
    readonly shard: Shard,
    private readonly owner: WorkerOwner,
    seriesOptions: { intervalUs: number; endUs: number },
  ) {
    this.readSeq = shard.log.headSeq;
    this.processedSeq = this.readSeq;
    this.checkpointSeq = this.readSeq;
    this.lastCheckpointUs = sim.nowUs;
    this.iteratorAge = new GaugeSeries(seriesOptions);
    this.iteratorAge.set(sim.nowUs, 0);
    if (owner.settings.type === "enhanced-fan-out") shard.appendListeners.push(() => this.wake());
  }

  /** Starts (or restarts after a crash) reading from readSeq. */
  start(): void {
    this.state = "idle";
    this.schedule(0);
  }

  /** Stops at once: the batch in flight is abandoned and reading resumes from the checkpoint. */
  crash(): void {
    if (this.state === "finished" || this.state === "blocked") return;
    this.token++;
    this.state = "stopped";
    this.readSeq = this.checkpointSeq;
  }

  /** Records a stalled reader has lost to retention: they are skipped, counted by the caller. */
  skipTo(seq: number): number {
    const from = Math.max(this.readSeq, this.processedSeq);
    this.readSeq = Math.max(this.readSeq, seq);
    this.checkpointSeq = Math.max(this.checkpointSeq, seq);
    const skippedFirstTime = Math.max(0, seq - from);
    this.processedSeq = Math.max(this.processedSeq, seq);
    return skippedFirstTime;
  }

  private schedule(delayUs: number): void {
    this.sim.after(delayUs, this.handle, ++this.token);
  }

  /** Enhanced fan-out: new records arrived on the shard. */
  wake(): void {
    if (this.state === "waiting") {
      this.state = "idle";
      this.schedule(Math.max(0, this.efoReadyAtUs - this.sim.nowUs));
    }
  }

  private step(): void {
    if (this.state === "fetching") return this.receive();
    if (this.state === "processing") return this.processed();
    if (this.state === "idle") return this.fetch();
  }

  private fetch(): void {
    const now = this.sim.nowUs;
    const shard = this.shard;
    if (this.readSeq >= shard.log.tailSeq && !shard.isOpen) return this.finish();
    const settings = this.owner.settings;
    if (settings.type === "polling") {
      this.callUs = now;
      if (!shard.tryReadCall(now)) {
        // ReadProvisionedThroughputExceeded: the call returns nothing; try again next interval.
        this.owner.onReadThrottle();
        return this.schedule(settings.pollIntervalUs);
      }
    } else if (this.readSeq >= shard.log.tailSeq) {
      this.state = "waiting";
      return;
    }
    const maxRecords = Math.min(settings.maxRecords, getRecordsRecordsMax);
    const read = shard.log.measure(this.readSeq, maxRecords, getRecordsBytesMax, this.measure);
    if (settings.type === "polling") shard.chargeRead(now, read.bytes);
    else this.efoReadyAtUs = Math.max(this.efoReadyAtUs, now) + Math.round((read.bytes * 1e6) / efoBytesPerSecond);
    this.iteratorAgeUs = read.count > 0 ? Math.max(0, now - read.lastArrivalUs) : 0;
    this.iteratorAge.set(now, this.iteratorAgeUs);
    this.batchStartSeq = this.readSeq;
    this.batchEndSeq = this.readSeq + read.count;
    this.readSeq = this.batchEndSeq;
    this.state = "fetching";
    this.schedule(settings.delay.sampleUs());
  }

  private receive(): void {
    const settings = this.owner.settings;
    const count = this.batchEndSeq - this.batchStartSeq;
    if (count === 0) {
      this.state = "idle";
      return this.schedule(Math.max(0, this.callUs + settings.pollIntervalUs - this.sim.nowUs));
    }
    this.state = "processing";
    this.schedule(settings.perBatchUs + count * settings.perRecordUs);
  }

  private processed(): void {
    const now = this.sim.nowUs;
    const settings = this.owner.settings;
    const start = this.batchStartSeq;
    const end = this.batchEndSeq;
    const firstTime = Math.max(0, end - Math.max(start, this.processedSeq));
    this.owner.onProcessed(this, firstTime, end - start - firstTime);
    this.processedSeq = Math.max(this.processedSeq, end);
    if (now >= settings.warmupUs) this.recordLatencies(start, end, now);
    if (now - this.lastCheckpointUs >= settings.checkpointIntervalUs) this.checkpoint(now);
    this.state = "idle";
    const nextUs = settings.type === "polling" ? Math.max(now, this.callUs + settings.pollIntervalUs) : Math.max(now, this.efoReadyAtUs);
    this.schedule(nextUs - now);
  }

  /** End-to-end latency per run piece: record j of the batch ends at start + perBatch + (j+1) perRecord. */
  private recordLatencies(startSeq: number, endSeq: number, doneUs: number): void {
    const settings = this.owner.settings;
    const log = this.shard.log;
    const count = endSeq - startSeq;
    const processingStartUs = doneUs - settings.perBatchUs - count * settings.perRecordUs;
    let seq = startSeq;
    let run = log.runOf(seq);
    while (seq < endSeq) {
      const runEnd = log.firstSeqAt(run) + log.countAt(run);
      const pieceEnd = Math.min(runEnd, endSeq);
      const pieceCount = pieceEnd - seq;
      const meanOffset = seq - startSeq + (pieceCount + 1) / 2;
      const meanDoneUs = processingStartUs + settings.perBatchUs + meanOffset * settings.perRecordUs;
      this.owner.onLatency(Math.max(0, meanDoneUs - log.createMeanAt(run)), pieceCount);
      seq = pieceEnd;
      run++;
    }
  }

  private checkpoint(nowUs: number): void {
    this.checkpointSeq = this.processedSeq;
    this.lastCheckpointUs = nowUs;
  }

  private finish(): void {
    this.checkpoint(this.sim.nowUs);
    this.state = "finished";
    this.iteratorAge.set(this.sim.nowUs, 0);
    this.owner.onShardFinished(this);
  }

  /** Creation time of the oldest record this worker has not processed; Infinity when none. */
  oldestUnprocessedCreateUs(): number {
    const log = this.shard.log;
    if (this.processedSeq >= log.tailSeq || this.state === "finished") return Infinity;
    return log.createMinAt(log.runOf(Math.max(this.processedSeq, log.headSeq)));
  }

  /** Records fetched and not yet processed for the first time (at the end of a run). */
  inFlightFirstTime(): number {
    if (this.state !== "fetching" && this.state !== "processing") return 0;
    return Math.max(0, this.batchEndSeq - Math.max(this.batchStartSeq, this.processedSeq));
  }

  /** Records not yet fetched nor processed (at the end of a run). */
  unread(): number {
    const fetchedTo = this.state === "fetching" || this.state === "processing" ? this.batchEndSeq : this.readSeq;
    return Math.max(0, this.shard.log.tailSeq - Math.max(fetchedTo, this.processedSeq));
  }
}
