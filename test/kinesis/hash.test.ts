// Kinesis key hashing and hash ranges: the shared partitioning vectors, the documented example and
// the AWS CLI's 3-shard stream, range tiling for many shard counts, routing at range boundaries,
// the SplitShard/MergeShards rules and ExplicitHashKey parsing.

import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  HashRouter,
  evenHashRanges,
  evenShardCountMax,
  hashKeyMax,
  keyHashToFraction,
  mergeHashRanges,
  midpointHashKey,
  parseExplicitHashKey,
  partitionKeyHash,
  shardIdOf,
  shardIndexMax,
  splitHashRange,
  type HashRange,
} from "../../sim/kinesis/hash.ts";
import { shardIndexOfKey } from "../support/kinesis-shard.ts";
import { readPartitioningVectors } from "../support/vectors.ts";

const two128 = 1n << 128n;

function evenRouter(shardCount: number): HashRouter {
  return new HashRouter(evenHashRanges(shardCount).map((range, shardIndex) => ({ range, shardIndex })));
}

const { header, vectors } = readPartitioningVectors();

describe("partitioning vectors", () => {
  it("reads 24 well-formed rows, Unicode keys intact", () => {
    expect(header).toBe("key,kinesis_shards,kinesis_shard,kafka_partitions,kafka_partition");
    expect(vectors).toHaveLength(24);
    for (const v of vectors) {
      expect(Number.isInteger(v.kinesisShards) && v.kinesisShards >= 1).toBe(true);
      expect(Number.isInteger(v.kinesisShard) && v.kinesisShard >= 0 && v.kinesisShard < v.kinesisShards).toBe(true);
    }
    // Escapes pin the exact code points: the file's "ü-key" is decomposed (u + U+0308, NFD).
    const unicodeKeys = ["\uc0ac\uc6a9\uc790-1", "u\u0308-key", "\u6771\u4eac", "\u03a9-omega"];
    expect(vectors.map((v) => v.key)).toEqual(expect.arrayContaining(unicodeKeys));
  });

  it("hashes keys byte-exact, never normalised: the NFC form of u\u0308-key lands elsewhere", () => {
    const decomposed = vectors.find((v) => v.key === "u\u0308-key")!;
    const router = evenRouter(decomposed.kinesisShards);
    expect(router.shardFor(partitionKeyHash(decomposed.key))).toBe(2);
    expect(router.shardFor(partitionKeyHash(decomposed.key.normalize("NFC")))).toBe(6);
  });

  it.each(vectors)("$key lands on shard $kinesisShard of $kinesisShards", ({ key, kinesisShards, kinesisShard }) => {
    expect(evenRouter(kinesisShards).shardFor(partitionKeyHash(key))).toBe(kinesisShard);
  });

  // The tests' own shard rule (test/support), which hot-shard tests use instead of the model's router,
  // is right too: otherwise a test and the model could agree on the same mistake.
  it("the tests' independent MD5 range rule puts every key on its reference shard", () => {
    expect(vectors.map((v) => shardIndexOfKey(v.key, v.kinesisShards))).toEqual(vectors.map((v) => v.kinesisShard));
  });
});

describe("partitionKeyHash", () => {
  it("is MD5 read big-endian: the documented example user-1 -> shard 3 of 4", () => {
    const hash = partitionKeyHash("user-1");
    expect(hash).toBe(285573413173782752570879317399258818820n);
    expect(evenRouter(4).shardFor(hash)).toBe(3);
  });

  it("matches the RFC 1321 test suite as big-endian integers", () => {
    expect(partitionKeyHash("")).toBe(0xd41d8cd98f00b204e9800998ecf8427en);
    expect(partitionKeyHash("a")).toBe(0x0cc175b9c0f1b6a831c399e269772661n);
    expect(partitionKeyHash("message digest")).toBe(0xf96b697d7cb7938d525a2f31aaf161d0n);
  });

  it("hashes UTF-8 bytes, as the createHash fallback does", () => {
    for (const key of ["東京", "ü-key", "사용자-1", "emoji-😀", "Ω", "x".repeat(256)]) {
      const viaBuffer = BigInt(`0x${createHash("md5").update(Buffer.from(key, "utf8")).digest("hex")}`);
      expect(partitionKeyHash(key)).toBe(viaBuffer);
    }
    // "ü" precomposed (U+00FC) and decomposed (u + U+0308) are different bytes, so different keys.
    expect(partitionKeyHash("\u00fc")).not.toBe(partitionKeyHash("u\u0308"));
  });

  it("prints its speed (not asserted)", () => {
    const keys = Array.from({ length: 100_000 }, (_, i) => `user-${i}`);
    const startMs = performance.now();
    let xor = 0n;
    for (const key of keys) xor ^= partitionKeyHash(key);
    const elapsedMs = performance.now() - startMs;
    console.log(`partitionKeyHash: ${Math.round((keys.length / elapsedMs) * 1000)} keys/s (100000 keys in ${elapsedMs.toFixed(1)} ms, xor ${xor % 1000n})`);
  });
});

