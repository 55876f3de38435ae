// Limits a run would hit only after it started: checked at load, on the run as it will be done (after
// --duration), so what validate accepts, run can finish or stop at its event budget.

import { SERIES_INTERVAL_COUNT_MAX } from "../metrics/intervals.ts";
import { formatDurationUs } from "../units/index.ts";
import type { PathIssue } from "./checks.ts";
import { messages } from "./messages.ts";
import type { ScenarioInput } from "./schema.ts";

const secondUs = 1_000_000;

/** The report series hold one value per interval; a run may not need more than the series hold. */
export function checkRunLimits(input: ScenarioInput): PathIssue[] {
  const intervals = Math.ceil(input.duration / input.report.interval);
  if (intervals <= SERIES_INTERVAL_COUNT_MAX) return [];
  const smallestSeconds = Math.ceil(input.duration / secondUs / SERIES_INTERVAL_COUNT_MAX);
  return [
    {
      path: ["report", "interval"],
      message: messages.tooManyIntervals(
        formatDurationUs(input.report.interval),
        formatDurationUs(input.duration),
        intervals,
        SERIES_INTERVAL_COUNT_MAX,
        formatDurationUs(smallestSeconds * secondUs),
      ),
    },
  ];
}
