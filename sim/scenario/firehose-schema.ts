// The `kind: firehose` system block: an Amazon Data Firehose stream with Direct PUT as its source
// (producers call PutRecordBatch) delivering to Amazon S3. Defaults are the service's (docs/reference.md §7).

import { z } from "zod";
import { byteRate, duration, durationBetween, fraction, intBetween, latency, name, positiveInt, positiveNumber, sizeBetween } from "./fields.ts";

const MiB = 1024 * 1024;
const hourUs = 3_600_000_000;
const dayUs = 24 * hourUs;

// The SDKs' standard retry mode, as for Kinesis and SQS (docs/reference.md §4): an application resends the
// failed entries of a PutRecordBatch (FailedPutCount) with backoff, up to maxAttempts in all (docs/reference.md §7.1).
const retry = z
  .strictObject({
    maxAttempts: positiveInt(1000).prefault(3),
    baseDelay: duration().prefault("100ms"),
    maxDelay: duration().prefault("20s"),
    jitter: z.enum(["none", "full", "equal"]).prefault("full"),
  })
  .refine((value) => value.maxDelay >= value.baseDelay, { error: "a maxDelay not below baseDelay", path: ["maxDelay"] })
  .prefault({});

const producer = z
  .strictObject({
    // PutRecordBatch: at most 500 records and 4 MiB per call (docs/reference.md §7.1).
    batch: z
      .strictObject({
        maxRecords: intBetween(1, 500).prefault(500),
        maxBytes: sizeBetween(1, 4 * MiB, "1B", "4MiB (the PutRecordBatch request limit)").prefault("4MiB"),
        linger: duration().prefault("100ms"),
      })
      .prefault({}),
    retry,
    // No published PutRecordBatch latency: the same tens of milliseconds as Kinesis PutRecords (docs/reference.md §7.1).
    latency: latency("20ms", "80ms"),
  })
  .prefault({});

// Direct PUT throughput quotas of one stream in us-east-1, us-west-2 and eu-west-1 (docs/reference.md §7.1).
const quotas = z
  .strictObject({
    recordsPerSecond: positiveNumber().prefault(500_000),
    requestsPerSecond: positiveNumber().prefault(2000),
    bytesPerSecond: byteRate()
      .refine((bytesPerSecond) => bytesPerSecond > 0, { error: 'a byte rate above zero, such as "5MiB/s"' })
      .prefault("5MiB/s"),
  })
  .prefault({});

// Buffering hints for S3: 1-128 MiB (default 5) and 0-900 s (default 300) (docs/reference.md §7.2).
const buffering = z
  .strictObject({
    size: sizeBetween(MiB, 128 * MiB, "1MiB", "128MiB").prefault("5MiB"),
    interval: durationBetween(0, 900_000_000, "0s", "900s").prefault("300s"),
  })
  .prefault({});

// Dynamic partitioning: one buffer per partition key (the record's key) up to 500 active partitions by
// default, 5,000 at most on request; retry duration 0-7,200 s, default 300 s (docs/reference.md §7.2).
const dynamicPartitioning = z
  .strictObject({
    enabled: z.boolean().prefault(false),
    activePartitionsMax: intBetween(1, 5000).prefault(500).describe("active partitions (open buffers) at once; a record of a further key goes to the error output prefix"),
    retryDuration: durationBetween(0, 7_200_000_000, "0s", "7200s").prefault("300s"),
  })
  .prefault({});

const delivery = z
  .strictObject({
    latency: latency("1s", "3s").describe("from a buffer's flush to its object written in S3"),
    failureProbability: fraction().prefault(0).describe("chance that one attempt to write an object to S3 fails"),
    retryInterval: durationBetween(1_000_000, hourUs, "1s", "1h").prefault("5s"),
    // Without dynamic partitioning Firehose retries S3 for as long as it keeps records: 24 h (docs/reference.md §7.2).
    retryDuration: durationBetween(0, dayUs, "0s", "24h").prefault("24h").describe("without dynamic partitioning: how long a failing object is retried before it goes to the backup"),
  })
  .prefault({});

const formatConversion = z
  .strictObject({
    enabled: z.boolean().prefault(false),
    perMiB: duration().prefault("0s").describe("processing time per MiB converted, added to the delivery of each object"),
    sizeRatio: positiveNumber().prefault(1).describe("bytes written to S3 per byte ingested (Parquet/ORC often below 1)"),
  })
  .prefault({});

const s3 = z
  .strictObject({ retention: durationBetween(dayUs, 3650 * dayUs, "1d", "3650d").prefault("30d").describe("how long objects stay in S3 (prices their storage)") })
  .prefault({});
const freshnessTarget = durationBetween(1_000_000, dayUs, "1s", "24h").prefault("15m").describe("DataFreshness above this is a finding");
const smallObjectSize = sizeBetween(1, 1024 * MiB, "1B", "1GiB").prefault("16MiB").describe("objects smaller than this on average are a finding");

export const firehoseSystem = z.strictObject({
  name: name(),
  kind: z.literal("firehose"),
  quotas,
  producer,
  buffering,
  dynamicPartitioning,
  delivery,
  formatConversion,
  s3,
  freshnessTarget,
  smallObjectSize,
});

// A Firehose stream whose source is the Kinesis stream it is listed under (docs/reference.md §7.5): it reads
// every shard with GetRecords once a second under the shard's shared read limits, and delivers to S3
// with the same buffering, delivery and format conversion as a Direct PUT stream. Dynamic partitioning
// is not offered here: the model keeps a shard's records as runs, without their partition keys.
export const firehoseKinesisConsumer = z.strictObject({
  name: name(),
  type: z.literal("firehose"),
  // GetRecords round trip, as the KCL polling consumer's (docs/reference.md §1.5).
  latency: latency("20ms", "80ms"),
  // With source record backup Firehose calls GetRecords twice a second per shard (docs/reference.md §7.5).
  sourceRecordBackup: z.boolean().prefault(false).describe("back up every record to a second S3 bucket: Firehose then calls GetRecords twice a second per shard"),
  buffering,
  delivery,
  formatConversion,
  s3,
  freshnessTarget,
  smallObjectSize,
});

export type FirehoseKinesisConsumerSpec = z.output<typeof firehoseKinesisConsumer>;

/** A record's data may be up to 1,000 KiB (docs/reference.md §7.1). */
export const firehoseRecordBytesMax = 1000 * 1024;
