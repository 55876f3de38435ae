// Broker disks against what the logs keep (docs/reference.md §5): the fullest broker's kept bytes, as the
// cost model bills them, against the provisioned volume (brokers.storage) or, when none is set, MSK's
// largest Standard-broker volume. Wording lives here: these findings only concern storage.

import { keptBytesByBroker } from "../metrics/index.ts";
import type { Finding, KafkaResult } from "../metrics/index.ts";
import { instanceType, type KafkaSystem } from "../scenario/index.ts";

/** MSK's largest storage volume per Standard broker, GiB (Amazon MSK quota; docs/reference.md §5). */
export const mskMaxStorageGiB = 16_384;
/** Above this share of its volume a broker's disk is fuller than AWS suggests keeping it (50-60%). */
const suggestedUtilization = 0.6;

const GiB = 1024 ** 3;
const gib = (bytes: number) => Math.round(bytes / GiB).toLocaleString("en-US");
const fixes = "add brokers, shorten retention, cap each partition with retention.bytes, or move older segments to tiered storage";

export function brokerStorageFindings(result: KafkaResult, system: KafkaSystem, context: { warmupUs: number; durationUs: number }): Finding[] {
  const windowSeconds = (context.durationUs - context.warmupUs) / 1e6;
  if (!(windowSeconds > 0)) return [];
  const kept = keptBytesByBroker(result.usage.storageByPartition, system.brokers.count, { retentionUs: system.topic.retention, retentionBytes: system.topic.retentionBytes }, windowSeconds);
  const fullest = Math.max(0, ...kept.bytes);
  const broker = kept.bytes.indexOf(fullest);
  const provisioned = system.brokers.storage;
  const evidence = { broker, keptGiB: Math.round(fullest / GiB) };
  if (provisioned !== undefined) {
    if (fullest > provisioned * GiB) {
      return [{ severity: "critical", code: "broker-disk-full", subject: `broker-${broker}`, evidence: { ...evidence, storageGiB: provisioned },
        message: `Broker ${broker} would keep ${gib(fullest)} GiB, more than its ${provisioned.toLocaleString("en-US")} GiB volume (brokers.storage): its disk fills and the broker stops; ${fixes}, or provision more storage.` }];
    }
    if (fullest > suggestedUtilization * provisioned * GiB) {
      return [{ severity: "info", code: "broker-disk-utilization", subject: `broker-${broker}`, evidence: { ...evidence, storageGiB: provisioned },
        message: `Broker ${broker} would keep ${gib(fullest)} GiB, ${Math.round((100 * fullest) / (provisioned * GiB))}% of its ${provisioned.toLocaleString("en-US")} GiB volume; AWS suggests keeping disks 50-60% full to leave room for bursts and recovery.` }];
    }
    return [];
  }
  if (instanceType(system.brokers.instanceType).kind !== "msk" || fullest <= mskMaxStorageGiB * GiB) return [];
  return [{ severity: "critical", code: "broker-storage-limit", subject: `broker-${broker}`, evidence: { ...evidence, maxStorageGiB: mskMaxStorageGiB },
    message: `Broker ${broker} would keep ${gib(fullest)} GiB, more than the ${mskMaxStorageGiB.toLocaleString("en-US")} GiB an MSK Standard broker can have (Amazon MSK quota): this cluster cannot hold the retention; ${fixes}.` }];
}
