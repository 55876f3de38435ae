// The most frequent keys of a producer, from its per-key counts. A bounded selection over the
// counts array (it can hold millions of keys, too many for a table library); ties go to the lower
// key index, so the order is deterministic.

import type { ProducerResult } from "../sim/run/index.ts";

export interface KeyShare {
  key: string;
  records: number;
  share: number;
}

export function topKeys(producer: ProducerResult, limit: number): KeyShare[] {
  const counts = producer.keyCounts;
  const total = producer.producedRecords;
  if (counts === null || total === 0 || producer.keys.keyless === true) return [];
  const chosen: number[] = [];
  for (let index = 0; index < counts.length; index++) {
    const count = counts[index];
    if (count === 0) continue;
    if (chosen.length < limit) chosen.push(index);
    else if (count > counts[chosen[limit - 1]]) chosen[limit - 1] = index;
    else continue;
    // Move the new entry up past smaller counts; equal counts keep the lower index first.
    for (let at = chosen.length - 1; at > 0 && counts[chosen[at - 1]] < counts[chosen[at]]; at--) {
      [chosen[at - 1], chosen[at]] = [chosen[at], chosen[at - 1]];
    }
  }
  return chosen.map((index) => ({ key: producer.keys.keyAt(index), records: counts[index], share: counts[index] / total }));
}

/** Distinct keys that occurred at least once (every record for per-record UUID keys). */
export function distinctKeysSeen(producer: ProducerResult): number {
  const counts = producer.keyCounts;
  if (producer.keys.keyless === true) return 0;
  if (counts === null) return producer.producedRecords;
  let seen = 0;
  for (let index = 0; index < counts.length; index++) if (counts[index] > 0) seen++;
  return seen;
}
