// Consumer autoscaling blocks (docs/reference.md §11): an SQS fleet scaled by target tracking on the
// queue's backlog per consumer (Application Auto Scaling, the AWS pattern for SQS), and a Kafka consumer
// group scaled by KEDA's Kafka scaler and the HorizontalPodAutoscaler behind it. Defaults are the
// services' own; start-up delay, recovery threshold and oscillation window are ours (marked ✘ there).

import { z } from "zod";
import { duration, durationBetween, intBetween, nonNegativeInt, nonNegativeNumber, positiveInt, positiveNumber } from "./fields.ts";

const dayUs = 86_400_000_000;

/** What both policies share: when a new consumer starts working, and how results are judged. */
const common = {
  startupDelay: duration().describe("from a scale-out decision to the new consumer working (instance or container start, then its first receive or group join)"),
  recoveryLag: duration()
    .prefault("60s")
    .describe("the lag a burst must fall back under for the backlog to count as drained: recovery time is how long lag stayed above it"),
  oscillationWindow: durationBetween(1_000_000, dayUs, "1s", "24h")
    .prefault("10m")
    .describe("a scale-out and a scale-in (either order) closer than this count as an oscillation"),
};

// Target tracking on "backlog per instance" (ApproximateNumberOfMessagesVisible / running consumers):
// a one-minute metric, alarms of 3 (out) and 15 (in) datapoints, 300 s cooldowns (docs/reference.md §11.1).
export const sqsAutoscaling = z.strictObject({
  policy: z.literal("target-tracking").optional().describe("target tracking on the backlog per consumer (Application Auto Scaling)"),
  targetBacklogPerConsumer: positiveNumber().describe("TargetValue: the visible messages per running consumer the policy keeps the fleet at"),
  minConsumers: positiveInt(100_000).prefault(1).describe("MinCapacity"),
  maxConsumers: positiveInt(100_000).describe("MaxCapacity"),
  metricPeriod: durationBetween(10_000_000, 3_600_000_000, "10s", "1h").prefault("60s").describe("the period of the backlog metric and of the alarms' datapoints"),
  scaleOutDatapoints: intBetween(1, 100).prefault(3).describe("datapoints above the target, in a row, before the high alarm scales out"),
  scaleInDatapoints: intBetween(1, 100).prefault(15).describe("datapoints below the target, in a row, before the low alarm scales in"),
  scaleOutCooldown: duration().prefault("300s").describe("ScaleOutCooldown: after a scale-out, no further scale-out for this long"),
  scaleInCooldown: duration().prefault("300s").describe("ScaleInCooldown: after a scaling activity, no scale-in for this long"),
  ...common,
  startupDelay: common.startupDelay.prefault("60s"),
});

// KEDA's Kafka scaler (lagThreshold 10, pollingInterval 30 s, cooldownPeriod 300 s, min 0, max 100 replicas,
// idle consumers not allowed) and the HPA's default behaviour (docs/reference.md §11.2).
export const kedaAutoscaling = z.strictObject({
  policy: z.literal("keda").optional().describe("KEDA's Kafka scaler driving a HorizontalPodAutoscaler"),
  lagThreshold: positiveNumber().prefault(10).describe("the total lag (records, all partitions) per replica the HPA aims at"),
  activationLagThreshold: nonNegativeNumber().prefault(0).describe("at or below this total lag the scaler is inactive (scaling to zero possible)"),
  pollingInterval: durationBetween(1_000_000, 3_600_000_000, "1s", "1h").prefault("30s").describe("how often the scaler reads the lag"),
  cooldownPeriod: duration().prefault("300s").describe("how long the scaler must stay inactive before the group scales to minReplicaCount 0"),
  minReplicaCount: nonNegativeInt(10_000).prefault(0),
  maxReplicaCount: positiveInt(10_000).prefault(100),
  allowIdleConsumers: z.boolean().prefault(false).describe("false: never more replicas than partitions (the scaler caps the lag); true: up to maxReplicaCount, the extra ones idle"),
  stabilizationWindow: duration().prefault("300s").describe("HPA behavior.scaleDown.stabilizationWindowSeconds: scale-in uses the highest recommendation of this window"),
  ...common,
  startupDelay: common.startupDelay.prefault("30s"),
});

export type SqsAutoscalingSpec = z.output<typeof sqsAutoscaling>;
export type KedaAutoscalingSpec = z.output<typeof kedaAutoscaling>;
