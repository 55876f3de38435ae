// The validated, normalised, fully defaulted scenario every later stage works from. Times are integer
// microseconds, sizes integer bytes; nothing after scenario/ converts units or re-checks input.

import type { KeysInput, RecordSizeInput } from "./workload-schema.ts";
import type { TimelineAction } from "./schema.ts";
import type { SystemInput } from "./systems-schema.ts";

export type { SystemInput, TimelineAction };
export type { KafkaSystem, KinesisSystem, SqsSystem } from "./systems-schema.ts";

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

export type RecordSizeSpec = RecordSizeInput & {
  /** Every drawn size is clipped to this; unbounded distributions need it (DESIGN.md). */
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

export type KeysSpec = Exclude<KeysInput, { distribution: "file" }> | FileKeysSpec;

export interface ProducerSpec {
  name: string;
  rate: RateProfile;
  recordSize: RecordSizeSpec;
  keys: KeysSpec;
}

export interface Scenario {
  name: string;
  description: string | null;
  seed: number;
  durationUs: number;
  warmupUs: number;
  /** Calendar time (ms since the Unix epoch, UTC) of simulated time 0. */
  startEpochMs: number;
  reportIntervalUs: number;
  producers: ProducerSpec[];
  systems: SystemInput[];
  timeline: TimelineAction[];
  source: { file: string; sha256: string };
  /** What command-line overrides changed, in words, for the report. */
  adjustments: string[];
}
