// The written report of the headline example: report.html self-contained (no URL of any kind, every
// chart inline), summary.md's verdict naming the hot shard, the cost parts when a cost exists, and
// metrics.csv in RFC 4180 tidy format (test/reports/metrics-csv.test.ts reads it as users' tools do).

import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildCharts, renderCharts } from "../../reports/charts/index.ts";
import { escapeHtml, inlineSvg, reportHtml } from "../../reports/html.ts";
import { csvField, metricsCsv } from "../../reports/metrics-csv.ts";
import { bytesText, shareText } from "../../reports/numbers.ts";
import { fairShareRatioText, summaryMarkdown, verdictLines } from "../../reports/summary-md.ts";
import { buildSummary } from "../../reports/summary.ts";
import { writeReport } from "../../reports/write.ts";
import { HashRouter, evenHashRanges, partitionKeyHash, shardIdOf } from "../../sim/kinesis/hash.ts";
import { runScenario, type ScenarioResult } from "../../sim/run/index.ts";
import { loadScenarioFile } from "../../sim/scenario/index.ts";
import { withCosts } from "./cost-fixture.ts";
import { runHeadline } from "./headline.ts";

let result: ScenarioResult;
let directory: string;

beforeAll(async () => {
  result = runHeadline();
  directory = mkdtempSync(join(tmpdir(), "streamsim-report-"));
  await writeReport(result, directory, { png: true });
}, 60_000);

afterAll(() => rmSync(directory, { recursive: true, force: true }));

describe("report files", () => {
  it("are all written, every SVG chart with its PNG", () => {
    expect(readdirSync(directory).sort()).toEqual([".streamsim-output.json", "charts", "metrics.csv", "report.html", "summary.json", "summary.md"]);
    const charts = readdirSync(join(directory, "charts")).sort();
    expect(charts.filter((name) => name.endsWith(".svg")).length).toBe(6);
    for (const name of charts.filter((file) => file.endsWith(".svg"))) expect(charts).toContain(name.replace(/\.svg$/, ".png"));
    const png = readFileSync(join(directory, "charts", "throughput.png"));
    expect(png.subarray(1, 4).toString()).toBe("PNG");
  });
});

