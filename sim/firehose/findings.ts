// What the Firehose model detects in its result: drops and throttling at the Direct PUT quotas, small
// S3 objects (and which hint makes them small), DataFreshness above the stated target, and records that
// ended in the backup or the error output prefix. Wording is in messages.ts.

import type { Finding, FirehoseResult, ModelContext } from "../metrics/index.ts";
import type { FirehoseSystem } from "../scenario/types.ts";
import { say } from "./messages.ts";

const MiB = 1024 * 1024;
const intervalMaxUs = 900_000_000;
const sizeMaxBytes = 128 * MiB;

export function firehoseFindings(result: FirehoseResult, system: FirehoseSystem, context: ModelContext): Finding[] {
  const findings: Finding[] = [];
  const r = result.records;
  if (r.dropped > 0) findings.push({ severity: "critical", code: "records-dropped", subject: "producer", message: say.dropped(r.dropped, r.produced, system.producer.retry.maxAttempts), evidence: { dropped: r.dropped, produced: r.produced } });
  if (r.throttledAttempts > 0) findings.push(throttled(result, system));
  const small = smallObjects(result, system, context);
  if (small !== null) findings.push(small);
  const usage = result.usage;
  // 5 KB rounding (docs/reference.md §7.3): worth saying when it bills half again the bytes sent or more.
  if (usage.bytesIngested > 0 && usage.billedIngestBytes / usage.bytesIngested >= 1.5) {
    const ratio = usage.billedIngestBytes / usage.bytesIngested;
    findings.push({
      severity: "info",
      code: "ingest-rounding",
      subject: "producer",
      message: say.ingestRounding(ratio, usage.bytesIngested / usage.recordsIngested),
      evidence: { billedBytes: usage.billedIngestBytes, bytesIngested: usage.bytesIngested, billedRatio: ratio },
    });
  }
  const peakUs = Number(result.facts.dataFreshnessPeakSeconds) * 1e6;
  if (peakUs > system.freshnessTarget) {
    findings.push({
      severity: "warning",
      code: "data-freshness-above-target",
      subject: "s3",
      message: say.freshness(peakUs, system.freshnessTarget, system.buffering.interval),
      evidence: { dataFreshnessPeakSeconds: peakUs / 1e6, targetSeconds: system.freshnessTarget / 1e6, bufferIntervalSeconds: system.buffering.interval / 1e6 },
    });
  }
  const failed = result.consumers[0]?.records.deadLettered ?? 0;
  if (failed > 0) {
    const overLimit = Number(result.facts.recordsInErrorPrefix);
    const retryDurationUs = system.dynamicPartitioning.enabled ? system.dynamicPartitioning.retryDuration : system.delivery.retryDuration;
    findings.push({ severity: "critical", code: "records-backed-up", subject: "s3", message: say.backedUp(failed, overLimit, retryDurationUs, system.dynamicPartitioning.enabled), evidence: { records: failed, overPartitionLimit: overLimit } });
  }
  return findings;
}

/** Which quota the producers pressed hardest, from their attempts (accepted + throttled) in the busiest second. */
function throttled(result: FirehoseResult, system: FirehoseSystem): Finding {
  const { IncomingRecords, ThrottledRecords, IncomingPutRequests } = result.series;
  let recordsPeak = 0;
  let callsPeak = 0;
  for (let i = 0; i < IncomingRecords.intervalCount; i++) {
    recordsPeak = Math.max(recordsPeak, IncomingRecords.peakPerSecondAt(i) + ThrottledRecords.peakPerSecondAt(i));
    callsPeak = Math.max(callsPeak, IncomingPutRequests.peakPerSecondAt(i));
  }
  const meanBytes = result.records.produced > 0 ? result.bytes.produced / result.records.produced : 0;
  const q = system.quotas;
  const ratios: Array<[string, number]> = [
    ["records/s", recordsPeak / q.recordsPerSecond],
    ["MiB/s", (recordsPeak * meanBytes) / q.bytesPerSecond],
    ["requests/s", callsPeak / q.requestsPerSecond],
  ];
  const [binding, ratio] = ratios.reduce((best, entry) => (entry[1] > best[1] ? entry : best));
  return {
    severity: "warning",
    code: "direct-put-throttled",
    subject: "producer",
    message: say.throttled(result.records.throttledAttempts, binding, ratio),
    evidence: { throttledAttempts: result.records.throttledAttempts, peakRecordsPerSecond: recordsPeak, peakCallsPerSecond: callsPeak, bindingQuota: binding, peakQuotaRatio: ratio },
  };
}

function smallObjects(result: FirehoseResult, system: FirehoseSystem, context: ModelContext): Finding | null {
  const sizes = result.objectSizeBytes;
  if (sizes.count === 0 || !(sizes.mean < system.smallObjectSize)) return null;
  const hours = context.durationUs / 3_600_000_000;
  const seconds = context.durationUs / 1e6;
  const bytesPerSecond = result.bytes.accepted / seconds;
  const partitions = Number(result.facts.partitionsPeak);
  const bySize = Number(result.facts.flushesBySize) >= Number(result.facts.flushesByInterval);
  let cause: string;
  let fix: string;
  if (system.dynamicPartitioning.enabled && partitions > 1) {
    cause = say.causePartitions(partitions);
    fix = say.fixPartitions();
  } else if (bySize) {
    cause = say.causeSize(system.buffering.size);
    const sizeBytes = Math.min(sizeMaxBytes, Math.max(system.smallObjectSize, system.buffering.size * 2));
    // A larger size hint helps only while it fills before the interval ends.
    const fillUs = bytesPerSecond > 0 ? (sizeBytes / bytesPerSecond) * 1e6 : Infinity;
    fix = fillUs <= system.buffering.interval ? say.fixSize(sizeBytes) : `${say.fixSize(sizeBytes)} and ${say.fixInterval(Math.min(intervalMaxUs, Math.ceil(fillUs / 1e6) * 1e6))}`;
  } else {
    cause = say.causeInterval(system.buffering.interval, bytesPerSecond);
    const neededUs = bytesPerSecond > 0 ? (Math.min(system.smallObjectSize, system.buffering.size) / bytesPerSecond) * 1e6 : Infinity;
    fix = neededUs <= intervalMaxUs ? say.fixInterval(Math.ceil(neededUs / 1e6) * 1e6) : say.fixIntervalMax();
  }
  return {
    severity: "warning",
    code: "small-objects",
    subject: "s3",
    message: say.smallObjects(sizes.count, sizes.mean, sizes.count / hours, cause, fix),
    evidence: { objects: sizes.count, meanObjectBytes: Math.round(sizes.mean), objectsPerHour: sizes.count / hours, thresholdBytes: system.smallObjectSize },
  };
}
