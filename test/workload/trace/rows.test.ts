import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { parseIsoUs, parseTraceTime, scanTrace, TraceFileRefused, TraceRows, TRACE_LINE_CHARS_MAX, type TraceFormat } from "../../../sim/workload/trace/index.ts";

const dir = mkdtempSync(join(tmpdir(), "trace-rows-"));
let n = 0;
function file(content: string | Buffer, ext = ".csv"): string {
  const path = join(dir, `t${n++}${ext}`);
  writeFileSync(path, content);
  return path;
}
const csv: TraceFormat = { format: "csv", columns: { time: "ts", key: "key", size: "size", value: null }, timeFormat: "iso8601" };

function readAll(path: string, format: TraceFormat = csv) {
  const rows = new TraceRows(path, format);
  const out: Array<[number, string, number, number]> = [];
  while (rows.next()) out.push([rows.timeUs, rows.key, rows.sizeBytes, rows.line]);
  rows.close();
  return { out, issues: rows.issues };
}

describe("trace timestamps", () => {
  it("parses ISO 8601 to the microsecond, with offsets, and agrees with Date.parse to the millisecond", () => {
    expect(parseIsoUs("2026-12-06T10:00:00Z")).toBe(Date.parse("2026-12-06T10:00:00Z") * 1000);
    expect(parseIsoUs("2026-12-06T10:00:00.123456Z")).toBe(Date.parse("2026-12-06T10:00:00.123Z") * 1000 + 456);
    expect(parseIsoUs("2026-12-06 10:00:00.5")).toBe(Date.parse("2026-12-06T10:00:00.500Z") * 1000);
    expect(parseIsoUs("2026-12-06T11:30:00+01:30")).toBe(Date.parse("2026-12-06T10:00:00Z") * 1000);
    expect(parseIsoUs("2024-02-29T23:59:59.9999999Z")).toBe(Date.parse("2024-02-29T23:59:59.999Z") * 1000 + 999);
    for (const bad of ["2026-02-30T00:00:00Z", "2026-12-06", "2026-12-06T25:00:00Z", "2026-12-06T10:00:00Q", "2026-12-06T10:00:00."]) expect(parseIsoUs(bad)).toBeNaN();
  });

  it("reads epoch milliseconds and microseconds as stated", () => {
    expect(parseTraceTime("1764979200000", "epoch-ms")).toBe(1764979200000000);
    expect(parseTraceTime("1764979200000.5", "epoch-ms")).toBe(1764979200000500);
    expect(parseTraceTime("1764979200000123", "epoch-us")).toBe(1764979200000123);
    expect(parseTraceTime("12e3", "epoch-ms")).toBeNaN();
  });
});