describe("report.html", () => {
  it("contains no http:// or https:// reference at all, nor any xmlns or xlink", () => {
    const html = readFileSync(join(directory, "report.html"), "utf8");
    expect(html).not.toMatch(/https?:\/\//i);
    expect(html).not.toContain("xmlns");
    expect(html).not.toContain("xlink");
    expect(html).not.toMatch(/<(script|link|img|iframe)\b/i);
  });

  it("inlines every chart once, after the verdict and before the tables", () => {
    const html = readFileSync(join(directory, "report.html"), "utf8");
    expect(html.match(/<svg\b/g)?.length).toBe(6);
    for (const name of ["throughput", "write-utilization", "traffic-share", "lag", "latency-cdf", "cost"]) expect(html).toContain(`data-chart="${name}"`);
    expect(html.indexOf("<h2>Verdict</h2>")).toBeLessThan(html.indexOf("<svg"));
    expect(html.lastIndexOf("</svg>")).toBeLessThan(html.indexOf("<h2>Systems</h2>"));
    expect(html).toContain("@media print");
  });

  it("escapes user text so it can neither inject markup nor a URL", () => {
    expect(escapeHtml('<b>"x" & http://example.org</b>')).toBe("&lt;b&gt;&quot;x&quot; &amp; http:&#47;&#47;example.org&lt;/b&gt;");
    expect(inlineSvg('<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="1"><use xlink:href="#a"/></svg>')).toBe(
      '<svg width="1"><use href="#a"/></svg>',
    );
  });

  it("shows the cost chart and the cost table when the systems have a cost", async () => {
    const summary = withCosts(buildSummary(result));
    const charts = await renderCharts(buildCharts(result, summary));
    expect(charts.map((chart) => chart.chart.name)).toContain("cost");
    const html = reportHtml(summary, charts);
    expect(html).toContain("<h2>Cost line items</h2>");
    expect(html).toContain('data-chart="cost"');
    expect(html).not.toMatch(/https?:\/\//i);
  });
});

describe("summary.md", () => {
  it("names the hot shard in the Kinesis verdict: the shard that holds the busiest key, sensor-0", () => {
    // zipf: key index 0 is the most frequent; with 10 even shards it lands on one shard, which the
    // verdict must name (computed here from the Kinesis hash, not from the run).
    const router = new HashRouter(evenHashRanges(10).map((range, shardIndex) => ({ range, shardIndex })));
    const hotShard = shardIdOf(router.shardFor(partitionKeyHash("sensor-0")));
    const kds = verdictLines(buildSummary(result)).find((line) => line.startsWith("**kds**"));
    expect(kds).toMatch(new RegExp(`${hotShard} ran at up to \\d+% of its write limit for 2m`));
    expect(kds).toMatch(/\d+\.\d% of put attempts throttled/);
  });

  it("starts with the header (seed, scenario hash, tool version) and the verdict, and adds cost only when there is one", () => {
    const summary = buildSummary(result);
    const unpriced = { ...summary, systems: summary.systems.map((system) => ({ ...system, cost: null })) } as typeof summary;
    const plain = summaryMarkdown(unpriced);
    expect(plain.split("\n")[2]).toMatch(new RegExp(`^Seed 42 · .* · scenario sha256 \`${summary.scenarioSha256.slice(0, 12)}\` · streamsim ${summary.tool.version}$`));
    // Two systems: the comparison sentence comes first, then the not-like-for-like warning, then the verdict.
    expect(plain.split("\n")[4]).toMatch(/^\*\*In short:\*\* msk absorbs this key skew; kds throttles its hot shard /);
    expect(plain.indexOf("**Not like for like.**")).toBeLessThan(plain.indexOf("\n## Verdict\n"));
    expect(plain.indexOf("\n## Verdict\n")).toBeLessThan(plain.indexOf("\n## Configuration\n"));
    expect(plain).not.toContain("/month");
    expect(plain).not.toContain("Cost line items");
    const costed = summaryMarkdown(withCosts(summary));
    expect(costed).toMatch(/\*\*kds\*\* .*; \$792\/month\./);
    expect(costed).toMatch(/\*\*msk\*\* .*; \$680\/month\./);
    expect(costed).toContain("## Cost line items");
    expect(costed).toContain("|kds|enhanced fan-out|1 consumer|465.17|465.17|");
  });

  it("never writes a small share as 0% nor a partial one as 100%", () => {
    expect(shareText(0)).toBe("0.0%");
    expect(shareText(1)).toBe("100.0%");
    expect(shareText(0.152)).toBe("15.2%");
    expect(shareText(0.0004)).toBe("0.04%");
    expect(shareText(0.00004)).toBe("0.004%");
    expect(shareText(0.000004)).toBe("<0.001%");
    expect(shareText(0.99996)).toBe(">99.9%");
    expect(shareText(0.00004, 2)).toBe("0.004%");
  });

  it("gives a producer's small key shares in digits that show them (a uniform key space over many keys)", () => {
    const summary = buildSummary(result);
    const producer = summary.workload[0];
    const uniform = { ...producer, keys: { ...producer.keys, topShare: 0.004, top: [{ key: "account-1054", records: 29, share: 0.0004 }] } };
    const line = verdictLines({ ...summary, workload: [uniform] }).at(-1)!;
    expect(line).toContain('the busiest key "account-1054" carries 0.04% of records and the top 1 keys 0.4%');
  });

  // 1 failed attempt per 99 accepted records: 1.0% of attempts.
  it("calls Kafka's failed produce attempts failed, not throttled (Kafka quotas delay, they do not reject)", () => {
    const summary = buildSummary(result);
    const failing = summary.systems.map((system) => (system.kind === "kafka" ? { ...system, records: { ...system.records, throttledAttempts: Math.round(system.records.accepted / 99) } } : system));
    const msk = verdictLines({ ...summary, systems: failing }).find((line) => line.startsWith("**msk**"))!;
    expect(msk).toMatch(/; 1\.0% of produce attempts failed and were retried;/);
    expect(msk).not.toContain("throttled");
    expect(verdictLines(summary).find((line) => line.startsWith("**msk**"))).toContain("; no produce attempts failed;");
  });

  it("gives every system's verdict the same lag measure (lagMs p99 and max), then the native metric labelled as such", () => {
    const summary = buildSummary(result);
    const kds = summary.systems.find((system) => system.kind === "kinesis")!;
    const queue = {
      ...kds,
      name: "queue",
      kind: "sqs" as const,
      facts: { queueType: "standard" },
      consumers: kds.consumers.map((consumer) => ({ ...consumer, name: "workers", lagMs: { p50: 60, p99: 120, max: 160 }, iteratorAgeMs: undefined, nativeMetric: "ApproximateAgeOfOldestMessage", ageOfOldestMessageMs: { p50: 40, p99: 70, max: 80 } })),
    };
    const lines = verdictLines({ ...summary, systems: [...summary.systems, queue] });
    for (const system of summary.systems) {
      const consumer = system.consumers[0];
      const line = lines.find((text) => text.startsWith(`**${system.name}**`))!;
      const lagSeconds = (ms: number | null) => `${((ms ?? 0) / 1000).toFixed(2)} s`;
      expect(line).toContain(`${consumer.name} lag p99 ${lagSeconds(consumer.lagMs.p99)} (max ${lagSeconds(consumer.lagMs.max)}; native ${system.kind === "kafka" ? "records-lag-max" : "GetRecords.IteratorAgeMilliseconds"} p99 `);
    }
    expect(lines.find((text) => text.startsWith("**queue**"))).toContain("workers lag p99 0.12 s (max 0.16 s; native ApproximateAgeOfOldestMessage p99 0.07 s, max 0.08 s)");
  });

  it("writes latencies, money and megabytes in tables as a reader compares them, and each finding's subject once", () => {
    const summary = withCosts(buildSummary(result));
    const kdsCost = summary.systems[0].cost!;
    const costly = { ...summary, systems: [{ ...summary.systems[0], cost: { ...kdsCost, lineItems: [{ ...kdsCost.lineItems[0], monthlyUsd: 1234.5 }] } }, ...summary.systems.slice(1)] } as typeof summary;
    const md = summaryMarkdown(costly);
    const latencyRow = md.split("\n").find((line) => line.startsWith("|producer latency p50 / p99|"))!;
    // At most two decimals below 10 ms, one below 100 ms, whole milliseconds above.
    expect(latencyRow).not.toMatch(/\d\.\d{3}/);
    expect(latencyRow).toMatch(/^\|producer latency p50 \/ p99\|[\d.,]+ \/ [\d.,]+ ms\|[\d.,]+ \/ [\d.,]+ ms\|$/);
    expect(md).toContain("|1,234.50|");
    expect(md).toMatch(/, [\d.]+ (KB|MB|GB|TB); /);
    const hot = md.split("\n").find((line) => line.includes("`hot-shard`"))!;
    const shard = hot.match(/shardId-\d{12}/)![0];
    expect(hot.split(shard).length - 1).toBe(1);
  });

  it("lists findings most severe first across systems", () => {
    const md = summaryMarkdown(buildSummary(result));
    const severities = [...md.matchAll(/^- \*\*(critical|warning|info)\*\* · /gm)].map((match) => match[1]);
    expect(severities.length).toBeGreaterThan(1);
    const rank = { critical: 0, warning: 1, info: 2 } as const;
    expect(severities.map((s) => rank[s as keyof typeof rank])).toEqual([...severities.map((s) => rank[s as keyof typeof rank])].sort());
  });
});

describe("metrics.csv", () => {
  it("is one value per row with CRLF line ends, and its IncomingRecords rows add up to the stream's accepted records", () => {
    const text = metricsCsv(result);
    expect(text.startsWith("time,seconds,intervalSeconds,system,componentKind,componentId,consumer,metric,statistic,unit,value\r\n")).toBe(true);
    expect(text.endsWith("\r\n")).toBe(true);
    const rows = text.trimEnd().split("\r\n").slice(1).map((line) => line.split(","));
    expect(rows.every((row) => row.length === 11)).toBe(true);
    const kds = result.systems.find((system) => system.name === "kds")!;
    const incoming = rows.filter((row) => row[3] === "kds" && row[4] === "stream" && row[7] === "IncomingRecords");
    expect(incoming.map((row) => Number(row[1]))).toEqual([0, 60]);
    expect(incoming.reduce((sum, row) => sum + Number(row[10]), 0)).toBe(kds.records.accepted);
    // Per shard too, and write utilization per shard per interval.
    expect(rows.filter((row) => row[3] === "kds" && row[7] === "writeUtilization").length).toBe(10 * 2);
  });

  it("is written to disk series by series with the same bytes", () => {
    expect(readFileSync(join(directory, "metrics.csv"), "utf8")).toBe(metricsCsv(result));
  });

  it("quotes fields per RFC 4180", () => {
    expect(csvField("plain")).toBe("plain");
    expect(csvField('a,"b"')).toBe('"a,""b"""');
    expect(csvField("two\nlines")).toBe('"two\nlines"');
    expect(csvField(0.25)).toBe("0.25");
    expect(csvField(Number.NaN)).toBe("");
  });
});

describe("docs/results.md", () => {
  it("documents every field summary.json writes, facts included (Kinesis, Kafka and a FIFO queue)", () => {
    const results = readFileSync("docs/results.md", "utf8");
    const loaded = loadScenarioFile(join("scenarios", "sqs-fifo-hot-group.yaml"), { durationUs: 20_000_000 });
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues));
    const keys = new Set<string>();
    const collect = (value: unknown, path: string) => {
      if (Array.isArray(value)) for (const item of value) collect(item, path);
      else if (value !== null && typeof value === "object") {
        for (const [key, inner] of Object.entries(value)) {
          // Evidence holds each finding's own numbers, named by the finding; a line item's units are data.
          if (path.endsWith("evidence")) continue;
          keys.add(key);
          collect(inner, `${path}.${key}`);
        }
      }
    };
    collect(buildSummary(result), "");
    collect(buildSummary(runScenario(loaded.scenario)), "");
    // Written as `key`, `parent.key`, `key[]` or `parent[].key` in the table.
    const undocumented = [...keys].filter((key) => !new RegExp(`[\`.]${key}(\\[\\])?[\`.]`).test(results));
    expect(undocumented).toEqual([]);
  });
});

describe("bytesText", () => {
  it("gives a producer's bytes in the unit that keeps them short, to 3 significant digits", () => {
    expect(bytesText(1_305_729_900_000)).toBe("1.31 TB");
    expect(bytesText(3_600_000_000)).toBe("3.6 GB");
    expect(bytesText(250_400_000)).toBe("250 MB");
    expect(bytesText(999_950)).toBe("1 MB");
    expect(bytesText(12_345)).toBe("12.3 KB");
    expect(bytesText(512)).toBe("512 B");
    expect(bytesText(0)).toBe("0 B");
  });
});

describe("fairShareRatioText", () => {
  it("gives ratios that round alike the same digits", () => {
    expect(fairShareRatioText(0.996)).toBe("1.0x fair");
    expect(fairShareRatioText(1.004)).toBe("1.0x fair");
    expect(fairShareRatioText(0.53)).toBe("0.53x fair");
    expect(fairShareRatioText(2.4)).toBe("2.4x fair");
    expect(fairShareRatioText(9.96)).toBe("10x fair");
    expect(fairShareRatioText(12.3)).toBe("12x fair");
  });
});
