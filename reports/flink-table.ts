// The "Flink applications" table of summary.md and report.html: per application, its KPUs, its busiest
// subtask (share, busy time, busiest key and key group), how long backpressure stopped its source, and
// its restarts (docs/reference.md §8.6).

import * as aq from "arquero";
import { grouped, percent } from "./numbers.ts";
import type { Summary } from "./summary.ts";

export const flinkTableHeading = "Flink applications";

/**
 * An application that rescaled ran at several parallelisms: a subtask's key groups are those it held
 * last (at the final parallelism, or the largest for a subtask a scale-down stopped), and its fair
 * share is summary.json's `fairShare`, the one the flink-hot-subtask finding compares against: each
 * record split evenly among the subtasks running when it was processed, so an even split reads its fair
 * share at any autoscaling history. (Weighed by time instead, a subtask that took exactly its part read
 * 27.8% / 33.3%: most records came by day, at parallelism 4.)
 */
export function flinkTable(systems: Summary["systems"]): aq.ColumnTable | null {
  const rows = systems.flatMap((system) =>
    system.consumers.flatMap((consumer) => {
      const f = consumer.flink;
      if (f === undefined) return [];
      const busiest = f.subtasks[f.busiestSubtask]!;
      const top = busiest.topKeys[0];
      const initial = system.configuration.consumers?.find((configured) => configured.name === consumer.name)?.instances ?? f.parallelism;
      const rescaled = f.checkpoints.restarts.some((restart) => restart.parallelism !== initial);
      const heldAt = busiest.index < f.parallelism ? f.parallelism : f.subtasks.length;
      const parallelisms = [...new Set([initial, ...f.checkpoints.restarts.map((restart) => restart.parallelism)])].sort((a, b) => a - b);
      return [
        {
          system: system.name,
          application: consumer.name,
          source: f.source,
          "parallelism (per KPU)": `${grouped(f.parallelism)} (${f.parallelismPerKpu})`,
          "KPUs billed": `${grouped(f.billedKpus)} (${grouped(f.kpus)} + 1)${f.peakKpus > f.kpus ? `, peak ${grouped(f.peakKpus)} + 1` : ""}`,
          "busiest subtask": `${busiest.index} (key groups ${busiest.keyGroups[0]}-${busiest.keyGroups[1]}${rescaled ? ` at parallelism ${heldAt}` : ""})`,
          "its share / fair":
            busiest.recordsShare === null || busiest.fairShare === null
              ? "-"
              : `${percent(busiest.recordsShare, 1)} / ${percent(busiest.fairShare, 1)}${rescaled ? ` (at parallelism ${parallelisms.join(", ")}, by the records processed at each)` : ""}`,
          "its busy time": busiest.busyMean === null ? "-" : percent(busiest.busyMean, 1),
          "its busiest key (key group)": top === undefined ? "-" : `${JSON.stringify(top.key)} (${top.keyGroup})`,
          "source backpressured": f.backpressuredShare === null ? "-" : percent(f.backpressuredShare, 1),
          "window output latency p50 / p99": f.windows === undefined ? "-" : `${windowSecondsText(f.windows.outputLatencyMs.p50)} / ${windowSecondsText(f.windows.outputLatencyMs.p99)}${sessionsText(f.windows)}`,
          "late records": f.windows === undefined ? "-" : grouped(f.windows.lateRecords),
          restarts: restartsText(f.checkpoints),
        },
      ];
    }),
  );
  return rows.length === 0 ? null : aq.from(rows);
}

/** Restarts, how many autoscaling caused, and what they made the job process again. */
function restartsText(checkpoints: NonNullable<Summary["systems"][number]["consumers"][number]["flink"]>["checkpoints"]): string {
  const { restarts, reprocessedRecords } = checkpoints;
  if (restarts.length === 0) return "-";
  const scaling = restarts.filter((restart) => restart.cause !== "timeline").length;
  return `${restarts.length}${scaling > 0 ? ` (${scaling} scaling)` : ""}, ${grouped(reprocessedRecords)} reprocessed`;
}

export function windowSecondsText(ms: number | null): string {
  // One decimal always, so "2.0 s" stands beside "2.3 s" at the same precision.
  return ms === null ? "-" : `${(ms / 1000).toLocaleString("en-US", { minimumFractionDigits: 1, maximumFractionDigits: 1 })} s`;
}

/** Session windows: how many sessions fired, their mean length and records, and the peak keyed state. */
function sessionsText(windows: NonNullable<NonNullable<Summary["systems"][number]["consumers"][number]["flink"]>["windows"]>): string {
  const sessions = windows.sessions;
  if (sessions === undefined) return "";
  const length = sessions.lengthSeconds.mean === null ? "-" : `${sessions.lengthSeconds.mean.toLocaleString("en-US", { maximumFractionDigits: 1 })} s`;
  const records = sessions.recordsPerSession.mean === null ? "-" : sessions.recordsPerSession.mean.toLocaleString("en-US", { maximumFractionDigits: 1 });
  return ` (${grouped(windows.windowsFired)} sessions of ${length} and ${records} records on average; at most ${grouped(sessions.activeSessionsPeak)} live)`;
}
