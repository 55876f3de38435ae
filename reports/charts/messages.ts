// Every word the charts show: titles, captions (one sentence under each chart in report.html) and
// axis titles, which carry their units. Kept in one place so wording is reviewed together and tests
// can compare against it.

import { monthlyUsdText } from "../costs.ts";

/** A system's monthly cost at a retention it does not keep, drawn as a tick on its cost bar. */
export interface CostAtOtherRetention {
  system: string;
  retention: string;
  monthlyUsd: number;
}

/** Throughput lines of one measure a reader cannot see apart (the caption names them). */
export interface CoincidingLines {
  measure: string;
  systems: string[];
  /** Whether they also lie on the offered line. */
  onOffered: boolean;
}

export const axisText = {
  time: "time since start (min)",
  timeSeconds: "time since start (s)",
  timeHours: "time since start (h)",
  recordsPerSecond: "records per second",
  throttledPerSecond: ["throttled attempts", "per second (symlog)"],
  lagSeconds: "lag (s)",
  lag: (unit: string) => `lag (${unit})`,
  latency: (unit: string) => `end-to-end latency (${unit}, log scale)`,
  fractionOfRecords: "fraction of records produced",
  partition: "shard / partition",
  partitionBusiestFirst: "shard / partition (busiest first)",
  shareOfRecords: "share of records sent",
  writeUtilization: "write utilization",
  fairShareRatio: ["Kafka: writes", "/ fair share"],
  system: "system",
  monthlyUsd: "monthly cost (USD)",
  lineItem: "line item",
  measure: "measure",
  consumer: "consumer",
} as const;

/** The label of a line every system shares: the workload's offered records. */
const everySystem = "every system";

type Labelling = "none" | "cells" | "row-peaks";

/** " (at most 64 open at once)" after the run's shard count of a stream that resharded (its closed parents counted too). */
function openAtOnce(mostOpen: number | null): string {
  return mostOpen === null ? "" : ` (at most ${mostOpen.toLocaleString("en-US")} open at once)`;
}

function labelText(labelled: Labelling, from: string): string {
  if (labelled === "cells") return `; cells at or above ${from} carry their value`;
  if (labelled === "row-peaks") return `; columns are too narrow for every value: a row that reaches ${from} carries its peak value at its hottest cell, and the colour scale reads the rest`;
  return "";
}

