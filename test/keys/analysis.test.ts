// Spread statistics, warnings, templates and the assignments CSV, against hand-computed values.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { csvField, keysAnalysisJson, keysSummaryMarkdown, lorenzPoints, writeAssignments } from "../../reports/keys/index.ts";
import {
  analyseKeys,
  brokerWriteCapacity,
  gini,
  isTimeLike,
  keySetFromFile,
  keySetFromTemplate,
  parseFieldFlags,
  warningMessages,
  type KeySet,
} from "../../sim/keys/index.ts";
import { parseKeyFile } from "../../sim/workload/keys/index.ts";

const directory = mkdtempSync(join(tmpdir(), "streamsim-keys-"));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

function keySet(keys: string[], weights?: number[]): KeySet {
  return { keys, weights: Float64Array.from(weights ?? keys.map(() => 1)), source: "test", skipped: [] };
}

function fileWith(name: string, text: string): string {
  const path = join(directory, name);
  writeFileSync(path, text);
  return path;
}

describe("spread statistics", () => {
  it("Gini: 0 when even, (n-1)/n when one slot has everything, 0.25 for 1,2,3,4 (mean absolute difference 20/16 over 2·2.5)", () => {
    expect(gini([1, 1, 1, 1])).toBe(0);
    expect(gini([0, 0, 0, 1])).toBeCloseTo(0.75, 12);
    expect(gini([4, 1, 3, 2])).toBeCloseTo(0.25, 12);
  });

  it("one key: its shard carries everything, with load hand-computed against 1 MiB/s and 1,000 records/s", () => {
    const analysis = analyseKeys(keySet(["a"]), { kinesisShards: 4, kafkaPartitions: 3, load: { recordsPerSecond: 500, recordSizeBytes: 1000 } });
    const spread = analysis.kinesis!.spread;
    const shard = spread.slots[analysis.assignments.kinesisShards![0]];
    expect(shard.trafficShare).toBe(1);
    expect(shard.recordsPerSecond).toBe(500);
    expect(shard.bytesPerSecond).toBe(500 * 1001); // data plus the 1-byte key
    expect(shard.writeUtilization).toBe(0.5); // records decide: 500/1000 > 500500/1048576 = 0.477
    expect(spread.trafficMaxOverMean).toBe(4);
    expect(spread.gini).toBeCloseTo(0.75, 12);
    expect(spread.emptySlots).toBe(3);
    expect(analysis.kafka!.spread.slots[analysis.assignments.kafkaPartitions![0]].writeUtilization).toBeNull();
    expect(analysis.warnings.map((w) => w.code)).toEqual(["single-key"]);
    expect(analysis.warnings[0].message).toBe(warningMessages.singleKey("a"));
  });

  it("shares follow the counts and the hottest slots list their top keys", () => {
    const keys = Array.from({ length: 100 }, (_, i) => `k${i}`);
    const analysis = analyseKeys(keySet(keys, keys.map((_, i) => (i === 0 ? 99 : 1))), { kinesisShards: 5, kafkaPartitions: null, load: null });
    const spread = analysis.kinesis!.spread;
    expect(spread.slots.reduce((total, slot) => total + slot.trafficShare, 0)).toBeCloseTo(1, 12);
    expect(spread.slots.reduce((total, slot) => total + slot.distinctKeys, 0)).toBe(100);
    const hottest = spread.hottest[0];
    expect(hottest.index).toBe(analysis.assignments.kinesisShards![0]);
    expect(hottest.topKeys[0]).toEqual({ key: "k0", trafficShare: 0.5 }); // 99 of 198
    expect(hottest.topKeys.slice(1).every((top) => top.trafficShare === 1 / 198)).toBe(true);
    // 100 keys are 10 per shard (no cardinality warning); the top 5 carry 103/198 = 52.0%.
    expect(analysis.warnings.map((w) => w.code)).toEqual(["hot-keys"]);
  });

  it("lists only shards that carry traffic as the hottest", () => {
    // One key on 4 shards: three shards are empty and are not "hot".
    const analysis = analyseKeys(keySet(["a"], [1]), { kinesisShards: 4, kafkaPartitions: 6, load: null });
    expect(analysis.kinesis!.spread.hottest.map((slot) => slot.index)).toEqual([analysis.assignments.kinesisShards![0]]);
    expect(analysis.kafka!.spread.hottest.map((slot) => slot.index)).toEqual([analysis.assignments.kafkaPartitions![0]]);
  });

  it("Lorenz points run from (0,0) to (1,1) through the sorted cumulative shares", () => {
    const analysis = analyseKeys(keySet(["a", "b", "c"], [1, 1, 2]), { kinesisShards: null, kafkaPartitions: 1, load: null });
    expect(lorenzPoints(analysis.kafka!.spread)).toEqual([
      { slotShare: 0, trafficShare: 0 },
      { slotShare: 1, trafficShare: 1 },
    ]);
  });
});