describe("evenHashRanges", () => {
  it("reproduces the AWS CLI documentation's 3-shard stream exactly", () => {
    expect(evenHashRanges(3)).toEqual([
      { start: 0n, end: 113427455640312821154458202477256070484n },
      { start: 113427455640312821154458202477256070485n, end: 226854911280625642308916404954512140969n },
      { start: 226854911280625642308916404954512140970n, end: 340282366920938463463374607431768211455n },
    ]);
  });

  it("N=1 is the whole key space; N=4 steps by 2^126", () => {
    expect(hashKeyMax).toBe(340282366920938463463374607431768211455n);
    expect(evenHashRanges(1)).toEqual([{ start: 0n, end: hashKeyMax }]);
    const step = 85070591730234615865843651857942052864n;
    expect(step).toBe(1n << 126n);
    expect(evenHashRanges(4)).toEqual([0n, 1n, 2n, 3n].map((i) => ({ start: i * step, end: (i + 1n) * step - 1n })));
  });

  it("N=7: the last range takes the remainder 2^128 mod 7", () => {
    const ranges = evenHashRanges(7);
    const step = two128 / 7n;
    for (const range of ranges.slice(0, 6)) expect(range.end - range.start + 1n).toBe(step);
    const last = ranges[6];
    expect(last.start).toBe(6n * step);
    expect(last.end).toBe(hashKeyMax);
    expect(last.end - last.start + 1n).toBe(step + (two128 % 7n));
    expect(two128 % 7n).not.toBe(0n);
  });

  it("tiles the key space for N in 1..200 and a few large N", () => {
    for (const shardCount of [...Array.from({ length: 200 }, (_, i) => i + 1), 1000, 4096, 10_000]) {
      const ranges = evenHashRanges(shardCount);
      expect(ranges).toHaveLength(shardCount);
      expect(ranges[0].start).toBe(0n);
      expect(ranges[shardCount - 1].end).toBe(hashKeyMax);
      for (let i = 0; i < shardCount; i++) {
        if (ranges[i].start > ranges[i].end) throw new Error(`N=${shardCount}: range ${i} is empty`);
        if (i > 0 && ranges[i].start !== ranges[i - 1].end + 1n) throw new Error(`N=${shardCount}: ranges ${i - 1} and ${i} do not touch`);
      }
      expect(() => new HashRouter(ranges.map((range, shardIndex) => ({ range, shardIndex })))).not.toThrow();
    }
  });

  it("rejects a shard count that is not an integer in [1, max]", () => {
    for (const bad of [0, -1, 1.5, Number.NaN, evenShardCountMax + 1]) expect(() => evenHashRanges(bad)).toThrow(RangeError);
  });
});

