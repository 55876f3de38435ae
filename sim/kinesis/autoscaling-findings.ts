// What alarm-driven scaling of a provisioned stream got wrong (docs/reference.md §1.10): scaling too
// late, oscillating, running out of UpdateShardCount calls, and a hot key no shard count fixes.

import type { AutoscalingStats, Finding } from "../metrics/index.ts";
import { scalingsPer24hMax } from "./limits.ts";
import { kinesisMessages as say } from "./messages.ts";

export function autoscalingFindings(stats: AutoscalingStats, hotShardFindings: Finding[]): Finding[] {
  return [...tooLate(stats), ...oscillation(stats), ...budgetExhausted(stats), ...hotKey(hotShardFindings)];
}

/**
 * Throttling a scale-out alarm only ended: the alarm's own delay, paid in throttling. Under a minute
 * (the metric's resolution, below what any alarm can see) is a burst, not lateness.
 */
const tooLateSecondsMin = 60;

function tooLate(stats: AutoscalingStats): Finding[] {
  if (stats.throttledSecondsBeforeAlarm < tooLateSecondsMin) return [];
  const scaleOuts = stats.actions.filter((action) => action.direction === "out" && action.outcome === "done").length;
  return [
    {
      severity: "warning",
      code: "scaling-too-late",
      subject: "stream",
      message: say.scalingTooLate(stats.throttledSecondsBeforeAlarm, stats.throttledSecondsWhileUpdating, stats.scaleOutReactionUs / 1000, scaleOuts),
      evidence: {
        throttledSecondsBeforeAlarm: stats.throttledSecondsBeforeAlarm,
        throttledSecondsWhileUpdating: stats.throttledSecondsWhileUpdating,
        throttledSeconds: stats.throttledSeconds,
        scaleOutReactionSeconds: stats.scaleOutReactionUs / 1e6,
        scaleOuts,
      },
    },
  ];
}

/**
 * A scale-in and a scale-out (either order) less than the two cooldowns apart: the policy reversed
 * itself before a cooldown of each direction could pass, which a demand it follows does not need.
 */
function oscillation(stats: AutoscalingStats): Finding[] {
  const windowUs = stats.scaleOutCooldownUs + stats.scaleInCooldownUs;
  const done = stats.actions.filter((action) => action.outcome === "done");
  let reversals = 0;
  let shortestGapUs = Infinity;
  for (let i = 1; i < done.length; i++) {
    const gapUs = done[i].atUs - done[i - 1].atUs;
    if (done[i].direction !== done[i - 1].direction && gapUs < windowUs) {
      reversals++;
      shortestGapUs = Math.min(shortestGapUs, gapUs);
    }
  }
  if (reversals === 0) return [];
  return [
    {
      severity: "warning",
      code: "scaling-oscillation",
      subject: "stream",
      message: say.scalingOscillation(reversals, shortestGapUs / 1000, windowUs / 1000),
      evidence: { reversals, shortestGapSeconds: shortestGapUs / 1e6, windowSeconds: windowUs / 1e6, scalings: done.length },
    },
  ];
}

function budgetExhausted(stats: AutoscalingStats): Finding[] {
  if (stats.refusedForBudget === 0) return [];
  const first = stats.actions.find((action) => action.outcome === "refused");
  return [
    {
      severity: "warning",
      code: "scaling-budget-exhausted",
      subject: "stream",
      message: say.scalingBudgetExhausted(stats.refusedForBudget, (first?.atUs ?? 0) / 1000, scalingsPer24hMax),
      evidence: { refusedCalls: stats.refusedForBudget, firstRefusedAtSeconds: (first?.atUs ?? 0) / 1e6, scalingsPer24hMax },
    },
  ];
}

/** A hot shard whose busiest key alone is over a shard's limit (the hot-shard finding's evidence). */
function hotKey(hotShardFindings: Finding[]): Finding[] {
  const beyond = hotShardFindings.filter((finding) => finding.evidence.topKeyOverShardLimit === 1 && Number(finding.evidence.throttledAttempts) > 0);
  return beyond.map((finding) => ({
    severity: "critical",
    code: "scaling-cannot-fix-hot-key",
    subject: finding.subject,
    message: say.scalingCannotFixHotKey(finding.subject, String(finding.evidence.topKey)),
    evidence: { topKey: finding.evidence.topKey, topKeyRecords: finding.evidence.topKeyRecords, throttledAttempts: finding.evidence.throttledAttempts },
  }));
}
