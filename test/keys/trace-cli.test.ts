// `streamsim keys --file TRACE --key-column ...`: the key lab on a trace, the file a scenario replays.

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { streamsimInProcess } from "../support/cli.ts";

const directory = mkdtempSync(join(tmpdir(), "streamsim-keys-trace-"));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

function fileWith(name: string, content: string | Buffer): string {
  const path = join(directory, name);
  writeFileSync(path, content);
  return path;
}

const csv = "ts,merchant,bytes,payload\n2026-12-06T10:00:00Z,m1,300,abc\n2026-12-06T10:00:01Z,m2,100,é\n2026-12-06T10:00:02Z,m1,100,x\nbad-row\n2026-12-06T10:00:03Z,,5,y\n";

describe("streamsim keys on a trace", () => {
  it("weighs keys by records or by bytes (a size column or a value's UTF-8 length), gzip or not", async () => {
    const gz = fileWith("t.csv.gz", gzipSync(csv));
    const records = await streamsimInProcess("keys", "--file", gz, "--key-column", "merchant", "--kinesis-shards", "1", "--json");
    expect(records.status).toBe(0);
    const byRecords = JSON.parse(records.stdout);
    expect(byRecords.distinctKeys).toBe(2);
    expect(byRecords.source).toContain("weighted by records");
    expect(byRecords.skippedRows).toEqual([
      { line: 5, message: "expected 4 fields, found 1" },
      { line: 6, message: "empty key (partition keys need 1 to 256 characters)" },
    ]);
    expect(records.stderr).toContain(`${gz}:5: expected 4 fields, found 1 (row skipped)`);
    const topShare = (out: { kinesis: { hottest: Array<{ topKeys: Array<{ key: string; trafficShare: number }> }> } }) => out.kinesis.hottest[0].topKeys[0];
    expect(topShare(byRecords)).toEqual({ key: "m1", trafficShare: 0.666667 });
    const bytes = JSON.parse((await streamsimInProcess("keys", "--file", gz, "--key-column", "merchant", "--count-by", "bytes", "--size-column", "bytes", "--kinesis-shards", "1", "--json")).stdout);
    expect(topShare(bytes)).toEqual({ key: "m1", trafficShare: 0.8 });
    const values = JSON.parse((await streamsimInProcess("keys", "--file", fileWith("t.csv", csv), "--key-column", "merchant", "--count-by", "bytes", "--value-column", "payload", "--kinesis-shards", "1", "--json")).stdout);
    expect(topShare(values)).toEqual({ key: "m1", trafficShare: 0.666667 });
  });

  it("reads JSON Lines", async () => {
    const jsonl = fileWith("t.jsonl", '{"k":"a"}\n{"k":"b"}\n{"k":"a"}\n');
    const out = await streamsimInProcess("keys", "--file", jsonl, "--key-column", "k", "--kafka-partitions", "3", "--json");
    expect(out.status).toBe(0);
    expect(JSON.parse(out.stdout).distinctKeys).toBe(2);
  });

  it("answers bad combinations and a header without the column with exit 2", async () => {
    const path = fileWith("h.csv", csv);
    const cases: Array<[string[], string]> = [
      [["--count-by", "bytes"], "--count-by, --size-column, --value-column, --time-column and --time-format apply to a trace: add --key-column NAME"],
      [["--time-column", "ts"], "--count-by, --size-column, --value-column, --time-column and --time-format apply to a trace: add --key-column NAME"],
      [["--key-column", "merchant", "--time-column", "when"], `${path}:1: CSV header has no time column "when" (found "ts", "merchant", "bytes", "payload")`],
      [["--key-column", "merchant", "--format", "lines"], "--key-column reads a trace (csv or jsonl), not --format lines"],
      [["--format", "jsonl"], "--format jsonl reads a trace: add --key-column NAME"],
      [["--key-column", "tenant"], `${path}:1: CSV header has no key column "tenant" (found "ts", "merchant", "bytes", "payload")`],
    ];
    for (const [flags, message] of cases) {
      const out = await streamsimInProcess("keys", "--file", path, ...flags, "--kinesis-shards", "2");
      expect(out.status, flags.join(" ")).toBe(2);
      expect(out.stderr).toContain(`streamsim keys: ${message}\n`);
    }
    const countBy = await streamsimInProcess("keys", "--file", path, "--key-column", "merchant", "--count-by", "rows", "--kinesis-shards", "2");
    expect(countBy.status).toBe(2);
    expect(countBy.stderr).toContain('expected records or bytes, found "rows"');
    const timeFormat = await streamsimInProcess("keys", "--file", path, "--key-column", "merchant", "--time-format", "unix", "--kinesis-shards", "2");
    expect(timeFormat.status).toBe(2);
    expect(timeFormat.stderr).toContain('expected iso8601, epoch-ms or epoch-us, found "unix"');
  });
});

