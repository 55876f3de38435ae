// What the Firehose model detects in its result: drops and throttling at the Direct PUT quotas, and
// what every Firehose delivery detects (sim/firehose-delivery/findings.ts): small S3 objects, ingestion
// rounding, DataFreshness above the stated target, records in the backup or the error output prefix.
// Wording is in messages.ts.

import { backedUpFinding, freshnessFinding, ingestRoundingFinding, smallObjectsFinding, type DeliveryView } from "../firehose-delivery/index.ts";
import { droppedSeverity, type Finding, type FirehoseResult, type ModelContext } from "../metrics/index.ts";
import type { FirehoseSystem } from "../scenario/types.ts";
import { say } from "./messages.ts";

export function firehoseFindings(result: FirehoseResult, system: FirehoseSystem, context: ModelContext): Finding[] {
  const findings: Finding[] = [];
  const r = result.records;
  if (r.dropped > 0) findings.push({ severity: droppedSeverity(r.dropped, r.produced), code: "records-dropped", subject: "producer", message: say.dropped(r.dropped, r.produced, system.producer.retry.maxAttempts), evidence: { dropped: r.dropped, produced: r.produced } });
  if (r.throttledAttempts > 0) findings.push(throttled(result, system));
  const view: DeliveryView = {
    subject: "s3",
    settings: system,
    objectSizeBytes: result.objectSizeBytes,
    bytesPerSecond: result.bytes.accepted / (context.durationUs / 1e6),
    facts: result.facts,
    dataFreshnessPeakUs: Number(result.facts.dataFreshnessPeakSeconds) * 1e6,
    recordsBackedUp: result.consumers[0]?.records.deadLettered ?? 0,
    usage: result.usage,
    durationUs: context.durationUs,
  };
  for (const finding of [smallObjectsFinding(view), ingestRoundingFinding(view, "producer"), freshnessFinding(view), backedUpFinding(view)]) if (finding !== null) findings.push(finding);
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
