// Every user-facing word of the sweep reports and of merging shards.

import type { GoalAnswer } from "../../sim/sweep/index.ts";
import { metricPhrase, metricValue, parameterWords } from "./metric-words.ts";

const seriesSpacingText = "a few pixels";

export const sweepReportMessages = {
  runs: (runs: number, combinations: number, replications: number, finished: number, failed: number) =>
    `${runs} runs: ${combinations} combination${combinations === 1 ? "" : "s"} x ${replications} replication${replications === 1 ? "" : "s"}; ${finished} finished, ${failed} failed.`,
  goalMet: (answer: GoalAnswer, value: string) =>
    `The ${answer.goal.direction === "minimise" ? "smallest" : "largest"} ${parameterWords(answer.goal.parameter)} with ${metricPhrase(answer.goal.metric)} ` +
    `${answer.goal.bound} ${metricValue(answer.goal.metric, answer.goal.limit)} in all ${answer.replications} seed${answer.replications === 1 ? "" : "s"} is **${value}**.`,
  goalNotMet: (answer: GoalAnswer) =>
    `No setting keeps ${metricPhrase(answer.goal.metric)} ${answer.goal.bound} ${metricValue(answer.goal.metric, answer.goal.limit)} in all ${answer.replications} seed${answer.replications === 1 ? "" : "s"}.`,
  goalMetricAbsent: (metric: string) =>
    `No finished run has a number at ${metric}: after the system name, the path must lead to a number in that system's entry of summary.json (e.g. consumers.<name>.lagMs.p99).`,
  goalStillThrottles: (setting: string, system: string, peak: string | null, throttled: number, seeds: number) =>
    `**But at ${setting}, ${system} still throttles:** ` +
    [peak === null ? null : `its busiest shard or partition peaks at ${peak} of its write limit`, throttled > 0 ? `${Math.round(throttled).toLocaleString("en-US")} write attempts are throttled` : null]
      .filter((part) => part !== null)
      .join(" and ") +
    ` (mean over ${seeds} seed${seeds === 1 ? "" : "s"}); the goal's metric does not show it.`,
  goalSettingMean: (setting: string, metric: string, mean: string, replications: number, interval: string | null, worst: string) =>
    `At ${setting}, ${metricPhrase(metric)} averaged ${mean} over ${replications} seed${replications === 1 ? "" : "s"}` +
    (interval === null ? "" : ` (95% confidence interval for that average: ${interval})`) +
    `; its worst seed gave ${worst}.`,
  goalNearestMiss: (setting: string, mean: string, interval: string | null, bound: string) =>
    `The nearest setting that misses the goal, ${setting}, averaged ${mean}` + (interval === null ? "" : ` (${interval})`) + ` against a bound of ${bound}.`,
  goalGrid: "The goal is read off the swept settings: a setting meets it when every one of its runs finished and stayed within the bound.",
  ciNote:
    "Mean and 95% confidence interval across seeds (Student's t, mean ± t·s/√n); a dash where fewer than two runs gave a value. " +
    "No metric is negative, so an interval reaching below zero is cut there and written as its two bounds.",
  bucketNote:
    "Latency and lag quantiles come from log-bucket histograms whose buckets are 2% wide (each value reported within 1%): where every seed's quantile fell in the same bucket, " +
    "the seeds differ by less than the bucket's width, and the cell says (one bucket) rather than ± 0.",
  oneBucket: "(one bucket)",
  everySeed: "(every seed)",
  everySeedNote: "A cell that says (every seed) gave exactly that value in every seed, so it has no interval to show.",
  chartCaption: (chart: { replications: number; parameter: string; goal: string | null; limitRule: string | null; allZero: boolean; logScale: "log" | "symlog" | null; coinciding: Array<[string, string]>; series: number }) =>
    [
      `Each point is the mean of a setting's ${chart.replications} seed${chart.replications === 1 ? "" : "s"}, its vertical bar the 95% confidence interval for that mean, cut at zero; ` +
        `only the swept values of ${chart.parameter} ran, so nothing is drawn between them.`,
      chart.series > 1 ? ` Series are drawn ${seriesSpacingText} apart at each setting, so equal values show side by side.` : "",
      chart.goal === null ? "" : ` The red dashed rule is the goal (${chart.goal}).`,
      chart.limitRule === null ? "" : ` The grey dashed rule is ${chart.limitRule}.`,
      chart.allZero ? " Every run of every setting gave 0." : "",
      chart.logScale === "log" ? " The vertical axis is logarithmic (the means span two decades or more); an interval reaching zero runs to the bottom of the axis." : "",
      chart.logScale === "symlog" ? " The vertical axis is symlog (the means span two decades or more and some are zero): linear from 0 to 1, logarithmic above." : "",
      chart.coinciding.length === 0 ? "" : ` ${chart.coinciding.map(([a, b]) => `${a} and ${b}`).join("; ")} coincide at every setting (within 1% of the chart's height).`,
    ].join(""),
  heatmapCaption: (metric: string, replications: number, log: boolean) =>
    `Each cell is the mean ${metric} of that pair of settings over its ${replications} seed${replications === 1 ? "" : "s"}, written in the cell; darker is higher` +
    (log ? ", on a log colour scale (the means span two decades or more)." : "."),
  mergeNoShards: (directory: string) => `${directory}: no sweep-shard-*.json or sweep-runs-*.json file; expected the output directory of a streamsim sweep --shard or --runs run`,
  mergeNoMatch: (pattern: string) => `${pattern}: nothing matches; expected a pattern naming shard folders or sweep-shard-*.json / sweep-runs-*.json files (* and ? within a folder or file name)`,
  mergeRunTwice: (run: number, first: string, second: string) => `run ${run} is in both ${first} and ${second}; expected each run once`,
  mergeMissingRuns: (missing: number[], count: number) =>
    `missing run${missing.length === 1 ? "" : "s"} ${missing.slice(0, 20).join(", ")}${missing.length > 20 ? ` and ${missing.length - 20} more` : ""}; expected all ${count} runs (streamsim sweep FILE --plan lists them)`,
  mergeUnreadable: (file: string, reason: string) => `${file}: cannot read a sweep shard: ${reason}`,
  mergeNoDirectory: (directory: string, code: string) =>
    `${directory}: ${code === "ENOENT" ? "no such directory" : code === "ENOTDIR" ? "a file, not a directory" : code === "EACCES" ? "permission denied" : `cannot read it (${code})`}; expected the output directory of a streamsim sweep --shard run`,
  mergeDifferentPlans: (file: string, first: string) => `${file} belongs to a different sweep than ${first} (scenario, values, seeds or duration differ); expected shards of one sweep`,
  mergeDuplicate: (index: number, count: number) => `shard ${index}/${count} appears more than once`,
  mergeMissing: (missing: number[], count: number) => `missing shard${missing.length === 1 ? "" : "s"} ${missing.slice(0, 20).map((index) => `${index}/${count}`).join(", ")}${missing.length > 20 ? ` and ${missing.length - 20} more` : ""}; expected all ${count}`,
  mergeCounts: (file: string, count: number, first: number) => `${file} is a shard of ${count}, others of ${first}; expected one shard count`,
} as const;