describe("warnings", () => {
  it("a 3-key file warns about cardinality for both targets, with remedies", () => {
    const read = keySetFromFile(fileWith("three.txt", "eu\nus\nap\n"), { kinesisKeyLimit: true });
    if (!read.ok) throw new Error(read.errors.join());
    const analysis = analyseKeys(read.keySet, { kinesisShards: 4, kafkaPartitions: 6, load: null });
    expect(analysis.warnings.map((w) => w.code)).toEqual(["low-cardinality", "low-cardinality"]);
    expect(analysis.warnings[0].message).toBe(warningMessages.lowCardinality("Kinesis", 3, 4, "shard"));
    expect(analysis.warnings[1].message).toBe(warningMessages.lowCardinality("Kafka", 3, 6, "partition"));
    expect(analysis.warnings[0].remedies).toEqual(["higher-cardinality", "composite-key"]);
  });

  it("cardinality is fine at 10 keys per shard", () => {
    const keys = Array.from({ length: 40 }, (_, i) => `user-${i}`);
    expect(analyseKeys(keySet(keys), { kinesisShards: 4, kafkaPartitions: null, load: null }).warnings).toEqual([]);
    expect(analyseKeys(keySet(keys), { kinesisShards: 5, kafkaPartitions: null, load: null }).warnings.map((w) => w.code)).toEqual(["low-cardinality"]);
  });

  it("a date-key file is flagged", () => {
    const days = Array.from({ length: 60 }, (_, i) => new Date(Date.UTC(2026, 0, 1 + i)).toISOString().slice(0, 10));
    const read = keySetFromFile(fileWith("dates.txt", `${days.join("\n")}\n`), { kinesisKeyLimit: true });
    if (!read.ok) throw new Error(read.errors.join());
    const warnings = analyseKeys(read.keySet, { kinesisShards: 2, kafkaPartitions: null, load: null }).warnings;
    expect(warnings.map((w) => w.code)).toEqual(["time-like-keys"]);
    expect(warnings[0].message).toBe(warningMessages.timeLike("100.0%", ["2026-01-01", "2026-01-02", "2026-01-03"]));
  });

  it("recognises dates, timestamps and hours, not ids", () => {
    const timeLike = ["2026-01-01", "2026-01-01T13:05:00Z", "2026/01/01", "20260101", "2026010113", "logs-2026-01", "1767225600", "1767225600123", "13:05", "hour-13", "day=2026-01-01"];
    const notTimeLike = ["user-42", "sensor-0308", "3ee2d31a-62cf-4534-b64d-b2706d7b6926", "KR", "order-123456789", "2026-01-01-user-7", "tenant-acme"];
    for (const key of timeLike) expect([key, isTimeLike(key)]).toEqual([key, true]);
    for (const key of notTimeLike) expect([key, isTimeLike(key)]).toEqual([key, false]);
  });

  it("a handful of keys carrying most traffic is flagged", () => {
    const keys = Array.from({ length: 200 }, (_, i) => `user-${i}`);
    const weights = keys.map((_, i) => (i < 5 ? 100 : 1)); // 500 of 695 = 71.9%
    const warnings = analyseKeys(keySet(keys, weights), { kinesisShards: 2, kafkaPartitions: null, load: null }).warnings;
    expect(warnings.map((w) => w.code)).toEqual(["hot-keys"]);
    expect(warnings[0].message).toBe(warningMessages.hotKeys(5, "71.9%"));
  });
});

