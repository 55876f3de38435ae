import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { keyFileMessages as msg, parseKeyFile, readKeyFile } from "../../../sim/workload/keys/index.ts";

const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

describe("parseKeyFile, lines format", () => {
  it("keeps keys byte-exact: commas, quotes, spaces, Unicode", () => {
    const text = 'a,b\n"quoted"\n trailing  \n사용자-1\nü-key\n東京\n';
    const result = parseKeyFile(text, "keys.txt");
    expect(result.keys).toEqual(["a,b", '"quoted"', " trailing  ", "사용자-1", "ü-key", "東京"]);
    expect(result.counts).toBeNull();
    expect(result.issues).toEqual([]);
  });

  it("does not normalise Unicode", () => {
    const composed = "\u00fc"; // ü as one code point
    const decomposed = "u\u0308"; // u + combining diaeresis
    expect(parseKeyFile(`${composed}\n${decomposed}`, "k").keys).toEqual([composed, decomposed]);
  });

  it("removes CRLF or LF terminators only, without a final empty key", () => {
    expect(parseKeyFile("a\r\nb\nc\r\n", "k").keys).toEqual(["a", "b", "c"]);
    expect(parseKeyFile("a\r\nb", "k").keys).toEqual(["a", "b"]);
    expect(parseKeyFile("a\rb\n", "k").keys).toEqual(["a\rb"]); // a lone CR is not a terminator
  });

  it("reports empty and too-long keys with their line numbers and skips them", () => {
    const long = "x".repeat(257);
    const result = parseKeyFile(`a\n\nb\r\n\r\n${long}\nc\n`, "keys.txt");
    expect(result.keys).toEqual(["a", "b", "c"]);
    expect(result.issues).toEqual([
      { line: 2, message: msg.emptyKey() },
      { line: 4, message: msg.emptyKey() },
      { line: 5, message: msg.keyTooLong(257) },
    ]);
  });

  it("counts key length in code points", () => {
    const astral = "😀".repeat(256); // 512 UTF-16 code units, 256 code points
    expect(parseKeyFile(astral, "k").issues).toEqual([]);
    expect(parseKeyFile("x".repeat(256), "k").issues).toEqual([]);
    expect(parseKeyFile(`ok\n${astral}x`, "k").issues).toEqual([{ line: 2, message: msg.keyTooLong(257) }]);
  });

  it("takes a caller's key-length limit: Infinity keeps long keys (Kafka has no 256-character limit)", () => {
    const long = "k".repeat(300);
    expect(parseKeyFile(`a\n${long}\n`, "k", { keyCharsMax: Number.POSITIVE_INFINITY })).toEqual({ keys: ["a", long], counts: null, rowKeyIndexes: Int32Array.from([0, 1]), issues: [] });
    expect(parseKeyFile(`a\n${long}\n`, "k.csv", { format: "lines" }).issues).toEqual([{ line: 2, message: msg.keyTooLong(300) }]);
    expect(parseKeyFile("key\nabc\nab\n", "k.txt", { format: "csv", keyCharsMax: 2 })).toEqual({
      keys: ["ab"],
      counts: null,
      rowKeyIndexes: Int32Array.from([0]),
      issues: [{ line: 2, message: msg.keyTooLong(3, 2) }],
    });
  });

  it("merges duplicates: each occurrence counts 1", () => {
    const result = parseKeyFile("a\nb\na\na\n", "keys.txt");
    expect(result.keys).toEqual(["a", "b"]);
    expect(Array.from(result.counts!)).toEqual([3, 1]);
    // Each accepted row keeps its key's index, in input order.
    expect(Array.from(result.rowKeyIndexes)).toEqual([0, 1, 0, 0]);
  });

  it("reports an empty file", () => {
    expect(parseKeyFile("", "keys.txt")).toEqual({ keys: [], counts: null, rowKeyIndexes: new Int32Array(0), issues: [{ line: 1, message: msg.noKeys() }] });
  });

  it("treats .csv content as lines when asked", () => {
    expect(parseKeyFile("key\na,b\n", "keys.csv", { format: "lines" }).keys).toEqual(["key", "a,b"]);
  });
});

