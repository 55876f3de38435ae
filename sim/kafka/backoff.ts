// The Java client's retry backoff since Kafka 3.7 (KIP-580, docs/reference.md §3.2): ExponentialBackoff
// with multiplier 2 and jitter 0.2, from retry.backoff.ms up to retry.backoff.max.ms.

import type { Uniform } from "../engine/index.ts";

const multiplier = 2;
const jitter = 0.2;

/**
 * The wait before retry number `retry` (1 for the first), as ExponentialBackoff.backoff(retry - 1):
 * base x 2^(retry - 1), the exponent capped where it reaches the maximum, times a uniform factor in
 * [0.8, 1.2), truncated to whole milliseconds, and never above the maximum. A maximum at or below the
 * base gives a constant wait of the maximum, without jitter.
 */
export function retryBackoffUs(retry: number, baseUs: number, maxUs: number, uniform: Uniform): number {
  const initialUs = Math.min(baseUs, maxUs);
  if (maxUs <= baseUs) return initialUs;
  const expMax = Math.log(maxUs / Math.max(initialUs, 1000)) / Math.log(multiplier);
  const termUs = initialUs * Math.pow(multiplier, Math.min(retry - 1, expMax));
  const factor = 1 - jitter + 2 * jitter * uniform();
  return Math.min(Math.floor((factor * termUs) / 1000) * 1000, maxUs);
}
