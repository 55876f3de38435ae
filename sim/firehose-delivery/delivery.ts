// Delivery of flushed buffers to S3 (docs/reference.md §7.2): each object takes the format conversion's
// processing time (if on) and the delivery latency; an attempt that fails is retried every retryInterval
// until the retry duration has passed since the first attempt, then the object goes to the backup (or,
// with dynamic partitioning, the error output prefix) and its records count as failed. Objects of the
// error prefix's buffer (records past the active-partition limit) are written there and count as failed too.

import type { Simulation, Uniform } from "../engine/index.ts";
import type { LatencySampler } from "../workload/index.ts";
import { errorPartition, MiB } from "./limits.ts";
import type { FlushedObject } from "./buffers.ts";

export interface DeliverySettings {
  latency: LatencySampler;
  failureProbability: number;
  failureU: Uniform;
  retryIntervalUs: number;
  retryDurationUs: number;
  conversionPerMiBUs: number;
  /** Bytes written to S3 per byte ingested (format conversion; 1 without). */
  sizeRatio: number;
}

interface ObjectInDelivery {
  object: FlushedObject;
  storedBytes: number;
  firstAttemptUs: number;
}

/** What happens when an object is written: where (S3 or backup), its size, and its records' runs. */
export interface DeliveryListener {
  delivered(object: FlushedObject, storedBytes: number, nowUs: number): void;
  backedUp(object: FlushedObject, storedBytes: number, nowUs: number): void;
}

export class S3Delivery {
  private readonly inDelivery = new Set<ObjectInDelivery>();
  /** Attempts that failed and were retried, and objects that went to the backup after their retry duration. */
  failedAttempts = 0;
  backedUpObjects = 0;
  private readonly attemptHandler = (entry: ObjectInDelivery): void => this.attemptDone(entry);

  constructor(
    private readonly sim: Simulation,
    private readonly settings: DeliverySettings,
    private readonly listener: DeliveryListener,
  ) {}

  /** Records being written or retried. */
  get inFlightRecords(): number {
    let count = 0;
    for (const entry of this.inDelivery) count += entry.object.count;
    return count;
  }

  oldestCreateUs(): number {
    let oldest = Infinity;
    for (const entry of this.inDelivery) if (entry.object.createMinUs < oldest) oldest = entry.object.createMinUs;
    return oldest;
  }

  oldestAcceptUs(): number {
    let oldest = Infinity;
    for (const entry of this.inDelivery) if (entry.object.acceptMinUs < oldest) oldest = entry.object.acceptMinUs;
    return oldest;
  }

  /** A buffer flushed at nowUs: its object is converted (if on) and written. */
  deliver(object: FlushedObject, nowUs: number): void {
    const entry: ObjectInDelivery = { object, storedBytes: Math.max(1, Math.round(object.bytes * this.settings.sizeRatio)), firstAttemptUs: nowUs };
    this.inDelivery.add(entry);
    const conversionUs = Math.round((object.bytes / MiB) * this.settings.conversionPerMiBUs);
    this.sim.after(conversionUs + this.settings.latency.sampleUs(), this.attemptHandler, entry);
  }

  private attemptDone(entry: ObjectInDelivery): void {
    const now = this.sim.nowUs;
    const { failureProbability, failureU } = this.settings;
    if (failureProbability > 0 && failureU() < failureProbability) {
      this.failedAttempts++;
      if (now + this.settings.retryIntervalUs - entry.firstAttemptUs > this.settings.retryDurationUs) {
        this.inDelivery.delete(entry);
        this.backedUpObjects++;
        this.listener.backedUp(entry.object, entry.storedBytes, now);
        return;
      }
      this.sim.after(this.settings.retryIntervalUs + this.settings.latency.sampleUs(), this.attemptHandler, entry);
      return;
    }
    this.inDelivery.delete(entry);
    if (entry.object.partition === errorPartition) this.listener.backedUp(entry.object, entry.storedBytes, now);
    else this.listener.delivered(entry.object, entry.storedBytes, now);
  }
}
