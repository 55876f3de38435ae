// The content of a sweep's summary as sections of paragraphs and tables, rendered to summary.md and
// report.html alike, so the two always say the same thing.

import { formatDurationUs } from "../../sim/units/index.ts";
import { evaluateGoal, type GoalAnswer, type RunRow, type SweepPlan } from "../../sim/sweep/index.ts";
import { aggregate, isHistogramQuantile, keyMetrics, settingLabel, type SettingStats } from "./aggregate.ts";
import type { MeanCi } from "./stats.ts";
import { sweepReportMessages as say } from "./messages.ts";
import { metricHeading, metricMeanPlusMinus, metricValue, parameterWords } from "./metric-words.ts";

export interface Table {
  columns: string[];
  rows: string[][];
}

export interface Section {
  title: string;
  paragraphs: string[];
  tables: Array<{ caption?: string; table: Table }>;
}

export interface SweepDocument {
  title: string;
  sections: Section[];
  stats: SettingStats[];
  metrics: string[];
  goal: GoalAnswer | null;
  /** Caveats beside the goal's answer: a system the chosen setting still throttles (empty without one). */
  goalCaveats: string[];
}

export function sweepDocument(plan: SweepPlan, rows: RunRow[], toolVersion: string): SweepDocument {
  const metrics = keyMetrics(plan, rows);
  const stats = aggregate(plan, rows, metrics);
  const goal = evaluateGoal(plan, rows);
  const failed = rows.filter((row) => row.status === "failed");
  const sections: Section[] = [overview(plan, rows, failed.length, toolVersion)];
  const goalCaveats = goal?.combination == null ? [] : throttleCaveats(plan, stats[goal.combination]);
  if (goal !== null) sections.push(goalSection(plan, goal, stats, goalCaveats));
  sections.push(overviewTable(plan, stats, metrics));
  sections.push(...stats.map((setting) => settingSection(plan, setting, metrics)));
  if (failed.length > 0) sections.push(failedSection(plan, failed));
  return { title: `Sweep: ${plan.scenario}`, sections, stats, metrics, goal, goalCaveats };
}

/** Where the charts go: before the first table of settings (after the overview and the goal). */
export function chartsPosition(document: SweepDocument): number {
  const index = document.sections.findIndex((section) => section.title === "All settings");
  return index === -1 ? document.sections.length : index;
}

function overview(plan: SweepPlan, rows: RunRow[], failed: number, toolVersion: string): Section {
  const paragraphs = [
    say.runs(plan.runCount, plan.combinations.length, plan.replications, rows.length - failed, failed),
    `Seeds: ${plan.seedRule}.`,
    `Scenario ${plan.file}, sha256 \`${plan.scenarioSha256.slice(0, 12)}\`, streamsim ${toolVersion}` +
      (plan.durationOverrideUs === null ? "." : `; every run shortened to ${formatDurationUs(plan.durationOverrideUs)} by --duration.`),
  ];
  return { title: "Sweep", paragraphs, tables: [] };
}

function goalSection(plan: SweepPlan, answer: GoalAnswer, stats: SettingStats[], caveats: string[]): Section {
  const headline = answer.combination === null ? say.goalNotMet(answer) : say.goalMet(answer, String(answer.value));
  const evidence = answer.combination === null ? [] : [...caveats, ...goalEvidence(plan, answer, stats, answer.combination)];
  const absent = answer.verdicts.every((verdict) => verdict.worst === null && verdict.missingRuns > 0);
  const table: Table = {
    columns: [...plan.parameters.map(parameterWords), `worst ${metricHeading(answer.goal.metric)}`, "failed runs", "meets the goal"],
    rows: answer.verdicts.map((verdict) => [
      ...plan.combinations[verdict.combination].map(String),
      metricValue(answer.goal.metric, verdict.worst),
      String(verdict.failedRuns),
      verdict.meets ? "yes" : "no",
    ]),
  };
  const paragraphs = absent ? [headline, say.goalMetricAbsent(answer.goal.metric), say.goalGrid] : [headline, ...evidence, say.goalGrid];
  return { title: "Goal", paragraphs, tables: [{ table }] };
}

/**
 * A goal met on one metric can leave a system throttling: per system, when the chosen setting still has a
 * shard over its write limit or throttled attempts (means over the seeds), a caveat with the figures, so
 * "the smallest shard count is 24" is not read as "24 shards do not throttle".
 */
function throttleCaveats(plan: SweepPlan, setting: SettingStats): string[] {
  const suffixes = [".partitions.peakWriteUtilization.max", ".records.throttledAttempts"];
  const systems = [...new Set(Object.keys(setting.metrics).flatMap((name) => suffixes.filter((suffix) => name.endsWith(suffix)).map((suffix) => name.slice(0, -suffix.length))))];
  return systems.flatMap((system) => {
    const peak = setting.metrics[`${system}${suffixes[0]}`]?.mean ?? null;
    const throttled = setting.metrics[`${system}${suffixes[1]}`]?.mean ?? null;
    const over = peak !== null && peak > 1;
    if (!over && !(throttled !== null && throttled > 0)) return [];
    return [say.goalStillThrottles(settingLabel(plan, setting.values), system, over ? metricValue(`${system}${suffixes[0]}`, peak) : null, throttled ?? 0, setting.metrics[`${system}${suffixes[1]}`]?.n ?? 0)];
  });
}

