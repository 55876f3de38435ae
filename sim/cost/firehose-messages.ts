// The Firehose line items and assumptions, in words (kept beside messages.ts so each system's wording stays apart).

export const firehoseItems = {
  ingest: "data ingested (records rounded up to 5 KB)",
  formatConversion: "format conversion (records rounded up to 5 KB)",
  partitionedData: "dynamic partitioning: data delivered",
  partitionedObjects: "dynamic partitioning: objects delivered",
  s3Puts: "S3 PUT requests (one per object)",
  s3Storage: (days: number) => `S3 storage (${Number(days.toPrecision(3))} days of objects kept)`,
} as const;

export const firehoseAssumptions = {
  ingest:
    "Firehose bills Direct PUT ingestion per record rounded up to a multiple of 5 KB, at the first tier (500 TB a month); throttled attempts are not billed.",
  kinesisSourceIngest:
    "Firehose bills ingestion from a Kinesis data stream as Direct PUT's, each record's data (its partition key left out) rounded up to a multiple of 5 KB, at the first tier; the stream bills the reads (on-demand) as for any polling consumer.",
  storage: (days: number) => `S3 storage holds ${Number(days.toPrecision(3))} days of the objects written (S3 Standard), in steady state; S3 GET requests and lifecycle rules are left out.`,
};
