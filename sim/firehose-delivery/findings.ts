// What a Firehose delivery detects, whatever the stream's source: small S3 objects (and which hint makes
// them small), DataFreshness above the stated target, records that ended in the backup or the error
// output prefix, and ingestion billed well above the bytes sent (5 KB rounding). Wording is in messages.ts.

import type { Finding, FirehoseUsage, LogHistogram } from "../metrics/index.ts";
import type { FirehoseSystem } from "../scenario/types.ts";
import { say } from "./messages.ts";

const MiB = 1024 * 1024;
const intervalMaxUs = 900_000_000;
const sizeMaxBytes = 128 * MiB;

/** A delivery's result as its findings read it: a Direct PUT stream's or a Kinesis Firehose consumer's. */
export interface DeliveryView {
  /** What the findings are about: "s3" for a Direct PUT stream, the consumer's name for a Kinesis source. */
  subject: string;
  settings: Pick<FirehoseSystem, "buffering" | "dynamicPartitioning" | "delivery" | "freshnessTarget" | "smallObjectSize">;
  objectSizeBytes: LogHistogram;
  /** Bytes the stream took in per second, over the run. */
  bytesPerSecond: number;
  /** DeliveryPipeline.facts(). */
  facts: Record<string, number | string>;
  dataFreshnessPeakUs: number;
  recordsBackedUp: number;
  usage: FirehoseUsage;
  durationUs: number;
}

export function smallObjectsFinding(view: DeliveryView): Finding | null {
  const { settings, facts } = view;
  const sizes = view.objectSizeBytes;
  if (sizes.count === 0 || !(sizes.mean < settings.smallObjectSize)) return null;
  const hours = view.durationUs / 3_600_000_000;
  const bytesPerSecond = view.bytesPerSecond;
  const partitions = Number(facts.partitionsPeak);
  const bySize = Number(facts.flushesBySize) >= Number(facts.flushesByInterval);
  let cause: string;
  let fix: string;
  if (settings.dynamicPartitioning.enabled && partitions > 1) {
    cause = say.causePartitions(partitions);
    fix = say.fixPartitions();
  } else if (bySize) {
    cause = say.causeSize(settings.buffering.size);
    const sizeBytes = Math.min(sizeMaxBytes, Math.max(settings.smallObjectSize, settings.buffering.size * 2));
    // A larger size hint helps only while it fills before the interval ends.
    const fillUs = bytesPerSecond > 0 ? (sizeBytes / bytesPerSecond) * 1e6 : Infinity;
    fix = fillUs <= settings.buffering.interval ? say.fixSize(sizeBytes) : `${say.fixSize(sizeBytes)} and ${say.fixInterval(Math.min(intervalMaxUs, Math.ceil(fillUs / 1e6) * 1e6))}`;
  } else {
    cause = say.causeInterval(settings.buffering.interval, bytesPerSecond);
    const neededUs = bytesPerSecond > 0 ? (Math.min(settings.smallObjectSize, settings.buffering.size) / bytesPerSecond) * 1e6 : Infinity;
    fix = neededUs <= intervalMaxUs ? say.fixInterval(Math.ceil(neededUs / 1e6) * 1e6) : say.fixIntervalMax();
  }
  return {
    severity: "warning",
    code: "small-objects",
    subject: view.subject,
    message: say.smallObjects(sizes.count, sizes.mean, sizes.count / hours, cause, fix),
    evidence: { objects: sizes.count, meanObjectBytes: Math.round(sizes.mean), objectsPerHour: sizes.count / hours, thresholdBytes: settings.smallObjectSize },
  };
}

/** 5 KB rounding (docs/reference.md §7.3): worth saying when it bills half again the bytes sent or more. */
export function ingestRoundingFinding(view: DeliveryView, subject: string): Finding | null {
  const usage = view.usage;
  if (!(usage.bytesIngested > 0 && usage.billedIngestBytes / usage.bytesIngested >= 1.5)) return null;
  const ratio = usage.billedIngestBytes / usage.bytesIngested;
  return {
    severity: "info",
    code: "ingest-rounding",
    subject,
    message: say.ingestRounding(ratio, usage.bytesIngested / usage.recordsIngested),
    evidence: { billedBytes: usage.billedIngestBytes, bytesIngested: usage.bytesIngested, billedRatio: ratio },
  };
}

export function freshnessFinding(view: DeliveryView): Finding | null {
  const peakUs = view.dataFreshnessPeakUs;
  const { freshnessTarget, buffering } = view.settings;
  if (!(peakUs > freshnessTarget)) return null;
  return {
    severity: "warning",
    code: "data-freshness-above-target",
    subject: view.subject,
    message: say.freshness(peakUs, freshnessTarget, buffering.interval),
    evidence: { dataFreshnessPeakSeconds: peakUs / 1e6, targetSeconds: freshnessTarget / 1e6, bufferIntervalSeconds: buffering.interval / 1e6 },
  };
}

export function backedUpFinding(view: DeliveryView): Finding | null {
  const failed = view.recordsBackedUp;
  if (failed === 0) return null;
  const { dynamicPartitioning, delivery } = view.settings;
  const overLimit = Number(view.facts.recordsInErrorPrefix);
  const retryDurationUs = dynamicPartitioning.enabled ? dynamicPartitioning.retryDuration : delivery.retryDuration;
  return { severity: "critical", code: "records-backed-up", subject: view.subject, message: say.backedUp(failed, overLimit, retryDurationUs, dynamicPartitioning.enabled), evidence: { records: failed, overPartitionLimit: overLimit } };
}
