// Findings about autoscaled consumers (docs/results.md "Consumer autoscaling"): scaling too late,
// oscillation, replicas idle beyond the partition count, capacity held at the maximum, and the
// recovery time of each burst. Read from the stats alone, so every system reports them alike.

import type { ConsumerAutoscalingStats, ConsumerResult, Finding } from "../metrics/index.ts";
import { autoscalingMessages as say } from "./messages.ts";

const round = (value: number): number => Math.round(value * 10) / 10;

export function autoscalingFindings(consumers: readonly ConsumerResult[]): Finding[] {
  return consumers.flatMap((consumer) => (consumer.autoscaling === undefined ? [] : consumerFindings(consumer.name, consumer.autoscaling)));
}

function consumerFindings(name: string, stats: ConsumerAutoscalingStats): Finding[] {
  return [...late(name, stats), ...oscillation(name, stats), ...idle(name, stats), ...atMax(name, stats), ...recovery(name, stats)];
}


/**
 * Scaling too late: the first episode in which the first consumer added came into service more than the
 * recovery threshold after the lag passed it (the backlog was already older than the stated tolerance
 * before any help arrived), or none was added while below the maximum.
 */
function late(name: string, stats: ConsumerAutoscalingStats): Finding[] {
  const thresholdS = stats.recoveryLagUs / 1e6;
  for (const episode of stats.episodes) {
    if (episode.firstAddedUs < 0) {
      if (episode.endUs >= 0 || stats.final >= stats.max) continue;
      return [{ severity: "warning", code: "autoscaling-late", subject: name, message: say.neverAdded(name, episode.startUs / 1e6, thresholdS, stats.final, stats.max), evidence: { episodeStartSeconds: round(episode.startUs / 1e6), recoveryLagSeconds: thresholdS } }];
    }
    const delayUs = episode.firstAddedUs - episode.startUs;
    if (delayUs <= stats.recoveryLagUs) continue;
    const reactionS = Math.max(0, delayUs - stats.startupDelayUs) / 1e6;
    return [
      {
        severity: "warning",
        code: "autoscaling-late",
        subject: name,
        message: say.late(name, episode.startUs / 1e6, delayUs / 1e6, thresholdS, stats.startupDelayUs / 1e6, reactionS),
        evidence: { episodeStartSeconds: round(episode.startUs / 1e6), firstAddedSeconds: round(episode.firstAddedUs / 1e6), delaySeconds: round(delayUs / 1e6), startupDelaySeconds: stats.startupDelayUs / 1e6, recoveryLagSeconds: thresholdS },
      },
    ];
  }
  return [];
}

function oscillation(name: string, stats: ConsumerAutoscalingStats): Finding[] {
  if (stats.oscillations === 0) return [];
  const windowS = stats.oscillationWindowUs / 1e6;
  return [{ severity: "warning", code: "autoscaling-oscillation", subject: name, message: say.oscillation(name, stats.oscillations, stats.firstOscillationUs / 1e6, windowS), evidence: { oscillations: stats.oscillations, firstSeconds: round(stats.firstOscillationUs / 1e6), windowSeconds: windowS, scaleOuts: stats.scaleOuts, scaleIns: stats.scaleIns } }];
}

function idle(name: string, stats: ConsumerAutoscalingStats): Finding[] {
  if (stats.peakIdle === 0 || stats.partitions === undefined) return [];
  return [{ severity: "warning", code: "autoscaling-idle-replicas", subject: name, message: say.idle(name, stats.peakIdle, stats.partitions, round(stats.idleConsumerSecondsAfterWarmup)), evidence: { peakIdle: stats.peakIdle, partitions: stats.partitions, idleConsumerSeconds: round(stats.idleConsumerSecondsAfterWarmup), peakReplicas: stats.peak } }];
}

function atMax(name: string, stats: ConsumerAutoscalingStats): Finding[] {
  if (stats.cappedAtMax === 0) return [];
  return [{ severity: "info", code: "autoscaling-at-max", subject: name, message: say.atMax(name, stats.cappedAtMax, stats.max), evidence: { evaluations: stats.cappedAtMax, max: stats.max } }];
}

/** The recovery time of the longest episode that ended; a warning when one had not ended by the run's end. */
function recovery(name: string, stats: ConsumerAutoscalingStats): Finding[] {
  const thresholdS = stats.recoveryLagUs / 1e6;
  const open = stats.episodes.find((episode) => episode.endUs < 0);
  const ended = stats.episodes.filter((episode) => episode.endUs >= 0);
  const findings: Finding[] = [];
  if (ended.length > 0) {
    const longest = ended.reduce((best, episode) => (episode.endUs - episode.startUs > best.endUs - best.startUs ? episode : best));
    const longestS = (longest.endUs - longest.startUs) / 1e6;
    findings.push({ severity: "info", code: "autoscaling-recovery", subject: name, message: say.recovered(name, ended.length, longestS, longest.startUs / 1e6, thresholdS, round(longest.peakLagUs / 1e6)), evidence: { recoverySeconds: round(longestS), episodeStartSeconds: round(longest.startUs / 1e6), peakLagSeconds: round(longest.peakLagUs / 1e6), episodes: ended.length, recoveryLagSeconds: thresholdS } });
  }
  if (open !== undefined) findings.push({ severity: "warning", code: "autoscaling-not-recovered", subject: name, message: say.notRecovered(name, open.startUs / 1e6, thresholdS, round(open.peakLagUs / 1e6)), evidence: { episodeStartSeconds: round(open.startUs / 1e6), peakLagSeconds: round(open.peakLagUs / 1e6), recoveryLagSeconds: thresholdS } });
  return findings;
}
