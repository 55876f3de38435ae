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
      [["--count-by", "bytes"], "--count-by, --size-column and --value-column apply to a trace: add --key-column NAME"],
      [["--key-column", "merchant", "--size-column", "bytes"], "--size-column and --value-column apply to --count-by bytes only"],
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
  });
});
