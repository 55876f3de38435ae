// Timeline actions the run's end cuts off: an action at or after the end never shows its effect, and an
// outage whose `for` outlasts the run is simulated only in part (its end and the recovery are missing).
// Either way the report's figures for that system do not describe the scenario the file states, so the
// run carries a warning naming the action, its time and the run's end (a shortened --duration is the
// usual cause; a scenario may also end during its own outage).

import { formatDurationUs } from "../units/index.ts";
import type { SystemTimelineAction } from "./timeline.ts";

export interface TimelineCut {
  /** The systems whose actions were cut, in timeline order. */
  systems: string[];
  message: string;
}

/** One cut per distinct action (same action, time and length), naming every system it applies to. */
export function timelineCuts(timeline: readonly SystemTimelineAction[], durationUs: number): TimelineCut[] {
  const groups = new Map<string, { systems: string[]; action: SystemTimelineAction }>();
  for (const action of timeline) {
    if (!isCut(action, durationUs)) continue;
    const key = `${action.action}|${action.at}|${"for" in action ? action.for : ""}`;
    const group = groups.get(key);
    if (group === undefined) groups.set(key, { systems: [action.system], action });
    else if (!group.systems.includes(action.system)) group.systems.push(action.system);
  }
  return [...groups.values()].map(({ systems, action }) => ({ systems, message: cutMessage(action, systems, durationUs) }));
}

function isCut(action: SystemTimelineAction, durationUs: number): boolean {
  return action.at >= durationUs || ("for" in action && action.at + action.for > durationUs);
}

/** "broker-down on durable and fragile at 3m for 2m is cut off by the 3m run: the outage is not simulated; run at least 5m". */
function cutMessage(action: SystemTimelineAction, systems: string[], durationUs: number): string {
  const end = formatDurationUs(durationUs);
  const at = formatDurationUs(action.at);
  const on = systems.join(" and ");
  if (!("for" in action)) return `${action.action} on ${on} at ${at} is cut off by the ${end} run: it has no effect on the results; run longer than ${at}`;
  const until = formatDurationUs(action.at + action.for);
  const what = action.at >= durationUs ? "the outage is not simulated" : `the outage's last ${formatDurationUs(action.at + action.for - durationUs)} and the recovery are not simulated`;
  return `${action.action} on ${on} at ${at} for ${formatDurationUs(action.for)} is cut off by the ${end} run: ${what}; run at least ${until}`;
}
