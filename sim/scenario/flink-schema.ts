// The Flink consumer block: a Managed Service for Apache Flink application reading the stream or topic
// with a keyed stage (docs/reference.md §8). Defaults are the managed service's and the Flink connector's,
// cited by section.

import { z } from "zod";
import { duration, durationBetween, intBetween, latency, name, size } from "./fields.ts";

/**
 * The most subtasks an application may have here: 128 KPUs of 8, twice the default quota of 64 KPUs
 * (docs/reference.md §8.1); every subtask costs work per batch, so the model needs a bound.
 */
export const flinkParallelismMax = 1024;
const parallelismMax = flinkParallelismMax;

// Parallelism: default 1; ParallelismPerKPU: default 1, at most 8 (docs/reference.md §8.1). maxParallelism
// (the key groups): Flink's default for the parallelism when left out, at most 32,768 (docs/reference.md §8.2).
const flinkApplicationFields = {
  name: name(),
  type: z.literal("flink"),
  parallelism: intBetween(1, parallelismMax).prefault(1).describe("subtasks of the keyed stage (and of the source): the application's Parallelism (at most 1,024 here; the default quota allows 64 KPUs)"),
  parallelismPerKpu: intBetween(1, 8).prefault(1).describe("subtasks per KPU (1 to 8): they share the KPU's one vCPU"),
  maxParallelism: intBetween(1, 32_768).optional().describe("key groups (Flink's maxParallelism); default: Flink's, the next power of two of 1.5 x parallelism, at least 128"),
  processing: z
    .strictObject({
      perRecord: duration().prefault("0s").describe("CPU time one record takes in the keyed stage on a whole vCPU"),
    })
    .prefault({}),
  // The managed service's default checkpointing: every 60 s, at least 5 s apart (docs/reference.md §8.6).
  checkpoints: z
    .strictObject({
      interval: durationBetween(1_000, 24 * 3_600_000_000, "1ms", "24h").prefault("60s").describe("CheckpointInterval: from one checkpoint's start to the next"),
      minPause: duration().prefault("5s").describe("MinPauseBetweenCheckpoints: from one checkpoint's end to the next one's start"),
      stateSize: size().prefault("0B").describe("application state each checkpoint writes: its upload time adds to the checkpoint's duration"),
    })
    .prefault({})
    .describe("checkpointing (always on, as the managed service's DEFAULT configuration has it)"),
  restartDowntime: duration().prefault("30s").describe("from a restart until the job runs again (our estimate, docs/reference.md §8.6)"),
  // The managed service's automatic scaling, on by default (docs/reference.md §8.6).
  autoscaling: z
    .strictObject({
      enabled: z.boolean().prefault(true).describe("AutoScalingEnabled: double the parallelism after 15 minutes at or above 75% CPU, halve it after six hours below 10%"),
      maxKpus: intBetween(1, parallelismMax).prefault(64).describe("the application's KPU limit (a quota, 64 by default): scale-ups stop at parallelismPerKpu x maxKpus"),
      snapshots: z.boolean().prefault(true).describe("SnapshotsEnabled: a scaling restart resumes from a snapshot taken as the job stops (false: from the last checkpoint, re-reading since then)"),
    })
    .prefault({})
    .describe("automatic scaling; enabled: false keeps the parallelism fixed"),
  sink: z.enum(["at-least-once", "exactly-once"]).prefault("at-least-once").describe("at-least-once: output after the last checkpoint is emitted again after a restart (duplicates); exactly-once: it is committed only with the checkpoint"),
};

