// report.html in a real browser: Debian's headless Chromium, driven by playwright-core, opens the
// file from disk with no network, and every chart must be visible with a non-zero size, with no
// console errors and no request leaving the file. Screenshots go to out/browser-test/ (report.png,
// sweep.png) for a look.
// Where CI is set, a missing browser fails; elsewhere the test is skipped with how to enable it.

import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";
import { afterAll, describe, expect, it } from "vitest";
import { writeReport } from "../../reports/write.ts";
import { writeSweepReport } from "../../reports/sweep/index.ts";
import type { RunRow, SweepPlan } from "../../sim/sweep/index.ts";
import { streamsimInProcess } from "../support/cli.ts";
import { runHeadline } from "./headline.ts";

const chromiumPath = "/usr/bin/chromium";
const available = existsSync(chromiumPath);
const inCi = process.env.CI !== undefined && process.env.CI !== "" && process.env.CI !== "false";
const screenshotPath = resolve("out", "browser-test", "report.png");
const sweepScreenshotPath = resolve("out", "browser-test", "sweep.png");

if (!available && !inCi) {
  console.warn(`browser test skipped: no ${chromiumPath}. To run it: apt-get install -y chromium fonts-dejavu-core (CI=1 makes a missing browser fail).`);
}

const temporary: string[] = [];
afterAll(() => {
  for (const directory of temporary) rmSync(directory, { recursive: true, force: true });
});

