// What a Firehose consumer of a Kinesis stream is flagged for: sharing each shard's GetRecords limits
// with the stream's other polling readers (docs/reference.md §1.1, §7.5), and what every Firehose
// delivery is flagged for (sim/firehose-delivery/findings.ts): small objects, DataFreshness above its
// target, records in the backup, ingestion rounding.

import { backedUpFinding, freshnessFinding, ingestRoundingFinding, smallObjectsFinding, type DeliveryView } from "../firehose-delivery/index.ts";
import type { ConsumerResult, Finding } from "../metrics/index.ts";
import type { FirehoseKinesisConsumerSpec } from "../scenario/firehose-schema.ts";
import type { KinesisSystem } from "../scenario/types.ts";
import { shardReadCallsPerSecond } from "./limits.ts";

/** Dynamic partitioning is not offered with a Kinesis source (firehose-consumer.ts). */
const noPartitioning = { enabled: false, activePartitionsMax: 1, retryDuration: 0 };

export function firehoseConsumerFindings(consumer: ConsumerResult, spec: FirehoseKinesisConsumerSpec, system: KinesisSystem, all: ConsumerResult[], context: { durationUs: number }): Finding[] {
  const stats = consumer.firehose;
  if (stats === undefined) return [];
  const findings: Finding[] = [];
  const shared = sharedReadBudget(consumer, system, all);
  if (shared !== null) findings.push(shared);
  const view: DeliveryView = {
    subject: consumer.name,
    settings: { ...spec, dynamicPartitioning: noPartitioning },
    objectSizeBytes: stats.objectSizeBytes,
    bytesPerSecond: stats.usage.bytesIngested > 0 ? readBytes(stats) / (context.durationUs / 1e6) : 0,
    facts: stats.facts,
    dataFreshnessPeakUs: stats.dataFreshnessPeakUs,
    recordsBackedUp: stats.recordsBackedUp,
    usage: stats.usage,
    durationUs: context.durationUs,
  };
  for (const finding of [smallObjectsFinding(view), ingestRoundingFinding(view, consumer.name), freshnessFinding(view), backedUpFinding(view)]) if (finding !== null) findings.push(finding);
  return findings;
}

function readBytes(stats: NonNullable<ConsumerResult["firehose"]>): number {
  return stats.series["DataReadFromKinesisStream.Bytes"].total;
}

/**
 * GetRecords calls a second each reader asks of every shard: a KCL app one per poll interval, a Lambda
 * mapping and Firehose one a second, Firehose two with source record backup (docs/reference.md §1.8, §6.2,
 * §7.5); enhanced fan-out readers none.
 */
function callsPerSecond(spec: KinesisSystem["consumers"][number]): number {
  if (spec.type === "polling") return 1e6 / spec.pollInterval;
  if (spec.type === "firehose") return spec.sourceRecordBackup ? 2 : 1;
  if (spec.type === "lambda" && !spec.efo) return 1;
  return 0;
}

function sharedReadBudget(consumer: ConsumerResult, system: KinesisSystem, all: ConsumerResult[]): Finding | null {
  const others = consumer.firehose!.sharedWith;
  if (others.length === 0) return null;
  const readers = system.consumers.filter((spec) => spec.name === consumer.name || others.includes(spec.name));
  const callsAsked = readers.reduce((sum, spec) => sum + callsPerSecond(spec), 0);
  const throttles = all.filter((result) => result.name === consumer.name || others.includes(result.name)).reduce((sum, result) => sum + result.readThrottles, 0);
  return {
    severity: "warning",
    code: "shared-read-budget",
    subject: consumer.name,
    message: sharedMessage(consumer.name, others, callsAsked, consumer.readThrottles, throttles, consumer.firehose!.sourceRecordBackup !== null),
    evidence: { pollingReaders: readers.length, getRecordsCallsPerShardPerSecond: Number(callsAsked.toFixed(2)), callsPerShardPerSecondLimit: shardReadCallsPerSecond, firehoseReadThrottles: consumer.readThrottles, readThrottles: throttles },
  };
}

function sharedMessage(name: string, others: string[], callsAsked: number, own: number, all: number, backup: boolean): string {
  const asked = `${callsAsked.toFixed(1)} GetRecords calls a second per shard against the limit of ${shardReadCallsPerSecond}`;
  const outcome = all > 0 ? `${all.toLocaleString("en-US")} calls were throttled (${own.toLocaleString("en-US")} of them Firehose's), which delays delivery to S3` : `no call was throttled in this run, but bursts and catch-up reads have little room`;
  return (
    `Firehose ${name} reads every shard ${backup ? "twice a second (source record backup)" : "once a second"} and shares each shard's 5 calls/s and 2 MiB/s with ${others.join(", ")}: together ${asked}; ${outcome}. ` +
    `Give the other readers enhanced fan-out (their own 2 MiB/s per shard), lengthen their poll interval, or read fewer applications from this stream.`
  );
}
