// A provisioned Kinesis stream's alarm-driven scaling in summary.json's units (seconds), and the open
// shard count over time read from the shards' open and close times (docs/reference.md §1.10).

import type { AutoscalingStats, KinesisResult, PartitionResult } from "../sim/metrics/index.ts";
import { round } from "./numbers.ts";
import type { AutoscalingSummary } from "./summary-schema.ts";

export function autoscalingSummary(system: KinesisResult, stats: AutoscalingStats): AutoscalingSummary {
  const done = stats.actions.filter((action) => action.outcome === "done");
  return {
    metric: stats.metric,
    periodSeconds: stats.periodUs / 1e6,
    publicationDelaySeconds: stats.publicationDelayUs / 1e6,
    scaleOutReactionSeconds: stats.scaleOutReactionUs / 1e6,
    minShards: stats.minShards,
    maxShards: stats.maxShards,
    scaleOuts: done.filter((action) => action.direction === "out").length,
    scaleIns: done.filter((action) => action.direction === "in").length,
    refusedCalls: stats.refusedCalls,
    refusedForBudget: stats.refusedForBudget,
    throttledSeconds: stats.throttledSeconds,
    throttledSecondsBeforeAlarm: stats.throttledSecondsBeforeAlarm,
    throttledSecondsWhileUpdating: stats.throttledSecondsWhileUpdating,
    actions: stats.actions.map((action) => ({
      atSeconds: action.atUs / 1e6,
      direction: action.direction,
      fromShards: action.fromShards,
      toShards: action.toShards,
      outcome: action.outcome,
      reason: action.reason,
      calls: action.calls,
      landedSeconds: action.landedUs === null ? null : action.landedUs / 1e6,
      datapoint: round(action.datapoint, 3) ?? 0,
    })),
    shardCount: openShardSteps(system.partitions),
  };
}

/** The open shard count at 0 and at every time a shard opened or closed (changes at one instant merged). */
export function openShardSteps(partitions: PartitionResult[]): Array<{ atSeconds: number; openShards: number }> {
  const times = [...new Set([0, ...partitions.flatMap((partition) => [partition.openedUs, ...(partition.closedUs === null ? [] : [partition.closedUs])])])].sort((a, b) => a - b);
  const steps: Array<{ atSeconds: number; openShards: number }> = [];
  for (const atUs of times) {
    const open = partitions.filter((partition) => partition.openedUs <= atUs && (partition.closedUs === null || partition.closedUs > atUs)).length;
    if (steps.length === 0 || steps[steps.length - 1].openShards !== open) steps.push({ atSeconds: atUs / 1e6, openShards: open });
  }
  return steps;
}
