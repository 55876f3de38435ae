// Every example scenario runs (shortened) and the accounting of every system in it closes (docs/design.md
// "Accounting must close", Kinesis, Kafka and SQS alike); the default one is deterministic to the byte.

import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildSummary, summaryJson, summaryJsonSchema, summarySchema, writeReport } from "../../reports/index.ts";
import { runScenario } from "../../sim/run/index.ts";
import { scenarioJsonSchema } from "../../sim/scenario/index.ts";
import { expectRunAccountingCloses } from "../support/accounting.ts";
import { loadExample } from "../support/scenarios.ts";

const examples = readdirSync("scenarios").filter((name) => name.endsWith(".yaml")).sort();
/** Two minutes: past a minute of warm-up and report interval, a few seconds per example on a quiet machine. */
const shortUs = 2 * 60_000_000;

const load = loadExample;

describe("example scenarios", () => {
  it("are there to run", () => {
    expect(examples.length).toBeGreaterThanOrEqual(4);
  });

  it.each(examples)("%s carries the schema line for editor completion", (file) => {
    expect(readFileSync(join("scenarios", file), "utf8").split("\n")[0]).toBe("# yaml-language-server: $schema=./scenario.schema.json");
  });

  it.each(examples)("%s runs shortened and its counts add up", (file) => {
    const scenario = load(file);
    const result = runScenario(load(file, { durationUs: Math.min(shortUs, scenario.durationUs) }));
    for (const producer of result.producers) {
      expect(producer.producedRecords).toBeGreaterThan(0);
      // Each total is counted in its own place: the running totals, the time series and the key counts.
      expect(producer.recordsSeries.total).toBe(producer.producedRecords);
      expect(producer.bytesSeries.total).toBe(producer.producedBytes);
      expect(producer.sizeHistogram.count).toBe(producer.producedRecords);
      if (producer.keyCounts !== null) expect(producer.keyCounts.reduce((a, b) => a + b, 0)).toBe(producer.producedRecords);
    }
    expectRunAccountingCloses(result);
    const summary = buildSummary(result);
    expect(summary.workload.length).toBe(scenario.producers.length);
    // summary.json as written (after JSON round trip) matches its published schema (docs/summary.schema.json).
    const parsed = summarySchema.safeParse(JSON.parse(summaryJson(summary)));
    expect(parsed.success ? [] : parsed.error.issues, `${file}: summary.json against its schema`).toEqual([]);
  });
});

describe("determinism", () => {
  const file = "iot-zipf-keys.yaml";
  /** summary.json and report.html of a 30-second run, as written. */
  const runTo = async (seed?: number) => {
    const directory = mkdtempSync(join(tmpdir(), "streamsim-det-"));
    await writeReport(runScenario(load(file, { durationUs: 30_000_000, seed })), directory);
    return { summary: readFileSync(join(directory, "summary.json")), html: readFileSync(join(directory, "report.html")) };
  };

  it("gives byte-identical summary.json and report.html for the same seed", async () => {
    const [a, b] = [await runTo(), await runTo()];
    expect(a.summary.equals(b.summary)).toBe(true);
    expect(a.html.equals(b.html)).toBe(true);
  });

  it("gives different results for a different seed", async () => {
    const a = JSON.parse((await runTo(1)).summary.toString());
    const b = JSON.parse((await runTo(2)).summary.toString());
    expect(a.workload[0].records.produced).not.toBe(b.workload[0].records.produced);
  });
});

describe("scenario JSON Schema", () => {
  it("scenarios/scenario.schema.json is the current output of `streamsim schema` (regenerate with npm run schema)", () => {
    expect(readFileSync("scenarios/scenario.schema.json", "utf8")).toBe(scenarioJsonSchema());
  });

  it("docs/summary.schema.json is the current output of `streamsim schema --summary` (regenerate with npm run schema)", () => {
    expect(readFileSync("docs/summary.schema.json", "utf8")).toBe(summaryJsonSchema());
  });
});
