// Where Flink's keyBy sends a key (docs/reference.md §8.2): the key's Java hashCode, Flink's murmur
// finaliser made non-negative, modulo maxParallelism gives the key group; key groups are cut into
// parallelism contiguous ranges, one per subtask. All arithmetic is Java int32 (Math.imul, |0, >>>).

/** KeyGroupRangeAssignment.DEFAULT_LOWER_BOUND_MAX_PARALLELISM: 1 << 7. */
export const maxParallelismDefaultMin = 128;
/** Transformation.UPPER_BOUND_MAX_PARALLELISM: 1 << 15, inclusive. */
export const maxParallelismMax = 32768;

/** java.lang.String.hashCode: s[0]*31^(n-1) + ... + s[n-1] in int32 over the string's UTF-16 code units. */
export function javaStringHashCode(key: string): number {
  let hash = 0;
  for (let i = 0; i < key.length; i++) hash = (Math.imul(hash, 31) + key.charCodeAt(i)) | 0;
  return hash;
}

/** Flink's MathUtils.murmurHash(int): one murmur3 round and its finaliser, made non-negative (MIN_VALUE -> 0). */
export function flinkMurmurHash(code: number): number {
  let h = Math.imul(code | 0, 0xcc9e2d51);
  h = (h << 15) | (h >>> 17);
  h = Math.imul(h, 0x1b873593);
  h = (h << 13) | (h >>> 19);
  h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  h ^= 4;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  if (h >= 0) return h;
  return h === -2147483648 ? 0 : -h;
}

/** MathUtils.roundUpToPowerOfTwo for 1 <= x <= 2^30. */
function roundUpToPowerOfTwo(x: number): number {
  let v = (x - 1) | 0;
  v |= v >> 1;
  v |= v >> 2;
  v |= v >> 4;
  v |= v >> 8;
  v |= v >> 16;
  return v + 1;
}

/** KeyGroupRangeAssignment.computeDefaultMaxParallelism: roundUp2(p + p/2) bounded to [128, 32768]. */
export function defaultMaxParallelism(parallelism: number): number {
  assertParallelism(parallelism, maxParallelismMax);
  return Math.min(Math.max(roundUpToPowerOfTwo(parallelism + Math.floor(parallelism / 2)), maxParallelismDefaultMin), maxParallelismMax);
}

/** computeKeyGroupForKeyHash: murmurHash(keyHash) % maxParallelism. */
export function keyGroupOfHash(keyHash: number, maxParallelism: number): number {
  return flinkMurmurHash(keyHash) % maxParallelism;
}

/** computeOperatorIndexForKeyGroup: keyGroup * parallelism / maxParallelism (int division; exact below 2^31). */
export function subtaskOfKeyGroup(keyGroup: number, parallelism: number, maxParallelism: number): number {
  return Math.floor((keyGroup * parallelism) / maxParallelism);
}

/** The key group range [first, last] of one subtask (computeKeyGroupRangeForOperatorIndex). */
export function keyGroupRange(subtaskIndex: number, parallelism: number, maxParallelism: number): { first: number; last: number } {
  return {
    first: Math.floor((subtaskIndex * maxParallelism + parallelism - 1) / parallelism),
    last: Math.floor(((subtaskIndex + 1) * maxParallelism - 1) / parallelism),
  };
}

/** Routing of String keys for one keyed operator: parallelism and maxParallelism fixed when built. */
export class KeyGroupRouter {
  readonly maxParallelism: number;
  constructor(
    readonly parallelism: number,
    maxParallelism: number | null = null,
  ) {
    this.maxParallelism = maxParallelism ?? defaultMaxParallelism(parallelism);
    assertParallelism(this.maxParallelism, maxParallelismMax);
    assertParallelism(parallelism, this.maxParallelism);
  }

  keyGroupOf(key: string): number {
    return keyGroupOfHash(javaStringHashCode(key), this.maxParallelism);
  }

  subtaskOf(key: string): number {
    return subtaskOfKeyGroup(this.keyGroupOf(key), this.parallelism, this.maxParallelism);
  }
}

function assertParallelism(value: number, max: number): void {
  if (!Number.isInteger(value) || value < 1 || value > max) throw new Error(`parallelism ${value} outside 1..${max}`);
}