describe.runIf(available || inCi)("report.html in headless Chromium", () => {
  it("shows every chart with a non-zero size, logs no errors and requests nothing beyond the file", async () => {
    expect(existsSync(chromiumPath), `${chromiumPath} is missing: apt-get install -y chromium (CI is set, so this fails)`).toBe(true);
    const reportDirectory = mkdtempSync(join(tmpdir(), "streamsim-browser-report-"));
    const profileDirectory = mkdtempSync(join(tmpdir(), "streamsim-browser-profile-"));
    temporary.push(reportDirectory, profileDirectory);
    const written = await writeReport(runHeadline(), reportDirectory);

    // launchPersistentContext is playwright's way to pass a fresh --user-data-dir.
    const context = await chromium.launchPersistentContext(profileDirectory, {
      executablePath: chromiumPath,
      headless: true,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
      viewport: { width: 1280, height: 900 },
    });
    try {
      const page = context.pages()[0] ?? (await context.newPage());
      const problems: string[] = [];
      page.on("console", (message) => {
        if (message.type() === "error") problems.push(`console error: ${message.text()}`);
      });
      page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
      page.on("request", (request) => {
        if (!request.url().startsWith("file:")) problems.push(`request: ${request.url()}`);
      });
      await page.goto(pathToFileURL(resolve(written.htmlPath)).href, { waitUntil: "load" });

      const figures = page.locator("figure.chart");
      const count = await figures.count();
      expect(count).toBe(6);
      for (let index = 0; index < count; index++) {
        const svg = figures.nth(index).locator("svg");
        const name = await figures.nth(index).getAttribute("data-chart");
        await svg.scrollIntoViewIfNeeded();
        expect(await svg.isVisible(), `${name} is visible`).toBe(true);
        const box = await svg.boundingBox();
        expect(box !== null && box.width > 100 && box.height > 50, `${name} has a size: ${JSON.stringify(box)}`).toBe(true);
      }
      expect(await page.locator("section.verdict li").count()).toBeGreaterThanOrEqual(2);
      mkdirSync(resolve("out", "browser-test"), { recursive: true });
      await page.screenshot({ path: screenshotPath, fullPage: true });
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  }, 120_000);

  it("shows a sweep report's charts before its tables, and saves a screenshot of it", async () => {
    const reportDirectory = mkdtempSync(join(tmpdir(), "streamsim-browser-sweep-"));
    const profileDirectory = mkdtempSync(join(tmpdir(), "streamsim-browser-profile-"));
    temporary.push(reportDirectory, profileDirectory);
    const plan: SweepPlan = {
      scenario: "browser-sweep", file: "browser-sweep.yaml", scenarioSha256: "b".repeat(64), baseSeed: 1, durationOverrideUs: null, eventBudget: null,
      parameters: ["systems.kds.capacity.shards"], combinations: [[8], [16], [32]], grid: true, replications: 3,
      goal: { metric: "kds.producerLatencyMs.p99", bound: "below", limit: 200, direction: "minimise", parameter: "systems.kds.capacity.shards" },
      runCount: 9, seedRule: "seed 1 + r",
    };
    const rows: RunRow[] = Array.from({ length: 9 }, (_, run) => ({
      run, combination: Math.floor(run / 3), replication: run % 3, seed: 1 + (run % 3), status: "ok", error: null,
      metrics: {
        "kds.producerLatencyMs.p99": 320 - 70 * Math.floor(run / 3) + (run % 3),
        "kds.records.throttledAttempts": run % 3 === 2 ? 900 : 0,
        "kds.partitions.peakWriteUtilization.max": 1.8 - 0.4 * Math.floor(run / 3) + 0.01 * (run % 3),
        "kds.consumers.analytics.lagMs.p99": 1800 + 10 * run,
        "kds.consumers.analytics.endToEndLatencyMs.p99": 1600 + 10 * run,
        "kds.cost.monthlyUsd": 280 + 90 * Math.floor(run / 3),
      },
    }));
    await writeSweepReport(plan, rows, reportDirectory);
    const context = await chromium.launchPersistentContext(profileDirectory, {
      executablePath: chromiumPath,
      headless: true,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
      viewport: { width: 1280, height: 900 },
    });
    try {
      const page = context.pages()[0] ?? (await context.newPage());
      await page.goto(pathToFileURL(join(reportDirectory, "report.html")).href, { waitUntil: "load" });
      const svgs = page.locator("figure svg");
      expect(await svgs.count()).toBe(5);
      for (let index = 0; index < 5; index++) {
        const box = await svgs.nth(index).boundingBox();
        expect(box !== null && box.width > 100 && box.height > 50).toBe(true);
        expect(await page.locator("figure").nth(index).locator("figcaption").textContent()).toMatch(/^Each point is the mean of a setting's 3 seeds/);
      }
      // The page never widens: a table wider than it scrolls inside its box. Headed in words (which wrap)
      // rather than summary paths, this sweep's all-settings table fits; its headers name units, not paths.
      const overflow = await page.evaluate(() => ({
        page: document.documentElement.scrollWidth,
        viewport: document.documentElement.clientWidth,
        boxes: [...document.querySelectorAll(".table-scroll")].length,
        headers: [...document.querySelectorAll("th")].map((th) => th.textContent ?? ""),
      }));
      expect(overflow.page).toBeLessThanOrEqual(overflow.viewport);
      expect(overflow.boxes).toBeGreaterThan(0);
      expect(overflow.headers).toContain("kds: producer p99 latency (ms), mean ± 95% CI");
      expect(overflow.headers.filter((header) => /kds\.\w+\./.test(header))).toEqual([]);
      const chartsTop = (await page.locator("figure").first().boundingBox())!.y;
      const tablesTop = (await page.locator("h2", { hasText: "All settings" }).boundingBox())!.y;
      expect(chartsTop).toBeLessThan(tablesTop);
      mkdirSync(resolve("out", "browser-test"), { recursive: true });
      await page.screenshot({ path: sweepScreenshotPath, fullPage: true });
    } finally {
      await context.close();
    }
  }, 120_000);

  it("draws the write-utilization heatmap with Kafka rows that differ and legend labels that do not overlap", async () => {
    const reportDirectory = mkdtempSync(join(tmpdir(), "streamsim-browser-report-"));
    const profileDirectory = mkdtempSync(join(tmpdir(), "streamsim-browser-profile-"));
    temporary.push(reportDirectory, profileDirectory);
    const written = await writeReport(runHeadline(), reportDirectory);
    const context = await chromium.launchPersistentContext(profileDirectory, {
      executablePath: chromiumPath,
      headless: true,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
      viewport: { width: 1280, height: 900 },
    });
    try {
      const page = context.pages()[0] ?? (await context.newPage());
      await page.goto(pathToFileURL(resolve(written.htmlPath)).href, { waitUntil: "load" });
      const heatmap = page.locator("figure#chart-write-utilization");
      // One rect mark group per system panel, in scenario order: kds, then msk. msk's partitions carry different shares of the writes.
      const fills = await heatmap.locator("g.mark-rect.role-mark").evaluateAll((groups) =>
        groups.map((group) => new Set([...group.querySelectorAll("path")].map((path) => path.getAttribute("fill"))).size),
      );
      expect(fills.length).toBe(2);
      expect(fills[1], "distinct colours among the Kafka partitions' cells").toBeGreaterThan(3);
      const labels = heatmap.locator("g.role-legend-label text");
      const boxes = [];
      for (let index = 0; index < (await labels.count()); index++) boxes.push(await labels.nth(index).boundingBox());
      // Two legends: the utilization scale (Kinesis) and the fair-share scale (Kafka), six labels each.
      expect(boxes.length).toBe(12);
      for (let a = 0; a < boxes.length; a++) {
        for (let b = a + 1; b < boxes.length; b++) {
          const [p, q] = [boxes[a]!, boxes[b]!];
          const overlap = p.x < q.x + q.width && q.x < p.x + p.width && p.y < q.y + q.height && q.y < p.y + p.height;
          expect(overlap, `legend labels ${a} and ${b} overlap: ${JSON.stringify([p, q])}`).toBe(false);
        }
      }
    } finally {
      await context.close();
    }
  }, 120_000);

  it("colours the key lab's utilization bars on the same scale, with legend labels that do not overlap", async () => {
    const reportDirectory = mkdtempSync(join(tmpdir(), "streamsim-browser-keys-"));
    const profileDirectory = mkdtempSync(join(tmpdir(), "streamsim-browser-profile-"));
    temporary.push(reportDirectory, profileDirectory);
    // "hot" carries 18/28 of 4,000 records/s: its shard is far over the 200% clamp, the others below 80%.
    const outcome = await streamsimInProcess("keys", "--template", "{k}", "--field", "k=hot:18,a:1,b:1,c:1,d:1,e:2,f:4", "--kinesis-shards", "4", "--records-per-second", "4000", "--record-size", "100B", "--out", reportDirectory);
    expect(outcome.status, outcome.stderr).toBe(0);
    const context = await chromium.launchPersistentContext(profileDirectory, {
      executablePath: chromiumPath,
      headless: true,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
      viewport: { width: 1280, height: 900 },
    });
    try {
      const page = context.pages()[0] ?? (await context.newPage());
      await page.goto(pathToFileURL(join(reportDirectory, "report.html")).href, { waitUntil: "load" });
      const chart = page.locator('figure[data-chart="kinesis-share"]');
      const fills = await chart.locator("g.mark-rect.role-mark path").evaluateAll((paths) => paths.map((path) => path.getAttribute("fill")));
      // The run reports' clamp colour on the hot shard, cool blues on the others: no bar in one system colour.
      expect(fills).toContain("rgb(140, 13, 37)");
      expect(new Set(fills).size).toBeGreaterThan(2);
      const labels = chart.locator("g.role-legend-label text");
      const boxes = [];
      for (let index = 0; index < (await labels.count()); index++) boxes.push((await labels.nth(index).boundingBox())!);
      expect(boxes.length).toBe(6);
      for (let a = 0; a < boxes.length; a++) {
        for (let b = a + 1; b < boxes.length; b++) {
          const [p, q] = [boxes[a], boxes[b]];
          const overlap = p.x < q.x + q.width && q.x < p.x + p.width && p.y < q.y + q.height && q.y < p.y + p.height;
          expect(overlap, `legend labels ${a} and ${b} overlap: ${JSON.stringify([p, q])}`).toBe(false);
        }
      }
    } finally {
      await context.close();
    }
  }, 120_000);

  it("opens with a comparison sentence true of the report's own numbers, a not-like-for-like warning and the configuration table", async () => {
    const reportDirectory = mkdtempSync(join(tmpdir(), "streamsim-browser-report-"));
    const profileDirectory = mkdtempSync(join(tmpdir(), "streamsim-browser-profile-"));
    temporary.push(reportDirectory, profileDirectory);
    const written = await writeReport(runHeadline(), reportDirectory);
    const context = await chromium.launchPersistentContext(profileDirectory, {
      executablePath: chromiumPath,
      headless: true,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
      viewport: { width: 1280, height: 900 },
    });
    try {
      const page = context.pages()[0] ?? (await context.newPage());
      await page.goto(pathToFileURL(resolve(written.htmlPath)).href, { waitUntil: "load" });
      const sentence = page.locator("section.comparison p.comparison-sentence");
      expect(await sentence.isVisible()).toBe(true);
      const text = (await sentence.textContent()) ?? "";
      expect(text).toMatch(/^In short: msk absorbs this key skew; kds throttles its hot shard shardId-\d+ \(up to \d+% of its write limit\)/);
      // The hot shard's figure is the verdict's.
      const [, shard, peak] = /hot shard (shardId-\d+) \(up to (\d+%)/.exec(text)!;
      expect(await page.locator("section.verdict li", { hasText: `${shard} ran at up to ${peak} of its write limit` }).count()).toBe(1);
      // The cost ratios are the equal-retention table's: msk over kds at 24 h and at 7 days.
      const [, at24h, at7d] = /kds is the cheapest at equal retention: msk costs (\d+\.\d)x as much at 24 h and (\d+\.\d)x at 7 days, but kds drops records as run/.exec(text)!;
      const costRows = page.locator("section.table", { hasText: "Cost at equal retention" }).locator("tbody tr");
      expect(await costRows.count()).toBe(2);
      for (const [row, ratio] of [[0, at24h], [1, at7d]] as const) {
        const usd = (await costRows.nth(row).locator("td").allTextContents()).slice(1).map((cell) => Number(cell.replace(/[$,]|\/month.*/g, "")));
        expect(usd[1] / usd[0]).toBeCloseTo(Number(ratio), 1);
      }
      const warning = page.locator("section.comparison .not-like-for-like li");
      expect(await warning.first().textContent()).toContain("retention: kds 24 h; msk 7 days");
      // The configuration table: one column per system, the defaults that ran.
      const configuration = page.locator("section.configuration table");
      expect(await configuration.isVisible()).toBe(true);
      expect(await configuration.locator("thead th").allTextContents()).toEqual(["setting", "kds", "msk"]);
      const rowOf = async (setting: string) => configuration.locator("tbody tr", { has: page.locator("td", { hasText: new RegExp(`^${setting}$`) }) }).locator("td").allTextContents();
      expect(await rowOf("retention")).toEqual(["retention", "24 h", "7 days"]);
      expect(await rowOf("replication")).toEqual(["replication", "3 AZs, synchronous (by the service)", "replication factor 3, min.insync.replicas 2, unclean leader election on"]);
      expect((await rowOf("consumers"))[1]).toContain("polls every 1.5s");
      // Sentence and warning first, the configuration right after the verdict, all before the charts.
      const top = async (selector: string) => (await page.locator(selector).first().boundingBox())!.y;
      expect(await top("section.comparison")).toBeLessThan(await top("section.verdict"));
      expect(await top("section.verdict")).toBeLessThan(await top("section.configuration"));
      expect(await top("section.configuration")).toBeLessThan(await top("figure.chart"));
    } finally {
      await context.close();
    }
  }, 120_000);
});
