// The CloudWatch export parser (sim/metrics/cloudwatch.ts): the shapes `aws cloudwatch get-metric-data`
// and `get-metric-statistics` print (docs/reference.md §10), a two-column CSV, and the problems of
// each with line and column.

import { describe, expect, it } from "vitest";
import { parseRecordedMetrics } from "../../sim/metrics/index.ts";

const metricData = JSON.stringify(
  {
    MetricDataResults: [
      {
        Id: "m0",
        Label: "IncomingRecords",
        // The CLI's default ScanBy is TimestampDescending: newest first, and a period without data left out.
        Timestamps: ["2026-11-24T09:04:00+00:00", "2026-11-24T09:02:00+00:00", "2026-11-24T09:01:00+00:00", "2026-11-24T09:00:00+00:00"],
        Values: [400, 200, 100, 50],
        StatusCode: "Complete",
      },
      { Id: "m1", Label: "GetRecords.IteratorAgeMilliseconds Maximum", Timestamps: ["2026-11-24T09:00:00Z"], Values: [1200], StatusCode: "Complete" },
    ],
    Messages: [],
  },
  null,
  2,
);

describe("get-metric-data output", () => {
  it("gives each result in time order with its period (the smallest step) and the statistic its label ends in", () => {
    const file = parseRecordedMetrics(metricData, "export.json");
    expect(file.issues).toEqual([]);
    expect(file.format).toBe("get-metric-data");
    const [records, age] = file.series;
    expect(records.label).toBe("IncomingRecords");
    expect(records.id).toBe("m0");
    expect(records.values).toEqual([50, 100, 200, 400]);
    expect(records.timesMs[0]).toBe(Date.parse("2026-11-24T09:00:00Z"));
    expect(records.periodMs).toBe(60_000);
    expect(records.statistic).toBeNull();
    expect(age.statistic).toBe("Maximum");
    expect(age.periodMs).toBeNull();
  });

  it("refuses an incomplete export (PartialData), pointing at its line", () => {
    const text = metricData.replace('"StatusCode": "Complete"', '"StatusCode": "PartialData"');
    const file = parseRecordedMetrics(text, "export.json");
    expect(file.issues).toHaveLength(1);
    expect(file.issues[0].message).toContain("PartialData");
    expect(file.issues[0].line).toBe(text.split("\n").findIndex((line) => line.includes('"PartialData"')) + 1);
  });

  it("says where JSON syntax breaks, and when Timestamps and Values differ in length", () => {
    const broken = parseRecordedMetrics('{\n  "MetricDataResults": [\n    {"Id": "m0",, }\n  ]\n}', "x.json");
    expect(broken.issues[0].line).toBe(3);
    expect(broken.issues[0].message).toMatch(/^not valid JSON/);
    const uneven = parseRecordedMetrics(metricData.replace(/("Values": \[\s*)400,/, "$1400, 1,"), "x.json");
    expect(uneven.issues.map((issue) => issue.message)).toEqual(['series "IncomingRecords": 4 Timestamps but 5 Values']);
    expect(parseRecordedMetrics('{"Label": "x"}', "x.json").issues[0].message).toContain("get-metric-data");
  });

  it("refuses two points at one time", () => {
    const text = JSON.stringify({ MetricDataResults: [{ Id: "m0", Label: "IncomingBytes", Timestamps: ["2026-11-24T09:00:00Z", "2026-11-24T09:00:00Z"], Values: [1, 2] }] });
    expect(parseRecordedMetrics(text, "x.json").issues[0].message).toBe('series "IncomingBytes" has two points at 2026-11-24T09:00:00.000Z');
  });
});

describe("get-metric-statistics output", () => {
  it("gives one series per statistic every datapoint carries, in time order", () => {
    const text = JSON.stringify({
      Label: "IncomingBytes",
      Datapoints: [
        { Timestamp: "2026-11-24T09:05:00+00:00", Sum: 600, Average: 3, Unit: "Bytes" },
        { Timestamp: "2026-11-24T09:00:00+00:00", Sum: 300, Average: 2, Unit: "Bytes" },
      ],
    });
    const file = parseRecordedMetrics(text, "stats.json");
    expect(file.issues).toEqual([]);
    expect(file.format).toBe("get-metric-statistics");
    expect(file.series.map((series) => [series.statistic, series.values, series.periodMs])).toEqual([
      ["Sum", [300, 600], 300_000],
      ["Average", [2, 3], 300_000],
    ]);
  });

  it("refuses datapoints without a statistic, and a timestamp without a zone", () => {
    expect(parseRecordedMetrics(JSON.stringify({ Label: "x", Datapoints: [{ Timestamp: "2026-11-24T09:00:00Z", Unit: "Count" }] }), "s.json").issues[0].message).toContain("Sum");
    expect(parseRecordedMetrics(JSON.stringify({ Label: "x", Datapoints: [{ Timestamp: "2026-11-24 09:00", Sum: 1 }] }), "s.json").issues[0].message).toContain("ISO 8601");
  });
});

describe("two-column CSV", () => {
  it("reads calendar times or seconds from the start of the run", () => {
    const calendar = parseRecordedMetrics("time,records\n2026-11-24T09:01:00Z,20\n2026-11-24T09:00:00Z,10\n", "h.csv");
    expect(calendar.series[0]).toMatchObject({ label: "records", timeBase: "epoch", values: [10, 20], periodMs: 60_000 });
    const relative = parseRecordedMetrics("second,count\r\n0,5\r\n30,7\r\n", "h.csv");
    expect(relative.series[0]).toMatchObject({ timeBase: "run", timesMs: [0, 30_000], values: [5, 7] });
  });

  it("points at the bad line and column", () => {
    const file = parseRecordedMetrics("time,value\n0,5\n60,five\n120,1,2\n", "h.csv");
    expect(file.issues).toEqual([
      { line: 3, column: 4, message: 'expected a number, found "five"' },
      { line: 4, column: 1, message: "expected 2 columns (time,value), found 3" },
    ]);
    expect(parseRecordedMetrics("time,value\n0,1\n2026-11-24T09:00:00Z,2\n", "h.csv").issues[0].message).toContain("not both");
    expect(parseRecordedMetrics("time\n", "h.csv").issues[0].message).toContain("header");
    expect(parseRecordedMetrics("time,value\n", "h.csv").issues[0].message).toBe("holds no data points");
  });
});
