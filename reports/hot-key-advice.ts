// The key lab's fallback advice for a Kinesis shard whose busiest key alone is over a shard's limit,
// computed for a run from the workload's own key distribution (sim/keys/advice.ts): the smallest shard
// count that keeps every other key under 80% of a shard, and the random-suffix buckets the hot key
// needs. Only for one producer whose keys have an analytic distribution (zipf, uniform, hotspot,
// weighted) small enough to enumerate; otherwise the finding keeps its plain words.

import { adviseShardCount, hashKeys, keyRates, TEMPLATE_KEYS_MAX, type KeySet } from "../sim/keys/index.ts";
import type { ProducerResult } from "../sim/run/index.ts";
import type { SystemSummary } from "./system-summary.ts";

/** Adds otherKeysShardCount and hotKeySuffixBuckets to each hot-shard finding whose top key alone is over a shard's limit. */
export function addHotKeyAdvice(systems: SystemSummary[], producers: ProducerResult[], durationUs: number): void {
  const needing = systems.filter((system) => system.kind === "kinesis" && system.findings.some(keyedHotShard));
  if (needing.length === 0 || producers.length !== 1 || durationUs <= 0) return;
  const [producer] = producers;
  const keySet = enumerable(producer);
  if (keySet === null || producer.producedRecords === 0) return;
  const load = { recordsPerSecond: producer.producedRecords / (durationUs / 1e6), recordSizeBytes: producer.producedBytes / producer.producedRecords };
  const hashes = hashKeys(keySet.keys, true, false);
  const rates = keyRates(keySet, hashes.keyBytes, load);
  if (rates === null) return;
  const advice = adviseShardCount(hashes, rates);
  if (advice.kind !== "hot-key" || advice.others?.kind !== "found") return;
  const others = advice.others.shardCount;
  for (const system of needing) {
    for (const finding of system.findings.filter(keyedHotShard)) {
      const hot = advice.hotKeys.find((entry) => keySet.keys[entry.keyIndex] === finding.evidence.topKey);
      if (hot === undefined) continue;
      finding.evidence.otherKeysShardCount = others;
      finding.evidence.hotKeySuffixBuckets = hot.suffixBuckets;
      finding.message += ` ${adviceWords(String(finding.evidence.topKey), others, hot.suffixBuckets)}`;
    }
  }
}

function keyedHotShard(finding: SystemSummary["findings"][number]): boolean {
  return finding.code === "hot-shard" && finding.evidence.topKeyOverShardLimit === 1;
}

/** The producer's keys with their analytic shares, or null when they have none or are too many to enumerate. */
function enumerable(producer: ProducerResult): KeySet | null {
  const { keys } = producer;
  const probability = keys.probability?.bind(keys);
  if (probability === undefined || keys.keyForTime !== undefined || keys.keyless === true) return null;
  if (!Number.isFinite(keys.cardinality) || keys.cardinality > TEMPLATE_KEYS_MAX) return null;
  const names = new Array<string>(keys.cardinality);
  const weights = new Float64Array(keys.cardinality);
  for (let i = 0; i < keys.cardinality; i++) {
    names[i] = keys.keyAt(i);
    weights[i] = probability(i);
  }
  return { keys: names, weights, source: keys.description, origin: "template", skipped: [] };
}

/** The advice appended to the finding's message, in the key lab's words (streamsim keys gives the same figures). */
function adviceWords(key: string, shards: number, buckets: number): string {
  return `Leaving "${key}" out, ${shards} ${shards === 1 ? "shard keeps" : "shards keep"} every other key at or below 80% of a shard's limit; "${key}" itself needs a random suffix with at least ${buckets} buckets, as \`streamsim keys\` with the workload's keys also says.`;
}