describe("parseKeyFile, CSV format", () => {
  it("reads quoted fields with commas, escaped quotes and embedded newlines", () => {
    const text = ['key,count', '"a,b",2', '"say ""hi""",1', '"two\nlines",4', '"cr\r\nlf",1', "plain,", "last,0.5"].join("\r\n");
    const result = parseKeyFile(text, "KEYS.CSV");
    expect(result.keys).toEqual(["a,b", 'say "hi"', "two\nlines", "cr\r\nlf", "plain", "last"]);
    expect(Array.from(result.counts!)).toEqual([2, 1, 4, 1, 1, 0.5]);
    expect(result.issues).toEqual([]);
  });

  it("keeps line numbers right after embedded newlines", () => {
    const text = 'key,count\n"multi\nline\nkey",1\n,2\nok,-1\n';
    const result = parseKeyFile(text, "k.csv");
    expect(result.keys).toEqual(["multi\nline\nkey"]);
    expect(result.issues).toEqual([
      { line: 5, message: msg.emptyKey() },
      { line: 6, message: msg.badCount("-1") },
    ]);
  });

  it("accepts partition_key / partitionKey columns, in any position", () => {
    expect(parseKeyFile("id,partition_key\n1,a\n2,b\n", "k.csv").keys).toEqual(["a", "b"]);
    expect(parseKeyFile("partitionKey\na\n", "k.csv").keys).toEqual(["a"]);
    expect(parseKeyFile("key\na\n", "data.txt", { format: "csv" }).keys).toEqual(["a"]);
  });

  it("merges duplicate keys by adding their counts", () => {
    const result = parseKeyFile("key,count\na,2\nb,1\na,3\n", "k.csv");
    expect(result.keys).toEqual(["a", "b"]);
    expect(Array.from(result.counts!)).toEqual([5, 1]);
  });

  it("returns null counts when every row weighs 1", () => {
    expect(parseKeyFile("key\na\nb\n", "k.csv").counts).toBeNull();
  });

  it("reports a missing key column on line 1", () => {
    const result = parseKeyFile("name,count\na,1\n", "k.csv");
    expect(result.keys).toEqual([]);
    expect(result.issues[0]).toEqual({ line: 1, message: msg.missingKeyColumn(["name", "count"]), header: true });
  });

  it("reports bad counts, wrong field counts and broken quotes with their lines", () => {
    const text = 'key,count\na,abc\nb,1,extra\nc,1e3\n"d"x,1\ne,Infinity\n"open,1\n';
    const result = parseKeyFile(text, "k.csv");
    expect(result.keys).toEqual(["c"]);
    expect(Array.from(result.counts!)).toEqual([1000]);
    expect(result.issues).toEqual([
      { line: 2, message: msg.badCount("abc") },
      { line: 3, message: msg.fieldCount(2, 3) },
      { line: 5, message: msg.textAfterQuote() },
      { line: 6, message: msg.badCount("Infinity") },
      { line: 7, message: msg.unterminatedQuote() },
    ]);
  });

  it("reports a file whose counts are all zero", () => {
    expect(parseKeyFile("key,count\na,0\n", "k.csv").issues).toEqual([{ line: 1, message: msg.zeroTotal() }]);
  });
});

describe("readKeyFile", () => {
  it("strips a UTF-8 BOM in lines format", () => {
    const result = readKeyFile(fixture("bom-lines.txt"));
    expect(result.keys).toEqual(["사용자-1", "ü-key", "東京 "]);
    expect(result.issues).toEqual([]);
  });

  it("strips a UTF-8 BOM before the CSV header", () => {
    const result = readKeyFile(fixture("bom-keys.csv"));
    expect(result.keys).toEqual(["a,b", 'say "hi"', "plain"]);
    expect(Array.from(result.counts!)).toEqual([3, 1, 2]);
    expect(result.issues).toEqual([]);
  });

  it("reports invalid UTF-8 with its line", () => {
    const result = readKeyFile(fixture("bad-utf8.txt"));
    expect(result.issues).toEqual([{ line: 2, message: msg.invalidUtf8() }]);
  });
});
