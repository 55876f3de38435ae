// The progress display of a long run: simulated time, wall time and events per second on stderr,
// only when stderr is a terminal. The one place under sim/ that reads the wall clock; it affects
// nothing but what the terminal shows.

import cliProgress from "cli-progress";
import { formatDurationUs } from "../units/index.ts";

export interface Progress {
  update(nowUs: number, eventCount: number): void;
  stop(): void;
}

const silent: Progress = { update: () => {}, stop: () => {} };

export function progressDisplay(endUs: number, enabled: boolean): Progress {
  if (!enabled || !process.stderr.isTTY) return silent;
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: "{bar} {percentage}% | simulated {simulated} of {total_time} | wall {wall} | {rate} events/s",
      hideCursor: true,
      clearOnComplete: true,
      fps: 5,
    },
    cliProgress.Presets.shades_classic,
  );
  const startedMs = performance.now();
  bar.start(endUs, 0, { simulated: "0s", total_time: formatDurationUs(endUs), wall: "0s", rate: "-" });
  return {
    update(nowUs, eventCount) {
      const wallSeconds = (performance.now() - startedMs) / 1000;
      bar.update(Math.min(nowUs, endUs), {
        simulated: formatDurationUs(Math.floor(nowUs / 1e6) * 1e6),
        wall: `${wallSeconds.toFixed(1)}s`,
        rate: wallSeconds > 0 ? Math.round(eventCount / wallSeconds).toLocaleString("en-US") : "-",
      });
    },
    stop: () => bar.stop(),
  };
}

export interface SweepProgress {
  update(done: number, failed: number): void;
  stop(): void;
}

/** One bar over a sweep's runs: runs done, runs failed, time left (cli-progress's estimate). */
export function sweepProgressDisplay(totalRuns: number, enabled: boolean): SweepProgress {
  if (!enabled || !process.stderr.isTTY) return { update: () => {}, stop: () => {} };
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: "{bar} {value}/{total} runs | {failed} failed | {eta_formatted} left",
      hideCursor: true,
      clearOnComplete: true,
      fps: 5,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(totalRuns, 0, { failed: 0 });
  return {
    update: (done, failed) => bar.update(done, { failed }),
    stop: () => bar.stop(),
  };
}
