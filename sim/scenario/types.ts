// The validated, normalised, fully defaulted scenario every later stage works from. Times are integer
// microseconds, sizes integer bytes; nothing after scenario/ converts units or re-checks input.

import type { BrokerCapacity } from "./instance-catalogue.ts";
import type { TopicReplication } from "./topic-defaults.ts";
import type { KeysInput, RecordSizeInput } from "./workload-schema.ts";
import type { TraceReplaySpec } from "../workload/trace/replay.ts";
import type { TimelineAction } from "./schema.ts";
import type { SweepSpec } from "./sweep.ts";
import type { FirehoseTimelineAction, KafkaTimelineAction, KinesisTimelineAction, SqsTimelineAction, SystemTimelineAction, TimelineActionOf } from "./timeline.ts";
import type { FirehoseSystem, KafkaSystemInput, KinesisSystem, SqsSystem, SystemInput } from "./systems-schema.ts";

export type { BrokerCapacity, FirehoseSystem, KafkaSystemInput, KinesisSystem, SqsSystem, SystemInput, TimelineAction };
export type { FirehoseTimelineAction, KafkaTimelineAction, KinesisTimelineAction, SqsTimelineAction, SystemTimelineAction, TimelineActionOf };

/**
 * A Kafka system as the model sees it: `brokers.resolved` is each broker's capacity, the instance
 * catalogue's figures for brokers.instanceType with the scenario's brokers.capacity overrides applied
 * (bytes per second and microseconds); the topic's replication settings resolved. Models read this, never sim/cost/.
 */
export type KafkaSystem = Omit<KafkaSystemInput, "brokers" | "topic"> & {
  brokers: KafkaSystemInput["brokers"] & { resolved: BrokerCapacity };
  /** Replication settings resolved: the scenario's, else the cluster's defaults (topic-defaults.ts). */
  topic: KafkaSystemInput["topic"] & TopicReplication;
};

/** A normalised system: the schema's output, with the Kafka brokers' capacities resolved. */
export type System = KinesisSystem | KafkaSystem | SqsSystem | FirehoseSystem;

/** One stretch of the rate profile: the rate moves linearly from fromPerSecond to toPerSecond. */
export interface RatePhase {
  startUs: number;
  endUs: number;
  fromPerSecond: number;
  toPerSecond: number;
}

export interface RateProfile {
  arrivals: "poisson" | "uniform";
  /** Contiguous phases covering [0, durationUs); the last one holds its final rate to the end. */
  phases: RatePhase[];
  /**
   * Multiplies the rate by 1 + amplitude * cos(2 pi (t - peakAtUs) / 1 day), t in simulated time;
   * peakAtUs is the first simulated time (within the first day) at the scenario's peak time of day.
   */
  dailyCycle: { amplitude: number; peakAtUs: number } | null;
}

export type RecordSizeSpec = (RecordSizeInput | { distribution: "trace" }) & {
  /** Every drawn size is clipped to this; unbounded distributions need it (docs/design.md). */
  capBytes: number;
  /** Where the cap came from, for the summary. */
  capSource: string;
};

export type FileKeysSpec = {
  distribution: "file";
  path: string;
  keys: string[];
  counts: Float64Array | null;
};

/** A trace's keys: its distinct keys in first-appearance order, with `copies` twin populations when scaled up. */
export type TraceKeysSpec = {
  distribution: "trace";
  path: string;
  keys: string[];
  /** Records per key within the trace's window. */
  counts: Float64Array;
  copies: number;
  /** Explicit hash keys ("" none) and message groups of each key entry, when the trace has those columns. */
  hashKeys: string[] | null;
  groups: string[] | null;
};

export type KeysSpec = Exclude<KeysInput, { distribution: "file" }> | FileKeysSpec | TraceKeysSpec;

/** A trace replay, checked and measured when the scenario was loaded (sim/workload/trace). */
export interface TraceSpec extends TraceReplaySpec {
  /** The path as the scenario writes it. */
  path: string;
  /** Records within the window (one pass, before scale). */
  records: number;
  bytes: number;
}

export interface ProducerSpec {
  name: string;
  /** For a trace: the replay's mean rate over the run (what projections and budgets use). */
  rate: RateProfile;
  recordSize: RecordSizeSpec;
  keys: KeysSpec;
  /** Present when the producer replays a trace instead of drawing from rate, recordSize and keys. */
  trace?: TraceSpec;
}

export interface Scenario {
  name: string;
  description: string | null;
  seed: number;
  durationUs: number;
  warmupUs: number;
  /** Calendar time (ms since the Unix epoch, UTC) of simulated time 0. */
  startEpochMs: number;
  /** The scenario's `start:` as written (ISO 8601 UTC), null when it sets none: metrics.csv then gives times in seconds. */
  start: string | null;
  reportIntervalUs: number;
  producers: ProducerSpec[];
  systems: System[];
  /** In time order, each action narrowed to the kind of the system it names (actionsFor picks one system's). */
  timeline: SystemTimelineAction[];
  /** The region whose price table (sim/cost/prices/) prices the run. */
  region: string;
  /** Unit prices replacing the region's, by price name (checked against the table). */
  pricing: Record<string, number>;
  source: { file: string; sha256: string };
  /** What command-line overrides changed, in words, for the report. */
  adjustments: string[];
  /** The file's sweep: block, resolved; null when it has none or when this is one run of a sweep. */
  sweep: SweepSpec | null;
}
