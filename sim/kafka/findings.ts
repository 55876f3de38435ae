// What the Kafka model flags, from its brokers, partitions and groups. Wording lives in messages.ts.

import { lagTrend, type ConsumerResult, type Finding, type SystemResult } from "../metrics/index.ts";
import type { Broker } from "./broker.ts";
import type { ConsumerGroup } from "./group.ts";
import { kafkaMessages as say } from "./messages.ts";
import { brokerUtilization } from "./results.ts";

/** A partition taking at least twice a fair share of the records is hot. */
const hotShareOfFair = 2;
/** A broker busy this much of an interval queues noticeably; at or above 0.95 it is saturated. */
const busyUtilization = 0.8;

export function kafkaFindings(result: SystemResult, brokers: Broker[], groups: ConsumerGroup[], context: { warmupUs: number; durationUs: number }): Finding[] {
  return [
    ...hotPartitions(result),
    ...busyBrokers(brokers),
    ...groups.flatMap((group, index) => groupFindings(group, result.consumers[index], result.partitions.length, context)),
  ];
}

function hotPartitions(result: SystemResult): Finding[] {
  const total = result.partitions.reduce((sum, partition) => sum + partition.acceptedRecords, 0);
  const count = result.partitions.length;
  if (total === 0 || count < 2) return [];
  return result.partitions
    .filter((partition) => partition.acceptedRecords / total >= hotShareOfFair / count)
    .sort((a, b) => b.acceptedRecords - a.acceptedRecords)
    .map((partition) => {
      const share = partition.acceptedRecords / total;
      const top = partition.topKeys[0];
      return {
        severity: "warning",
        code: "hot-partition",
        subject: partition.id,
        message: say.hotPartition(partition.id, share, count, top?.key),
        evidence: { share: round(share), fairShare: round(1 / count), acceptedRecords: partition.acceptedRecords, topKey: top?.key ?? "", topKeyRecords: top?.records ?? 0 },
      };
    });
}

function busyBrokers(brokers: Broker[]): Finding[] {
  return brokers.flatMap((broker) => {
    const peak = brokerUtilization(broker).reduce((max, value) => Math.max(max, value), 0);
    if (peak < busyUtilization) return [];
    return [
      {
        severity: peak >= 0.95 ? "critical" : "warning",
        code: "saturated-broker",
        subject: `broker-${broker.index}`,
        message: say.saturatedBroker(broker.index, peak),
        evidence: { peakUtilization: round(peak) },
      },
    ];
  });
}

function groupFindings(group: ConsumerGroup, consumer: ConsumerResult, partitions: number, context: { warmupUs: number; durationUs: number }): Finding[] {
  const findings: Finding[] = [];
  const idle = group.idleMemberIds.length;
  if (idle > 0) {
    findings.push({ severity: "warning", code: "idle-consumers", subject: consumer.name, message: say.idleConsumers(consumer.name, idle, partitions), evidence: { idleConsumers: idle, partitions } });
  }
  if (consumer.records.expired > 0) {
    findings.push({ severity: "critical", code: "records-expired", subject: consumer.name, message: say.expired(consumer.name, consumer.records.expired), evidence: { expired: consumer.records.expired } });
  }
  // Falls behind without recovering: lag still growing over the second half of the run, above a minute.
  const trend = lagTrend(consumer.lagSeries, (context.warmupUs + context.durationUs) / 2);
  if (trend !== null && trend.finalLagMs > 60_000 && trend.growthMsPerSecond > 0) {
    findings.push({
      severity: "critical",
      code: "consumer-falling-behind",
      subject: consumer.name,
      message: say.fallingBehind(consumer.name, trend.finalLagMs, trend.growthMsPerSecond),
      evidence: { finalLagMs: round(trend.finalLagMs), lagGrowthMsPerSecond: round(trend.growthMsPerSecond) },
    });
  }
  return findings;
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