describe("templates", () => {
  it("parses --field lists, weights and ranges, and reports every bad one", () => {
    expect(parseFieldFlags(["region=us,eu,ap", "tier=gold:1,silver:3", "user=1..5000", "n=0..9:zipf=1.1"])).toEqual({
      ok: true,
      fields: {
        region: { values: ["us", "eu", "ap"] },
        tier: { values: ["gold", "silver"], weights: [1, 3] },
        user: { range: [1, 5000] },
        n: { range: [0, 9], distribution: "zipf", exponent: 1.1 },
      },
    });
    const bad = parseFieldFlags(["region", "tier=gold:1,silver", "user=9..1", "a=x,x", "region2=us", "region2=eu"]);
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.errors).toHaveLength(5);
    // Every value has a weight, one of them zero: the message names that weight, not a missing one.
    expect(parseFieldFlags(["region=us:0,eu:1"])).toEqual({
      ok: false,
      errors: ['--field region: expected a positive weight for "us", found 0 (leave a value out rather than weigh it 0)'],
    });
  });

  it("enumerates every key with its exact probability", () => {
    const fields = parseFieldFlags(["region=us,eu", "tier=gold:1,silver:3", "user=1..3"]);
    if (!fields.ok) throw new Error(fields.errors.join());
    const read = keySetFromTemplate("{region}-{tier}-{user}", fields.fields, true);
    if (!read.ok) throw new Error(read.errors.join());
    expect(read.keySet.keys).toHaveLength(12);
    expect(read.keySet.keys.slice(0, 4)).toEqual(["us-gold-1", "us-gold-2", "us-gold-3", "us-silver-1"]);
    expect(read.keySet.weights[0]).toBeCloseTo((1 / 2) * (1 / 4) * (1 / 3), 12);
    expect(read.keySet.weights[3]).toBeCloseTo((1 / 2) * (3 / 4) * (1 / 3), 12);
    const missing = keySetFromTemplate("{region}-{user}", { region: { values: ["us"] } }, true);
    expect(missing).toMatchObject({ ok: false, errors: ["the template's placeholder {user} has no --field user=..."] });
  });
});

describe("--assignments CSV", () => {
  it("quotes keys with commas, quotes, CR and LF (RFC 4180), and they read back byte-exact in input order", () => {
    const keys = ['a,b', 'say "hi"', "cr\rinside", "lf\ninside", "crlf\r\ninside", " spaced ", "plain", "\"", ","];
    const analysis = analyseKeys(keySet(keys), { kinesisShards: 3, kafkaPartitions: null, load: null });
    const path = join(directory, "quoted.csv");
    writeAssignments(analysis, path);
    const text = readFileSync(path, "utf8");
    expect(text.split("\r\n")[1]).toBe(`"a,b",${analysis.assignments.kinesisShards![0]},`);
    expect(text.split("\r\n")[2]).toBe(`"say ""hi""",${analysis.assignments.kinesisShards![1]},`);
    expect(csvField(" spaced ")).toBe(" spaced ");
    const back = parseKeyFile(text, "assignments.csv");
    expect(back.issues).toEqual([]);
    expect(back.keys).toEqual(keys);
  });

  it("a key file's keys with commas and quotes come back as written, one row per input row (a repeated key on each)", () => {
    const path = fileWith("odd.txt", 'x,y\n"q"\nx,y\nplain\n');
    const read = keySetFromFile(path, { kinesisKeyLimit: true });
    if (!read.ok) throw new Error(read.errors.join());
    const analysis = analyseKeys(read.keySet, { kinesisShards: null, kafkaPartitions: 4, load: null });
    writeAssignments(analysis, join(directory, "odd.csv"));
    const text = readFileSync(join(directory, "odd.csv"), "utf8");
    const rows = text.split("\r\n").slice(1, -1);
    expect(rows.map((row) => row.replace(/,,\d$/, ""))).toEqual(['"x,y"', '"""q"""', '"x,y"', "plain"]);
    expect(rows[0]).toMatch(/^"x,y",,\d$/);
    expect(rows[2]).toBe(rows[0]);
    expect(parseKeyFile(text, "odd.csv").keys).toEqual(["x,y", '"q"', "plain"]);
  });
});

