// The `firehose` block of a Kinesis stream's Firehose consumer in summary.json (docs/results.md "Firehose
// consumers of a Kinesis stream"): what it read, where those records are (delivered, buffered, being
// written, backed up), the S3 objects it wrote, DataFreshness, the readers it shares each shard's
// GetRecords limits with, and the usage Firehose bills after warm-up.

import { z } from "zod";
import type { ConsumerResult } from "../sim/metrics/index.ts";
import { round } from "./numbers.ts";

const count = z.number().int().nonnegative();
const quantiles = z.object({ p50: z.number().nullable(), p99: z.number().nullable(), max: z.number().nullable() }).strict();

export const firehoseConsumerSchema = z
  .object({
    records: z.object({ read: count, delivered: count, buffered: count, inDelivery: count, backedUp: count }).strict(),
    objects: z.object({ delivered: count, backedUp: count, sizeBytes: quantiles, meanBytes: z.number().nullable() }).strict(),
    dataFreshnessPeakSeconds: z.number().nonnegative(),
    sharedWith: z.array(z.string()),
    // With source record backup: what its own reader read and wrote to the backup bucket; null when off.
    sourceRecordBackup: z.object({ recordsRead: count, recordsWritten: count, objects: count, s3PutRequests: count }).strict().nullable(),
    billed: z.object({ recordsIngested: count, bytesIngested: z.number().nonnegative(), billedIngestBytes: z.number().nonnegative(), s3PutRequests: count, s3BytesWritten: z.number().nonnegative() }).strict(),
  })
  .strict();

export type FirehoseConsumerSummary = z.infer<typeof firehoseConsumerSchema>;

/** The consumer's firehose block, or nothing for other consumers (the field is left out). */
export function firehoseConsumerSummary(consumer: ConsumerResult): { firehose?: FirehoseConsumerSummary } {
  const stats = consumer.firehose;
  if (stats === undefined) return {};
  const sizes = stats.objectSizeBytes;
  const usage = stats.usage;
  return {
    firehose: {
      records: { read: stats.recordsRead, delivered: stats.recordsDelivered, buffered: stats.recordsBuffered, inDelivery: stats.recordsInDelivery, backedUp: stats.recordsBackedUp },
      objects: {
        delivered: Number(stats.facts.objectsDelivered),
        backedUp: Number(stats.facts.objectsBackedUp),
        sizeBytes: { p50: round(sizes.quantile(0.5), 0), p99: round(sizes.quantile(0.99), 0), max: round(sizes.max, 0) },
        meanBytes: sizes.count === 0 ? null : Math.round(sizes.mean),
      },
      dataFreshnessPeakSeconds: round(stats.dataFreshnessPeakUs / 1e6, 3) ?? 0,
      sharedWith: stats.sharedWith,
      sourceRecordBackup:
        stats.sourceRecordBackup === null
          ? null
          : { recordsRead: stats.sourceRecordBackup.recordsRead, recordsWritten: stats.sourceRecordBackup.recordsWritten, objects: stats.sourceRecordBackup.objects, s3PutRequests: stats.sourceRecordBackup.s3PutRequests },
      billed: {
        recordsIngested: usage.recordsIngested,
        bytesIngested: Math.round(usage.bytesIngested),
        billedIngestBytes: Math.round(usage.billedIngestBytes),
        s3PutRequests: usage.s3PutRequests,
        s3BytesWritten: Math.round(usage.s3BytesWritten),
      },
    },
  };
}
