// summary.json: the stable, machine-readable result (docs/design.md "Results"; field reference in
// docs/results.md). Objects are built in a fixed key order and numbers rounded by one rule, so the same run
// gives the same bytes.

import { packageVersion } from "../sim/package-root.ts";
import type { z } from "zod";
import { systemConfiguration, timelineCutCode, type ProducerResult, type ScenarioResult } from "../sim/run/index.ts";
import { buildComparison } from "./comparison.ts";
import { addHotKeyAdvice } from "./hot-key-advice.ts";
import { round } from "./numbers.ts";
import type { summarySchema } from "./summary-schema.ts";
import { systemSummary } from "./system-summary.ts";
import { distinctKeysSeen, topKeys } from "./top-keys.ts";

const toolVersion: string = packageVersion;

export const topKeyCount = 10;

/** summary.json as its schema defines it: the schema is the one source of the type. */
export type Summary = z.infer<typeof summarySchema>;

export function buildSummary(result: ScenarioResult): Summary {
  const { scenario } = result;
  const systems = result.systems.map((system, index) => systemSummary(system, systemConfiguration(specOf(result, system.name)), result.costs[index]));
  addHotKeyAdvice(systems, result.producers, scenario.durationUs);
  return {
    scenario: scenario.name,
    seed: scenario.seed,
    simulatedSeconds: scenario.durationUs / 1e6,
    warmupSeconds: scenario.warmupUs / 1e6,
    tool: { version: toolVersion },
    scenarioSha256: scenario.source.sha256,
    workload: result.producers.map((producer) => producerSummary(producer, scenario.durationUs)),
    systems,
    comparison: pointToCuts(buildComparison(systems, result.retentionCosts), result),
    notes: result.notes.map((note) => ({ severity: note.severity, code: note.code, message: note.message })),
  };
}

/**
 * A run whose end cut off a timeline action (an outage not or only partly simulated) reports figures that
 * do not describe the scenario: the sentence says so rather than present them as the comparison's answer.
 */
function pointToCuts(comparison: Summary["comparison"], result: ScenarioResult): Summary["comparison"] {
  if (comparison === null || !result.notes.some((note) => note.code === timelineCutCode)) return comparison;
  return { ...comparison, sentence: `${comparison.sentence.replace(/\.$/, "")} (timeline cut off: see notes).` };
}

function specOf(result: ScenarioResult, name: string): ScenarioResult["scenario"]["systems"][number] {
  const spec = result.scenario.systems.find((system) => system.name === name);
  if (spec === undefined) throw new Error(`no system "${name}" in scenario ${result.scenario.name}`);
  return spec;
}

function producerSummary(producer: ProducerResult, durationUs: number): Summary["workload"][number] {
  const sizes = producer.sizeHistogram.summary();
  const top = topKeys(producer, topKeyCount);
  const peakPerSecond = producer.recordsSeries.toArrays().peakPerSecond.reduce((max, value) => Math.max(max, value), 0);
  return {
    producer: producer.name,
    records: { produced: producer.producedRecords },
    bytes: { produced: producer.producedBytes },
    recordsPerSecond: { mean: round(producer.producedRecords / (durationUs / 1e6)), peak: peakPerSecond },
    recordSizeBytes: {
      mean: round(sizes.mean, 1),
      p50: round(sizes.p50, 0),
      p99: round(sizes.p99, 0),
      max: round(sizes.max, 0),
      cap: producer.capBytes,
      capSource: producer.capSource,
      clipped: producer.clippedRecords,
    },
    keys: {
      distribution: producer.keys.description,
      cardinality: producer.keys.keyless === true ? 0 : Number.isFinite(producer.keys.cardinality) ? producer.keys.cardinality : null,
      distinctSeen: distinctKeysSeen(producer),
      topShare: round(top.reduce((sum, entry) => sum + entry.share, 0), 6),
      top: top.map((entry) => ({ key: entry.key, records: entry.records, share: round(entry.share, 6) })),
    },
  };
}

/** The file text of summary.json. */
export function summaryJson(summary: Summary): string {
  return `${JSON.stringify(summary, null, 2)}\n`;
}
