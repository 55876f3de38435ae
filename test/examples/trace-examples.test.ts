// scenarios/replay-trace.yaml exists to show a captured trace replayed: production's burst, looped,
// throttles the shard that holds its busiest key. Checked against the trace file read independently.

import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { analyseKeys } from "../../sim/keys/index.ts";
import { runScenario } from "../../sim/run/index.ts";
import { loadInline } from "../support/scenarios.ts";
import { loadExample } from "../support/scenarios.ts";

const shortUs = 2 * 60_000_000;
const text = readFileSync("scenarios/replay-trace.yaml", "utf8");

/** Offsets (µs) of the trace's rows from its first, sorted; read with gunzipSync and Date.parse, not the replay's reader. */
function traceOffsetsUs(): number[] {
  const lines = gunzipSync(readFileSync("scenarios/traces/checkout-events.csv.gz")).toString("utf8").trim().split("\n").slice(1);
  const times = lines.map((line) => {
    const stamp = line.split(",")[0];
    return Date.parse(`${stamp.slice(0, 23)}Z`) * 1000 + Number(stamp.slice(23, 26));
  });
  times.sort((a, b) => a - b);
  return times.map((t) => t - times[0]);
}

describe("replay-trace.yaml", () => {
  const result = runScenario(loadExample("replay-trace.yaml", { durationUs: shortUs }));
  const orders = result.systems[0];

  it("replays the trace and loops it without gap or overlap: a pass is the span plus one mean gap", () => {
    const offsets = traceOffsetsUs();
    const span = offsets[offsets.length - 1];
    const periodUs = Math.round(span + span / (offsets.length - 1));
    const expected = offsets.filter((us) => us < shortUs).length + offsets.filter((us) => us + periodUs < shortUs).length;
    expect(result.producers[0].producedRecords).toBe(expected);
    expect(offsets.length).toBeLessThan(expected);
  });

  it("throttles the shard holding the busiest merchant, and only because of the burst", () => {
    const keys = result.producers[0];
    const counts = keys.keyCounts!;
    const busiest = keys.keys.keyAt(counts.indexOf(Math.max(...counts)));
    expect(busiest).toBe("merchant-0");
    const lab = analyseKeys({ keys: [busiest], weights: Float64Array.of(1), source: "test", skipped: [] }, { kinesisShards: 2, kafkaPartitions: null, load: null });
    const hot = lab.assignments.kinesisShards![0];
    expect(orders.partitions[hot].throttledAttempts).toBeGreaterThan(1000);
    expect(orders.partitions[hot].throttledAttempts).toBeGreaterThan(10 * orders.partitions[1 - hot].throttledAttempts);
    // The same trace cut before its burst (the first 60 s, looped) is not throttled at all.
    const calm = loadInline(text.replace("loop: true", "loop: true\n      end: 2026-11-20T18:01:00Z"), "scenarios/replay-trace.yaml");
    const calmRun = runScenario({ ...calm, durationUs: shortUs, warmupUs: 30_000_000 });
    expect(calmRun.systems[0].partitions.map((p) => p.throttledAttempts)).toEqual([0, 0]);
  });
});
