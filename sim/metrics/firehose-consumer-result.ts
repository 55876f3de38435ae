// What a Firehose consumer of a Kinesis stream (Kinesis Data Streams as the Firehose stream's source,
// docs/reference.md §7.5) reports beside the shared consumer terms: what it read from the stream, the S3
// objects it wrote, DataFreshness, the usage Firehose bills, and the stream's other polling readers it
// shares each shard's read limits with.

import type { LogHistogram } from "./histogram.ts";
import type { CounterSeries, GaugeSeries } from "./series.ts";
import type { FirehoseUsage } from "./system-kinds.ts";

export interface FirehoseConsumerStats {
  /** Records taken from the stream (GetRecords) and handed to the buffers: delivered + buffered + in delivery + backed up. */
  recordsRead: number;
  recordsDelivered: number;
  recordsBuffered: number;
  recordsInDelivery: number;
  recordsBackedUp: number;
  /** Size of each S3 object written (bytes), backups included. */
  objectSizeBytes: LogHistogram;
  /** DeliveryToS3.DataFreshness at its largest after warm-up (microseconds), and when. */
  dataFreshnessPeakUs: number;
  dataFreshnessPeakAtUs: number;
  /** GetRecords calls refused by the shards' shared read limits (ReadProvisionedThroughputExceeded). */
  readThrottles: number;
  /** The stream's other consumers that read with GetRecords (KCL polling apps, Lambda mappings without EFO). */
  sharedWith: string[];
  usage: FirehoseUsage;
  /**
   * The source record backup, when on: records its own reader took from the stream and wrote to the
   * backup bucket, its objects, and the S3 PUTs and bytes they bill (after warm-up); bytesIngested sizes its storage.
   */
  sourceRecordBackup: { recordsRead: number; recordsWritten: number; objects: number; s3PutRequests: number; s3BytesWritten: number; bytesIngested: number } | null;
  /** Buffering, objects and flushes, as label -> value. */
  facts: Record<string, number | string>;
  series: {
    "DataReadFromKinesisStream.Records": CounterSeries;
    "DataReadFromKinesisStream.Bytes": CounterSeries;
    "DeliveryToS3.Records": CounterSeries;
    "DeliveryToS3.Bytes": CounterSeries;
    "DeliveryToS3.Objects": CounterSeries;
    "DeliveryToS3.DataFreshness": GaugeSeries;
    "BackupToS3.Records": CounterSeries;
  };
}
