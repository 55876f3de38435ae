// The content of a sweep's summary as sections of paragraphs and tables, rendered to summary.md and
// report.html alike, so the two always say the same thing.

import { formatDurationUs } from "../../sim/units/index.ts";
import { evaluateGoal, type GoalAnswer, type RunRow, type SweepPlan } from "../../sim/sweep/index.ts";
import { aggregate, keyMetrics, settingLabel, shown, type SettingStats } from "./aggregate.ts";
import { sweepReportMessages as say } from "./messages.ts";

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
}

export function sweepDocument(plan: SweepPlan, rows: RunRow[], toolVersion: string): SweepDocument {
  const metrics = keyMetrics(plan, rows);
  const stats = aggregate(plan, rows, metrics);
  const goal = evaluateGoal(plan, rows);
  const failed = rows.filter((row) => row.status === "failed");
  const sections: Section[] = [overview(plan, rows, failed.length, toolVersion)];
  if (goal !== null) sections.push(goalSection(plan, goal));
  sections.push(overviewTable(plan, stats, metrics));
  sections.push(...stats.map((setting) => settingSection(plan, setting, metrics)));
  if (failed.length > 0) sections.push(failedSection(plan, failed));
  return { title: `Sweep: ${plan.scenario}`, sections, stats, metrics, goal };
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

function goalSection(plan: SweepPlan, answer: GoalAnswer): Section {
  const headline = answer.combination === null ? say.goalNotMet(answer) : say.goalMet(answer, String(answer.value));
  const absent = answer.verdicts.every((verdict) => verdict.worst === null && verdict.missingRuns > 0);
  const table: Table = {
    columns: [...plan.parameters, `worst ${answer.goal.metric}`, "failed runs", "meets the goal"],
    rows: answer.verdicts.map((verdict) => [
      ...plan.combinations[verdict.combination].map(String),
      shown(verdict.worst),
      String(verdict.failedRuns),
      verdict.meets ? "yes" : "no",
    ]),
  };
  const paragraphs = absent ? [headline, say.goalMetricAbsent(answer.goal.metric), say.goalGrid] : [headline, say.goalGrid];
  return { title: "Goal", paragraphs, tables: [{ table }] };
}

function overviewTable(plan: SweepPlan, stats: SettingStats[], metrics: string[]): Section {
  const table: Table = {
    columns: [...plan.parameters, "runs ok", ...metrics.map((name) => `${name} (mean ± 95% CI)`)],
    rows: stats.map((setting) => [
      ...setting.values.map(String),
      `${setting.finishedRuns}/${setting.finishedRuns + setting.failedRuns}`,
      ...metrics.map((name) => meanText(setting.metrics[name].mean, setting.metrics[name].halfWidth)),
    ]),
  };
  return { title: "All settings", paragraphs: [say.ciNote], tables: [{ table }] };
}

function settingSection(plan: SweepPlan, setting: SettingStats, metrics: string[]): Section {
  const table: Table = {
    columns: ["metric", "n", "mean", "95% CI low", "95% CI high"],
    rows: metrics.map((name) => {
      const ci = setting.metrics[name];
      return [name, String(ci.n), shown(ci.mean), shown(ci.low), shown(ci.high)];
    }),
  };
  const runs = `${setting.finishedRuns} of ${setting.finishedRuns + setting.failedRuns} runs finished.`;
  return { title: settingLabel(plan, setting.values), paragraphs: [runs], tables: [{ table }] };
}

function failedSection(plan: SweepPlan, failed: RunRow[]): Section {
  const table: Table = {
    columns: ["run", ...plan.parameters, "seed", "why"],
    rows: failed.map((row) => [String(row.run), ...plan.combinations[row.combination].map(String), String(row.seed), row.error ?? ""]),
  };
  return { title: "Failed runs", paragraphs: ["Each failed run is listed with its values and seed; the other runs went on."], tables: [{ table }] };
}

function meanText(mean: number | null, halfWidth: number | null): string {
  if (mean === null) return "–";
  return halfWidth === null ? shown(mean) : `${shown(mean)} ± ${shown(halfWidth)}`;
}
