// What an autoscaled consumer reports beside the shared consumer terms (docs/reference.md §11): its
// consumer count over time (desired and working), the scaling activities, and what the findings judge
// (late scaling, oscillation, replicas idle beyond the partition count, recovery time after a burst).

import type { GaugeSeries } from "./series.ts";

export interface ScalingActivity {
  atUs: number;
  from: number;
  to: number;
}

export interface ConsumerAutoscalingStats {
  policy: "target-tracking" | "keda";
  /** The policy's target: backlog per consumer (messages) or lag per replica (records). */
  target: number;
  /** What the target is measured in. */
  metric: "backlog per consumer" | "lag per replica";
  min: number;
  max: number;
  initial: number;
  final: number;
  peak: number;
  /** Consumers asked for (desired capacity, replicas) and consumers working, over time. */
  desired: GaugeSeries;
  running: GaugeSeries;
  /** Kafka: working members without a partition, over time, and the partition count that bounds them. */
  idle?: GaugeSeries;
  partitions?: number;
  /** Consumer-seconds spent idle beyond the partition count, after warm-up. */
  idleConsumerSecondsAfterWarmup: number;
  peakIdle: number;
  /** Consumer-seconds working (running) after warm-up: what a per-instance price would bill. */
  consumerSecondsAfterWarmup: number;
  scaleOuts: number;
  scaleIns: number;
  /** The first activities (at most activitiesKeptMax), oldest first. */
  activities: ScalingActivity[];
  /** A scale-out and a scale-in (either order) within the oscillation window, and when the first was. */
  oscillations: number;
  firstOscillationUs: number;
  oscillationWindowUs: number;
  /** Evaluations that asked for more than max (capped). */
  cappedAtMax: number;
  startupDelayUs: number;
  /** The lag threshold of recovery, and the episodes above it (after warm-up). */
  recoveryLagUs: number;
  episodes: RecoveryEpisode[];
  /** Kafka: rebalances the scaling caused. */
  rebalances?: number;
}

/** A time lag stayed above the recovery threshold: when it began, when the first consumer added in it began working, when it ended. */
export interface RecoveryEpisode {
  startUs: number;
  /** -1: it had not ended when the run did. */
  endUs: number;
  peakLagUs: number;
  /** -1: no consumer came into service during it. */
  firstAddedUs: number;
}