describe("HashRouter", () => {
  it("routes a range's start and end to its shard and end+1 to the next", () => {
    for (const shardCount of [1, 2, 3, 4, 7, 16, 100, 1000]) {
      const ranges = evenHashRanges(shardCount);
      const router = evenRouter(shardCount);
      ranges.forEach((range, i) => {
        expect(router.shardFor(range.start)).toBe(i);
        expect(router.shardFor(range.end)).toBe(i);
        if (range.start + 1n <= range.end) expect(router.shardFor(range.start + 1n)).toBe(i);
        if (i + 1 < shardCount) expect(router.shardFor(range.end + 1n)).toBe(i + 1);
      });
      expect(router.shardFor(0n)).toBe(0);
      expect(router.shardFor(hashKeyMax)).toBe(shardCount - 1);
    }
  });

  it("accepts entries in any order and any shard indexes, e.g. after a split", () => {
    const [first, second] = evenHashRanges(2);
    const split = splitHashRange(second);
    if ("error" in split) throw new Error(split.error);
    const router = new HashRouter([
      { range: split.upper, shardIndex: 3 },
      { range: first, shardIndex: 0 },
      { range: split.lower, shardIndex: 2 },
    ]);
    expect(router.entries.map((e) => e.shardIndex)).toEqual([0, 2, 3]);
    expect(router.shardFor(first.end)).toBe(0);
    expect(router.shardFor(split.lower.start)).toBe(2);
    expect(router.shardFor(split.lower.end)).toBe(2);
    expect(router.shardFor(split.upper.start)).toBe(3);
    expect(router.shardFor(hashKeyMax)).toBe(3);
  });

  it("rejects hashes outside the key space", () => {
    const router = evenRouter(3);
    expect(() => router.shardFor(-1n)).toThrow(RangeError);
    expect(() => router.shardFor(two128)).toThrow(RangeError);
  });

  it("asserts at construction that the ranges tile the key space", () => {
    const half = 1n << 127n;
    const build = (...entries: [bigint, bigint, number][]) => () =>
      new HashRouter(entries.map(([start, end, shardIndex]) => ({ range: { start, end }, shardIndex })));
    expect(build()).toThrow(/no ranges/);
    expect(build([0n, half - 1n, 0])).toThrow(/stop at/);
    expect(build([0n, half - 2n, 0], [half, hashKeyMax, 1])).toThrow(/gap/);
    expect(build([0n, half, 0], [half, hashKeyMax, 1])).toThrow(/overlaps/);
    expect(build([1n, hashKeyMax, 0])).toThrow(/gap from 0/);
    expect(build([0n, half - 1n, 0], [half, hashKeyMax, 0])).toThrow(/more than one range/);
    expect(build([0n, half - 1n, 0], [half, hashKeyMax, -1])).toThrow(RangeError);
    expect(build([0n, half - 1n, 0], [half, two128, 1])).toThrow(RangeError);
    expect(build([0n, half - 1n, 0], [half, hashKeyMax, 1])).not.toThrow();
  });
});

describe("splitHashRange", () => {
  const whole: HashRange = { start: 0n, end: hashKeyMax };

  it("splits the whole key space into equal halves at 2^127 by default", () => {
    expect(midpointHashKey(whole)).toBe(1n << 127n);
    expect(splitHashRange(whole)).toEqual({
      lower: { start: 0n, end: (1n << 127n) - 1n },
      upper: { start: 1n << 127n, end: hashKeyMax },
    });
  });

  it("gives the upper child the extra key of an odd-sized range", () => {
    expect(splitHashRange({ start: 10n, end: 14n })).toEqual({ lower: { start: 10n, end: 11n }, upper: { start: 12n, end: 14n } });
    expect(splitHashRange({ start: 10n, end: 13n })).toEqual({ lower: { start: 10n, end: 11n }, upper: { start: 12n, end: 13n } });
  });

  it("splits each range of a 3-shard stream into halves that tile it", () => {
    for (const range of evenHashRanges(3)) {
      const split = splitHashRange(range);
      if ("error" in split) throw new Error(split.error);
      expect(split.lower.start).toBe(range.start);
      expect(split.lower.end + 1n).toBe(split.upper.start);
      expect(split.upper.end).toBe(range.end);
      const lowerSize = split.lower.end - split.lower.start + 1n;
      const upperSize = split.upper.end - split.upper.start + 1n;
      expect(upperSize - lowerSize === 0n || upperSize - lowerSize === 1n).toBe(true);
    }
  });

  it("accepts an explicit key from start+2 to end-1", () => {
    const range: HashRange = { start: 100n, end: 200n };
    expect(splitHashRange(range, 102n)).toEqual({ lower: { start: 100n, end: 101n }, upper: { start: 102n, end: 200n } });
    expect(splitHashRange(range, 199n)).toEqual({ lower: { start: 100n, end: 198n }, upper: { start: 199n, end: 200n } });
    expect(splitHashRange(range, 150n)).toEqual({ lower: { start: 100n, end: 149n }, upper: { start: 150n, end: 200n } });
  });

  it("returns the rule as an error for a key outside (start+1, end)", () => {
    const range: HashRange = { start: 100n, end: 200n };
    for (const key of [0n, 99n, 100n, 101n, 200n, 201n, hashKeyMax]) {
      expect(splitHashRange(range, key)).toEqual({
        error: `NewStartingHashKey ${key} must be greater than the parent's StartingHashKey plus one (101) and less than its EndingHashKey (200).`,
      });
    }
  });

  it("returns an error when the default midpoint cannot split a tiny range", () => {
    expect(splitHashRange({ start: 5n, end: 7n })).toEqual({
      error: "Hash range [5, 7] holds 3 keys and cannot be split: each child of SplitShard needs at least 2 keys.",
    });
    expect("error" in splitHashRange({ start: 5n, end: 5n })).toBe(true);
    expect("error" in splitHashRange({ start: 5n, end: 8n })).toBe(false);
  });

  it("asserts that the parent is a well-formed range", () => {
    expect(() => splitHashRange({ start: 10n, end: 9n })).toThrow(RangeError);
    expect(() => splitHashRange({ start: 0n, end: two128 })).toThrow(RangeError);
  });
});

