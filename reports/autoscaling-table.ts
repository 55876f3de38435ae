// The autoscaling tables of summary.md and report.html (docs/reference.md §1.10): per stream, how its
// alarms scaled it and how long writes were throttled waiting; then each UpdateShardCount call.

import * as aq from "arquero";
import { formatDurationUs, usOfSeconds } from "../sim/units/index.ts";
import { grouped } from "./numbers.ts";
import type { Summary } from "./summary.ts";

export const autoscalingTableHeading = "Autoscaling";
export const autoscalingActionsHeading = "Autoscaling actions (UpdateShardCount calls)";

const time = (seconds: number): string => formatDurationUs(usOfSeconds(seconds));

export function autoscalingTable(systems: Summary["systems"]): aq.ColumnTable | null {
  const rows = systems.flatMap((system) => {
    const a = system.autoscaling;
    if (a === undefined) return [];
    const counts = a.shardCount.map((step) => step.openShards);
    return [
      {
        system: system.name,
        metric: `${a.metric}, ${time(a.periodSeconds)} periods`,
        "scale-out reaction": time(a.scaleOutReactionSeconds),
        "shards start / peak / end": `${counts[0]} / ${Math.max(...counts)} / ${counts[counts.length - 1]}`,
        "scale-outs / scale-ins": `${a.scaleOuts} / ${a.scaleIns}`,
        "refused calls (daily budget)": `${grouped(a.refusedCalls)} (${grouped(a.refusedForBudget)})`,
        "throttled: before alarm / while updating / all": `${time(a.throttledSecondsBeforeAlarm)} / ${time(a.throttledSecondsWhileUpdating)} / ${time(a.throttledSeconds)}`,
      },
    ];
  });
  return rows.length === 0 ? null : aq.from(rows);
}

export function autoscalingActionsTable(systems: Summary["systems"]): aq.ColumnTable | null {
  const rows = systems.flatMap((system) =>
    (system.autoscaling?.actions ?? []).map((action) => ({
      system: system.name,
      at: time(action.atSeconds),
      alarm: action.direction === "out" ? "scale-out" : "scale-in",
      "datapoint": system.autoscaling!.metric === "iterator-age" ? `${grouped(action.datapoint)} ms` : `${(action.datapoint * 100).toFixed(1)}%`,
      shards: `${action.fromShards} -> ${action.toShards}`,
      outcome: action.outcome === "done" ? (action.landedSeconds === null ? "UPDATING at the end" : `landed at ${time(action.landedSeconds)}`) : `refused${action.calls > 1 ? ` (${action.calls} calls)` : ""}: ${action.reason}`,
    })),
  );
  return rows.length === 0 ? null : aq.from(rows);
}
