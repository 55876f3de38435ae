// The key lab's Flink target: which subtask and key group each key lands on, per-subtask shares, and
// whether more parallelism helps the hottest key. Routing vectors are in test/validation/flink.test.ts;
// the key groups used here come from them ("user-1" -> 121, "hello" -> 35 at maxParallelism 128).

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { keysAnalysisJson, keysSummaryMarkdown } from "../../reports/keys/index.ts";
import { analyseKeys, type KeySet } from "../../sim/keys/index.ts";
import { streamsimInProcess } from "../support/cli.ts";

function keySet(keys: string[], weights: number[]): KeySet {
  return { keys, weights: Float64Array.from(weights), source: "test", skipped: [] };
}

describe("streamsim keys --flink-parallelism", () => {
  it("puts each key on Flink's subtask and sums the shares per subtask", () => {
    // At parallelism 10 (maxParallelism 128): "user-1" key group 121 -> subtask 9; "hello" 35 -> 2; "a" 81 -> 6.
    const analysis = analyseKeys(keySet(["user-1", "hello", "a"], [6, 3, 1]), { kinesisShards: null, kafkaPartitions: null, load: { recordsPerSecond: 1000, recordSizeBytes: 100 }, flinkParallelism: 10 });
    const flink = analysis.flink!;
    expect(flink.maxParallelism).toBe(128);
    expect(Array.from(flink.subtaskOfKey)).toEqual([9, 2, 6]);
    expect(flink.spread.slots[9].trafficShare).toBeCloseTo(0.6, 12);
    expect(flink.spread.slots[9].recordsPerSecond).toBeCloseTo(600, 9);
    expect(flink.spread.hottest[0].index).toBe(9);
    expect(flink.keyGroupsPerSubtask[9]).toEqual({ first: 116, last: 127 });
    expect(flink.hottestKey).toEqual({ key: "user-1", keyGroup: 121, subtask: 9, trafficShare: 0.6, helpfulParallelismMax: 1 });
    const text = keysSummaryMarkdown(analysis);
    expect(text).toContain('Key "user-1" (key group 121, subtask 9) alone carries 60.00% of the traffic');
    expect(text).toContain("more parallelism cannot help it");
    const json = keysAnalysisJson(analysis, "test") as { flink: { hottestKey: { parallelismHelps: boolean }; subtasks: unknown[] } };
    expect(json.flink.hottestKey.parallelismHelps).toBe(false);
    expect(json.flink.subtasks).toHaveLength(10);
  });

  it("says up to which parallelism more subtasks still help when no key is over a fair share", () => {
    const keys = Array.from({ length: 200 }, (_, i) => `k${i}`);
    const analysis = analyseKeys(keySet(keys, keys.map((_, i) => (i === 0 ? 4 : 1))), { kinesisShards: null, kafkaPartitions: null, load: null, flinkParallelism: 4 });
    const hot = analysis.flink!.hottestKey!;
    expect(hot.key).toBe("k0");
    expect(hot.helpfulParallelismMax).toBe(Math.floor(203 / 4));
    expect(keysSummaryMarkdown(analysis)).toContain(`above parallelism ${hot.helpfulParallelismMax} it alone would exceed`);
  });

  it("--assignments adds each key's key group and subtask", async () => {
    const directory = mkdtempSync(join(tmpdir(), "streamsim-keys-flink-"));
    const path = join(directory, "a.csv");
    const keyFile = join(directory, "keys.txt");
    writeFileSync(keyFile, "user-1\nhello\n");
    const outcome = await streamsimInProcess("keys", "--file", keyFile, "--flink-parallelism", "10", "--assignments", path);
    expect(outcome.status).toBe(0);
    expect(readFileSync(path, "utf8")).toBe("key,kinesis_shard,kafka_partition,flink_key_group,flink_subtask\r\nuser-1,,,121,9\r\nhello,,,35,2\r\n");
    rmSync(directory, { recursive: true, force: true });
  });

  it("works on the command line alone and refuses a parallelism out of Flink's range", async () => {
    const ok = await streamsimInProcess("keys", "--template", "user-{i}", "--field", "i=0..999:zipf=1.1", "--flink-parallelism", "8", "--json");
    expect(ok.status).toBe(0);
    expect(JSON.parse(ok.stdout).flink.parallelism).toBe(8);
    const bad = await streamsimInProcess("keys", "--template", "user-{i}", "--field", "i=0..9", "--flink-parallelism", "40000");
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("expected an integer from 1 to 32768");
  });
});
