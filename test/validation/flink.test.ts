// Managed Service for Apache Flink checked against Flink's own algorithms and against theory.
//
// Key routing (docs/reference.md §8.2). The vectors below were derived from the published algorithm
// twice, independently of sim/flink: by exact integer arithmetic (Python big integers reduced mod 2^32:
// String.hashCode as sum of s[i]*31^(n-1-i) over UTF-16 code units; MathUtils.murmurHash step by step;
// % maxParallelism; keyGroup*parallelism/maxParallelism) and by a scratch Java transcription of
// KeyGroupRangeAssignment.java (apache/flink 5ae3033, flink-runtime/.../state/) and MathUtils.java
// (apache/flink e50494c, flink-core/.../util/) running on the JDK's own String.hashCode. Both agree.

import { describe, expect, it } from "vitest";
import { defaultMaxParallelism, flinkMurmurHash, javaStringHashCode, keyGroupRange, KeyGroupRouter } from "../../sim/flink/key-groups.ts";

// key, String.hashCode, murmurHash(hashCode), key group at maxParallelism 128, subtask at parallelism 10 (of 128), key group at 256
const vectors: readonly [string, number, number, number, number, number][] = [
  ["", 0, 593689054, 94, 7, 222],
  ["a", 97, 1455541201, 81, 6, 209],
  ["user-1", -836031825, 1662039673, 121, 9, 121], // negative hashCode
  ["sensor-0", 1262113501, 92994534, 102, 7, 230],
  ["hello", 99162322, 1715862179, 35, 2, 163],
  ["polygenelubricants", -2147483648, 1718298732, 108, 8, 108], // hashCode = Integer.MIN_VALUE
  ["\u00fcber", 7604755, 1864126153, 73, 5, 201], // precomposed u-umlaut: one UTF-16 unit (252)
  ["u\u0308ber", 131267196, 2130812155, 123, 9, 251], // decomposed: u + combining diaeresis (776)
  ["\u65e5\u672c", 835047, 1762503263, 95, 7, 95], // CJK, two BMP units
  ["\ud83d\ude00", 1772899, 1934073014, 54, 4, 182], // one emoji, a surrogate pair: two units
  ["dev-us-east-110423", -1208643266, 26445567, 127, 9, 255], // negative hashCode, last key group
];

describe("Flink key routing matches KeyGroupRangeAssignment exactly", () => {
  it.each(vectors)("%j: hashCode %i, murmur %i, key group %i, subtask %i of 10", (key, hash, murmur, group128, subtask10, group256) => {
    expect(javaStringHashCode(key)).toBe(hash);
    expect(flinkMurmurHash(hash)).toBe(murmur);
    const p10 = new KeyGroupRouter(10);
    expect(p10.maxParallelism).toBe(128);
    expect(p10.keyGroupOf(key)).toBe(group128);
    expect(p10.subtaskOf(key)).toBe(subtask10);
    expect(new KeyGroupRouter(128).keyGroupOf(key)).toBe(group256);
    expect(new KeyGroupRouter(1).subtaskOf(key)).toBe(0);
  });

  it("murmurHash of edge ints, MIN_VALUE included", () => {
    expect([0, 1, -1, -2147483648, 2147483647, 42].map(flinkMurmurHash)).toEqual([593689054, 68075478, 1982413648, 1718298732, 1653689534, 1134849565]);
  });

  it("colliding hashCodes (\"Aa\", \"BB\": 2112) share a key group", () => {
    const router = new KeyGroupRouter(4);
    expect(javaStringHashCode("Aa")).toBe(2112);
    expect(javaStringHashCode("BB")).toBe(2112);
    expect(router.keyGroupOf("Aa")).toBe(108);
    expect(router.subtaskOf("BB")).toBe(3);
  });

  it("default maxParallelism is roundUpToPowerOfTwo(p + p/2) bounded to [128, 32768]", () => {
    const cases: [number, number][] = [[1, 128], [2, 128], [85, 128], [86, 256], [128, 256], [200, 512], [21845, 32768], [21846, 32768], [32768, 32768]];
    for (const [parallelism, expected] of cases) expect(defaultMaxParallelism(parallelism)).toBe(expected);
  });

  it("a subtask's key group range holds exactly the groups routed to it", () => {
    for (const [parallelism, maxParallelism] of [[10, 128], [3, 128], [128, 256], [7, 1000]]) {
      const router = new KeyGroupRouter(parallelism, maxParallelism);
      let next = 0;
      for (let subtask = 0; subtask < parallelism; subtask++) {
        const { first, last } = keyGroupRange(subtask, parallelism, maxParallelism);
        expect(first).toBe(next);
        for (let group = first; group <= last; group++) expect(Math.floor((group * parallelism) / maxParallelism)).toBe(subtask);
        next = last + 1;
      }
      expect(next).toBe(router.maxParallelism);
    }
  });
});