describe("TraceRows", () => {
  it("reads CSV with quoted fields, CRLF, blank lines and columns in any order", () => {
    const path = file('size,key,ts\r\n10,"a,b",2026-12-06T10:00:00Z\r\n\r\n20,"say ""hi""",2026-12-06T10:00:01Z\r\n');
    expect(readAll(path).out).toEqual([
      [parseIsoUs("2026-12-06T10:00:00Z"), "a,b", 10, 2],
      [parseIsoUs("2026-12-06T10:00:01Z"), 'say "hi"', 20, 4],
    ]);
  });

  it("reports bad rows with their line and skips them", () => {
    const path = file("ts,key,size\n2026-12-06T10:00:00Z,a,10\nnot-a-time,b,1\n2026-12-06T10:00:00Z,,1\n2026-12-06T10:00:00Z,c,0\n2026-12-06T10:00:00Z,d\n2026-12-06T10:00:00Z,\"e,1\n2026-12-06T10:00:00Z,f,7\n");
    const { out, issues } = readAll(path);
    expect(out.map((row) => row[1])).toEqual(["a", "f"]);
    expect(issues.map((issue) => issue.line)).toEqual([3, 4, 5, 6, 7]);
    expect(issues[0].message).toContain('timestamp "not-a-time" is not an ISO 8601 time');
    expect(issues[2].message).toContain("whole number of bytes");
    expect(issues[3].message).toBe("expected 3 fields, found 2");
  });

  it("stops at a header without the named columns", () => {
    const { out, issues } = readAll(file("time,key,size\n2026-12-06T10:00:00Z,a,1\n"));
    expect(out).toEqual([]);
    expect(issues).toEqual([{ line: 1, message: 'CSV header has no time column "ts" (found "time", "key", "size")', fatal: true }]);
  });

  it("reads JSON Lines with epoch numbers and values whose UTF-8 length is the size", () => {
    const format: TraceFormat = { format: "jsonl", columns: { time: "t", key: "k", size: null, value: "v" }, timeFormat: "epoch-ms" };
    const path = file('{"t":1764979200000,"k":"a","v":"héllo"}\n{"t":1764979200001,"k":42,"v":{"x":1}}\n[1]\n{"t":1,"k":"b"}\n', ".jsonl");
    const { out, issues } = readAll(path, format);
    expect(out).toEqual([
      [1764979200000000, "a", 6, 1],
      [1764979200001000, "42", 7, 2],
    ]);
    expect(issues.map((issue) => [issue.line, issue.message])).toEqual([
      [3, "not a JSON object: found an array"],
      [4, 'no value field "v"'],
    ]);
  });

  it("inflates gzip in steps, across members and chunk boundaries, byte for byte", () => {
    const body = Array.from({ length: 40_000 }, (_, i) => `2026-12-06T10:00:${String(i % 60).padStart(2, "0")}Z,key-${i % 97},${1 + (i % 13)}`);
    const text = `ts,key,size\n${body.join("\n")}\n`;
    const half = text.indexOf("\n", text.length / 2) + 1;
    const path = file(Buffer.concat([gzipSync(text.slice(0, half)), gzipSync(text.slice(half))]), ".csv.gz");
    const rows = new TraceRows(path, csv);
    let count = 0;
    let sizes = 0;
    while (rows.next()) {
      count++;
      sizes += rows.sizeBytes;
    }
    expect(rows.gzip).toBe(true);
    expect(rows.issues).toEqual([]);
    expect(count).toBe(40_000);
    expect(sizes).toBe(body.reduce((sum, line) => sum + Number(line.split(",")[2]), 0));
  });

  it("refuses damaged gzip and gzip cut short", () => {
    const whole = gzipSync("ts,key,size\n2026-12-06T10:00:00Z,a,1\n".repeat(1000));
    const cut = file(whole.subarray(0, whole.length - 20), ".gz");
    expect(() => readAll(cut)).toThrow(/unexpected end of file/);
    const damaged = Buffer.from(whole);
    damaged[20] ^= 0xff;
    damaged[30] ^= 0xff;
    expect(() => readAll(file(damaged, ".gz"))).toThrow(TraceFileRefused);
  });

  it("refuses a FIFO without blocking, and a folder", () => {
    const fifo = join(dir, "fifo.csv");
    execFileSync("mkfifo", [fifo]);
    expect(() => new TraceRows(fifo, csv)).toThrow(/not a regular file/);
    expect(() => new TraceRows(dir, csv)).toThrow();
  });

  it("ends the file at an over-long line and at invalid UTF-8, naming the line", () => {
    const long = readAll(file(`ts,key,size\n2026-12-06T10:00:00Z,a,1\n${"x".repeat(TRACE_LINE_CHARS_MAX + 10)}\n2026-12-06T10:00:00Z,b,1\n`));
    expect(long.out.length).toBe(1);
    expect(long.issues).toEqual([{ line: 3, message: expect.stringContaining("longer than"), fatal: true }]);
    const bad = readAll(file(Buffer.concat([Buffer.from("ts,key,size\n2026-12-06T10:00:00Z,a,1\n2026-12-06T10:00:00Z,"), Buffer.from([0xff, 0xfe]), Buffer.from(",1\n")])));
    expect(bad.issues[0]).toMatchObject({ message: expect.stringContaining("not valid UTF-8"), fatal: true });
  });
});

describe("scanTrace", () => {
  it("writes durations in its messages with the project's duration form (0s, not 0us)", () => {
    const path = file("ts,key,size\n2026-12-06T10:00:01.5Z,a,1\n2026-12-06T10:00:00Z,b,1\n");
    const scan = scanTrace(path, csv, { startUs: null, endUs: null, reorderWindowUs: 0 });
    expect(scan.issues).toEqual([{ line: 3, message: "timestamp is 1.5s before the one on line 2, beyond the reorder window of 0s (raise trace.reorderWindow or sort the trace)" }]);
  });

  it("accepts rows out of order within the reorder window and reports those beyond it with their line", () => {
    const path = file("ts,key,size\n2026-12-06T10:00:01Z,a,1\n2026-12-06T10:00:00.95Z,b,1\n2026-12-06T10:00:00.5Z,c,1\n2026-12-06T10:00:02Z,a,3\n");
    const scan = scanTrace(path, csv, { startUs: null, endUs: null, reorderWindowUs: 100_000 });
    expect(scan.issues).toEqual([{ line: 4, message: "timestamp is 500ms before the one on line 2, beyond the reorder window of 100ms (raise trace.reorderWindow or sort the trace)" }]);
    expect(scan.keys).toEqual(["a", "b"]);
    expect([...scan.recordsByKey]).toEqual([2, 1]);
    expect([...scan.bytesByKey]).toEqual([4, 1]);
    expect(scan.firstUs).toBe(parseIsoUs("2026-12-06T10:00:00.95Z"));
  });

  it("keeps at most 100 issues of a file of bad rows and counts the rest", () => {
    const path = file(`ts,key,size\n${"bad,a,1\n".repeat(5000)}`);
    const scan = scanTrace(path, csv, { startUs: null, endUs: null, reorderWindowUs: 0 });
    expect(scan.issues.length).toBe(102);
    expect(scan.issues[100].message).toContain("no records");
    expect(scan.issues[101].message).toBe("4900 more issues not shown");
  });
});
