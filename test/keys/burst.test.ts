// A bursty trace: the lab sizes for its busiest second, not its average (a Kinesis shard's limit is per
// second, so the average under-sizes a stream whose bursts a run then throttles).

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { keysAnalysisJson, keysSummaryMarkdown } from "../../reports/keys/index.ts";
import { analyseKeys, keySetFromTrace, labLoad, type GivenLoad } from "../../sim/keys/index.ts";

const directory = mkdtempSync(join(tmpdir(), "streamsim-keys-burst-"));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

const startMs = Date.UTC(2026, 11, 6, 10, 0, 0);

/** 60 s of 200 keys in turn, 1,000 B each, evenly spaced: `base` records/s, and `burst` records/s in seconds 30 to 39. */
function bursty(name: string, base: number, burst: number, reversed = false): string {
  const rows: string[] = [];
  let record = 0;
  for (let second = 0; second < 60; second++) {
    const perSecond = second >= 30 && second < 40 ? burst : base;
    for (let j = 0; j < perSecond; j++) {
      const timeMs = startMs + second * 1000 + Math.floor((j * 1000) / perSecond);
      rows.push(`${new Date(timeMs).toISOString()},k-${record++ % 200},1000`);
    }
  }
  if (reversed) rows.reverse();
  const path = join(directory, name);
  writeFileSync(path, `timestamp,key,size\n${rows.join("\n")}\n`);
  return path;
}

function analyse(path: string, given: GivenLoad) {
  const read = keySetFromTrace(path, { format: "csv", keyColumn: "key", countBy: "records", sizeColumn: null, valueColumn: null, kinesisKeyLimit: true });
  if (!read.ok) throw new Error(read.errors.join("; "));
  return analyseKeys(read.keySet, { kinesisShards: 1, kafkaPartitions: null, load: labLoad(read.keySet, given), kafkaBroker: null });
}

describe("the key lab on a bursty trace", () => {
  // 50 s at 400 records/s and 10 s at 1,600: 36,000 records, an average near 600 records/s (60% of one
  // shard's 1,000 records/s), a busiest second of 1,600 (160%): one shard holds the average, not the burst.
  const path = bursty("bursty.csv", 400, 1600);

  it("takes the busiest second as the trace's own rate, and advises the shards it needs", () => {
    const analysis = analyse(path, {});
    expect(analysis.load).toMatchObject({ rateFrom: "trace-peak", recordsPerSecond: 1600 });
    expect(analysis.load!.peak).toMatchObject({ startUs: (startMs + 30_000) * 1000, by: "records", burst: true });
    // (36,000 - 1) records over 59.997 s, from the first timestamp to the last.
    expect(analysis.load!.peak!.averageRecordsPerSecond).toBeCloseTo(35_999 / 59.997, 6);
    expect(analysis.load!.peak!.timesAverage).toBeCloseTo(2.67, 2);
    const advice = analysis.kinesis!.advice!;
    expect(advice.kind).toBe("found");
    // 1,600 records/s need at least 1,600 / 800 = 2 shards at 80%; 200 keys spread unevenly, so more.
    expect(advice.kind === "found" && advice.shardCount).toBeGreaterThanOrEqual(2);
    expect(analysis.kinesis!.spread.slots[0].writeUtilization).toBeCloseTo(1.6, 6);
    expect(keysSummaryMarkdown(analysis)).toContain(
      "- Load: 1,600 records/s (the trace's busiest second, from 2026-12-06T10:00:30Z: 2.67x its average of 600 records/s, a burst, so sized for it; 36,000 records with 60.0 s from the first timestamp to the last, column timestamp)",
    );
    expect(keysAnalysisJson(analysis, "t")).toMatchObject({
      load: { recordsPerSecond: 1600, rateFrom: "trace-peak", peakSecond: { startsAt: "2026-12-06T10:00:30Z", recordsPerSecond: 1600, by: "records", timesAverage: 2.667, burst: true } },
    });
  });

  it("reads the busiest second whatever the rows' order", () => {
    const analysis = analyse(bursty("reversed.csv", 400, 1600, true), {});
    expect(analysis.load).toMatchObject({ rateFrom: "trace-peak", recordsPerSecond: 1600 });
  });

  it("with a rate given, warns that the trace's peak is above its average and names the rate and the shards for the peak", () => {
    const atPeak = analyse(path, {}).kinesis!.advice!;
    const analysis = analyse(path, { recordsPerSecond: 600 });
    expect(analysis.load).toMatchObject({ rateFrom: "flag", recordsPerSecond: 600 });
    const warning = analysis.warnings.find((candidate) => candidate.code === "bursty-trace");
    expect(warning?.remedies).toEqual(["size-for-peak"]);
    expect(warning?.message).toContain("The trace's busiest second (from 2026-12-06T10:00:30Z) asks for 2.67x its average rate (1,600 against 600 records/s)");
    expect(warning?.message).toContain(`Size for the peak: --records-per-second 1600 (${atPeak.kind === "found" ? atPeak.shardCount : NaN} shards keep every shard at or below 80%`);
  });

  it("takes the average, and warns of nothing, where the busiest second is within chance", () => {
    // Flat at 600 records/s: the busiest second is the average.
    const flat = analyse(bursty("flat.csv", 600, 600), {});
    expect(flat.load).toMatchObject({ rateFrom: "trace" });
    expect(flat.load!.recordsPerSecond).toBeCloseTo(35_999 / 59.998, 6);
    expect(flat.load!.peak!.burst).toBe(false);
    expect(analyse(bursty("flat.csv", 600, 600), { recordsPerSecond: 600 }).warnings.map((warning) => warning.code)).not.toContain("bursty-trace");
    expect(flat.kinesis!.advice).toMatchObject({ kind: "found", shardCount: 1 });
  });
});