// Tumbling, sliding or session event-time windows with bounded out-of-orderness watermarks (docs/reference.md §8.5).
const windowFields = {
  window: z
    .strictObject({
      size: durationBetween(100_000, 366 * 24 * 3_600_000_000, "100ms", "366d").optional().describe("tumbling or sliding windows: window length (event time), 100 ms to 366 days"),
      gap: durationBetween(1_000, 366 * 24 * 3_600_000_000, "1ms", "366d")
        .optional()
        .describe("session windows (instead of size): a key's session ends when its records stop for longer than the gap (Kinesis source only)"),
      slide: durationBetween(100_000, 366 * 24 * 3_600_000_000, "100ms", "366d")
        .optional()
        .describe("sliding windows: a window starts every slide (at most the size; a record is in size / slide windows); left out: tumbling windows"),
      outOfOrderness: duration().prefault("0s").describe("the watermark's bound: it trails the largest event time read by this much"),
      allowedLateness: duration().prefault("0s").describe("how long after the watermark passes a window's end its records are still taken"),
    })
    .refine((window) => (window.size === undefined) !== (window.gap === undefined), {
      error: "either size (tumbling or sliding windows) or gap (session windows), not both",
      path: ["size"],
    })
    .refine((window) => window.slide === undefined || (window.size !== undefined && window.slide <= window.size && window.size / window.slide <= 1000), {
      error: "a slide at most the size, and at most 1,000 windows per record (size / slide); session windows take no slide",
      path: ["slide"],
    })
    .optional()
    .describe("tumbling (or, with slide, sliding; or, with gap, session) event-time windows behind keyBy; left out: a plain keyed stage"),
  eventTimeDelay: latency("0s", "0s").describe("how much earlier than its creation a record's event time is (device clocks, network): lognormal from median and p99"),
};

const refineMaxParallelism = (spec: { parallelism: number; maxParallelism?: number }): boolean => spec.maxParallelism === undefined || spec.maxParallelism >= spec.parallelism;
const maxParallelismTooLow = { error: "a maxParallelism at least the parallelism (each subtask needs one key group or more)", path: ["maxParallelism"] };

// The Flink Kinesis source polls each shard every 200 ms for up to 10,000 records (the connector's
// defaults, docs/reference.md §8.3), or reads through enhanced fan-out.
export const flinkKinesisConsumer = z
  .strictObject({
    ...flinkApplicationFields,
    efo: z.boolean().prefault(false).describe("read through an enhanced fan-out consumer (dedicated 2 MiB/s per shard) instead of polling GetRecords"),
    pollInterval: durationBetween(1_000, 300_000_000, "1ms", "5m").prefault("200ms").describe("polling: time between GetRecords calls on a shard (the connector's getrecords interval)"),
    maxRecords: intBetween(1, 10_000).prefault(10_000).describe("records per GetRecords call"),
    // GetRecords round trip (polling) or propagation (EFO), as the KCL consumers' (docs/reference.md §1.5).
    latency: latency("20ms", "80ms"),
    ...windowFields,
  })
  .refine(refineMaxParallelism, maxParallelismTooLow);

export type FlinkKinesisConsumerSpec = z.output<typeof flinkKinesisConsumer>;

// The Flink Kafka source: a KafkaConsumer per source reader with the client's fetch defaults
// (max.partition.fetch.bytes 1 MiB, docs/reference.md §3.4), reading up to the high watermark.
export const flinkKafkaConsumer = z
  .strictObject({
    ...flinkApplicationFields,
    maxPartitionFetchBytes: intBetween(1, 1024 * 1024 * 1024).prefault(1024 * 1024).describe("bytes one fetch takes from one partition (max.partition.fetch.bytes)"),
    ...windowFields,
  })
  .refine(refineMaxParallelism, maxParallelismTooLow)
  // The Kafka source hands a partition's records to subtasks by its key shares, not record by record with
  // its key: per-key session state needs each record's key.
  .refine((spec) => spec.window?.gap === undefined, {
    error: "a tumbling or sliding window (size): session windows (gap) need each record's key, which the Kafka source here does not route by (it uses key shares); read from Kinesis for sessions",
    path: ["window", "gap"],
  });

export type FlinkKafkaConsumerSpec = z.output<typeof flinkKafkaConsumer>;
