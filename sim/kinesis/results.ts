// Per-shard results: counts, write utilization per report interval, and the keys that fed each shard.

import type { CounterSeries, PartitionResult } from "../metrics/index.ts";
import { routeHash } from "./stream.ts";
import { shardWriteBytesPerSecond, shardWriteRecordsPerSecond } from "./limits.ts";
import type { KinesisProducerClient } from "./producer.ts";
import type { Shard } from "./shard.ts";
import type { KinesisStream } from "./stream.ts";
import { busiestIndexes } from "../workload/index.ts";

/** Keys examined per producer when explaining what fills a shard: the busiest ones carry the load. */
const candidateKeysMax = 1000;
const topKeysPerShard = 5;

export function partitionResults(stream: KinesisStream, producers: KinesisProducerClient[], endUs: number): PartitionResult[] {
  const keysByShard = busiestKeysByShard(stream, producers);
  return stream.shards.map((shard) => {
    const utilization = writeUtilization(shard, shard.series.demandBytes, shard.series.demandRecords, endUs);
    const attempts = writeUtilization(shard, shard.series.offeredBytes, shard.series.offeredRecords, endUs);
    return {
      id: shard.id,
      acceptedRecords: shard.acceptedRecords,
      acceptedBytes: shard.acceptedBytes,
      throttledAttempts: shard.throttledAttempts,
      peakWriteUtilization: peakOf(utilization),
      peakAttemptUtilization: peakOf(attempts),
      openedUs: shard.openedUs,
      closedUs: shard.closedUs,
      series: shard.series,
      incoming: shard.incoming,
      outgoing: shard.outgoing,
      writeUtilization: utilization,
      attemptUtilization: attempts,
      topKeys: keysByShard.get(shard.index) ?? [],
    };
  });
}

function peakOf(values: Float64Array): number {
  return values.reduce((max, value) => Math.max(max, value), 0);
}

/**
 * Load over the shard's limit in each report interval, the larger of the bytes and records ratios
 * (docs/design.md), over the part of the interval the shard was open. Given the demand series (first
 * attempts) it is what producers asked of the shard, which the key shares predict (`streamsim keys`);
 * given the offered series (every attempt) it adds the retries that throttling itself causes.
 *
 * An interval the shard was open for less than half of, at its opening or its closing, is measured
 * together with the interval next to it (each gets the ratio of them together): a shard closed two
 * seconds into an interval would otherwise be judged on two seconds of traffic, whose noise and the
 * requests in flight at the reshard read as a peak no minute of its life had. A shard that lived less
 * than that in all is measured over the time it lived.
 */
export function writeUtilization(shard: Shard, offeredBytes: CounterSeries, offeredRecords: CounterSeries, endUs: number): Float64Array {
  const count = offeredBytes.intervalCount;
  const utilization = new Float64Array(count);
  const openSeconds = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const startUs = Math.max(offeredBytes.startUsAt(i), shard.openedUs);
    const stopUs = Math.min(offeredBytes.startUsAt(i) + offeredBytes.durationUsAt(i), shard.closedUs ?? endUs);
    if (stopUs > startUs) openSeconds[i] = (stopUs - startUs) / 1e6;
  }
  // A shard is open over one stretch of intervals: [first, last].
  const first = openSeconds.findIndex((seconds) => seconds > 0);
  if (first < 0) return utilization;
  let last = first;
  while (last + 1 < count && openSeconds[last + 1] > 0) last++;
  // The opening stub joins the interval after it, the closing stub the one before it.
  const stub = (i: number): boolean => openSeconds[i] < offeredBytes.durationUsAt(i) / 2e6;
  const group = Int32Array.from({ length: count }, (_, i) => i);
  if (first < last && stub(first)) group[first] = group[first + 1];
  if (first < last && stub(last)) group[last] = group[last - 1];
  for (let i = first; i <= last; i++) {
    let bytes = 0;
    let records = 0;
    let seconds = 0;
    for (let j = Math.max(first, i - 2); j <= Math.min(last, i + 2); j++) {
      if (group[j] !== group[i]) continue;
      bytes += offeredBytes.sumAt(j);
      records += offeredRecords.sumAt(j);
      seconds += openSeconds[j];
    }
    utilization[i] = Math.max(bytes / (shardWriteBytesPerSecond * seconds), records / (shardWriteRecordsPerSecond * seconds));
  }
  return utilization;
}

/** For each shard, the busiest keys whose hash falls in its range (among each producer's busiest keys). */
function busiestKeysByShard(stream: KinesisStream, producers: KinesisProducerClient[]): Map<number, Array<{ key: string; records: number }>> {
  const byShard = new Map<number, Array<{ key: string; records: number }>>();
  for (const producer of producers) {
    const counts = producer.offeredPerKey;
    // With random explicit hash keys, partition keys do not decide the shard: no key explains a shard.
    if (counts === null || producer.routesByRandomHash) continue;
    for (const keyIndex of busiestIndexes(counts, candidateKeysMax)) {
      const key = producer.routes.keys.keyAt(keyIndex);
      const hash = routeHash(producer.routes.keys, keyIndex);
      for (const shard of stream.shards) {
        if (hash < shard.range.start || hash > shard.range.end) continue;
        const list = byShard.get(shard.index) ?? [];
        list.push({ key, records: counts[keyIndex] });
        byShard.set(shard.index, list);
      }
    }
  }
  for (const [index, list] of byShard) byShard.set(index, list.sort((a, b) => b.records - a.records).slice(0, topKeysPerShard));
  return byShard;
}
