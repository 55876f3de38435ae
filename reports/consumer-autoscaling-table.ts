// The "Consumer autoscaling" table of summary.md and report.html: per autoscaled consumer, its policy
// and target, its count (start, peak, end within its bounds), the scaling activities, members idle
// beyond the partitions, the consumer-hours it ran, and the recovery time of its bursts.

import * as aq from "arquero";
import { autoscalingMessages } from "../sim/autoscaling/index.ts";
import { consumerHoursText, grouped } from "./numbers.ts";
import type { Summary } from "./summary.ts";

export const consumerAutoscalingTableHeading = "Consumer autoscaling";

export function consumerAutoscalingTable(systems: Summary["systems"]): aq.ColumnTable | null {
  const rows = systems.flatMap((system) =>
    system.consumers.flatMap((consumer) => {
      const a = consumer.autoscaling;
      if (a === undefined) return [];
      const recovery = a.recovery;
      return [
        {
          system: system.name,
          consumer: consumer.name,
          policy: `${a.policy}: ${grouped(a.target)} ${a.metric}`,
          "consumers start / peak / end (bounds)": `${a.initial} / ${a.peak} / ${a.final} (${a.min} to ${a.max})`,
          // The scaling activities' counts: what the policy asked for, not yet working (start-up comes after).
          "consumers asked for over time (s: count)": countOverTime(a.initial, a.activities),
          "scale-outs / scale-ins / oscillations": `${a.scaleOuts} / ${a.scaleIns} / ${a.oscillations}`,
          "idle beyond partitions (peak)": a.peakIdle === undefined ? "-" : idleText(a.peakIdle, a.partitions ?? 0),
          rebalances: a.rebalances === undefined ? "-" : grouped(a.rebalances),
          "consumer-hours": a.consumerHours === null ? "-" : consumerHoursText(a.consumerHours),
          [`recovery time (lag under ${recovery.lagThresholdSeconds} s)`]: recovery.episodes.length === 0 ? "never above" : recovery.recovered ? `${seconds(recovery.longestSeconds)}` : "not recovered",
        },
      ];
    }),
  );
  return rows.length === 0 ? null : aq.from(rows);
}

/** The most steps the table lists (the chart and summary.json have them all). */
const stepsListedMax = 12;

/** "0: 2, 30: 3, 270: 4": the count at the start and after each scaling activity. */
function countOverTime(initial: number, activities: ReadonlyArray<{ atSeconds: number; to: number }>): string {
  const steps = [`0: ${initial}`, ...activities.slice(0, stepsListedMax).map((activity) => `${Math.round(activity.atSeconds)}: ${activity.to}`)];
  return activities.length > stepsListedMax ? `${steps.join(", ")}, ...` : steps.join(", ");
}

/** "8 idle (12 members on 4 partitions)": members past the partition count each read nothing. */
export function idleText(peakIdle: number, partitions: number): string {
  return peakIdle === 0 ? `none (${grouped(partitions)} partitions)` : `${grouped(peakIdle)} idle (${grouped(peakIdle + partitions)} members on ${grouped(partitions)} partitions)`;
}

/** As the recovery finding writes it ("334.4 s"), so the table and the finding read the same. */
function seconds(value: number | null): string {
  return value === null ? "-" : autoscalingMessages.seconds(value);
}