describe("the summary", () => {
  it("puts warnings and advice before the tables and names the skipped rows", () => {
    const path = fileWith("skips.txt", `a\n\n${"x".repeat(300)}\nb\n`);
    const read = keySetFromFile(path, { kinesisKeyLimit: true });
    if (!read.ok) throw new Error(read.errors.join());
    expect(read.keySet.skipped.map((s) => s.line)).toEqual([2, 3]);
    const analysis = analyseKeys(read.keySet, { kinesisShards: 2, kafkaPartitions: 2, load: { recordsPerSecond: 100, recordSizeBytes: 1024 } });
    const markdown = keysSummaryMarkdown(analysis);
    expect(markdown.indexOf("## Warnings")).toBeLessThan(markdown.indexOf("## Shard-count advice"));
    expect(markdown.indexOf("## Shard-count advice")).toBeLessThan(markdown.indexOf("## Kinesis: 2 shards"));
    expect(markdown).toContain("2 rows of the file skipped");
    expect(markdown).toContain("**1 shard stays at or below 80% of its write limit.**");
  });

  it("qualifies the advice for date keys: the current day's key takes all the traffic on one shard", () => {
    // 60 daily keys (10 bytes each), evenly counted. Spread over all 60 days at once, 5,000 records/s
    // fit 10 shards; written with today's key, 5,000 records/s of 1 KiB + 10 B land on one shard:
    // max(5,000 / 1,000, 5,000 x 1,034 / 1,048,576) = 500% of its write limit (docs/reference.md §1.1).
    const days = Array.from({ length: 60 }, (_, i) => new Date(Date.UTC(2026, 0, 1 + i)).toISOString().slice(0, 10));
    const busy = analyseKeys(keySet(days, days.map(() => 1)), { kinesisShards: 4, kafkaPartitions: null, load: { recordsPerSecond: 5000, recordSizeBytes: 1024 } });
    expect(busy.currentPeriod).toEqual({ trafficShare: 1, utilization: 5 });
    expect(keysSummaryMarkdown(busy)).toContain("that one key takes 100.0% of the traffic and 500.0% of one shard's write limit, whatever the shard count: no shard count keeps it at or below 80%");
    const quiet = analyseKeys(keySet(days, days.map(() => 1)), { kinesisShards: 4, kafkaPartitions: null, load: { recordsPerSecond: 500, recordSizeBytes: 1024 } });
    expect(keysSummaryMarkdown(quiet)).toContain("50.0% of one shard's write limit, whatever the shard count: one shard holds it");
    // Ids are not periods: no caveat.
    const ids = days.map((_, i) => `device-${i}`);
    expect(analyseKeys(keySet(ids, ids.map(() => 1)), { kinesisShards: 4, kafkaPartitions: null, load: { recordsPerSecond: 5000, recordSizeBytes: 1024 } }).currentPeriod).toBeNull();
  });

  it("keeps keys over 256 characters when only Kafka is analysed", () => {
    const path = fileWith("long.txt", `a\n${"x".repeat(300)}\n`);
    const read = keySetFromFile(path, { kinesisKeyLimit: false });
    expect(read.ok && read.keySet.keys.length).toBe(2);
  });
});

describe("a Kafka broker as a yardstick", () => {
  it("kafka.m5.large writes min(93.75 MB/s network, 81.25 MB/s disk) from the catalogue; the hottest partition is set against it", () => {
    const broker = brokerWriteCapacity("kafka.m5.large");
    expect(broker).toEqual({ instanceType: "kafka.m5.large", writeBytesPerSecond: 81_250_000 });
    expect(brokerWriteCapacity("kafka.m9.huge")).toBeNull();
    // One key, 10,000 records/s of 1,000 B + 1 key byte = 10.01 MB/s = 12.3% of 81.25 MB/s.
    const analysis = analyseKeys(keySet(["a"]), { kinesisShards: null, kafkaPartitions: 3, load: { recordsPerSecond: 10_000, recordSizeBytes: 1000 }, kafkaBroker: broker });
    const markdown = keysSummaryMarkdown(analysis);
    expect(markdown).toContain("|of one kafka.m5.large|");
    expect(markdown).toContain("|10.010|12.3%|");
    const json = keysAnalysisJson(analysis, "test") as { kafka: { broker: unknown } };
    expect(json.kafka.broker).toEqual({ instanceType: "kafka.m5.large", writeBytesPerSecond: 81_250_000 });
  });
});
