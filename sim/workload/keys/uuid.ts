// A fresh random-looking UUID per record (the common "uuid4() as partition key" pattern).
//
// sample() draws nothing: it returns the next value of a per-instance counter (0, 1, 2, ...), and
// keyAt(i) derives a version-4 UUID from (seedTag, i) by hashing. The strings look random and
// differ per seedTag, yet a replay (after reset()) produces the same keys, and no per-record
// state is stored. Each 32-bit word is a MurmurHash3-style hash of the index's two 32-bit halves
// with its own seed; every step is invertible in the low half, so the first word alone makes the
// UUIDs of indexes that share their high half (all indexes below 2^32) pairwise distinct.

import assert from "node:assert/strict";
import { assertIndex } from "./checks.ts";
import type { KeySpace } from "./keyspace.ts";

export interface UuidKeysOptions {
  seedTag: string;
}

export function uuidKeys(opts: UuidKeysOptions): KeySpace {
  const { seedTag } = opts;
  assert(typeof seedTag === "string", "uuid seedTag must be a string");
  const seeds = [0, 1, 2, 3].map((k) => hashString(seedTag, k));
  let next = 0;
  return {
    cardinality: Infinity,
    description: `uuid(seedTag=${JSON.stringify(seedTag)})`,
    sample() {
      return next++;
    },
    reset() {
      next = 0;
    },
    keyAt(index) {
      assertIndex(index, Infinity);
      return uuidAt(seeds, index);
    },
  };
}

const HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, "0"));

function uuidAt(seeds: readonly number[], index: number): string {
  const lo = index >>> 0;
  const hi = Math.floor(index / 0x1_0000_0000) >>> 0;
  const w0 = hashPair(seeds[0], lo, hi);
  const w1 = ((hashPair(seeds[1], lo, hi) & 0xffff0fff) | 0x00004000) >>> 0; // version 4
  const w2 = ((hashPair(seeds[2], lo, hi) & 0x3fffffff) | 0x80000000) >>> 0; // variant 10xx
  const w3 = hashPair(seeds[3], lo, hi);
  return `${hex32(w0)}-${hex16(w1 >>> 16)}-${hex16(w1 & 0xffff)}-${hex16(w2 >>> 16)}-${hex16(w2 & 0xffff)}${hex32(w3)}`;
}

function hex16(v: number): string {
  return HEX[(v >>> 8) & 0xff] + HEX[v & 0xff];
}

function hex32(v: number): string {
  return hex16(v >>> 16) + hex16(v & 0xffff);
}

/** MurmurHash3 x86_32 of the two words (lo, hi). */
function hashPair(seed: number, lo: number, hi: number): number {
  let h = mixBlock(seed, lo);
  h = mixBlock(h, hi);
  return fmix32(h ^ 8);
}

function mixBlock(h: number, block: number): number {
  let k = Math.imul(block, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, 0x1b873593);
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A 32-bit seed from the tag's UTF-16 code units (FNV-1a, then finalised); k picks the variant. */
function hashString(text: string, k: number): number {
  let h = (0x811c9dc5 ^ Math.imul(k + 1, 0x9e3779b9)) >>> 0;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return fmix32(h ^ text.length);
}
