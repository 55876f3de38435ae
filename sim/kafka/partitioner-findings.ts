// A producer fleet whose clients hash keys differently (a Java service beside a Python one) splits a
// key's records over partitions: per-key order is gone. Flagged with the keys it splits.

import type { Finding } from "../metrics/index.ts";
import { partitionerHash } from "./client-partitioners.ts";
import { kafkaMessages as say } from "./messages.ts";
import type { KafkaProducerClient } from "./producer.ts";

/** Keys compared per producer at most (the busiest are not needed: any split key breaks order). */
const keysComparedMax = 100_000;

export function mixedPartitionerFindings(producers: KafkaProducerClient[], partitionCount: number): Finding[] {
  const families = new Set(producers.map((producer) => partitionerHash[producer.partitioner]));
  if (families.size < 2) return [];
  const clients = producers.map((producer) => `${producer.workload.spec.name}: ${producer.partitioner}`).join(", ");
  const placed = new Map<string, number>();
  const shared = new Set<string>();
  const split = new Set<string>();
  for (const producer of producers) {
    const counts = producer.offeredPerKey;
    if (counts === null) continue;
    const seen = new Set<string>();
    for (let keyIndex = 0; keyIndex < counts.length && keyIndex < keysComparedMax; keyIndex++) {
      if (counts[keyIndex] === 0) continue;
      const key = producer.workload.keys.keyAt(keyIndex);
      if (seen.has(key)) continue;
      seen.add(key);
      const partition = producer.partitionForKey(key, partitionCount);
      const before = placed.get(key);
      if (before === undefined) placed.set(key, partition);
      else {
        shared.add(key);
        if (before !== partition) split.add(key);
      }
    }
  }
  return [
    {
      severity: split.size > 0 ? "warning" : "info",
      code: "mixed-partitioners",
      subject: "topic",
      message: say.mixedPartitioners(clients, shared.size, split.size),
      evidence: { partitioners: [...families].length, sharedKeys: shared.size, splitKeys: split.size },
    },
  ];
}
