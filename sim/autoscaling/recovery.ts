// Recovery after a burst (docs/results.md "Consumer autoscaling"): the stretches of time the consumer's
// lag, sampled every simulated second after warm-up, stayed above the stated threshold. An episode
// begins at the first sample above it and ends at the first sample back at or under it; its length is
// the recovery time. Episodes are kept up to a limit (a lag that flaps around the threshold would make many).

import type { LagSamples, RecoveryEpisode } from "../metrics/index.ts";

export const episodesKeptMax = 100;

export function recoveryEpisodes(samples: LagSamples, thresholdUs: number, startedUs: readonly number[]): RecoveryEpisode[] {
  const episodes: RecoveryEpisode[] = [];
  let open: RecoveryEpisode | null = null;
  for (let i = 0; i < samples.count && episodes.length < episodesKeptMax; i++) {
    const timeUs = samples.timeUsAt(i);
    const lagUs = samples.lagUsAt(i);
    if (open === null) {
      if (lagUs > thresholdUs) open = { startUs: timeUs, endUs: -1, peakLagUs: lagUs, firstAddedUs: -1 };
      continue;
    }
    if (lagUs > thresholdUs) {
      open.peakLagUs = Math.max(open.peakLagUs, lagUs);
      continue;
    }
    open.endUs = timeUs;
    episodes.push(withFirstAdded(open, startedUs));
    open = null;
  }
  if (open !== null && episodes.length < episodesKeptMax) episodes.push(withFirstAdded(open, startedUs));
  return episodes;
}

function withFirstAdded(episode: RecoveryEpisode, startedUs: readonly number[]): RecoveryEpisode {
  const endUs = episode.endUs < 0 ? Infinity : episode.endUs;
  const first = startedUs.find((atUs) => atUs >= episode.startUs && atUs <= endUs);
  return { ...episode, firstAddedUs: first ?? -1 };
}
