// `streamsim calibrate`: the shipped example end to end (the export is synthetic, made with a slower
// billing consumer: scripts/synthetic-cloudwatch.ts), and its refusals of bad input.

import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { streamsimInProcess } from "../support/cli.ts";

const scenario = "scenarios/calibrate-orders.yaml";
const exportFile = "scenarios/cloudwatch/orders-stream-tuesday.json";

describe("streamsim calibrate", () => {
  it("writes calibration.json and .md and puts the overlay charts first in report.html; the slow consumer is flagged", async () => {
    const out = join(mkdtempSync(join(tmpdir(), "streamsim-calibrate-")), "out");
    // 15 minutes: past the ramp to the peak, where the real consumer falls behind on the hottest shard.
    const outcome = await streamsimInProcess("calibrate", scenario, "--metrics", exportFile, "--duration", "15m", "--out", out);
    expect(outcome.stderr).toBe("");
    expect(outcome.status).toBe(0);
    expect(outcome.stdout).toMatch(/^agrees {4}IncomingBytes shardId-000000000000: MAPE \d\.\d%/m);
    expect(outcome.stdout).toMatch(/^DISAGREES GetRecords\.IteratorAgeMilliseconds Maximum: /m);
    const calibration = JSON.parse(readFileSync(join(out, "calibration.json"), "utf8"));
    expect(calibration.metrics).toHaveLength(8);
    expect(calibration.findings.map((finding: { subject: string }) => finding.subject)).toEqual(["GetRecords.IteratorAgeMilliseconds Maximum"]);
    const html = readFileSync(join(out, "report.html"), "utf8");
    expect(html.indexOf('<section class="calibration">')).toBeLessThan(html.indexOf('class="verdict"'));
    expect(html).toContain('data-chart="calibration-0"');
    expect(html).toContain("GetRecords.IteratorAgeMilliseconds Maximum: recorded and simulated");
    expect(existsSync(join(out, "charts", "calibration-7.svg"))).toBe(true);
    expect(readFileSync(join(out, "calibration.md"), "utf8")).toContain("7 of 8 recorded series agree with the model within the 10.0% band.");
    // The run's usual files are there too.
    expect(existsSync(join(out, "summary.json"))).toBe(true);
  });

  it("refuses a broken export with file:line:column and runs nothing (exit 2)", async () => {
    const folder = mkdtempSync(join(tmpdir(), "streamsim-calibrate-"));
    const broken = join(folder, "broken.json");
    const line = '    { "Id": "m0", "Label": "IncomingBytes", "Timestamps": ["2026-11-24T09:00:00Z"], "Values": [1], "StatusCode": "PartialData" }';
    writeFileSync(broken, `{\n  "MetricDataResults": [\n${line}\n  ]\n}\n`);
    const outcome = await streamsimInProcess("calibrate", scenario, "--metrics", broken, "--out", join(folder, "out"));
    expect(outcome.status).toBe(2);
    expect(outcome.stderr).toContain(`${broken}:3:${line.indexOf('"StatusCode"') + 1}: series "IncomingBytes" has StatusCode PartialData`);
    expect(outcome.stderr).toContain("nothing was run");
    expect(existsSync(join(folder, "out"))).toBe(false);
  });

  it("prints calibration.json alone with --json, at the band asked for", async () => {
    const out = join(mkdtempSync(join(tmpdir(), "streamsim-calibrate-")), "out");
    const outcome = await streamsimInProcess("calibrate", scenario, "--metrics", exportFile, "--duration", "5m", "--band", "5%", "--json", "--out", out);
    expect(outcome.status).toBe(0);
    const printed = JSON.parse(outcome.stdout);
    expect(printed.bandFraction).toBe(0.05);
    expect(printed.metrics[0].points).toHaveLength(3);
    expect(outcome.stdout).toBe(readFileSync(join(out, "calibration.json"), "utf8"));
  });

  it("refuses a band that is not a fraction or a percentage", async () => {
    const outcome = await streamsimInProcess("calibrate", scenario, "--metrics", exportFile, "--band", "lots");
    expect(outcome.status).toBe(2);
    expect(outcome.stderr).toContain('expected a band such as 10% or 0.1, found "lots"');
  });
});
