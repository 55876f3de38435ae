// Key -> shard and key -> partition: exact hash-range boundaries (BigInt, N not a power of two),
// the key path (MD5 / murmur2 of UTF-8 bytes) and Unicode normalisation left alone.

import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { murmur2, toPositive } from "../../sim/kafka/partitioner.ts";
import { evenHashRanges, HashRouter, hashKeyMax } from "../../sim/kinesis/hash.ts";
import { ADVICE_SHARD_CHECKS_MAX } from "../../sim/keys/advice.ts";
import { sortByHash } from "../../sim/keys/hashing.ts";
import { adviseShardCount, analyseKeys, hashKeys, kafkaPartitions, kinesisShards, type KeyHashes, type KeySet } from "../../sim/keys/index.ts";

const keySpace = 1n << 128n;

function routerFor(shardCount: number): HashRouter {
  return new HashRouter(evenHashRanges(shardCount).map((range, shardIndex) => ({ range, shardIndex })));
}

describe("hash-range boundaries, exact", () => {
  for (const shardCount of [3, 7]) {
    it(`${shardCount} shards: i·floor(2^128/${shardCount}) starts shard i, one less ends shard i-1, the remainder goes to the last`, () => {
      const router = routerFor(shardCount);
      const step = keySpace / BigInt(shardCount);
      expect(keySpace % BigInt(shardCount)).not.toBe(0n); // not a power of two: a remainder exists
      expect(router.shardFor(0n)).toBe(0);
      for (let i = 1; i < shardCount; i++) {
        const boundary = BigInt(i) * step;
        expect(router.shardFor(boundary)).toBe(i);
        expect(router.shardFor(boundary - 1n)).toBe(i - 1);
        expect(router.shardFor(boundary + 1n)).toBe(i);
      }
      // The last shard ends at 2^128-1, past N·step: it owns the 2^128 mod N extra keys.
      expect(router.shardFor(BigInt(shardCount) * step - 1n)).toBe(shardCount - 1);
      expect(router.shardFor(BigInt(shardCount) * step)).toBe(shardCount - 1);
      expect(router.shardFor(hashKeyMax)).toBe(shardCount - 1);
    });
  }

  it("3 shards: the AWS CLI documentation's stream starts", () => {
    // docs/reference.md §1.2: a real 3-shard stream starts at 0 / 113427455640312821154458202477256070485 / 226854911280625642308916404954512140970.
    const router = routerFor(3);
    expect(router.shardFor(113427455640312821154458202477256070485n)).toBe(1);
    expect(router.shardFor(113427455640312821154458202477256070484n)).toBe(0);
    expect(router.shardFor(226854911280625642308916404954512140970n)).toBe(2);
    expect(router.shardFor(226854911280625642308916404954512140969n)).toBe(1);
  });

  /** Synthetic hashes (MD5 cannot be inverted to put a key on a boundary): the advice's own range arithmetic. */
  function syntheticHashes(hashes: bigint[]): KeyHashes {
    const byHash = Int32Array.from(hashes.map((_, i) => i)).sort((a, b) => (hashes[a] < hashes[b] ? -1 : hashes[a] > hashes[b] ? 1 : 0));
    return { kinesisHashes: hashes, byHash, kafkaHashes: new Int32Array(0), keyBytes: new Int32Array(hashes.length) };
  }
  const twoKeys = { records: Float64Array.of(700, 700), bytes: Float64Array.of(700, 700) };

  it("advice: two 70% keys one hash apart across the 3-shard boundary fit 3 shards, not 2", () => {
    // Lower bound ceil(1400 / 800) = 2; with 2 shards both keys (< 2^127) share shard 0 at 140%.
    const step = keySpace / 3n;
    expect(adviseShardCount(syntheticHashes([step - 1n, step]), twoKeys)).toMatchObject({ kind: "found", shardCount: 3, fromShardCount: 2 });
  });

  it("advice: the same keys across the 3rd boundary of 7 shards first separate at 7", () => {
    // 3/7 = 0.43 lies strictly inside a shard for N = 2..6 (e.g. (0.4, 0.6) for 5), so both keys share it.
    const boundary = 3n * (keySpace / 7n);
    expect(adviseShardCount(syntheticHashes([boundary, boundary - 1n]), twoKeys)).toMatchObject({ kind: "found", shardCount: 7 });
  });
});

