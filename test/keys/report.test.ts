// The key lab's report as a reviewer gets it: report.html beside summary.md, charts in the run
// reports' system colours with a labelled fair-share line (and, for Kinesis with a rate, a labelled
// 100%-of-limit line), PNGs on request, and fallback advice when one key alone is over 80% of a shard.

import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { systemColorAt } from "../../reports/charts/common.ts";
import { utilizationClampMax, utilizationColor } from "../../reports/charts/utilization-scale.ts";
import { keysCharts } from "../../reports/keys/index.ts";
import { analyseKeys, keySetFromTemplate, parseFieldFlags } from "../../sim/keys/index.ts";
import { streamsimInProcess } from "../support/cli.ts";

const directory = mkdtempSync(join(tmpdir(), "streamsim-keys-report-"));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

function templateAnalysis(template: string, fields: string[], load: { recordsPerSecond: number; recordSizeBytes: number } | null) {
  const parsed = parseFieldFlags(fields);
  if (!parsed.ok) throw new Error(parsed.errors.join("; "));
  const keySet = keySetFromTemplate(template, parsed.fields, true);
  if (!keySet.ok) throw new Error(keySet.errors.join("; "));
  return analyseKeys(keySet.keySet, { kinesisShards: 10, kafkaPartitions: 12, load, kafkaBroker: null });
}

type Layer = { mark: { type: string; color?: string }; data: { values: Array<Record<string, unknown>> }; encoding: Record<string, { scale?: { range?: string[]; domain?: number[] } }> };

describe("key lab charts", () => {
  it("label the fair share and, for Kinesis with a rate, the 100% limit; bars in the run reports' system colours", () => {
    const analysis = templateAnalysis("{region}-{user}", ["region=us:3,eu:1", "user=1..500"], { recordsPerSecond: 9000, recordSizeBytes: 1024 });
    const [kinesis, kafka, lorenz] = keysCharts(analysis);
    const layers = (chart: typeof kinesis) => (chart.spec as unknown as { layer: Layer[] }).layer;
    const labels = (chart: typeof kinesis) => layers(chart).filter((layer) => layer.mark.type === "text").map((layer) => layer.data.values[0]);
    expect(labels(kinesis).map((rule) => rule.label)).toEqual([expect.stringMatching(/^fair share of the load \(1\/10\): \d+%$/), "write limit (100%)"]);
    expect(labels(kinesis)[1].y).toBe(1);
    expect(labels(kafka)).toEqual([expect.objectContaining({ y: 1 / 12, label: "fair share (1/12): 8.3%" })]);
    // Kinesis utilization bars take the run reports' one utilization scale (same domain, colours, clamp,
    // legend); Kafka's share bars keep its system colour.
    const shared = utilizationColor("value", "write utilization");
    expect(layers(kinesis)[0].mark.color).toBeUndefined();
    expect(layers(kinesis)[0].encoding.color).toEqual(shared);
    expect(layers(kinesis)[0].encoding.color.scale).toMatchObject({ domain: [0, 0.25, 0.5, 0.8, 1, 1.5, utilizationClampMax], clamp: true });
    expect(layers(kafka)[0].mark.color).toBe(systemColorAt(1));
    const curve = layers(lorenz).find((layer) => layer.mark.type === "line" && layer.encoding.color !== undefined)!;
    expect(curve.encoding.color.scale?.range).toEqual([systemColorAt(0), systemColorAt(1)]);
    for (const chart of [kinesis, kafka, lorenz]) expect(chart.caption.length).toBeGreaterThan(40);
  });

  it("cut a utilization bar at the 200% clamp and label it with its value", () => {
    // "hot" carries 18/28 of 4,000 records/s: about 2,570 records/s on one shard, 257% of 1,000/s.
    const analysis = templateAnalysis("{k}", ["k=hot:18,a:1,b:1,c:1,d:1,e:2,f:4"], { recordsPerSecond: 4000, recordSizeBytes: 100 });
    const layers = (keysCharts(analysis)[0].spec as unknown as { layer: Array<Layer & { encoding: { y: { scale?: { domain?: number[]; clamp?: boolean } } } }> }).layer;
    expect(layers[0].encoding.y.scale).toMatchObject({ domain: [0, utilizationClampMax], clamp: true });
    const labels = layers[1];
    expect(labels.mark.type).toBe("text");
    expect(labels.data.values).toHaveLength(1);
    expect(labels.data.values[0].value).toBeGreaterThan(2.5);
    expect(keysCharts(analysis)[0].caption).toContain("1 shard above it: cut at 200% and labelled with its value");
  });
});