describe("streamsim keys: the load of a trace", () => {
  // 4 records over 4 s (rate (4 - 1) / 4 s = 0.75 records/s, as a looped replay keeps); mean size 2,010 B.
  const trace = "timestamp,key,size\n2026-12-06T10:00:00Z,a,3010\n2026-12-06T10:00:01Z,b,1010\n2026-12-06T10:00:02Z,a,3010\n2026-12-06T10:00:04Z,c,1010\n";

  it("takes the record sizes from the trace unless --record-size is given, and says so", async () => {
    const path = fileWith("load.csv", trace);
    const out = await streamsimInProcess("keys", "--file", path, "--key-column", "key", "--kinesis-shards", "1", "--rate", "1500 records/s");
    expect(out.status).toBe(0);
    expect(out.stdout).toContain(
      "- Load: 1,500 records/s (as given) of 2,010 B on average (the trace's size column size; each key's bytes are its own records' sizes), plus each record's partition key",
    );
    const json = JSON.parse((await streamsimInProcess("keys", "--file", path, "--key-column", "key", "--kinesis-shards", "1", "--rate", "1500 records/s", "--json")).stdout);
    // Its busiest second (3,010 B, 1.5 records of the mean size) is 2x the average of 0.75 records/s, but
    // within chance at so low a rate: not a burst.
    expect(json.load).toEqual({
      recordsPerSecond: 1500,
      recordSizeBytes: 2010,
      keyBytesIncluded: true,
      rateFrom: "flag",
      recordSizeFrom: "trace",
      peakSecond: { startsAt: "2026-12-06T10:00:00Z", recordsPerSecond: 1.498, by: "bytes", averageRecordsPerSecond: 0.75, timesAverage: 1.997, burst: false },
    });
    // Every record is its size plus its 1-byte key: 1,500 x 2,011 B/s on the one shard.
    expect(json.kinesis.shards[0].bytesPerSecond).toBe(1500 * 2011);
    const given = JSON.parse((await streamsimInProcess("keys", "--file", path, "--key-column", "key", "--kinesis-shards", "1", "--rate", "1500 records/s", "--record-size", "512B", "--json")).stdout);
    expect(given.load).toMatchObject({ recordSizeBytes: 512, recordSizeFrom: "flag" });
    expect(given.kinesis.shards[0].bytesPerSecond).toBe(1500 * 513);
    // A byte rate is divided by the trace's mean size.
    const bytes = JSON.parse((await streamsimInProcess("keys", "--file", path, "--key-column", "key", "--kinesis-shards", "1", "--rate", "3.015MB/s", "--json")).stdout);
    expect(bytes.load.recordsPerSecond).toBe(1500);
  });

  it("defaults the rate to the trace's own, and without usable timestamps or sizes falls back and says so", async () => {
    const path = fileWith("rate.csv", trace);
    const out = await streamsimInProcess("keys", "--file", path, "--key-column", "key", "--kinesis-shards", "1");
    expect(out.stdout).toContain("- Load: 0.8 records/s (the trace's own rate: 4 records with 4.00 s from the first timestamp to the last, column timestamp) of 2,010 B on average");
    const json = JSON.parse((await streamsimInProcess("keys", "--file", path, "--key-column", "key", "--kinesis-shards", "1", "--json")).stdout);
    expect(json.load).toMatchObject({ recordsPerSecond: 0.75, rateFrom: "trace" });
    // The first file has neither a timestamp nor a size column: no rate, and the default size with a rate.
    const plain = fileWith("plain.csv", csv);
    const none = await streamsimInProcess("keys", "--file", plain, "--key-column", "merchant", "--kinesis-shards", "1");
    expect(none.stdout).toContain("No rate given (--rate or --records-per-second; the trace has no usable timestamps for its own rate, --time-column names them)");
    const sized = await streamsimInProcess("keys", "--file", plain, "--key-column", "merchant", "--kinesis-shards", "1", "--rate", "10 records/s");
    expect(sized.stdout).toContain("of 1KiB each (the default: the trace gives no sizes; --size-column or --value-column names them)");
    const named = JSON.parse((await streamsimInProcess("keys", "--file", plain, "--key-column", "merchant", "--size-column", "bytes", "--time-column", "ts", "--kinesis-shards", "1", "--json")).stdout);
    // 3 good rows from 10:00:00 to 10:00:02 (the bad rows are skipped), 500 B: 1 record/s of 167 B.
    expect(named.load).toMatchObject({ recordsPerSecond: 1, recordSizeBytes: 167, rateFrom: "trace", recordSizeFrom: "trace" });
    // --kafka-broker needs a rate: a trace's own serves; a trace without timestamps still needs one given.
    const broker = ["--kafka-partitions", "2", "--kafka-broker", "kafka.m5.large"];
    expect((await streamsimInProcess("keys", "--file", path, "--key-column", "key", ...broker)).status).toBe(0);
    const noRate = await streamsimInProcess("keys", "--file", plain, "--key-column", "merchant", ...broker);
    expect(noRate.status).toBe(2);
    expect(noRate.stderr).toContain("--kafka-broker needs --kafka-partitions and a rate (--rate or --records-per-second, or a trace's timestamps)");
  });

  it("words --count-by bytes one way: bytes in the title and the overview", async () => {
    const out = await streamsimInProcess("keys", "--file", fileWith("w.csv", trace), "--key-column", "key", "--count-by", "bytes", "--kinesis-shards", "1");
    expect(out.stdout).toContain("weighted by bytes (size column size))");
    expect(out.stdout).toContain("- 3 distinct keys; traffic weighted by each key's bytes in the trace.");
    expect(out.stdout).not.toContain("each key's count");
  });
});
