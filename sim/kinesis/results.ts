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
 */
export function writeUtilization(shard: Shard, offeredBytes: CounterSeries, offeredRecords: CounterSeries, endUs: number): Float64Array {
  const utilization = new Float64Array(offeredBytes.intervalCount);
  for (let i = 0; i < utilization.length; i++) {
    const startUs = Math.max(offeredBytes.startUsAt(i), shard.openedUs);
    const stopUs = Math.min(offeredBytes.startUsAt(i) + offeredBytes.durationUsAt(i), shard.closedUs ?? endUs);
    if (stopUs <= startUs) continue;
    const seconds = (stopUs - startUs) / 1e6;
    utilization[i] = Math.max(
      offeredBytes.sumAt(i) / (shardWriteBytesPerSecond * seconds),
      offeredRecords.sumAt(i) / (shardWriteRecordsPerSecond * seconds),
    );
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