export const chartText = {
  throughput: {
    title: "Throughput over time: offered, retries, accepted, throttled",
    caption: (offeredAlike: boolean, throttledPanel: boolean, strands = false) =>
      "Records per second. Offered: what the workload asked of each system (each record once, at its creation: first attempts, retries left out); " +
      "retries: records sent again after a failed attempt, when the attempt reached the service; accepted; and throttled: attempts refused by a write limit " +
      "(Kafka: failed attempts, as when a partition has no leader; SQS: no throttled line). One colour per system, one dash per measure." +
      (throttledPanel ? " Throttled attempts have the lower panel to themselves, on a symlog axis (linear near zero, logarithmic above 1 a second), so a few throttles a second show beside thousands." : "") +
      (offeredAlike ? ` One workload feeds every system and offers each the same records, so one offered line (dark grey, "${everySystem}") stands for all of them.` : "") +
      (strands ? " Every line is drawn at its true values; where systems' lines coincide, each earlier system's line is drawn wider, so its colour shows as a border around the later ones', and their dashes interleave." : ""),
    everySystem,
    coincide: (groups: CoincidingLines[], zero: CoincidingLines[]) => {
      const names = (systems: string[]) => (systems.length === 1 ? systems[0] : `${systems.slice(0, -1).join(", ")} and ${systems.at(-1)}`);
      const group = ({ measure, systems, onOffered }: CoincidingLines) =>
        systems.length === 1
          ? `${systems[0]}'s ${measure} line lies on the offered line`
          : `the ${measure} lines of ${names(systems)} lie on one another${onOffered ? " and on the offered line" : ""}`;
      const parts = [...groups.map(group), ...(zero.length === 0 ? [] : [`at zero throughout: ${zero.map((line) => `${line.measure} of ${names(line.systems)}`).join(", ")}`])];
      return parts.length === 0 ? "" : ` Within 1% of the chart's height, ${parts.join("; ")}.`;
    },
  },
  writeUtilization: {
    title: "Write utilization per shard / partition over time",
    /** When every row is Kafka's: its values are shares over the fair share, not utilization of a limit. */
    kafkaTitle: "Share of writes over the fair share per partition over time",
    caption: (subsets: Array<{ system: string; kafka: boolean; shown: number; total: number; mostOpen: number | null }>, labelled: { kinesis: Labelling | null; kafka: Labelling | null }) =>
      [
        labelled.kinesis === null
          ? ""
          : "Kinesis: what producers asked of each shard (first attempts, retries left out) over its write limit (1 MiB/s or 1,000 records/s); from 100% (orange to red) the shard throttles. " +
            "One scale in every report: blue below 80%, neutral near 80%, warm from 100%, clamped at 200%" +
            labelText(labelled.kinesis, "100%") +
            ". ",
        labelled.kafka === null
          ? ""
          : "Kafka: each partition's share of the topic's writes (bytes asked for, first attempts) against a fair share, on its own scale (1× = even; teal below, brown above, clamped at 3×" +
            labelText(labelled.kafka, "1.5×") +
            "); its broker's utilization is in the summary's broker figures. ",
        subsets
          .map((entry) =>
            entry.kafka
              ? `${entry.system}: the ${entry.shown} of ${entry.total} partitions that took the most bytes shown. `
              : `${entry.system}: ${entry.shown} of ${entry.mostOpen === null ? entry.total : `the run's ${entry.total}`} shards${openAtOnce(entry.mostOpen)} shown, the hottest of every part of the run (the least covered time first, each time its hottest shard), so they can differ from the traffic share's ${entry.shown} busiest over the whole run. `,
          )
          .join(""),
      ].join("").trim(),
  },
  trafficShare: {
    title: "Traffic share per shard / partition (sorted)",
    caption: (spreads: Array<{ system: string; coefficientOfVariation: number; shown: number; total: number; mostOpen: number | null }>) =>
      "Each shard's or partition's share of the records its system's producers sent (first attempts, before throttling and retries: what the keys ask of it), busiest first; the dashed rule is the fair share (1/n), " +
      "and where shards opened or closed during the run a black tick on each bar is its fair share for the time it was open. " +
      `Coefficient of variation of the counts: ${spreads.map((entry) => `${entry.system} ${entry.coefficientOfVariation.toFixed(2)}`).join(", ")}.` +
      spreads
        .filter((entry) => entry.shown < entry.total)
        .map((entry) => ` ${entry.system}: the ${entry.shown} busiest of ${entry.mostOpen === null ? entry.total : `the run's ${entry.total} shards${openAtOnce(entry.mostOpen)}`} shown.`)
        .join(""),
  },
  autoscaling: {
    title: "Autoscaling: open shards against the shards the demand needs",
    caption:
      "Per autoscaled stream: the open shard count (solid step line) and the shards the workload's demand needs at 100% of the write limit (dashed: first attempts per report interval over 1 MiB/s or 1,000 records/s a shard, the larger). " +
      "Where the dashed line is above the solid one, writes throttle until an alarm fires and UpdateShardCount lands; a dot marks each call the alarms made, at the count it asked for (faint: refused by the service).",
    shards: "shards",
    measure: "measure",
    open: "open shards",
    needed: "shards the demand needs",
    call: "UpdateShardCount call",
  },
  lag: {
    title: "Consumer lag over time",
    caption: "The age of the oldest record each consumer has not yet processed (largest value in each column), from the end of warm-up.",
    coincide: (pairs: Array<[string, string]>) =>
      `${pairs.map(([a, b]) => `${a} and ${b}`).join("; ")} coincide over the whole run (within 1% of the chart's height): one line lies on the other, told apart by its dashes.`,
  },
  latencyCdf: {
    title: "End-to-end latency CDF per system and consumer",
    caption:
      "Share of the records produced that were processed within a given time of their creation, per consumer, after warm-up (from the latency histograms, within about 1%). Records the producer dropped never arrive: a system that dropped records tops out at the share it delivered, below 100%.",
  },
  cost: {
    title: "Monthly cost per system by line item",
    caption: (own: Array<{ system: string; retention: string }>, others: CostAtOtherRetention[]) => {
      const base = "Monthly cost of each system at the simulated load, by line item (the cost table lists quantities and unit prices)";
      if (own.length === 0) return `${base}.`;
      const retentions = new Set(own.map((entry) => entry.retention));
      if (own.length === 1) return `${base}, at ${own[0].system}'s retention of ${own[0].retention}.`;
      if (retentions.size === 1) return `${base}. Every system is priced at the same retention, ${own[0].retention}: like for like on retention.`;
      const ticks = others.map((entry) => `${entry.system} at ${entry.retention}: ${monthlyUsdText(entry.monthlyUsd)}`).join(", ");
      return (
        `${base}. Each bar is priced at its own system's retention (${own.map((entry) => `${entry.system} ${entry.retention}`).join(", ")}), so the bars are not like for like: ` +
        (ticks === "" ? "see the cost at equal retention table." : `a black tick marks each system's cost at the other systems' retention${own.length > 2 ? "s" : ""} (${ticks}), as in the cost at equal retention table.`)
      );
    },
  },
} as const;
