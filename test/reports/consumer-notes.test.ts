// The consumers table says why lag and each service's own metric differ, for the native metrics the
// report's consumers have and no others: a reader who checks CloudWatch sees a polling consumer's
// IteratorAge near zero where lag is about half a polling interval, and should not take either for wrong.

import { describe, expect, it } from "vitest";
import { summaryMarkdown, tableNotes } from "../../reports/summary-md.ts";
import { buildSummary } from "../../reports/summary.ts";
import { runScenario } from "../../sim/run/index.ts";
import { loadExample } from "../support/scenarios.ts";

describe("consumers table notes", () => {
  it("iot-zipf-keys: explain lag beside GetRecords.IteratorAgeMilliseconds and records-lag-max, and nothing of SQS", () => {
    const summary = buildSummary(runScenario(loadExample("iot-zipf-keys.yaml", { durationUs: 60_000_000 })));
    const kds = summary.systems.find((system) => system.name === "kds")!.consumers[0]!;
    // Polling every 1.5 s: lag about half of it or more, IteratorAge near zero: the gap the note explains.
    expect(kds.lagMs.p50!).toBeGreaterThan(5 * (kds.iteratorAgeMs?.p50 ?? 0));
    const notes = tableNotes(summary, "Consumers").join(" ");
    expect(notes).toContain("**lag**: the age of the oldest record");
    expect(notes).toContain("GetRecords.IteratorAgeMilliseconds (Kinesis, polling)");
    expect(notes).toContain("records-lag-max (Kafka) counts records");
    expect(notes).not.toContain("ApproximateAgeOfOldestMessage");
    expect(summaryMarkdown(summary)).toContain("leaves out the time records wait for the next poll");
  }, 60_000);
});

describe("a Lambda mapping on Kinesis is read by its own metric", () => {
  it("names Lambda's IteratorAge (AWS/Lambda), not the stream's GetRecords metric, and explains it", () => {
    const summary = buildSummary(runScenario(loadExample("lambda-kinesis-parallelization.yaml", { durationUs: 60_000_000 })));
    const lambdaConsumers = summary.systems.flatMap((system) => system.consumers).filter((consumer) => consumer.type === "lambda");
    expect(lambdaConsumers.length).toBeGreaterThan(0);
    for (const consumer of lambdaConsumers) expect(consumer.nativeMetric).toBe("IteratorAge");
    const notes = tableNotes(summary, "Consumers").join(" ");
    expect(notes).toContain("IteratorAge (a Lambda mapping on Kinesis, published by Lambda)");
    expect(summaryMarkdown(summary)).toMatch(/lag p99 [^;]+; native IteratorAge p99 /);
  }, 60_000);
});