describe("advice search limit", () => {
  it("two heavy keys one hash apart never separate: the scan stops at its budget and says where", () => {
    const middle = 1n << 127n;
    const byHash = Int32Array.of(0, 1);
    const hashes: KeyHashes = { kinesisHashes: [middle + 1n, middle + 2n], byHash, kafkaHashes: new Int32Array(0), keyBytes: new Int32Array(2) };
    const advice = adviseShardCount(hashes, { records: Float64Array.of(700, 700), bytes: Float64Array.of(700, 700) });
    // Checking N costs N shard checks: the scan covers 2..n while 2 + ... + n stays within the budget.
    let n = 1;
    let checks = 0;
    while (checks + (n + 1) <= ADVICE_SHARD_CHECKS_MAX) checks += ++n;
    expect(advice).toEqual({ kind: "search-limit", fromShardCount: 2, searchedUpTo: n });
  });
});

describe("the key path", () => {
  it("MD5 of the UTF-8 key read big-endian: user-1 -> 285573413173782752570879317399258818820, shard 3 of 4 (docs/reference.md §1.2)", () => {
    const hashes = hashKeys(["user-1"], true, true);
    expect(hashes.kinesisHashes[0]).toBe(285573413173782752570879317399258818820n);
    expect(Array.from(kinesisShards(hashes, 4))).toEqual([3]);
    expect(hashes.keyBytes[0]).toBe(6);
  });

  it("murmur2 values from Kafka's UtilsTest give the partitions of 6 listed in docs/reference.md §3.1", () => {
    // "21" -> -973932308, "foobar" -> -790332482 (UtilsTest.testMurmur2).
    const hashes = hashKeys(["21", "foobar"], false, true);
    expect(Array.from(hashes.kafkaHashes)).toEqual([toPositive(-973932308), toPositive(-790332482)]);
    expect(Array.from(kafkaPartitions(hashes, 6))).toEqual([toPositive(-973932308) % 6, toPositive(-790332482) % 6]);
  });

  it("keys that differ only by Unicode normalisation are distinct keys hashed from their own bytes", () => {
    const composed = "\u00fc-key"; // NFC: ü as U+00FC
    const decomposed = "u\u0308-key"; // NFD: u + U+0308, as in the reference vectors
    expect(composed.normalize("NFD")).toBe(decomposed);
    const hashes = hashKeys([composed, decomposed], true, true);
    for (const [i, key] of [composed, decomposed].entries()) {
      const bytes = Buffer.from(key, "utf8");
      expect(hashes.kinesisHashes[i]).toBe(BigInt(`0x${createHash("md5").update(bytes).digest("hex")}`));
      expect(hashes.kafkaHashes[i]).toBe(toPositive(murmur2(bytes)));
    }
    expect(hashes.keyBytes[0]).toBe(6); // ü is 2 bytes in UTF-8
    expect(hashes.keyBytes[1]).toBe(7); // u is 1 byte, U+0308 is 2
    expect(hashes.kinesisHashes[0]).not.toBe(hashes.kinesisHashes[1]);
    // The reference vectors place NFD "ü-key" on shard 2 of 16 and partition 79 of 100.
    expect(kinesisShards(hashes, 16)[1]).toBe(2);
    expect(kafkaPartitions(hashes, 100)[1]).toBe(79);
    // And the lab keeps them apart: two keys, each with half the traffic.
    const keySet: KeySet = { keys: [composed, decomposed], weights: Float64Array.of(1, 1), source: "t", skipped: [] };
    const analysis = analyseKeys(keySet, { kinesisShards: 16, kafkaPartitions: 100, load: null });
    expect(analysis.assignments.kinesisShards![1]).toBe(2);
    expect(analysis.assignments.kinesisShards![0]).toBe(routerFor(16).shardFor(hashes.kinesisHashes[0]));
  });

  it("sorts hashes that share their top bits exactly (the packed sort's tie runs)", () => {
    // Five hashes with the same top 100 bits, differing only below: one tie run, ordered by BigInt.
    const base = 0xabcdefn << 100n;
    const hashes = [base + 5n, base + 1n, hashKeyMax, base + 3n, 0n, base + 2n, base + 4n];
    expect(Array.from(sortByHash(hashes)).map((i) => hashes[i])).toEqual([...hashes].sort((a, b) => (a < b ? -1 : 1)));
  });

  it("sorts keys by their exact hash", () => {
    const keys = Array.from({ length: 2000 }, (_, i) => `k${i}`);
    const hashes = hashKeys(keys, true, false);
    for (let j = 1; j < keys.length; j++) expect(hashes.kinesisHashes[hashes.byHash[j - 1]] < hashes.kinesisHashes[hashes.byHash[j]]).toBe(true);
  });
});