/**
 * The chosen setting's mean and confidence interval in words, and the nearest setting that misses
 * (the closest value of the goal's parameter on the side the goal prefers), so a reader sees the margin.
 */
function goalEvidence(plan: SweepPlan, answer: GoalAnswer, stats: SettingStats[], chosen: number): string[] {
  const { metric, parameter, direction, limit } = answer.goal;
  const ci = stats[chosen].metrics[metric];
  if (ci === undefined || ci.mean === null) return [];
  const shown = (value: number | null) => metricValue(metric, value);
  const interval = (low: number | null, high: number | null) => (low === null || high === null ? null : `${shown(low)} to ${shown(high)}`);
  const lines = [say.goalSettingMean(settingLabel(plan, plan.combinations[chosen]), metric, shown(ci.mean), ci.n, interval(ci.low, ci.high), shown(answer.verdicts[chosen].worst))];
  const index = plan.parameters.indexOf(parameter);
  const chosenValue = plan.combinations[chosen][index] as number;
  const better = (value: number) => (direction === "minimise" ? value < chosenValue : value > chosenValue);
  let nearest: number | null = null;
  for (const verdict of answer.verdicts) {
    const value = plan.combinations[verdict.combination][index] as number;
    if (verdict.meets || !better(value)) continue;
    const best = nearest === null ? null : (plan.combinations[nearest][index] as number);
    if (best === null || Math.abs(value - chosenValue) < Math.abs(best - chosenValue)) nearest = verdict.combination;
  }
  const missed = nearest === null ? undefined : stats[nearest].metrics[metric];
  if (nearest !== null && missed !== undefined && missed.mean !== null) {
    lines.push(say.goalNearestMiss(settingLabel(plan, plan.combinations[nearest]), shown(missed.mean), interval(missed.low, missed.high), shown(limit)));
  }
  return lines;
}

function overviewTable(plan: SweepPlan, stats: SettingStats[], metrics: string[]): Section {
  const table: Table = {
    columns: [...plan.parameters.map(parameterWords), "runs ok", ...metrics.map((name) => `${metricHeading(name)}, mean ± 95% CI`)],
    rows: stats.map((setting) => [
      ...setting.values.map(String),
      `${setting.finishedRuns}/${setting.finishedRuns + setting.failedRuns}`,
      ...metrics.map((name) => meanText(setting.metrics[name], name)),
    ]),
  };
  const bucketed = stats.some((setting) => metrics.some((name) => isHistogramQuantile(name) && sameBucket(setting.metrics[name])));
  const exact = stats.some((setting) => metrics.some((name) => !isHistogramQuantile(name) && sameBucket(setting.metrics[name])));
  return { title: "All settings", paragraphs: [say.ciNote, ...(bucketed ? [say.bucketNote] : []), ...(exact ? [say.everySeedNote] : [])], tables: [{ table }] };
}

function settingSection(plan: SweepPlan, setting: SettingStats, metrics: string[]): Section {
  const table: Table = {
    columns: ["metric", "n", "mean", "95% CI low", "95% CI high"],
    rows: metrics.map((name) => {
      const ci = setting.metrics[name];
      const value = (v: number | null) => metricValue(name, v);
      return [metricHeading(name), String(ci.n), value(ci.mean), value(ci.low), value(ci.high)];
    }),
  };
  const runs = `${setting.finishedRuns} of ${setting.finishedRuns + setting.failedRuns} runs finished.`;
  return { title: settingLabel(plan, setting.values), paragraphs: [runs], tables: [{ table }] };
}

function failedSection(plan: SweepPlan, failed: RunRow[]): Section {
  const table: Table = {
    columns: ["run", ...plan.parameters.map(parameterWords), "seed", "why"],
    rows: failed.map((row) => [String(row.run), ...plan.combinations[row.combination].map(String), String(row.seed), row.error ?? ""]),
  };
  return { title: "Failed runs", paragraphs: ["Each failed run is listed with its values and seed; the other runs went on."], tables: [{ table }] };
}

/**
 * "286 ± 16" (the ± to 2 significant figures, the mean to its decimal place); "269.3 (0 to 1,428)" when the interval is cut at zero; "286.3 (one bucket)" for seeds
 * in one histogram bucket; "0 (every seed)" when every seed gave exactly that value (no "± 0").
 */
function meanText(ci: MeanCi, metric: string): string {
  const shown = (value: number | null) => metricValue(metric, value);
  if (ci.mean === null) return "–";
  if (ci.halfWidth === null || ci.low === null || ci.high === null) return shown(ci.mean);
  if (isHistogramQuantile(metric) && sameBucket(ci)) return `${shown(ci.mean)} ${say.oneBucket}`;
  if (sameBucket(ci)) return `${shown(ci.mean)} ${say.everySeed}`;
  if (ci.low > ci.mean - ci.halfWidth) return `${shown(ci.mean)} (${shown(ci.low)} to ${shown(ci.high)})`;
  return metricMeanPlusMinus(metric, ci.mean, ci.halfWidth);
}

/** Every seed gave the same value (for a histogram quantile: the same bucket, so the spread is below its width). */
function sameBucket(ci: MeanCi): boolean {
  return ci.n >= 2 && ci.halfWidth === 0;
}
