// What a KCL consumer's lease table flags (docs/reference.md §1.9): checkpoints that outnumber lease
// renewals, a provisioned table throttled or near its capacity, many shards per worker. Wording lives
// in lease-messages.ts.

import type { Finding, LeaseTableUsage } from "../metrics/index.ts";
import { leaseMessages as say } from "./lease-messages.ts";

/** Mean use of provisioned capacity above this leaves no room for a checkpoint burst or a failover. */
const nearCapacityShare = 0.8;
/** The KCL's maxLeaseRenewalThreads default (docs/reference.md §1.9). */
const leaseRenewalThreads = 20;
const monthSeconds = 720 * 3600;
/** The checkpoint interval the finding prices as the alternative (issue's example: every 10 s). */
const alternativeIntervalSeconds = 10;

export function leaseTableFindings(consumer: string, table: LeaseTableUsage, windowSeconds: number): Finding[] {
  if (windowSeconds <= 0 || table.peakLeases === 0) return [];
  const findings: Finding[] = [];
  const round = (value: number) => Number(value.toPrecision(4));
  const writes = table.renewalWrites + table.checkpointWrites + table.takeWrites;
  const renewalIntervalSeconds = table.renewalIntervalUs / 1e6;
  if (table.checkpointWrites > table.renewalWrites) {
    // The mean time between a shard's checkpoints, and what checkpointing every 10 s would write instead.
    const gapSeconds = (table.peakLeases * windowSeconds) / table.checkpointWrites;
    const perMonth = (units: number) => ((units / windowSeconds) * monthSeconds) / 1e6;
    const alternativeWrites = Math.min(table.checkpointWrites, (table.peakLeases * windowSeconds) / alternativeIntervalSeconds);
    const checkpoint = { gapSeconds, replaySeconds: table.checkpointIntervalUs / 1e6, share: table.checkpointWrites / writes, millionUnitsPerMonth: perMonth(table.checkpointWrites), millionUnitsSavedPerMonth: perMonth(table.checkpointWrites - alternativeWrites) };
    findings.push({
      severity: "info",
      code: "kcl-checkpoint-frequent",
      subject: consumer,
      message: say.checkpointFrequent(consumer, checkpoint, renewalIntervalSeconds, alternativeIntervalSeconds),
      evidence: {
        checkpointGapSecondsMean: round(gapSeconds),
        checkpointWritesPerSecond: round(table.checkpointWrites / windowSeconds),
        renewalWritesPerSecond: round(table.renewalWrites / windowSeconds),
        checkpointMillionWriteUnitsPerMonth: round(checkpoint.millionUnitsPerMonth),
        savedMillionWriteUnitsPerMonthAt10s: round(checkpoint.millionUnitsSavedPerMonth),
        duplicateWindowSecondsMax: round(checkpoint.replaySeconds),
      },
    });
  }
  if (table.billing === "provisioned") {
    const writesPerSecond = writes / windowSeconds;
    if (table.throttledCheckpoints > 0 || table.throttledRenewals >= 1) {
      findings.push({
        severity: "critical",
        code: "kcl-lease-table-throttled",
        subject: consumer,
        message: say.tableThrottled(consumer, table.throttledCheckpoints, table.throttledRenewals, writesPerSecond, table.writeCapacity),
        evidence: { throttledCheckpoints: table.throttledCheckpoints, throttledRenewals: round(table.throttledRenewals), writeUnitsPerSecond: round(writesPerSecond), writeCapacity: table.writeCapacity },
      });
    } else {
      const writeShare = writesPerSecond / table.writeCapacity;
      const readShare = table.readUnits / windowSeconds / table.readCapacity;
      if (Math.max(writeShare, readShare) >= nearCapacityShare) {
        findings.push({
          severity: "warning",
          code: "kcl-lease-table-near-capacity",
          subject: consumer,
          message: say.tableNearCapacity(consumer, writeShare, readShare),
          evidence: { writeCapacityShare: round(writeShare), readCapacityShare: round(readShare), writeCapacity: table.writeCapacity, readCapacity: table.readCapacity },
        });
      }
    }
  }
  const leasesPerWorker = table.peakLeases / table.workers;
  if (leasesPerWorker > leaseRenewalThreads) {
    findings.push({
      severity: "info",
      code: "kcl-many-shards-per-worker",
      subject: consumer,
      message: say.manyShardsPerWorker(consumer, leasesPerWorker, table.workers, leaseRenewalThreads),
      evidence: { leasesPerWorker: round(leasesPerWorker), workers: table.workers, leaseRenewalThreads },
    });
  }
  return findings;
}
