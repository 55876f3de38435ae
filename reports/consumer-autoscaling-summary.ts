// The `autoscaling` block of an autoscaled consumer in summary.json (docs/results.md "Consumer
// autoscaling"): the policy and its bounds, the consumer count (start, end, peak), the scaling
// activities, idle members beyond the partition count, and each burst's recovery time.

import { z } from "zod";
import type { ConsumerResult } from "../sim/metrics/index.ts";
import { round } from "./numbers.ts";

const count = z.number().int().nonnegative();
const seconds = z.number().nonnegative();

/** Activities and episodes listed one by one at most (the counts cover them all). */
export const autoscalingListedMax = 100;

export const autoscalingConsumerSchema = z
  .object({
    policy: z.enum(["target-tracking", "keda"]),
    metric: z.enum(["backlog per consumer", "lag per replica"]),
    target: z.number().positive(),
    min: count,
    max: count,
    initial: count,
    final: count,
    peak: count,
    scaleOuts: count,
    scaleIns: count,
    oscillations: count,
    cappedAtMax: count,
    startupDelaySeconds: seconds,
    consumerHours: seconds.nullable(),
    // Kafka groups: the partitions, members idle beyond them, and the rebalances.
    partitions: count.optional(),
    peakIdle: count.optional(),
    idleConsumerHours: seconds.nullable().optional(),
    rebalances: count.optional(),
    activities: z.array(z.object({ atSeconds: seconds, from: count, to: count }).strict()),
    recovery: z
      .object({
        lagThresholdSeconds: seconds,
        longestSeconds: seconds.nullable(),
        recovered: z.boolean(),
        episodes: z.array(z.object({ startSeconds: seconds, endSeconds: seconds.nullable(), recoverySeconds: seconds.nullable(), peakLagSeconds: seconds.nullable(), firstAddedSeconds: seconds.nullable() }).strict()),
      })
      .strict(),
  })
  .strict();

export type AutoscalingConsumerSummary = z.infer<typeof autoscalingConsumerSchema>;

/** The consumer's autoscaling block, or nothing for a consumer of fixed size (the field is left out). */
export function consumerAutoscalingSummary(consumer: ConsumerResult): { autoscaling?: AutoscalingConsumerSummary } {
  const stats = consumer.autoscaling;
  if (stats === undefined) return {};
  const ended = stats.episodes.filter((episode) => episode.endUs >= 0);
  const longestUs = ended.reduce((most, episode) => Math.max(most, episode.endUs - episode.startUs), -1);
  const secondsOrNull = (us: number): number | null => (us < 0 ? null : round(us / 1e6));
  return {
    autoscaling: {
      policy: stats.policy,
      metric: stats.metric,
      target: stats.target,
      min: stats.min,
      max: stats.max,
      initial: stats.initial,
      final: stats.final,
      peak: stats.peak,
      scaleOuts: stats.scaleOuts,
      scaleIns: stats.scaleIns,
      oscillations: stats.oscillations,
      cappedAtMax: stats.cappedAtMax,
      startupDelaySeconds: round(stats.startupDelayUs / 1e6) ?? 0,
      consumerHours: round(stats.consumerSecondsAfterWarmup / 3600),
      ...(stats.partitions === undefined ? {} : { partitions: stats.partitions, peakIdle: stats.peakIdle, idleConsumerHours: round(stats.idleConsumerSecondsAfterWarmup / 3600) }),
      ...(stats.rebalances === undefined ? {} : { rebalances: stats.rebalances }),
      activities: stats.activities.slice(0, autoscalingListedMax).map((activity) => ({ atSeconds: round(activity.atUs / 1e6) ?? 0, from: activity.from, to: activity.to })),
      recovery: {
        lagThresholdSeconds: round(stats.recoveryLagUs / 1e6) ?? 0,
        longestSeconds: secondsOrNull(longestUs),
        recovered: stats.episodes.every((episode) => episode.endUs >= 0),
        episodes: stats.episodes.slice(0, autoscalingListedMax).map((episode) => ({
          startSeconds: round(episode.startUs / 1e6) ?? 0,
          endSeconds: secondsOrNull(episode.endUs),
          recoverySeconds: episode.endUs < 0 ? null : round((episode.endUs - episode.startUs) / 1e6),
          peakLagSeconds: round(episode.peakLagUs / 1e6),
          firstAddedSeconds: secondsOrNull(episode.firstAddedUs),
        })),
      },
    },
  };
}
