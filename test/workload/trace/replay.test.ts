import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { RandomStreams } from "../../../sim/engine/index.ts";
import { loadScenarioFile } from "../../../sim/scenario/index.ts";
import type { Scenario } from "../../../sim/scenario/types.ts";
import { ProducerStream, RecordBlock } from "../../../sim/workload/index.ts";
import { isoUs } from "../../../scripts/make-replay-trace.ts";

const dir = mkdtempSync(join(tmpdir(), "trace-replay-"));
const t0Us = Date.parse("2026-12-06T10:00:00Z") * 1000;
let n = 0;

/** A trace of rows (offset from t0 in µs, key, size) in file order, and a scenario replaying it. */
function scenario(rows: Array<[number, string, number]>, trace: string, duration = "10s"): Scenario {
  const name = `s${n++}`;
  writeFileSync(join(dir, `${name}.csv`), `ts,key,size\n${rows.map(([us, key, size]) => `${isoUs(t0Us + us)},${key},${size}`).join("\n")}\n`);
  writeFileSync(join(dir, `${name}.yaml`), `name: ${name}\nduration: ${duration}\nworkload:\n  - producer: p\n    trace: { path: ${name}.csv, columns: { time: ts }, ${trace} }\n`);
  const loaded = loadScenarioFile(join(dir, `${name}.yaml`));
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues));
  return loaded.scenario;
}

/** Every record the producer hands out: [time µs, key, size]. */
function replay(s: Scenario, blockCapacity = 3): Array<[number, string, number]> {
  const stream = new ProducerStream(s.producers[0], s, new RandomStreams(s.seed));
  const block = new RecordBlock(blockCapacity);
  const out: Array<[number, string, number]> = [];
  while (stream.fill(Infinity, block) > 0) for (let i = 0; i < block.count; i++) out.push([block.timeUs[i], stream.keys.keyAt(block.keyIndex[i]), block.sizeBytes[i]]);
  return out;
}

const rows: Array<[number, string, number]> = [
  [0, "a", 10],
  [300_000, "b", 20],
  [200_000, "c", 30], // 100 ms late: within a 150 ms window
  [700_000, "a", 40],
  [900_000, "d", 50],
];

describe("trace replay", () => {
  it("sorts rows within the reorder window and replays them from the first row's time", () => {
    expect(replay(scenario(rows, "reorderWindow: 150ms"))).toEqual([
      [0, "a", 10],
      [200_000, "c", 30],
      [300_000, "b", 20],
      [700_000, "a", 40],
      [900_000, "d", 50],
    ]);
  });

  it("loops with no gap and no overlap: a pass lasts to the last row plus one mean gap", () => {
    const out = replay(scenario(rows, "reorderWindow: 150ms, loop: true", "3s"));
    const periodUs = 900_000 + 900_000 / 4;
    const one = [0, 200_000, 300_000, 700_000, 900_000];
    const expected = [0, 1, 2].flatMap((pass) => one.map((us) => pass * periodUs + us)).filter((us) => us < 3_000_000);
    expect(out.map((row) => row[0])).toEqual(expected);
    // Across each boundary the gap is exactly the trace's mean gap.
    expect(expected[5] - expected[4]).toBe(225_000);
  });

  it("with an end, a pass is exactly end - start long", () => {
    const out = replay(scenario(rows, "reorderWindow: 150ms, loop: true, start: '2026-12-06T10:00:00.1Z', end: '2026-12-06T10:00:00.8Z'", "2s"));
    expect(out.map((row) => row[0])).toEqual([100_000, 200_000, 600_000, 800_000, 900_000, 1_300_000, 1_500_000, 1_600_000, 2_000_000 - 0].filter((us) => us < 2_000_000));
    expect(out.map((row) => row[1]).slice(0, 3)).toEqual(["c", "b", "a"]);
  });

  it("at speed 2 replays every row at exactly half its time: double the rate, half the duration", () => {
    const many: Array<[number, string, number]> = Array.from({ length: 2000 }, (_, i) => [i * 4_321 + (i % 7), `k${i % 13}`, 1 + (i % 5)]);
    const normal = replay(scenario(many, "speed: 1"), 64);
    const fast = replay(scenario(many, "speed: 2", "5s"), 64);
    expect(fast.length).toBe(normal.length);
    expect(fast.map((row) => row[0])).toEqual(normal.map((row) => Math.floor(row[0] / 2)));
    expect(fast.map((row) => row[1])).toEqual(normal.map((row) => row[1]));
  });

  it("scale 2 sends each row twice, the copy under a twin key; scale 0.5 keeps about half", () => {
    const doubled = replay(scenario(rows, "reorderWindow: 150ms, scale: 2"));
    expect(doubled.map((row) => row[1])).toEqual(["a", "a#1", "c", "c#1", "b", "b#1", "a", "a#1", "d", "d#1"]);
    const many: Array<[number, string, number]> = Array.from({ length: 20_000 }, (_, i) => [i * 100, `k${i % 50}`, 1]);
    const half = replay(scenario(many, "scale: 0.5"), 512);
    // Binomial(20000, 0.5): sd 71; 400 is over 5 sd.
    expect(Math.abs(half.length - 10_000)).toBeLessThan(400);
    const oneAndHalf = replay(scenario(many, "scale: 1.5"), 512);
    expect(oneAndHalf.filter((row) => !row[1].includes("#")).length).toBe(20_000);
    expect(Math.abs(oneAndHalf.length - 30_000)).toBeLessThan(400);
  });

  it("leaves out rows outside start and end, and stops at the run's end", () => {
    const out = replay(scenario(rows, "reorderWindow: 150ms, start: '2026-12-06T10:00:00.25Z', end: '2026-12-06T10:00:00.9Z'"));
    expect(out).toEqual([
      [50_000, "b", 20],
      [450_000, "a", 40],
    ]);
    expect(replay(scenario(rows, "reorderWindow: 150ms", "1s")).length).toBe(5);
    expect(replay(scenario(rows, "reorderWindow: 150ms, speed: 0.5", "1s")).map((row) => row[0])).toEqual([0, 400_000, 600_000]);
  });
});