describe("streamsim keys --out", () => {
  it("writes report.html (advice, charts inline, no URL) and, with --png, stand-alone PNGs", async () => {
    const out = join(directory, "regions");
    const outcome = await streamsimInProcess("keys", "--template", "{region}-{user}", "--field", "region=eu:4,us:3", "--field", "user=1..200", "--kinesis-shards", "10", "--rate", "5MB/s", "--out", out, "--png");
    expect(outcome.status, outcome.stderr).toBe(0);
    expect(outcome.stdout).toContain(`report: ${join(out, "report.html")}`);
    const html = readFileSync(join(out, "report.html"), "utf8");
    expect(html).toContain("<h2>Shard-count advice (Kinesis)</h2>");
    expect(html.match(/<svg\b/g)?.length).toBe(2);
    expect(html).not.toMatch(/https?:\/\//);
    expect(html.indexOf("Shard-count advice")).toBeLessThan(html.indexOf("<svg"));
    for (const chart of ["kinesis-share", "lorenz"]) expect(readFileSync(join(out, "charts", `${chart}.png`)).subarray(1, 4).toString()).toBe("PNG");
  });

  it("gives fallback advice when a key alone is over 80%: the count for every other key, suffix buckets, KPL aggregation", async () => {
    // 1,000 records/s of 100 B, "hot" 90% of them: 900 records/s (90% of the records limit), 0.088 MiB/s
    // (8.8% of the bytes limit): 2 suffix buckets, or aggregation; the other keys fit 1 shard.
    const outcome = await streamsimInProcess("keys", "--template", "{k}", "--field", "k=hot:18,a:1,b:1", "--kinesis-shards", "2", "--records-per-second", "1000", "--record-size", "100B");
    expect(outcome.status, outcome.stderr).toBe(0);
    expect(outcome.stdout).toContain('**Leaving out key "hot", 1 shard stays at or below 80% of its write limit for every other key.**');
    expect(outcome.stdout).toContain('a random suffix with at least 2 buckets ("hot#0" to "hot#1") puts about 45.0% of a shard on each bucket');
    expect(outcome.stdout).toContain("Or KPL aggregation: the key is over on records (90.0% of 1,000 records/s) while its bytes are 8.8% of 1 MiB/s");
    const json = await streamsimInProcess("keys", "--template", "{k}", "--field", "k=hot:18,a:1,b:1", "--kinesis-shards", "2", "--records-per-second", "1000", "--record-size", "100B", "--json");
    const advice = JSON.parse(json.stdout).kinesis.advice;
    expect(advice).toMatchObject({ reason: "hot-key", otherKeys: { shardCount: 1 }, hotKeys: [{ key: "hot", suffixBuckets: 2, aggregationFits: true }] });
  });

  it("refuses --png without --out, --out at a file or at the root, before writing anything", async () => {
    const file = join(directory, "a-file");
    writeFileSync(file, "x");
    const args = ["--template", "{k}", "--field", "k=a,b", "--kafka-partitions", "3"];
    const png = await streamsimInProcess("keys", ...args, "--png");
    expect(png.status).toBe(2);
    expect(png.stderr).toContain("--png applies to --out only");
    for (const out of [file, "/"]) {
      const outcome = await streamsimInProcess("keys", ...args, "--out", out);
      expect(outcome.status).toBe(2);
      expect(outcome.stderr).toMatch(/^streamsim keys: --out: .*(not a folder|root of the file system)/m);
    }
    expect(readFileSync(file, "utf8")).toBe("x");
    expect(existsSync(join(directory, ".streamsim-output.json"))).toBe(false);
  });
});