describe("mergeHashRanges", () => {
  it("joins adjacent ranges given in either order", () => {
    const [a, b, c] = evenHashRanges(3);
    expect(mergeHashRanges(a, b)).toEqual({ start: a.start, end: b.end });
    expect(mergeHashRanges(b, a)).toEqual({ start: a.start, end: b.end });
    expect(mergeHashRanges(c, b)).toEqual({ start: b.start, end: hashKeyMax });
  });

  it("undoes a split", () => {
    const range: HashRange = { start: 7n, end: 1000n };
    const split = splitHashRange(range, 500n);
    if ("error" in split) throw new Error(split.error);
    expect(mergeHashRanges(split.upper, split.lower)).toEqual(range);
  });

  it("returns the adjacency rule as an error otherwise", () => {
    const [a, , c] = evenHashRanges(3);
    expect(mergeHashRanges(a, c)).toEqual({
      error: `Hash ranges [${a.start}, ${a.end}] and [${c.start}, ${c.end}] are not adjacent: MergeShards joins only two shards whose ranges touch, one ending just below the other's start.`,
    });
    expect("error" in mergeHashRanges({ start: 0n, end: 10n }, { start: 10n, end: 20n })).toBe(true);
    expect("error" in mergeHashRanges({ start: 0n, end: 10n }, { start: 0n, end: 10n })).toBe(true);
  });
});

describe("parseExplicitHashKey", () => {
  it("reads 0 and decimals without a leading zero up to 2^128-1", () => {
    expect(parseExplicitHashKey("0")).toBe(0n);
    expect(parseExplicitHashKey("1")).toBe(1n);
    expect(parseExplicitHashKey("113427455640312821154458202477256070485")).toBe(113427455640312821154458202477256070485n);
    expect(parseExplicitHashKey("340282366920938463463374607431768211455")).toBe(hashKeyMax);
    expect(parseExplicitHashKey("100000000000000000000000000000000000000")).toBe(10n ** 38n); // 39 digits
  });

  it("rejects leading zeros, values above 2^128-1, more than 39 digits and non-digits", () => {
    for (const bad of [
      "00",
      "01",
      "0340282366920938463463374607431768211455",
      "340282366920938463463374607431768211456", // 2^128
      "999999999999999999999999999999999999999", // 39 digits, too large
      "1000000000000000000000000000000000000000", // 40 digits
      "",
      "-1",
      "+1",
      " 1",
      "1 ",
      "1.0",
      "1e3",
      "0x10",
      "١٢", // Arabic-Indic digits
      "1\n",
    ]) {
      expect(parseExplicitHashKey(bad), JSON.stringify(bad)).toBeNull();
    }
  });
});

describe("shardIdOf and keyHashToFraction", () => {
  it("pads the index to 12 digits", () => {
    expect(shardIdOf(0)).toBe("shardId-000000000000");
    expect(shardIdOf(12)).toBe("shardId-000000000012");
    expect(shardIdOf(shardIndexMax)).toBe("shardId-999999999999");
    for (const bad of [-1, 1.5, shardIndexMax + 1]) expect(() => shardIdOf(bad)).toThrow(RangeError);
  });

  it("maps hashes onto [0, 1]", () => {
    expect(keyHashToFraction(0n)).toBe(0);
    expect(keyHashToFraction(1n << 126n)).toBe(0.25);
    expect(keyHashToFraction(1n << 127n)).toBe(0.5);
    expect(keyHashToFraction(hashKeyMax)).toBe(1);
    expect(keyHashToFraction(partitionKeyHash("user-1"))).toBeCloseTo(0.8392, 4);
  });
});
