// A KCL application's DynamoDB lease table (docs/reference.md §1.9): one lease item per shard, renewed
// by the worker holding it every renewal interval, taken once when a worker starts (or takes over after
// a failover), written once per checkpoint, and scanned by every worker's lease taker. Renewals and
// scans are steady loads, accounted as rates between events (no event per renewal); checkpoints are
// the workers' own events. A provisioned table's write capacity is a token bucket refilled at its WCU
// and holding up to 300 s of unused capacity (burst capacity); a checkpoint that finds it empty is
// throttled and waits for the worker's next batch.

import { invariant } from "../engine/index.ts";
import type { LeaseTableUsage } from "../metrics/index.ts";

/** The KCL subtracts epsilonMillis (25 ms) from a third of failoverTimeMillis to renew (docs/reference.md §1.9). */
export const leaseEpsilonUs = 25_000;
/** DynamoDB keeps up to 300 s of unused provisioned capacity for bursts (docs/reference.md §1.9). */
const burstSeconds = 300;
/**
 * A lease item (shard id, owner, counter, checkpoint sequence number, parents) is a few hundred bytes:
 * under 1 KB, so each write is one write unit; a scan reads it as 1 KB (an upper bound, docs/reference.md §1.9).
 */
const leaseItemBytes = 1024;
/** A read unit covers 4 KB strongly consistent; the KCL reads eventually consistent, half a unit (docs/reference.md §1.9). */
const readUnitBytes = 4096;
const eventuallyConsistentFactor = 0.5;

export interface LeaseTableSettings {
  billing: "on-demand" | "provisioned";
  writeCapacity: number;
  readCapacity: number;
  failoverTimeUs: number;
  checkpointIntervalUs: number;
  /** KCL workers sharing the shards; null: one per shard. */
  workers: number | null;
  warmupUs: number;
}

/** failoverTimeMillis / 3 - epsilonMillis (the KCL's LeaseCoordinator renewer interval). */
export function leaseRenewalIntervalUs(failoverTimeUs: number): number {
  return Math.floor(failoverTimeUs / 3) - leaseEpsilonUs;
}

/** (failoverTimeMillis + epsilonMillis) x 2 (the KCL's lease taker interval). */
export function leaseTakerIntervalUs(failoverTimeUs: number): number {
  return (failoverTimeUs + leaseEpsilonUs) * 2;
}

export class LeaseTable {
  readonly renewalIntervalUs: number;
  readonly takerIntervalUs: number;
  /** Leases a live worker holds and renews. */
  private held = 0;
  /** Lease items in the table (one per shard the application has seen). */
  private items = 0;
  private peakHeld = 0;
  private accountedToUs = 0;
  /** Provisioned write units available now; below zero after writes the KCL retries until they land (creates, takes, SHARD_END). */
  private tokens: number;
  private readonly counts = { leaseUsHeld: 0, checkpointWrites: 0, takeWrites: 0, readUnits: 0, throttledCheckpoints: 0, throttledRenewals: 0 };

  constructor(private readonly settings: LeaseTableSettings) {
    this.renewalIntervalUs = leaseRenewalIntervalUs(settings.failoverTimeUs);
    this.takerIntervalUs = leaseTakerIntervalUs(settings.failoverTimeUs);
    invariant(this.renewalIntervalUs > 0, "the lease renewal interval is positive");
    this.tokens = settings.writeCapacity;
  }

  get heldLeases(): number {
    return this.held;
  }

  /** A new shard: its lease item is created (one write) and a worker takes it (one write). */
  addShard(nowUs: number): void {
    this.account(nowUs);
    this.items++;
    this.write(nowUs, 1);
    this.take(nowUs, 1);
  }

  /** Workers take `leases` leases (at start, or after a failover): one conditional write each. */
  take(nowUs: number, leases: number): void {
    this.account(nowUs);
    this.held += leases;
    this.peakHeld = Math.max(this.peakHeld, this.held);
    this.write(nowUs, leases, "take");
  }

