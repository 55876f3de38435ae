// Seeded fuzzing of the loader and the run: mutations of the example scenarios, each loaded as
// `validate` would and, when valid, run briefly in-process as `run --duration` would, with its summary
// built. Every outcome is classified; any other exception, a message carrying an internal error, a
// case that takes too long or a memory blow-up fails the test.
//
// The normal suite runs a few hundred mutations; STREAMSIM_FUZZ_MUTATIONS=5000 runs more, and
// STREAMSIM_FUZZ_SEED picks another sequence. The mutant of a failure is printed whole, to replay it.

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import seedrandom from "seedrandom";
import { describe, expect, it } from "vitest";
import { buildSummary, summaryMarkdown } from "../../reports/index.ts";
import { EventBudgetError } from "../../sim/engine/index.ts";
import { runScenario, WorkBudgetError } from "../../sim/run/run.ts";
import { formatIssue, loadScenarioText } from "../../sim/scenario/index.ts";
import { mutate } from "./mutate.ts";

const mutations = Number(process.env.STREAMSIM_FUZZ_MUTATIONS ?? 300);
const seed = process.env.STREAMSIM_FUZZ_SEED ?? "streamsim-fuzz-1";
/** A case is a hang when it takes longer than this (a normal one takes well under a second). */
const caseWallMsMax = 20_000;
const rssBytesMax = 2 * 1024 ** 3;
const eventBudget = 300_000;
/** Shortened runs, some of them not whole seconds apart from their warm-up (4.1s scales it to a fraction). */
const durationsUs = [1_000_000, 1_700_000, 2_300_000, 4_100_000];

/** Words that only appear when something internal leaked into a message meant for a user. */
const internalText = /Maximum call stack|ERR_[A-Z_]+|TypeError|RangeError|ReferenceError|AssertionError|is not a function|Cannot read prop|undefined is not|\n\s+at /;

type Outcome = "refused" | "ran" | "event budget" | "work budget" | "refused after --duration" | "valid, too large to run here";

/**
 * Kafka's per-event work grows with the partition count (100,000 partitions: about 6 ms an event), so
 * a valid scenario with that many is validated here but not run: its cost is a known limit, not a hang.
 */
const unitsRunMax = 2_000;

function tooLargeToRun(systems: ReadonlyArray<unknown>): boolean {
  return systems.some((system) => {
    const record = system as { capacity?: { shards?: number }; topic?: { partitions?: number } };
    return (record.capacity?.shards ?? 0) > unitsRunMax || (record.topic?.partitions ?? 0) > unitsRunMax;
  });
}

const examples = readdirSync("scenarios")
  .filter((name) => name.endsWith(".yaml"))
  .sort()
  .map((name) => ({ file: join("scenarios", name), text: readFileSync(join("scenarios", name), "utf8") }));

function classify(file: string, text: string, durationUs: number): Outcome {
  const validated = loadScenarioText(text, file);
  if (!validated.ok) {
    checkMessages(validated.issues.map(formatIssue));
    return "refused";
  }
  if (tooLargeToRun(validated.scenario.systems)) return "valid, too large to run here";
  const loaded = loadScenarioText(text, file, { durationUs });
  if (!loaded.ok) {
    checkMessages(loaded.issues.map(formatIssue));
    return "refused after --duration";
  }
  try {
    const result = runScenario(loaded.scenario, { eventBudget });
    summaryMarkdown(buildSummary(result));
    return "ran";
  } catch (error) {
    if (error instanceof WorkBudgetError) return "work budget";
    if (error instanceof EventBudgetError) return "event budget";
    throw error;
  }
}

function checkMessages(lines: string[]): void {
  expect(lines.length).toBeGreaterThan(0);
  for (const line of lines) {
    if (internalText.test(line)) throw new Error(`an internal error reached the user: ${line}`);
    if (line.length > 2000) throw new Error(`a message of ${line.length} characters: ${line.slice(0, 200)}...`);
  }
}

describe("fuzzing the examples", () => {
  it(`${mutations} seeded mutations load, run or are refused cleanly`, () => {
    const random = seedrandom(seed);
    const counts = new Map<Outcome, number>();
    let slowestMs = 0;
    let peakRss = 0;
    for (let index = 0; index < mutations; index++) {
      const example = examples[Math.floor(random() * examples.length)];
      const text = mutate(example.text, random);
      const durationUs = durationsUs[Math.floor(random() * durationsUs.length)];
      const started = performance.now();
      let outcome: Outcome;
      try {
        outcome = classify(example.file, text, durationUs);
      } catch (error) {
        const stack = error instanceof Error ? error.stack : String(error);
        throw new Error(`mutation ${index} of ${example.file} (--duration ${durationUs}us) threw:\n${stack}\n--- mutant ---\n${text}`);
      }
      const tookMs = performance.now() - started;
      slowestMs = Math.max(slowestMs, tookMs);
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
      if (tookMs > caseWallMsMax) throw new Error(`mutation ${index} of ${example.file} took ${Math.round(tookMs)} ms:\n${text}`);
      if (peakRss > rssBytesMax) throw new Error(`mutation ${index} of ${example.file} took memory to ${peakRss} bytes:\n${text}`);
      counts.set(outcome, (counts.get(outcome) ?? 0) + 1);
    }
    const figures = [...counts.entries()].sort().map(([outcome, count]) => `${outcome}: ${count}`).join(", ");
    console.log(`fuzz (seed ${seed}, ${mutations} mutations): ${figures}; slowest case ${Math.round(slowestMs)} ms; peak RSS ${Math.round(peakRss / 1024 ** 2)} MB`);
    // A mutator that only breaks files would test the YAML reader alone: some mutants must still run.
    expect(counts.get("ran") ?? 0).toBeGreaterThan(mutations / 20);
    expect(counts.get("refused") ?? 0).toBeGreaterThan(mutations / 20);
  }, 600_000);
});