  /** Leases no longer renewed: the shard is finished, or its worker crashed. */
  release(nowUs: number, leases: number): void {
    this.account(nowUs);
    invariant(leases <= this.held, "a worker releases only leases it holds");
    this.held -= leases;
  }

  /**
   * One conditional write moving a lease's checkpoint. On a provisioned table without capacity left
   * the write is throttled (counted) and the checkpoint waits, unless `mustLand` (SHARD_END, which the
   * KCL retries until it succeeds): it then lands, borrowing from the capacity that follows.
   */
  checkpoint(nowUs: number, mustLand = false): boolean {
    this.account(nowUs);
    if (this.settings.billing === "provisioned" && this.tokens < 1) {
      if (nowUs >= this.settings.warmupUs) this.counts.throttledCheckpoints++;
      if (!mustLand) return false;
    }
    this.write(nowUs, 1, "checkpoint");
    return true;
  }

  /** Counts after warm-up, accounted to `endUs`. */
  usage(endUs: number): LeaseTableUsage {
    this.account(endUs);
    const counts = this.counts;
    return {
      billing: this.settings.billing,
      writeCapacity: this.settings.writeCapacity,
      readCapacity: this.settings.readCapacity,
      renewalIntervalUs: this.renewalIntervalUs,
      checkpointIntervalUs: this.settings.checkpointIntervalUs,
      renewalWrites: counts.leaseUsHeld / this.renewalIntervalUs,
      checkpointWrites: counts.checkpointWrites,
      takeWrites: counts.takeWrites,
      readUnits: counts.readUnits,
      throttledCheckpoints: counts.throttledCheckpoints,
      throttledRenewals: counts.throttledRenewals,
      peakLeases: this.peakHeld,
      workers: this.settings.workers ?? this.peakHeld,
    };
  }

  private write(nowUs: number, units: number, kind: "take" | "checkpoint" | "create" = "create"): void {
    if (this.settings.billing === "provisioned") this.tokens -= units;
    if (nowUs < this.settings.warmupUs) return;
    if (kind === "checkpoint") this.counts.checkpointWrites += units;
    else this.counts.takeWrites += units;
  }

  /**
   * The steady loads from the last accounted time to nowUs: renewals (held leases every renewal
   * interval) and lease-taker scans (every worker reads every item every taker interval) counted
   * after warm-up; renewals drain a provisioned table's bucket as it refills.
   */
  private account(nowUs: number): void {
    const fromUs = this.accountedToUs;
    if (nowUs <= fromUs) return;
    this.accountedToUs = nowUs;
    const spanUs = nowUs - fromUs;
    if (this.settings.billing === "provisioned") {
      const renewals = (this.held * spanUs) / this.renewalIntervalUs;
      const refill = (this.settings.writeCapacity * spanUs) / 1e6;
      const available = this.tokens + refill;
      // Renewals beyond the capacity are throttled (counted for the part of the span after warm-up).
      const throttled = available >= renewals ? 0 : renewals - Math.max(0, available);
      const afterShare = Math.max(0, nowUs - Math.max(fromUs, this.settings.warmupUs)) / spanUs;
      this.counts.throttledRenewals += throttled * afterShare;
      this.tokens = Math.min(throttled > 0 ? Math.min(available, 0) : available - renewals, this.settings.writeCapacity * burstSeconds);
    }
    const afterUs = nowUs - Math.max(fromUs, this.settings.warmupUs);
    if (afterUs <= 0) return;
    this.counts.leaseUsHeld += this.held * afterUs;
    const scanners = this.held === 0 ? 0 : (this.settings.workers ?? this.held);
    const unitsPerScan = Math.ceil((this.items * leaseItemBytes) / readUnitBytes) * eventuallyConsistentFactor;
    this.counts.readUnits += (scanners * unitsPerScan * afterUs) / this.takerIntervalUs;
  }
}
